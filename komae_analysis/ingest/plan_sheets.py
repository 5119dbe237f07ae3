"""What the three plan workbooks share (the 施策 registry, the progress records, the 実施計画): the
way their sheets are laid out and read.

Every sheet of these workbooks is a list kept by hand by the city's staff: a title line, perhaps a
note, then one header row and one record per row. The header is found by its labels anywhere in the
first rows (a sheet whose header moved down a row still reads); a missing label is reported with the
labels found. Cells are read as the editors type them: 全角 digits, 和暦 fiscal years (令和6年度, R6,
2024), several items in one cell (one per line, or 「、」-separated department names), marks for yes
(○). Every problem is recorded with the sheet, row and the column's label and letter.

:class:`Columns` maps each label to its column; :func:`sheet_records` yields the non-blank rows
below the header. The layouts themselves are in the reader modules
(:mod:`~komae_analysis.ingest.plan_registry`, :mod:`~komae_analysis.ingest.plan_progress`,
:mod:`~komae_analysis.ingest.implementation_plan`) and in data/raw/README.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from komae_analysis.calendar import short_fy, wareki_fy, western_year
from komae_analysis.ingest.common import (
    HEADER_SEARCH_ROWS,
    Problems,
    Sheet,
    cell_text,
    clean_label,
    column_letter,
    is_blank_row,
    pad,
)

#: Marks an editor may type for 「yes」 (重点施策, 遅れ): after NFKC.
YES_MARKS = frozenset({"○", "◯", "〇", "●", "◎", "1", "はい", "重点", "該当", "遅れ"})
_ERA_FY = re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,2})\s*(?:年度|年)?$", re.IGNORECASE)
_WESTERN_FY = re.compile(r"^(\d{4})\s*(?:年度|年)?$")
_BULLETS = ("・", "･", "•", "●", "○", "-", "‐", "－", "*", "※")
_DEPARTMENT_SPLIT = re.compile(r"[\n、，,／/\s]+")


@dataclass(frozen=True)
class Columns:
    """The header of one sheet: its row, and label → 0-based column index (as the layout names it)."""

    row: int
    index: dict[str, int]

    def where(self, label: str) -> str:
        """How a problem names the column: 「施策コード（A列）」."""
        return f"{label}（{column_letter(self.index[label])}列）"

    def get(self, cells: Sequence[Any], label: str) -> Any:
        i = self.index.get(label)
        return None if i is None else cells[i]


def find_header(
    sheet: Sheet,
    problems: Problems,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    aliases: dict[str, Sequence[str]] | None = None,
) -> Columns | None:
    """The header row of ``sheet``: the first of its first rows that holds every ``required`` label
    (compared after :func:`clean_label`; ``aliases`` gives other accepted spellings of a label).
    ``optional`` labels are mapped when present. When no row has them all, the missing labels are
    reported against the row that has most of them, and None is returned."""
    aliases = aliases or {}

    def spellings(label: str) -> set[str]:
        return {clean_label(label), *(clean_label(a) for a in aliases.get(label, ()))}

    wanted = {label: spellings(label) for label in [*required, *optional]}
    best: tuple[int, int, list[str]] | None = None
    for row, values in sheet.rows[:HEADER_SEARCH_ROWS]:
        labels = [clean_label(v) for v in values]
        found = [label for label in required if wanted[label] & set(labels)]
        if best is None or len(found) > best[1]:
            best = (row, len(found), labels)
        if len(found) == len(required):
            index: dict[str, int] = {}
            for label in [*required, *optional]:
                positions = [i for i, x in enumerate(labels) if x in wanted[label]]
                if len(positions) > 1:
                    problems.add(
                        f"列『{label}』が2つ以上あります（{'、'.join(column_letter(i) + '列' for i in positions)}）",
                        row=row,
                        expected=f"列『{label}』は1つ",
                        found=" | ".join(x for x in labels if x),
                    )
                    return None
                if positions:
                    index[label] = positions[0]
            return Columns(row, index)
    if best is None or best[1] == 0:
        problems.add(
            f"見出し行が見つかりません（先頭の{HEADER_SEARCH_ROWS}行に『{required[0]}』などの列名がありません）",
            expected=" | ".join(required),
            found="見出し行なし",
        )
        return None
    row, _n, labels = best
    for label in required:
        if not wanted[label] & set(labels):
            problems.add(
                f"列『{label}』がありません",
                row=row,
                expected=" | ".join(required),
                found=" | ".join(x for x in labels if x) or "（空行）",
            )
    return None


def sheet_records(sheet: Sheet, columns: Columns) -> Iterator[tuple[int, list[Any]]]:
    """The rows below the header that are not blank, with their spreadsheet row numbers."""
    width = max(columns.index.values(), default=0) + 1
    for row, values in sheet.rows:
        if row <= columns.row:
            continue
        cells = pad(values, width)
        if is_blank_row([cells[i] for i in columns.index.values()]):
            continue
        yield row, cells


# ------------------------------------------------------------------------------------- cells


def text(value: Any) -> str:
    """A text cell as stored: NFKC only for the ASCII-width forms (全角 digits and letters), spaces at
    both ends removed; line breaks kept. Japanese punctuation (（）、。) is kept as written."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            value = int(value)
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = "".join(unicodedata.normalize("NFKC", ch) if "０" <= ch <= "ｚ" else ch for ch in s)
    return "\n".join(line.strip(" \u3000\t") for line in s.split("\n")).strip("\n")


