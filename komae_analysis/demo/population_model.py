"""The demo population model: the cohort simulation shared by the demo 第7表 CSVs
(:mod:`~komae_analysis.demo.tokyo_juki`) and register workbooks (:mod:`~komae_analysis.demo.city_register`), 2017–2026.

Everything here is INVENTED demo data, calibrated on a few real published figures so that the
appendix looks like the real one (the figures matched are listed in data/raw/README.md). The model,
per area:

1. A single-year, by-sex target population for 1 January 2026: for 狛江市 the real 2026 第7表
   5-year classes with a little noise, raked to the real margins (男, 女, 0–14, 65+); for the other
   areas the 東京都 age shape tilted to the area's real 2026 高齢化率, 0–14 share and sex ratio
   (:class:`AreaSpec`). Five-year classes are split into single years (monotone cubic on the log
   of the number aged x or over, class totals kept) with national cohort marks (the 1947–49 baby
   boom, the 1966 丙午 dip, the war-end dip) and per-cohort noise.
2. A cohort-component model run backwards from that target: survival from a Gompertz-like life
   table close to Japan's, net migration = a structural part that keeps the mobile young-adult
   ages (15–35) in shape plus a yearly scalar × an age profile, solved so that every 1 January
   total hits its path (狛江市: :data:`KOMAE_TOTALS`; the other areas: a straight line between
   the real 2017 and 2026 totals with a pandemic dip). Read forwards, each year's population is
   the previous one aged by a year, thinned by deaths, plus births and net migration: cohorts age
   realistically.
3. 狛江市 is rounded to integers and allocated to its 41 町丁目 (largest remainder), with a
   per-町丁目 age tilt (some older, some younger), a young-adult / family tilt tied to the
   町丁目's household size, and per-cohort noise, so that each cohort keeps its place as it ages.
4. 第7表: all 26 市 of 東京都市部 and 世田谷区 (狛江市's neighbour) besides the aggregates.
   狛江市's rows are the register aggregated to 5-year classes; the 日本人/外国人 split uses the
   東京都 foreign share by age and sex (mostly 20–39), scaled to the area's real 2026 foreign total
   and an invented path before. 市部 = the sum of its 26 市 and 区部 = 世田谷区 + an invented
   remainder (the other 22 区, not listed), cell by cell; 総数 = 区部 + 市部 + 町村部.

Numbers embedded below from real releases (東京都総務局統計部「住民基本台帳による東京都の世帯と人口」
令和8年1月 第5表・第7表 and 時系列 第2表, 総務省「住民基本台帳に基づく人口、人口動態及び世帯数」, CC BY 4.0)
are calibration anchors only; nothing is read from the network or from ../shared/realdata at
generation time.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from komae_analysis.reference import Choume, komae_choume, shibu_cities, tokyo_areas

#: The reference dates of the demo data set: 1 January 2017 … 2026.
DEMO_DATES: tuple[dt.date, ...] = tuple(dt.date(y, 1, 1) for y in range(2017, 2027))
YEARS = np.array([d.year for d in DEMO_DATES])
N_AGES = 101  # single years 0 … 99 and the open class 100+ (index 100)
SEXES = ("男", "女")

# --------------------------------------------------------------------------------------------
# Calibration anchors
# --------------------------------------------------------------------------------------------

# 狛江市, 1 January 2026, 第7表 総数 by 5-year class (0～4 … 95～99, 100以上): 男, 女 (real).
_KOMAE_2026_AGE5 = np.array([
    (1344, 1299), (1759, 1585), (1722, 1707), (1657, 1533), (2201, 2200), (2527, 2736), (2401, 2578),
    (2355, 2536), (2767, 2896), (3215, 3026), (3302, 3329), (3168, 3158), (2760, 2550), (2075, 2085),
    (1803, 1928), (2007, 2445), (1337, 2049), (883, 1540), (414, 951), (77, 294), (16, 43),
], dtype=float)
# 東京都 総数, 1 January 2026, 第7表: 総数 男, 女 and 外国人 男, 女 by 5-year class (real) — an age
# shape for the invented areas and the foreign share by age and sex.
_TOKYO_2026_AGE5 = np.array([
    (228167, 217304), (262051, 250614), (279358, 266731), (292604, 278751), (408344, 403811),
    (532833, 523531), (497256, 485564), (467969, 456567), (499488, 481174), (527980, 512794),
    (580229, 573785), (525274, 507824), (436987, 421523), (329444, 332583), (302575, 328464),
    (327315, 396928), (212946, 313338), (129480, 232018), (56760, 135209), (11407, 42265), (1068, 7239),
], dtype=float)
_TOKYO_2026_FOREIGN_AGE5 = np.array([
    (11112, 10139), (11153, 10745), (10953, 10142), (18716, 16636), (60591, 52724), (69132, 62139),
    (55694, 51160), (43543, 41224), (32192, 32433), (23528, 25102), (17623, 21083), (13921, 19117),
    (10533, 14750), (6390, 9164), (4107, 5692), (2650, 3268), (1366, 1950), (682, 1253), (229, 590),
    (68, 157), (18, 32),
], dtype=float)

# 狛江市 by 町丁目, 1 January 2026 (real, 第5表): 世帯数, 人口. 西和泉2丁目 has no residents.
_CHOUME_2026 = {
    "0101": (3103, 6248), "0102": (769, 1614), "0103": (1248, 2683), "0104": (2024, 3042),
    "0201": (1166, 2046), "0202": (1004, 1958), "0203": (1547, 2944), "0204": (721, 1531),
    "0205": (1978, 3864), "0301": (776, 1050), "0302": (0, 0), "0401": (790, 1239),
    "0402": (789, 1437), "0403": (534, 817), "0501": (2131, 3276), "0502": (883, 1424),
    "0503": (964, 1655), "0504": (442, 627), "0601": (591, 1076), "0602": (758, 1564),
    "0603": (1450, 2675), "0604": (630, 1203), "0701": (816, 1676), "0702": (589, 1364),
    "0703": (767, 1610), "0801": (1310, 2522), "0802": (1249, 2293), "0803": (1397, 2738),
    "0804": (830, 1878), "0901": (1009, 1957), "0902": (997, 2094), "0903": (1789, 2960),
    "0904": (1129, 1744), "1001": (1091, 2098), "1002": (705, 1634), "1003": (1208, 2531),
    "1004": (962, 2030), "1101": (961, 1883), "1102": (748, 1638), "1103": (371, 798),
    "1104": (1396, 2837),
}

# 狛江市 1 January totals: 2017–2020 real (総務省), 2026 real (東京都 第7表), 2021–2025 invented.
KOMAE_TOTALS = (80807, 81788, 82481, 83257, 83170, 82890, 82680, 82500, 82370, 82258)
KOMAE_2026 = {"男": 39790, "女": 42468, "0-14": 9416, "65+": 19947, "外国人": 1922, "世帯数": 43622}
KOMAE_2020_HOUSEHOLDS = 42682

# Foreign residents relative to 2026 (invented; growth, a dip in the pandemic years, recovery).
_FOREIGN_PATH_CITY = (0.76, 0.81, 0.87, 0.91, 0.87, 0.82, 0.86, 0.91, 0.96, 1.0)
_FOREIGN_PATH_WARDS = (0.66, 0.72, 0.78, 0.80, 0.74, 0.69, 0.75, 0.83, 0.92, 1.0)
# Extra dip of the total population (share of the area's dip) in the pandemic years.
_PANDEMIC_DIP = np.array([0, 0, 0, 0, 0.4, 1.0, 0.7, 0.4, 0.15, 0])


@dataclass(frozen=True)
class AreaSpec:
    """An area modelled without its own register: its 1 January 2017 and 2026 totals, 2026 foreign
    residents and 2026 age and sex structure are real (calibration anchors); its age detail, the
    years in between and the foreign residents' path are invented."""

    code: str
    level: int
    name: str
    total_2017: int
    total_2026: int
    pandemic_dip: int  # extra dip of the total at its deepest (2022)
    aged_share: float  # 65+ / total in 2026
    child_share: float  # 0–14 / total in 2026
    male_share: float  # 男 / total in 2026
    foreign_2026: int  # 外国人 in 2026
    foreign_path: tuple[float, ...] = _FOREIGN_PATH_CITY

    def totals(self) -> np.ndarray:
        step = (self.total_2026 - self.total_2017) / (len(YEARS) - 1)
        path = self.total_2017 + step * (YEARS - YEARS[0]) - self.pandemic_dip * _PANDEMIC_DIP
        path[-1] = self.total_2026
        return path


