"""Demo 東京都 第7表 CSVs (``tokyo_juki_age5/dai7hyo_age5_YYYYMM.csv``), written from the demo
population model in the layout :mod:`komae_analysis.ingest.tokyo_juki` reads (data/raw/README.md):
Shift_JIS (cp932), CRLF, the 14-column header, per area a 総数 row and 22 detail rows, a row of empty
cells, then the title line with the reference month and the footer (with the demo-data line).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from komae_analysis.calendar import wareki_date
from komae_analysis.demo.io import csv_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, DemoPopulation, simulate

TOKYO_DIR = "tokyo_juki_age5"

CLASS_LABELS: tuple[str, ...] = tuple(f"{5 * i}～{5 * i + 4}" for i in range(20)) + ("100以上",)
UNKNOWN_LABEL = "不詳者"

DAI7_HEADER = ["地域階層", "地域コード", "地域", "年齢階層", "年齢", "総数／計(人)", "総数／男(人)", "総数／女(人)", "日本人／計(人)", "日本人／男(人)", "日本人／女(人)", "外国人／計(人)", "外国人／男(人)", "外国人／女(人)"]
DAI7_TITLE = "住民基本台帳による東京都の世帯と人口"
DAI7_FOOTER = (
    "第７表　区市町村、年齢（５歳階級）、日本人、外国人及び男女別人口",
    "地域階層（0:総数　1:区部・市部・町村部　2:郡部・島部　3:大島支庁・三宅支庁・八丈支庁・小笠原支庁　4:区市町村）",
    "年齢階層（0:総数　1:明細）",
)
DEMO_FOOTER = "デモデータ：実在の統計ではありません"


def dai7_filename(date: dt.date) -> str:
    return f"dai7hyo_age5_{date:%Y%m}.csv"


def _cell(n: int) -> str:
    return "-" if n == 0 else str(int(n))


def dai7_rows(pop: DemoPopulation, year_index: int) -> list[list[str]]:
    """The rows of one 第7表 CSV (header, data, footer), every row 14 cells."""
    date = DEMO_DATES[year_index]
    width = len(DAI7_HEADER)
    rows = [list(DAI7_HEADER)]
    for level, code, name in pop.areas:
        total = pop.total_age5[code][year_index]
        foreign = pop.foreign_age5[code][year_index]
        japanese = total - foreign
        lines = [(0, "総数", total.sum(axis=0), japanese.sum(axis=0), foreign.sum(axis=0))]
        lines += [(1, CLASS_LABELS[i], total[i], japanese[i], foreign[i]) for i in range(len(CLASS_LABELS))]
        lines.append((1, UNKNOWN_LABEL, np.zeros(2, int), np.zeros(2, int), np.zeros(2, int)))
        for age_level, label, t, j, f in lines:
            counts = [t.sum(), t[0], t[1], j.sum(), j[0], j[1], f.sum(), f[0], f[1]]
            rows.append([str(level), code, name, str(age_level), label] + [_cell(n) for n in counts])
    rows.append([""] * width)
    footer = [f"{DAI7_TITLE}　{wareki_date(date, day=False)}", *DAI7_FOOTER, DEMO_FOOTER]
    rows += [[line] + [""] * (width - 1) for line in footer]
    return rows


def write_tokyo_juki(out_dir: Path, pop: DemoPopulation) -> list[Path]:
    """Write the 第7表 CSV of every demo date; return the paths, oldest first."""
    written: list[Path] = []
    for i, date in enumerate(DEMO_DATES):
        data = csv_bytes(dai7_rows(pop, i), encoding="cp932", newline="\r\n")
        written.append(write_bytes_atomic(out_dir / TOKYO_DIR / dai7_filename(date), data))
    return written


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    return write_tokyo_juki(out_dir, simulate(seed))
