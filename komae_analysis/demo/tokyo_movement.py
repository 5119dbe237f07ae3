"""Demo 東京都「人口の動き（N年中）」第1表 区市町村、変動要因別人口 CSVs
(``tokyo_population_movement/juYYqv0100.csv``, one per year 2016–2025), in the layout
:mod:`komae_analysis.ingest.tokyo_movement` reads (data/raw/README.md): UTF-8 with BOM, CRLF, the
19-column header with the years in it, the summary block (総数, 区部, 市部) and then each aggregate
again before its parts (as the published file repeats them), a blank row and the footer.

INVENTED data, consistent with the demo population: for every area and year the populations are
the 東京都の人口（推計） base, here the demo register total of 1 January (the demo 第7表 / 時系列
第2表 — 2016 from the 時系列) plus a constant offset per area (狛江市: 1,412, the real difference of
令和6年・7年; the other areas: invented, under 2%), so that 人口増減 equals the change of the
register total, as it does between two censuses. 死亡数 comes from the model's life table applied
to the year's population by age, 出生数 from the number aged 0 the next 1 January (both with a little
noise); その他の増減 is about half the change in foreign residents (出入国) plus a small positive part
(職権記載 …) with noise; 都内間の移動
is a small net of gross flows near 3% of the population each way; 社会増減（他県との移動）is the
rest, so that 人口増減＝社会増減＋都内間＋自然増減＋その他 holds exactly. 市部 is the sum of its 26
市 and 総数 the sum of 区部, 市部 and 町村部 in every column; 区部's 都内間 net nearly offsets the rest of
東京都's (a time lag remains, as in the real table).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from komae_analysis.demo.io import csv_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import (
    DEMO_DATES,
    KOMAE_CODE,
    SHIBU_CODE,
    TOKYO_CODE,
    DemoPopulation,
    simulate,
    survival,
)
from komae_analysis.demo.tokyo_timeseries import FIRST_YEAR, timeseries
from komae_analysis.reference import shibu_cities

MOVEMENT_DIR = "tokyo_population_movement"
FIRST = DEMO_DATES[0].year - 1  # 2016: the 時系列 gives its 1 January total
LAST = DEMO_DATES[-1].year - 1  # 2025
YEARS = tuple(range(FIRST, LAST + 1))
WARDS_CODE, TOWNS_CODE = "13100", "13550"
KOMAE_OFFSET = 1_412  # 推計人口 − 住基人口 on 1 January 2024 and 2025 (real: 83,514 − 82,102; 83,460 − 82,048)
DEMO_FOOTER = "デモデータ：実在の統計ではありません"
# 面積 (km², real, 令和6年10月1日), printed as the published table does.
AREA_KM2: dict[str, float] = {
    "13000": 2199.94, "13100": 627.51, "13200": 783.95, "13112": 58.05, "13201": 186.38, "13202": 24.36,
    "13203": 10.98, "13204": 16.42, "13205": 103.31, "13206": 29.43, "13207": 17.34, "13208": 21.58,
    "13209": 71.55, "13210": 11.3, "13211": 20.51, "13212": 27.55, "13213": 17.14, "13214": 11.46,
    "13215": 8.15, "13218": 10.16, "13219": 6.39, "13220": 13.42, "13221": 10.23, "13222": 12.88,
    "13223": 15.32, "13224": 21.01, "13225": 17.97, "13227": 9.9, "13228": 73.47, "13229": 15.75,
    "13550": 788.47,
}
COLUMNS = ("change", "social", "social_in", "social_out", "intra", "intra_in", "intra_out", "natural",
           "births", "deaths", "other", "japanese_change")
_FW = str.maketrans("0123456789", "０１２３４５６７８９")


def _era(year: int, full_width: bool = False) -> str:
    """The era year of 1 January of ``year`` (令和7), or of the calendar year's movement when asked
    for 2019 (令和元年中)."""
    if year >= 2020:
        text = f"令和{year - 2018}"
    elif year >= 1990:
        text = f"平成{year - 1988}"
    else:
        text = f"昭和{year - 1925}"
    return text.translate(_FW) if full_width else text


def _movement_era(year: int) -> str:
    return "令和元" if year == 2019 else _era(year, full_width=True)


def _q_by_class() -> np.ndarray:
    """Annual probability of dying by 5-year class (0～4 … 95～99, 100以上) and sex: (21, 2)."""
    q = 1.0 - survival()
    return np.concatenate([q[:100].reshape(20, 5, 2).mean(axis=1), q[100:]])


def _vital(pop: DemoPopulation, code: str, rng: np.random.Generator, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """出生数 and 死亡数 per year 2016–2025 (integers) from the model's population by age."""
    q = _q_by_class()
    t5 = pop.total_age5[code].astype(float)  # (10, 21, 2), 2017–2026
    deaths = (t5[:-1] * q).sum(axis=(1, 2))  # years 2017–2025
    births = t5[1:, 0].sum(axis=1) / 5.0  # 0–4 on the next 1 January / 5
    if code == KOMAE_CODE:  # single years: the register
        reg = pop.register.sum(axis=1).astype(float)  # (10, 101, 2)
        deaths = (reg[:-1] * (1.0 - survival())).sum(axis=(1, 2))
        births = reg[1:, 0].sum(axis=1) / 0.999
    # 2016: the 2017 structure scaled to the 2016 total
    scale = totals[0] / t5[0].sum()
    deaths = np.concatenate([[deaths[0] * scale * 0.985], deaths])
    births = np.concatenate([[births[0] * 1.02], births])
    noise = rng.normal(0.0, 0.02, size=(2, len(YEARS)))
    return np.round(births * np.exp(noise[0])).astype(np.int64), np.round(deaths * np.exp(noise[1])).astype(np.int64)


