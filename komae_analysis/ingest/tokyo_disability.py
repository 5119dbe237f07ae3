"""東京都福祉局「福祉・衛生 統計年報」 the 障害者手帳 tables by 区市町村 (one workbook per 年度末)
→ the tidy frame ``tokyo_disability``: its schema and its reader.

The layout is described in data/raw/README.md (``tokyo_disability/``). Three sheets, each a table of
the 年報 with 区市町村 rows and a merged two-row header:

- 「身体障害者手帳」: 交付台帳登載数 by 障害の種類 (総数 and the five 種別, merged over their columns)
  × 等級 (計, 1級 … 6級). A 種別 that has no such 等級 shows 「－」 there (聴覚・平衡機能障害 has no
  1級, 音声・言語・そしゃく機能障害 only 3・4級, 内部障害 1・3・4級);
- 「愛の手帳」: 交付台帳登載数 by 程度 (総数, 1度 … 4度) × 年齢 (計, 18歳未満, 18歳以上);
- 「精神障害者保健福祉手帳」: 所持者数 by 等級 (総数 over both header rows; 「等級」 over 1級 … 3級).

Above each table: its title, the reference date 「令和8年3月31日現在」 (a 31 March: figures at the end
of a fiscal year) and the unit 「（単位：人）」. Rows: 総数 (東京都), 区部, 市部, the 区市町村, 町村部 …
named as in the 住民基本台帳 tables (reference/tokyo_areas.csv); notes follow the rows.

Checks (all problems collected, in Japanese, with sheet, row and column): sheets present by name,
title, date and unit lines (the date a 31 March, the same on the three sheets), header found by its
labels, every expected column present once, known area names, every area once, a 「－」 only where
a 種別 has no such 等級 or where a figure is not shown (「－」「…」「x」「***」 are NA, never zero),
levels adding up to their 計 and 種別 to 総数 on every row, and the 区市町村 of a parent (市部 …)
adding up to it where all of them are in the file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import wareki_date
from komae_analysis.ingest.common import Problems, Sheet, cell_text, clean_label, is_blank_row, read_sheets
from komae_analysis.ingest.disability_common import (
    AI,
    AI_GRADES,
    NOT_APPLICABLE,
    SEISHIN,
    SEISHIN_GRADES,
    SHINTAI,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
    TECHO,
    TOTAL,
    check_date_line,
    check_title,
    check_unit_line,
    column_name,
    find_header_row,
    header_labels,
    is_note,
)
from komae_analysis.ingest.frames import (
    LazySchema,
    count_column,
    date_column,
    text_column,
    typed_frame,
    validate_frame,
)
from komae_analysis.reference import tokyo_areas

if TYPE_CHECKING:
    import pandera.pandas as pa

# ------------------------------------------------------------------------------------ layout

SHEETS: dict[str, str] = {t: t for t in TECHO}
TITLES: dict[str, str] = {
    SHINTAI: "身体障害者手帳交付台帳登載数（障害の種類・等級・区市町村別）",
    AI: "愛の手帳交付台帳登載数（程度・年齢・区市町村別）",
    SEISHIN: "精神障害者保健福祉手帳所持者数（等級・区市町村別）",
}
AREA_LABEL = "区市町村"
ALL = "総数"
TOKYO_AGES = ("18歳未満", "18歳以上")


def _columns(table: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(header group, header label) → (kind, grade, age band) of each column of a table."""
    if table == SHINTAI:
        return {(g, s): (TOTAL if g == ALL else g, s, TOTAL)
                for g in (ALL, *SHINTAI_KINDS) for s in (TOTAL, *SHINTAI_GRADES)}
    if table == AI:
        return {(g, s): (TOTAL, TOTAL if g == ALL else g, s) for g in (ALL, *AI_GRADES) for s in (TOTAL, *TOKYO_AGES)}
    return {(ALL, TOTAL): (TOTAL, TOTAL, TOTAL), **{("等級", g): (TOTAL, g, TOTAL) for g in SEISHIN_GRADES}}