def lines(value: Any) -> list[str]:
    """A cell holding several items, one per line (「・」 bullets and empty lines dropped)."""
    out = []
    for line in text(value).split("\n"):
        line = line.strip(" \u3000\t")
        while line.startswith(_BULLETS):
            line = line[1:].strip(" \u3000\t")
        if line:
            out.append(line)
    return out


def departments(value: Any) -> list[str]:
    """A cell naming departments (課): one per line, or separated by 「、」, 「／」 or spaces."""
    return [d for d in _DEPARTMENT_SPLIT.split(text(value)) if d]


def is_yes(value: Any) -> bool | None:
    """A yes/no mark: True for ○ (and the other :data:`YES_MARKS`), False for an empty cell (or 「-」,
    「×」), None for anything else."""
    t = clean_label(value)
    if t in ("", "-", "×", "いいえ"):
        return False
    return True if t in YES_MARKS else None


def fiscal_year(value: Any) -> int | None:
    """A fiscal year as typed: 2024, 「2024年度」, 「令和6年度」, 「令和6」, 「R6」, 「令和元年度」 → 2024 …;
    None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and 1989 <= int(value) <= 2100:
            return int(value)
        return None
    t = clean_label(value)
    m = _WESTERN_FY.match(t)
    if m:
        year = int(m.group(1))
        return year if 1989 <= year <= 2100 else None
    m = _ERA_FY.match(t)
    if m:
        return western_year(m.group(1), m.group(2))
    return None


FY_EXPECTED = "年度（例: 令和6年度、R6、2024）"


def fy_label(fy: int) -> str:
    """令和6年度（R6） — how a fiscal year is named in a problem."""
    return f"{wareki_fy(fy)}（{short_fy(fy)}）"


def require_text(
    problems: Problems, cells: Sequence[Any], columns: Columns, label: str, row: int, *, what: str = ""
) -> str:
    """The text of a required cell; an empty one is recorded as a problem."""
    value = text(columns.get(cells, label))
    if not value:
        problems.add(
            f"{what or label}が空欄です",
            row=row,
            column=columns.where(label),
            expected=f"{label}の記入",
            found=cell_text(columns.get(cells, label)),
        )
    return value


def require_fy(problems: Problems, cells: Sequence[Any], columns: Columns, label: str, row: int) -> int | None:
    raw = columns.get(cells, label)
    fy = fiscal_year(raw)
    if fy is None:
        problems.add(
            "年度の書き方が違います" if text(raw) else "年度が空欄です",
            row=row,
            column=columns.where(label),
            expected=FY_EXPECTED,
            found=cell_text(raw),
        )
    return fy


# ------------------------------------------------------------------------------ writing (forms)


def write_list_sheet(
    ws: Any,
    *,
    title: str,
    note: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    wrap: Sequence[str] = (),
) -> None:
    """Lay out one list sheet as the readers expect it: the title on row 1, a note on row 2, the
    header on row 3 (bold, filled, frozen), one record per row below. Columns named in ``wrap`` wrap
    their text (cells holding several lines). Used by the demo data and ``komae registry template``;
    openpyxl's styles are imported here, by the caller's first use."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=note).font = Font(size=9, color="FF555555")
    fill = PatternFill(fill_type="solid", start_color="FFDCE6F1", end_color="FFDCE6F1")
    for j, label in enumerate(header, start=1):
        cell = ws.cell(row=3, column=j, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrapped = {header.index(c) for c in wrap if c in header}
    for i, record in enumerate(rows, start=4):
        for j, value in enumerate(record, start=1):
            cell = ws.cell(row=i, column=j, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=(j - 1) in wrapped)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A4"