def _area_movement(pop: DemoPopulation, code: str, totals: np.ndarray, foreign: np.ndarray,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """All columns for one modelled area: ``totals``/``foreign`` are its 1 January 2016–2026."""
    out: dict[str, np.ndarray] = {}
    offset = KOMAE_OFFSET if code == KOMAE_CODE else int(round(totals[0] * rng.uniform(-0.004, 0.018)))
    out["population_start"] = totals[:-1] + offset
    out["population_end"] = totals[1:] + offset
    change = np.diff(totals)
    births, deaths = _vital(pop, code, rng, totals)
    natural = births - deaths
    d_foreign = np.diff(foreign)
    other = np.round(0.55 * d_foreign + (0.0004 + rng.normal(0, 0.0002, len(YEARS))) * totals[:-1]).astype(np.int64)
    intra = np.round(rng.normal(0, 0.003, len(YEARS)) * totals[:-1]).astype(np.int64)
    social = change - natural - other - intra
    intra_in = np.round(totals[:-1] * rng.uniform(0.026, 0.032, len(YEARS))).astype(np.int64)
    social_in = np.round(totals[:-1] * rng.uniform(0.025, 0.031, len(YEARS))).astype(np.int64) + np.maximum(social, 0)
    out.update(change=change, social=social, social_in=social_in, social_out=social_in - social,
               intra=intra, intra_in=intra_in, intra_out=intra_in - intra, natural=natural,
               births=births, deaths=deaths, other=other, japanese_change=change - d_foreign)
    return out


def movement(pop: DemoPopulation, seed: int) -> dict[str, dict[str, np.ndarray]]:
    """Area code → column → values for 2016–2025 (the 第1表 of each year)."""
    cells, _shares, _aged = timeseries(pop, seed)
    first = FIRST - FIRST_YEAR  # index of 2016 in the 時系列
    out: dict[str, dict[str, np.ndarray]] = {}
    shibu = [a.code for a in shibu_cities()]
    for code in [*shibu, "13112", WARDS_CODE, TOWNS_CODE]:
        totals = cells[code]["total"][first:, 0].astype(np.int64)
        foreign = cells[code]["foreign"][first:, 0].astype(np.int64)
        out[code] = _area_movement(pop, code, totals, foreign, np.random.default_rng([seed, 27, int(code)]))
    # 区部's 都内間 nearly offsets the rest of 東京都's (moves between 区 and 市町村; a lag remains)
    rest = sum(out[c]["intra"] for c in [*shibu, TOWNS_CODE])
    lag = np.round(np.random.default_rng([seed, 27, 13100, 1]).normal(0, 800, len(YEARS))).astype(np.int64)
    wards = out[WARDS_CODE]
    new_intra = -rest + lag
    wards["social"] = wards["social"] + wards["intra"] - new_intra
    wards["intra"] = new_intra
    wards["intra_out"] = wards["intra_in"] - new_intra
    wards["social_in"] = np.maximum(wards["social_in"], wards["social"] + wards["social_in"] // 2)
    wards["social_out"] = wards["social_in"] - wards["social"]
    for parent, parts in ((SHIBU_CODE, shibu), (TOKYO_CODE, [WARDS_CODE, SHIBU_CODE, TOWNS_CODE])):
        out[parent] = {k: sum(out[c][k] for c in parts) for k in out[parts[0]]}
    return out


def filename(year: int) -> str:
    return f"ju{year % 100:02d}qv0100.csv"


def rows(pop: DemoPopulation, values: dict[str, dict[str, np.ndarray]], year: int) -> list[list[str]]:
    i = YEARS.index(year)
    m = _movement_era(year) + "年中の動き"
    header = [
        "地域階層", "地域コード", "地域", f"{_era(year + 1)}年1月1日現在人口", f"{m}／人口増減",
        f"{m}／社会増減（他県との移動増減）", f"{m}／社会増減（他県との移動増減）／転入数",
        f"{m}／社会増減（他県との移動増減）／転出数", f"{m}／都内間の移動増減", f"{m}／都内間の移動増減／転入数",
        f"{m}／都内間の移動増減／転出数", f"{m}／自然増減", f"{m}／自然増減／出生数", f"{m}／自然増減／死亡数",
        f"{m}／その他の増減", "（別掲）人口増減のうち日本人増減", "面積(km2)", "人口密度(1km2当たり）",
        f"{_era(year, full_width=True)}年1月1日現在人口",
    ]
    names = {code: (level, name) for level, code, name in pop.areas}
    shibu = [a.code for a in shibu_cities()]
    order = [TOKYO_CODE, WARDS_CODE, SHIBU_CODE, WARDS_CODE, "13112", SHIBU_CODE, *shibu, TOWNS_CODE]
    out = [header]
    for code in order:
        v = values[code]
        level, name = names[code]
        end = int(v["population_end"][i])
        density = round(end / AREA_KM2[code])
        out.append([str(level), code, name, str(end)] + [str(int(v[c][i])) for c in COLUMNS]
                   + [f"{AREA_KM2[code]:g}", f"{density} ", str(int(v["population_start"][i]))])
    width = len(header)
    out.append([""] * width)
    footer = (
        f"人口の動き（{_movement_era(year)}年中）",
        "第１表  区市町村、変動要因別人口（総数）",
        "注１)  面積は総務局行政部長通知 「東京都区市町村別の面積について」による令和6年10月１日時点の数値である。",
        "注２）この表における「社会増減」は、他県との移動の増減数をいう。",
        "地域階層（0:総数　1:区部・市部・町村部　2:郡部・島部　3:支庁　4:区市町村）",
        DEMO_FOOTER,
    )
    out += [[line] + [""] * (width - 1) for line in footer]
    return out


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    pop = simulate(seed)
    values = movement(pop, seed)
    folder = Path(out_dir) / MOVEMENT_DIR
    return [write_bytes_atomic(folder / filename(y), csv_bytes(rows(pop, values, y), encoding="utf-8-sig",
                                                               newline="\r\n"))
            for y in YEARS]
