"""総務省「住民基本台帳に基づく人口、人口動態及び世帯数」市区町村別 (CSV) → the tidy frame
``soumu_juki_municipal``: its schema and its reader, including the reduced total-only layout some
copies of the 2022 edition have.

The layout is described in data/raw/README.md (``soumu_juki_municipal/``). The reader runs in named
steps: the title line with the reference date, the header (full or reduced layout), the rows (one
municipality each; 合計, prefecture and subtotal rows told apart), the 合計 check, the typed frame.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import parse_wareki
from komae_analysis.errors import display_name
from komae_analysis.ingest.common import (
    Problems,
    cell_text,
    clean_label,
    is_blank_row,
    pad,
    read_csv_rows,
)
from komae_analysis.ingest.frames import (
    LazySchema,
    count_column,
    date_column,
    text_column,
    typed_frame,
    validate_frame,
)

if TYPE_CHECKING:
    import pandera.pandas as pa


# ------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "area_code": text_column(pa.Check.str_matches(r"^\d{5}$")),
            "prefecture": text_column(pa.Check.str_length(min_value=1)),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "male": count_column("Int64", nullable=True),
            "female": count_column("Int64", nullable=True),
            "total": count_column("Int64", nullable=False),
            "households": count_column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["date", "area_code"],
        name="soumu_juki_municipal",
    )


SCHEMA = LazySchema(_schema)


# ------------------------------------------------------------------------------------- layout

SOUMU_TITLE = "住民基本台帳人口・世帯数"
_MUNICIPAL_SUFFIXES = ("市", "区", "町", "村")
_CODE = "団体コード"
_COUNTS = (("male", "男"), ("female", "女"), ("total", "人（計）"), ("households", "世帯数"))


class ReducedLayoutWarning(UserWarning):
    """A file in a known but reduced layout was read: some columns are NA because it lacks them."""


@dataclass(frozen=True)
class _Columns:
    """Where the counts are: column indices (None where the layout lacks the column)."""

    label_idx: int  # the index (in rows) of the last header line
    total: int
    male: int | None
    female: int | None
    households: int | None

    @property
    def reduced(self) -> bool:
        return self.male is None

    @property
    def width(self) -> int:
        return 1 + max(i for i in (self.total, self.male, self.female, self.households) if i is not None)


@dataclass
class _Rows:
    records: list[dict[str, Any]]  # the municipalities
    grand_total: tuple[int, dict[str, int | None]] | None  # (line, counts) of the 合計 row
    prefectures: list[dict[str, int | None]]  # the counts of the prefecture rows


def _check_digit(code5: str) -> str:
    """The check digit of a 地方公共団体コード: 13219 → 5 (132195)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


# -------------------------------------------------------------------------------- the reader


def read_soumu_juki_municipal(path: str | Path) -> pd.DataFrame:
    """総務省 住民基本台帳に基づく人口・世帯数 市区町村別 → ``date, area_code, prefecture, area_name,
    male, female, total, households``.

    One row per municipality: the 合計 row, the prefecture rows (empty 市区町村名) and the subtotal
    rows that are not municipalities (郡 such as 八重山郡, and 東京都 島しょ: names not ending in
    市/区/町/村) are dropped; 政令市 rows and their 区 rows are both kept (do not add them up).
    ``area_code`` is the 6-digit 団体コード without its check digit, which is verified. ``date`` is
    the 和暦 date at the start of the title line (令和2年1月1日 → 2020-01-01).

    The reduced layout (title, then header lines ending in ``団体コード,都道府県名,市区町村名,人``; the
    2022 edition as some copies keep it) is recognised: it gives ``total`` only, with ``male``,
    ``female`` and ``households`` NA (not zero), and a :class:`ReducedLayoutWarning` says so.

    Checks: title line with a date; the header; 6-digit codes with a correct check digit; no
    duplicated code; counts non-negative integers; 男+女=人 per row (full layout); the 合計 row equals
    the sum of the prefecture rows.
    """
    path = Path(path)
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    if not rows:
        problems.add("ファイルが空です")
        problems.raise_if_any()
    date = _title_date(rows[0], problems)
    label_idx = _label_line(rows, problems)
    problems.raise_if_any()
    assert label_idx is not None and date is not None
    columns = _columns(rows, label_idx, problems)
    parsed = _parse_rows(rows[label_idx + 1 :], columns, problems)
    _check_grand_total(parsed, problems)
    if not parsed.records:
        problems.add("市区町村の行がありません")
    problems.raise_if_any()
    if columns.reduced:
        warnings.warn(
            f"「{display_name(path)}」は人口総数のみの簡略版の様式です。"
            "男・女・世帯数は含まれていないため欠測（NA）とします（0ではありません）。",
            ReducedLayoutWarning,
            stacklevel=2,
        )
    return _frame(parsed.records, date, columns, path)


