"""The demo disability model: 障害者手帳 holders and 自立支援医療・難病 recipients, FY2017–FY2025
(each 年度末, 31 March), shared by the city's workbook (:mod:`~komae_analysis.demo.city_disability`)
and the 東京都 年報 tables (:mod:`~komae_analysis.demo.tokyo_disability`), so that 狛江市's row in
the 東京都 tables equals the city's own figures.

Everything here is INVENTED demo data, calibrated on a few real published figures (listed in
data/raw/README.md):

- 東京都 holders at the end of October 2023 (東京都「障害者の生活実態」令和5年度調査 報告書, from
  the 福祉局・保健医療局 月報): 身体障害者手帳 487,944; 愛の手帳 102,531; 精神障害者保健福祉手帳
  156,914; 東京都難病医療費助成 109,429. The demo's 東京都 totals at the end of FY2023 are within 1 %
  of the three 手帳 figures; the other years follow invented paths (身体 flat, 愛の手帳 +2 % a year,
  精神 +6 to 7 % a year).
- 狛江市 ≈ 0.6 % of 東京都's population: at the end of FY2023 身体 ≈ 2,900, 愛の手帳 ≈ 600,
  精神 ≈ 950 (the 東京都 figures × Komae's share), 自立支援医療（精神通院） about twice the 精神
  手帳, 難病 ≈ 0.6 % of 東京都's.
- Shares by 障害種別 of 身体 (東京都 at the end of FY2021, 厚生労働省「福祉行政報告例」): 視覚 8 %,
  聴覚・平衡 10 %, 音声・言語・そしゃく 1 %, 肢体不自由 49 %, 内部 31 %; 愛の手帳 18歳未満 14 %
  (same source, 療育手帳).

狛江市's holders are drawn per 年齢区分 (18歳未満 / 18～64歳 / 65歳以上) from paths of totals and
age shares, then split over 障害種別 × 等級 (身体), 程度 (愛の手帳), 等級 (精神) and 疾病区分 (難病)
by largest remainders of weights that drift slowly (内部障害 and 4度 and 3級 gaining), with small
fixed noise. Each age band stays well below the demo population of that band on the 1 January of
the same fiscal year (:func:`~komae_analysis.demo.population_model.simulate`). The other areas of
the 東京都 tables share 東京都's total minus 狛江市 in proportion to their demo population (身体
tilted by their share of people aged 65 and over), with the same breakdowns; 区部 = 世田谷区 + the
other 22 区 (not listed), 市部 = its 26 市, 総数 = 区部 + 市部 + 町村部, cell by cell.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from komae_analysis.demo.population_model import DEMO_DATES, KOMAE_CODE, SETAGAYA, largest_remainder, simulate
from komae_analysis.ingest.disability_common import (
    NANBYO_KINDS,
    NOT_APPLICABLE,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
)

#: The fiscal years of the demo (year ends 31 March 2018 … 31 March 2026).
FISCAL_YEARS: tuple[int, ...] = tuple(range(2017, 2026))
N_YEARS = len(FISCAL_YEARS)
#: Fiscal years whose 難病 recipients the city did not count by age (「…」 in its workbook).
NANBYO_AGES_NOT_COMPILED: tuple[int, ...] = (2017, 2018)

# ------------------------------------------------------------------------- 狛江市's paths

# Totals at each 年度末 (invented paths through the calibration points, FY2023 marked).
SHINTAI_TOTAL = (2961, 2952, 2944, 2937, 2925, 2910, 2899, 2886, 2874)  # FY2023 ≈ 2,900
AI_TOTAL = (538, 549, 561, 572, 583, 592, 603, 615, 626)  # FY2023 ≈ 600
SEISHIN_TOTAL = (655, 697, 742, 790, 838, 893, 951, 1006, 1063)  # FY2023 ≈ 950
JIRITSU_TOTAL = (1395, 1462, 1534, 1611, 1683, 1761, 1842, 1926, 2010)
# 難病: up until FY2020, when 受給者証 expiring in the pandemic were extended a year, down the year
# after, then up again.
NANBYO_TOTAL = (588, 603, 621, 668, 640, 651, 664, 677, 691)

# Shares of 18歳未満 and 65歳以上 at FY2017 and FY2025 (linear between); 18～64歳 is the rest.
AGE_SHARES = {
    "身体": ((0.019, 0.017), (0.701, 0.725)),
    "愛": ((0.215, 0.235), (0.070, 0.085)),
    "精神": ((0.015, 0.026), (0.128, 0.138)),
    "自立": ((0.032, 0.045), (0.160, 0.170)),
    "難病": ((0.012, 0.012), (0.470, 0.510)),
}

# 身体: 障害種別 weights by age band (18歳未満, 18～64歳, 65歳以上), and their drift a year.
SHINTAI_KIND_WEIGHTS = np.array([
    [0.05, 0.12, 0.010, 0.55, 0.27],
    [0.09, 0.09, 0.015, 0.50, 0.305],
    [0.075, 0.11, 0.010, 0.44, 0.365],
])
SHINTAI_KIND_DRIFT = np.array([0.0, 0.0, 0.0, -0.012, 0.014])  # log-weight a year: 内部 up, 肢体 down
# 等級 weights within each 障害種別 (0 where the 種別 has no such 等級).
SHINTAI_GRADE_WEIGHTS = {
    "視覚障害": (0.32, 0.30, 0.07, 0.09, 0.12, 0.10),
    "聴覚・平衡機能障害": (0.0, 0.22, 0.20, 0.25, 0.01, 0.32),
    "音声・言語・そしゃく機能障害": (0.0, 0.0, 0.55, 0.45, 0.0, 0.0),
    "肢体不自由": (0.20, 0.22, 0.22, 0.24, 0.08, 0.04),
    "内部障害": (0.62, 0.0, 0.14, 0.24, 0.0, 0.0),
}
# 愛の手帳: 程度 weights by age band; 4度 (軽度) gains.
AI_GRADE_WEIGHTS = np.array([[0.03, 0.18, 0.22, 0.57], [0.05, 0.27, 0.30, 0.38], [0.06, 0.30, 0.36, 0.28]])
AI_GRADE_DRIFT = np.array([0.0, -0.01, 0.0, 0.02])
# 精神: 等級 weights (all ages); 3級 gains.
SEISHIN_GRADE_WEIGHTS = np.array([0.07, 0.57, 0.36])
SEISHIN_GRADE_DRIFT = np.array([-0.04, 0.0, 0.035])
# 難病: share of 都単独疾病 (FY2017 → FY2025; some of them became 指定難病).
NANBYO_TOKYO_ONLY = (0.085, 0.070)

# ------------------------------------------------------------------------- 東京都's totals

TOKYO_TOTAL = {
    "身体": (481200, 483900, 485800, 486900, 486300, 487200, 488100, 487600, 486900),  # FY2023 vs 487,944
    "愛": (89700, 91800, 93900, 95900, 98000, 100100, 102700, 105000, 107300),  # FY2023 vs 102,531
    "精神": (104800, 112700, 121300, 130100, 138900, 147800, 157500, 166900, 176200),  # FY2023 vs 156,914
}
# 東京都-wide shares of the 障害種別 (身体) and their drift, 愛の手帳 18歳未満 share, 程度 by age, 精神 等級.
TOKYO_KIND_WEIGHTS = np.array([0.083, 0.103, 0.010, 0.490, 0.314])
TOKYO_AI_CHILD = 0.145
TOKYO_AI_GRADES = np.array([[0.03, 0.17, 0.22, 0.58], [0.05, 0.27, 0.31, 0.37]])
TOKYO_SEISHIN_GRADES = np.array([0.075, 0.56, 0.365])


@dataclass(frozen=True)
class DemoDisability:
    """The generated integers. Year axis = FISCAL_YEARS; age bands (18歳未満, 18～64歳, 65歳以上)."""

    shintai: np.ndarray  # (years, 5 種別, 6 等級, 3 bands), 0 where a 種別 has no such 等級
    ai: np.ndarray  # (years, 4 程度, 3 bands)
    seishin: np.ndarray  # (years, 3 等級, 3 bands)
    jiritsu: np.ndarray  # (years, 3 bands)
    nanbyo: np.ndarray  # (years, 2 疾病区分, 3 bands)
    population: np.ndarray  # (years, 3 bands): 狛江市 on 1 January of each fiscal year
    areas: list[tuple[str, str]]  # (code, name) of the 東京都 table rows, in order
    tokyo_shintai: dict[str, np.ndarray]  # code → (years, 5 種別, 6 等級)
    tokyo_ai: dict[str, np.ndarray]  # code → (years, 4 程度, 2 ages: 18歳未満, 18歳以上)
    tokyo_seishin: dict[str, np.ndarray]  # code → (years, 3 等級)


def _interp(first: float, last: float) -> np.ndarray:
    return np.linspace(first, last, N_YEARS)


def _bands(totals: tuple[int, ...], shares: tuple[tuple[float, float], tuple[float, float]],
           rng: np.random.Generator) -> np.ndarray:
    """(years, 3) integers: each year's total over 18歳未満 / 18～64歳 / 65歳以上."""
    child = _interp(*shares[0]) * np.exp(rng.normal(0, 0.03, N_YEARS))
    old = _interp(*shares[1]) * np.exp(rng.normal(0, 0.005, N_YEARS))
    weights = np.stack([child, 1.0 - child - old, old], axis=1)
    return largest_remainder(np.asarray(totals), weights)


