"""再犯防止の統計 as the city receives them → tidy frames: their schemas and readers.

- ``moj_saihan/``: the 法務省 table of 刑法犯検挙者 and 再犯者 by 罪種 and by 年齢層 that 法務省 gives
  to local governments for their 再犯防止推進計画 (警察署管轄別, made from 警察庁 犯罪統計 data), with
  全国 and 東京都 beside the 警察署 → ``moj_recidivism``. 狛江市 has no police station of its own: its
  area is 調布警察署's, so the local figures are 調布警察署管内 (調布市・狛江市) figures.
- ``kousei_hogo/``: 福祉政策課's yearly workbook of 更生保護 figures (保護司, 協力雇用主, 社会を明るく
  する運動) → ``rehabilitation_stats`` (the city-kept layout of :mod:`~komae_analysis.ingest.city_yearly`).

Layouts, providers and how sure we are of the 法務省 layout: data/raw/README.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import wareki_date, wareki_year
from komae_analysis.ingest.city_yearly import (
    YEAR,
    ItemSpec,
    SheetSpec,
    WideTable,
    check_unit,
    city_yearly_schema,
    read_city_yearly,
    read_wide_table,
    sheet_date,
)
from komae_analysis.ingest.common import Problems, clean_label, read_sheets
from komae_analysis.ingest.frames import LazySchema, count_column, text_column, typed_frame, validate_frame

if TYPE_CHECKING:
    import pandera.pandas as pa

# ------------------------------------------------------------------- 法務省提供 警察署別 再犯者

TOTAL = "総数"
CRIMES = ("総数", "凶悪犯", "粗暴犯", "窃盗犯", "知能犯", "風俗犯", "その他")
AGES = ("総数", "14～19歳", "20～29歳", "30～39歳", "40～49歳", "50～59歳", "60～64歳", "65歳以上")
#: sheet → (label heading of its categories, breakdown name in the tidy frame, categories, aliases)
MOJ_SHEETS: dict[str, tuple[str, str, tuple[str, ...], dict[str, str]]] = {
    "罪種別": ("罪種", "罪種", CRIMES, {"刑法犯総数": "総数", "計": "総数", "その他の刑法犯": "その他"}),
    "年齢層別": ("年齢層", "年齢層", AGES, {"計": "総数", "20歳未満": "14～19歳", "少年": "14～19歳",
                                          "少年(14～19歳)": "14～19歳", "14～19歳(少年)": "14～19歳"}),
}
KINDS = {"検挙者": "arrested", "検挙人員": "arrested", "検挙者数": "arrested",
         "再犯者": "repeat", "再犯者数": "repeat"}
MOJ_UNIT = "人"


def _moj_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "area": text_column(pa.Check.str_length(min_value=1)),
            "breakdown": text_column(pa.Check.isin(["罪種", "年齢層"])),
            "category": text_column(pa.Check.isin(sorted(set(CRIMES) | set(AGES)))),
            "year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "arrested": count_column("Int64", nullable=True),
            "repeat": count_column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["area", "breakdown", "category", "year"],
        name="moj_recidivism",
    )


MOJ_SCHEMA = LazySchema(_moj_schema)


def _canonical(text: str, categories: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    by_clean = {clean_label(c): c for c in categories}
    by_clean.update({clean_label(a): c for a, c in aliases.items()})
    return by_clean.get(clean_label(text))


def read_moj_recidivism(path: str | Path) -> pd.DataFrame:
    """法務省's 刑法犯検挙者中の再犯者数 (sheets 罪種別 and 年齢層別; 地域 × 罪種/年齢層 × 区分 rows,
    one column per 年) → ``area, breakdown, category, year, arrested, repeat`` (Int64; NA for
    「－」「…」「x」「***」).

    Checks: both sheets; the heading 「地域」「罪種」(「年齢層」)「区分」 and the 年 columns (found by
    their labels, 地域 and 罪種 cells merged downwards); the unit 「（単位：人）」; known 罪種・年齢層
    (総数 and six 罪種: 凶悪犯, 粗暴犯, 窃盗犯, 知能犯, 風俗犯, その他; 年齢層 14～19歳 (少年, 20歳未満),
    20～29歳 … 60～64歳, 65歳以上) and 区分 (検挙者, 再犯者), each once per 地域 and all present;
    再犯者 ≤ 検挙者; the parts adding up to 総数 (where none is suppressed); the two sheets'
    総数 equal. The edition (``attrs["edition"]``) is the 「令和7年10月提供」 date above the heading.
    """
    path = Path(path)
    sheets = read_sheets(path, list(MOJ_SHEETS))
    problems = Problems(path)
    parsed: dict[str, dict[tuple[str, str], dict[int, dict[str, Any]]]] = {}
    rows_of: dict[str, dict[tuple[str, str, str], int]] = {}
    clean_sheets: set[str] = set()
    years_of: dict[str, list[int]] = {}
    dates: list[dt.date] = []
    for name, (label, _breakdown, categories, aliases) in MOJ_SHEETS.items():
        sp = Problems(path, sheet=name)
        table = read_wide_table(sheets[name], sp, labels=("地域", label, "区分"), kind=YEAR,
                                fill_down=("地域", label))
        if table is not None:
            check_unit(table, MOJ_UNIT, sp)
            date, _row = sheet_date(table.sheet, table.header_row)
            if date is None:
                sp.add("提供年月（「令和7年10月提供」など）がありません", row=2, column="A",
                       expected="見出しより上の行に和暦の年月", found="なし")
            else:
                dates.append(date)
            cells, rows, ok = _moj_cells(table, label, categories, aliases, sp)
            parsed[name], rows_of[name] = cells, rows
            years_of[name] = [p for p, _c, _t in table.periods]
            if ok and not sp:
                _check_moj_sums(table, label, categories, cells, rows, sp)
                if not sp:
                    clean_sheets.add(name)
        problems.extend(sp.all())
    if clean_sheets == set(MOJ_SHEETS):
        _check_sheets_agree(parsed, rows_of, years_of, problems)
    problems.raise_if_any()
    out: dict[str, list[Any]] = {k: [] for k in ("area", "breakdown", "category", "year", "arrested", "repeat")}
    for name, (_label, breakdown, categories, _aliases) in MOJ_SHEETS.items():
        areas = list(dict.fromkeys(a for a, _c in parsed[name]))
        for area in areas:
            for cat in categories:
                for year, kinds in sorted(parsed[name][(area, cat)].items()):
                    out["area"].append(area)
                    out["breakdown"].append(breakdown)
                    out["category"].append(cat)
                    out["year"].append(year)
                    out["arrested"].append(kinds["arrested"])
                    out["repeat"].append(kinds["repeat"])
    frame = validate_frame(MOJ_SCHEMA.get(), typed_frame(MOJ_SCHEMA.get(), out), path)
    frame.attrs["edition"] = max(dates).isoformat()
    frame.attrs["edition_ja"] = wareki_date(max(dates), day=False)
    return frame


def _moj_cells(
    table: WideTable, label: str, categories: tuple[str, ...], aliases: dict[str, str], problems: Problems
) -> tuple[dict[tuple[str, str], dict[int, dict[str, Any]]], dict[tuple[str, str, str], int], bool]:
    """(area, category) → year → {arrested, repeat}; (area, category, kind) → its row; clean?"""
    cells: dict[tuple[str, str], dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    rows: dict[tuple[str, str, str], int] = {}
    ok = table.clean
    for row in table.rows:
        area = row.labels.get("地域", "")
        cat = _canonical(row.labels.get(label, ""), categories, aliases)
        kind = KINDS.get(clean_label(row.labels.get("区分", "")))
        if cat is None:
            problems.add(f"{label}『{row.labels.get(label, '')}』は様式にありません", row=row.row, column=label,
                         expected="、".join(categories), found=row.labels.get(label, ""))
            ok = False
            continue
        if kind is None:
            problems.add(f"区分『{row.labels.get('区分', '')}』は様式にありません", row=row.row, column="区分",
                         expected="検挙者、再犯者", found=row.labels.get("区分", ""))
            ok = False
            continue
        key = (area, cat, kind)
        if key in rows:
            problems.add(f"{area}の{cat}の{'検挙者' if kind == 'arrested' else '再犯者'}の行が2つあります"
                         f"（{rows[key]}行目と{row.row}行目）", row=row.row, column=label,
                         expected="地域・区分ごとに1行", found=cat)
            ok = False
            continue
        rows[key] = row.row
        for year, v in row.values.items():
            cells[(area, cat)][year][kind] = v
    areas = list(dict.fromkeys(a for a, _c, _k in rows))
    for area in areas:
        for cat in categories:
            for kind, kind_ja in (("arrested", "検挙者"), ("repeat", "再犯者")):
                if (area, cat, kind) not in rows:
                    problems.add(f"地域『{area}』に{label}『{cat}』の{kind_ja}の行がありません", column=label,
                                 expected=f"{'、'.join(categories)}のそれぞれに検挙者・再犯者の2行", found="なし")
                    ok = False
    return cells, rows, ok


def _check_moj_sums(
    table: WideTable,
    label: str,
    categories: tuple[str, ...],
    cells: dict[tuple[str, str], dict[int, dict[str, Any]]],
    rows: dict[tuple[str, str, str], int],
    problems: Problems,
) -> None:
    """再犯者 ≤ 検挙者 in every cell; the parts add up to 総数 (when none of them is suppressed)."""
    parts = [c for c in categories if c != TOTAL]
    areas = list(dict.fromkeys(a for a, _c, _k in rows))
    for area in areas:
        for cat in categories:
            for year, kinds in cells[(area, cat)].items():
                a, r = kinds["arrested"], kinds["repeat"]
                if a is not None and r is not None and r > a:
                    problems.add(f"{area}の{cat}で再犯者が検挙者を上回っています", row=rows[(area, cat, "repeat")],
                                 column=table.column_name(year), expected=f"{a}以下（検挙者）", found=r)
        for kind, kind_ja in (("arrested", "検挙者"), ("repeat", "再犯者")):
            for p, _col, _text in table.periods:
                total = cells[(area, TOTAL)][p][kind]
                values = [cells[(area, c)][p][kind] for c in parts]
                if total is None or any(v is None for v in values):
                    continue
                if sum(values) != total:
                    problems.add(
                        f"{area}の{kind_ja}の総数が{label}別の合計と合いません",
                        row=rows[(area, TOTAL, kind)], column=table.column_name(p),
                        expected=f"{sum(values)}（{'＋'.join(parts)}）", found=total,
                    )


def _check_sheets_agree(
    parsed: dict[str, dict[tuple[str, str], dict[int, dict[str, Any]]]],
    rows_of: dict[str, dict[tuple[str, str, str], int]],
    years_of: dict[str, list[int]],
    problems: Problems,
) -> None:
    """Both sheets hold the same areas and years, and their 総数 rows agree."""
    crime, age = parsed["罪種別"], parsed["年齢層別"]
    areas_crime = list(dict.fromkeys(a for a, _c in crime))
    areas_age = list(dict.fromkeys(a for a, _c in age))
    if areas_crime != areas_age:
        problems.add("年齢層別のシートの地域が罪種別のシートと違います", sheet="年齢層別", column="地域",
                     expected="、".join(areas_crime), found="、".join(areas_age))
        return
    if years_of["罪種別"] != years_of["年齢層別"]:
        problems.add("年齢層別のシートの年が罪種別のシートと違います", sheet="年齢層別",
                     expected="、".join(wareki_year(y) for y in years_of["罪種別"]),
                     found="、".join(wareki_year(y) for y in years_of["年齢層別"]))
        return
    for area in areas_crime:
        for kind, kind_ja in (("arrested", "検挙者"), ("repeat", "再犯者")):
            for year in years_of["罪種別"]:
                a, b = crime[(area, TOTAL)][year][kind], age[(area, TOTAL)][year][kind]
                if a is not None and b is not None and a != b:
                    problems.add(
                        f"{area}の{wareki_year(year)}の{kind_ja}の総数が罪種別のシートと合いません",
                        sheet="年齢層別", row=rows_of["年齢層別"][(area, TOTAL, kind)], column=wareki_year(year),
                        expected=f"{a}（罪種別のシートの総数）", found=b,
                    )


# ------------------------------------------------------------------ 更生保護 (福祉政策課の取りまとめ)

REHAB_SHEETS = (
    SheetSpec(name="保護司", items=(ItemSpec("定数", "人"), ItemSpec("実数", "人")), at_most=(("実数", "定数"),)),
    SheetSpec(
        name="協力雇用主",
        items=(ItemSpec("協力雇用主数", "社"), ItemSpec("うち雇用実績のある事業主", "社")),
        at_most=(("うち雇用実績のある事業主", "協力雇用主数"),),
    ),
    SheetSpec(name="社会を明るくする運動", items=(ItemSpec("行事数", "回"), ItemSpec("参加者数", "人"))),
)

REHAB_SCHEMA = city_yearly_schema("rehabilitation_stats")


def read_rehabilitation_stats(path: str | Path) -> pd.DataFrame:
    """福祉政策課's yearly 更生保護 workbook (sheets 保護司, 協力雇用主, 社会を明るくする運動) →
    ``topic, item, unit, fiscal_year, value`` (see
    :func:`~komae_analysis.ingest.city_yearly.read_city_yearly`): 実数 ≤ 定数, うち雇用実績 ≤ 協力雇用主数."""
    return read_city_yearly(path, REHAB_SHEETS, REHAB_SCHEMA)


__all__ = [
    "AGES",
    "CRIMES",
    "MOJ_SCHEMA",
    "MOJ_SHEETS",
    "REHAB_SCHEMA",
    "REHAB_SHEETS",
    "read_moj_recidivism",
    "read_rehabilitation_stats",
]