# Calibration anchors of the areas other than 狛江市 (real figures):
# - total_2017: 1 January 2017 (平成29) 人口総数, 東京都「住民基本台帳による東京都の世帯と人口」令和8年1月
#   時系列 第2表 (jy26rv0200.csv);
# - total_2026, aged_share (65歳以上), child_share (0～14歳), male_share and foreign_2026 (外国人):
#   1 January 2026 第7表 (dai7hyo_age5_kushichoson_R8-01), shares rounded to 4 decimals;
# - pandemic_dip: the real 2022 (令和4) total's shortfall below the straight line 2017–2026 from the
#   same 時系列 第2表, rounded to hundreds (0 where the real path is above the line).
# Everything else about these areas (age detail, the years in between, foreign residents by age) is
# invented. 区部 is the real 区部 total with 世田谷区 inside it; the other 22 区 are not listed.
WARDS = AreaSpec("13100", 1, "区部", 9_302_962, 9_796_723, 54_400, 0.2092, 0.1047, 0.4902, 655_945,
                 _FOREIGN_PATH_WARDS)
SETAGAYA = AreaSpec("13112", 4, "世田谷区", 892_535, 928_666, 0, 0.2071, 0.1099, 0.4732, 30_772,
                    _FOREIGN_PATH_WARDS)
