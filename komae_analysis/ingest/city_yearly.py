"""Wide statistical tables as cities receive and keep them: label columns on the left, one column per
period (年度, 年 or 月), a merged group heading above the periods — the generic piece of the readers
of :mod:`~komae_analysis.ingest.community` and :mod:`~komae_analysis.ingest.recidivism` — and the
reader of the city-kept yearly workbooks (one sheet per topic, items × 年度).

The layout this module reads (data/raw/README.md describes each file that uses it)::

    A1  title
    A2  作成日（令和8年5月31日現在） or the provider's line
    A3  （単位：人）                       ← optional: a sheet-wide unit
    …
    r   項目 | 単位 | 年度  (merged over the period columns)
    r+1      |      | 平成29年度 | 平成30年度 | … | 令和7年度
    r+2 rows of data (label cells, then one value per period)
        注：…                                ← footer lines end the data

- The heading row is found by its labels (「項目」「地域」…) within the first 20 rows, so a heading
  shifted down by an inserted row still reads; the period headings are on the same row or the row
  under it (a two-row merged heading). A missing label column, a period column missing between two
  others, a duplicated one, and an unreadable heading are problems.
- Label cells merged downwards (地域 over its 罪種 rows) are read as repeated.
- Values are counts as Japanese tables write them (全角 digits, 桁区切り, △). The markers 「－」「…」
  「x」「***」 are explicit missing values (pandas NA in the tidy frame), never zero; an empty cell
  is a problem.
- A sheet-wide unit (「（単位：人）」 above the heading) is read so that a reader can refuse another
  unit (千人).

Every problem names file, sheet, row and column (a period column as 「令和3年度（F列）」).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import parse_wareki, wareki_date, wareki_fy, wareki_year, western_year
from komae_analysis.ingest.common import (
    HEADER_SEARCH_ROWS,
    Problems,
    Sheet,
    cell_text,
    clean_label,
    column_letter,
    is_blank_row,
    pad,
    read_sheets,
)
from komae_analysis.ingest.frames import LazySchema, count_column, text_column, typed_frame, validate_frame

if TYPE_CHECKING:
    import pandera.pandas as pa

# ------------------------------------------------------------------------------------- periods

FY, YEAR, MONTH = "fy", "year", "month"
KIND_JA = {FY: "年度", YEAR: "年", MONTH: "月"}
#: months in fiscal-year order (April first)
FY_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
_FY_RE = re.compile(r"^(?:(平成|令和)(元|\d+)年度(?:\((\d{4})年度\))?|(\d{4})年度)$")
_YEAR_RE = re.compile(r"^(?:(平成|令和)(元|\d+)年(?:\((\d{4})年?\))?|(\d{4})年?)$")
_MONTH_RE = re.compile(r"^(\d{1,2})月$")
_FOOTER = ("注", "※", "資料", "出典", "(注)", "備考")
_UNIT_RE = re.compile(r"単位\s*[:：]\s*([^)）]+)")
_DATE_TEXT_RE = re.compile(r"(令和|平成)\s*(元|\d+)\s*年\s*\d+\s*月")




def parse_period(value: Any, kind: str) -> int | None:
    """A period heading → the fiscal year, calendar year or month it names, None when it is not one.

    ``fy``: 令和3年度, 令和元年度, 平成29年度, 令和3年度（2021年度）, 2021年度 → 2021 …;
    ``year``: 令和3年, 令和元年, 平成31年, 2021年, 2021 → 2021 …; ``month``: 4月 → 4.
    Full-width digits and spaces are normalised first. A 和暦 with a different 西暦 beside it is None.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if kind == YEAR and 1900 < value < 2100 else None
    text = clean_label(value).replace(" ", "")
    if not text:
        return None
    if kind == MONTH:
        m = _MONTH_RE.match(text)
        return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 12 else None
    m = (_FY_RE if kind == FY else _YEAR_RE).match(text)
    if not m:
        return None
    era, n, western, plain = m.groups()
    if plain:
        year = int(plain)
        return year if 1900 < year < 2100 else None
    year = western_year(era, n)
    if era == "平成" and year > 2019:
        return None
    if western and int(western) != year:
        return None
    return year


