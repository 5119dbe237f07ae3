"""総務省統計局 国勢調査 人口等基本集計 第10表「世帯の家族類型，世帯人員の人数別一般世帯数」
(e-Stat Excel, sheet ``b10``) → the tidy frame ``census_households``: its schema and its reader.

The e-Stat layout: A1 the survey (「令和２年国勢調査　人口等基本集計」), A2 the table; a header band
(一般世帯数 / 世帯の家族類型 / the hierarchy level / the family types ``0_総数``, ``1_親族のみの世帯``,
``11_核家族世帯`` … ``R3_（再掲）65歳以上の単独世帯`` / the unit 世帯) over the row that heads the id
columns ``地域識別コード | 都道府県 | 地域名 | 世帯人員の人数``; then per area eight rows, 総数 and
世帯人員が1人 … 7人以上. Areas are written ``13219_狛江市``. The layout is described in
data/raw/README.md (``census_households/``).

Only 全国 and the areas of 東京都 (都道府県 ``13_東京都``) are kept: the comparisons of the appendix
are within 東京都. 東京都市部 is not a row of the table; the section sums the 26 市.

Symbols (the census's 利用上の注意): 「-」 is 該当数値なし (zero: most are structurally empty cells such
as a one-person 核家族世帯); 「…」「x」「***」 are explicit missing (NA), never zero.

Steps: the sheet; the title lines (the census year → the reference date, 1 October); the header
rows found by their labels (so a shifted band still reads) and every family type present; the unit;
the rows (area, household size, counts); the identities of the family-type hierarchy on every row,
the household sizes adding up to the 総数 row, 特別区部 and 東京都 equal to the sum of their parts; the
typed frame.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.ingest.common import (
    Problems,
    Sheet,
    cell_text,
    clean_label,
    column_letter,
    find_row,
    pad,
    read_sheets,
)
from komae_analysis.ingest.frames import LazySchema, date_column, text_column, typed_frame, validate_frame
from komae_analysis.ingest.header_search import parse_era_year
from komae_analysis.reference import tokyo_areas

if TYPE_CHECKING:
    import pandera.pandas as pa

CENSUS_SHEET = "b10"
CENSUS_TITLE = "国勢調査"
TABLE_NAME = "世帯の家族類型"
ID_LABELS = ("地域識別コード", "都道府県", "地域名", "世帯人員の人数")
TOKYO_PREFECTURE = "13"
NATIONAL_CODE = "00000"
TOKYO_CODE = "13000"
WARDS_CODE = "13100"

#: The family types of 第10表 (code → label as published, after NFKC).
FAMILY_TYPES: dict[str, str] = {
    "0": "総数",
    "1": "親族のみの世帯",
    "11": "核家族世帯",
    "111": "夫婦のみの世帯",
    "112": "夫婦と子供から成る世帯",
    "113": "男親と子供から成る世帯",
    "114": "女親と子供から成る世帯",
    "12": "核家族以外の世帯",
    "1201": "夫婦と両親から成る世帯",
    "1202": "夫婦とひとり親から成る世帯",
    "1203": "夫婦,子供と両親から成る世帯",
    "1204": "夫婦,子供とひとり親から成る世帯",
    "1205": "夫婦と他の親族(親,子供を含まない)から成る世帯",
    "1206": "夫婦,子供と他の親族(親を含まない)から成る世帯",
    "1207": "夫婦,親と他の親族(子供を含まない)から成る世帯",
    "1208": "夫婦,子供,親と他の親族から成る世帯",
    "1209": "兄弟姉妹のみから成る世帯",
    "1210": "他に分類されない世帯",
    "2": "非親族を含む世帯",
    "3": "単独世帯",
    "4": "世帯の家族類型「不詳」",
    "R1": "(再掲)3世代世帯",
    "R2": "(再掲)夫65歳以上,妻60歳以上の夫婦のみの世帯",
    "R3": "(再掲)65歳以上の単独世帯",
}
#: total → its exhaustive parts (the family-type hierarchy).
PARTS: dict[str, tuple[str, ...]] = {
    "0": ("1", "2", "3", "4"),
    "1": ("11", "12"),
    "11": ("111", "112", "113", "114"),
    "12": tuple(f"12{i:02d}" for i in range(1, 11)),
}
#: 再掲 (part of) → the types it is part of: a 再掲 cannot exceed their sum (a 3世代世帯 may hold
#: non-relatives too, so it is bounded by 親族のみ＋非親族を含む).
SUBSETS: dict[str, tuple[str, ...]] = {"R2": ("111",), "R3": ("3",), "R1": ("1", "2")}
#: 世帯人員: 0 = 総数, 1 … 6, 7 = 7人以上.
SIZE_LABELS: dict[str, int] = {"総数": 0, **{f"世帯人員が{n}人": n for n in range(1, 7)}, "世帯人員が7人以上": 7}


# -------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "area_code": text_column(pa.Check.str_matches(r"^\d{5}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "area_class": text_column(pa.Check.isin(["a", "0", "1", "2", "3"])),
            "household_size": pa.Column("int64", checks=pa.Check.in_range(0, 7)),
            "family_type_code": text_column(pa.Check.isin(list(FAMILY_TYPES))),
            "family_type": text_column(pa.Check.str_length(min_value=1)),
            "households": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["date", "area_code", "household_size", "family_type_code"],
        name="census_households",
    )


SCHEMA = LazySchema(_schema)


@dataclass
class _Row:
    row: int
    area_class: str
    code: str
    name: str
    size: int
    values: dict[str, int | None] = field(default_factory=dict)


# -------------------------------------------------------------------------------- the reader


def read_census_households(path: str | Path) -> pd.DataFrame:
    """国勢調査 第10表 (sheet ``b10``) → long frame ``date, area_code, area_name, area_class,
    household_size, family_type_code, family_type, households`` for 全国 and the areas of 東京都.

    ``date`` is the census date (1 October of the census year in A1, 令和２年 → 2020-10-01);
    ``area_class`` is the 地域識別コード (a 全国・都道府県, 1 特別区部・政令市, 2 市, 3 町村, 0 政令市の区);
    ``household_size`` 0 is 総数, 7 is 7人以上. Checks (all problems collected, with sheet, row and
    column): the sheet, the title lines, the header found by its labels with every family type, the
    unit 世帯 (not 千世帯), area ``code_name`` cells, each area's eight 世帯人員 rows, the family-type
    hierarchy on every row (総数＝親族のみ＋非親族を含む＋単独＋不詳, 親族のみ＝核家族＋核家族以外, the
    parts of 核家族 and 核家族以外), 再掲 types not above their type, the 世帯人員 rows adding up to the
    総数 row, and 特別区部 and 東京都 equal to the sum of their 区市町村 (both numbers in the message).
    """
    path = Path(path)
    sheet = read_sheets(path, [CENSUS_SHEET])[CENSUS_SHEET]
    problems = Problems(path, sheet=CENSUS_SHEET)
    date = _title(sheet, problems)
    id_cols, type_cols, header_row = _header(sheet, problems)
    problems.raise_if_any()
    parsed = _rows(sheet, header_row, id_cols, type_cols, problems)
    _check_sizes(parsed, type_cols, problems)
    _check_parents(parsed, type_cols, problems)
    if not parsed and not problems:
        problems.add("東京都のデータ行がありません", row=header_row + 1, expected="13_東京都 の地域の行", found="なし")
    problems.raise_if_any()
    assert date is not None
    return _frame(parsed, date, path)


# ---------------------------------------------------------------------- step 1: title, header


def _title(sheet: Sheet, problems: Problems) -> dt.date | None:
    """The census year from the first title line (令和２年国勢調査 → 2020-10-01) and the table's name."""
    texts = [(r, clean_label(cells[0]) if cells else "") for r, cells in sheet.rows[:6]]
    survey = next(((r, t) for r, t in texts if CENSUS_TITLE in t), None)
    if survey is None:
        problems.add("表題（令和２年国勢調査　人口等基本集計）がありません", row=1, column="A",
                     expected="令和２年国勢調査　人口等基本集計", found=cell_text(sheet.cell(1, 0)))
        return None
    year = parse_era_year(survey[1])
    if year is None:
        problems.add("表題に調査年がありません", row=survey[0], column="A", expected="令和２年国勢調査", found=survey[1])
        return None
    if not any(TABLE_NAME in t for _r, t in texts):
        problems.add("第10表（世帯の家族類型，世帯人員の人数別一般世帯数）のシートではありません", row=2, column="A",
                     expected="第１０表　世帯の家族類型，世帯人員の人数別一般世帯数", found=cell_text(sheet.cell(2, 0)))
    return dt.date(year, 10, 1)


