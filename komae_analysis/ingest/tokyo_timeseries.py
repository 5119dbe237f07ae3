"""東京都総務局統計部「住民基本台帳による東京都の世帯と人口」時系列表 (CSV) → tidy frames: 第2表
区市町村別男女別人口 (``tokyo_timeseries_population``) and 第9表 老年人口（65歳以上）割合
(``tokyo_timeseries_aged``), their schemas and their readers.

Both tables have one row per area (地域階層, 地域コード, 地域) and one column per year × item, headed
``<era><n>[年]／[<group>／]<item>(<unit>)``: ``昭和60／総数(人)`` … ``平成24／女(人)``, then from 平成25
(when foreign residents entered the register) ``平成25／人口総数／総数(人)``, ``平成25／日本人／男(人)``,
``平成25／外国人／女(人)``; 第9表 ``昭和60年／総数(%)`` … ``平成25年／人口総計／総数(%)`` and
``平成25年／人口総計／人口総数のうち日本人（再掲）／男(%)``. The layout is described in
data/raw/README.md (``tokyo_juki_timeseries/``).

A release holds every year up to its own (the 令和8年1月 release: 1985–2026); several releases may
sit side by side, so the frames carry no reference date but the release as ``attrs["edition"]``
(2026-01), and the registry keeps, for each area, year and cell, the newest release's value. A
section picks the years it needs (up to the latest 1 January of its fiscal year).

Steps: the header (found by its labels, so a shifted header reads), the year columns (every year
from the first to the last, each with all its cells), the rows (area and values), the footer (title
with the release month, table name), the checks across rows (parts add up to their parent), the
typed frame.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import parse_wareki, wareki_date
from komae_analysis.ingest.common import Problems, clean_label, find_row, is_blank_row, read_csv_rows
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame
from komae_analysis.ingest.header_search import (
    check_tokyo_area,
    era_year,
    tokyo_children,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

TIMESERIES_TITLE = "住民基本台帳による東京都の世帯と人口"
#: The year the register first holds foreign residents on 1 January (法改正, 平成24年7月).
FOREIGN_FROM = 2013
NATIONALITIES = ("総数", "日本人", "外国人")
SEXES = ("計", "男", "女")
BASES = ("総数", "日本人")


# ------------------------------------------------------------------------------------- schemas


def _population_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
            "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "nationality": text_column(pa.Check.isin(NATIONALITIES)),
            "sex": text_column(pa.Check.isin(SEXES)),
            "includes_foreign": pa.Column("bool"),
            "population": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["year", "area_code", "nationality", "sex"],
        name="tokyo_timeseries_population",
    )


def _aged_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
            "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "base": text_column(pa.Check.isin(BASES)),
            "sex": text_column(pa.Check.isin(SEXES)),
            "includes_foreign": pa.Column("bool"),
            "aged_pct": pa.Column("Float64", checks=pa.Check.in_range(0, 100), nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["year", "area_code", "base", "sex"],
        name="tokyo_timeseries_aged",
    )


POPULATION_SCHEMA = LazySchema(_population_schema)
AGED_SCHEMA = LazySchema(_aged_schema)


# ------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Table:
    """What differs between 第2表 and 第9表."""

    number: str  # 第2表 (after NFKC: 第２表 → 第2表)
    name: str  # for messages
    unit: str  # 人 or %
    other_units: tuple[str, ...]  # units that mean the wrong table or a changed unit
    groups: dict[str, str]  # column group (between year and item) → nationality / base
    items: dict[str, str]  # item label → sex


POPULATION_TABLE = _Table(
    number="第2表",
    name="時系列 第2表 区市町村別男女別人口",
    unit="人",
    other_units=("%", "千人", "世帯"),
    groups={"": "総数", "人口総数": "総数", "日本人": "日本人", "外国人": "外国人"},
    items={"総数": "計", "男": "男", "女": "女"},
)
AGED_TABLE = _Table(
    number="第9表",
    name="時系列 第9表 老年人口（65歳以上）割合",
    unit="%",
    other_units=("人", "千人", "世帯"),
    groups={"": "総数", "人口総計": "総数", "人口総計/人口総数のうち日本人(再掲)": "日本人"},
    items={"総数": "計", "男": "男", "女": "女"},
)

_COLUMN_RE = re.compile(r"^(昭和|平成|令和)(元|\d+)年?/(?:(.+)/)?([^/()]+)\(([^()]+)\)$")


@dataclass(frozen=True)
class _Column:
    index: int
    label: str  # as written (for messages)
    year: int
    group: str  # nationality (第2表) or base (第9表)
    sex: str


@dataclass
class _Row:
    line: int
    level: int
    code: str
    name: str
    values: dict[tuple[int, str, str], float | int | None] = field(default_factory=dict)


# -------------------------------------------------------------------------------- the readers


def read_tokyo_timeseries_population(path: str | Path) -> pd.DataFrame:
    """時系列 第2表 (区市町村別男女別人口, 各年1月1日) → long frame ``year, area_level, area_code,
    area_name, nationality, sex, population``, plus ``includes_foreign`` (False before 平成25: the
    register then held Japanese residents only, and 総数 is the Japanese population).

    ``-`` is zero (as in the other tables of the release); ``…``, ``x``, ``***`` are explicit missing
    (NA). Checks: the header (found by its labels), every year from the first to the last with its
    総数・男・女 cells (and 人口総数・日本人・外国人 once they start), the unit (人), known area codes
    with their names and levels, 男＋女＝総数 and 日本人＋外国人＝人口総数 on every row and year,
    parts adding up to their parent area, the footer's title with the release month (which must be
    the last year's January) and the table name. The release is ``attrs["edition"]`` (``2026-01``).
    """
    return _read(Path(path), POPULATION_TABLE, POPULATION_SCHEMA)


def read_tokyo_timeseries_aged(path: str | Path) -> pd.DataFrame:
    """時系列 第9表 (老年人口（65歳以上）割合, %, 各年1月1日) → long frame ``year, area_level,
    area_code, area_name, base, sex, includes_foreign, aged_pct``: the share as published (two
    decimals, percent); ``base`` 日本人 is the 再掲 of the Japanese population (平成25 on).

    Checks as for 第2表, with the unit %, shares between 0 and 100 and 男＋女 within 0.02 of 総数
    (each is rounded to two decimals, 注3 of the table)."""
    return _read(Path(path), AGED_TABLE, AGED_SCHEMA)


def _read(path: Path, table: _Table, schema: LazySchema) -> pd.DataFrame:
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    header_at = _find_header(rows, problems)
    header_line, header = rows[header_at]
    area_cols = _area_columns(header, header_line, problems)
    columns = _year_columns(header, header_line, table, problems)
    problems.raise_if_any()
    assert area_cols is not None
    start, end = _data_extent(rows, header_at)
    parsed = _parse_rows(rows[start:end], area_cols, columns, table, problems)
    edition = _footer(rows[end:], table, max(c.year for c in columns), problems)
    if not parsed and not problems:
        problems.add("データ行がありません", row=header_line + 1, expected="見出しの次から地域ごとの行", found="なし")
    if table is POPULATION_TABLE:
        _check_parents(parsed, columns, problems)
    problems.raise_if_any()
    assert edition is not None
    frame = _frame(parsed, columns, table, schema, path)
    frame.attrs["edition"] = f"{edition:%Y-%m}"
    return frame


# ---------------------------------------------------------------------------- step 1: header


def _is_header(labels: list[str]) -> bool:
    return "地域コード" in labels and any(_COLUMN_RE.match(x) for x in labels)


def _find_header(rows: list[tuple[int, list[str]]], problems: Problems) -> int:
    at = find_row(rows, _is_header)
    if at is None:
        first = " | ".join(x for x in (clean_label(c) for c in rows[0][1][:6]) if x) if rows else ""
        problems.add(
            "見出し行（地域コードと「昭和60／総数(人)」のような年の列）が見つかりません",
            row=1,
            expected="地域階層 | 地域コード | 地域 | 昭和60／総数(人) | …",
            found=first or "（空行）",
        )
        problems.raise_if_any()
    assert at is not None
    return at


def _area_columns(header: list[str], line: int, problems: Problems) -> tuple[int, int, int] | None:
    """(地域階層, 地域コード, 地域) column indexes: the code column and its two neighbours. The
    publisher heads the level column 「地域」 in 第2表 (two columns named 地域) and 「地域階層」 in 第9表."""
    labels = [clean_label(c) for c in header]
    code = labels.index("地域コード")
    level, name = code - 1, code + 1
    ok = True
    if level < 0 or labels[level] not in ("地域階層", "地域"):
        problems.add("列『地域階層』がありません（地域コードの左の列）", row=line, column="地域階層",
                     expected="地域階層 | 地域コード | 地域", found=" | ".join(labels[: code + 2]))
        ok = False
    if name >= len(labels) or labels[name] != "地域":
        problems.add("列『地域』（地域名）がありません（地域コードの右の列）", row=line, column="地域",
                     expected="地域階層 | 地域コード | 地域",
                     found=" | ".join(labels[max(code - 1, 0): code + 2]))
        ok = False
    return (level, code, name) if ok else None


def _year_columns(header: list[str], line: int, table: _Table, problems: Problems) -> list[_Column]:
    """Every year column, parsed; the years must run without a gap, each with all its cells."""
    labels = [clean_label(c) for c in header]
    out: list[_Column] = []
    seen: dict[tuple[int, str, str], str] = {}
    for i, label in enumerate(labels):
        m = _COLUMN_RE.match(label)
        if not m:
            if re.match(r"^(昭和|平成|令和)", label):
                problems.add(f"見出し『{header[i]}』を読み取れません", row=line, column=str(header[i]),
                             expected="昭和60／総数(人) のような「年／項目(単位)」", found=header[i])
            continue
        era, n_text, group, item, unit = m.groups()
        year = era_year(era, 1 if n_text == "元" else int(n_text))
        if unit != table.unit:
            hint = "（別の表のファイルではありませんか）" if unit in table.other_units else ""
            problems.add(f"単位が違います{hint}", row=line, column=str(header[i]),
                         expected=f"({table.unit})", found=f"({unit})")
            continue
        group_key = table.groups.get(group or "")
        sex = table.items.get(item)
        if group_key is None or sex is None:
            problems.add(f"見出し『{header[i]}』の項目を読み取れません", row=line, column=str(header[i]),
                         expected="／".join(k for k in table.groups if k) + " と " + "・".join(table.items),
                         found=header[i])
            continue
        key = (year, group_key, sex)
        if key in seen:
            problems.add(f"{year}年の列が2つあります（『{seen[key]}』と『{header[i]}』）", row=line,
                         column=str(header[i]), expected="年・項目ごとに1列", found=header[i])
            continue
        seen[key] = str(header[i])
        out.append(_Column(i, str(header[i]), year, group_key, sex))
    if not out:
        return out
    years = sorted({c.year for c in out})
    missing_years = [y for y in range(years[0], years[-1] + 1) if y not in years]
    for y in missing_years:
        problems.add(f"{_year_name(y)}（{y}年）の列がありません（年の列が抜けています）", row=line,
                     expected=f"{_year_name(years[0])}から{_year_name(years[-1])}まで毎年の列",
                     found=f"{_year_name(y - 1)}の次が{_year_name(next(x for x in years if x > y))}")
    groups_of = {y: {c.group for c in out if c.year == y} for y in years}
    for y in years:
        for group in sorted(groups_of[y]):
            for sex in SEXES:
                if (y, group, sex) not in seen:
                    problems.add(f"{_year_name(y)}の「{group}／{_item_name(table, sex)}」の列がありません", row=line,
                                 expected=f"{_year_name(y)}の総数・男・女の列", found="なし")
    return out


def _year_name(year: int) -> str:
    """昭和60 / 平成2 / 令和8: how the header names a year (1 January of it)."""
    if year <= 1989:
        return f"昭和{year - 1925}"
    if year <= 2019:
        return f"平成{year - 1988}"
    return f"令和{year - 2018}"


def _item_name(table: _Table, sex: str) -> str:
    return next(k for k, v in table.items.items() if v == sex)


# ------------------------------------------------------------------------------ step 2: rows


def _data_extent(rows: list[tuple[int, list[str]]], header_at: int) -> tuple[int, int]:
    """(first data row, end): blank rows right after the header are skipped (第2表 has one); the
    data end at the next blank row, where the footer begins."""
    start = header_at + 1
    while start < len(rows) and is_blank_row(rows[start][1]):
        start += 1
    end = start
    while end < len(rows) and not is_blank_row(rows[end][1]):
        cells = rows[end][1]
        if not any(re.fullmatch(r"\d{5}", clean_label(c)) for c in cells[:4]):
            break  # a footer line straight after the data (第9表 writes it without a blank row)
        end += 1
    return start, end


def _parse_rows(
    data: Sequence[tuple[int, list[str]]],
    area_cols: tuple[int, int, int],
    columns: list[_Column],
    table: _Table,
    problems: Problems,
) -> list[_Row]:
    level_col, code_col, name_col = area_cols
    width = max(c.index for c in columns) + 1
    out: list[_Row] = []
    seen: dict[str, int] = {}
    for line, cells in data:
        if len(cells) < width:
            problems.add(f"列の数が足りません（{width}列のはずが{len(cells)}列）", row=line,
                         expected=f"{width}列", found=f"{len(cells)}列")
            continue
        before = len(problems)
        code = clean_label(cells[code_col])
        name = clean_label(cells[name_col])
        level = problems.count(cells[level_col], row=line, column="地域階層", dash="error")
        check_tokyo_area(problems, row=line, code=code, name=name, level=None if level is None else int(level))
        if code in seen:
            problems.add(f"{name}（{code}）の行が重複しています（{seen[code]}行目と{line}行目）", row=line,
                         column="地域コード", expected="地域ごとに1行", found=f"{seen[code]}行目と同じ")
        seen.setdefault(code, line)
        row = _Row(line, int(level) if level is not None else -1, code, name)
        for c in columns:
            if table is AGED_TABLE:
                value = problems.count(cells[c.index], row=line, column=c.label, dash="zero",
                                       allow_fraction=True, allow_missing=True)
                if value is not None and not 0 <= value <= 100:
                    problems.add("割合は0～100の値です", row=line, column=c.label, expected="0～100",
                                 found=cells[c.index])
                    value = None
            else:
                value = problems.count(cells[c.index], row=line, column=c.label, dash="zero", allow_missing=True)
            row.values[(c.year, c.group, c.sex)] = value
        if len(problems) > before:
            continue
        _check_row(row, columns, table, problems)
        out.append(row)
    return out


def _check_row(row: _Row, columns: list[_Column], table: _Table, problems: Problems) -> None:
    """男＋女＝総数 (第9表: within rounding) and, in 第2表, 日本人＋外国人＝人口総数, per year."""
    v = row.values
    label = {(c.year, c.group, c.sex): c.label for c in columns}
    for year, group in sorted({(c.year, c.group) for c in columns}):
        total, male, female = (v.get((year, group, s)) for s in SEXES)
        if total is None or male is None or female is None:
            continue
        if table is AGED_TABLE:
            if abs(male + female - total) > 0.02 + 1e-9:
                problems.add(f"{row.name}（{row.code}）{year}年: 男＋女の割合が総数と合いません（0.02以内のはず）",
                             row=row.line, column=label[(year, group, "計")],
                             expected=f"{male + female:.2f}（男＋女）", found=f"{total}（総数）")
        elif male + female != total:
            problems.add(f"{row.name}（{row.code}）{year}年: 男＋女が総数と合いません", row=row.line,
                         column=label[(year, group, "計")], expected=f"{male + female}（男＋女）",
                         found=f"{total}（総数）")
    if table is not POPULATION_TABLE:
        return
    for year in sorted({c.year for c in columns if c.group == "外国人"}):
        for sex in SEXES:
            total, jp, fo = (v.get((year, g, sex)) for g in NATIONALITIES)
            if total is None or jp is None or fo is None:
                continue
            if jp + fo != total:
                problems.add(f"{row.name}（{row.code}）{year}年: 日本人＋外国人が人口総数と合いません",
                             row=row.line, column=label[(year, "総数", sex)],
                             expected=f"{jp + fo}（日本人＋外国人）", found=f"{total}（人口総数）")


# ---------------------------------------------------------------------------- step 3: footer


def _footer(footer: Sequence[tuple[int, list[str]]], table: _Table, last_year: int,
            problems: Problems) -> dt.date | None:
    """The release month from 「住民基本台帳による東京都の世帯と人口　令和8年1月」 (a cell of any footer
    row) and the table name (第２表 / 第９表), which must be this reader's table."""
    release: dt.date | None = None
    title_seen = False
    names: list[tuple[int, str]] = []
    for line, cells in footer:
        for cell in cells:
            text = clean_label(cell)
            if TIMESERIES_TITLE in text and not title_seen:
                title_seen = True
                try:
                    release = parse_wareki(text)
                except ValueError:
                    problems.add("表題行に公表の年月がありません", row=line,
                                 expected=f"{TIMESERIES_TITLE}　令和8年1月", found=text)
            m = re.search(r"第\d+表", text)
            if m:
                names.append((line, m.group(0)))
    if not title_seen:
        problems.add(f"表題行（{TIMESERIES_TITLE}　令和N年M月）がありません（公表の年月が分かりません）",
                     expected=f"表の下に「{TIMESERIES_TITLE}　令和8年1月」の行", found="なし")
    if names and names[0][1] != table.number:
        problems.add(f"{table.name}のファイルではありません", row=names[0][0],
                     expected=f"「{table.number}」の表名", found=names[0][1])
    if release is not None and release.year != last_year:
        problems.add("最後の年の列が公表の年月と合いません", expected=f"{_year_name(release.year)}（{wareki_date(release, day=False)}公表）",
                     found=_year_name(last_year))
    return release


