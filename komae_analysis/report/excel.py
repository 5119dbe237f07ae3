"""The appendix workbook: a 「目次」 sheet, then one sheet per :class:`AppendixTable` named by its number.

The workbook is written with openpyxl. Each table sheet has the title row (number and title), the
unit line, a bold filled header with thin borders, the data (numbers stored as numbers with the
formats ``#,##0`` / ``0.0%`` / ``0.0`` / ``0.00``; missing values left empty), the 出典 and 注 lines
and a link back to the 目次; panes are frozen below the header and the header row repeats on
printed pages.

The file is deterministic: the document properties carry a fixed timestamp and the zip entries a
fixed date, so the same tables give a byte-identical file (handy for the build manifest's sha256).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from komae_analysis.fileio import atomic_write_bytes, workbook_bytes
from komae_analysis.report.numbers import EXCEL_FORMATS, NUMERIC_FORMATS, cell_value, format_value
from komae_analysis.report.tables import AppendixTable, check_number

__all__ = ["FIXED_TIMESTAMP", "TOC_SHEET", "display_width", "write_workbook"]

TOC_SHEET = "目次"
#: The creation/modification time written into every workbook, so that equal input gives equal files.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDCE6F1", end_color="FFDCE6F1")
FONT_NAME = "游ゴシック"
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
HEADER_FONT = Font(name=FONT_NAME, bold=True, size=10)
BODY_FONT = Font(name=FONT_NAME, size=10)
SMALL_FONT = Font(name=FONT_NAME, size=9)
LINK_FONT = Font(name=FONT_NAME, size=10, color="FF0563C1", underline="single")
BANNER_FONT = Font(name=FONT_NAME, bold=True, size=12, color="FFC00000")
BANNER_FILL = PatternFill(fill_type="solid", start_color="FFFDE9E7", end_color="FFFDE9E7")

# Row layout of a table sheet.
TITLE_ROW = 1
UNIT_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

MIN_WIDTH = 6
MAX_WIDTH = 60


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: full-width (and ambiguous) characters count 2."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 1
    return width


def _column_width(texts: Iterable[str]) -> float:
    widest = max((max(display_width(line) for line in t.split("\n")) for t in texts if t), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def _sheet_ref(name: str) -> str:
    """A sheet reference for a hyperlink location: quoted, with apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'!A1"


def _link(cell: Any, sheet: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_sheet_ref(sheet), display=str(cell.value))
    cell.font = LINK_FONT


def _check_tables(tables: Sequence[AppendixTable]) -> None:
    seen: dict[str, str] = {}
    for t in tables:
        if not isinstance(t, AppendixTable):
            raise TypeError(f"AppendixTable ではないものが渡されました: {type(t).__name__}")
        check_number(t.number, kind="表")
        key = t.number.casefold()
        if key in seen:
            raise ValueError(
                f"表番号「{t.number}」が重複しています（シート名は大文字小文字を区別せず一意です）"
            )
        seen[key] = t.number
        t.validate()


def _write_toc(
    ws: Worksheet,
    tables: Sequence[AppendixTable],
    *,
    title: str,
    subtitle: str,
    banner: str | None,
    source_lines: Sequence[str],
) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT_NAME, bold=True, size=16)
    row = 2
    if subtitle:
        ws.cell(row=row, column=1, value=subtitle).font = Font(name=FONT_NAME, size=11)
        row += 1
    if banner:
        cell = ws.cell(row=row, column=1, value=banner)
        cell.font = BANNER_FONT
        for col in range(1, 4):
            ws.cell(row=row, column=col).fill = BANNER_FILL
        row += 1
    row += 1
    header_row = row
    heads = ["表番号", "表題", "セクション"]
    for col, head in enumerate(heads, start=1):
        cell = ws.cell(row=row, column=col, value=head)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for t in tables:
        row += 1
        values = [t.number, t.title, t.section or None]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border = BORDER
            cell.font = BODY_FONT
        _link(ws.cell(row=row, column=1), t.number)
        _link(ws.cell(row=row, column=2), t.number)
    if not tables:
        row += 1
        ws.cell(row=row, column=1, value="（掲載する表はありません）").font = BODY_FONT
    if source_lines:
        row += 2
        ws.cell(row=row, column=1, value="資料の出典").font = HEADER_FONT
        for line in source_lines:
            row += 1
            ws.cell(row=row, column=1, value=line).font = SMALL_FONT
    widths = [
        _column_width([heads[0], *(t.number for t in tables)]),
        _column_width([heads[1], *(t.title for t in tables)]),
        _column_width([heads[2], *(t.section for t in tables)]),
    ]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    _page_setup(ws, landscape=False)


