"""Demo 狛江市 住民基本台帳 exports (``city_register/juki_choume_age_YYYYMMDD.xlsx``), written from the
demo population model in the layout :mod:`komae_analysis.ingest.city_register` reads
(data/raw/README.md): the sheets 町丁目別年齢別人口 and 町丁目別世帯数, title and date lines, the header
on row 5, one row per 町丁目 (× age), a 合計 row. Workbooks are serialised reproducibly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from komae_analysis.calendar import wareki_date
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, N_AGES, DemoPopulation, simulate

REGISTER_DIR = "city_register"

REGISTER_AGE_SHEET = "町丁目別年齢別人口"
REGISTER_HH_SHEET = "町丁目別世帯数"
REGISTER_AGE_TITLE = "住民基本台帳　町丁目別・年齢（各歳）別人口"
REGISTER_HH_TITLE = "住民基本台帳　町丁目別世帯数・人口"
REGISTER_OFFICE = "狛江市 市民課"
REGISTER_AGE_HEADER = ("町丁目コード", "町名", "丁目", "年齢", "男", "女", "計")
REGISTER_HH_HEADER = ("町丁目コード", "町名", "丁目", "世帯数", "男", "女", "計")
REGISTER_TOTAL = "合計"
AGE_LABELS: tuple[str, ...] = tuple(f"{a}歳" for a in range(100)) + ("100歳以上",)


def register_filename(date: dt.date) -> str:
    return f"juki_choume_age_{date:%Y%m%d}.xlsx"


def register_workbook(pop: DemoPopulation, year_index: int) -> Workbook:
    """The city register export of one reference date (two sheets, layout in data/raw/README.md)."""
    date = DEMO_DATES[year_index]
    date_line = f"{wareki_date(date)}現在"
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(ws, cells):
        out = []
        for value in cells:
            cell = WriteOnlyCell(ws, value=value)
            cell.font = bold
            out.append(cell)
        return out

    counts = pop.register[year_index]
    ws = wb.create_sheet(REGISTER_AGE_SHEET)
    for col, width in zip("ABCDEFG", (13, 10, 6, 10, 8, 8, 9), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A6"
    ws.append([REGISTER_AGE_TITLE])
    ws.append([date_line])
    ws.append([REGISTER_OFFICE])
    ws.append([])
    ws.append(header(ws, REGISTER_AGE_HEADER))
    for c_index, ch in enumerate(pop.choume):
        for a in range(N_AGES):
            m, f = (int(x) for x in counts[c_index, a])
            ws.append([ch.code, ch.town, ch.chome, AGE_LABELS[a], m, f, m + f])
    m_all, f_all = (int(x) for x in counts.sum(axis=(0, 1)))
    ws.append([REGISTER_TOTAL, None, None, None, m_all, f_all, m_all + f_all])

    ws = wb.create_sheet(REGISTER_HH_SHEET)
    for col, width in zip("ABCDEFG", (13, 10, 6, 9, 8, 8, 9), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A6"
    ws.append([REGISTER_HH_TITLE])
    ws.append([date_line])
    ws.append([REGISTER_OFFICE])
    ws.append([])
    ws.append(header(ws, REGISTER_HH_HEADER))
    by_choume = counts.sum(axis=1)
    hh = pop.households[year_index]
    for c_index, ch in enumerate(pop.choume):
        m, f = (int(x) for x in by_choume[c_index])
        ws.append([ch.code, ch.town, ch.chome, int(hh[c_index]), m, f, m + f])
    ws.append([REGISTER_TOTAL, None, None, int(hh.sum()), m_all, f_all, m_all + f_all])
    return wb


def write_city_register(out_dir: Path, pop: DemoPopulation) -> list[Path]:
    """Write the register workbook of every demo date; return the paths, oldest first."""
    written: list[Path] = []
    for i, date in enumerate(DEMO_DATES):
        data = workbook_bytes(register_workbook(pop, i))
        written.append(write_bytes_atomic(out_dir / REGISTER_DIR / register_filename(date), data))
    return written


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    return write_city_register(out_dir, simulate(seed))
