"""Demo 東京都「人口の動き（N年中）」monthly tables — 第11表 都内間移動増減, 第14表 自然増減, 第15表
出生数, 第16表 死亡数, 第17表 その他の増減 (``tokyo_population_movement/juYYqv1100.csv`` … ``1700.csv``,
2016–2025) — in the layout :mod:`komae_analysis.ingest.tokyo_movement_monthly` reads
(data/raw/README.md): UTF-8 with BOM, CRLF, the header with 1月中 … 12月中 and the year's column last,
three blocks (総数, 日本人, 外国人) each listing the areas as 第1表 does, a blank row and the footer.

INVENTED data, consistent with the demo 第1表 (:mod:`komae_analysis.demo.tokyo_movement`): every
area's year totals (総数) are that table's 出生数, 死亡数, 自然増減, 都内間の移動増減 and その他の増減.
外国人 take about 2.5% of births and 0.3% of deaths, about a sixth of the change in foreign residents
as 都内間 net and most of the rest of it as その他の増減 (出入国); 日本人 are the remainder. Months
follow invented seasonal weights (deaths highest in January, births a little higher in summer), the
changes a zero-sum noise around a twelfth of the year. 市部 is the sum of its 26 市 and 総数 of 区部,
市部 and 町村部, in every cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from komae_analysis.demo.io import csv_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import (
    SHIBU_CODE,
    TOKYO_CODE,
    DemoPopulation,
    largest_remainder,
    simulate,
)
from komae_analysis.demo.tokyo_movement import (
    DEMO_FOOTER,
    MOVEMENT_DIR,
    TOWNS_CODE,
    WARDS_CODE,
    YEARS,
    movement,
)
from komae_analysis.reference import shibu_cities

#: item → (file number, the item as the columns write it, the table's name)
TABLES: dict[str, tuple[str, str, str]] = {
    "intra": ("1100", "増減", "第11－１・２・３表　区市町村、月別都内間移動増減（総数、日本人、外国人）"),
    "natural": ("1400", "増減", "第14－１・２・３表　区市町村、月別自然増減（総数、日本人、外国人）"),
    "births": ("1500", "出生数", "第15－１・２・３表　区市町村、月別出生数（総数、日本人、外国人）"),
    "deaths": ("1600", "死亡数", "第16－１・２・３表　区市町村、月別死亡数（総数、日本人、外国人）"),
    "other": ("1700", "その他の増減", "第17ー１・２・３表　区市町村、月別その他の増減（総数、日本人、外国人）"),
}
_DEATH_WEIGHTS = np.array([1.25, 1.05, 1.05, 0.95, 0.92, 0.88, 0.92, 0.92, 0.90, 0.97, 0.97, 1.10])
_BIRTH_WEIGHTS = np.array([0.95, 0.88, 0.95, 0.97, 1.0, 1.0, 1.07, 1.05, 1.05, 1.06, 0.98, 1.02])
NATIONALITIES = ("総数", "日本人", "外国人")

Cells = dict[str, np.ndarray]  # item → (years, 3 nationalities, 13 months: 0 = the year)


def _months(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A non-negative year total spread over the months (largest remainder, a little noise)."""
    w = weights * np.exp(rng.normal(0, 0.06, 12))
    return largest_remainder(np.array(total), w)