TOWNS = AreaSpec("13550", 1, "町村部", 84_591, 76_662, 0, 0.3523, 0.1009, 0.5080, 1_928)
TOKYO_CODE, TOKYO_NAME = "13000", "総数"
SHIBU_CODE, SHIBU_NAME = "13200", "市部"
KOMAE_CODE, KOMAE_NAME = "13219", "狛江市"
#: The 26 市 of 東京都市部 but 狛江市 (whose rows are its register aggregated), in code order.
SHIBU_CITIES = (
    AreaSpec("13201", 4, "八王子市", 563_228, 558_755, 0, 0.2811, 0.0997, 0.4991, 18_712),
    AreaSpec("13202", 4, "立川市", 181_554, 187_440, 0, 0.2480, 0.1109, 0.4948, 6_591),
    AreaSpec("13203", 4, "武蔵野市", 143_964, 147_958, 0, 0.2299, 0.1137, 0.4786, 4_327),
    AreaSpec("13204", 4, "三鷹市", 185_101, 191_083, 0, 0.2233, 0.1185, 0.4860, 5_219),
    AreaSpec("13205", 4, "青梅市", 135_986, 128_569, 700, 0.3269, 0.0896, 0.5031, 3_460),
    AreaSpec("13206", 4, "府中市", 258_000, 262_162, 100, 0.2274, 0.1161, 0.4995, 6_922),
    AreaSpec("13207", 4, "昭島市", 112_789, 116_049, 800, 0.2633, 0.1170, 0.4972, 3_934),
    AreaSpec("13208", 4, "調布市", 229_886, 241_074, 0, 0.2195, 0.1159, 0.4857, 6_217),
    AreaSpec("13209", 4, "町田市", 428_572, 430_428, 0, 0.2740, 0.1115, 0.4880, 10_946),
    AreaSpec("13210", 4, "小金井市", 119_359, 125_970, 0, 0.2187, 0.1242, 0.4922, 4_135),
    AreaSpec("13211", 4, "小平市", 189_885, 197_404, 0, 0.2406, 0.1236, 0.4890, 6_877),
    AreaSpec("13212", 4, "日野市", 183_589, 189_194, 0, 0.2471, 0.1159, 0.4996, 4_517),
    AreaSpec("13213", 4, "東村山市", 150_739, 152_136, 0, 0.2721, 0.1097, 0.4863, 4_663),
    AreaSpec("13214", 4, "国分寺市", 120_656, 130_076, 0, 0.2234, 0.1240, 0.4906, 3_603),
    AreaSpec("13215", 4, "国立市", 75_452, 76_460, 0, 0.2486, 0.1062, 0.4860, 2_183),
    AreaSpec("13218", 4, "福生市", 58_554, 56_896, 1_400, 0.2754, 0.0935, 0.5043, 5_100),
    AreaSpec("13220", 4, "東大和市", 85_945, 84_989, 100, 0.2784, 0.1147, 0.4892, 1_551),
    AreaSpec("13221", 4, "清瀬市", 74_510, 75_682, 200, 0.2765, 0.1118, 0.4817, 1_934),
    AreaSpec("13222", 4, "東久留米市", 116_867, 116_570, 0, 0.2897, 0.1155, 0.4841, 3_265),
    AreaSpec("13223", 4, "武蔵村山市", 72_238, 70_564, 0, 0.2708, 0.1152, 0.4972, 2_334),
    AreaSpec("13224", 4, "多摩市", 148_293, 148_248, 700, 0.2941, 0.1002, 0.4888, 4_034),
    AreaSpec("13225", 4, "稲城市", 89_089, 94_461, 0, 0.2230, 0.1330, 0.4986, 2_223),
    AreaSpec("13227", 4, "羽村市", 56_244, 53_955, 400, 0.2715, 0.1054, 0.5062, 2_245),
    AreaSpec("13228", 4, "あきる野市", 81_403, 78_559, 0, 0.3083, 0.1070, 0.4972, 1_657),
    AreaSpec("13229", 4, "西東京市", 199_790, 207_227, 0, 0.2468, 0.1153, 0.4852, 7_257),
)