def period_label(value: int, kind: str) -> str:
    """How a period is named in messages and on pages: 令和3年度 / 令和3年 / 4月."""
    if kind == FY:
        return wareki_fy(value)
    if kind == YEAR:
        return wareki_year(value)
    return f"{value}月"


# ---------------------------------------------------------------------------------- the table


@dataclass
class WideRow:
    """One data row: its label cells (merged cells filled down) and one value per period.

    A value is an int (or a float where fractions are allowed), or None for an explicit missing
    marker (「－」「…」「x」「***」); the marker as written is kept in ``marks``."""

    row: int
    labels: dict[str, str]
    values: dict[int, int | float | None]
    extras: dict[str, int | float | None] = field(default_factory=dict)
    marks: dict[int, str] = field(default_factory=dict)
    clean: bool = True


@dataclass
class WideTable:
    """A wide table read from one sheet: where its heading is and its rows."""

    sheet: Sheet
    kind: str
    header_row: int  # the row of the label headings
    label_cols: dict[str, int]
    periods: list[tuple[int, int, str]]  # (period, column index, heading as written), in column order
    extra_cols: dict[str, int]
    rows: list[WideRow]
    unit: str | None  # the sheet-wide unit written above the heading (「人」), None when absent
    unit_row: int | None
    clean: bool  # no problem was found in the heading or a row

    def column_name(self, period: int) -> str:
        """The column as messages name it: 令和3年度（F列）."""
        for p, col, _text in self.periods:
            if p == period:
                return f"{period_label(p, self.kind)}（{column_letter(col)}列）"
        return period_label(period, self.kind)


def _row_text(cells: Sequence[Any]) -> str:
    return " | ".join(t for t in (clean_label(c) for c in cells) if t) or "（空行）"


def _find_header(sheet: Sheet, labels: Sequence[str], problems: Problems) -> int | None:
    """The first row (within the first 20) holding every label heading; problems otherwise."""
    wanted = [clean_label(x) for x in labels]
    best_row, best = None, 0
    for r, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        present = {clean_label(c) for c in cells}
        score = sum(w in present for w in wanted)
        if score == len(wanted):
            return r
        if score > best:
            best_row, best = r, score
    expected = " | ".join(labels)
    if best_row is None:
        problems.add(
            f"見出し行（{'・'.join(f'「{x}」' for x in labels)}の列）が見つかりません",
            row=None,
            expected=expected,
            found=f"{HEADER_SEARCH_ROWS}行目までに該当なし",
        )
        return None
    cells = dict(sheet.rows)[best_row]
    present = {clean_label(c) for c in cells}
    for label, w in zip(labels, wanted, strict=True):
        if w not in present:
            problems.add(f"列『{label}』がありません", row=best_row, column=label, expected=expected,
                         found=_row_text(cells))
    return None


def _sheet_unit(sheet: Sheet, before: int) -> tuple[str | None, int | None]:
    for r, cells in sheet.rows[: before - 1]:
        for c in cells:
            if isinstance(c, str) and "単位" in c:
                m = _UNIT_RE.search(clean_label(c))
                if m:
                    return m.group(1).strip(), r
    return None, None