def _split(counts: np.ndarray, base: np.ndarray, drift: np.ndarray, rng: np.random.Generator,
           sigma: float = 0.04) -> np.ndarray:
    """Split (years,) counts over categories: weights ``base`` × exp(drift × years) × fixed noise ×
    a little yearly noise; returns (years, categories)."""
    t = np.arange(N_YEARS)[:, None]
    fixed = np.exp(rng.normal(0, sigma, base.shape))
    yearly = np.exp(rng.normal(0, 0.015, (N_YEARS, base.shape[-1])))
    weights = base[None, :] * fixed[None, :] * np.exp(drift[None, :] * t) * yearly
    return largest_remainder(counts, weights)


def _komae_population(seed: int) -> np.ndarray:
    """狛江市 on 1 January of each fiscal year (FY2017 → 1 January 2018): (years, 3 bands)."""
    pop = simulate(seed)
    index = {d.year: i for i, d in enumerate(DEMO_DATES)}
    out = np.zeros((N_YEARS, 3), dtype=np.int64)
    for y, fy in enumerate(FISCAL_YEARS):
        by_age = pop.register[index[fy + 1]].sum(axis=(0, 2))
        out[y] = (by_age[:18].sum(), by_age[18:65].sum(), by_age[65:].sum())
    return out