def _signed_months(total: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """A signed year total: a twelfth each, plus zero-sum noise."""
    base = largest_remainder(np.array(abs(total)), np.ones(12)) * (1 if total >= 0 else -1)
    noise = np.round(rng.normal(0, scale, 12)).astype(np.int64)
    noise[-1] -= noise.sum()
    return base + noise


def _area(v: dict[str, np.ndarray], rng: np.random.Generator) -> Cells:
    """One modelled area's monthly cells for every year, from its 第1表 values."""
    n = len(YEARS)
    out = {k: np.zeros((n, 3, 13), dtype=np.int64) for k in TABLES}
    d_foreign = v["change"] - v["japanese_change"]
    for i in range(n):
        births, deaths = int(v["births"][i]), int(v["deaths"][i])
        b_f = int(rng.binomial(births, 0.025))
        d_f = int(rng.binomial(deaths, 0.003))
        intra_f = int(round(d_foreign[i] / 6 + rng.normal(0, 0.002 * max(births, 1) + 2)))
        other_f = int(round(0.55 * d_foreign[i] + rng.normal(0, 3)))
        split = {"births": (births - b_f, b_f), "deaths": (deaths - d_f, d_f),
                 "intra": (int(v["intra"][i]) - intra_f, intra_f), "other": (int(v["other"][i]) - other_f, other_f)}
        for k, (jp, fo) in split.items():
            for j, total in ((1, jp), (2, fo)):
                if k == "births":
                    months = _months(total, _BIRTH_WEIGHTS, rng)
                elif k == "deaths":
                    months = _months(total, _DEATH_WEIGHTS, rng)
                else:
                    months = _signed_months(total, rng, max(1.0, 0.08 * abs(total)) if j == 1 else 1.0)
                out[k][i, j, 1:] = months
                out[k][i, j, 0] = total
        out["natural"][i] = out["births"][i] - out["deaths"][i]
    for k in out:
        out[k][:, 0] = out[k][:, 1] + out[k][:, 2]
    return out


def monthly(pop: DemoPopulation, seed: int) -> dict[str, Cells]:
    """Area code → item → (years, nationality, month) for every area of the demo tables."""
    values = movement(pop, seed)
    shibu = [a.code for a in shibu_cities()]
    out = {code: _area(values[code], np.random.default_rng([seed, 29, int(code)]))
           for code in [*shibu, "13112", WARDS_CODE, TOWNS_CODE]}
    for parent, parts in ((SHIBU_CODE, shibu), (TOKYO_CODE, [WARDS_CODE, SHIBU_CODE, TOWNS_CODE])):
        out[parent] = {k: sum(out[c][k] for c in parts) for k in TABLES}
    return out


def _era(year: int) -> str:
    if year == 2019:
        return "令和元"
    return f"令和{year - 2018}" if year >= 2020 else f"平成{year - 1988}"


def filename(year: int, item: str) -> str:
    return f"ju{year % 100:02d}qv{TABLES[item][0]}.csv"


def rows(pop: DemoPopulation, cells: dict[str, Cells], year: int, item: str) -> list[list[str]]:
    i = YEARS.index(year)
    _number, word, name = TABLES[item]
    tail = word if word in ("出生数", "死亡数") else "増減"  # 第17表's year column says 増減 too
    header = ["国籍区分", "地域階層", "地域コード", "地域", *(f"{m}月中／{word}" for m in range(1, 13)),
              f"{_era(year)}年中の{tail}"]
    names = {code: (level, area) for level, code, area in pop.areas}
    shibu = [a.code for a in shibu_cities()]
    order = [TOKYO_CODE, WARDS_CODE, SHIBU_CODE, WARDS_CODE, "13112", SHIBU_CODE, *shibu, TOWNS_CODE]
    out = [header]
    for j, nationality in enumerate(NATIONALITIES):
        for code in order:
            level, area = names[code]
            v = cells[code][item][i, j]
            out.append([nationality, str(level), code, area, *(str(int(x)) for x in v[1:]), str(int(v[0]))])
    width = len(header)
    out.append([""] * width)
    footer = (f"人口の動き（{_era(year)}年中）", name,
              "地域階層（0:総数　1:区部・市部・町村部　2:郡部・島部　3:支庁　4:区市町村）", DEMO_FOOTER)
    out += [[line] + [""] * (width - 1) for line in footer]
    return out


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    pop = simulate(seed)
    cells = monthly(pop, seed)
    folder = Path(out_dir) / MOVEMENT_DIR
    return [write_bytes_atomic(folder / filename(y, item),
                               csv_bytes(rows(pop, cells, y, item), encoding="utf-8-sig", newline="\r\n"))
            for y in YEARS for item in TABLES]