COLUMNS = {t: _columns(t) for t in TECHO}


# ------------------------------------------------------------------------------------ schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "table": text_column(pa.Check.isin(TECHO)),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "kind": text_column(pa.Check.isin((TOTAL, *SHINTAI_KINDS))),
            "grade": text_column(pa.Check.isin((TOTAL, *SHINTAI_GRADES, *AI_GRADES))),
            "age_band": text_column(pa.Check.isin((TOTAL, *TOKYO_AGES))),
            "holders": count_column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["date", "table", "area_code", "kind", "grade", "age_band"],
        name="tokyo_disability",
    )


SCHEMA = LazySchema(_schema)


# ------------------------------------------------------------------------------- one sheet


@dataclass
class _Area:
    row: int
    code: str
    name: str
    values: dict[tuple[str, str, str], int | None]


@dataclass
class _SheetRead:
    date: dt.date | None
    date_row: int
    cols: dict[tuple[str, str, str], int]  # (kind, grade, age) → column index
    areas: list[_Area]
    clean: bool


def _area_names() -> dict[str, tuple[str, str]]:
    """clean name → (code, name) for every area of the reference list; 東京都 is also 総数."""
    out = {clean_label(a.name): (a.code, a.name) for a in tokyo_areas().values()}
    out["東京都"] = out[ALL]
    return out


def _read_sheet(table: str, sheet: Sheet, problems: Problems) -> _SheetRead | None:
    top = find_header_row(sheet, [AREA_LABEL], first_col_only=True)
    if top is None:
        problems.add(f"見出し行（「{AREA_LABEL}」）が見つかりません",
                     expected=f"最初の20行のどこかに「{AREA_LABEL}」で始まる見出し", found="なし")
        return None
    check_title(sheet, table, top, problems)
    dated = check_date_line(sheet, top, problems, expected="令和8年3月31日現在 のような年度末の日付", dated=True)
    check_unit_line(sheet, top, problems)
    top_cells = sheet.rows[top - 1][1]
    sub_cells = sheet.rows[top][1] if top < len(sheet.rows) else ()
    area_col = next(i for i, c in enumerate(top_cells) if clean_label(c) == AREA_LABEL)
    wanted = {(clean_label(g), clean_label(s)): key for (g, s), key in COLUMNS[table].items()}
    cols: dict[tuple[str, str, str], int] = {}
    clean = True
    for group, label, i in header_labels(top_cells, sub_cells, area_col + 1):
        key = wanted.get((group, label))
        if key is None:
            problems.add(f"見出し「{group}／{label}」は様式にありません", row=top + 1, column=column_name(i),
                         expected="、".join(f"{g}／{s}" for g, s in COLUMNS[table]), found=f"{group}／{label}")
            clean = False
        elif key in cols:
            problems.add(f"見出し「{group}／{label}」が2つあります", row=top + 1, column=column_name(i),
                         expected="1列", found="2列")
            clean = False
        else:
            cols[key] = i
    for (group, label), key in COLUMNS[table].items():
        if key not in cols:
            what = f"列「{label}」（{group}）" if label != TOTAL else f"列「{group}」の計"
            problems.add(f"{what}がありません", row=top + 1, expected=f"{group}／{label}", found="なし")
            clean = False
    if not clean:
        return None
    names = _area_names()
    areas: list[_Area] = []
    seen: dict[str, int] = {}
    width = max(cols.values()) + 1
    for r, values in sheet.rows[top + 1:]:
        cells = list(values) + [None] * (width - len(values))
        if is_blank_row(cells):
            continue
        name = clean_label(cells[area_col])
        if is_note(name):
            break
        if name not in names:
            problems.add(f"地域名「{name or '（空欄）'}」は東京都の区市町村にありません", row=r,
                         column=column_name(area_col, AREA_LABEL), expected="総数、区部、市部、八王子市 … のような地域名",
                         found=cell_text(cells[area_col]))
            clean = False
            continue
        code, ref_name = names[name]
        if code in seen:
            problems.add(f"{ref_name}の行が2つあります（{seen[code]}行目と{r}行目）", row=r,
                         column=column_name(area_col, AREA_LABEL), expected="地域ごとに1行", found="2行")
            clean = False
            continue
        seen[code] = r
        before = len(problems)
        got: dict[tuple[str, str, str], int | None] = {}
        for key, i in cols.items():
            label = "／".join(x for x in key if x != TOTAL) or ALL
            value = problems.count(cells[i], row=r, column=column_name(i, label), dash="missing", allow_missing=True)
            kind, grade, _age = key
            if grade in NOT_APPLICABLE.get(kind, ()) and value not in (None, 0):
                problems.add(f"{kind}に{grade}はありません（「－」のはずです）", row=r, column=column_name(i, label),
                             expected="－", found=cell_text(cells[i]))
            got[key] = None if value is None else int(value)
        if len(problems) > before:
            clean = False
        areas.append(_Area(r, code, ref_name, got))
    if not areas:
        problems.add("地域の行がありません", row=top + 2, expected="総数、区部、市部 … の行", found="なし")
        return None
    date = dated[1] if dated else None
    return _SheetRead(date, dated[0] if dated else top, cols, areas, clean)