def read_wide_table(
    sheet: Sheet,
    problems: Problems,
    *,
    labels: Sequence[str],
    kind: str,
    extras: Sequence[str] = (),
    fill_down: Sequence[str] = (),
    allow_fraction: bool = False,
) -> WideTable | None:
    """Read one wide table (see the module docstring); None when its heading cannot be read.

    ``labels`` are the label headings, left to right; ``extras`` are value columns that are not
    periods (「月平均」); ``fill_down`` names the label columns whose cells may be merged downwards.
    Problems are added to ``problems`` (which carries the file and sheet)."""
    header = _find_header(sheet, labels, problems)
    if header is None:
        return None
    by_row = dict(sheet.rows)
    head_cells = [clean_label(c) for c in by_row[header]]
    label_cols = {label: head_cells.index(clean_label(label)) for label in labels}
    first_value_col = max(label_cols.values()) + 1
    kind_ja = KIND_JA[kind]

    # the period headings: on the label row or the row under it (a two-row merged heading)
    def periods_on(r: int) -> list[tuple[int, int, str]]:
        cells = by_row.get(r, ())
        out = []
        for col in range(first_value_col, len(cells)):
            p = parse_period(cells[col], kind)
            if p is not None:
                out.append((p, col, cell_text(cells[col])))
        return out

    candidates = [(len(periods_on(r)), -r, r) for r in (header, header + 1) if r in by_row]
    count, _neg, period_row = max(candidates)
    if count == 0:
        problems.add(
            f"{kind_ja}の見出しがありません",
            row=header + 1,
            expected=f"{'令和3年度' if kind == FY else '令和3年' if kind == YEAR else '4月'} のような見出し",
            found=_row_text(by_row.get(header + 1, by_row[header])),
        )
        return None
    periods = periods_on(period_row)
    clean = True
    extra_cols: dict[str, int] = {}
    for name in extras:
        for r in (header, period_row):
            cells = [clean_label(c) for c in by_row[r]]
            if clean_label(name) in cells[first_value_col:]:
                extra_cols[name] = cells.index(clean_label(name), first_value_col)
    # unreadable headings among the period headings
    period_cols = {col for _p, col, _t in periods}
    cells = by_row[period_row]
    for col in range(first_value_col, len(cells)):
        text = clean_label(cells[col])
        if text and col not in period_cols and col not in extra_cols.values():
            problems.add(
                f"見出し『{cell_text(cells[col])}』を{kind_ja}として読めません",
                row=period_row,
                column=f"{column_letter(col)}列",
                expected=f"{'令和3年度' if kind == FY else '令和3年' if kind == YEAR else '4月'} のような{kind_ja}の見出し",
                found=cell_text(cells[col]),
            )
            clean = False
    clean &= _check_periods(periods, kind, period_row, problems)
    unit, unit_row = _sheet_unit(sheet, header)

    rows: list[WideRow] = []
    current: dict[str, str] = {}
    label_order = list(labels)
    for r, values in sheet.rows[period_row:]:
        cells = pad(values, len(head_cells))
        if is_blank_row(cells):
            continue
        first = clean_label(cells[0])
        if first.startswith(_FOOTER) and all(is_blank_row([cells[c]]) for _p, c, _t in periods):
            break
        before = len(problems)
        row_labels: dict[str, str] = {}
        changed = False
        for label in label_order:
            text = clean_label(cells[label_cols[label]])
            if text:
                row_labels[label] = text
                changed = True
            elif label in fill_down and not changed and label in current:
                row_labels[label] = current[label]
            else:
                problems.add(f"{label}が空欄です", row=r, column=label, expected=f"{label}の名前", found="（空欄）")
        current = row_labels
        got: dict[int, int | float | None] = {}
        marks: dict[int, str] = {}
        for p, col, _text in periods:
            name = f"{period_label(p, kind)}（{column_letter(col)}列）"
            v = problems.count(cells[col], row=r, column=name, dash="missing", allow_missing=True,
                               allow_fraction=allow_fraction)
            got[p] = v
            if v is None and not is_blank_row([cells[col]]):
                marks[p] = clean_label(cells[col])
        extra_values = {
            name: problems.count(cells[col], row=r, column=f"{name}（{column_letter(col)}列）", dash="missing",
                                 allow_missing=True, allow_fraction=True)
            for name, col in extra_cols.items()
        }
        ok = len(problems) == before
        clean &= ok
        rows.append(WideRow(r, row_labels, got, extra_values, marks, ok))
    if not rows:
        problems.add("データの行がありません", row=period_row + 1, expected="見出しの次の行からデータ", found="なし")
        clean = False
    return WideTable(sheet, kind, header, label_cols, periods, extra_cols, rows, unit, unit_row, clean)


