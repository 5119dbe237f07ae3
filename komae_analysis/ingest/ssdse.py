"""独立行政法人統計センター「教育用標準データセット SSDSE-A（市区町村）」(CSV) → the tidy frame
``ssdse_a``: its schema and its reader.

The layout is described in data/raw/README.md (``ssdse_a/``). The reader runs in named steps: the
three header lines (item codes with the edition, years, Japanese labels), the municipality rows
with their values, the typed long frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from komae_analysis.ingest.common import (
    HEADER_SEARCH_ROWS,
    Problems,
    cell_text,
    clean_label,
    is_blank_row,
    pad,
    read_csv_rows,
)
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame

if TYPE_CHECKING:
    import pandera.pandas as pa


# ------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "area_code": text_column(pa.Check.str_matches(r"^\d{5}$")),
            "prefecture": text_column(pa.Check.str_length(min_value=1)),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "item_code": text_column(pa.Check.str_matches(r"^[A-Z]\d+$")),
            "item_name": text_column(pa.Check.str_length(min_value=1)),
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
            "value": pa.Column("Float64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["area_code", "item_code"],
        name="ssdse_a",
    )


SCHEMA = LazySchema(_schema)


@dataclass
class _Items:
    """The item columns (from the fourth column on), as the three header lines describe them."""

    edition: str
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


@dataclass
class _Areas:
    codes: list[str] = field(default_factory=list)
    prefectures: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)  # area-major, one per item


def _fast_number(value: str) -> float | None:
    """Plain numbers without separators, the overwhelmingly common SSDSE cell; None otherwise."""
    try:
        return float(int(value))
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


# -------------------------------------------------------------------------------- the reader


def read_ssdse_a(path: str | Path) -> pd.DataFrame:
    """SSDSE-A (統計センター 教育用標準データセット, 市区町村) → long frame
    ``area_code, prefecture, area_name, item_code, item_name, year, value``.

    Three header lines: item codes (starting with the edition ``SSDSE-A-2023``), the year of each
    item, Japanese labels (``地域コード | 都道府県 | 市区町村 | …``); then one line per municipality
    keyed ``R`` + the 5-digit code. The header lines are found by what they hold, within the first
    20 lines, not by position: a title or blank line above them (a header shifted down) still reads.
    ``item_name`` is the label NFKC-normalised. ``value`` is a nullable float: full-width digits and
    thousands separators are read as numbers; explicit missing markers ("-", "－", "…", "x", "***")
    are NA, never zero. The edition is in ``frame.attrs``.
    """
    path = Path(path)
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    lines, first_data = _header_lines(rows, problems)
    items = _header(lines, problems)
    areas = _parse_rows(rows[first_data:], items, len(lines[0][1]), problems)
    problems.raise_if_any()
    return _frame(items, areas, path)


# ---------------------------------------------------------------- step 1: the header lines

_LABEL_START = ["地域コード", "都道府県", "市区町村"]
_ITEM_CODE = re.compile(r"[A-Z]\d+")

Line = tuple[int, list[str]]


def _is_code_line(cells: Sequence[str], *, strict: bool = True) -> bool:
    """The edition in the first cell; ``strict``: and mostly item codes from the fourth cell on (so
    that a title line 「SSDSE-A-2026 …」 above the header is not taken for it)."""
    if not cells or not clean_label(cells[0]).startswith("SSDSE-A"):
        return False
    if not strict:
        return True
    codes = [clean_label(c) for c in cells[3:]]
    return len(codes) > 0 and sum(bool(_ITEM_CODE.fullmatch(c)) for c in codes) * 2 >= len(codes)


def _is_label_line(cells: Sequence[str]) -> bool:
    return [clean_label(x) for x in cells[:3]] == _LABEL_START


def _header_lines(rows: list[Line], problems: Problems) -> tuple[tuple[Line, Line, Line], int]:
    """The item-code line, the year line and the label line, found by their contents within the
    first lines (blank or title lines above them are skipped), and the index of the first data row.

    The code line starts with the edition (``SSDSE-A-2026``), the label line with
    ``地域コード | 都道府県 | 市区町村``, and the year line is the one non-blank line between them."""
    head = [(i, line, cells) for i, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])]
    code = next(((i, line, c) for i, line, c in head if _is_code_line(c)), None)
    if code is None:  # an edition line whose item codes are malformed: read it, to say which cells
        code = next(((i, line, c) for i, line, c in head if _is_code_line(c, strict=False)), None)
    label = next(((i, line, c) for i, line, c in head if _is_label_line(c)), None)
    if code is None:
        first = next(((line, c) for _i, line, c in head if not is_blank_row(c)), None)
        problems.add(
            "SSDSE-Aの項目コードの行（1列目が版名「SSDSE-A-YYYY」の行）がありません",
            row=first[0] if first else None,
            column="A列",
            expected="SSDSE-A-YYYY | Prefecture | Municipality | A1101 …",
            found=cell_text(first[1][0]) if first and first[1] else "（空欄）",
        )
    if label is None:
        problems.add(
            "項目名の行（地域コード | 都道府県 | 市区町村 | …）がありません",
            row=code[1] + 2 if code else None,
            expected="地域コード | 都道府県 | 市区町村 | …",
            found=f"最初の{HEADER_SEARCH_ROWS}行に見つかりません",
        )
    problems.raise_if_any()
    assert code is not None and label is not None
    between = [(line, c) for i, line, c in head if code[0] < i < label[0] and not is_blank_row(c)]
    if label[0] < code[0] or len(between) != 1:
        problems.add(
            "見出しの3行（項目コード・年度・項目名）の並びが違います",
            row=code[1],
            expected="項目コードの行、年度の行、項目名の行の順",
            found=(
                f"項目コード{code[1]}行目、項目名{label[1]}行目、その間の行: "
                + ("、".join(f"{line}行目" for line, _c in between) or "なし")
            ),
        )
        problems.raise_if_any()
    year = between[0]
    return ((code[1], code[2]), year, (label[1], label[2])), label[0] + 1


def _header(lines: tuple[Line, Line, Line], problems: Problems) -> _Items:
    """The three header lines checked: the edition and, per item column, code, year and label."""
    (l1, codes), (l2, years), (l3, labels) = lines
    edition = clean_label(codes[0])
    items = _Items(edition)
    seen: dict[str, int] = {}
    years = pad(years, len(codes))
    labels = pad(labels, len(codes))
    for j in range(3, len(codes)):
        code = clean_label(codes[j])
        name = clean_label(labels[j])
        if not _ITEM_CODE.fullmatch(code):
            problems.add(
                "項目コードの書き方が違います",
                row=l1,
                column=name or f"{j + 1}列目",
                expected="A1101 のような項目コード",
                found=cell_text(codes[j]),
            )
        elif code in seen:
            problems.add(f"項目コード「{code}」が2つあります", row=l1, column=name, found=code)
        seen[code] = j
        year = clean_label(years[j])
        if not re.fullmatch(r"\d{4}", year):
            problems.add(
                "年度が4桁の西暦ではありません",
                row=l2,
                column=name or code,
                expected="2020 のような西暦年",
                found=cell_text(years[j]),
            )
            year = "0"
        if not name:
            problems.add("項目名が空欄です", row=l3, column=code)
        items.codes.append(code)
        items.names.append(name)
        items.years.append(int(year))
    problems.raise_if_any()
    return items


# ------------------------------------------------------------- step 2: municipality rows


def _parse_rows(data: Sequence[tuple[int, list[str]]], items: _Items, width: int, problems: Problems) -> _Areas:
    """One line per municipality (``R`` + 5 digits, once each, as many cells as the header)."""
    out = _Areas()
    seen: dict[str, int] = {}
    for line, cells in data:
        if is_blank_row(cells):
            continue
        key = clean_label(cells[0])
        if not re.fullmatch(r"R\d{5}", key):
            problems.add(
                "地域コードの書き方が違います",
                row=line,
                column="地域コード",
                expected="R + 5桁の数字（例: R13219）",
                found=cell_text(cells[0]),
            )
            continue
        if key in seen:
            problems.add(
                f"地域コード「{key}」の行が重複しています（{seen[key]}行目と{line}行目）",
                row=line,
                column="地域コード",
                expected="地域ごとに1行",
                found=key,
            )
            continue
        seen[key] = line
        if len(cells) != width:
            problems.add("列の数が見出しと違います", row=line, expected=width, found=len(cells))
            continue
        out.codes.append(key[1:])
        out.prefectures.append(clean_label(cells[1]))
        out.names.append(clean_label(cells[2]))
        out.values.extend(_values(line, cells[3:], items, problems))
    if not out.codes:
        problems.add("データ行がありません")
    return out


def _values(line: int, cells: Sequence[str], items: _Items, problems: Problems) -> list[float | None]:
    """The item values of one row: numbers, NA for a missing/suppressed marker."""
    values: list[float | None] = []
    for j, raw in enumerate(cells):
        number = _fast_number(raw)
        if number is None:
            parsed = problems.count(
                raw,
                row=line,
                column=items.names[j] or items.codes[j],
                dash="missing",
                empty="missing",
                allow_negative=True,
                allow_fraction=True,
                allow_missing=True,
            )
            number = None if parsed is None else float(parsed)
        values.append(number)
    return values


# ------------------------------------------------------------------- step 3: the tidy frame


def _frame(items: _Items, areas: _Areas, path: Path) -> pd.DataFrame:
    n_items, n_areas = len(items.codes), len(areas.codes)

    def per_area(values: list[str]) -> list[str]:
        return [v for v in values for _ in range(n_items)]

    frame = typed_frame(
        SCHEMA,
        {
            "area_code": per_area(areas.codes),
            "prefecture": per_area(areas.prefectures),
            "area_name": per_area(areas.names),
            "item_code": items.codes * n_areas,
            "item_name": items.names * n_areas,
            "year": items.years * n_areas,
            "value": areas.values,
        },
    )
    frame = validate_frame(SCHEMA, frame, path)
    frame.attrs["edition"] = items.edition
    return frame


__all__ = ["SCHEMA", "read_ssdse_a"]
