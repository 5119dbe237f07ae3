"""Demo 令和2年国勢調査 人口等基本集計 第10表 (``census_households/census2020_b10_setai_kazokuruikei.xlsx``,
sheet ``b10``), in the e-Stat layout :mod:`komae_analysis.ingest.census_households` reads
(data/raw/README.md): title lines, the header band on rows 5–10 (一般世帯数 / 世帯の家族類型 / level /
``0_総数`` … ``R3_（再掲）65歳以上の単独世帯`` / 世帯 / the id columns), then per area the 総数 row and
世帯人員が1人 … 7人以上, ``-`` for zero. A3 says the file is demo data.

INVENTED data calibrated on real figures: 狛江市's 一般世帯 42,578, 単独世帯 20,347, 65歳以上の単独世帯
5,196 and 夫65歳以上・妻60歳以上の夫婦のみの世帯 3,820 are the real ones; its other family types and all
other areas are invented from 東京都's real composition (the ratios below, taken from the real 東京都
row) tilted by each area's 高齢化率 in the demo population, with a little noise. Every area's
households follow from its demo population on 1 October 2020 (between the 2020 and 2021 register
totals): their members (世帯人員) make 98.5% of the residents, the rest living in 施設等の世帯. Each type is spread over 世帯人員 with
its structural zeros (a 単独世帯 has 1 person, a 夫婦のみ 2 …), so that the family-type hierarchy, the
世帯人員 rows and 東京都 = 特別区部 + 市部 + 町村 (the 町村 not listed) add up exactly.
Listed areas: 全国, 東京都, 特別区部, 世田谷区 and the 26 市.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook

from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import KOMAE_CODE, DemoPopulation, largest_remainder, simulate
from komae_analysis.reference import shibu_cities, tokyo_areas

CENSUS_DIR = "census_households"
CENSUS_FILE = "census2020_b10_setai_kazokuruikei.xlsx"
SHEET = "b10"
TITLE = "令和２年国勢調査　人口等基本集計"
TABLE = "第１０表　世帯の家族類型，世帯人員の人数別一般世帯数－全国，都道府県，市区町村"
DEMO_NOTE = "デモデータ：実在の統計ではありません"

#: (code, label as published, level in the header band).
TYPES: tuple[tuple[str, str, int], ...] = (
    ("0", "総数", 1), ("1", "親族のみの世帯", 1), ("11", "核家族世帯", 2), ("111", "夫婦のみの世帯", 3),
    ("112", "夫婦と子供から成る世帯", 3), ("113", "男親と子供から成る世帯", 3), ("114", "女親と子供から成る世帯", 3),
    ("12", "核家族以外の世帯", 2), ("1201", "夫婦と両親から成る世帯", 3), ("1202", "夫婦とひとり親から成る世帯", 3),
    ("1203", "夫婦，子供と両親から成る世帯", 3), ("1204", "夫婦，子供とひとり親から成る世帯", 3),
    ("1205", "夫婦と他の親族（親，子供を含まない）から成る世帯", 3),
    ("1206", "夫婦，子供と他の親族（親を含まない）から成る世帯", 3),
    ("1207", "夫婦，親と他の親族（子供を含まない）から成る世帯", 3), ("1208", "夫婦，子供，親と他の親族から成る世帯", 3),
    ("1209", "兄弟姉妹のみから成る世帯", 3), ("1210", "他に分類されない世帯", 3), ("2", "非親族を含む世帯", 1),
    ("3", "単独世帯", 1), ("4", "世帯の家族類型「不詳」", 1), ("R1", "（再掲）3世代世帯", 1),
    ("R2", "（再掲）夫65歳以上，妻60歳以上の夫婦のみの世帯", 1), ("R3", "（再掲）65歳以上の単独世帯", 1),
)
SIZES = ("0_総数", *(f"{n}_世帯人員が{n}人" for n in range(1, 7)), "7_世帯人員が7人以上")
LEAVES = ("111", "112", "113", "114", *(f"12{i:02d}" for i in range(1, 11)), "2", "3", "4")

# 東京都's real composition (令和2年国勢調査 第10表, 東京都): each type per 一般世帯 other than 単独・不詳.
_TOKYO_NON_SINGLE = 7_216_650 - 3_625_810 - 2_687
_RATIO = {code: n / _TOKYO_NON_SINGLE for code, n in {
    "111": 1_185_040, "112": 1_588_460, "113": 76_177, "114": 449_972, "1201": 4_020, "1202": 25_689,
    "1203": 10_418, "1204": 43_201, "1205": 8_315, "1206": 18_136, "1207": 2_095, "1208": 4_026, "1209": 52_012,
    "1210": 38_844, "2": 81_748, "R1": 97_110}.items()}
_TOKYO_SINGLE_SHARE = 3_625_810 / 7_216_650
_TOKYO_R3_OF_SINGLE = 811_408 / 3_625_810
_TOKYO_R2_OF_COUPLES = 564_594 / 1_185_040
_TOKYO_AGING_2020 = 0.2257  # 東京都 65歳以上割合, 1 January 2020 (時系列 第9表, 令和2年)
# 狛江市 (real): 一般世帯, 単独世帯, 65歳以上の単独世帯, 夫65歳以上・妻60歳以上の夫婦のみ, 不詳.
KOMAE = {"0": 42_578, "3": 20_347, "R3": 5_196, "R2": 3_820, "4": 3}

# Share of each type's households by 世帯人員 1 … 7人以上 (structural zeros; invented, close to real).
_SIZE_WEIGHTS: dict[str, tuple[float, ...]] = {
    "111": (0, 1, 0, 0, 0, 0, 0), "112": (0, 0, 0.52, 0.40, 0.068, 0.009, 0.001),
    "113": (0, 0.80, 0.16, 0.03, 0.008, 0.002, 0), "114": (0, 0.73, 0.235, 0.03, 0.004, 0.001, 0),
    "1201": (0, 0, 0, 1, 0, 0, 0), "1202": (0, 0, 1, 0, 0, 0, 0), "1203": (0, 0, 0, 0, 0.36, 0.47, 0.17),
    "1204": (0, 0, 0, 0.57, 0.34, 0.08, 0.01), "1205": (0, 0, 0.94, 0.05, 0.01, 0, 0),
    "1206": (0, 0, 0, 0.57, 0.33, 0.08, 0.02), "1207": (0, 0, 0, 0.6, 0.35, 0.05, 0),
    "1208": (0, 0, 0, 0, 0.35, 0.18, 0.47), "1209": (0, 0.97, 0.025, 0.005, 0, 0, 0),
    "1210": (0, 0.27, 0.49, 0.21, 0.03, 0, 0), "2": (0, 0.886, 0.065, 0.026, 0.018, 0.003, 0.002),
    "3": (1, 0, 0, 0, 0, 0, 0), "4": (0.5, 0.3, 0.1, 0.05, 0.05, 0, 0),
}
_R1_WEIGHTS = (0, 0, 0.15, 0.44, 0.28, 0.09, 0.04)


def _composition(households: int, aging: float, rng: np.random.Generator, *, single_share: float,
                 fixed: dict[str, int] | None = None) -> dict[str, int]:
    """The leaf types and 再掲 of one area's 一般世帯 (sums exact)."""
    fixed = fixed or {}
    tilt = aging / _TOKYO_AGING_2020
    single = fixed.get("3", round(households * single_share))
    unknown = fixed.get("4", round(households * rng.uniform(0.0001, 0.0006)))
    rest = households - single - unknown
    codes = [c for c in LEAVES if c not in ("3", "4")]
    weights = np.array([_RATIO[c] * float(np.exp(rng.normal(0, 0.05))) for c in codes])
    weights[codes.index("111")] *= tilt ** 0.5  # older areas: more couples living alone
    weights[codes.index("112")] /= tilt ** 0.3
    alloc = largest_remainder(np.array(rest), weights)
    out = dict(zip(codes, (int(x) for x in alloc), strict=True))
    out["3"], out["4"] = single, unknown
    out["R3"] = fixed.get("R3", round(single * _TOKYO_R3_OF_SINGLE * tilt ** 1.1 * float(np.exp(rng.normal(0, 0.04)))))
    out["R2"] = fixed.get("R2", round(out["111"] * _TOKYO_R2_OF_COUPLES * tilt ** 0.6 * float(np.exp(rng.normal(0, 0.04)))))
    out["R1"] = round(rest * _RATIO["R1"] * float(np.exp(rng.normal(0, 0.05))))
    if out["R2"] > out["111"] or out["R3"] > single:
        raise AssertionError("a 再掲 type larger than its type")
    return out