def _page_setup(ws: Worksheet, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_table(ws: Worksheet, table: AppendixTable) -> None:
    cols = list(table.frame.columns)
    fmts = table.column_formats()
    ncols = max(len(cols), 1)

    title = ws.cell(row=TITLE_ROW, column=1, value=f"{table.number}　{table.title}")
    title.font = TITLE_FONT
    if table.unit:
        ws.cell(row=UNIT_ROW, column=1, value=table.unit).font = SMALL_FONT

    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    texts: dict[str, list[str]] = {c: [c] for c in cols}
    aligns = {
        c: Alignment(horizontal="right" if fmts[c] in NUMERIC_FORMATS else "left", vertical="top")
        for c in cols
    }
    r = FIRST_DATA_ROW - 1
    for r, row in enumerate(table.frame.itertuples(index=False, name=None), start=FIRST_DATA_ROW):
        for j, (col, value) in enumerate(zip(cols, row, strict=True), start=1):
            fmt = fmts[col]
            cell = ws.cell(row=r, column=j, value=cell_value(value, fmt))
            cell.number_format = EXCEL_FORMATS[fmt]
            cell.border = BORDER
            cell.font = BODY_FONT
            cell.alignment = aligns[col]
            texts[col].append(format_value(value, fmt))
    last_data_row = r

    for j, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(j)].width = _column_width(texts[col])

    row = last_data_row + 2
    ws.cell(row=row, column=1, value=table.source_line()).font = SMALL_FONT
    for note in table.note_lines():
        row += 1
        ws.cell(row=row, column=1, value=note).font = SMALL_FONT
    row += 2
    back = ws.cell(row=row, column=1, value="目次へ戻る")
    _link(back, TOC_SHEET)

    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    total_width = sum(ws.column_dimensions[get_column_letter(j)].width or 0 for j in range(1, ncols + 1))
    _page_setup(ws, landscape=total_width > 100)


def write_workbook(
    tables: list[AppendixTable],
    path: Path,
    *,
    title: str,
    subtitle: str = "",
    banner: str | None = None,
    source_lines: Sequence[str] = (),
) -> Path:
    """Write the appendix workbook to ``path`` (atomically) and return the path.

    ``title`` / ``subtitle`` head the 目次 sheet; ``banner`` (e.g. the demo-data warning) is shown
    there in red; ``source_lines`` are listed under 「資料の出典」. Sheets follow the order of
    ``tables``. A table number that cannot be a sheet name, or a duplicate, raises ValueError
    before anything is written.
    """
    tables = list(tables)
    _check_tables(tables)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"Excelファイルの名前は .xlsx で終わる必要があります: {path}")

    wb = Workbook()
    toc = wb.active
    toc.title = TOC_SHEET
    _write_toc(toc, tables, title=title, subtitle=subtitle, banner=banner, source_lines=list(source_lines))
    for table in tables:
        _write_table(wb.create_sheet(title=table.number), table)

    wb.properties.title = title
    wb.properties.subject = subtitle or None
    wb.properties.creator = "komae_analysis"
    wb.properties.lastModifiedBy = "komae_analysis"
    wb.properties.language = "ja-JP"
    atomic_write_bytes(path, workbook_bytes(wb, timestamp=FIXED_TIMESTAMP))
    return path


def write_appendix_workbook(
    report: Path, records: Sequence[dict], *, path: Path, title: str, subtitle: str, banner: str | None
) -> Path | None:
    """The report's workbook from the tables the sections saved (``records``: the sections'
    ``sections/<id>.json``, in appendix order); None when no section has a table."""
    tables = [
        AppendixTable.load(Path(report) / "tables" / "data" / rec["section"] / t["file"])
        for rec in records
        for t in rec.get("tables", [])
    ]
    if not tables:
        return None
    return write_workbook(tables, path, title=title, subtitle=subtitle, banner=banner)
