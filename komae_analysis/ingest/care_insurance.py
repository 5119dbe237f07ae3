"""介護保険事業状況報告 保険者別の表 (年報 and 月報, one Excel workbook per fiscal year or month, one
sheet per table) → the tidy frames ``care_annual`` and ``care_monthly``: the layout, the schema and
the two readers.

The layout is described in data/raw/README.md (``care_insurance/``), with how sure we are of it.
In short, every sheet has

- above the header: the title 「介護保険事業状況報告（年報）　令和4年度」 (or 「（月報）　令和8年6月分」),
  the table's name and the unit 「（単位：人）」 / 「（単位：千円）」 (read and checked: a table whose
  unit changed is refused, because its numbers would be off by a factor of 1,000);
- a two-row header found by its labels (the row holding 「保険者名」 and the row below it), not by
  position, so that a header shifted by a row still reads: the upper row names column groups in
  cells merged across their columns (「第１号被保険者」, 「居宅（介護予防）サービス」 …), the lower
  row the items (要支援1 … 要介護5, 計; 65歳以上75歳未満 …; the services); a label merged down both
  rows (「保険者名」, 「合計」) is its own item;
- one row per area from the row below the header to the first empty row: 全国, 東京都計, 区部計,
  市部計, 町村部計 and the insurers (保険者 = 区市町村, by name, full-width spaces allowed);
- after an empty row, notes (注, ※, the demo-data line), which are not read.

Numbers may be numbers or text with full-width digits and commas (「１，２３４」); the markers 「－」
「-」 「…」 「x」 「***」 are kept as explicit missing values (pandas NA), never zero. Every part/total
relation the tables carry is checked (levels add up to 計, 65～74歳 + 75歳以上 = 第1号, 第1号 + 第2号 =
総数, services add up to 小計 and the subtotals to 合計, 区部計 + 市部計 + 町村部計 = 東京都計, the 26 市
add up to 市部計), with both numbers in the message; amounts in 千円 may differ by the rounding of
each part (at most 1 千円 per part).

Reference dates: a 年報 is dated on its fiscal year's last day (令和4年度 → 2023-03-31: 被保険者 and
認定者 are as at the year's end; 受給者 and 給付費 are the year's totals), a 月報 on its month's last day
(令和8年6月分 → 2026-06-30). :func:`care_as_of` is the cutoff of a fiscal year's build.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import wareki_date, wareki_fy, western_year
from komae_analysis.errors import display_name
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
from komae_analysis.ingest.frames import (
    LazySchema,
    date_column,
    text_column,
    typed_frame,
    validate_frame,
)
from komae_analysis.reference import shibu_cities, tokyo_areas

if TYPE_CHECKING:
    import pandera.pandas as pa

# ------------------------------------------------------------------------------------- layout

REPORT_NAME = "介護保険事業状況報告"
ANNUAL, MONTHLY = "年報", "月報"
NAME_HEADER = "保険者名"

LEVELS: tuple[str, ...] = ("要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5")
TOTAL = "計"
SUBTOTAL = "小計"
GRAND_TOTAL = "合計"

#: The rows that are not insurers: name in the file → kind. Insurers are the 区市町村 of
#: reference/tokyo_areas.csv (area level 4).
AGGREGATE_ROWS: dict[str, str] = {
    "全国": "全国",
    "東京都計": "都道府県",
    "区部計": "地域計",
    "市部計": "地域計",
    "町村部計": "地域計",
}
NATIONAL_ROW = "全国"
PREFECTURE_ROW = "東京都計"
PART_ROWS = ("区部計", "市部計", "町村部計")
SHIBU_ROW = "市部計"

FACILITIES: tuple[str, ...] = ("介護老人福祉施設", "介護老人保健施設", "介護療養型医療施設", "介護医療院")

#: 給付費 by service, in the columns' order: (group key, service, 介護予防 counterpart or None).
HOME_SERVICES: tuple[tuple[str, str | None], ...] = (
    ("訪問介護", None),
    ("訪問入浴介護", "介護予防訪問入浴介護"),
    ("訪問看護", "介護予防訪問看護"),
    ("訪問リハビリテーション", "介護予防訪問リハビリテーション"),
    ("居宅療養管理指導", "介護予防居宅療養管理指導"),
    ("通所介護", None),
    ("通所リハビリテーション", "介護予防通所リハビリテーション"),
    ("短期入所生活介護", "介護予防短期入所生活介護"),
    ("短期入所療養介護", "介護予防短期入所療養介護"),
    ("福祉用具貸与", "介護予防福祉用具貸与"),
    ("特定福祉用具購入費", "特定介護予防福祉用具購入費"),
    ("住宅改修費", "介護予防住宅改修費"),
    ("特定施設入居者生活介護", "介護予防特定施設入居者生活介護"),
    ("居宅介護支援", "介護予防支援"),
)
COMMUNITY_SERVICES: tuple[tuple[str, str | None], ...] = (
    ("定期巡回・随時対応型訪問介護看護", None),
    ("夜間対応型訪問介護", None),
    ("地域密着型通所介護", None),
    ("認知症対応型通所介護", "介護予防認知症対応型通所介護"),
    ("小規模多機能型居宅介護", "介護予防小規模多機能型居宅介護"),
    ("認知症対応型共同生活介護", "介護予防認知症対応型共同生活介護"),
    ("地域密着型特定施設入居者生活介護", None),
    ("地域密着型介護老人福祉施設入所者生活介護", None),
    ("看護小規模多機能型居宅介護", None),
)
FACILITY_SERVICES: tuple[tuple[str, str | None], ...] = tuple((f, None) for f in FACILITIES)


def service_columns(services: Sequence[tuple[str, str | None]]) -> tuple[str, ...]:
    """The items of a 給付費 group as the columns run: the 介護給付 services, then their 介護予防
    counterparts (where there is one), in the same order."""
    return tuple(s for s, _ in services) + tuple(p for _, p in services if p)


@dataclass(frozen=True)
class Block:
    """A group of columns under one merged upper header cell."""

    label: str  # the upper header as printed (全角 as published), e.g. 「第１号被保険者」
    key: str  # the tidy frame's ``category``
    items: tuple[str, ...]  # the lower header labels, in order
    total: str | None = TOTAL  # the item that is the sum of the others (None: no total)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(i for i in self.items if i != self.total)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet (one table) of the workbook."""

    name: str  # the sheet's name as published
    table: str  # the tidy frame's ``table``
    title: str  # the table's name (second title line)
    unit: str  # 人 or 千円, as the unit line must say
    blocks: tuple[Block, ...]
    #: (target category, part categories): per item, target = sum of the parts
    block_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: ((category, item) target, [(category, item) parts]): one more sum across blocks
    cell_sums: tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...] = ()