# --------------------------------------------------------------------------------------------
# Demography helpers
# --------------------------------------------------------------------------------------------

_AGES = np.arange(N_AGES, dtype=float)

# Annual probability of dying by age (anchors close to Japan's 2020 life table), log-linear between.
_Q_ANCHORS = {
    "男": {0: 0.0018, 1: 0.0003, 5: 0.0001, 15: 0.0002, 25: 0.0005, 40: 0.0010, 50: 0.0025, 60: 0.0060,
          65: 0.0095, 70: 0.0150, 75: 0.0250, 80: 0.0450, 85: 0.0800, 90: 0.1450, 95: 0.2500, 100: 0.4000},
    "女": {0: 0.0017, 1: 0.0003, 5: 0.0001, 15: 0.0001, 25: 0.0003, 40: 0.0006, 50: 0.0015, 60: 0.0030,
          65: 0.0045, 70: 0.0070, 75: 0.0120, 80: 0.0220, 85: 0.0450, 90: 0.0950, 95: 0.1900, 100: 0.3400},
}


def survival() -> np.ndarray:
    """One-year survival by age (0 … 99, 100+) and sex, shape (101, 2)."""
    cols = []
    for sex in SEXES:
        ages, qs = zip(*_Q_ANCHORS[sex].items(), strict=True)
        cols.append(1.0 - np.exp(np.interp(_AGES, ages, np.log(qs))))
    return np.stack(cols, axis=1)


def _pchip_slopes(x: np.ndarray, y: np.ndarray, end_slope: float) -> np.ndarray:
    """Fritsch–Carlson slopes of a monotone cubic Hermite interpolant (the rule of
    ``scipy.interpolate.PchipInterpolator``; scipy is not a dependency), with the slope at the last
    knot given."""
    h = np.diff(x)
    delta = np.diff(y) / h
    d = np.empty_like(y)
    w1 = 2 * h[1:] + h[:-1]
    w2 = h[1:] + 2 * h[:-1]
    same = delta[:-1] * delta[1:] > 0
    lo = np.where(same, delta[:-1], 1.0)
    hi = np.where(same, delta[1:], 1.0)
    d[1:-1] = np.where(same, (w1 + w2) / (w1 / lo + w2 / hi), 0.0)
    first = ((2 * h[0] + h[1]) * delta[0] - h[0] * delta[1]) / (h[0] + h[1])
    d[0] = first if first * delta[0] > 0 else 0.0
    d[-1] = end_slope if end_slope * delta[-1] > 0 else 0.0
    d[-1] = np.sign(d[-1]) * min(abs(d[-1]), 3 * abs(delta[-1]))
    return d


def _hermite(x: np.ndarray, y: np.ndarray, d: np.ndarray, xi: np.ndarray) -> np.ndarray:
    k = np.clip(np.searchsorted(x, xi, side="right") - 1, 0, len(x) - 2)
    h = x[k + 1] - x[k]
    t = (xi - x[k]) / h
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    return h00 * y[k] + h10 * h * d[k] + h01 * y[k + 1] + h11 * h * d[k + 1]


def split_age5(classes: np.ndarray) -> np.ndarray:
    """Split 5-year classes (21, 2) into single years (101, 2), preserving every class total.

    The number of people aged x or over, N(x), is known at the class boundaries; log N(x) is
    interpolated with a monotone cubic (PCHIP), whose slope at 100 is the log survival of
    centenarians, and the single-year counts are N(x) − N(x+1). Counts come out positive, smooth
    across class boundaries and exponential-like at the oldest ages, as a life table is.
    """
    out = np.empty((N_AGES, classes.shape[1]))
    knots = np.arange(0.0, 101.0, 5.0)
    ages = np.arange(0.0, 101.0)
    log_surv_100 = np.log(survival()[100])
    for s in range(classes.shape[1]):
        at_or_over = np.cumsum(classes[::-1, s])[::-1]  # N(0), N(5), …, N(100)
        log_n = np.log(at_or_over)
        slopes = _pchip_slopes(knots, log_n, end_slope=log_surv_100[s])
        n = np.exp(_hermite(knots, log_n, slopes, ages))
        n[::5] = at_or_over  # exact at the knots
        out[:100, s] = n[:-1] - n[1:]
        out[100, s] = classes[20, s]
    return out