# ------------------------------------------------------------------------------------ sums


def _sum_groups(table: str) -> list[tuple[tuple[str, str, str], list[tuple[str, str, str]], str]]:
    """(total cell, its parts, what the parts are) for one row of a table."""
    out = []
    if table == SHINTAI:
        for kind in (TOTAL, *SHINTAI_KINDS):
            grades = [g for g in SHINTAI_GRADES if g not in NOT_APPLICABLE.get(kind, ())]
            out.append(((kind, TOTAL, TOTAL), [(kind, g, TOTAL) for g in grades],
                        f"{ALL if kind == TOTAL else kind}の等級の合計"))
        for grade in (TOTAL, *SHINTAI_GRADES):
            kinds = [k for k in SHINTAI_KINDS if grade not in NOT_APPLICABLE.get(k, ())]
            out.append(((TOTAL, grade, TOTAL), [(k, grade, TOTAL) for k in kinds],
                        f"障害の種類の合計（{grade if grade != TOTAL else '計'}）"))
    elif table == AI:
        for grade in (TOTAL, *AI_GRADES):
            out.append(((TOTAL, grade, TOTAL), [(TOTAL, grade, a) for a in TOKYO_AGES],
                        f"{ALL if grade == TOTAL else grade}の年齢の合計"))
        for age in (TOTAL, *TOKYO_AGES):
            out.append(((TOTAL, TOTAL, age), [(TOTAL, g, age) for g in AI_GRADES], f"程度の合計（{age}）"))
    else:
        out.append(((TOTAL, TOTAL, TOTAL), [(TOTAL, g, TOTAL) for g in SEISHIN_GRADES], "等級の合計"))
    return out


def _label(key: tuple[str, str, str]) -> str:
    return "／".join(x for x in key if x != TOTAL) or ALL


def _check_rows(table: str, read: _SheetRead, problems: Problems) -> None:
    for area in read.areas:
        for total_key, parts, what in _sum_groups(table):
            total = area.values[total_key]
            values = [area.values[p] for p in parts]
            if total is None or any(v is None for v in values):
                continue
            s = sum(values)  # type: ignore[arg-type]
            if s != total:
                problems.add(
                    f"{area.name}の{_label(total_key)}が{what}と合いません（{_label(total_key)} {total:,}人、{what} {s:,}人）",
                    row=area.row, column=column_name(read.cols[total_key], _label(total_key)),
                    expected=f"{s}（{what}）", found=total,
                )


