"""Demo 東京都「福祉・衛生 統計年報」 障害者手帳 tables (``tokyo_disability/nenpo_shougai_techo_FY<年度>.xlsx``,
one workbook per 年度末, FY2017–FY2025), written from the demo disability model in the layout
:mod:`komae_analysis.ingest.tokyo_disability` reads (data/raw/README.md): three sheets, title,
「令和8年3月31日現在」 and 「（単位：人）」 lines, a merged two-row header, 区市町村 rows (the areas
of the demo 第7表: 総数, 区部, 世田谷区, 市部, the 26 市, 町村部), notes. The 等級 a 障害種別 does not
have are 「－」. Serialised reproducibly.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from komae_analysis.calendar import wareki_date
from komae_analysis.demo.disability_model import FISCAL_YEARS, DemoDisability, simulate_disability
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.ingest.disability_common import (
    AI,
    AI_GRADES,
    NOT_APPLICABLE,
    SEISHIN_GRADES,
    SHINTAI,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
    TECHO,
    TOTAL,
    year_end,
)
from komae_analysis.ingest.tokyo_disability import AREA_LABEL, SHEETS, TITLES, TOKYO_AGES

FOLDER = "tokyo_disability"
SOURCE_NOTE = "資料：東京都福祉局「福祉・衛生 統計年報」"
DEMO_NOTE = "※デモデータ：実在の統計ではありません（komae_analysis.demo が生成した架空の値）。"
DASH = "－"


def filename(fy: int) -> str:
    return f"nenpo_shougai_techo_FY{fy}.xlsx"


def _header(table: str) -> list[tuple[str, list[str]]]:
    """The column groups of a table: (group label, the labels under it)."""
    if table == SHINTAI:
        return [(g, [TOTAL, *SHINTAI_GRADES]) for g in ("総数", *SHINTAI_KINDS)]
    if table == AI:
        return [(g, [TOTAL, *TOKYO_AGES]) for g in ("総数", *AI_GRADES)]
    return [("総数", [""]), ("等級", list(SEISHIN_GRADES))]


def _value(d: DemoDisability, table: str, code: str, y: int, group: str, label: str) -> int | str:
    if table == SHINTAI:
        cells = d.tokyo_shintai[code][y]
        k = None if group == "総数" else SHINTAI_KINDS.index(group)
        g = None if label == TOTAL else SHINTAI_GRADES.index(label)
        if k is not None and g is not None and label in NOT_APPLICABLE.get(group, ()):
            return DASH
        part = cells if k is None else cells[k]
        return int(part.sum() if g is None else (part[:, g].sum() if k is None else part[g]))
    if table == AI:
        cells = d.tokyo_ai[code][y]
        part = cells if group == "総数" else cells[AI_GRADES.index(group)]
        if label == TOTAL:
            return int(part.sum())
        a = TOKYO_AGES.index(label)
        return int(part[:, a].sum() if group == "総数" else part[a])
    cells = d.tokyo_seishin[code][y]
    return int(cells.sum() if group == "総数" else cells[SEISHIN_GRADES.index(label)])


def workbook(d: DemoDisability, y: int) -> Workbook:
    fy = FISCAL_YEARS[y]
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for table in TECHO:
        ws = wb.create_sheet(SHEETS[table])
        ws["A1"] = TITLES[table]
        ws["A1"].font = Font(bold=True, size=12)
        ws["A2"] = f"{wareki_date(year_end(fy))}現在"
        groups = _header(table)
        n_cols = 1 + sum(len(labels) for _g, labels in groups)
        ws.cell(3, n_cols, "（単位：人）").alignment = Alignment(horizontal="right")
        ws["A4"] = AREA_LABEL
        ws.merge_cells("A4:A5")
        col = 2
        for group, labels in groups:
            ws.cell(4, col, group)
            if labels == [""]:
                ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
            else:
                for i, label in enumerate(labels):
                    ws.cell(5, col + i, label)
                if len(labels) > 1:
                    ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + len(labels) - 1)
            col += len(labels)
        for r in (4, 5):
            for c in range(1, n_cols + 1):
                ws.cell(r, c).alignment = center
                ws.cell(r, c).border = box
        row = 6
        for code, name in d.areas:
            ws.cell(row, 1, name).border = box
            col = 2
            for group, labels in groups:
                for label in labels:
                    v = _value(d, table, code, y, group, label or TOTAL)
                    c = ws.cell(row, col, v)
                    c.border = box
                    if isinstance(v, str):
                        c.alignment = Alignment(horizontal="right")
                    else:
                        c.number_format = "#,##0"
                    col += 1
            row += 1
        ws.cell(row + 1, 1, SOURCE_NOTE)
        if table == SHINTAI:
            ws.cell(row + 2, 1, "注：「－」は該当する等級のない障害の種類。")
        ws.cell(row + 3, 1, DEMO_NOTE)
        ws.column_dimensions["A"].width = 12
        for c in range(2, n_cols + 1):
            ws.column_dimensions[get_column_letter(c)].width = 9
        ws.freeze_panes = "B6"
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source, oldest first (``komae demo-data`` calls every demo module's ``write``)."""
    d = simulate_disability(seed)
    return [write_bytes_atomic(Path(out_dir) / FOLDER / filename(fy), workbook_bytes(workbook(d, y)))
            for y, fy in enumerate(FISCAL_YEARS)]