_LEVEL_ITEMS = (*LEVELS, TOTAL)
_RECIPIENT_BLOCKS = (
    Block("第１号被保険者", "第1号", _LEVEL_ITEMS),
    Block("第２号被保険者", "第2号", _LEVEL_ITEMS),
    Block("総数", "総数", _LEVEL_ITEMS),
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        name="第１号被保険者数",
        table="第1号被保険者",
        title="第１号被保険者数",
        unit="人",
        blocks=(Block("第１号被保険者数", "第1号", ("65歳以上75歳未満", "75歳以上", TOTAL)),),
    ),
    SheetSpec(
        name="要介護（要支援）認定者数",
        table="認定者",
        title="要介護（要支援）認定者数",
        unit="人",
        blocks=(
            Block("総数", "総数", _LEVEL_ITEMS),
            Block("第１号被保険者", "第1号", _LEVEL_ITEMS),
            Block("うち65歳以上75歳未満", "第1号65～74歳", _LEVEL_ITEMS),
            Block("うち75歳以上", "第1号75歳以上", _LEVEL_ITEMS),
            Block("第２号被保険者", "第2号", _LEVEL_ITEMS),
        ),
        block_sums=(("第1号", ("第1号65～74歳", "第1号75歳以上")), ("総数", ("第1号", "第2号"))),
    ),
    SheetSpec(
        name="居宅介護（介護予防）サービス受給者数",
        table="居宅サービス受給者",
        title="居宅介護（介護予防）サービス受給者数",
        unit="人",
        blocks=_RECIPIENT_BLOCKS,
        block_sums=(("総数", ("第1号", "第2号")),),
    ),
    SheetSpec(
        name="地域密着型（介護予防）サービス受給者数",
        table="地域密着型サービス受給者",
        title="地域密着型（介護予防）サービス受給者数",
        unit="人",
        blocks=_RECIPIENT_BLOCKS,
        block_sums=(("総数", ("第1号", "第2号")),),
    ),
    SheetSpec(
        name="施設介護サービス受給者数",
        table="施設サービス受給者",
        title="施設介護サービス受給者数",
        unit="人",
        blocks=(
            Block("第１号被保険者", "第1号", (*FACILITIES, TOTAL)),
            Block("第２号被保険者", "第2号", (*FACILITIES, TOTAL)),
            Block("総数", "総数", (*FACILITIES, TOTAL)),
        ),
        block_sums=(("総数", ("第1号", "第2号")),),
    ),
    SheetSpec(
        name="保険給付費",
        table="給付費",
        title="保険給付費（介護給付・予防給付）",
        unit="千円",
        blocks=(
            Block("居宅（介護予防）サービス", "居宅", (*service_columns(HOME_SERVICES), SUBTOTAL), SUBTOTAL),
            Block("地域密着型（介護予防）サービス", "地域密着型", (*service_columns(COMMUNITY_SERVICES), SUBTOTAL),
                  SUBTOTAL),
            Block("施設サービス", "施設", (*FACILITIES, SUBTOTAL), SUBTOTAL),
            Block(GRAND_TOTAL, GRAND_TOTAL, (GRAND_TOTAL,), None),
        ),
        cell_sums=(
            ((GRAND_TOTAL, GRAND_TOTAL), (("居宅", SUBTOTAL), ("地域密着型", SUBTOTAL), ("施設", SUBTOTAL))),
        ),
    ),
)
SHEET_NAMES: tuple[str, ...] = tuple(s.name for s in SHEETS)
TABLES: tuple[str, ...] = tuple(s.table for s in SHEETS)
#: Tables whose values are stocks at the reference date; the others are flows over the period.
STOCK_TABLES: tuple[str, ...] = ("第1号被保険者", "認定者")
UNITS: tuple[str, ...] = ("人", "千円")
#: Units a unit line may state: another one than the table's is a changed unit, refused.
KNOWN_UNITS: tuple[str, ...] = ("人", "千人", "円", "千円", "百万円", "億円")

