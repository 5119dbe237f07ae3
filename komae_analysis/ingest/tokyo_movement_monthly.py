"""東京都総務局統計部「人口の動き（令和N年中）」の月別の表 (CSV): 第11表 都内間移動増減, 第14表
自然増減, 第15表 出生数, 第16表 死亡数, 第17表 その他の増減 (each 「－１・２・３」: 総数, 日本人,
外国人) → the tidy frame ``tokyo_movement_monthly``: its schema and its reader.

Layout (the 令和7年中 files): the header ``国籍区分 | 地域階層 | 地域コード | 地域 | 1月中／<item> … 12月中／<item>
| 令和7年中の<item>`` (the annual column last; <item> is 増減, 出生数, 死亡数 or その他の増減), then three
blocks of rows stacked — 国籍区分 総数, 日本人, 外国人 — each listing the areas as 第1表 does (the
aggregates repeated before their parts), a blank row, and the footer: 「人口の動き（令和7年中）」 and the
table's name, which is where the item is named (「月別自然増減」 — the month columns of 第11表 and 第14表
both say only 増減). The layout is described in data/raw/README.md (``tokyo_population_movement/``).

A file holds one item of one year; the files of a year share no reference date, so the frames carry
``attrs["edition"]`` (``2025-出生数``) instead, and a section picks the year it needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.ingest.common import Problems, clean_label, find_row, is_blank_row, read_csv_rows
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame
from komae_analysis.ingest.header_search import check_tokyo_area, parse_era_year, tokyo_children

if TYPE_CHECKING:
    import pandera.pandas as pa

MOVEMENT_TITLE = "人口の動き"
NATIONALITIES = ("総数", "日本人", "外国人")
#: The item named in the table's title → (its table number, the item as the month columns write it,
#: whether it can be negative).
ITEMS: dict[str, tuple[str, str, bool]] = {
    "都内間移動増減": ("第11表", "増減", True),
    "自然増減": ("第14表", "増減", True),
    "出生数": ("第15表", "出生数", False),
    "死亡数": ("第16表", "死亡数", False),
    "その他の増減": ("第17表", "その他の増減", True),
}
_MONTH_RE = re.compile(r"^(\d{1,2})月中/(.+)$")
_ANNUAL_RE = re.compile(r"^(.+?)年中の(.+)$")


# -------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
            "item": text_column(pa.Check.isin(list(ITEMS))),
            "nationality": text_column(pa.Check.isin(NATIONALITIES)),
            "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "month": pa.Column("int64", checks=pa.Check.in_range(0, 12)),
            "value": pa.Column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["year", "item", "nationality", "area_code", "month"],
        name="tokyo_movement_monthly",
    )


SCHEMA = LazySchema(_schema)


@dataclass
class _Row:
    line: int
    nationality: str
    level: int
    code: str
    name: str
    values: dict[int, int | None] = field(default_factory=dict)  # month (0 = the year) → value


# -------------------------------------------------------------------------------- the reader


def read_tokyo_movement_monthly(path: str | Path) -> pd.DataFrame:
    """One monthly table of 「人口の動き」 → long frame ``year, item, nationality, area_level,
    area_code, area_name, month, value`` (``month`` 0 is the year's column). ``-`` is zero; an empty
    cell and ``…``, ``x``, ``***`` are explicit missing (NA), never zero.

    Checks: the header found by its labels with the twelve months and the year's column; the item
    (from the title) agreeing with the columns; known area codes with names and levels; the three
    国籍区分 blocks; a repeated area (an aggregate before its parts) equal to its first occurrence;
    on every row the months adding up to the year; 日本人＋外国人＝総数 for every area and month;
    parts adding up to their parent area; the title's year agreeing with the year's column.
    """
    path = Path(path)
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    at = find_row(rows, lambda labels: "国籍区分" in labels and "地域コード" in labels
                  and any(_MONTH_RE.match(x) for x in labels))
    if at is None:
        problems.add("見出し行（国籍区分 | 地域階層 | 地域コード | 地域 | 1月中／… | 令和7年中の…）が見つかりません", row=1,
                     expected="国籍区分 | 地域階層 | 地域コード | 地域 | 1月中／増減 | … | 令和7年中の増減",
                     found=" | ".join(x for x in (clean_label(c) for c in rows[0][1][:6]) if x) or "（空行）")
        problems.raise_if_any()
    assert at is not None
    line, header = rows[at]
    start = at + 1
    while start < len(rows) and is_blank_row(rows[start][1]):
        start += 1
    end = start
    while end < len(rows) and not is_blank_row(rows[end][1]):
        end += 1
    title_year, item = _footer(rows[end:], problems)
    columns, year, column_item = _columns(header, line, problems)
    problems.raise_if_any()
    assert year is not None and item is not None
    if title_year is not None and title_year != year:
        problems.add("表題行の年が見出しの年と合いません", expected=f"{year}年（見出し）", found=f"{title_year}年（表題行）")
    if ITEMS[item][1] != column_item:
        problems.add(f"見出しの項目が表題（月別{item}）と合いません", row=line,
                     expected=f"1月中／{ITEMS[item][1]}", found=f"1月中／{column_item}")
    problems.raise_if_any()
    parsed = _parse_rows(rows[start:end], columns, ITEMS[item][2], problems)
    _check_across(parsed, problems)
    if not parsed and not problems:
        problems.add("データ行がありません", row=line + 1, expected="見出しの次から地域ごとの行", found="なし")
    problems.raise_if_any()
    frame = _frame(parsed, year, item, path)
    frame.attrs["edition"] = f"{year}-{item}"
    return frame


# ------------------------------------------------------------------------- header and footer


def _columns(header: list[str], line: int, problems: Problems) -> tuple[dict[str, int], int | None, str]:
    labels = [clean_label(c) for c in header]
    out: dict[str, int] = {}
    for name in ("国籍区分", "地域階層", "地域コード", "地域"):
        if name in labels:
            out[name] = labels.index(name)
        else:
            problems.add(f"列『{name}』がありません", row=line, column=name,
                         expected="国籍区分 | 地域階層 | 地域コード | 地域", found=" | ".join(labels[:4]))
    items: set[str] = set()
    year: int | None = None
    for i, label in enumerate(labels):
        m = _MONTH_RE.match(label)
        if m:
            month = int(m.group(1))
            items.add(m.group(2))
            if not 1 <= month <= 12 or str(month) in out:
                problems.add(f"月の列『{header[i]}』が正しくありません", row=line, column=str(header[i]),
                             expected="1月中 … 12月中 を1列ずつ", found=header[i])
            out[str(month)] = i
            continue
        m = _ANNUAL_RE.match(label)
        if m and parse_era_year(m.group(1)) is not None:
            year = parse_era_year(m.group(1))
            out["0"] = i
    for month in range(1, 13):
        if str(month) not in out:
            problems.add(f"列『{month}月中』がありません", row=line, column=f"{month}月中",
                         expected="1月中 … 12月中", found="なし")
    if year is None:
        problems.add("年の列（令和7年中の…）がありません", row=line, expected="令和7年中の増減 のような列", found="なし")
    if len(items) > 1:
        problems.add("月の列の項目がそろっていません", row=line, expected="すべて同じ項目", found="、".join(sorted(items)))
    return out, year, next(iter(items), "")


def _footer(footer: Sequence[tuple[int, list[str]]], problems: Problems) -> tuple[int | None, str | None]:
    """The year from 「人口の動き（令和7年中）」 and the item from the table's name 「…月別出生数（…）」."""
    year: int | None = None
    item: str | None = None
    for _line, cells in footer:
        for cell in cells:
            text = clean_label(cell)
            if year is None and text.startswith(MOVEMENT_TITLE) and "年中" in text:
                year = parse_era_year(text)
            m = re.search(r"月別(.+?)\(", text)
            if item is None and m and re.match(r"^第\d+", text):
                item = m.group(1)
    if item is None:
        problems.add("表名（第15－１・２・３表　区市町村、月別出生数（総数、日本人、外国人） など）がありません",
                     expected="表の下に表名の行", found="なし")
    elif item not in ITEMS:
        problems.add(f"この表（月別{item}）は読み取りの対象外です",
                     expected="月別" + "・".join(ITEMS) + "のいずれか", found=item)
        item = None
    if year is None:
        problems.add(f"表題行（{MOVEMENT_TITLE}（令和N年中））がありません", expected=f"{MOVEMENT_TITLE}（令和7年中）",
                     found="なし")
    return year, item


# ---------------------------------------------------------------------------------- the rows


def _parse_rows(data: Sequence[tuple[int, list[str]]], columns: dict[str, int], signed: bool,
                problems: Problems) -> list[_Row]:
    width = max(columns.values()) + 1
    out: list[_Row] = []
    seen: dict[tuple[str, str], _Row] = {}
    for line, cells in data:
        if len(cells) < width:
            problems.add(f"列の数が足りません（{width}列のはずが{len(cells)}列）", row=line,
                         expected=f"{width}列", found=f"{len(cells)}列")
            continue
        before = len(problems)
        nationality = clean_label(cells[columns["国籍区分"]])
        if nationality not in NATIONALITIES:
            problems.add("国籍区分は総数・日本人・外国人のいずれかです", row=line, column="国籍区分",
                         expected="総数、日本人、外国人", found=nationality or "（空欄）")
        code = clean_label(cells[columns["地域コード"]])
        name = clean_label(cells[columns["地域"]])
        level = problems.count(cells[columns["地域階層"]], row=line, column="地域階層", dash="error")
        check_tokyo_area(problems, row=line, code=code, name=name, level=None if level is None else int(level))
        row = _Row(line, nationality, -1 if level is None else int(level), code, name)
        for month in range(13):
            label = f"{month}月中" if month else "年計"
            value = problems.count(cells[columns[str(month)]], row=line, column=label, dash="zero", empty="missing",
                                   allow_missing=True, allow_negative=signed)
            row.values[month] = None if value is None else int(value)
        if len(problems) > before:
            continue
        key = (nationality, code)
        if key in seen:
            if seen[key].values != row.values:
                problems.add(f"{nationality}の{name}（{code}）の行が2回あり、値が違います（{seen[key].line}行目と{line}行目）",
                             row=line, column="地域コード", expected=f"{seen[key].line}行目と同じ値（集計地域の再掲）",
                             found="違う値")
            continue
        seen[key] = row
        months = [row.values[m] for m in range(1, 13)]
        if row.values[0] is not None and all(v is not None for v in months):
            total = sum(months)  # type: ignore[arg-type]
            if total != row.values[0]:
                problems.add(f"{nationality}の{name}（{code}）: 1～12月の合計が年の値と合いません", row=line, column="年計",
                             expected=f"{total}（1～12月の合計）", found=f"{row.values[0]}（年の値）")
        out.append(row)
    return out


def _check_across(parsed: list[_Row], problems: Problems) -> None:
    """Every area in all three blocks, 日本人＋外国人＝総数, and parts adding up to their parent."""
    by = {(r.nationality, r.code): r for r in parsed}
    codes = dict.fromkeys(r.code for r in parsed)
    for code in codes:
        present = [n for n in NATIONALITIES if (n, code) in by]
        if len(present) != len(NATIONALITIES):
            first = by[(present[0], code)]
            missing = "・".join(n for n in NATIONALITIES if n not in present)
            problems.add(f"{first.name}（{code}）の{missing}の行がありません", row=first.line, column="国籍区分",
                         expected="総数・日本人・外国人の3つのまとまりに同じ地域", found=f"{'・'.join(present)}のみ")
            continue
        total, jp, fo = (by[(n, code)] for n in NATIONALITIES)
        for month in range(13):
            a, b, c = total.values[month], jp.values[month], fo.values[month]
            if a is None or b is None or c is None:
                continue
            if b + c != a:
                label = f"{month}月中" if month else "年計"
                problems.add(f"{total.name}（{code}）{label}: 日本人＋外国人が総数と合いません", row=total.line, column=label,
                             expected=f"{b + c}（日本人＋外国人）", found=f"{a}（総数）")
    for nationality in NATIONALITIES:
        for parent, kids in tokyo_children().items():
            if (nationality, parent) not in by or not all((nationality, k) in by for k in kids):
                continue
            p = by[(nationality, parent)]
            for month in range(13):
                parts = [by[(nationality, k)].values[month] for k in kids]
                if p.values[month] is None or any(x is None for x in parts):
                    continue
                s = sum(parts)  # type: ignore[arg-type]
                if s != p.values[month]:
                    label = f"{month}月中" if month else "年計"
                    problems.add(f"{nationality}の{p.name}（{parent}）{label}が内訳の地域の合計と合いません", row=p.line,
                                 column=label, expected=f"{s}（内訳の合計）", found=f"{p.values[month]}（{p.name}）")


# ---------------------------------------------------------------------------------- the frame


def _frame(parsed: list[_Row], year: int, item: str, path: Path) -> pd.DataFrame:
    out: dict[str, list[Any]] = {k: [] for k in SCHEMA.columns}
    for r in parsed:
        for month in range(13):
            out["year"].append(year)
            out["item"].append(item)
            out["nationality"].append(r.nationality)
            out["area_level"].append(r.level)
            out["area_code"].append(r.code)
            out["area_name"].append(r.name)
            out["month"].append(month)
            out["value"].append(r.values[month])
    return validate_frame(SCHEMA, typed_frame(SCHEMA, out), path)


__all__ = ["ITEMS", "NATIONALITIES", "SCHEMA", "read_tokyo_movement_monthly"]