def _by_size(comp: dict[str, int]) -> np.ndarray:
    """Every type (TYPES order) × 世帯人員 (総数, 1 … 7人以上): (24, 8) ints."""
    leaves = {c: largest_remainder(np.array(comp[c]), np.array(_SIZE_WEIGHTS[c], dtype=float)) for c in LEAVES}
    leaves["R3"] = np.array([comp["R3"], 0, 0, 0, 0, 0, 0])
    leaves["R2"] = np.array([0, comp["R2"], 0, 0, 0, 0, 0])
    leaves["R1"] = largest_remainder(np.array(comp["R1"]), np.array(_R1_WEIGHTS))
    parts = {"12": [f"12{i:02d}" for i in range(1, 11)], "11": ["111", "112", "113", "114"]}
    leaves["12"] = sum(leaves[c] for c in parts["12"])
    leaves["11"] = sum(leaves[c] for c in parts["11"])
    leaves["1"] = leaves["11"] + leaves["12"]
    leaves["0"] = leaves["1"] + leaves["2"] + leaves["3"] + leaves["4"]
    if (leaves["R1"] > leaves["1"] + leaves["2"]).any():
        raise AssertionError("3世代世帯 larger than the households that can hold them")
    table = np.stack([leaves[code] for code, _label, _level in TYPES])
    return np.concatenate([table.sum(axis=1, keepdims=True), table], axis=1)


