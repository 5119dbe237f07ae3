"""狛江市 高齢障がい課「障害者手帳所持者数等の推移」(the city's own workbook) → the tidy frame
``city_disability``: its schema and its reader.

The layout is described in data/raw/README.md (``city_disability/``). One workbook holds one sheet
per 手帳 or 制度 (身体障害者手帳, 愛の手帳, 精神障害者保健福祉手帳, 自立支援医療（精神通院）,
難病医療費助成) with the same form: a title, the reference-date line 「各年度3月31日現在」 and the unit
line 「（単位：人）」 above a two-row merged header (「区分」 over columns A:B, 「年齢区分」 in C, 「年度」
over the 年度 columns, the 年度 labels under it); then one block of rows per breakdown (等級, 障害種別,
程度, 疾病区分: its name merged down column A, each level merged down column B over its four rows
18歳未満 / 18～64歳 / 65歳以上 / 計), and the 「合計」 block last. The city adds a column every year,
so each workbook is an *edition* holding every year so far; the newest edition's figure wins where two
editions hold the same year (a corrected figure), which the section does when it prepares its data.

Cells: counts, full-width digits and commas accepted (「１，２３４」); 「－」, 「…」, 「x」, 「***」 are
figures the city did not compile or does not show, kept as explicit missing (NA), never zero.

Checks (all problems collected, in Japanese, with sheet, row and column): every sheet present (by
name), title, date and unit lines, header found by its labels (so a header moved down a row still
reads), 年度 columns consecutive and the same on every sheet, every block, level and 年齢区分 row
present once, the 年齢区分 adding up to 計 on every row group, and the levels of every block adding
up to the 合計 block, for every 年度 (a missing value is not checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import wareki_fy
from komae_analysis.ingest.common import Problems, Sheet, cell_text, clean_label, is_blank_row, read_sheets
from komae_analysis.ingest.disability_common import (
    AGE_BANDS,
    AI,
    AI_GRADES,
    JIRITSU,
    NANBYO,
    NANBYO_KINDS,
    SEISHIN,
    SEISHIN_GRADES,
    SHINTAI,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
    TABLES,
    TOTAL,
    check_date_line,
    check_title,
    check_unit_line,
    column_name,
    find_header_row,
    is_note,
    parse_fy,
    year_end,
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

# ------------------------------------------------------------------------------------ layout

#: Sheet name of each 手帳 / 制度.
SHEETS: dict[str, str] = {t: t for t in TABLES}
#: The blocks of each sheet: (label in column A, the frame column its levels fill, the levels).
BLOCKS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    SHINTAI: (("等級", "grade", SHINTAI_GRADES), ("障害種別", "kind", SHINTAI_KINDS)),
    AI: (("程度", "grade", AI_GRADES),),
    SEISHIN: (("等級", "grade", SEISHIN_GRADES),),
    JIRITSU: (),
    NANBYO: (("疾病区分", "kind", NANBYO_KINDS),),
}
GRAND = "合計"
HEADER = ("区分", "年齢区分")
DATE_LINE = "各年度3月31日現在"
AGES = (*AGE_BANDS, TOTAL)
#: a label as read (clean_label: NFKC, so 「～」 is "~") → the label as the layout writes it
_CANON = {clean_label(x): x for x in (*AGES, GRAND, *(b for bl in BLOCKS.values() for b, _c, _l in bl),
                                      *(lv for bl in BLOCKS.values() for _b, _c, levels in bl for lv in levels))}


# ------------------------------------------------------------------------------------ schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    kinds = (TOTAL, *SHINTAI_KINDS, *NANBYO_KINDS)
    grades = (TOTAL, *SHINTAI_GRADES, *AI_GRADES)
    return pa.DataFrameSchema(
        {
            "edition": pa.Column("int64", checks=pa.Check.ge(2000)),
            "fiscal_year": pa.Column("int64", checks=pa.Check.ge(2000)),
            "date": date_column(),
            "table": text_column(pa.Check.isin(TABLES)),
            "kind": text_column(pa.Check.isin(kinds)),
            "grade": text_column(pa.Check.isin(grades)),
            "age_band": text_column(pa.Check.isin(AGES)),
            "holders": count_column("Int64", nullable=True),
        },
        checks=[pa.Check(lambda df: (df["date"].dt.year == df["fiscal_year"] + 1).all(), element_wise=False,
                         error="date is not the 31 March after the fiscal year")],
        strict=True,
        ordered=True,
        unique=["fiscal_year", "table", "kind", "grade", "age_band"],
        name="city_disability",
    )


SCHEMA = LazySchema(_schema)


# ------------------------------------------------------------------------------- one sheet


@dataclass
class _Row:
    row: int
    values: dict[int, int | None]  # fiscal year → count (None: not shown)


@dataclass
class _SheetRead:
    years: list[int]  # fiscal years, left to right
    year_row: int
    year_cols: dict[int, int]  # fiscal year → column index
    rows: dict[tuple[str, str, str], _Row]  # (block, level, age band) → the row
    clean: bool  # structure complete: the sums can be checked


def _years(sheet: Sheet, header_row: int, first_col: int, problems: Problems) -> tuple[int, dict[int, int]] | None:
    """The 年度 columns: labels on the header row or the row under it (under a merged 「年度」)."""
    for r in (header_row + 1, header_row):
        cells = sheet.rows[r - 1][1] if r <= len(sheet.rows) else ()
        found = {i: parse_fy(cell_text(c)) for i, c in enumerate(cells) if i >= first_col and clean_label(c)}
        if any(fy is not None for fy in found.values()):
            break
    else:
        problems.add(
            "年度の列がありません", row=header_row, expected="平成29年度、平成30年度 … のような年度の見出し",
            found="なし",
        )
        return None
    ok = True
    cols: dict[int, int] = {}
    for i, fy in found.items():
        if fy is None:
            if clean_label(sheet.cell(r, i)) == "年度":
                continue
            problems.add("年度の見出しを読み取れません", row=r, column=column_name(i),
                         expected="令和7年度 のような年度", found=cell_text(sheet.cell(r, i)))
            ok = False
            continue
        cols[i] = fy
    order = sorted(cols)
    for a, b in zip(order, order[1:], strict=False):
        fa, fb = cols[a], cols[b]
        if fb == fa + 1:
            continue
        if fb > fa + 1:
            missing = "、".join(wareki_fy(y) for y in range(fa + 1, fb))
            problems.add(
                f"年度の列が足りません（{missing}の列がありません）", row=r, column=column_name(b, wareki_fy(fb)),
                expected=f"{wareki_fy(fa)}の次は{wareki_fy(fa + 1)}", found=wareki_fy(fb),
            )
        else:
            problems.add(
                "年度の列の並びが違います（古い年度から順に1列ずつ）", row=r, column=column_name(b, wareki_fy(fb)),
                expected=f"{wareki_fy(fa)}の次は{wareki_fy(fa + 1)}", found=wareki_fy(fb),
            )
        ok = False
    if not ok:
        return None
    return r, {fy: i for i, fy in cols.items()}


def _read_sheet(table: str, sheet: Sheet, problems: Problems) -> _SheetRead | None:
    header_row = find_header_row(sheet, HEADER)
    if header_row is None:
        problems.add(
            "見出し行（「区分」「年齢区分」）が見つかりません",
            expected=f"最初の20行のどこかに「区分」「年齢区分」「年度」の見出し（{DATE_LINE}）",
            found="なし",
        )
        return None
    check_title(sheet, table, header_row, problems)
    check_date_line(sheet, header_row, problems, expected=DATE_LINE, dated=False)
    check_unit_line(sheet, header_row, problems)
    labels = [clean_label(c) for c in sheet.rows[header_row - 1][1]]
    block_col, age_col = labels.index("区分"), labels.index("年齢区分")
    level_col = block_col + 1
    if age_col != block_col + 2:
        problems.add(
            "「区分」（2列）の次の列が「年齢区分」ではありません", row=header_row, column=column_name(age_col),
            expected="区分（A～B列、結合）、年齢区分（C列）、年度の列", found=" | ".join(x for x in labels if x),
        )
        return None
    years = _years(sheet, header_row, age_col + 1, problems)
    if years is None:
        return None
    year_row, year_cols = years
    blocks = {b: levels for b, _col, levels in BLOCKS[table]}
    allowed_blocks = (*blocks, GRAND)
    rows: dict[tuple[str, str, str], _Row] = {}
    clean = True
    block = level = ""
    for r, values in sheet.rows[year_row:]:
        cells = list(values) + [None] * (max(year_cols.values()) + 1 - len(values))
        if is_blank_row(cells):
            continue
        a, b, age = (clean_label(cells[i]) for i in (block_col, level_col, age_col))
        a, b, age = _CANON.get(a, a), _CANON.get(b, b), _CANON.get(age, age)
        if is_note(a):
            break
        if a:
            block, level = a, b
        elif b:
            level = b
        if block not in allowed_blocks:
            problems.add(
                f"区分「{block or '（空欄）'}」は様式にありません", row=r, column=column_name(block_col),
                expected="、".join(allowed_blocks), found=cell_text(cells[block_col]) if a else block,
            )
            clean = False
            continue
        if block == GRAND:
            if level and level != TOTAL:
                problems.add("「合計」の区分の2列目は空欄です", row=r, column=column_name(level_col),
                             expected="空欄（A～B列を結合）", found=cell_text(cells[level_col]))
                clean = False
                continue
            level = TOTAL
        elif level not in blocks[block]:
            problems.add(
                f"{block}「{level or '（空欄）'}」は様式にありません", row=r, column=column_name(level_col),
                expected="、".join(blocks[block]), found=cell_text(cells[level_col]) if b else level,
            )
            clean = False
            continue
        if age not in AGES:
            problems.add(
                "年齢区分の書き方が違います", row=r, column=column_name(age_col), expected="、".join(AGES),
                found=cell_text(cells[age_col]),
            )
            clean = False
            continue
        key = (block, level, age)
        if key in rows:
            problems.add(
                f"{_name(block, level)}の「{age}」の行が2つあります（{rows[key].row}行目と{r}行目）",
                row=r, column=column_name(age_col), expected="1行", found="2行",
            )
            clean = False
            continue
        before = len(problems)
        counts = {
            fy: problems.count(cells[col], row=r, column=column_name(col, wareki_fy(fy)), dash="missing",
                               allow_missing=True)
            for fy, col in year_cols.items()
        }
        if len(problems) > before:
            clean = False
        rows[key] = _Row(r, {fy: None if v is None else int(v) for fy, v in counts.items()})
    clean &= _check_complete(table, rows, problems, year_row)
    return _SheetRead(sorted(year_cols), year_row, year_cols, rows, clean)


def _name(block: str, level: str) -> str:
    return "合計" if block == GRAND else f"{block}「{level}」"


def _check_complete(table: str, rows: dict[tuple[str, str, str], _Row], problems: Problems, after: int) -> bool:
    ok = True
    expected = [(b, lv) for b, _c, levels in BLOCKS[table] for lv in levels] + [(GRAND, TOTAL)]
    for block, level in expected:
        present = [a for a in AGES if (block, level, a) in rows]
        if not present:
            what = "「合計」" if block == GRAND else f"{block}「{level}」"
            problems.add(f"{what}の行がありません", row=after + 1, column="B",
                         expected=f"{what}の{len(AGES)}行（{'、'.join(AGES)}）", found="なし")
            ok = False
            continue
        for a in AGES:
            if a not in present:
                problems.add(f"{_name(block, level)}の「{a}」の行がありません", row=rows[(block, level, present[0])].row,
                             column="C", expected="、".join(AGES), found="、".join(present))
                ok = False
    return ok


def _check_sums(table: str, read: _SheetRead, problems: Problems) -> None:
    """年齢区分 → 計 within each level, and levels → 合計 within each block, for every 年度."""
    rows = read.rows
    groups = [(b, lv) for b, _c, levels in BLOCKS[table] for lv in levels] + [(GRAND, TOTAL)]
    for fy in read.years:
        col = column_name(read.year_cols[fy], wareki_fy(fy))
        for block, level in groups:
            total = rows[(block, level, TOTAL)]
            parts = [rows[(block, level, a)].values[fy] for a in AGE_BANDS]
            _compare(problems, total.values[fy], parts, total.row, col,
                     f"{_name(block, level)}の年齢区分の合計が計と合いません", "年齢区分の合計")
        for block, _c, levels in BLOCKS[table]:
            for a in AGES:
                grand = rows[(GRAND, TOTAL, a)]
                parts = [rows[(block, lv, a)].values[fy] for lv in levels]
                _compare(problems, grand.values[fy], parts, grand.row, col,
                         f"{block}別の合計（{a}）が「合計」と合いません", f"{block}別の合計")


def _compare(problems: Problems, total: int | None, parts: list[int | None], row: int, column: str,
             message: str, parts_name: str) -> None:
    if total is None or any(p is None for p in parts):
        return  # a figure not shown: nothing to check against
    s = sum(parts)  # type: ignore[arg-type]
    if s != total:
        problems.add(f"{message}（計 {total:,}人、{parts_name} {s:,}人）", row=row, column=column,
                     expected=f"{s}（{parts_name}）", found=total)


# ------------------------------------------------------------------------------- the reader


def read_city_disability(path: str | Path) -> pd.DataFrame:
    """The city's workbook → ``edition, fiscal_year, date, table, kind, grade, age_band, holders``.

    One row per 手帳/制度 × breakdown level × 年齢区分 (with 計) × 年度; ``kind`` holds a 障害種別 or
    疾病区分 and ``grade`` an 等級 or 程度 (「計」 where the row is not broken down that way), so the
    合計 of a sheet is kind=計, grade=計. ``date`` is 31 March after the fiscal year; ``edition`` the
    newest fiscal year in the workbook (also ``frame.attrs["edition"]``, e.g. 「令和7年度末」).
    ``holders`` is NA where the sheet shows 「－」「…」「x」「***」.
    """
    path = Path(path)
    sheets = read_sheets(path, [SHEETS[t] for t in TABLES])
    problems = Problems(path)
    reads: dict[str, _SheetRead] = {}
    for table in TABLES:
        sheet_problems = Problems(path, sheet=SHEETS[table])
        read = _read_sheet(table, sheets[SHEETS[table]], sheet_problems)
        if read is not None and read.clean and not sheet_problems:
            _check_sums(table, read, sheet_problems)
        problems.extend(sheet_problems.all())
        if read is not None:
            reads[table] = read
    if len(reads) == len(TABLES):
        first = reads[TABLES[0]]
        for table in TABLES[1:]:
            if reads[table].years != first.years:
                problems.add(
                    f"年度の列がシート「{SHEETS[TABLES[0]]}」と違います", sheet=SHEETS[table],
                    row=reads[table].year_row,
                    expected=f"{wareki_fy(first.years[0])}～{wareki_fy(first.years[-1])}",
                    found=f"{wareki_fy(reads[table].years[0])}～{wareki_fy(reads[table].years[-1])}",
                )
    problems.raise_if_any()
    return _frame(reads, path)


def _frame(reads: dict[str, _SheetRead], path: Path) -> pd.DataFrame:
    edition = max(fy for r in reads.values() for fy in r.years)
    out: dict[str, list[Any]] = {k: [] for k in ("fiscal_year", "date", "table", "kind", "grade", "age_band", "holders")}
    for table in TABLES:
        read = reads[table]
        fills = {b: col for b, col, _levels in BLOCKS[table]}
        for (block, level, age), row in read.rows.items():
            kind = level if fills.get(block) == "kind" else TOTAL
            grade = level if fills.get(block) == "grade" else TOTAL
            for fy in read.years:
                out["fiscal_year"].append(fy)
                out["date"].append(year_end(fy))
                out["table"].append(table)
                out["kind"].append(kind)
                out["grade"].append(grade)
                out["age_band"].append(age)
                out["holders"].append(row.values[fy])
    frame = typed_frame(SCHEMA, {"edition": edition, **out})
    frame = frame.sort_values(["table", "fiscal_year"], kind="stable",
                              key=lambda s: s.map(TABLES.index) if s.name == "table" else s).reset_index(drop=True)
    frame = validate_frame(SCHEMA, frame, path)
    frame.attrs["edition"] = f"{wareki_fy(edition)}末"
    return frame


__all__ = ["BLOCKS", "DATE_LINE", "GRAND", "HEADER", "SCHEMA", "SHEETS", "read_city_disability"]