_TYPE_RE = re.compile(r"^(R?\d+)_(.+)$")


def _header(sheet: Sheet, problems: Problems) -> tuple[dict[str, int], dict[str, int], int]:
    """(id label → column, family type code → column, the row of the id labels)."""
    rows = sheet.rows
    at = find_row(rows, lambda labels: "地域識別コード" in labels)
    types_at = find_row(rows, lambda labels: sum(bool(_TYPE_RE.match(x)) for x in labels) >= 3)
    if at is None:
        problems.add("見出し行（地域識別コード | 都道府県 | 地域名 | 世帯人員の人数）が見つかりません", row=10,
                     column="A", expected=" | ".join(ID_LABELS), found="なし")
        return {}, {}, 0
    row, cells = rows[at]
    labels = [clean_label(c) for c in cells]
    id_cols: dict[str, int] = {}
    for label in ID_LABELS:
        if label in labels:
            id_cols[label] = labels.index(label)
        else:
            problems.add(f"列『{label}』がありません", row=row, expected=" | ".join(ID_LABELS),
                         found=" | ".join(x for x in labels[:4] if x) or "（空欄）")
    type_cols: dict[str, int] = {}
    if types_at is None or types_at > at:
        problems.add("家族類型の見出し（0_総数、3_単独世帯 …）の行が見つかりません", row=row,
                     expected="地域識別コードの行より上に「0_総数 | 1_親族のみの世帯 | …」の行", found="なし")
        return id_cols, type_cols, row
    type_row, type_cells = rows[types_at]
    for i, raw in enumerate(type_cells):
        m = _TYPE_RE.match(clean_label(raw))
        if not m:
            continue
        code, label = m.groups()
        if code not in FAMILY_TYPES:
            problems.add(f"知らない家族類型の列『{raw}』があります", row=type_row, column=column_letter(i),
                         expected="第10表の家族類型（0_総数 … R3_（再掲）65歳以上の単独世帯）", found=raw)
        elif code in type_cols:
            problems.add(f"家族類型「{raw}」の列が2つあります", row=type_row, column=column_letter(i),
                         expected="家族類型ごとに1列", found=f"{column_letter(type_cols[code])}列と{column_letter(i)}列")
        elif label != FAMILY_TYPES[code]:
            problems.add(f"家族類型コード「{code}」の名前が違います", row=type_row, column=column_letter(i),
                         expected=f"{code}_{FAMILY_TYPES[code]}", found=raw)
        else:
            type_cols[code] = i
    for code, label in FAMILY_TYPES.items():
        if code not in type_cols:
            problems.add(f"家族類型「{code}_{label}」の列がありません", row=type_row,
                         expected=f"{code}_{label}", found="なし")
    _check_unit(rows, types_at, at, type_cols, problems)
    return id_cols, type_cols, row