_FOOTER_PREFIXES = ("注", "※", "資料", "出典", "デモデータ")
_ANNUAL_RE = re.compile(r"(令和|平成)\s*(元|\d+)\s*年度")
_MONTHLY_RE = re.compile(r"(令和|平成)\s*(元|\d+)\s*年\s*(\d+)\s*月分")
_UNIT_RE = re.compile(r"単位\s*[:：]\s*([^）)\s]+)")
_ANNUAL_FILE_RE = re.compile(r"kaigo_nenpo_(\d{4})")
_MONTHLY_FILE_RE = re.compile(r"kaigo_geppo_(\d{4})(\d{2})")


def care_as_of(fy: int) -> dt.date:
    """The cutoff of a fiscal year's care-insurance figures: 30 September of the year, so that a
    plan drafted in the year sees the 年報 of the years before it (dated 31 March) and the 月報 of
    its own first half (April–September), from which the year's 見込 is computed."""
    return dt.date(fy, 9, 30)


def annual_date(fy: int) -> dt.date:
    """The reference date of a 年報: the fiscal year's last day (FY2022 → 2023-03-31)."""
    return dt.date(fy + 1, 3, 31)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def annual_filename(fy: int) -> str:
    return f"kaigo_nenpo_{fy}.xlsx"


def monthly_filename(year: int, month: int) -> str:
    return f"kaigo_geppo_{year}{month:02d}.xlsx"