def census(pop: DemoPopulation, seed: int) -> dict[str, np.ndarray]:
    """Area code (00000 全国, 13000 東京都, …) → (24 types, 8 sizes) households."""
    out: dict[str, np.ndarray] = {}
    comps: dict[str, dict[str, int]] = {}
    shibu = [a.code for a in shibu_cities()]

    def aging_of(code: str) -> tuple[float, float]:
        t5 = pop.total_age5[code][3:5].astype(float)  # 2020, 2021
        total = t5.sum(axis=(1, 2))
        return float(0.25 * total[0] + 0.75 * total[1]), float(t5[:, 13:].sum() / t5.sum())

    for code in (*shibu, "13112", "13100"):
        rng = np.random.default_rng([seed, 28, int(code)])
        people, aging = aging_of(code)
        if code == KOMAE_CODE:
            comps[code] = _composition(KOMAE["0"], aging, rng, single_share=0,
                                       fixed={k: v for k, v in KOMAE.items() if k != "0"})
            continue
        share = _TOKYO_SINGLE_SHARE + (0.035 if code == "13100" else -0.075) - 0.6 * (aging - _TOKYO_AGING_2020)
        share += rng.normal(0, 0.02)
        # households such that their members are 98.5% of the residents (the rest live in 施設等の世帯)
        trial = round(people / 2.1)
        members = (_by_size(_composition(trial, aging, np.random.default_rng([seed, 28, int(code), 1]),
                                         single_share=share))[0, 1:] * np.arange(1, 8)).sum()
        households = round(people * 0.985 / (members / trial))
        comps[code] = _composition(households, aging, np.random.default_rng([seed, 28, int(code), 1]),
                                   single_share=share)
    for code, comp in comps.items():
        out[code] = _by_size(comp)
    rng = np.random.default_rng([seed, 28, 13300])
    towns = _by_size(_composition(36_500, 0.33, rng, single_share=0.36))  # 町村 (not listed)
    out["13000"] = out["13100"] + sum(out[c] for c in shibu) + towns
    rng = np.random.default_rng([seed, 28, 0])
    out["00000"] = _by_size(_composition(55_700_000, 0.285, rng, single_share=0.38))
    return out


def _cell(n: int) -> int | str:
    return "-" if n == 0 else int(n)


def census_workbook(pop: DemoPopulation, seed: int) -> Workbook:
    data = census(pop, seed)
    ref = tokyo_areas()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    n = len(TYPES)
    ws.append([TITLE])
    ws.append([TABLE])
    ws.append([DEMO_NOTE])
    ws.append([])
    ws.append(["", "", "", ""] + ["一般世帯数"] * n)
    ws.append(["", "", "", ""] + ["世帯の家族類型"] * n)
    ws.append(["", "", "", ""] + [level for _c, _l, level in TYPES])
    ws.append(["", "", "", ""] + [f"{code}_{label}" for code, label, _level in TYPES])
    ws.append(["", "", "", ""] + ["世帯"] * n)
    ws.append(["地域識別コード", "都道府県", "地域名", "世帯人員の人数", " "])
    areas = [("a", "00_全国", "00000", "全国"), ("a", "13_東京都", "13000", "東京都"),
             ("1", "13_東京都", "13100", "特別区部"), ("0", "13_東京都", "13112", ref["13112"].name)]
    areas += [("2", "13_東京都", a.code, a.name) for a in shibu_cities()]
    for area_class, pref, code, name in areas:
        table = data[code]
        for s, size in enumerate(SIZES):
            ws.append([area_class, pref, f"{code}_{name}", size] + [_cell(table[t, s]) for t in range(n)])
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    data = workbook_bytes(census_workbook(simulate(seed), seed))
    return [write_bytes_atomic(Path(out_dir) / CENSUS_DIR / CENSUS_FILE, data)]