def _check_unit(rows: list[tuple[int, tuple[Any, ...]]], types_at: int, at: int, type_cols: dict[str, int],
                problems: Problems) -> None:
    """The unit row between the family types and the id row says 世帯 in every type column."""
    for r, cells in rows[types_at + 1: at]:
        units = {clean_label(cells[i]) for i in type_cols.values() if i < len(cells)}
        units.discard("")
        if not units:
            continue
        bad = sorted(u for u in units if u != "世帯")
        if bad:
            problems.add("単位が違います（一般世帯数は「世帯」の単位）", row=r, expected="世帯", found="、".join(bad))
        return
    problems.add("単位（世帯）の行がありません", row=rows[at][0] - 1, expected="家族類型の見出しの下に「世帯」", found="なし")


# -------------------------------------------------------------------------------- step 2: rows


_AREA_RE = re.compile(r"^(\d{5})_(.+)$")
_SIZE_RE = re.compile(r"^(\d)_(.+)$")


def _rows(sheet: Sheet, header_row: int, id_cols: dict[str, int], type_cols: dict[str, int],
          problems: Problems) -> list[_Row]:
    """The rows of 全国 and of the areas of 東京都 (other prefectures are skipped unread)."""
    width = max([*id_cols.values(), *type_cols.values()]) + 1
    out: list[_Row] = []
    seen: dict[tuple[str, int], int] = {}
    ref = tokyo_areas()
    for row, values in sheet.rows[header_row:]:
        cells = pad(values, width)
        pref = clean_label(cells[id_cols["都道府県"]])
        area = clean_label(cells[id_cols["地域名"]])
        if not pref and not area:
            continue
        m = _AREA_RE.match(area)
        if not m:
            problems.add("地域名は「13219_狛江市」のように地域コードと名前です", row=row, column="地域名",
                         expected="5桁のコード_名前", found=cell_text(cells[id_cols["地域名"]]))
            continue
        code, name = m.groups()
        if code != NATIONAL_CODE and not pref.startswith(TOKYO_PREFECTURE + "_"):
            continue
        if code != NATIONAL_CODE and not code.startswith(TOKYO_PREFECTURE):
            problems.add(f"地域コード「{code}」が都道府県「{pref}」と合いません", row=row, column="地域名",
                         expected="13で始まる地域コード", found=area)
            continue
        before = len(problems)
        if code in ref and ref[code].level == 4 and ref[code].name != name:
            problems.add(f"地域名が地域コード「{code}」と合いません", row=row, column="地域名",
                         expected=f"{code}_{ref[code].name}", found=area)
        size_text = clean_label(cells[id_cols["世帯人員の人数"]])
        sm = _SIZE_RE.match(size_text)
        size = SIZE_LABELS.get(sm.group(2)) if sm else None
        if size is None:
            problems.add("世帯人員の人数を読み取れません", row=row, column="世帯人員の人数",
                         expected="0_総数、1_世帯人員が1人 … 7_世帯人員が7人以上", found=cell_text(cells[id_cols["世帯人員の人数"]]))
        area_class = clean_label(cells[id_cols["地域識別コード"]])
        if area_class not in ("a", "0", "1", "2", "3"):
            problems.add("地域識別コードは a、0、1、2、3 のいずれかです", row=row, column="地域識別コード",
                         expected="a、0、1、2、3", found=cell_text(cells[id_cols["地域識別コード"]]))
        r = _Row(row, area_class, code, name, size if size is not None else -1)
        for type_code, col in type_cols.items():
            value = problems.count(cells[col], row=row, column=f"{type_code}_{FAMILY_TYPES[type_code]}",
                                   dash="zero", allow_missing=True)
            r.values[type_code] = None if value is None else int(value)
        if len(problems) > before:
            continue
        if (code, r.size) in seen:
            problems.add(f"{name}（{code}）の「{size_text}」の行が重複しています（{seen[(code, r.size)]}行目と{row}行目）",
                         row=row, column="世帯人員の人数", expected="地域・世帯人員ごとに1行", found="重複")
            continue
        seen[(code, r.size)] = row
        _check_hierarchy(r, problems)
        out.append(r)
    return out