# ------------------------------------------------------------------------------------ schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "report": text_column(pa.Check.isin([ANNUAL, MONTHLY])),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(2000, 2100)),
            "months": pa.Column("int64", checks=pa.Check.isin([1, 12])),
            "area": text_column(pa.Check.str_length(min_value=1)),
            "area_kind": text_column(pa.Check.isin(["全国", "都道府県", "地域計", "保険者"])),
            "table": text_column(pa.Check.isin(list(TABLES))),
            "category": text_column(pa.Check.str_length(min_value=1)),
            "item": text_column(pa.Check.str_length(min_value=1)),
            "unit": text_column(pa.Check.isin(list(UNITS))),
            "value": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["date", "area", "table", "category", "item"],
        name="care_insurance",
    )


SCHEMA = LazySchema(_schema)


# ----------------------------------------------------------------------------- the readers


def read_care_annual(path: str | Path) -> pd.DataFrame:
    """A 年報 workbook (``kaigo_nenpo_YYYY.xlsx``, YYYY the fiscal year) → the tidy frame:
    ``date`` (the year's last day), ``report`` 年報, ``fiscal_year``, ``months`` 12, ``area``,
    ``area_kind``, ``table``, ``category``, ``item``, ``unit`` and ``value`` (Int64; NA for a
    marker). 被保険者 and 認定者 are as at the year's end; 受給者 (persons × months) and 給付費 (千円)
    are the year's totals."""
    return _read(Path(path), ANNUAL)


def read_care_monthly(path: str | Path) -> pd.DataFrame:
    """A 月報 workbook (``kaigo_geppo_YYYYMM.xlsx``) → the same tidy frame with ``report`` 月報,
    ``date`` the month's last day and ``months`` 1 (受給者 and 給付費 of the month's report)."""
    return _read(Path(path), MONTHLY)


# ----------------------------------------------------------------- step 1: title, period, unit


@dataclass(frozen=True)
class _Period:
    fiscal_year: int
    date: dt.date
    label: str  # 令和4年度 / 令和8年6月分


def _period_of(text: str, kind: str) -> _Period | None:
    norm = clean_label(text)
    if kind == ANNUAL:
        m = _ANNUAL_RE.search(norm)
        if not m:
            return None
        fy = western_year(m.group(1), m.group(2))
        return _Period(fy, annual_date(fy), wareki_fy(fy))
    m = _MONTHLY_RE.search(norm)
    if not m:
        return None
    year = western_year(m.group(1), m.group(2))
    month = int(m.group(3))
    if not 1 <= month <= 12:
        return None
    date = month_end(year, month)
    return _Period(year if month >= 4 else year - 1, date, f"{wareki_date(date, day=False)}分")


def _expected_title(kind: str) -> str:
    return f"{REPORT_NAME}（{kind}）　" + ("令和4年度" if kind == ANNUAL else "令和8年6月分")


def _title(sheet: Sheet, header_row: int, kind: str, problems: Problems) -> _Period | None:
    """The report's title line above the header: the report (年報 or 月報) and its period."""
    above = [(r, c, v) for r, cells in sheet.rows[: header_row - 1] for c, v in enumerate(cells)
             if isinstance(v, str) and REPORT_NAME in clean_label(v)]
    if not above:
        problems.add(
            f"表題（「{REPORT_NAME}（{kind}）」の行）がありません",
            row=1,
            column="A",
            expected=_expected_title(kind),
            found=cell_text(sheet.cell(1, 0)),
        )
        return None
    row, col, text = above[0]
    other = MONTHLY if kind == ANNUAL else ANNUAL
    if f"（{other}）" in text or f"({other})" in clean_label(text):
        problems.add(
            f"{other}のファイルです（このフォルダのこのファイル名には{kind}を置きます）",
            row=row,
            column=column_letter(col),
            expected=_expected_title(kind),
            found=text,
        )
        return None
    period = _period_of(text, kind)
    if period is None:
        what = "年度" if kind == ANNUAL else "年月（令和N年M月分）"
        problems.add(
            f"表題に{what}がありません（どの期間の表か分かりません）",
            row=row,
            column=column_letter(col),
            expected=_expected_title(kind),
            found=text,
        )
    return period


