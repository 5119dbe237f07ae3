"""Demo 狛江市「障害者手帳所持者数等の推移」 workbook (``city_disability/shougai_techo_suii_FY2025.xlsx``),
written from the demo disability model in the layout :mod:`komae_analysis.ingest.city_disability`
reads (data/raw/README.md): one sheet per 手帳 / 制度, title, reference-date and unit lines, a
two-row merged header (区分 | 年齢区分 | 年度 over the 年度 labels), blocks of rows merged down
columns A and B, the 合計 block last, notes under the table. 難病 by 年齢区分 is 「…」 (not
compiled) in FY2017–FY2018. Serialised reproducibly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from komae_analysis.calendar import wareki_fy
from komae_analysis.demo.disability_model import (
    FISCAL_YEARS,
    NANBYO_AGES_NOT_COMPILED,
    DemoDisability,
    simulate_disability,
)
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.ingest.city_disability import BLOCKS, DATE_LINE, GRAND, SHEETS
from komae_analysis.ingest.disability_common import (
    AGE_BANDS,
    AI,
    JIRITSU,
    NANBYO,
    SEISHIN,
    SHINTAI,
    TABLES,
    TOTAL,
)

FOLDER = "city_disability"
OFFICE = "狛江市 福祉保健部 高齢障がい課"
DEMO_NOTE = "※デモデータ：実在の統計ではありません（komae_analysis.demo が生成した架空の値）。"
NOT_COMPILED = "…"


def filename(edition: int) -> str:
    return f"shougai_techo_suii_FY{edition}.xlsx"


def _title(table: str) -> str:
    what = "受給者数" if table in (JIRITSU, NANBYO) else "所持者数"
    return f"{table}　{what}の推移"


def _cells(d: DemoDisability, table: str) -> dict[tuple[str, str], np.ndarray]:
    """(block, level) → (years, 3 bands) for every row group of a sheet."""
    out: dict[tuple[str, str], np.ndarray] = {}
    if table == SHINTAI:
        for g, grade in enumerate(BLOCKS[SHINTAI][0][2]):
            out[("等級", grade)] = d.shintai[:, :, g, :].sum(axis=1)
        for k, kind in enumerate(BLOCKS[SHINTAI][1][2]):
            out[("障害種別", kind)] = d.shintai[:, k, :, :].sum(axis=1)
        out[(GRAND, TOTAL)] = d.shintai.sum(axis=(1, 2))
    elif table == AI:
        out.update({("程度", g): d.ai[:, i, :] for i, g in enumerate(BLOCKS[AI][0][2])})
        out[(GRAND, TOTAL)] = d.ai.sum(axis=1)
    elif table == SEISHIN:
        out.update({("等級", g): d.seishin[:, i, :] for i, g in enumerate(BLOCKS[SEISHIN][0][2])})
        out[(GRAND, TOTAL)] = d.seishin.sum(axis=1)
    elif table == JIRITSU:
        out[(GRAND, TOTAL)] = d.jiritsu
    else:
        out.update({("疾病区分", k): d.nanbyo[:, i, :] for i, k in enumerate(BLOCKS[NANBYO][0][2])})
        out[(GRAND, TOTAL)] = d.nanbyo.sum(axis=1)
    return out


def workbook(d: DemoDisability) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    first_year_col = 4
    last_col = first_year_col + len(FISCAL_YEARS) - 1
    for table in TABLES:
        ws = wb.create_sheet(SHEETS[table])
        ws["A1"] = _title(table)
        ws["A1"].font = Font(bold=True, size=12)
        ws["A2"] = DATE_LINE
        ws.cell(3, last_col, "（単位：人）").alignment = Alignment(horizontal="right")
        ws["A3"] = OFFICE
        ws["A5"], ws["C5"], ws.cell(5, first_year_col).value = "区分", "年齢区分", "年度"
        ws.merge_cells("A5:B6")
        ws.merge_cells("C5:C6")
        ws.merge_cells(start_row=5, start_column=first_year_col, end_row=5, end_column=last_col)
        for j, fy in enumerate(FISCAL_YEARS):
            ws.cell(6, first_year_col + j, wareki_fy(fy))
        for r in (5, 6):
            for c in range(1, last_col + 1):
                ws.cell(r, c).alignment = center
                ws.cell(r, c).font = bold
                ws.cell(r, c).border = box
        cells = _cells(d, table)
        row = 7
        groups = [(b, lv) for b, _c, levels in BLOCKS[table] for lv in levels] + [(GRAND, TOTAL)]
        block_rows: dict[str, list[int]] = {}
        for block, level in groups:
            block_rows.setdefault(block, [row, row + 3])[1] = row + 3
            values = cells[(block, level)]
            ws.cell(row, 1, block if block_rows[block][0] == row else None)
            ws.cell(row, 2, None if block == GRAND else level)
            for a, age in enumerate((*AGE_BANDS, TOTAL)):
                ws.cell(row + a, 3, age)
                for j, fy in enumerate(FISCAL_YEARS):
                    c = ws.cell(row + a, first_year_col + j)
                    if table == NANBYO and fy in NANBYO_AGES_NOT_COMPILED and age != TOTAL:
                        c.value = NOT_COMPILED
                        c.alignment = Alignment(horizontal="right")
                    else:
                        c.value = int(values[j].sum() if age == TOTAL else values[j, a])
                        c.number_format = "#,##0"
                for col in range(1, last_col + 1):
                    ws.cell(row + a, col).border = box
                if age == TOTAL:
                    for col in range(3, last_col + 1):
                        ws.cell(row + a, col).font = bold
            if block == GRAND:
                ws.merge_cells(start_row=row, start_column=1, end_row=row + 3, end_column=2)
            else:
                ws.merge_cells(start_row=row, start_column=2, end_row=row + 3, end_column=2)
            ws.cell(row, 1).alignment = center
            ws.cell(row, 2).alignment = center
            row += 4
        for block, (start, end) in block_rows.items():
            if block != GRAND:
                ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
        notes = ["注：「…」は年齢区分別に集計していない年度。"] if table == NANBYO else []
        notes.append(DEMO_NOTE)
        for i, note in enumerate(notes):
            ws.cell(row + 1 + i, 1, note)
        ws.column_dimensions["A"].width = 10
        ws.column_dimensions["B"].width = 26
        ws.column_dimensions["C"].width = 11
        for j in range(len(FISCAL_YEARS)):
            ws.column_dimensions[get_column_letter(first_year_col + j)].width = 11
        ws.freeze_panes = "D7"
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    data = workbook_bytes(workbook(simulate_disability(seed)))
    return [write_bytes_atomic(Path(out_dir) / FOLDER / filename(FISCAL_YEARS[-1]), data)]