def _check_periods(periods: list[tuple[int, int, str]], kind: str, row: int, problems: Problems) -> bool:
    """Period columns in order, none twice, none missing between the first and the last (all twelve
    months for a monthly table)."""
    ok = True
    seen: dict[int, int] = {}
    for p, col, _text in periods:
        if p in seen:
            problems.add(
                f"{period_label(p, kind)}の列が2つあります（{column_letter(seen[p])}列と{column_letter(col)}列）",
                row=row, column=f"{column_letter(col)}列", expected=f"{KIND_JA[kind]}ごとに1列",
                found=f"{column_letter(seen[p])}列と{column_letter(col)}列",
            )
            ok = False
        seen.setdefault(p, col)
    order = [p for p, _c, _t in periods]
    if kind == MONTH:
        expected = list(FY_MONTHS)
        missing = [m for m in expected if m not in seen]
        if missing:
            problems.add(
                "月の列がありません: " + "、".join(f"{m}月" for m in missing),
                row=row, expected="4月～3月の12か月", found="、".join(f"{m}月" for m in order),
            )
            return False
        if [m for m in order if m in expected] != expected:
            problems.add("月の列の並びが違います", row=row, expected="4月, 5月, …, 3月", found="、".join(f"{m}月" for m in order))
            return False
        return ok
    if order != sorted(order):
        problems.add(f"{KIND_JA[kind]}の列が古い順に並んでいません", row=row, expected="古い順",
                     found="、".join(period_label(p, kind) for p in order))
        return False
    for a, b in zip(order, order[1:], strict=False):
        if b - a > 1:
            gap = "、".join(period_label(p, kind) for p in range(a + 1, b))
            problems.add(
                f"{gap}の列がありません（{period_label(a, kind)}と{period_label(b, kind)}の間）",
                row=row, column=f"{column_letter(seen[b])}列",
                expected=f"{period_label(a, kind)}から{period_label(order[-1], kind)}まで毎{KIND_JA[kind]}の列",
                found=f"{period_label(a, kind)}の次が{period_label(b, kind)}",
            )
            ok = False
    return ok


def check_unit(table: WideTable, expected: str, problems: Problems) -> bool:
    """The sheet-wide unit must be ``expected`` (a table of counts in 人 is not one in 千人)."""
    where = table.unit_row if table.unit_row is not None else 1
    if table.unit is None:
        problems.add("単位の表示（「（単位：人）」など）がありません", row=table.header_row, expected=f"単位：{expected}",
                     found="なし")
        return False
    if clean_label(table.unit) != clean_label(expected):
        problems.add("単位が様式と違います", row=where, column="A", expected=f"単位：{expected}",
                     found=f"単位：{table.unit}")
        return False
    return True


def sheet_date(sheet: Sheet, before: int) -> tuple[dt.date | None, int | None]:
    """The first 和暦 date (令和8年5月31日, 令和7年10月) written above the heading, and its row."""
    for r, cells in sheet.rows[: max(before - 1, 0)]:
        for c in cells:
            if isinstance(c, str) and _DATE_TEXT_RE.search(clean_label(c)):
                try:
                    return parse_wareki(c), r
                except ValueError:
                    continue
    return None, None


# ----------------------------------------------------------------- the city-kept yearly workbooks


@dataclass(frozen=True)
class ItemSpec:
    """One row of a sheet: its label (as the tidy frame names it) and its unit."""

    label: str
    unit: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    """One topic sheet of a city-kept workbook: its name, items (rows), and the rules between them:
    ``sums`` (total, parts): the parts add up to the total; ``at_most`` (part, whole): 「うち」 rows."""

    name: str
    items: tuple[ItemSpec, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    at_most: tuple[tuple[str, str], ...] = ()


CITY_LABELS = ("項目", "単位")


def _city_yearly_schema(name: str) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "topic": text_column(pa.Check.str_length(min_value=1)),
            "item": text_column(pa.Check.str_length(min_value=1)),
            "unit": text_column(pa.Check.str_length(min_value=1)),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "value": count_column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["topic", "item", "fiscal_year"],
        name=name,
    )


def city_yearly_schema(name: str) -> LazySchema:
    """The tidy frame of a city-kept yearly workbook: ``topic`` (the sheet), ``item``, ``unit``,
    ``fiscal_year``, ``value`` (Int64, NA for an explicit missing marker)."""
    return LazySchema(lambda: _city_yearly_schema(name))