def _unit(sheet: Sheet, header_row: int, spec: SheetSpec, problems: Problems) -> bool:
    """The unit line above the header (「（単位：千円）」) must say the table's unit."""
    for r, cells in sheet.rows[: header_row - 1]:
        for c, v in enumerate(cells):
            if not isinstance(v, str) or "単位" not in v:
                continue
            m = _UNIT_RE.search(clean_label(v).replace("(", "（").replace(")", "）"))
            found = m.group(1) if m else ""
            if found == spec.unit:
                return True
            if found in KNOWN_UNITS:
                problems.add(
                    f"単位が様式と違います（この表は{spec.unit}単位のはずが{found}単位）。"
                    f"数値の桁が違うため読み込みません。{spec.unit}単位の表を受け取ってください",
                    row=r,
                    column=column_letter(c),
                    expected=f"（単位：{spec.unit}）",
                    found=v,
                )
            else:
                problems.add(
                    "単位の表示が読み取れません",
                    row=r,
                    column=column_letter(c),
                    expected=f"（単位：{spec.unit}）",
                    found=v,
                )
            return False
    problems.add(
        "単位の表示（「（単位：…）」）が見出しの上にありません",
        row=max(header_row - 1, 1),
        expected=f"（単位：{spec.unit}）",
        found="なし",
    )
    return False


# ------------------------------------------------------------------------- step 2: the header


@dataclass(frozen=True)
class _Header:
    row: int  # the upper header row (1-based)
    name_col: int
    columns: dict[tuple[str, str], int]  # (category key, item) → 0-based column

    @property
    def data_start(self) -> int:
        return self.row + 2


def _find_header_row(sheet: Sheet) -> tuple[int, int] | None:
    for r, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        for c, v in enumerate(cells):
            if clean_label(v) == NAME_HEADER:
                return r, c
    return None


def _header(sheet: Sheet, spec: SheetSpec, problems: Problems) -> _Header | None:
    """The two header rows: merged group labels above, items below (found by 「保険者名」)."""
    found = _find_header_row(sheet)
    if found is None:
        problems.add(
            f"見出し（「{NAME_HEADER}」の列）が見つかりません（{HEADER_SEARCH_ROWS}行目まで探しました）",
            expected=f"{NAME_HEADER} | " + " | ".join(b.label for b in spec.blocks),
            found="なし",
        )
        return None
    row, name_col = found
    upper = list(sheet.rows[row - 1][1])
    lower = list(sheet.rows[row][1]) if row < len(sheet.rows) else []
    width = max(len(upper), len(lower))
    upper, lower = pad(upper, width), pad(lower, width)
    labels: dict[tuple[str, str], int] = {}
    current = ""
    for c in range(name_col + 1, width):
        group, item = clean_label(upper[c]), clean_label(lower[c])
        if group:
            current = group
        if not item and group:
            item = group  # merged down both rows (「合計」)
        if current and item and (current, item) not in labels:
            labels[(current, item)] = c
    groups_found = {g for g, _ in labels}
    columns: dict[tuple[str, str], int] = {}
    ok = True
    for block in spec.blocks:
        group = clean_label(block.label)
        if group not in groups_found:
            problems.add(
                f"列のまとまり『{block.label}』がありません（見出しの上の段）",
                row=row,
                expected=" | ".join(b.label for b in spec.blocks),
                found=" | ".join(dict.fromkeys(clean_label(v) for v in upper if clean_label(v))) or "（空行）",
            )
            ok = False
            continue
        for item in block.items:
            col = labels.get((group, clean_label(item)))
            if col is None:
                present = [i for g, i in labels if g == group]
                problems.add(
                    f"列『{block.label}／{item}』がありません",
                    row=row + 1,
                    expected=" | ".join(block.items),
                    found=" | ".join(present) or "（なし）",
                )
                ok = False
                continue
            columns[(block.key, item)] = col
    return _Header(row, name_col, columns) if ok else None