# -------------------------------------------------------------------- step 4: across rows


def _check_parents(parsed: list[_Row], columns: list[_Column], problems: Problems) -> None:
    """Parts add up to their parent area (every cell), where the parent and all its parts are present."""
    by_code = {r.code: r for r in parsed}
    for parent, kids in tokyo_children().items():
        if parent not in by_code or not all(k in by_code for k in kids):
            continue
        p = by_code[parent]
        for c in columns:
            key = (c.year, c.group, c.sex)
            parts = [by_code[k].values.get(key) for k in kids]
            if p.values.get(key) is None or any(x is None for x in parts):
                continue
            total = sum(parts)  # type: ignore[arg-type]
            if total != p.values[key]:
                problems.add(f"{p.name}（{parent}）が内訳の地域の合計と合いません", row=p.line, column=c.label,
                             expected=f"{total}（内訳の合計）", found=f"{p.values[key]}（{p.name}）")


# -------------------------------------------------------------------------- step 5: frame


def _frame(parsed: list[_Row], columns: list[_Column], table: _Table, schema: LazySchema, path: Path) -> pd.DataFrame:
    value_col = "aged_pct" if table is AGED_TABLE else "population"
    group_col = "base" if table is AGED_TABLE else "nationality"
    out: dict[str, list[Any]] = {k: [] for k in schema.columns}
    for r in parsed:
        for c in columns:
            out["year"].append(c.year)
            out["area_level"].append(r.level)
            out["area_code"].append(r.code)
            out["area_name"].append(r.name)
            out[group_col].append(c.group)
            out["sex"].append(c.sex)
            out["includes_foreign"].append(c.year >= FOREIGN_FROM)
            value = r.values[(c.year, c.group, c.sex)]
            out[value_col].append(None if value is None else (float(value) if table is AGED_TABLE else int(value)))
    return validate_frame(schema, typed_frame(schema, out), path)


__all__ = [
    "AGED_SCHEMA",
    "FOREIGN_FROM",
    "POPULATION_SCHEMA",
    "read_tokyo_timeseries_aged",
    "read_tokyo_timeseries_population",
]
