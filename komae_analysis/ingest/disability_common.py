"""What the two disability readers share: the categories of the 手帳 and 制度, the 年度 labels, and
the parts of a statistical sheet found by their labels (the reference-date and unit lines above the
table, a header of one or two rows with merged cells, the note lines below it).

- :mod:`~komae_analysis.ingest.city_disability`: the city's own workbook (one sheet per 手帳 or
  制度, 年度 columns, rows by 等級・種別 × 年齢区分);
- :mod:`~komae_analysis.ingest.tokyo_disability`: 東京都「福祉・衛生 統計年報」 tables (区市町村
  rows, levels in merged two-row headers).

Merged cells arrive from python-calamine as the value in the top-left cell and empty strings in the
others, so a merged label is carried right (:func:`header_labels`) or down (the readers) to the
cells it covers. Everything is found by its label, never by a fixed row, so a sheet with one more
line above its table (a note, an empty row) reads the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from komae_analysis.calendar import parse_wareki, wareki_fy, western_year
from komae_analysis.ingest.common import (
    Problems,
    Sheet,
    cell_text,
    clean_label,
    column_letter,
    find_row,
)

# --------------------------------------------------------------------------- categories

SHINTAI = "身体障害者手帳"
AI = "愛の手帳"
SEISHIN = "精神障害者保健福祉手帳"
JIRITSU = "自立支援医療（精神通院）"
NANBYO = "難病医療費助成"
#: Every 手帳 and 制度, in the order of the pages.
TABLES = (SHINTAI, AI, SEISHIN, JIRITSU, NANBYO)
#: The three 手帳.
TECHO = (SHINTAI, AI, SEISHIN)

SHINTAI_GRADES = ("1級", "2級", "3級", "4級", "5級", "6級")
SHINTAI_KINDS = ("視覚障害", "聴覚・平衡機能障害", "音声・言語・そしゃく機能障害", "肢体不自由", "内部障害")
AI_GRADES = ("1度", "2度", "3度", "4度")
SEISHIN_GRADES = ("1級", "2級", "3級")
NANBYO_KINDS = ("指定難病", "都単独疾病")

#: 等級 that a 障害種別 does not have (身体障害者障害程度等級表): their cells are 「－」 in the tables.
#: 聴覚障害 2・3・4・6級 and 平衡機能障害 3・5級; 音声・言語・そしゃく機能障害 3・4級; 内部障害 1・3・4級.
NOT_APPLICABLE: dict[str, frozenset[str]] = {
    "聴覚・平衡機能障害": frozenset({"1級"}),
    "音声・言語・そしゃく機能障害": frozenset({"1級", "2級", "5級", "6級"}),
    "内部障害": frozenset({"2級", "5級", "6級"}),
}

TOTAL = "計"
AGE_BANDS = ("18歳未満", "18～64歳", "65歳以上")

UNIT = "人"
#: The reference date of every figure: the end of a fiscal year.
YEAR_END = (3, 31)


def year_end(fy: int) -> dt.date:
    """The reference date of fiscal year ``fy``'s figures: 31 March of the next calendar year."""
    return dt.date(fy + 1, *YEAR_END)


# ----------------------------------------------------------------------------- 年度 labels

_FY_RE = re.compile(r"^(令和|平成)(元|\d+)年度$")


def parse_fy(label: str) -> int | None:
    """「令和7年度」 → 2025, 「令和元年度」 → 2019, 「平成29年度」 → 2017 (after clean_label: full-width
    digits are read); None when the label is not a 年度."""
    m = _FY_RE.match(clean_label(label))
    if not m:
        return None
    fy = western_year(m.group(1), m.group(2))
    if m.group(1) == "平成" and fy > 2018:
        return None
    return fy


# -------------------------------------------------------------------- lines above the table


def is_note(text: str) -> bool:
    """A note line under a table: 注, ※, 資料, 出典."""
    return text.startswith(("注", "※", "資料", "出典", "(注)"))


def find_header_row(sheet: Sheet, wanted: Sequence[str], *, first_col_only: bool = False) -> int | None:
    """The sheet row (1-based) among the first 20 holding every label of ``wanted`` (or, with
    ``first_col_only``, whose first non-empty cell is ``wanted[0]``); None when there is none."""
    labels = [clean_label(w) for w in wanted]

    def matches(texts: list[str]) -> bool:
        if first_col_only:
            return next((t for t in texts if t), "") == labels[0]
        return all(w in texts for w in labels)

    i = find_row(sheet.rows, matches)
    return None if i is None else sheet.rows[i][0]