# ----------------------------------------------------------------------- step 3: the rows


@dataclass
class _Row:
    line: int
    area: str
    kind: str
    values: dict[tuple[str, str], int | None]


def _area_names() -> dict[str, str]:
    names = dict(AGGREGATE_ROWS)
    names.update({a.name: "保険者" for a in tokyo_areas().values() if a.level == 4})
    return names


def _column_name(col: int, block: Block, item: str) -> str:
    return f"{column_letter(col)}（{block.label}／{item}）" if block.label != item else f"{column_letter(col)}（{item}）"


def _rows(sheet: Sheet, spec: SheetSpec, header: _Header, problems: Problems) -> list[_Row]:
    known = _area_names()
    out: list[_Row] = []
    seen: dict[str, int] = {}
    where = {(b.key, i): (b, i) for b in spec.blocks for i in b.items}
    for line, values in sheet.rows[header.data_start - 1:]:
        cells = pad(values, max(header.columns.values()) + 1)
        if is_blank_row(cells):
            break
        raw_name = cells[header.name_col]
        name = clean_label(raw_name)
        if not name:
            problems.add(
                f"{NAME_HEADER}が空欄です",
                row=line,
                column=column_letter(header.name_col),
                expected="全国、東京都計、区部計、市部計、町村部計 または区市町村名",
                found=cell_text(raw_name),
            )
            continue
        if name.startswith(_FOOTER_PREFIXES):
            break
        kind = known.get(name)
        if kind is None:
            problems.add(
                f"{NAME_HEADER}『{name}』は東京都の区市町村にも集計行（全国、東京都計、区部計、市部計、町村部計）にもありません",
                row=line,
                column=column_letter(header.name_col),
                expected="reference/tokyo_areas.csv の区市町村名",
                found=cell_text(raw_name),
            )
            continue
        if name in seen:
            problems.add(
                f"『{name}』の行が2つあります（{seen[name]}行目と{line}行目）",
                row=line,
                column=column_letter(header.name_col),
                expected="保険者ごとに1行",
                found=name,
            )
            continue
        seen[name] = line
        parsed: dict[tuple[str, str], int | None] = {}
        for key, col in header.columns.items():
            block, item = where[key]
            parsed[key] = problems.count(
                cells[col],
                row=line,
                column=_column_name(col, block, item),
                dash="missing",
                allow_missing=True,
            )
        out.append(_Row(line, name, kind, parsed))
    if not out:
        problems.add(
            "データの行がありません",
            row=header.data_start,
            expected="見出しの下に全国・東京都計・保険者の行",
            found="なし",
        )
    return out


# ------------------------------------------------------------------------- step 4: the sums


def _tolerance(spec: SheetSpec, n_parts: int) -> int:
    """How far a total may be from the sum of its parts: counts of people add up exactly; amounts
    in 千円 are each rounded from yen, so the total may differ by up to 1 千円 per part."""
    return n_parts if spec.unit == "千円" else 0


def _fmt(n: int) -> str:
    return f"{n:,}"


def _check_sum(
    problems: Problems,
    spec: SheetSpec,
    line: int,
    column: str,
    what: str,
    total: int | None,
    parts: list[int | None],
    parts_label: str,
) -> None:
    """One total against its parts. Missing parts (markers) cannot be checked for equality: the known
    parts must then not exceed the total."""
    if total is None:
        return
    known = [p for p in parts if p is not None]
    s = sum(known)
    if len(known) == len(parts):
        if abs(s - total) > _tolerance(spec, len(parts)):
            problems.add(
                f"{what}（{_fmt(total)}）が{parts_label}の合計（{_fmt(s)}）と合いません",
                row=line,
                column=column,
                expected=f"{_fmt(s)}（{parts_label}の合計）",
                found=f"{_fmt(total)}（{what}）",
            )
    elif s > total + _tolerance(spec, len(known)):
        problems.add(
            f"{what}（{_fmt(total)}）が、数値のある{parts_label}の合計（{_fmt(s)}）より小さくなっています",
            row=line,
            column=column,
            expected=f"{_fmt(s)}以上",
            found=_fmt(total),
        )