def age5(single: np.ndarray) -> np.ndarray:
    """Aggregate single years (…, 101, …) along axis -2 into 21 classes (0～4 … 95～99, 100以上)."""
    head = single[..., :100, :].reshape(*single.shape[:-2], 20, 5, single.shape[-1]).sum(axis=-2)
    return np.concatenate([head, single[..., 100:, :]], axis=-2)


def _renormalise_classes(single: np.ndarray, target_classes: np.ndarray) -> np.ndarray:
    current = age5(single)
    factor = np.where(current > 0, target_classes / np.where(current > 0, current, 1.0), 0.0)
    return np.concatenate([single[:100] * np.repeat(factor[:20], 5, axis=0), single[100:] * factor[20:]])


# Relative size of notable birth cohorts (Japan-wide), by calendar year of birth.
_COHORT_MARKS = {1945: 0.86, 1946: 0.94, 1947: 1.07, 1948: 1.08, 1949: 1.07, 1966: 0.80,
                 1971: 1.03, 1972: 1.04, 1973: 1.05, 1974: 1.03}


def cohort_marks(single: np.ndarray, rng: np.random.Generator, sigma: float = 0.02) -> np.ndarray:
    """Impose national cohort marks and per-age noise on a 1 January 2026 population, keeping the
    5-year class totals. On 1 January 2026 age a is (almost exactly) the cohort born in 2025 − a."""
    classes = age5(single)
    factor = np.exp(rng.normal(0.0, sigma, size=single.shape))
    for year, mark in _COHORT_MARKS.items():
        factor[2025 - year] *= mark
    factor[100] = 1.0
    return _renormalise_classes(single * factor, classes)


def _smooth(single: np.ndarray, sigma: float = 2.5) -> np.ndarray:
    """Gaussian smoothing along age (0 … 99; the open class is left as is)."""
    ages = np.arange(100, dtype=float)
    kernel = np.exp(-0.5 * ((ages[:, None] - ages[None, :]) / sigma) ** 2)
    kernel /= kernel.sum(axis=1, keepdims=True)
    out = single.copy()
    out[:100] = kernel @ single[:100]
    return out


# Net-migration age profile scaled each year to hit the totals: young adults, their children.
_MIGRATION_SHAPE = (np.exp(-(((_AGES - 25.0) / 5.0) ** 2)) + 0.4 * np.exp(-(((_AGES - 35.0) / 8.0) ** 2))
                    + 0.2 * np.exp(-(((_AGES - 5.0) / 5.0) ** 2)))
_MIGRATION_SHAPE[0] = 0.0
_MIGRATION_SHAPE = np.stack([_MIGRATION_SHAPE, _MIGRATION_SHAPE], axis=1) / (2 * _MIGRATION_SHAPE.sum())
# Ages whose shape net migration keeps stable (students and young workers keep arriving): fully up to
# 35, fading out by 50, none above (older cohorts only age and die).
_HOLD = np.clip((50.0 - _AGES) / 15.0, 0.0, 1.0)
_HOLD[0] = 0.0


def backcast(target: np.ndarray, totals: np.ndarray, surv: np.ndarray, rho: float = 0.93) -> np.ndarray:
    """Populations for every year (n, 101, 2) ending in ``target`` (the last year), with the year
    totals ``totals``, from the cohort-component identity read backwards:

    ``P[t+1, a+1] = S[a]·P[t, a] + M[t, a+1]`` and ``P[t+1, 100+] = S[99]·P[t, 99] + S[100]·P[t, 100+]``,
    where net migration ``M[t] = structural + k[t]·shape`` and ``k[t]`` is solved so that the year
    total is met. The open class shrinks backwards by ``rho`` a year (the number of centenarians grows).
    """
    smooth = _smooth(target)
    structural = np.zeros_like(target)
    structural[1:100] = _HOLD[1:100, None] * (smooth[1:100] - surv[:99] * smooth[:99])
    coef = np.zeros_like(target)
    coef[:99] = _MIGRATION_SHAPE[1:100] / surv[:99]
    pops = np.zeros((len(totals), *target.shape))
    pops[-1] = target
    for i in range(len(totals) - 2, -1, -1):
        nxt = pops[i + 1]
        base = np.zeros_like(target)
        base[:99] = (nxt[1:100] - structural[1:100]) / surv[:99]
        base[100] = rho * nxt[100]
        base[99] = (nxt[100] - surv[100] * base[100]) / surv[99]
        k = (base.sum() - totals[i]) / coef.sum()
        pops[i] = base - k * coef
    if pops.min() < 0:
        raise AssertionError("demo population model produced a negative count")
    return pops


