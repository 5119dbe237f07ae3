"""Writers of the wide tables :mod:`komae_analysis.ingest.city_yearly` reads: the city-kept yearly
workbooks (one sheet per topic, items × 年度) and the sheet layout shared with the other wide tables
(title lines, a two-row heading whose group cell is merged over the period columns, 注 lines).

No ``write`` here: the demo modules of the sources (:mod:`~komae_analysis.demo.community`,
:mod:`~komae_analysis.demo.recidivism`) call these helpers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from komae_analysis.calendar import wareki_fy

#: The line every demo sheet ends with.
DEMO_NOTE = "※デモデータ：実在の統計ではありません（komae_analysis.demo が生成した架空の値）"


@dataclass(frozen=True)
class DemoSheet:
    """One wide sheet: title lines, label headings, the group heading over the periods, the period
    headings, data rows (label cells then values; None = a merged label cell), 注 lines."""

    name: str
    lines: tuple[str, ...]  # A1, A2, … above the heading (one blank row follows)
    labels: tuple[str, ...]
    group: str  # the merged cell over the periods (年度, 年)
    periods: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()  # value columns after the periods (月平均), merged over both heading rows
    groups: tuple[tuple[str, int], ...] = ()  # several group cells (令和7年 over 9 months, 令和8年 over 3)
    merge_down: tuple[int, ...] = ()  # label columns whose repeated cells are merged (0-based)


def add_sheet(wb: Workbook, spec: DemoSheet) -> None:
    """Append one sheet in the layout of the wide tables (a normal workbook: merged cells need it)."""
    ws = wb.create_sheet(spec.name)
    bold = Font(bold=True)
    for i, line in enumerate(spec.lines, start=1):
        ws.cell(row=i, column=1, value=line)
    ws.cell(row=1, column=1).font = bold
    head = len(spec.lines) + 2
    n_labels = len(spec.labels)
    for j, label in enumerate(spec.labels, start=1):
        ws.cell(row=head, column=j, value=label).font = bold
        ws.merge_cells(start_row=head, start_column=j, end_row=head + 1, end_column=j)
    first = n_labels + 1
    groups = spec.groups or ((spec.group, len(spec.periods)),)
    col = first
    for text, span in groups:
        ws.cell(row=head, column=col, value=text).font = bold
        if span > 1:
            ws.merge_cells(start_row=head, start_column=col, end_row=head, end_column=col + span - 1)
        col += span
    for j, period in enumerate(spec.periods, start=first):
        cell = ws.cell(row=head + 1, column=j, value=period)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
    for k, text in enumerate(spec.extra, start=first + len(spec.periods)):
        ws.cell(row=head, column=k, value=text).font = bold
        ws.merge_cells(start_row=head, start_column=k, end_row=head + 1, end_column=k)
    r = head + 2
    starts: dict[int, tuple[int, Any]] = {}
    for row in spec.rows:
        for j, value in enumerate(row, start=1):
            if value is not None or j - 1 not in spec.merge_down:
                ws.cell(row=r, column=j, value=value)
        for j in spec.merge_down:
            if row[j] is not None:
                _close_merge(ws, starts.get(j), j, r - 1)
                starts[j] = (r, row[j])
        r += 1
    for j in spec.merge_down:
        _close_merge(ws, starts.get(j), j, r - 1)
    r += 1
    for note in (*spec.notes, DEMO_NOTE):
        ws.cell(row=r, column=1, value=note)
        r += 1
    ws.column_dimensions["A"].width = 22
    for j in range(2, first + len(spec.periods) + len(spec.extra)):
        ws.column_dimensions[get_column_letter(j)].width = 11
    ws.freeze_panes = ws.cell(row=head + 2, column=first)


def _close_merge(ws: Any, start: tuple[int, Any] | None, col: int, end: int) -> None:
    if start is not None and end > start[0]:
        ws.merge_cells(start_row=start[0], start_column=col + 1, end_row=end, end_column=col + 1)


def fy_headings(years: Sequence[int]) -> tuple[str, ...]:
    """令和元年度 … as the city's workbooks head their columns."""
    return tuple(wareki_fy(y) for y in years)


def yearly_sheet(name: str, title: str, date_line: str, provider: str, years: Sequence[int],
                 items: Sequence[tuple[str, str, Sequence[Any]]], notes: Sequence[str] = ()) -> DemoSheet:
    """A city-kept topic sheet: 項目 | 単位 | one column per 年度; ``items`` are (label, unit, values)."""
    return DemoSheet(
        name=name,
        lines=(title, date_line, f"提供：{provider}"),
        labels=("項目", "単位"),
        group="年度",
        periods=fy_headings(years),
        rows=tuple((label, unit, *values) for label, unit, values in items),
        notes=tuple(notes),
    )


__all__ = ["DEMO_NOTE", "DemoSheet", "add_sheet", "fy_headings", "yearly_sheet"]