def _check_row_sums(spec: SheetSpec, header: _Header, row: _Row, problems: Problems) -> None:
    by_key = {b.key: b for b in spec.blocks}
    for block in spec.blocks:
        if block.total is None:
            continue
        col = header.columns[(block.key, block.total)]
        _check_sum(
            problems, spec, row.line, _column_name(col, block, block.total),
            f"{row.area}の「{block.label}」の{block.total}",
            row.values[(block.key, block.total)],
            [row.values[(block.key, p)] for p in block.parts],
            f"{block.parts[0]}～{block.parts[-1]}" if len(block.parts) > 2 else "・".join(block.parts),
        )
    for target, parts in spec.block_sums:
        tb = by_key[target]
        for item in tb.items:
            col = header.columns[(target, item)]
            _check_sum(
                problems, spec, row.line, _column_name(col, tb, item),
                f"{row.area}の「{tb.label}」の{item}",
                row.values[(target, item)],
                [row.values[(p, item)] for p in parts],
                "・".join(f"「{by_key[p].label}」" for p in parts),
            )
    for (tcat, titem), parts in spec.cell_sums:
        col = header.columns[(tcat, titem)]
        _check_sum(
            problems, spec, row.line, _column_name(col, by_key[tcat], titem),
            f"{row.area}の{titem}",
            row.values[(tcat, titem)],
            [row.values[p] for p in parts],
            "・".join(f"{by_key[c].label}の{i}" for c, i in parts),
        )


def _check_area_sums(spec: SheetSpec, header: _Header, rows: list[_Row], problems: Problems) -> None:
    """東京都計 = 区部計 + 市部計 + 町村部計, and 市部計 = the 26 市, where all of them are in the sheet."""
    by_name = {r.area: r for r in rows}
    relations = [(PREFECTURE_ROW, list(PART_ROWS), "区部計・市部計・町村部計")]
    cities = [a.name for a in shibu_cities()]
    relations.append((SHIBU_ROW, cities, f"市部の{len(cities)}市"))
    where = {(b.key, i): (b, i) for b in spec.blocks for i in b.items}
    for target, parts, label in relations:
        if target not in by_name or not all(p in by_name for p in parts):
            continue
        trow = by_name[target]
        for key, col in header.columns.items():
            block, item = where[key]
            _check_sum(
                problems, spec, trow.line, _column_name(col, block, item),
                f"{target}の「{block.label}」の{item}" if block.label != item else f"{target}の{item}",
                trow.values[key],
                [by_name[p].values[key] for p in parts],
                label,
            )


# ---------------------------------------------------------------------------- the workbook


def _file_period(path: Path, kind: str) -> tuple[int, int | None] | None:
    if kind == ANNUAL:
        m = _ANNUAL_FILE_RE.search(path.name)
        return (int(m.group(1)), None) if m else None
    m = _MONTHLY_FILE_RE.search(path.name)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _check_file_name(path: Path, kind: str, period: _Period, problems: Problems, sheet: str) -> None:
    expected = annual_filename(period.fiscal_year) if kind == ANNUAL else \
        monthly_filename(period.date.year, period.date.month)
    got = _file_period(path, kind)
    if got is None:
        problems.add(
            "ファイル名に" + ("年度（西暦4桁）" if kind == ANNUAL else "年月（西暦6桁）") + "がありません",
            sheet=None,
            expected=expected,
            found=path.name,
        )
        return
    if (kind == ANNUAL and got[0] != period.fiscal_year) or (
        kind == MONTHLY and (got[0], got[1]) != (period.date.year, period.date.month)
    ):
        problems.add(
            f"表題の期間（{period.label}）がファイル名と合いません",
            sheet=sheet,
            expected=expected,
            found=path.name,
        )