def _rake(cells: np.ndarray, groups: list[slice], group_totals: list[float], sex_totals: list[float]) -> np.ndarray:
    """Iterative proportional fitting of a (classes, sex) table to age-group and sex margins."""
    out = cells.copy()
    for _ in range(200):
        for sl, tot in zip(groups, group_totals, strict=True):
            out[sl] *= tot / out[sl].sum()
        out *= np.asarray(sex_totals) / out.sum(axis=0)
    return out


def _tilt(shape: np.ndarray, total: float, aged: float, child: float, male: float) -> np.ndarray:
    """Tilt a single-year (101, 2) shape smoothly so that it has the given total, 65+ share,
    0–14 share and male share."""
    old = 1.0 / (1.0 + np.exp(-(_AGES - 62.0) / 3.0))
    young = 1.0 / (1.0 + np.exp((_AGES - 16.0) / 3.0))
    alpha = beta = 0.0
    mu = 1.0
    for _ in range(500):
        x = shape * np.exp(alpha * old + beta * young)[:, None]
        x[:, 0] *= mu
        x *= total / x.sum()
        o, y, m = x[65:].sum() / total, x[:15].sum() / total, x[:, 0].sum() / total
        if max(abs(o - aged), abs(y - child), abs(m - male)) < 1e-9:
            break
        alpha += np.log(aged / o)
        beta += np.log(child / y)
        mu *= (male / m) / ((1 - male) / (1 - m))
    return x


