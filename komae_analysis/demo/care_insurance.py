"""Demo 介護保険事業状況報告 保険者別 workbooks (``care_insurance/kaigo_nenpo_YYYY.xlsx`` for the 年報 of
FY2017–FY2025 and ``care_insurance/kaigo_geppo_YYYYMM.xlsx`` for the 月報 of April–September 2026),
in the layout :mod:`komae_analysis.ingest.care_insurance` reads (data/raw/README.md).

Everything is INVENTED, calibrated on a few real figures (listed in data/raw/README.md):

- 狛江市's 第1号 認定者 at the end of January 2022 by level, exactly (:data:`KOMAE_CERTIFIED_2022_01`);
- 第1号被保険者 from the demo population (:func:`~komae_analysis.demo.population_model.simulate`):
  the 65–74 and 75+ residents of each 1 January, interpolated to month ends, times a small
  invented 住所地特例 adjustment (insured persons living in facilities elsewhere are counted by
  their former city: 被保険者 differ slightly from the register's 65+);
- 全国: a series close to the published national totals (第1号被保険者 about 3,500–3,600万人,
  認定率 about 18–20 %); 東京都 (and its 区部, 市部, 町村部): the demo population's 65+ with a
  認定率 of about 20–21 %.

The model runs month by month. 認定者 = 被保険者 by age band × a 認定率 by band and level (slowly
drifting); 第2号 認定者 = the 40–64 residents × a small rate; 受給者 of a service month = 認定者 ×
a use rate by level (with a dip in the 2020 pandemic year); 給付費 = 受給者 × a monthly amount per
recipient (rising with the 報酬改定), split over the services by invented shares. A 年報 holds the
stocks at the year's end and the flows of the service months March–February (as the real 年報:
「3月～2月サービス分」); a 月報 the stocks at the month's end and the flows of the service month two
months earlier (現物給付). 介護医療院 starts in April 2018 (「－」 before); 介護療養型医療施設 ends
in March 2024 (「－」 after). Aggregates are sums of their rows: 市部計 = the 26 市, 東京都計 = 区部計 +
市部計 + 町村部計 (amounts in 千円 are rounded from yen per cell, as in the real tables, so a total
may differ from the sum of its rounded parts by the rounding).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from komae_analysis.calendar import wareki_date, wareki_fy
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import (
    DEMO_DATES,
    KOMAE_CODE,
    SHIBU_CITIES,
    TOWNS,
    WARDS,
    DemoPopulation,
    largest_remainder,
    simulate,
)
from komae_analysis.ingest.care_insurance import (
    ANNUAL,
    COMMUNITY_SERVICES,
    FACILITIES,
    GRAND_TOTAL,
    HOME_SERVICES,
    LEVELS,
    MONTHLY,
    NAME_HEADER,
    REPORT_NAME,
    SHEETS,
    SUBTOTAL,
    TOTAL,
    SheetSpec,
    annual_filename,
    month_end,
    monthly_filename,
    service_columns,
)
from komae_analysis.reference import tokyo_areas

CARE_DIR = "care_insurance"
ANNUAL_YEARS: tuple[int, ...] = tuple(range(2017, 2026))
MONTHS: tuple[tuple[int, int], ...] = tuple((2026, m) for m in range(4, 10))

# --------------------------------------------------------------------------------------------
# Calibration anchors
# --------------------------------------------------------------------------------------------

#: 狛江市 第1号被保険者の要介護（要支援）認定者, end of January 2022 (real): 4,580 in all.
KOMAE_CERTIFIED_2022_01: dict[str, int] = {
    "要支援1": 507, "要支援2": 592, "要介護1": 1041, "要介護2": 817, "要介護3": 606, "要介護4": 625, "要介護5": 392,
}
ANCHOR_MONTH = (2022, 1)

#: 全国 第1号被保険者 at each fiscal year's end, 万人 (total, of whom 65–74): close to the published
#: 年報 figures (e.g. FY2021 3,589万 = 前期 1,715万 + 後期 1,874万); the later years are invented.
NATIONAL_INSURED = {
    2016: (3440, 1768), 2017: (3488, 1746), 2018: (3525, 1730), 2019: (3555, 1726), 2020: (3579, 1740),
    2021: (3589, 1715), 2022: (3585, 1660), 2023: (3589, 1612), 2024: (3594, 1566), 2025: (3601, 1530),
    2026: (3607, 1500),
}
#: 全国 40–64歳, 万人, each fiscal year's end (invented, near the real level).
NATIONAL_40_64 = {fy: 4190 + 14 * (fy - 2016) for fy in range(2016, 2027)}
#: 全国 第1号 認定率 at the anchor month (end of January 2022), close to the real 18.9 %.
NATIONAL_RATE_2022_01 = 0.189
#: 東京都 第1号 認定率 at the anchor month (invented, near the real level of about 20 %).
TOKYO_RATE_2022_01 = 0.200

# --------------------------------------------------------------------------------------------
# Model settings (invented)
# --------------------------------------------------------------------------------------------

_BANDS = ("65～74", "75以上")
#: 認定率 by band and level at the anchor month, before an area's scaling.
_RATE_65 = 0.044 * np.array([0.17, 0.15, 0.20, 0.16, 0.11, 0.11, 0.10])
_RATE_75 = 0.330 * np.array([0.115, 0.13, 0.225, 0.18, 0.135, 0.14, 0.075])
#: yearly relative drift of the 認定率 by band (the 75+ band ages inside itself) and by level.
_DRIFT_BAND = np.array([-0.010, -0.008])
_DRIFT_LEVEL = np.array([0.004, 0.010, 0.012, 0.002, 0.0, -0.003, -0.012])
#: 第2号 認定者 per 40–64歳 resident, by level.
_RATE_2GO = 0.0033 * np.array([0.08, 0.12, 0.15, 0.21, 0.14, 0.13, 0.17])
#: Monthly use rates by level (recipients of a service month / 認定者 at the month's end).
_USE_HOME = np.array([0.40, 0.52, 0.74, 0.78, 0.66, 0.52, 0.42])
_USE_COMMUNITY = np.array([0.006, 0.010, 0.13, 0.15, 0.18, 0.16, 0.13])
_USE_FACILITY = np.array([0.0, 0.0, 0.025, 0.055, 0.22, 0.33, 0.42])
_USE_TREND = {"居宅": 0.004, "地域密着型": 0.010, "施設": 0.0}
#: Monthly 給付費 per recipient (yen) in April 2017, 全国 level, and its yearly growth.
_PER_CAPITA_2017 = {"居宅": 98_000.0, "地域密着型": 150_000.0, "施設": 265_000.0}
_PER_CAPITA_GROWTH = 0.010
#: 介護報酬改定 (service month from which it applies, rise).
_REVISIONS = (((2019, 10), 0.015), ((2021, 4), 0.007), ((2022, 10), 0.011), ((2024, 6), 0.016))
#: Shares of each group's 給付費 by service (normalised per area), and their yearly drift.
_HOME_SHARE = {
    "訪問介護": 0.17, "訪問入浴介護": 0.015, "訪問看護": 0.07, "訪問リハビリテーション": 0.012,
    "居宅療養管理指導": 0.035, "通所介護": 0.17, "通所リハビリテーション": 0.05, "短期入所生活介護": 0.05,
    "短期入所療養介護": 0.008, "福祉用具貸与": 0.075, "特定福祉用具購入費": 0.003, "住宅改修費": 0.006,
    "特定施設入居者生活介護": 0.17, "居宅介護支援": 0.11, "介護予防訪問入浴介護": 0.0002,
    "介護予防訪問看護": 0.009, "介護予防訪問リハビリテーション": 0.002, "介護予防居宅療養管理指導": 0.002,
    "介護予防通所リハビリテーション": 0.008, "介護予防短期入所生活介護": 0.0006, "介護予防短期入所療養介護": 0.0001,
    "介護予防福祉用具貸与": 0.012, "特定介護予防福祉用具購入費": 0.0015, "介護予防住宅改修費": 0.005,
    "介護予防特定施設入居者生活介護": 0.010, "介護予防支援": 0.010,
}
_COMMUNITY_SHARE = {
    "定期巡回・随時対応型訪問介護看護": 0.08, "夜間対応型訪問介護": 0.005, "地域密着型通所介護": 0.22,
    "認知症対応型通所介護": 0.06, "小規模多機能型居宅介護": 0.15, "認知症対応型共同生活介護": 0.35,
    "地域密着型特定施設入居者生活介護": 0.02, "地域密着型介護老人福祉施設入所者生活介護": 0.06,
    "看護小規模多機能型居宅介護": 0.04, "介護予防認知症対応型通所介護": 0.0005,
    "介護予防小規模多機能型居宅介護": 0.008, "介護予防認知症対応型共同生活介護": 0.001,
}
_SHARE_DRIFT = {
    "訪問看護": 0.03, "介護予防訪問看護": 0.02, "定期巡回・随時対応型訪問介護看護": 0.04,
    "看護小規模多機能型居宅介護": 0.05, "通所介護": -0.012, "特定施設入居者生活介護": 0.012,
    "福祉用具貸与": 0.008, "訪問介護": -0.004,
}
#: Services used less in the 2020 pandemic year (service months April 2020 – March 2021) and after.
_PANDEMIC_SERVICES = {
    "通所介護", "通所リハビリテーション", "短期入所生活介護", "短期入所療養介護", "地域密着型通所介護",
    "認知症対応型通所介護", "介護予防通所リハビリテーション", "介護予防短期入所生活介護",
    "介護予防短期入所療養介護", "介護予防認知症対応型通所介護",
}
#: 施設: monthly amount relative to the group's average, by facility.
_FACILITY_COST = {"介護老人福祉施設": 1.0, "介護老人保健施設": 1.05, "介護療養型医療施設": 1.30, "介護医療院": 1.32}
#: 地域区分 (unit price) of each kind of area, relative to 全国.
_LOCAL_PRICE = {"全国": 1.0, "区部": 1.09, "市部": 1.05, "町村部": 1.02, KOMAE_CODE: 1.06}
#: 住所地特例: 被保険者 / residents (65–74, 75+) of 狛江市.
_KOMAE_INSURED_ADJ = np.array([0.999, 1.005])

#: Service months in which 介護医療院 exists and 介護療養型医療施設 still exists.
_MEDICAL_CARE_HOSPITAL_FROM = (2018, 4)
_SANATORIUM_UNTIL = (2024, 2)


def _mi(year: int, month: int) -> int:
    """A month as one integer (for ranges and differences)."""
    return year * 12 + month - 1


def _ym(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def _years(ym: tuple[int, int]) -> float:
    """Years from the anchor month to the end of ``ym``."""
    return (_mi(*ym) - _mi(*ANCHOR_MONTH)) / 12.0


# --------------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Area:
    name: str  # as the report names it (insurers: the 区市町村 name)
    key: str  # 地域区分 key of _LOCAL_PRICE
    bands: np.ndarray  # (years of DEMO_DATES, 3): 40–64, 65–74, 75+ on each 1 January
    insured_adj: np.ndarray  # (2,)
    rate_scale: np.ndarray  # (7,) per level
    use_scale: dict[str, float]
    price: float
    shares_home: dict[str, float]
    shares_community: dict[str, float]


def _bands_from_age5(age5: np.ndarray) -> np.ndarray:
    """(years, 21, 2) 5-year classes → (years, 3): 40–64, 65–74, 75+."""
    both = age5.sum(axis=2)
    return np.stack([both[:, 8:13].sum(axis=1), both[:, 13:15].sum(axis=1), both[:, 15:].sum(axis=1)], axis=1)


def _interp_bands(bands: np.ndarray, ym: tuple[int, int]) -> np.ndarray:
    """The three bands at the end of month ``ym``, linear between the 1 January values (and with the
    last year's slope after the last one)."""
    t = ym[0] + ym[1] / 12.0
    years = np.array([d.year for d in DEMO_DATES], dtype=float)
    out = np.empty(3)
    for k in range(3):
        y = bands[:, k].astype(float)
        if t <= years[-1]:
            out[k] = np.interp(t, years, y)
        else:
            out[k] = y[-1] + (y[-1] - y[-2]) * (t - years[-1])
    return out


def _noisy_shares(base: dict[str, float], rng: np.random.Generator, sd: float) -> dict[str, float]:
    keys = sorted(base)  # a fixed order for the draws
    mult = np.exp(rng.normal(0.0, sd, size=len(keys)))
    return {k: base[k] * m for k, m in zip(keys, mult, strict=True)}


def _areas(pop: DemoPopulation, seed: int) -> list[_Area]:
    """狛江市, the other 25 市, and 区部 and 町村部 as single modelled areas."""
    out = []
    specs = [(KOMAE_CODE, "狛江市")] + [(s.code, s.name) for s in SHIBU_CITIES]
    specs += [(WARDS.code, "区部計"), (TOWNS.code, "町村部計")]
    for code, name in specs:
        rng = np.random.default_rng([seed, 70, int(code)])
        if code == KOMAE_CODE:
            bands = _bands_from_age5(pop.total_age5[KOMAE_CODE])
            adj = _KOMAE_INSURED_ADJ
        else:
            bands = _bands_from_age5(pop.total_age5[code])
            adj = np.array([1.0 + rng.normal(0, 0.001), 1.0 + abs(rng.normal(0.002, 0.002))])
        key = KOMAE_CODE if code == KOMAE_CODE else ("区部" if code == WARDS.code else
                                                     "町村部" if code == TOWNS.code else "市部")
        out.append(_Area(
            name=name,
            key=key,
            bands=bands,
            insured_adj=adj,
            rate_scale=np.exp(rng.normal(0.0, 0.06) + rng.normal(0.0, 0.04, size=7)),
            use_scale={g: float(np.exp(rng.normal(0.0, 0.07))) for g in ("居宅", "地域密着型", "施設")},
            price=_LOCAL_PRICE[key] * float(np.exp(rng.normal(0.0, 0.015))),
            shares_home=_noisy_shares(_HOME_SHARE, rng, 0.15),
            shares_community=_noisy_shares(_COMMUNITY_SHARE, rng, 0.25),
        ))
    return out


# --------------------------------------------------------------------------------------------
# The model: stocks at month ends, flows per service month
# --------------------------------------------------------------------------------------------


def _rate_path(ym: tuple[int, int]) -> np.ndarray:
    """(2, 7) 認定率 by band and level at the end of ``ym`` before an area's scaling."""
    y = _years(ym)
    base = np.stack([_RATE_65, _RATE_75])
    drift = np.exp(_DRIFT_BAND[:, None] * y + _DRIFT_LEVEL[None, :] * y)
    return base * drift


@dataclass
class _Stocks:
    insured: np.ndarray  # (2,) 65–74, 75+ (ints)
    cert1: np.ndarray  # (2, 7) 第1号 by band and level (ints)
    cert2: np.ndarray  # (7,) 第2号 by level (ints)


def _national_bands(ym: tuple[int, int], jitter: np.ndarray) -> np.ndarray:
    """全国 40–64, 65–74, 75+ (persons) at the end of ``ym``: linear between fiscal year ends (the
    万人 figures plus an invented remainder below 10,000, ``jitter``: (fiscal years, 3))."""
    t = _mi(*ym)
    fys = sorted(NATIONAL_INSURED)
    points = [_mi(fy + 1, 3) for fy in fys]
    total = np.interp(t, points, [NATIONAL_INSURED[f][0] * 10_000 + j[0] for f, j in zip(fys, jitter, strict=True)])
    young = np.interp(t, points, [NATIONAL_INSURED[f][1] * 10_000 + j[1] for f, j in zip(fys, jitter, strict=True)])
    mid = np.interp(t, points, [NATIONAL_40_64[f] * 10_000 + j[2] for f, j in zip(fys, jitter, strict=True)])
    return np.array([mid, young, total - young])


class CareModel:
    """The demo model for one seed: every area's stocks and flows, month by month."""

    def __init__(self, pop: DemoPopulation, seed: int) -> None:
        self.seed = seed
        self.areas = _areas(pop, seed)
        self.by_name = {a.name: a for a in self.areas}
        rng = np.random.default_rng([seed, 71])
        self.national_scale = np.exp(rng.normal(0.0, 0.02, size=7))
        self.national_use = {g: 1.0 for g in ("居宅", "地域密着型", "施設")}
        self.national_jitter = rng.integers(-4999, 5000, size=(len(NATIONAL_INSURED), 3))
        self._calibrate()

    # -- calibration -------------------------------------------------------------------------
    def _raw_cert1(self, bands: np.ndarray, adj: np.ndarray, scale: np.ndarray, ym: tuple[int, int]) -> np.ndarray:
        insured = bands[1:] * adj
        return insured[:, None] * _rate_path(ym) * scale[None, :]

    def _calibrate(self) -> None:
        """Komae's levels hit the real anchor exactly; the other Tokyo areas are scaled together to
        東京都's anchor rate; 全国 to the national anchor rate."""
        komae = self.by_name["狛江市"]
        raw = self._raw_cert1(_interp_bands(komae.bands, ANCHOR_MONTH), komae.insured_adj, komae.rate_scale,
                              ANCHOR_MONTH).sum(axis=0)
        target = np.array([KOMAE_CERTIFIED_2022_01[lv] for lv in LEVELS], dtype=float)
        self.komae_level_scale = target / raw
        others = [a for a in self.areas if a.name != "狛江市"]
        cert = sum(self._raw_cert1(_interp_bands(a.bands, ANCHOR_MONTH), a.insured_adj, a.rate_scale,
                                   ANCHOR_MONTH).sum() for a in others)
        insured = sum((_interp_bands(a.bands, ANCHOR_MONTH)[1:] * a.insured_adj).sum() for a in others)
        komae_cert = target.sum()
        komae_ins = (_interp_bands(komae.bands, ANCHOR_MONTH)[1:] * komae.insured_adj).sum()
        self.tokyo_factor = (TOKYO_RATE_2022_01 * (insured + komae_ins) - komae_cert) / cert
        nat = _national_bands(ANCHOR_MONTH, self.national_jitter)
        raw_nat = (nat[1:, None] * _rate_path(ANCHOR_MONTH) * self.national_scale[None, :]).sum()
        self.national_factor = NATIONAL_RATE_2022_01 * nat[1:].sum() / raw_nat

    def _scale(self, area: _Area | None) -> np.ndarray:
        if area is None:
            return self.national_scale * self.national_factor
        if area.name == "狛江市":
            return area.rate_scale * self.komae_level_scale
        return area.rate_scale * self.tokyo_factor

    def _area(self, name: str) -> _Area | None:
        """A modelled area by name; None for 全国 (the national series)."""
        return None if name == "全国" else self.by_name[name]

    # -- stocks ------------------------------------------------------------------------------
    def cert1_float(self, name: str, ym: tuple[int, int]) -> np.ndarray:
        """(2, 7) 第1号 認定者 by band and level, before rounding (狛江市 at the anchor month: the real
        figures exactly, up to floating point)."""
        area = self._area(name)
        bands = _national_bands(ym, self.national_jitter) if area is None else _interp_bands(area.bands, ym)
        adj = np.ones(2) if area is None else area.insured_adj
        return self._raw_cert1(bands, adj, self._scale(area), ym)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one model per seed, kept for the run
    def stocks(self, name: str, ym: tuple[int, int]) -> _Stocks:
        """Integer stocks at the end of ``ym`` (name: an area of the model, or 全国)."""
        area = self._area(name)
        bands = _national_bands(ym, self.national_jitter) if area is None else _interp_bands(area.bands, ym)
        adj = np.ones(2) if area is None else area.insured_adj
        insured = np.round(bands[1:] * adj).astype(np.int64)
        cert = self.cert1_float(name, ym)
        level_totals = np.round(cert.sum(axis=0)).astype(np.int64)
        cert1 = largest_remainder(level_totals, cert.T).T  # bands add up to each level's total
        rate2 = _RATE_2GO * (1.0 if area is None else float(area.rate_scale.mean()))
        cert2 = np.round(bands[0] * rate2).astype(np.int64)
        return _Stocks(insured, cert1, cert2)

    # -- flows (one service month) -------------------------------------------------------------
    @functools.lru_cache(maxsize=4096)  # noqa: B019
    def flows(self, name: str, ym: tuple[int, int]) -> dict[tuple[str, str, str], float | None]:
        """Recipients (persons) and 給付費 (yen) of one service month: keys (table, category, item);
        None where the service does not exist that month."""
        area = self._area(name)
        st = self.stocks(name, ym)
        c1 = st.cert1.sum(axis=0).astype(float)
        c2 = st.cert2.astype(float)
        y = _years(ym)
        pandemic = 1.0
        if _mi(2020, 4) <= _mi(*ym) <= _mi(2021, 3):
            pandemic = 0.97
        elif _mi(2021, 4) <= _mi(*ym) <= _mi(2022, 3):
            pandemic = 0.99
        use_scale = self.national_use if area is None else area.use_scale
        out: dict[tuple[str, str, str], float | None] = {}
        recipients: dict[str, float] = {}
        for group, table, rates in (("居宅", "居宅サービス受給者", _USE_HOME),
                                    ("地域密着型", "地域密着型サービス受給者", _USE_COMMUNITY)):
            factor = use_scale[group] * np.exp(_USE_TREND[group] * y) * (pandemic if group == "居宅" else 1.0)
            r1 = np.round(c1 * rates * factor)
            r2 = np.round(c2 * rates * factor)
            for i, lv in enumerate(LEVELS):
                out[(table, "第1号", lv)] = float(r1[i])
                out[(table, "第2号", lv)] = float(r2[i])
                out[(table, "総数", lv)] = float(r1[i] + r2[i])
            out[(table, "第1号", TOTAL)] = float(r1.sum())
            out[(table, "第2号", TOTAL)] = float(r2.sum())
            out[(table, "総数", TOTAL)] = float(r1.sum() + r2.sum())
            recipients[group] = float(r1.sum() + r2.sum())
        # 施設: by facility (介護療養型医療施設 winds down to its abolition; 介護医療院 grows from 2018)
        fac1 = float((c1 * _USE_FACILITY).sum() * use_scale["施設"])
        fac2 = float((c2 * _USE_FACILITY).sum() * use_scale["施設"])
        t = _mi(*ym)
        sanatorium = max(0.0, 0.07 * (_mi(*_SANATORIUM_UNTIL) - t) / (_mi(*_SANATORIUM_UNTIL) - _mi(2017, 3)))
        has_hospital = t >= _mi(*_MEDICAL_CARE_HOSPITAL_FROM)
        has_sanatorium = t <= _mi(*_SANATORIUM_UNTIL)
        hospital = min(0.09, 0.015 + 0.075 * (t - _mi(2018, 4)) / 72) if has_hospital else 0.0
        rest = 1.0 - sanatorium - hospital
        shares = {"介護老人福祉施設": rest * 0.61, "介護老人保健施設": rest * 0.39,
                  "介護療養型医療施設": sanatorium, "介護医療院": hospital}
        exists = {"介護療養型医療施設": has_sanatorium, "介護医療院": has_hospital}
        for cat, total in (("第1号", fac1), ("第2号", fac2)):
            counts = {f: float(np.round(total * shares[f])) for f in FACILITIES}
            for f in FACILITIES:
                out[("施設サービス受給者", cat, f)] = counts[f] if exists.get(f, True) else None
            out[("施設サービス受給者", cat, TOTAL)] = float(sum(counts.values()))
        for f in (*FACILITIES, TOTAL):
            a, b = out[("施設サービス受給者", "第1号", f)], out[("施設サービス受給者", "第2号", f)]
            out[("施設サービス受給者", "総数", f)] = None if a is None else a + b
        recipients["施設"] = out[("施設サービス受給者", "総数", TOTAL)]
        # 給付費 (yen)
        price = (1.0 if area is None else area.price) * (1 + _PER_CAPITA_GROWTH) ** ((_mi(*ym) - _mi(2017, 4)) / 12)
        for since, rise in _REVISIONS:
            if t >= _mi(*since):
                price *= 1 + rise
        noise = np.random.default_rng([self.seed, 72, t, sum(map(ord, name))]).normal(0.0, 0.01, size=3)
        for k, (group, base_shares) in enumerate((
            ("居宅", _HOME_SHARE if area is None else area.shares_home),
            ("地域密着型", _COMMUNITY_SHARE if area is None else area.shares_community),
        )):
            drifted = {s: v * np.exp(_SHARE_DRIFT.get(s, 0.0) * y) for s, v in base_shares.items()}
            norm = sum(drifted.values())
            amount = recipients[group] * _PER_CAPITA_2017[group] * price * (1 + noise[k])
            for s, v in drifted.items():
                dip = pandemic ** 3 if s in _PANDEMIC_SERVICES else 1.0
                out[("給付費", group, s)] = amount * v / norm * dip
        for f in FACILITIES:
            n = out[("施設サービス受給者", "総数", f)]
            out[("給付費", "施設", f)] = None if n is None else \
                n * _PER_CAPITA_2017["施設"] * price * _FACILITY_COST[f] * (1 + noise[2])
        return out


# --------------------------------------------------------------------------------------------
# Periods → cell values (integers; None for 「－」)
# --------------------------------------------------------------------------------------------

Values = dict[tuple[str, str, str], int | None]


def _stock_values(st: _Stocks) -> Values:
    out: Values = {}
    ins = [int(x) for x in st.insured]
    out[("第1号被保険者", "第1号", "65歳以上75歳未満")] = ins[0]
    out[("第1号被保険者", "第1号", "75歳以上")] = ins[1]
    out[("第1号被保険者", "第1号", TOTAL)] = sum(ins)
    cat = "認定者"
    for i, lv in enumerate(LEVELS):
        a, b, c = int(st.cert1[0, i]), int(st.cert1[1, i]), int(st.cert2[i])
        out[(cat, "第1号65～74歳", lv)] = a
        out[(cat, "第1号75歳以上", lv)] = b
        out[(cat, "第1号", lv)] = a + b
        out[(cat, "第2号", lv)] = c
        out[(cat, "総数", lv)] = a + b + c
    for block in ("第1号65～74歳", "第1号75歳以上", "第1号", "第2号", "総数"):
        out[(cat, block, TOTAL)] = sum(out[(cat, block, lv)] for lv in LEVELS)  # type: ignore[misc]
    return out


def _sum_flows(parts: list[dict[tuple[str, str, str], float | None]]) -> dict[tuple[str, str, str], float | None]:
    out: dict[tuple[str, str, str], float | None] = {}
    for key in parts[0]:
        vals = [p[key] for p in parts]
        known = [v for v in vals if v is not None]
        out[key] = sum(known) if known else None
    return out


def _flow_values(flows: dict[tuple[str, str, str], float | None]) -> Values:
    """Persons as integers; 給付費 yen → 千円 per cell, 小計 and 合計 rounded from the yen."""
    out: Values = {}
    for key, v in flows.items():
        if key[0] != "給付費":
            out[key] = None if v is None else int(round(v))
    groups = {"居宅": service_columns(HOME_SERVICES), "地域密着型": service_columns(COMMUNITY_SERVICES),
              "施設": FACILITIES}
    grand = 0.0
    for group, items in groups.items():
        subtotal = 0.0
        for s in items:
            v = flows[("給付費", group, s)]
            out[("給付費", group, s)] = None if v is None else int(round(v / 1000))
            subtotal += v or 0.0
        out[("給付費", group, SUBTOTAL)] = int(round(subtotal / 1000))
        grand += subtotal
    out[("給付費", GRAND_TOTAL, GRAND_TOTAL)] = int(round(grand / 1000))
    return out


def _service_months_annual(fy: int) -> list[tuple[int, int]]:
    """The 年報's service months: March of the year to February of the next (「3月～2月サービス分」)."""
    start = _mi(fy, 3)
    return [_ym(start + k) for k in range(12)]


def _service_month_monthly(year: int, month: int) -> tuple[int, int]:
    """The 月報's service month: two months before the report month (現物給付)."""
    return _ym(_mi(year, month) - 2)


def _add(values: list[Values]) -> Values:
    out: Values = {}
    for key in values[0]:
        vals = [v[key] for v in values]
        out[key] = None if all(v is None for v in vals) else sum(v or 0 for v in vals)
    return out


# --------------------------------------------------------------------------------------------
# Rows of one file
# --------------------------------------------------------------------------------------------


def _area_values(model: CareModel, name: str, kind: str, period: tuple[int, int]) -> tuple[Values, dict]:
    """(values with 給付費 in 千円, the raw flows) of one modelled area (or 全国) for one period."""
    if kind == ANNUAL:
        fy = period[0]
        stock_at = (fy + 1, 3)
        flows = _sum_flows([model.flows(name, ym) for ym in _service_months_annual(fy)])
    else:
        stock_at = period
        flows = model.flows(name, _service_month_monthly(*period))
    values = _stock_values(model.stocks(name, stock_at))
    values.update(_flow_values(flows))
    return values, flows


def file_rows(model: CareModel, kind: str, period: tuple[int, int]) -> list[tuple[str, Values]]:
    """(area name, values) in the file's row order: 全国, 東京都計, 区部計, 市部計, the 26 市 in code
    order, 町村部計."""
    cities = [a.name for a in model.areas if a.key in ("市部", KOMAE_CODE)]
    codes = {a.name: a.code for a in tokyo_areas().values() if a.level == 4}
    cities.sort(key=lambda n: codes[n])
    raw = {a.name: _area_values(model, a.name, kind, period) for a in model.areas}
    national, _ = _area_values(model, "全国", kind, period)

    def aggregate(names: list[str]) -> Values:
        people = _add([raw[n][0] for n in names])
        flows = _sum_flows([raw[n][1] for n in names])
        money = _flow_values(flows)
        people.update({k: v for k, v in money.items() if k[0] == "給付費"})
        return people

    shibu = aggregate(cities)
    ku, towns = raw["区部計"][0], raw["町村部計"][0]
    tokyo = aggregate(["区部計", "町村部計", *cities])
    rows = [("全国", national), ("東京都計", tokyo), ("区部計", ku), ("市部計", shibu)]
    rows += [(n, raw[n][0]) for n in cities]
    rows.append(("町村部計", towns))
    return rows


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------

DEMO_FOOTER = "デモデータ：実在の統計ではありません（komae_analysis.demo が生成した架空の値）"


def _shown_name(name: str) -> str:
    """Insurer names as tables print them: three-character names spaced out with full-width spaces
    (「狛　江　市」), as many Japanese tables do; the reader removes them."""
    return "\u3000".join(name) if len(name) == 3 and name.endswith(("市", "区")) else name


def _timing(spec: SheetSpec, kind: str, period: tuple[int, int]) -> str:
    stock = spec.table in ("第1号被保険者", "認定者")
    if kind == ANNUAL:
        fy = period[0]
        if stock:
            return f"{wareki_date(dt.date(fy + 1, 3, 31), day=False)}末現在"
        first, last = _service_months_annual(fy)[0], _service_months_annual(fy)[-1]
        return (f"{wareki_date(dt.date(*first, 1), day=False)}～{wareki_date(dt.date(*last, 1), day=False)}"
                "サービス分の累計")
    if stock:
        return f"{wareki_date(dt.date(*period, 1), day=False)}末現在"
    sm = _service_month_monthly(*period)
    return f"現物給付　{wareki_date(dt.date(*sm, 1), day=False)}サービス分"


def _title(kind: str, period: tuple[int, int]) -> str:
    if kind == ANNUAL:
        return f"{REPORT_NAME}（{ANNUAL}）　{wareki_fy(period[0])}"
    return f"{REPORT_NAME}（{MONTHLY}）　{wareki_date(dt.date(*period, 1), day=False)}分"


def workbook(model: CareModel, kind: str, period: tuple[int, int]):
    """One report's workbook (every sheet of :data:`~komae_analysis.ingest.care_insurance.SHEETS`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = file_rows(model, kind, period)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        width = 1 + sum(len(b.items) for b in spec.blocks)
        ws["A1"] = _title(kind, period)
        ws["A1"].font = bold
        ws["A2"] = f"{spec.title}（{_timing(spec, kind, period)}）"
        unit_cell = ws.cell(row=3, column=width, value=f"（単位：{spec.unit}）")
        unit_cell.alignment = Alignment(horizontal="right")
        ws.cell(row=4, column=1, value=NAME_HEADER)
        ws.merge_cells(start_row=4, start_column=1, end_row=5, end_column=1)
        col = 2
        for block in spec.blocks:
            ws.cell(row=4, column=col, value=block.label)
            if block.items == (block.label,):  # merged down both rows (合計)
                ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
            else:
                if len(block.items) > 1:
                    ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + len(block.items) - 1)
                for k, item in enumerate(block.items):
                    ws.cell(row=5, column=col + k, value=item)
            col += len(block.items)
        for r in (4, 5):
            for c in range(1, width + 1):
                ws.cell(row=r, column=c).font = bold
                ws.cell(row=r, column=c).alignment = center
        for i, (name, values) in enumerate(rows):
            r = 6 + i
            ws.cell(row=r, column=1, value=_shown_name(name))
            c = 2
            for block in spec.blocks:
                for item in block.items:
                    v = values[(spec.table, block.key, item)]
                    cell = ws.cell(row=r, column=c, value="－" if v is None else int(v))
                    if v is None:
                        cell.alignment = Alignment(horizontal="right")
                    else:
                        cell.number_format = "#,##0"
                    c += 1
        foot = 6 + len(rows) + 1
        ws.cell(row=foot, column=1, value="注：被保険者数・認定者数は期末現在。受給者数・給付費は現物給付分（"
                                          + ("年度累計" if kind == ANNUAL else "当月の報告分") + "）。")
        ws.cell(row=foot + 1, column=1, value=DEMO_FOOTER)
        ws.column_dimensions["A"].width = 12
        for c in range(2, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 11
        ws.freeze_panes = "B6"
    return wb


@functools.lru_cache(maxsize=2)
def model(seed: int) -> CareModel:
    return CareModel(simulate(seed), seed)


def periods() -> list[tuple[str, tuple[int, int], str]]:
    """(kind, period, file name) of every demo file: the 年報 of FY2017–FY2025, then the 月報."""
    out = [(ANNUAL, (fy, 0), annual_filename(fy)) for fy in ANNUAL_YEARS]
    out += [(MONTHLY, ym, monthly_filename(*ym)) for ym in MONTHS]
    return out


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    m = model(seed)
    written = []
    for kind, period, name in periods():
        data = workbook_bytes(workbook(m, kind, period))
        written.append(write_bytes_atomic(Path(out_dir) / CARE_DIR / name, data))
    return written


__all__ = ["ANNUAL_YEARS", "CARE_DIR", "KOMAE_CERTIFIED_2022_01", "MONTHS", "CareModel", "model", "month_end", "write"]