def _komae(seed: int) -> dict[str, np.ndarray]:
    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, 7100 + stream])

    out: dict[str, np.ndarray] = {}
    # 身体: bands → 種別 → 等級
    bands = _bands(SHINTAI_TOTAL, AGE_SHARES["身体"], rng(1))
    grade_w = np.array([SHINTAI_GRADE_WEIGHTS[k] for k in SHINTAI_KINDS])
    shintai = np.zeros((N_YEARS, len(SHINTAI_KINDS), len(SHINTAI_GRADES), 3), dtype=np.int64)
    for b in range(3):
        kinds = _split(bands[:, b], SHINTAI_KIND_WEIGHTS[b], SHINTAI_KIND_DRIFT, rng(10 + b))
        for k in range(len(SHINTAI_KINDS)):
            shintai[:, k, :, b] = _split(kinds[:, k], grade_w[k], np.zeros(len(SHINTAI_GRADES)), rng(20 + 5 * b + k))
    for k, kind in enumerate(SHINTAI_KINDS):
        for g, grade in enumerate(SHINTAI_GRADES):
            if grade in NOT_APPLICABLE.get(kind, ()):
                assert not shintai[:, k, g].any()
    out["身体"] = shintai
    # 愛の手帳: bands → 程度
    bands = _bands(AI_TOTAL, AGE_SHARES["愛"], rng(2))
    out["愛"] = np.stack([_split(bands[:, b], AI_GRADE_WEIGHTS[b], AI_GRADE_DRIFT, rng(40 + b)) for b in range(3)],
                        axis=-1)
    # 精神: bands → 等級
    bands = _bands(SEISHIN_TOTAL, AGE_SHARES["精神"], rng(3))
    out["精神"] = np.stack([_split(bands[:, b], SEISHIN_GRADE_WEIGHTS, SEISHIN_GRADE_DRIFT, rng(50 + b))
                          for b in range(3)], axis=-1)
    out["自立"] = _bands(JIRITSU_TOTAL, AGE_SHARES["自立"], rng(4))
    # 難病: bands → 疾病区分 (都単独疾病 share falling)
    bands = _bands(NANBYO_TOTAL, AGE_SHARES["難病"], rng(5))
    tokyo_only = _interp(*NANBYO_TOKYO_ONLY)
    nanbyo = np.zeros((N_YEARS, len(NANBYO_KINDS), 3), dtype=np.int64)
    for b in range(3):
        weights = np.stack([1.0 - tokyo_only, tokyo_only], axis=1) * np.exp(rng(60 + b).normal(0, 0.05, 2))
        nanbyo[:, :, b] = largest_remainder(bands[:, b], weights)
    out["難病"] = nanbyo
    return out