def _check_parents(read: _SheetRead, problems: Problems) -> None:
    ref = tokyo_areas()
    by_code = {a.code: a for a in read.areas}
    children: dict[str, list[str]] = defaultdict(list)
    for area in ref.values():
        if area.parent:
            children[area.parent].append(area.code)
    for parent, kids in children.items():
        if parent not in by_code or not all(k in by_code for k in kids):
            continue
        p = by_code[parent]
        for key, col in read.cols.items():
            values = [by_code[k].values[key] for k in kids]
            if p.values[key] is None or any(v is None for v in values):
                continue
            s = sum(values)  # type: ignore[arg-type]
            if s != p.values[key]:
                names = "・".join(ref[k].name for k in kids[:3]) + ("など" if len(kids) > 3 else "")
                problems.add(
                    f"{p.name}の{_label(key)}が内訳の地域の合計と合いません（{p.name} {p.values[key]:,}人、"
                    f"{names}の合計 {s:,}人）",
                    row=p.row, column=column_name(col, _label(key)), expected=f"{s}（{names}の合計）",
                    found=p.values[key],
                )


# ------------------------------------------------------------------------------- the reader


def read_tokyo_disability(path: str | Path) -> pd.DataFrame:
    """One 年報 workbook → ``date, table, area_code, area_name, kind, grade, age_band, holders``.

    One row per 手帳 × area × column of its table: ``kind`` a 障害の種類 (身体; 「計」 otherwise),
    ``grade`` an 等級 or 程度 (「計」 for the total), ``age_band`` 18歳未満 / 18歳以上 (愛の手帳;
    「計」 otherwise). ``date`` is the 年度末 the tables are as of; ``holders`` NA where a cell is
    「－」「…」「x」「***」 (including the 等級 a 種別 does not have).
    """
    path = Path(path)
    sheets = read_sheets(path, [SHEETS[t] for t in TECHO])
    problems = Problems(path)
    reads: dict[str, _SheetRead] = {}
    for table in TECHO:
        sheet_problems = Problems(path, sheet=SHEETS[table])
        read = _read_sheet(table, sheets[SHEETS[table]], sheet_problems)
        if read is not None and read.clean and not sheet_problems:
            _check_rows(table, read, sheet_problems)
            _check_parents(read, sheet_problems)
        problems.extend(sheet_problems.all())
        if read is not None:
            reads[table] = read
    dates = {t: r.date for t, r in reads.items() if r.date is not None}
    if len(set(dates.values())) > 1:
        first = TECHO[0] if TECHO[0] in dates else next(iter(dates))
        for table, date in dates.items():
            if date != dates[first]:
                problems.add(f"基準日がシート「{SHEETS[first]}」と違います", sheet=SHEETS[table],
                             row=reads[table].date_row, expected=f"{wareki_date(dates[first])}現在",
                             found=f"{wareki_date(date)}現在")
    problems.raise_if_any()
    return _frame(reads, path)


def _frame(reads: dict[str, _SheetRead], path: Path) -> pd.DataFrame:
    date = next(r.date for r in reads.values())
    out: dict[str, list[Any]] = {k: [] for k in ("table", "area_code", "area_name", "kind", "grade", "age_band",
                                                 "holders")}
    for table in TECHO:
        read = reads[table]
        for area in read.areas:
            for (kind, grade, age), value in area.values.items():
                out["table"].append(table)
                out["area_code"].append(area.code)
                out["area_name"].append(area.name)
                out["kind"].append(kind)
                out["grade"].append(grade)
                out["age_band"].append(age)
                out["holders"].append(value)
    return validate_frame(SCHEMA, typed_frame(SCHEMA, {"date": date, **out}), path)


__all__ = ["AREA_LABEL", "COLUMNS", "SCHEMA", "SHEETS", "TITLES", "TOKYO_AGES", "read_tokyo_disability"]
