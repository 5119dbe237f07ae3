"""The appendix workbook: a 「目次」 sheet, then per section one sheet per table and one per figure.

Written for an editor who pastes the tables and figures into Word:

- 目次 lists the sections by their titles (第1節 第2款　統計から見る現状（1）…) and under each its
  tables and figures, each linked to its sheet; build date (日本時間, given by the caller) and the
  demo-data banner on top.
- A table sheet (named by the table number, 表2-1-3) has the title, the 単位 line at the top right
  of the table, a bold filled header whose text wraps, the data (numbers stored as numbers with the
  number formats of :data:`komae_analysis.report.numbers.EXCEL_FORMATS`: △ for negatives, shares
  stored as percentages; missing values left empty), 合計/小計 rows bold with a rule above, the 出典
  and 注 lines and a link back to the 目次. Column widths are capped so that a table fits an A4
  page (landscape at most, :data:`PAGE_WIDTH_LANDSCAPE` character units): long text wraps instead.
  Pages are set to A4, fitted to the page width, with the header row repeated.
- A figure sheet (named by the figure number, 図2-1-1) has the title, the PNG the section saved
  (its alt text set on the picture too), 出典, 注, the alt text as a line (「図の説明：…」) and a link
  back to the 目次.

The file is deterministic: the document properties carry a fixed timestamp and the zip entries a
fixed date, so the same tables give a byte-identical file (handy for the build manifest's sha256).

openpyxl is imported lazily, in the functions that write: the build imports this module at start-up.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from komae_analysis.fileio import atomic_write_bytes, workbook_bytes
from komae_analysis.report.artefact import check_number
from komae_analysis.report.charts import DPI, AppendixFigure, png_size
from komae_analysis.report.numbers import EXCEL_FORMATS, NUMERIC_FORMATS, cell_value
from komae_analysis.report.tables import AppendixTable

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FIXED_TIMESTAMP",
    "MAX_TEXT_WIDTH",
    "PAGE_WIDTH_LANDSCAPE",
    "PAGE_WIDTH_PORTRAIT",
    "TOC_SHEET",
    "StyleCache",
    "WorkbookSection",
    "column_widths",
    "display_width",
    "page_setup",
    "table_styles",
    "write_appendix_workbook",
    "write_workbook",
]

TOC_SHEET = "目次"
#: The creation/modification time written into every workbook, so that equal input gives equal files.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)

FONT_NAME = "游ゴシック"

# Row layout of a table sheet.
TITLE_ROW = 1
UNIT_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

#: Column widths in Excel character units (a full-width character counts 2).
MIN_WIDTH = 6
#: A text column wider than this wraps its cells.
MAX_TEXT_WIDTH = 40
#: A header wider than its column's data wraps once it passes this width (numeric columns).
MAX_NUMERIC_HEADER_WIDTH = 12
#: A header of a text column wraps once it passes this width (when its data is narrower).
MAX_TEXT_HEADER_WIDTH = 16
#: A text column is not narrowed below this to fit the page.
MIN_TEXT_WIDTH = 12
#: The printable width of an A4 page (12.7 mm margins) in character units of the body font.
PAGE_WIDTH_PORTRAIT = 90
PAGE_WIDTH_LANDSCAPE = 130
#: Row height (points) per line of wrapped 10 pt text, and of the 9 pt lines under a table.
LINE_HEIGHT = 16.5
SMALL_LINE_HEIGHT = 14.5
TITLE_LINE_HEIGHT = 20.0
#: Figure sheets: the columns the text under the picture spans, and Excel's default row height.
FIGURE_TEXT_COLUMNS = 12
FIGURE_COLUMN_WIDTH = 8.43
DEFAULT_ROW_PX = 20
#: Pixels per inch of the images as shown in Excel (the PNGs are saved at the figure's DPI).
SCREEN_DPI = 96
MARGIN_INCH = 0.5


@functools.cache
def table_styles() -> SimpleNamespace:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    rule = Side(style="medium", color="000000")
    return SimpleNamespace(
        Alignment=Alignment,
        Border=Border,
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        total_border=Border(left=thin, right=thin, top=rule, bottom=thin),
        header_fill=PatternFill(fill_type="solid", start_color="FFDCE6F1", end_color="FFDCE6F1"),
        section_fill=PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2"),
        total_fill=PatternFill(fill_type="solid", start_color="FFEEF2F6", end_color="FFEEF2F6"),
        highlight_fill=PatternFill(fill_type="solid", start_color="FFFFF3D6", end_color="FFFFF3D6"),
        banner_fill=PatternFill(fill_type="solid", start_color="FFFDE9E7", end_color="FFFDE9E7"),
        title=Font(name=FONT_NAME, bold=True, size=13),
        toc_title=Font(name=FONT_NAME, bold=True, size=16),
        subtitle=Font(name=FONT_NAME, size=11),
        section=Font(name=FONT_NAME, bold=True, size=11),
        header=Font(name=FONT_NAME, bold=True, size=10),
        body=Font(name=FONT_NAME, size=10),
        total=Font(name=FONT_NAME, size=10, bold=True),
        small=Font(name=FONT_NAME, size=9),
        link=Font(name=FONT_NAME, size=10, color="FF0563C1", underline="single"),
        banner=Font(name=FONT_NAME, bold=True, size=12, color="FFC00000"),
    )


# ---------------------------------------------------------------------------------------------
# Widths and heights
# ---------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: full-width (and ambiguous) characters count 2."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("F", "W", "A") else 1
    return width


def _widest(texts: Iterable[str]) -> int:
    return max((display_width(line) for t in texts if t for line in t.split("\n")), default=0)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide (an estimate: Japanese
    text breaks anywhere)."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in (text or "").split("\n"))


def column_widths(heads: Sequence[str], cells: Sequence[Sequence[str]], numeric: Sequence[bool]) -> list[float]:
    """Column widths for printed ``cells`` (column by column) under ``heads``.

    A numeric column is as wide as its widest number (numbers never wrap); its header wraps past
    :data:`MAX_NUMERIC_HEADER_WIDTH`. A text column is as wide as its widest cell up to
    :data:`MAX_TEXT_WIDTH` (longer text wraps). When the columns together are wider than an A4
    landscape page, the text columns are narrowed (not below :data:`MIN_TEXT_WIDTH`).
    """
    widths: list[float] = []
    for head, texts, num in zip(heads, cells, numeric, strict=True):
        data = _widest(texts) + 2
        head_w = display_width(head) + 2
        if num:
            w = max(data, min(head_w, MAX_NUMERIC_HEADER_WIDTH))
        else:
            w = min(MAX_TEXT_WIDTH, max(data, min(head_w, MAX_TEXT_HEADER_WIDTH)))
        widths.append(float(max(MIN_WIDTH, w)))
    excess = sum(widths) - PAGE_WIDTH_LANDSCAPE
    if excess > 0:
        text_cols = [j for j, num in enumerate(numeric) if not num and widths[j] > MIN_TEXT_WIDTH]
        room = sum(widths[j] - MIN_TEXT_WIDTH for j in text_cols)
        if room > 0:
            share = min(1.0, excess / room)
            for j in text_cols:
                widths[j] = float(math.floor(widths[j] - (widths[j] - MIN_TEXT_WIDTH) * share))
    return widths


# ---------------------------------------------------------------------------------------------
# Cells, links, pages
# ---------------------------------------------------------------------------------------------


def _sheet_ref(name: str) -> str:
    """A sheet reference for a hyperlink location: quoted, with apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'!A1"