def read_city_yearly(path: str | Path, sheets: Sequence[SheetSpec], schema: LazySchema) -> pd.DataFrame:
    """A city-kept workbook (one sheet per topic, items × 年度) → the tidy long frame of ``schema``.

    Checks per sheet: the heading (「項目」「単位」 and the 年度 columns, found by their labels), every
    item of the spec once and no unknown item, each item's unit, values (markers as NA), the
    ``sums`` and ``at_most`` rules where every value involved is present. The file's edition is the
    latest 「令和8年5月31日現在」 date above the headings (``frame.attrs["edition"]``, ISO text);
    where two editions hold the same item and year, the registry keeps the newer one.
    """
    path = Path(path)
    found = read_sheets(path, [s.name for s in sheets])
    problems = Problems(path)
    out: dict[str, list[Any]] = {k: [] for k in ("topic", "item", "unit", "fiscal_year", "value")}
    dates: list[dt.date] = []
    for spec in sheets:
        sheet_problems = Problems(path, sheet=spec.name)
        table = read_wide_table(found[spec.name], sheet_problems, labels=CITY_LABELS, kind=FY)
        if table is not None:
            date, _row = sheet_date(table.sheet, table.header_row)
            if date is None:
                sheet_problems.add("作成日（「令和8年5月31日現在」のような日付）がありません", row=2, column="A",
                                   expected="見出しより上の行に和暦の日付", found="なし")
            else:
                dates.append(date)
            items = _city_items(table, spec, sheet_problems)
            for label, row in items.items():
                item = next(i for i in spec.items if i.label == label)
                for p, _col, _text in table.periods:
                    out["topic"].append(spec.name)
                    out["item"].append(label)
                    out["unit"].append(item.unit)
                    out["fiscal_year"].append(p)
                    out["value"].append(row.values[p])
        problems.extend(sheet_problems.all())
    problems.raise_if_any()
    frame = validate_frame(schema.get(), typed_frame(schema.get(), out), path)
    frame.attrs["edition"] = max(dates).isoformat()
    frame.attrs["edition_ja"] = wareki_date(max(dates))
    return frame


def _city_items(table: WideTable, spec: SheetSpec, problems: Problems) -> dict[str, WideRow]:
    """The sheet's rows by item label: every item once, known, with its unit; then the rules."""
    by_label: dict[str, ItemSpec] = {}
    for item in spec.items:
        for name in (item.label, *item.aliases):
            by_label[clean_label(name)] = item
    rows: dict[str, WideRow] = {}
    clean = table.clean
    for row in table.rows:
        text = row.labels.get("項目", "")
        item = by_label.get(text)
        if item is None:
            problems.add(f"項目『{text}』は様式にありません", row=row.row, column="項目",
                         expected="、".join(i.label for i in spec.items), found=text)
            clean = False
            continue
        if item.label in rows:
            problems.add(f"項目『{item.label}』の行が2つあります（{rows[item.label].row}行目と{row.row}行目）",
                         row=row.row, column="項目", expected="項目ごとに1行", found=text)
            clean = False
            continue
        unit = row.labels.get("単位", "")
        if clean_label(unit) != clean_label(item.unit):
            problems.add(f"項目『{item.label}』の単位が様式と違います", row=row.row, column="単位",
                         expected=item.unit, found=unit)
            clean = False
        rows[item.label] = row
    for item in spec.items:
        if item.label not in rows:
            problems.add(f"項目『{item.label}』の行がありません", column="項目", expected=item.label, found="なし")
            clean = False
    if not clean:
        return rows
    for total, parts in spec.sums:
        for p, _col, _text in table.periods:
            values = [rows[x].values[p] for x in parts]
            whole = rows[total].values[p]
            if whole is None or any(v is None for v in values):
                continue
            if sum(values) != whole:
                problems.add(
                    f"{total}が内訳（{'＋'.join(parts)}）の合計と合いません",
                    row=rows[total].row, column=table.column_name(p),
                    expected=f"{sum(values)}（内訳の合計）", found=whole,
                )
    for part, whole_label in spec.at_most:
        for p, _col, _text in table.periods:
            v, whole = rows[part].values[p], rows[whole_label].values[p]
            if v is not None and whole is not None and v > whole:
                problems.add(
                    f"{part}が{whole_label}を上回っています",
                    row=rows[part].row, column=table.column_name(p),
                    expected=f"{whole}以下（{whole_label}）", found=v,
                )
    return rows


__all__ = [
    "CITY_LABELS",
    "FY",
    "FY_MONTHS",
    "MONTH",
    "YEAR",
    "ItemSpec",
    "SheetSpec",
    "WideRow",
    "WideTable",
    "check_unit",
    "city_yearly_schema",
    "parse_period",
    "period_label",
    "read_city_yearly",
    "read_wide_table",
    "sheet_date",
]