def _read(path: Path, kind: str) -> pd.DataFrame:
    sheets = read_sheets(path, SHEET_NAMES)
    problems = Problems(path)
    periods: list[tuple[str, _Period]] = []
    parsed: list[tuple[SheetSpec, list[_Row]]] = []
    for spec in SHEETS:
        sheet = sheets[spec.name]
        sp = Problems(path, sheet=spec.name)
        header = _header(sheet, spec, sp)
        header_row = header.row if header is not None else (_find_header_row(sheet) or (5, 0))[0]
        period = _title(sheet, header_row, kind, sp)
        unit_ok = _unit(sheet, header_row, spec, sp)
        if period is not None:
            periods.append((spec.name, period))
        if header is not None and unit_ok:
            before = len(sp)
            rows = _rows(sheet, spec, header, sp)
            if len(sp) == before:  # sums only over cleanly read rows
                for row in rows:
                    _check_row_sums(spec, header, row, sp)
                _check_area_sums(spec, header, rows, sp)
            parsed.append((spec, rows))
        problems.extend(sp.all())
    period = _agree(periods, problems)
    if period is not None:
        _check_file_name(path, kind, period, problems, periods[0][0])
    if period is not None and not problems:
        _check_same_areas(parsed, problems)
    problems.raise_if_any()
    assert period is not None
    return _frame(parsed, period, kind, path)


def _agree(periods: list[tuple[str, _Period]], problems: Problems) -> _Period | None:
    """Every sheet's title must name the same period."""
    if not periods:
        return None
    first_sheet, first = periods[0]
    for name, p in periods[1:]:
        if p != first:
            problems.add(
                f"表題の期間がシート『{first_sheet}』（{first.label}）と違います",
                sheet=name,
                expected=first.label,
                found=p.label,
            )
    return first


def _check_same_areas(parsed: list[tuple[SheetSpec, list[_Row]]], problems: Problems) -> None:
    first_spec, first_rows = parsed[0]
    names = [r.area for r in first_rows]
    for spec, rows in parsed[1:]:
        here = [r.area for r in rows]
        missing = [n for n in names if n not in here]
        extra = [n for n in here if n not in names]
        if missing or extra:
            problems.add(
                f"シート『{first_spec.name}』と行（{NAME_HEADER}）が違います",
                sheet=spec.name,
                expected="、".join(names),
                found=("ない行: " + "、".join(missing) if missing else "")
                + ("　余分な行: " + "、".join(extra) if extra else ""),
            )


def _frame(parsed: list[tuple[SheetSpec, list[_Row]]], period: _Period, kind: str, path: Path) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {k: [] for k in ("area", "area_kind", "table", "category", "item", "unit", "value")}
    for spec, rows in parsed:
        keys = [(b.key, i) for b in spec.blocks for i in b.items]
        for row in rows:
            for cat, item in keys:
                cols["area"].append(row.area)
                cols["area_kind"].append(row.kind)
                cols["table"].append(spec.table)
                cols["category"].append(cat)
                cols["item"].append(item)
                cols["unit"].append(spec.unit)
                cols["value"].append(row.values[(cat, item)])
    frame = typed_frame(
        SCHEMA,
        {
            "date": period.date,
            "report": kind,
            "fiscal_year": period.fiscal_year,
            "months": 12 if kind == ANNUAL else 1,
            **cols,
        },
    )
    return validate_frame(SCHEMA, frame, display_name(path))


__all__ = [
    "ANNUAL",
    "FACILITIES",
    "LEVELS",
    "MONTHLY",
    "SCHEMA",
    "SHEETS",
    "annual_date",
    "annual_filename",
    "care_as_of",
    "month_end",
    "monthly_filename",
    "read_care_annual",
    "read_care_monthly",
]