# ------------------------------------------------------------------ step 1: title and date


def _title_date(first: tuple[int, list[str]], problems: Problems) -> dt.date | None:
    """The 和暦 reference date at the start of the title line (line 1)."""
    first_line, cells = first
    title = clean_label(cells[0] if cells else "")
    if clean_label(SOUMU_TITLE) not in title:
        problems.add(
            "1行目が表題（…住民基本台帳人口・世帯数…）ではありません",
            row=first_line,
            expected="令和N年1月1日住民基本台帳人口・世帯数、…（市区町村別）",
            found=title or "（空欄）",
        )
        return None
    try:
        return parse_wareki(title)
    except ValueError:
        problems.add("表題行に基準日がありません", row=first_line, expected="令和N年1月1日…", found=title)
        return None


# ------------------------------------------------------------------------ step 2: the header


def _label_line(rows: list[tuple[int, list[str]]], problems: Problems) -> int | None:
    """The label line: the last header line (within the first 12) whose first cell is 団体コード."""
    label_idx = None
    for i, (_line, cells) in enumerate(rows[:12]):
        if cells and clean_label(cells[0]) == _CODE and "人" in [clean_label(c) for c in cells]:
            label_idx = i
    if label_idx is None:
        problems.add(
            "見出し行（団体コード … 人）がありません",
            row=2,
            expected="団体コード | 都道府県名 | 市区町村名 | 男 | 女 | 人 …",
            found=" | ".join(clean_label(c) for c in rows[1][1]) if len(rows) > 1 else "なし",
        )
    return label_idx


def _columns(rows: list[tuple[int, list[str]]], label_idx: int, problems: Problems) -> _Columns:
    """The columns of the counts, in the full layout (男, 女, 人, 世帯数 under merged header cells)
    or the reduced one (人 only); raises when the header is neither."""
    label_line, label_cells = rows[label_idx]
    labels = [clean_label(c) for c in label_cells]
    header_cells = [[clean_label(c) for c in cells] for _l, cells in rows[1 : label_idx + 1]]
    idx_total = labels.index("人")
    if "男" not in labels and "女" not in labels:
        extra = [c for c in labels[3:] if c and c != "人"]
        if extra or len([c for c in labels if c == "人"]) != 1:
            problems.add(
                "見出しが想定の様式（全項目版・人口総数のみの簡略版）のどちらとも違います",
                row=label_line,
                expected=(
                    "団体コード | 都道府県名 | 市区町村名 | 男 | 女 | 人 … "
                    "または 団体コード | 都道府県名 | 市区町村名 | 人"
                ),
                found=" | ".join(x for x in labels if x),
            )
            problems.raise_if_any()
        return _Columns(label_idx, idx_total, None, None, None)
    for x in ("男", "女"):
        if x not in labels:
            problems.add(f"列『{x}』がありません", row=label_line)
    idx_households = next((i for cells in header_cells for i, c in enumerate(cells) if c == "世帯数"), None)
    if idx_households is None:
        problems.add("列『世帯数』がありません", row=label_line)
    problems.raise_if_any()
    return _Columns(label_idx, idx_total, labels.index("男"), labels.index("女"), idx_households)


# -------------------------------------------------------- step 3: row classification, values