def _type_name(code: str) -> str:
    return f"{code}_{FAMILY_TYPES[code]}"


def _check_hierarchy(r: _Row, problems: Problems) -> None:
    v = r.values
    for total, parts in PARTS.items():
        if v[total] is None or any(v[p] is None for p in parts):
            continue
        s = sum(v[p] for p in parts)  # type: ignore[misc]
        if s != v[total]:
            problems.add(f"{r.name}（{r.code}）: 「{_type_name(total)}」が内訳の合計と合いません", row=r.row,
                         column=_type_name(total), expected=f"{s}（{'＋'.join(parts)}の合計）",
                         found=f"{v[total]}（{FAMILY_TYPES[total]}）")
    for part, wholes in SUBSETS.items():
        if v[part] is None or any(v[w] is None for w in wholes):
            continue
        bound = sum(v[w] for w in wholes)  # type: ignore[misc]
        if v[part] > bound:
            names = "＋".join(FAMILY_TYPES[w] for w in wholes)
            problems.add(f"{r.name}（{r.code}）: 再掲の「{FAMILY_TYPES[part]}」が「{names}」より多くなっています",
                         row=r.row, column=_type_name(part), expected=f"{bound}（{names}）以下", found=v[part])


# ---------------------------------------------------------------------------- step 3: sums


