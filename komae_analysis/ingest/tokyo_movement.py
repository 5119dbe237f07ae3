"""東京都総務局統計部「人口の動き（令和N年中）」第1表 区市町村、変動要因別人口 (CSV, one file per
year) → the tidy frame ``tokyo_movement``: its schema and its reader.

One row per area (地域階層, 地域コード, 地域) with the population on 1 January after the year and
before it (the 東京都の人口（推計） base: the census population carried forward with the register's
monthly changes, not the register count itself), the year's change and its parts: 社会増減 (migration
to and from other prefectures, with 転入数 and 転出数), 都内間の移動増減 (with 転入数 and 転出数),
自然増減 (出生数, 死亡数), その他の増減 (出入国, 職権記載・消除 …), and the Japanese residents' change
(別掲). Column heads carry the year: ``令和7年1月1日現在人口``, ``令和６年中の動き／自然増減／出生数``.
The layout is described in data/raw/README.md (``tokyo_population_movement/``).

Steps: the header (found by its labels), the columns (by item, with the year of the movement and
the two 1 January dates agreeing), the rows (the aggregate 区部 row is repeated before its 区 in the
published file: an identical repeat is skipped, a different one is an error), the identities on
every row, parts adding up to their parent area, the footer (「人口の動き（令和6年中）」, 第１表).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.ingest.common import Problems, clean_label, find_row, is_blank_row, read_csv_rows
from komae_analysis.ingest.frames import LazySchema, date_column, text_column, typed_frame, validate_frame
from komae_analysis.ingest.header_search import (
    ERA_YEAR_RE,
    check_tokyo_area,
    parse_era_year,
    tokyo_children,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

MOVEMENT_TITLE = "人口の動き"
TABLE_NUMBER = "第1表"

#: The item columns after 「<年>中の動き／」, as written (after NFKC), → the frame's column.
ITEMS: dict[str, str] = {
    "人口増減": "change",
    "社会増減(他県との移動増減)": "social",
    "社会増減(他県との移動増減)/転入数": "social_in",
    "社会増減(他県との移動増減)/転出数": "social_out",
    "都内間の移動増減": "intra",
    "都内間の移動増減/転入数": "intra_in",
    "都内間の移動増減/転出数": "intra_out",
    "自然増減": "natural",
    "自然増減/出生数": "births",
    "自然増減/死亡数": "deaths",
    "その他の増減": "other",
}
JAPANESE_CHANGE = "(別掲)人口増減のうち日本人増減"
#: Counts that cannot be negative (the others are changes).
NON_NEGATIVE = ("population_start", "population_end", "social_in", "social_out", "intra_in", "intra_out",
                "births", "deaths")
VALUE_COLUMNS = ("population_start", "population_end", *ITEMS.values(), "japanese_change")
#: Japanese names of the frame's columns, for messages.
COLUMN_JA: dict[str, str] = {
    "population_start": "前年1月1日現在人口",
    "population_end": "1月1日現在人口",
    "change": "人口増減",
    "social": "社会増減（他県との移動増減）",
    "social_in": "社会増減の転入数",
    "social_out": "社会増減の転出数",
    "intra": "都内間の移動増減",
    "intra_in": "都内間の転入数",
    "intra_out": "都内間の転出数",
    "natural": "自然増減",
    "births": "出生数",
    "deaths": "死亡数",
    "other": "その他の増減",
    "japanese_change": "日本人増減（別掲）",
}
#: (total, parts with their signs): the identities every row must satisfy.
IDENTITIES: tuple[tuple[str, tuple[tuple[int, str], ...], str], ...] = (
    ("change", ((1, "population_end"), (-1, "population_start")), "当年1月1日現在人口－前年1月1日現在人口"),
    ("change", ((1, "social"), (1, "intra"), (1, "natural"), (1, "other")),
     "社会増減＋都内間の移動増減＋自然増減＋その他の増減"),
    ("social", ((1, "social_in"), (-1, "social_out")), "転入数－転出数"),
    ("intra", ((1, "intra_in"), (-1, "intra_out")), "転入数－転出数"),
    ("natural", ((1, "births"), (-1, "deaths")), "出生数－死亡数"),
)


# -------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    def count(non_negative: bool) -> pa.Column:
        return pa.Column("Int64", checks=[pa.Check.ge(0)] if non_negative else [], nullable=True)

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
            "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            **{c: count(c in NON_NEGATIVE) for c in VALUE_COLUMNS},
        },
        strict=True,
        ordered=True,
        unique=["date", "area_code"],
        name="tokyo_movement",
    )


SCHEMA = LazySchema(_schema)


@dataclass
class _Row:
    line: int
    level: int
    code: str
    name: str
    values: dict[str, int | None] = field(default_factory=dict)
    raw: tuple[str, ...] = ()


# -------------------------------------------------------------------------------- the reader


def read_tokyo_movement(path: str | Path) -> pd.DataFrame:
    """「人口の動き（令和N年中）」第1表 → one row per area: ``date`` (1 January after the year: the
    reference date), ``year`` (the year of the movement), ``area_level, area_code, area_name``, the
    populations on 1 January before and after (推計人口 base), and the year's change with its parts
    (see the module docstring); negative changes are written ``-385`` and kept negative.

    ``-`` is zero, an empty cell and ``…``, ``x``, ``***`` are explicit missing (NA), never zero.
    Checks: header found by its labels; every item column present, all of one year, with the
    populations of 1 January of that year and of the next; known area codes with their names and
    levels; on every row 当年人口－前年人口＝人口増減＝社会増減＋都内間＋自然増減＋その他,
    社会増減・都内間＝転入数－転出数, 自然増減＝出生数－死亡数 (both numbers in the message); the
    parts of an area adding up to it; the footer 「人口の動き（令和N年中）」 agreeing with the header's year.
    """
    path = Path(path)
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    at = find_row(rows, lambda labels: "地域コード" in labels and any("中の動き" in x for x in labels))
    if at is None:
        problems.add("見出し行（地域コードと「令和6年中の動き／人口増減」のような列）が見つかりません", row=1,
                     expected="地域階層 | 地域コード | 地域 | 令和7年1月1日現在人口 | 令和6年中の動き／人口増減 | …",
                     found=" | ".join(x for x in (clean_label(c) for c in rows[0][1][:6]) if x) or "（空行）")
        problems.raise_if_any()
    assert at is not None
    line, header = rows[at]
    columns, year = _columns(header, line, problems)
    problems.raise_if_any()
    assert year is not None
    start = at + 1
    while start < len(rows) and is_blank_row(rows[start][1]):
        start += 1
    end = start
    while end < len(rows) and not is_blank_row(rows[end][1]):
        end += 1
    parsed = _parse_rows(rows[start:end], columns, problems)
    _footer(rows[end:], year, problems)
    _check_parents(parsed, columns, problems)
    if not parsed and not problems:
        problems.add("データ行がありません", row=line + 1, expected="見出しの次から地域ごとの行", found="なし")
    problems.raise_if_any()
    return _frame(parsed, year, path)


# ---------------------------------------------------------------------------- step 1: columns


def _columns(header: list[str], line: int, problems: Problems) -> tuple[dict[str, int], int | None]:
    """Frame column → index (地域階層, 地域コード, 地域, the populations and the items); the year."""
    labels = [clean_label(c) for c in header]
    out: dict[str, int] = {}
    for name, key in (("地域階層", "level"), ("地域コード", "code"), ("地域", "name")):
        if name in labels:
            out[key] = labels.index(name)
        else:
            problems.add(f"列『{name}』がありません", row=line, column=name,
                         expected="地域階層 | 地域コード | 地域 | …", found=" | ".join(labels[:4]))
    years: dict[int, str] = {}
    populations: dict[int, int] = {}
    for i, label in enumerate(labels):
        m = re.match(r"^(.+?)年中の動き/(.+)$", label)
        if m:
            year = parse_era_year(m.group(1))
            item = m.group(2)
            if year is None or item not in ITEMS:
                problems.add(f"見出し『{header[i]}』を読み取れません", row=line, column=str(header[i]),
                             expected="令和6年中の動き／" + "、".join(ITEMS), found=header[i])
                continue
            years.setdefault(year, str(header[i]))
            key = ITEMS[item]
            if key in out:
                problems.add(f"列『{header[i]}』が2つあります", row=line, column=str(header[i]),
                             expected="項目ごとに1列", found=header[i])
            out[key] = i
        elif re.match(r"^.+年1月1日現在人口$", label) and ERA_YEAR_RE.match(label):
            pop_year = parse_era_year(label)
            assert pop_year is not None
            populations[pop_year] = i
        elif label == clean_label(JAPANESE_CHANGE):
            out["japanese_change"] = i
    if len(years) > 1:
        problems.add("「…年中の動き」の年が列によって違います", row=line,
                     expected="すべて同じ年", found="、".join(years.values()))
    year = min(years) if years else None
    for item, key in ITEMS.items():
        if key not in out:
            example = f"{_era(year)}年中の動き／{item}" if year else f"令和6年中の動き／{item}"
            problems.add(f"列『{example}』がありません", row=line, column=example,
                         expected=" | ".join(["…年中の動き／" + x for x in ITEMS][:3]) + " | …", found="なし")
    if "japanese_change" not in out:
        problems.add(f"列『{JAPANESE_CHANGE}』がありません", row=line, column=JAPANESE_CHANGE,
                     expected=JAPANESE_CHANGE, found="なし")
    if year is not None:
        for key, pop_year, what in (("population_end", year + 1, "当年"), ("population_start", year, "前年")):
            if pop_year in populations:
                out[key] = populations.pop(pop_year)
            else:
                name = f"{_era(pop_year)}年1月1日現在人口"
                problems.add(f"列『{name}』（{what}1月1日の人口）がありません", row=line, column=name,
                             expected=name, found="、".join(header[i] for i in populations.values()) or "なし")
        for i in populations.values():
            problems.add(f"列『{header[i]}』の年が「{_era(year)}年中の動き」と合いません", row=line,
                         column=str(header[i]), expected=f"{_era(year)}年と{_era(year + 1)}年の1月1日",
                         found=header[i])
    if not years:
        problems.add("「令和6年中の動き／…」の列がありません", row=line,
                     expected="令和6年中の動き／人口増減 など", found=" | ".join(labels))
    return out, year


def _era(year: int) -> str:
    """令和6 (2024), 平成31 (2019-01-01; the year 2019's movement is 令和元年中), for messages and heads."""
    if year >= 2020:
        return f"令和{year - 2018}"
    if year == 2019:
        return "令和元"
    if year >= 1990:
        return f"平成{year - 1988}"
    return f"昭和{year - 1925}"


# ------------------------------------------------------------------------------- step 2: rows


def _parse_rows(data: Sequence[tuple[int, list[str]]], columns: dict[str, int], problems: Problems) -> list[_Row]:
    width = max(columns.values()) + 1
    out: list[_Row] = []
    seen: dict[str, _Row] = {}
    for line, cells in data:
        if len(cells) < width:
            problems.add(f"列の数が足りません（{width}列のはずが{len(cells)}列）", row=line,
                         expected=f"{width}列", found=f"{len(cells)}列")
            continue
        before = len(problems)
        code = clean_label(cells[columns["code"]])
        name = clean_label(cells[columns["name"]])
        level = problems.count(cells[columns["level"]], row=line, column="地域階層", dash="error")
        check_tokyo_area(problems, row=line, code=code, name=name, level=None if level is None else int(level))
        row = _Row(line, -1 if level is None else int(level), code, name,
                   raw=tuple(clean_label(cells[i]) for i in sorted(columns.values())))
        for key in VALUE_COLUMNS:
            value = problems.count(cells[columns[key]], row=line, column=COLUMN_JA[key], dash="zero",
                                   empty="missing", allow_missing=True, allow_negative=key not in NON_NEGATIVE)
            row.values[key] = None if value is None else int(value)
        if len(problems) > before:
            continue
        if code in seen:
            first = seen[code]
            if first.raw != row.raw:
                problems.add(f"{name}（{code}）の行が2回あり、値が違います（{first.line}行目と{line}行目）", row=line,
                             column="地域コード", expected=f"{first.line}行目と同じ値（集計地域の再掲）",
                             found="違う値")
            continue  # the published file repeats 区部 before its 区: an identical repeat is skipped
        seen[code] = row
        _check_identities(row, problems)
        out.append(row)
    return out


def _check_identities(row: _Row, problems: Problems) -> None:
    v = row.values
    for total, parts, formula in IDENTITIES:
        if v[total] is None or any(v[c] is None for _s, c in parts):
            continue
        computed = sum(s * v[c] for s, c in parts)  # type: ignore[operator]
        if computed != v[total]:
            problems.add(f"{row.name}（{row.code}）: {COLUMN_JA[total]}が{formula}と合いません", row=row.line,
                         column=COLUMN_JA[total], expected=f"{computed}（{formula}）",
                         found=f"{v[total]}（{COLUMN_JA[total]}）")


# ---------------------------------------------------------------------------- step 3: footer


def _footer(footer: Sequence[tuple[int, list[str]]], year: int, problems: Problems) -> None:
    """「人口の動き（令和6年中）」 naming the header's year, and the table 第１表."""
    title: tuple[int, str] | None = None
    number: tuple[int, str] | None = None
    for line, cells in footer:
        for cell in cells:
            text = clean_label(cell)
            if title is None and text.startswith(MOVEMENT_TITLE) and "年中" in text:
                title = (line, text)
            m = re.match(r"^第\s*(\d+)\s*表", text)
            if number is None and m:
                number = (line, f"第{m.group(1)}表")
    if title is None:
        problems.add(f"表題行（{MOVEMENT_TITLE}（令和N年中））がありません", expected=f"表の下に「{MOVEMENT_TITLE}（{_era(year)}年中）」",
                     found="なし")
    elif parse_era_year(title[1]) != year:
        problems.add("表題行の年が見出しの年と合いません", row=title[0],
                     expected=f"{MOVEMENT_TITLE}（{_era(year)}年中）", found=title[1])
    if number is not None and number[1] != TABLE_NUMBER:
        problems.add("第1表（区市町村、変動要因別人口）のファイルではありません", row=number[0],
                     expected="第１表　区市町村、変動要因別人口", found=number[1])


# ---------------------------------------------------------------------- step 4: across rows


def _check_parents(parsed: list[_Row], columns: dict[str, int], problems: Problems) -> None:
    by_code = {r.code: r for r in parsed}
    for parent, kids in tokyo_children().items():
        if parent not in by_code or not all(k in by_code for k in kids):
            continue
        p = by_code[parent]
        for key in VALUE_COLUMNS:
            parts = [by_code[k].values[key] for k in kids]
            if p.values[key] is None or any(x is None for x in parts):
                continue
            total = sum(parts)  # type: ignore[arg-type]
            if total != p.values[key]:
                problems.add(f"{p.name}（{parent}）の{COLUMN_JA[key]}が内訳の地域の合計と合いません", row=p.line,
                             column=COLUMN_JA[key], expected=f"{total}（内訳の合計）", found=f"{p.values[key]}（{p.name}）")


# ------------------------------------------------------------------------------ step 5: frame


def _frame(parsed: list[_Row], year: int, path: Path) -> pd.DataFrame:
    out: dict[str, Any] = {
        "date": dt.date(year + 1, 1, 1),
        "year": [year] * len(parsed),
        "area_level": [r.level for r in parsed],
        "area_code": [r.code for r in parsed],
        "area_name": [r.name for r in parsed],
    }
    for key in VALUE_COLUMNS:
        out[key] = [r.values[key] for r in parsed]
    return validate_frame(SCHEMA, typed_frame(SCHEMA, out), path)


__all__ = ["COLUMN_JA", "ITEMS", "SCHEMA", "VALUE_COLUMNS", "read_tokyo_movement"]
