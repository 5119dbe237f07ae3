"""地域福祉・権利擁護の統計 as the city receives them → tidy frames: their schemas and readers.

- ``seikatsu_hogo/``: 生活福祉課's monthly table of 被保護世帯数・被保護実人員 (the figures it reports
  monthly to 東京都 for the 被保護者調査, formerly 福祉行政報告例), one workbook per fiscal year,
  months 4月 … 3月 and a 月平均 column → ``seiho_monthly``.
- ``community/``: 福祉政策課's workbook of yearly figures collected from several offices, one sheet
  per topic (生活困窮者自立支援, 成年後見, 重層的支援体制整備事業, 民生委員・児童委員), items × 年度 →
  ``community_stats`` (the city-kept layout of :mod:`~komae_analysis.ingest.city_yearly`).

Layouts, providers and checks: data/raw/README.md (``seikatsu_hogo/``, ``community/``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.ingest.city_yearly import (
    MONTH,
    ItemSpec,
    SheetSpec,
    WideTable,
    city_yearly_schema,
    read_city_yearly,
    read_wide_table,
)
from komae_analysis.ingest.common import Problems, cell_text, clean_label, column_letter, read_sheets
from komae_analysis.ingest.frames import LazySchema, count_column, date_column, typed_frame, validate_frame

if TYPE_CHECKING:
    import pandera.pandas as pa

# ---------------------------------------------------------------------- 生活保護 (monthly, per FY)

SEIHO_SHEET = "被保護世帯数・人員"
SEIHO_LABELS = ("区分",)
SEIHO_ITEMS = {"被保護世帯数": "households", "被保護実人員": "persons"}
SEIHO_AVERAGE = "月平均"
_FY_IN_TITLE = re.compile(r"(令和|平成)\s*(元|\d+)\s*年度")


def _seiho_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "month": pa.Column("int64", checks=pa.Check.in_range(1, 12)),
            "households": count_column("Int64", nullable=True),
            "persons": count_column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["fiscal_year", "month"],
        name="seiho_monthly",
    )


SEIHO_SCHEMA = LazySchema(_seiho_schema)


def _title_fy(table_title: Any) -> int | None:
    m = _FY_IN_TITLE.search(clean_label(table_title))
    if not m:
        return None
    era, n = m.groups()
    return {"平成": 1988, "令和": 2018}[era] + (1 if n == "元" else int(n))


def read_seiho_monthly(path: str | Path) -> pd.DataFrame:
    """生活福祉課's 月別 被保護世帯数・被保護実人員 of one fiscal year → ``date`` (the fiscal year's last
    day, 3月31日: the figures are complete then), ``fiscal_year``, ``month``, ``households``,
    ``persons`` (Int64; NA for 「－」「…」「x」「***」).

    Checks: the sheet 「被保護世帯数・人員」; the fiscal year in the title (A1, 「令和7年度」); the
    heading 「区分」 with the twelve months 4月 … 3月 in order (found by its labels, a merged two-row
    heading allowed) and the 「月平均」 column; the unit line 「（単位：世帯、人）」; both rows once;
    被保護実人員 ≥ 被保護世帯数 each month; 月平均 equal to the mean of the twelve months as rounded
    by the table (half up to an integer) when every month is present.
    """
    path = Path(path)
    sheet = read_sheets(path, [SEIHO_SHEET])[SEIHO_SHEET]
    problems = Problems(path, sheet=SEIHO_SHEET)
    fy = _title_fy(sheet.cell(1, 0))
    if fy is None:
        problems.add("1行目（A1）の表題に年度（「令和7年度」など）がありません", row=1, column="A",
                     expected="生活保護 月別被保護世帯数・被保護実人員（令和7年度）", found=cell_text(sheet.cell(1, 0)))
    table = read_wide_table(sheet, problems, labels=SEIHO_LABELS, kind=MONTH, extras=(SEIHO_AVERAGE,))
    if table is not None:
        _check_seiho_unit(table, problems)
        if SEIHO_AVERAGE not in table.extra_cols:
            problems.add(f"列『{SEIHO_AVERAGE}』がありません", row=table.header_row, column=SEIHO_AVERAGE,
                         expected="区分 | 4月 … 3月 | 月平均", found="なし")
    rows = _seiho_rows(table, problems) if table is not None else {}
    problems.raise_if_any()
    assert fy is not None and table is not None
    months = [p for p, _c, _t in table.periods]
    frame = typed_frame(
        SEIHO_SCHEMA.get(),
        {
            "date": dt.date(fy + 1, 3, 31),
            "fiscal_year": [fy] * len(months),
            "month": months,
            "households": [rows["households"].values[m] for m in months],
            "persons": [rows["persons"].values[m] for m in months],
        },
    )
    return validate_frame(SEIHO_SCHEMA.get(), frame, path)


def _check_seiho_unit(table: WideTable, problems: Problems) -> None:
    unit = table.unit
    expected = "世帯、人"
    if unit is None:
        problems.add("単位の表示（「（単位：世帯、人）」）がありません", row=table.header_row, expected=f"単位：{expected}",
                     found="なし")
    elif clean_label(unit).replace(",", "、") != clean_label(expected):
        problems.add("単位が様式と違います", row=table.unit_row, column="A", expected=f"単位：{expected}",
                     found=f"単位：{unit}")


def _seiho_rows(table: WideTable, problems: Problems) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    clean = table.clean
    for row in table.rows:
        label = row.labels.get("区分", "")
        key = SEIHO_ITEMS.get(label)
        if key is None:
            problems.add(f"区分『{label}』は様式にありません", row=row.row, column="区分",
                         expected="、".join(SEIHO_ITEMS), found=label)
            clean = False
            continue
        if key in rows:
            problems.add(f"区分『{label}』の行が2つあります（{rows[key].row}行目と{row.row}行目）", row=row.row,
                         column="区分", expected="区分ごとに1行", found=label)
            clean = False
            continue
        rows[key] = row
    for label, key in SEIHO_ITEMS.items():
        if key not in rows:
            problems.add(f"区分『{label}』の行がありません", column="区分", expected=label, found="なし")
            clean = False
    if not clean:
        return rows
    for p, _col, _text in table.periods:
        hh, persons = rows["households"].values[p], rows["persons"].values[p]
        if hh is not None and persons is not None and persons < hh:
            problems.add("被保護実人員が被保護世帯数より少なくなっています", row=rows["persons"].row,
                         column=table.column_name(p), expected=f"{hh}以上（被保護世帯数）", found=persons)
    for label, key in SEIHO_ITEMS.items():
        row = rows[key]
        given = row.extras.get(SEIHO_AVERAGE)
        values = list(row.values.values())
        if given is None or any(v is None for v in values):
            continue
        mean = Decimal(sum(values)) / len(values)
        shown = mean.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if Decimal(str(given)) not in (shown, mean):
            problems.add(
                f"{label}の月平均が各月の平均と合いません",
                row=row.row, column=f"{SEIHO_AVERAGE}（{_letter(table, SEIHO_AVERAGE)}列）",
                expected=f"{shown}（4月～3月の平均 {mean:.2f} を四捨五入）", found=cell_text(given),
            )
    return rows


def _letter(table: WideTable, name: str) -> str:
    return column_letter(table.extra_cols[name])


# ------------------------------------------------------------------ 福祉政策課の取りまとめ (yearly)

COMMUNITY_SHEETS = (
    SheetSpec(
        name="生活困窮者自立支援",
        items=(ItemSpec("新規相談受付件数", "件"), ItemSpec("プラン作成件数", "件")),
    ),
    SheetSpec(
        name="成年後見",
        items=(
            ItemSpec("申立件数", "件"),
            ItemSpec("後見開始", "件"),
            ItemSpec("保佐開始", "件"),
            ItemSpec("補助開始", "件"),
            ItemSpec("任意後見監督人選任", "件"),
            ItemSpec("うち市長申立", "件"),
            ItemSpec("報酬助成件数", "件"),
        ),
        sums=(("申立件数", ("後見開始", "保佐開始", "補助開始", "任意後見監督人選任")),),
        at_most=(("うち市長申立", "申立件数"),),
    ),
    SheetSpec(
        name="重層的支援体制整備事業",
        items=(ItemSpec("相談件数", "件"), ItemSpec("支援会議の開催回数", "回")),
    ),
    SheetSpec(
        name="民生委員・児童委員",
        items=(ItemSpec("定数", "人"), ItemSpec("委嘱数", "人"), ItemSpec("相談・支援件数", "件")),
        at_most=(("委嘱数", "定数"),),
    ),
)

COMMUNITY_SCHEMA = city_yearly_schema("community_stats")


def read_community_stats(path: str | Path) -> pd.DataFrame:
    """福祉政策課's yearly workbook (sheets 生活困窮者自立支援, 成年後見, 重層的支援体制整備事業,
    民生委員・児童委員) → ``topic, item, unit, fiscal_year, value`` (see
    :func:`~komae_analysis.ingest.city_yearly.read_city_yearly`): 申立件数 = 後見開始 + 保佐開始 +
    補助開始 + 任意後見監督人選任, うち市長申立 ≤ 申立件数, 委嘱数 ≤ 定数."""
    return read_city_yearly(path, COMMUNITY_SHEETS, COMMUNITY_SCHEMA)


__all__ = [
    "COMMUNITY_SCHEMA",
    "COMMUNITY_SHEETS",
    "SEIHO_SCHEMA",
    "read_community_stats",
    "read_seiho_monthly",
]