def _parse_rows(data: Sequence[tuple[int, list[str]]], columns: _Columns, problems: Problems) -> _Rows:
    """Each line after the header: the 合計 row, a prefecture row, a municipality, a subtotal
    (dropped) or the footer notes (the end)."""
    out = _Rows([], None, [])
    seen: dict[str, int] = {}
    for line, raw in data:
        if is_blank_row(raw):
            continue
        cells = pad(raw, columns.width)
        code6, pref, name = clean_label(cells[0]), clean_label(cells[1]), clean_label(cells[2])
        if name == "-":
            name = ""
        is_grand = pref == "合計" or name == "合計"
        if not is_grand and not re.fullmatch(r"\d{6}", code6):
            if code6.startswith(("注", "※", "(注")) or (not pref and not name):
                break  # footer notes
            problems.add(
                "団体コードは6桁の数字です",
                row=line,
                column=_CODE,
                expected="6桁の数字（例: 132195）",
                found=cell_text(cells[0]),
            )
            continue
        values = _counts(line, cells, columns, problems)
        if values is None:
            continue
        if is_grand:
            out.grand_total = (line, values)
            continue
        if not _code_ok(line, code6, seen, problems):
            continue
        seen[code6[:5]] = line
        if not name:
            out.prefectures.append(values)
        elif name.endswith(_MUNICIPAL_SUFFIXES):
            out.records.append({"area_code": code6[:5], "prefecture": pref, "area_name": name, **values})
        # else: a subtotal row (八重山郡, 島しょ), not a municipality
    return out


def _counts(line: int, cells: list[Any], columns: _Columns, problems: Problems) -> dict[str, int | None] | None:
    """The counts of one row (None for a column the layout lacks); None when one is bad or 男+女≠人."""
    before = len(problems)

    def num(idx: int | None, column: str) -> int | None:
        if idx is None:
            return None
        value = problems.count(cells[idx], row=line, column=column, dash="error")
        return None if value is None else int(value)

    total = num(columns.total, "人（計）")
    male = num(columns.male, "男")
    female = num(columns.female, "女")
    households = num(columns.households, "世帯数")
    if len(problems) > before:
        return None
    if male is not None and female is not None and total is not None and male + female != total:
        problems.add(
            "男＋女が人口（計）と合いません",
            row=line,
            column="人（計）",
            expected=f"{male + female}（男＋女）",
            found=total,
        )
    return {"male": male, "female": female, "total": total, "households": households}


def _code_ok(line: int, code6: str, seen: dict[str, int], problems: Problems) -> bool:
    """A correct check digit and a code not seen before."""
    if code6[5] != _check_digit(code6[:5]):
        problems.add(
            "団体コードの検査数字が合いません",
            row=line,
            column=_CODE,
            expected=code6[:5] + _check_digit(code6[:5]),
            found=code6,
        )
        return False
    if code6[:5] in seen:
        problems.add(
            f"団体コード「{code6}」の行が重複しています（{seen[code6[:5]]}行目と{line}行目）",
            row=line,
            column=_CODE,
            expected="団体コードごとに1行",
            found=code6,
        )
        return False
    return True


# ------------------------------------------------------------------- step 4: the 合計 row


def _check_grand_total(parsed: _Rows, problems: Problems) -> None:
    """The 合計 row equals the sum of the prefecture rows (for every column the layout has)."""
    if parsed.grand_total is None or not parsed.prefectures:
        return
    line, values = parsed.grand_total
    for key, column in _COUNTS:
        if values[key] is None:
            continue
        pref_sum = sum(int(v[key] or 0) for v in parsed.prefectures)
        if pref_sum != values[key]:
            problems.add(
                "合計行が都道府県の行の合計と合いません",
                row=line,
                column=column,
                expected=f"{pref_sum}（都道府県の合計）",
                found=values[key],
            )


# ------------------------------------------------------------------- step 5: the tidy frame


def _frame(records: list[dict[str, Any]], date: dt.date, columns: _Columns, path: Path) -> pd.DataFrame:
    frame = typed_frame(
        SCHEMA, {"date": date, **{c: [r[c] for r in records] for c in SCHEMA.columns if c != "date"}}
    )
    frame.attrs["layout"] = "total_only" if columns.reduced else "full"
    return validate_frame(SCHEMA, frame, path)


__all__ = ["SCHEMA", "ReducedLayoutWarning", "read_soumu_juki_municipal"]