def _link(cell: Any, sheet: str) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=_sheet_ref(sheet), display=str(cell.value))
    cell.font = table_styles().link


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _text_line(ws: Worksheet, row: int, text: str, *, last_col: int, width: float, font: Any,
               line_height: float) -> None:
    """A line of text (出典, 注, title) spanning columns 1..last_col, wrapping within their width."""
    s = table_styles()
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = font
    cell.alignment = s.Alignment(horizontal="left", vertical="top", wrap_text=True)
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    ws.row_dimensions[row].height = max(1, wrapped_lines(text, width)) * line_height


def page_setup(ws: Worksheet, *, landscape: bool, fit_height: bool = False) -> None:
    """A4, fitted to the page width (one page high with ``fit_height``), centred, the appendix margins.
    Used by every printed sheet: the appendix workbook's and a section's own (survey tables, 実施計画)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if fit_height else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCH
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_options.horizontalCentered = True


# ---------------------------------------------------------------------------------------------
# Table sheets
# ---------------------------------------------------------------------------------------------


class StyleCache:
    """Cell styles set once per kind of cell, then copied.

    openpyxl interns every font, border, fill, alignment and number format of every cell into the
    workbook's style lists, hashing the style objects on each assignment (most of the time of a
    large workbook). A cell's resulting ``_style`` (an array of indexes into those lists) is the same
    for every cell of the same kind in one workbook, so it is computed once and copied."""

    def __init__(self) -> None:
        self._arrays: dict[tuple, Any] = {}

    def apply(self, cell: Any, key: tuple, style: Callable[[Any], None]) -> None:
        from copy import copy

        array = self._arrays.get(key)
        if array is None:
            style(cell)
            self._arrays[key] = copy(cell._style)
        else:
            cell._style = copy(array)


def _write_table(ws: Worksheet, table: AppendixTable, styles: StyleCache | None = None) -> None:
    s = table_styles()
    styles = styles or StyleCache()
    cols = list(table.frame.columns)
    fmts = table.column_formats()
    numeric = [fmts[c] in NUMERIC_FORMATS for c in cols]
    ncols = max(len(cols), 1)
    printed = table.formatted()
    widths = column_widths(cols, [printed[c].tolist() for c in cols], numeric) if cols else [float(MIN_WIDTH)]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[_letter(j)].width = w
    total_width = sum(widths)

    _text_line(ws, TITLE_ROW, f"{table.number}　{table.title}", last_col=ncols, width=total_width,
               font=s.title, line_height=TITLE_LINE_HEIGHT)
    if table.unit:
        unit = ws.cell(row=UNIT_ROW, column=ncols, value=table.unit)
        unit.font = s.small
        unit.alignment = s.Alignment(horizontal="right", vertical="bottom")

    header_lines = 1
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=col)
        cell.font = s.header
        cell.fill = s.header_fill
        cell.border = s.border
        cell.alignment = s.Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_lines = max(header_lines, wrapped_lines(col, widths[j - 1]))
    ws.row_dimensions[HEADER_ROW].height = header_lines * LINE_HEIGHT + 4

    totals = table.total_row_positions()
    highlights = table.highlight_row_positions()
    aligns = {
        num: s.Alignment(horizontal="right" if num else "left", vertical="top", wrap_text=not num)
        for num in (True, False)
    }
    r = FIRST_DATA_ROW - 1
    for i, (row, shown) in enumerate(
        zip(table.frame.itertuples(index=False, name=None), printed.itertuples(index=False, name=None),
            strict=True)
    ):
        r = FIRST_DATA_ROW + i
        lines = 1
        is_total = i in totals
        is_highlight = i in highlights
        for j, (col, value) in enumerate(zip(cols, row, strict=True), start=1):
            fmt = fmts[col]
            stored = cell_value(value, fmt)
            # a missing cell shows its mark (「－」, 「…」, 「x」) as in the HTML table
            cell = ws.cell(row=r, column=j, value=shown[j - 1] if stored is None else stored)

            def style(cell: Any, fmt: str = fmt, num: bool = numeric[j - 1], is_total: bool = is_total,
                      is_highlight: bool = is_highlight) -> None:
                cell.number_format = EXCEL_FORMATS[fmt]
                cell.border = s.total_border if is_total else s.border
                cell.font = s.total if is_total or is_highlight else s.body
                if is_total:
                    cell.fill = s.total_fill
                elif is_highlight:
                    cell.fill = s.highlight_fill
                cell.alignment = aligns[num]

            styles.apply(cell, ("cell", fmt, numeric[j - 1], is_total, is_highlight), style)
            if not numeric[j - 1]:
                lines = max(lines, wrapped_lines(shown[j - 1], widths[j - 1]))
        if lines > 1:
            ws.row_dimensions[r].height = lines * LINE_HEIGHT
    last_data_row = r

    row = last_data_row + 2
    for line in [table.source_line(), *table.note_lines()]:
        _text_line(ws, row, line, last_col=ncols, width=total_width, font=s.small, line_height=SMALL_LINE_HEIGHT)
        row += 1
    _link(ws.cell(row=row + 1, column=1, value="目次へ戻る"), TOC_SHEET)

    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{_letter(ncols)}{row}"
    page_setup(ws, landscape=total_width > PAGE_WIDTH_PORTRAIT)


# ---------------------------------------------------------------------------------------------
# Figure sheets
# ---------------------------------------------------------------------------------------------


def _picture(png: bytes, *, row: int, alt: str, name: str) -> Any:
    """An openpyxl image of ``png`` anchored at column A of ``row`` (0-based), shown at its physical
    size (the PNG's DPI), with ``alt`` as the picture's description (Excel's and Word's alt text)."""
    from openpyxl.drawing.image import Image
    from openpyxl.drawing.picture import PictureFrame
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
    from openpyxl.drawing.xdr import XDRPositiveSize2D
    from openpyxl.utils.units import pixels_to_EMU

    img = Image(io.BytesIO(png))
    width_px, height_px = png_size(png)
    img.width = round(width_px * SCREEN_DPI / DPI)
    img.height = round(height_px * SCREEN_DPI / DPI)
    anchor = OneCellAnchor(
        _from=AnchorMarker(col=0, colOff=0, row=row, rowOff=0),
        ext=XDRPositiveSize2D(pixels_to_EMU(img.width), pixels_to_EMU(img.height)),
    )
    # openpyxl writes a pre-built picture frame as it is (filling in the image reference), so the
    # description it would set to "Picture" can carry the alt text.
    from openpyxl.drawing.fill import Blip
    from openpyxl.drawing.geometry import PresetGeometry2D

    pic = PictureFrame()
    pic.nvPicPr.cNvPr.id = 1
    pic.nvPicPr.cNvPr.name = name
    pic.nvPicPr.cNvPr.descr = alt
    pic.blipFill.blip = Blip()
    pic.blipFill.blip.cstate = "print"
    pic.spPr.prstGeom = PresetGeometry2D(prst="rect")
    pic.spPr.ln = None
    anchor.pic = pic
    img.anchor = anchor
    return img


def _write_figure(ws: Worksheet, figure: AppendixFigure) -> None:
    s = table_styles()
    for j in range(1, FIGURE_TEXT_COLUMNS + 1):
        ws.column_dimensions[_letter(j)].width = FIGURE_COLUMN_WIDTH
    text_width = FIGURE_TEXT_COLUMNS * FIGURE_COLUMN_WIDTH
    _text_line(ws, 1, f"{figure.number}　{figure.title}", last_col=FIGURE_TEXT_COLUMNS, width=text_width,
               font=s.title, line_height=TITLE_LINE_HEIGHT)
    png = figure.png_bytes()
    image_row = 3  # 1-based row of the picture's top edge
    img = _picture(png, row=image_row - 1, alt=figure.alt, name=figure.number)
    ws.add_image(img)
    row = image_row + math.ceil(img.height / DEFAULT_ROW_PX) + 1
    for line in [figure.source_line(), *figure.note_lines(), f"図の説明：{figure.alt.strip()}"]:
        _text_line(ws, row, line, last_col=FIGURE_TEXT_COLUMNS, width=text_width, font=s.small,
                   line_height=SMALL_LINE_HEIGHT)
        row += 1
    _link(ws.cell(row=row + 1, column=1, value="目次へ戻る"), TOC_SHEET)
    ws.print_area = f"A1:{_letter(FIGURE_TEXT_COLUMNS)}{row}"
    page_setup(ws, landscape=img.width > img.height * 1.2, fit_height=True)


# ---------------------------------------------------------------------------------------------
# 目次
# ---------------------------------------------------------------------------------------------


@dataclass
class WorkbookSection:
    """The tables and figures of one section, in order, under the section's title."""

    title: str
    tables: list[AppendixTable] = field(default_factory=list)
    figures: list[AppendixFigure] = field(default_factory=list)

    def items(self) -> list[AppendixTable | AppendixFigure]:
        return [*self.tables, *self.figures]


def _write_toc(
    ws: Worksheet,
    sections: Sequence[WorkbookSection],
    *,
    title: str,
    subtitle: str,
    banner: str | None,
    source_lines: Sequence[str],
) -> None:
    s = table_styles()
    widths = [10.0, 80.0]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[_letter(j)].width = w
    ws["A1"] = title
    ws["A1"].font = s.toc_title
    row = 2
    if subtitle:
        ws.cell(row=row, column=1, value=subtitle).font = s.subtitle
        row += 1
    if banner:
        _text_line(ws, row, banner, last_col=2, width=sum(widths), font=s.banner, line_height=TITLE_LINE_HEIGHT)
        for col in (1, 2):
            ws.cell(row=row, column=col).fill = s.banner_fill
        row += 1
    row += 1
    header_row = row
    for col, head in enumerate(["番号", "表題"], start=1):
        cell = ws.cell(row=row, column=col, value=head)
        cell.font = s.header
        cell.fill = s.header_fill
        cell.border = s.border
        cell.alignment = s.Alignment(horizontal="center", vertical="center")
    for section in sections:
        row += 1
        cell = ws.cell(row=row, column=1, value=section.title)
        cell.font = s.section
        cell.alignment = s.Alignment(horizontal="left", vertical="center", wrap_text=True)
        for col in (1, 2):
            ws.cell(row=row, column=col).fill = s.section_fill
            ws.cell(row=row, column=col).border = s.border
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.row_dimensions[row].height = wrapped_lines(section.title, sum(widths)) * LINE_HEIGHT + 2
        for item in section.items():
            row += 1
            for col, value in enumerate([item.number, item.title], start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.border = s.border
                _link(cell, item.number)
                cell.alignment = s.Alignment(vertical="top", wrap_text=col == 2)
            lines = wrapped_lines(item.title, widths[1])
            if lines > 1:
                ws.row_dimensions[row].height = lines * LINE_HEIGHT
    if not any(section.items() for section in sections):
        row += 1
        ws.cell(row=row, column=1, value="（掲載する表・図はありません）").font = s.body
    if source_lines:
        row += 2
        ws.cell(row=row, column=1, value="資料の出典").font = s.header
        for line in source_lines:
            row += 1
            _text_line(ws, row, line, last_col=2, width=sum(widths), font=s.small, line_height=SMALL_LINE_HEIGHT)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    page_setup(ws, landscape=False)


# ---------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------


def _group(
    tables: Sequence[AppendixTable], figures: Sequence[AppendixFigure], titles: Mapping[str, str]
) -> list[WorkbookSection]:
    by_id: dict[str, WorkbookSection] = {}
    for item in [*tables, *figures]:
        section = by_id.setdefault(item.section, WorkbookSection(titles.get(item.section) or item.section or "その他"))
        (section.tables if isinstance(item, AppendixTable) else section.figures).append(item)
    order = {sid: i for i, sid in enumerate(titles)}
    return [by_id[sid] for sid in sorted(by_id, key=lambda sid: order.get(sid, len(order)))]


def _check_items(sections: Sequence[WorkbookSection]) -> None:
    for section in sections:
        for t in section.tables:
            if not isinstance(t, AppendixTable):
                raise TypeError(f"AppendixTable ではないものが渡されました: {type(t).__name__}")
            t.require_number()
            t.validate()
        for f in section.figures:
            if not isinstance(f, AppendixFigure):
                raise TypeError(f"AppendixFigure ではないものが渡されました: {type(f).__name__}")
            f.require_number()
    _check_unique(sections)


def _check_unique(sections: Sequence[WorkbookSection]) -> None:
    seen: dict[str, str] = {}
    for section in sections:
        for item in section.items():
            check_number(item.number, kind=item.KIND)
            key = item.number.casefold()
            if key in seen:
                raise ValueError(
                    f"番号「{item.number}」が重複しています（シート名は大文字小文字を区別せず一意です）"
                )
            seen[key] = item.number


class WorkbookBuilder:
    """The appendix workbook, built section by section and written once in appendix order.

    Sheets can be made as soon as a section's tables and figures exist: a partial build
    (``--only``) makes the sheets of the sections it keeps while the rebuilt ones run, so that what
    is left after them is proportional to what was rebuilt. Not thread-safe: one thread at a time
    (the build adds the kept sections on a helper thread and joins it before adding the others)."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._wb = Workbook()
        self._wb.remove(self._wb.active)
        self.table_styles = StyleCache()  # the style indexes belong to this workbook
        self._sections: dict[str, tuple[WorkbookSection, list[Worksheet]]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._sections

    def add(self, key: str, section: WorkbookSection) -> None:
        """Make the sheets of one section (``key``: its id)."""
        _check_items([section])
        sheets = []
        for table in section.tables:
            ws = self._wb.create_sheet(title=table.number)
            _write_table(ws, table, self.table_styles)
            sheets.append(ws)
        for figure in section.figures:
            ws = self._wb.create_sheet(title=figure.number)
            _write_figure(ws, figure)
            sheets.append(ws)
        self._sections[key] = (section, sheets)

    def write(self, path: Path, order: Sequence[str], *, title: str, subtitle: str = "",
              banner: str | None = None, source_lines: Sequence[str] = ()) -> Path:
        """The 目次 and the sections' sheets in ``order`` (keys), written atomically to ``path``."""
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise ValueError(f"Excelファイルの名前は .xlsx で終わる必要があります: {path}")
        keys = [k for k in order if k in self._sections]
        sections = [self._sections[k][0] for k in keys]
        _check_unique(sections)  # each section was checked when added; numbers unique across them too
        wb = self._wb
        toc = wb.create_sheet(title=TOC_SHEET)
        _write_toc(toc, sections, title=title, subtitle=subtitle, banner=banner, source_lines=list(source_lines))
        wb._sheets = [toc, *(ws for k in keys for ws in self._sections[k][1])]
        wb.active = 0
        wb.properties.title = title
        wb.properties.subject = subtitle or None
        wb.properties.creator = "komae_analysis"
        wb.properties.lastModifiedBy = "komae_analysis"
        wb.properties.language = "ja-JP"
        atomic_write_bytes(path, workbook_bytes(wb, timestamp=FIXED_TIMESTAMP))
        return path


def write_workbook(
    tables: Sequence[AppendixTable],
    path: Path,
    *,
    title: str,
    subtitle: str = "",
    banner: str | None = None,
    source_lines: Sequence[str] = (),
    figures: Sequence[AppendixFigure] = (),
    section_titles: Mapping[str, str] | None = None,
    sections: Sequence[WorkbookSection] | None = None,
) -> Path:
    """Write the appendix workbook to ``path`` (atomically) and return the path.

    The contents are ``sections`` when given; otherwise ``tables`` and ``figures`` grouped by their
    ``section`` id, under the title ``section_titles`` gives it (in that mapping's order; an id it
    does not know heads its own group). ``title`` / ``subtitle`` (the build date, in 日本時間) head
    the 目次 sheet; ``banner`` (e.g. the demo-data warning) is shown there in red; ``source_lines``
    are listed under 「資料の出典」. A number that cannot be a sheet name, or a duplicate, raises
    ValueError before anything is written.
    """
    if sections is None:
        sections = _group(list(tables), list(figures), dict(section_titles or {}))
    elif tables or figures:
        raise ValueError("sections を渡すときは tables と figures を渡さないでください")
    sections = list(sections)
    _check_items(sections)
    if Path(path).suffix.lower() != ".xlsx":
        raise ValueError(f"Excelファイルの名前は .xlsx で終わる必要があります: {path}")
    builder = WorkbookBuilder()
    for i, section in enumerate(sections):
        builder.add(str(i), section)
    return builder.write(path, [str(i) for i in range(len(sections))], title=title, subtitle=subtitle,
                         banner=banner, source_lines=source_lines)


def load_section(report: Path, record: dict) -> WorkbookSection:
    """One section's tables and figures as saved in the report folder (``record``: its
    ``sections/<id>.json``)."""
    report = Path(report)
    sid = record["section"]
    tables = [AppendixTable.load(report / "tables" / "data" / sid / t["file"]) for t in record.get("tables", [])]
    figures = [
        AppendixFigure.load((report / "figures" / sid / f["file"]).with_suffix(".json"))
        for f in record.get("figures", [])
    ]
    return WorkbookSection(record.get("title") or sid, tables, figures)


def write_appendix_workbook(
    report: Path,
    records: Sequence[dict],
    *,
    path: Path,
    title: str,
    subtitle: str,
    banner: str | None,
    source_lines: Sequence[str] = (),
    builder: WorkbookBuilder | None = None,
) -> Path | None:
    """The report's workbook from what the sections saved (``records``: the sections'
    ``sections/<id>.json``, in appendix order): tables from ``tables/data/<section>/``, figures from
    ``figures/<section>/``, grouped under each section's title. ``builder`` may hold some sections
    already (see :class:`WorkbookBuilder`). None when nothing was saved."""
    builder = builder or WorkbookBuilder()
    order = []
    for rec in records:
        sid = rec["section"]
        if sid not in builder:
            section = load_section(report, rec)
            if not (section.tables or section.figures):
                continue
            builder.add(sid, section)
        order.append(sid)
    if not order:
        return None
    return builder.write(path, order, title=title, subtitle=subtitle, banner=banner, source_lines=source_lines)