def _check_sizes(parsed: list[_Row], type_cols: dict[str, int], problems: Problems) -> None:
    """Each area has its 総数 row and 世帯人員 1 … 7人以上, which add up to it."""
    by_area: dict[str, list[_Row]] = defaultdict(list)
    for r in parsed:
        by_area[r.code].append(r)
    for code, rows in by_area.items():
        sizes = {r.size: r for r in rows}
        missing = [s for s in range(8) if s not in sizes]
        if missing:
            labels = [k for k, v in SIZE_LABELS.items() if v in missing]
            problems.add(f"{rows[0].name}（{code}）の世帯人員の行が足りません（{'、'.join(labels)}）", row=rows[0].row,
                         column="世帯人員の人数", expected="総数と世帯人員が1人 … 7人以上の8行", found=f"{len(rows)}行")
            continue
        total = sizes[0]
        for t in type_cols:
            parts = [sizes[s].values[t] for s in range(1, 8)]
            if total.values[t] is None or any(p is None for p in parts):
                continue
            s = sum(parts)  # type: ignore[arg-type]
            if s != total.values[t]:
                problems.add(f"{total.name}（{code}）の「{_type_name(t)}」: 世帯人員別の合計が総数の行と合いません",
                             row=total.row, column=_type_name(t), expected=f"{s}（世帯人員別の合計）",
                             found=f"{total.values[t]}（総数の行）")


def _check_parents(parsed: list[_Row], type_cols: dict[str, int], problems: Problems) -> None:
    """特別区部 = its 23 区 and 東京都 = 特別区部 + the 市町村, where all the parts are in the file."""
    totals = {r.code: r for r in parsed if r.size == 0}
    ref = tokyo_areas()
    municipalities = [c for c, a in ref.items() if a.level == 4]
    wards = [c for c in municipalities if ref[c].parent == WARDS_CODE]
    others = [c for c in municipalities if ref[c].parent != WARDS_CODE]
    for parent, kids in ((WARDS_CODE, wards), (TOKYO_CODE, [WARDS_CODE, *others])):
        if parent not in totals or not all(k in totals for k in kids):
            continue
        p = totals[parent]
        for t in type_cols:
            parts = [totals[k].values[t] for k in kids]
            if p.values[t] is None or any(x is None for x in parts):
                continue
            s = sum(parts)  # type: ignore[arg-type]
            if s != p.values[t]:
                problems.add(f"{p.name}（{parent}）の「{_type_name(t)}」が内訳の地域の合計と合いません", row=p.row,
                             column=_type_name(t), expected=f"{s}（内訳の地域の合計）", found=f"{p.values[t]}（{p.name}）")


# ---------------------------------------------------------------------------- step 4: frame


def _frame(parsed: list[_Row], date: dt.date, path: Path) -> pd.DataFrame:
    out: dict[str, list[Any]] = {k: [] for k in SCHEMA.columns if k != "date"}
    for r in parsed:
        for code in FAMILY_TYPES:
            out["area_code"].append(r.code)
            out["area_name"].append(r.name)
            out["area_class"].append(r.area_class)
            out["household_size"].append(r.size)
            out["family_type_code"].append(code)
            out["family_type"].append(FAMILY_TYPES[code])
            out["households"].append(r.values[code])
    return validate_frame(SCHEMA, typed_frame(SCHEMA, {"date": date, **out}), path)


__all__ = ["CENSUS_SHEET", "FAMILY_TYPES", "PARTS", "SCHEMA", "read_census_households"]