def largest_remainder(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Allocate integer ``counts`` (shape S) over the last axis of ``weights`` (shape S + (K,))
    in proportion to the weights, with the Hamilton (largest remainder) method; ties go to the
    lower index. Every allocation sums exactly to its count."""
    counts = np.asarray(counts, dtype=np.int64)
    wsum = weights.sum(axis=-1, keepdims=True)
    share = np.divide(weights, wsum, out=np.zeros_like(weights, dtype=float), where=wsum > 0)
    quota = counts[..., None] * share
    base = np.floor(quota).astype(np.int64)
    left = counts - base.sum(axis=-1)
    order = np.argsort(-(quota - base), axis=-1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(order.shape[-1]), order.shape), axis=-1)
    return base + (rank < left[..., None])


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


def load_choume() -> list[Choume]:
    """Komae's 41 町丁目 in code order, from the package's reference file."""
    return sorted(komae_choume().values(), key=lambda c: c.code)


@dataclass(frozen=True)
class DemoPopulation:
    """The generated integers. Year axis = DEMO_DATES; age axis 0 … 99, 100+; sex axis (男, 女)."""

    choume: list[Choume]
    register: np.ndarray  # (years, 町丁目, 101, 2) 狛江市 residents incl. foreign residents
    households: np.ndarray  # (years, 町丁目)
    areas: list[tuple[int, str, str]]  # (level, code, name) in file order
    total_age5: dict[str, np.ndarray]  # code → (years, 21, 2) all residents
    foreign_age5: dict[str, np.ndarray]  # code → (years, 21, 2) foreign residents


def _foreign(total_age5: np.ndarray, foreign_totals: np.ndarray) -> np.ndarray:
    """Foreign residents per class and sex: the 東京都 foreign share of each cell × the area's
    cell, scaled to the year's foreign total."""
    rate = _TOKYO_2026_FOREIGN_AGE5 / _TOKYO_2026_AGE5
    weights = (total_age5 * rate).reshape(len(foreign_totals), -1)
    out = largest_remainder(np.round(foreign_totals).astype(np.int64), weights).reshape(total_age5.shape)
    if (out > total_age5).any():
        raise AssertionError("more foreign residents than residents in a cell")
    return out


def _komae_target(rng: np.random.Generator) -> np.ndarray:
    """狛江市's 2026 single-year population: the real 5-year classes with a little noise, raked to
    the real margins (男, 女, 0–14, 15–64, 65+), split into single years with cohort marks."""
    noisy = _KOMAE_2026_AGE5 * np.exp(rng.normal(0.0, 0.015, size=_KOMAE_2026_AGE5.shape))
    total = KOMAE_TOTALS[-1]
    child, aged = KOMAE_2026["0-14"], KOMAE_2026["65+"]
    raked = _rake(noisy, [slice(0, 3), slice(3, 13), slice(13, 21)], [child, total - child - aged, aged],
                  [KOMAE_2026["男"], KOMAE_2026["女"]])
    return cohort_marks(split_age5(raked), rng)


def _area_target(total: float, spec: AreaSpec, rng: np.random.Generator) -> np.ndarray:
    """An invented area's 2026 single-year population: the 東京都 shape with noise, tilted to the
    spec's 高齢化率, 0–14 share and sex ratio."""
    noisy = _TOKYO_2026_AGE5 * np.exp(rng.normal(0.0, 0.02, size=_TOKYO_2026_AGE5.shape))
    shape = cohort_marks(split_age5(noisy), rng)
    return _tilt(shape, total, spec.aged_share, spec.child_share, spec.male_share)


def _choume_weights(choume: list[Choume], rng: np.random.Generator, komae: np.ndarray) -> np.ndarray:
    """Allocation weights (years, 町丁目, 101, 2): each 町丁目's 2026 total near its anchor, an
    older/younger tilt, a young-adult tilt where households are small, a family tilt where they
    are large, per-cohort noise, and a slow trend over the years."""
    n_c = len(choume)
    pop = np.array([_CHOUME_2026[c.code][1] for c in choume], dtype=float)
    hh = np.array([_CHOUME_2026[c.code][0] for c in choume], dtype=float)
    size = np.divide(pop, hh, out=np.full(n_c, 1.9), where=hh > 0)
    older = rng.normal(0.0, 0.3, size=n_c)
    young_adult = np.clip(1.2 * (1.95 - size), -0.4, 0.6)
    family = np.clip(1.0 * (size - 1.95), -0.4, 0.5)
    trend = rng.normal(0.0, 0.006, size=n_c)
    g_old = np.tanh((_AGES - 50.0) / 18.0)
    g_young_adult = np.exp(-(((_AGES - 27.0) / 7.0) ** 2))
    g_family = np.exp(-(((_AGES - 8.0) / 7.0) ** 2)) + 0.8 * np.exp(-(((_AGES - 41.0) / 7.0) ** 2))
    tilt = np.exp(older[:, None] * g_old + young_adult[:, None] * g_young_adult + family[:, None] * g_family)
    # Per-cohort noise, indexed by year of birth so that it moves with the cohort.
    first_birth = int(YEARS[0]) - 1 - 100
    cohort_noise = np.exp(rng.normal(0.0, 0.10, size=(n_c, int(YEARS[-1]) - first_birth + 1, 2)))
    birth_index = (YEARS[:, None] - 1 - np.arange(N_AGES)[None, :]) - first_birth  # (years, ages)
    noise = cohort_noise[:, birth_index, :].transpose(1, 0, 2, 3)  # (years, 町丁目, ages, 2)
    shape = tilt[None, :, :, None] * noise
    # Scale so that each 町丁目's 2026 total is close to its anchor (a few fixed-point steps).
    level = np.where(pop > 0, 1.0, 0.0)
    last = shape[-1]
    for _ in range(50):
        w = last * level[:, None, None]
        alloc = komae[-1][None] * w / w.sum(axis=0, keepdims=True)
        got = alloc.sum(axis=(1, 2))
        level = np.where(pop > 0, level * pop / np.where(got > 0, got, 1.0), 0.0)
        level *= n_c / max(level.sum(), 1e-12)
    years_from_last = (YEARS - YEARS[-1]).astype(float)
    growth = np.exp(trend[None, :] * years_from_last[:, None])  # (years, 町丁目)
    return shape * (level[None, :] * growth)[:, :, None, None]


def _households(register: np.ndarray, choume: list[Choume]) -> np.ndarray:
    """Households per 町丁目: the 町丁目's 2026 household size (anchor), the city's average size
    falling linearly through the 2020 and 2026 anchors."""
    totals = register.sum(axis=(1, 2, 3)).astype(float)
    size_2020 = KOMAE_TOTALS[3] / KOMAE_2020_HOUSEHOLDS
    size_2026 = KOMAE_TOTALS[-1] / KOMAE_2026["世帯数"]
    avg_size = size_2026 + (size_2026 - size_2020) / 6.0 * (YEARS - 2026)
    city_hh = np.round(totals / avg_size).astype(np.int64)
    anchor_size = np.array(
        [(_CHOUME_2026[c.code][1] / _CHOUME_2026[c.code][0]) if _CHOUME_2026[c.code][0] else 0.0 for c in choume]
    )
    pop = register.sum(axis=(2, 3)).astype(float)
    weights = np.divide(pop, anchor_size[None, :], out=np.zeros_like(pop), where=anchor_size[None, :] > 0)
    out = largest_remainder(city_hh, weights)
    if ((out > 0) != (pop > 0)).any() or (out > pop).any():
        raise AssertionError("implausible household counts")
    return out


@functools.lru_cache(maxsize=2)
def simulate(seed: int) -> DemoPopulation:
    """Run the demo population model (deterministic for a given seed)."""

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    surv = survival()
    choume = load_choume()

    # 狛江市: single-year model → integers → 町丁目.
    komae_target = _komae_target(rng(1))
    komae = np.round(backcast(komae_target, np.array(KOMAE_TOTALS, dtype=float), surv)).astype(np.int64)
    weights = _choume_weights(choume, rng(2), komae.astype(float))
    register = largest_remainder(komae, weights.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    households = _households(register, choume)

    total_age5: dict[str, np.ndarray] = {}
    foreign_age5: dict[str, np.ndarray] = {}
    komae_age5 = age5(register.sum(axis=1))
    total_age5[KOMAE_CODE] = komae_age5
    komae_foreign = KOMAE_2026["外国人"] * np.asarray(_FOREIGN_PATH_CITY)
    foreign_age5[KOMAE_CODE] = _foreign(komae_age5, komae_foreign)

    def rounded(target: np.ndarray, totals: np.ndarray, foreign_2026: float, path: tuple[float, ...]):
        t5 = age5(np.round(backcast(target, totals, surv)).astype(np.int64))
        return t5, _foreign(t5, foreign_2026 * np.asarray(path))

    def invented(spec: AreaSpec) -> np.ndarray:
        # One random stream per area, numbered by its area code: adding an area changes no other.
        return _area_target(spec.totals()[-1], spec, rng(int(spec.code)))

    def model(spec: AreaSpec, target: np.ndarray) -> None:
        total_age5[spec.code], foreign_age5[spec.code] = rounded(
            target, spec.totals(), spec.foreign_2026, spec.foreign_path)

    # 市部 = its 26 市, cell by cell.
    ref = tokyo_areas()
    for spec in (*SHIBU_CITIES, SETAGAYA, WARDS, TOWNS):
        area = ref[spec.code]
        if (area.name, area.level) != (spec.name, spec.level):
            raise AssertionError(f"demo area {spec.code} disagrees with reference/tokyo_areas.csv")
    shibu = [a.code for a in shibu_cities()]
    if sorted([s.code for s in SHIBU_CITIES] + [KOMAE_CODE]) != shibu:
        raise AssertionError("the demo 市 are not the 26 市 of reference/tokyo_areas.csv")
    for spec in SHIBU_CITIES:
        model(spec, invented(spec))
    total_age5[SHIBU_CODE] = sum(total_age5[c] for c in shibu)
    foreign_age5[SHIBU_CODE] = sum(foreign_age5[c] for c in shibu)

    # 区部 = 世田谷区 + the other 22 区 as one invented remainder (an invented 区部 minus 世田谷区).
    setagaya_target = invented(SETAGAYA)
    model(SETAGAYA, setagaya_target)
    rest_target = invented(WARDS) - setagaya_target
    if rest_target.min() <= 0:
        raise AssertionError("the rest of 区部 came out negative")
    rest5, rest_f5 = rounded(rest_target, WARDS.totals() - SETAGAYA.totals(),
                             WARDS.foreign_2026 - SETAGAYA.foreign_2026, WARDS.foreign_path)
    total_age5[WARDS.code] = rest5 + total_age5[SETAGAYA.code]
    foreign_age5[WARDS.code] = rest_f5 + foreign_age5[SETAGAYA.code]

    model(TOWNS, invented(TOWNS))
    parts = (WARDS.code, SHIBU_CODE, TOWNS.code)
    total_age5[TOKYO_CODE] = sum(total_age5[c] for c in parts)
    foreign_age5[TOKYO_CODE] = sum(foreign_age5[c] for c in parts)

    # File order: the order of reference/tokyo_areas.csv, which is the real 第7表's (総数, 区部, its 区,
    # 市部, its 市, 町村部, …), with the reference's names and levels.
    areas = [(a.level, a.code, a.name) for a in ref.values() if a.code in total_age5]
    return DemoPopulation(choume, register, households, areas, total_age5, foreign_age5)