def check_date_line(
    sheet: Sheet, header_row: int, problems: Problems, *, expected: str, dated: bool
) -> tuple[int, dt.date | None] | None:
    """The reference-date line above the header: a cell ending in 「現在」.

    ``dated=False`` (the city's workbook): the line says the figures are 「各年度3月31日現在」.
    ``dated=True`` (東京都): it is one 和暦 date, 「令和8年3月31日現在」, which must be a 31 March.
    Returns (row, date) — date None when not dated — or None after recording the problem."""
    for r, cells in sheet.rows[: header_row - 1]:
        for i, c in enumerate(cells):
            text = clean_label(c)
            if not text.endswith("現在"):
                continue
            col = _col(i)
            if not dated:
                if "3月31日" not in text or "各年度" not in text:
                    problems.add(
                        "基準日の行が様式と違います（各年度の3月31日現在の値のはずです）",
                        row=r, column=col, expected=expected, found=cell_text(c),
                    )
                    return None
                return r, None
            try:
                date = parse_wareki(text)
            except ValueError:
                date = None
            if date is None or "日" not in text:
                problems.add("基準日を読み取れません", row=r, column=col, expected=expected, found=cell_text(c))
                return None
            if (date.month, date.day) != YEAR_END:
                problems.add(
                    "基準日が年度末（3月31日）ではありません", row=r, column=col, expected=expected,
                    found=cell_text(c),
                )
                return None
            return r, date
    problems.add(
        "表の上に基準日の行（「…現在」）がありません",
        row=header_row, expected=f"見出しより上の行に「{expected}」", found="なし",
    )
    return None


def check_unit_line(sheet: Sheet, header_row: int, problems: Problems) -> bool:
    """The unit line above the header, 「（単位：人）」; any other unit is an error."""
    for r, cells in sheet.rows[: header_row - 1]:
        for i, c in enumerate(cells):
            text = clean_label(c)
            if "単位" not in text:
                continue
            unit = re.sub(r"^[(（]?単位[:：]?\s*|[)）]$", "", text).strip()
            if unit != UNIT:
                problems.add(
                    f"単位が「{UNIT}」ではありません", row=r, column=_col(i), expected=f"（単位：{UNIT}）",
                    found=cell_text(c),
                )
                return False
            return True
    problems.add(
        "表の上に単位の行（「（単位：人）」）がありません",
        row=header_row, expected="見出しより上の行に「（単位：人）」", found="なし",
    )
    return False


def check_title(sheet: Sheet, wanted: str, header_row: int, problems: Problems) -> None:
    """The title above the header contains ``wanted`` (the name of the 手帳 or table)."""
    for _r, cells in sheet.rows[: header_row - 1]:
        if any(clean_label(wanted) in clean_label(c) for c in cells):
            return
    first = next((cell_text(c) for _r, cells in sheet.rows[:1] for c in cells if clean_label(c)), "（空欄）")
    problems.add(
        f"表題に「{wanted}」がありません（別の表のシートではありませんか）",
        row=1, column="A", expected=f"「{wanted}」を含む表題", found=first,
    )


# ------------------------------------------------------------------------------- headers


def header_labels(top: Sequence[Any], sub: Sequence[Any], start: int) -> list[tuple[str, str, int]]:
    """The columns of a two-row header from column ``start`` on: (group, label, column index).

    A group label merged over several columns is carried right; a label merged over both rows (an
    empty cell below it) gives (group, 計); a column with nothing in either row is skipped."""
    out: list[tuple[str, str, int]] = []
    group = ""
    n = max(len(top), len(sub))
    for i in range(start, n):
        t = clean_label(top[i]) if i < len(top) else ""
        s = clean_label(sub[i]) if i < len(sub) else ""
        if t:
            group = t
        if not t and not s:
            continue
        out.append((group, s or TOTAL, i))
    return out


def _col(index: int) -> str:
    return column_letter(index)


def column_name(index: int, label: str = "") -> str:
    """How a problem names a column (shown as 列「D（令和2年度）」): the letter, and the heading."""
    return f"{_col(index)}（{label}）" if label else _col(index)


def fy_label(fy: int) -> str:
    return wareki_fy(fy)


__all__ = [
    "AGE_BANDS",
    "AI",
    "AI_GRADES",
    "JIRITSU",
    "NANBYO",
    "NANBYO_KINDS",
    "NOT_APPLICABLE",
    "SEISHIN",
    "SEISHIN_GRADES",
    "SHINTAI",
    "SHINTAI_GRADES",
    "SHINTAI_KINDS",
    "TABLES",
    "TECHO",
    "TOTAL",
    "check_date_line",
    "check_title",
    "check_unit_line",
    "column_name",
    "find_header_row",
    "header_labels",
    "is_note",
    "parse_fy",
    "year_end",
]