def _tokyo(seed: int, komae: dict[str, np.ndarray]) -> tuple[list[tuple[str, str]], dict, dict, dict]:
    """The 東京都 tables' areas and cells: 東京都's totals less 狛江市 shared by the other areas."""
    pop = simulate(seed)
    index = {d.year: i for i, d in enumerate(DEMO_DATES)}
    years = [index[fy + 1] for fy in FISCAL_YEARS]
    areas = [(code, name) for _level, code, name in pop.areas]
    codes = [c for c, _ in areas]
    # leaves: every listed 市, 世田谷区, the unlisted rest of 区部, 町村部 (aggregates are sums of them)
    rest = "13100-rest"
    totals = {c: pop.total_age5[c][years].sum(axis=(1, 2)).astype(float) for c in codes}
    aged = {c: pop.total_age5[c][years][:, 13:].sum(axis=(1, 2)) / totals[c] for c in codes}
    child = {c: (pop.total_age5[c][years][:, :3].sum(axis=(1, 2))
                 + 0.6 * pop.total_age5[c][years][:, 3].sum(axis=1)) / totals[c] for c in codes}
    totals[rest] = totals["13100"] - totals[SETAGAYA.code]
    aged[rest], child[rest] = aged["13100"], child["13100"]
    leaves = [c for c in codes if c.startswith("132") and c != "13200"] + [SETAGAYA.code, rest, "13550"]
    others = [c for c in leaves if c != KOMAE_CODE]
    rng = np.random.default_rng([seed, 7300])
    factor = {c: np.exp(rng.normal(0, 0.08, 3)) for c in others}
    tokyo_aged = aged["13000"]

    def share_out(key: str, k_total: np.ndarray, weight) -> dict[str, np.ndarray]:
        remaining = np.asarray(TOKYO_TOTAL[key]) - k_total
        w = np.stack([weight(c) for c in others], axis=1)  # (years, areas)
        alloc = largest_remainder(remaining, w)
        return {c: alloc[:, i] for i, c in enumerate(others)}

    s_tot = share_out("身体", komae["身体"].sum(axis=(1, 2, 3)),
                      lambda c: totals[c] * (aged[c] / tokyo_aged) ** 0.7 * factor[c][0])
    a_tot = share_out("愛", komae["愛"].sum(axis=(1, 2)), lambda c: totals[c] * factor[c][1])
    p_tot = share_out("精神", komae["精神"].sum(axis=(1, 2)), lambda c: totals[c] * factor[c][2])

    grade_w = np.array([SHINTAI_GRADE_WEIGHTS[k] for k in SHINTAI_KINDS])
    shintai: dict[str, np.ndarray] = {}
    ai: dict[str, np.ndarray] = {}
    seishin: dict[str, np.ndarray] = {}
    for i, c in enumerate(others):
        r = np.random.default_rng([seed, 7400 + i])
        kinds = _split(s_tot[c], TOKYO_KIND_WEIGHTS, SHINTAI_KIND_DRIFT, r, sigma=0.05)
        shintai[c] = np.stack([_split(kinds[:, k], grade_w[k], np.zeros(6), r, sigma=0.03)
                               for k in range(len(SHINTAI_KINDS))], axis=1)
        child_share = np.clip(TOKYO_AI_CHILD * child[c] / child["13000"], 0.05, 0.4)
        ages = largest_remainder(a_tot[c], np.stack([child_share, 1 - child_share], axis=1))
        ai[c] = np.stack([_split(ages[:, a], TOKYO_AI_GRADES[a], AI_GRADE_DRIFT, r, sigma=0.05) for a in range(2)],
                         axis=-1)
        seishin[c] = _split(p_tot[c], TOKYO_SEISHIN_GRADES, SEISHIN_GRADE_DRIFT, r, sigma=0.05)
    shintai[KOMAE_CODE] = komae["身体"].sum(axis=3)
    k_ai = komae["愛"]
    ai[KOMAE_CODE] = np.stack([k_ai[:, :, 0], k_ai[:, :, 1] + k_ai[:, :, 2]], axis=-1)
    seishin[KOMAE_CODE] = komae["精神"].sum(axis=2)
    shibu = [c for c in codes if c.startswith("132") and c != "13200"]
    for cells in (shintai, ai, seishin):
        cells["13100"] = cells[SETAGAYA.code] + cells.pop(rest)
        cells["13200"] = sum(cells[c] for c in shibu)
        cells["13000"] = cells["13100"] + cells["13200"] + cells["13550"]
    return areas, shintai, ai, seishin


@functools.lru_cache(maxsize=2)
def simulate_disability(seed: int) -> DemoDisability:
    """Run the demo disability model (deterministic for a given seed)."""
    komae = _komae(seed)
    areas, shintai, ai, seishin = _tokyo(seed, komae)
    return DemoDisability(
        shintai=komae["身体"], ai=komae["愛"], seishin=komae["精神"], jiritsu=komae["自立"], nanbyo=komae["難病"],
        population=_komae_population(seed), areas=areas, tokyo_shintai=shintai, tokyo_ai=ai,
        tokyo_seishin=seishin,
    )


__all__ = ["FISCAL_YEARS", "NANBYO_AGES_NOT_COMPILED", "DemoDisability", "simulate_disability"]
