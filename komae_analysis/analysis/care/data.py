"""The section's data and parameters: the 年報 of the years shown, the 見込 of the running year from
its 月報, and the series every table uses.

A *year* here is a fiscal year. Its figures come from the 年報 (被保険者 and 認定者 at the year's
end; 受給者 and 給付費 the year's totals), except for the 見込 year (the run's fiscal year, whose 年報
does not exist yet): its figures are computed from the 月報 of its months available by the cutoff
(:func:`komae_analysis.ingest.care_insurance.care_as_of`), by the rule in docs/domain.md —
stocks (被保険者, 認定者) are the latest month's, flows (受給者, 給付費) the months' sum × 12 ÷ the
number of months.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from komae_analysis import calendar
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.care_insurance import STOCK_TABLES
from komae_analysis.ingest.registry import citation, source
from komae_analysis.params import Params

ANNUAL = "care_annual"
MONTHLY = "care_monthly"

#: Service groups: (key in the data, label on the pages, recipients table).
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("居宅", "居宅サービス", "居宅サービス受給者"),
    ("地域密着型", "地域密着型サービス", "地域密着型サービス受給者"),
    ("施設", "施設サービス", "施設サービス受給者"),
)

UNAVAILABLE = (
    "介護保険事業状況報告（年報）のファイルがないため、介護保険の被保険者・認定者・サービス利用の"
    "表と図は作成していません。"
)


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CareParams:
    """The ``care:`` block of the run parameters."""

    trend_years: int  # fiscal years of 年報 actuals shown (the latest ones before the run's year)
    national_row: str  # the 全国 row of the report (保険者名 column)
    prefecture_row: str  # the 東京都 row (東京都計)
    estimate_min_months: int  # fewest 月報 months of the run's year from which a 見込 is shown
    flat_share: float  # a year-on-year change within this share of the level counts as 横ばい

    def check(self) -> str | None:
        if self.trend_years < 2:
            return f"trend_years は2以上です（実際: {self.trend_years}）"
        if not 1 <= self.estimate_min_months <= 12:
            return f"estimate_min_months は1～12です（実際: {self.estimate_min_months}）"
        if not 0 <= self.flat_share < 0.1:
            return f"flat_share は0以上0.1未満の割合です（実際: {self.flat_share}）"
        return None


#: The parameters block of this topic (``care:`` in params/FY*.yaml).
PARAMS = CareParams

Key = tuple[str, str, str, str]  # (area, table, category, item)


# --- the section's data -------------------------------------------------------------------
@dataclass(frozen=True)
class CareData:
    """The figures of the years shown, per area, and how the 見込 year was made."""

    params: Params
    settings: CareParams
    years: tuple[int, ...]  # fiscal years with 年報 actuals, oldest first
    first_available: int | None  # the oldest fiscal year with a 年報 (a trend shorter than asked)
    estimate_fy: int | None  # the 見込 year (the run's fiscal year) when its months suffice
    estimate_months: tuple[pd.Timestamp, ...]  # the 月報 (month ends) the 見込 comes from
    months_found: tuple[pd.Timestamp, ...]  # the 月報 of the run's year found (even if too few)
    values: Mapping[Key, Mapping[int, float]] = field(repr=False)  # key → {fiscal year: value (NaN: no figure)}
    areas: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return bool(self.years)

    @property
    def city(self) -> str:
        return self.params.city.name

    @property
    def all_years(self) -> tuple[int, ...]:
        """The years of the tables: the actuals and, last, the 見込 year."""
        return self.years + ((self.estimate_fy,) if self.estimate_fy is not None else ())

    @property
    def last_actual(self) -> int:
        return self.years[-1]

    @property
    def latest_month(self) -> pd.Timestamp | None:
        return self.estimate_months[-1] if self.estimate_months else None

    def has_area(self, area: str) -> bool:
        return area in self.areas

    def series(self, area: str, table: str, category: str, item: str) -> pd.Series:
        """The value of every year of the tables (index: fiscal years; NaN where there is none)."""
        got = self.values.get((area, table, category, item), {})
        return pd.Series([got.get(y, np.nan) for y in self.all_years], index=list(self.all_years), dtype="float64")


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> CareData:
    """The section's data from its inputs: the 年報 (``care_annual``) of the latest ``trend_years``
    years before the run's year, and the 見込 of the run's year from its 月報 (``care_monthly``).
    Either frame may be empty (no files): the section then says so."""
    settings = params.topic(CareParams)
    annual = inputs.get(ANNUAL, pd.DataFrame())
    monthly = inputs.get(MONTHLY, pd.DataFrame())
    fy = params.fiscal_year
    years: tuple[int, ...] = ()
    first_available = None
    values: dict[Key, dict[int, float]] = {}
    areas: set[str] = set()
    if len(annual):
        available = sorted(int(y) for y in annual["fiscal_year"].unique() if int(y) < fy)
        years = tuple(available[-settings.trend_years:])
        first_available = available[0] if available else None
        kept = annual[annual["fiscal_year"].isin(years)]
        _collect(values, kept, {int(y): int(y) for y in years})
        areas |= set(kept["area"].astype(str))
    months_found: tuple[pd.Timestamp, ...] = ()
    estimate_months: tuple[pd.Timestamp, ...] = ()
    estimate_fy = None
    if len(monthly) and years:
        mine = monthly[monthly["fiscal_year"] == fy]
        months_found = tuple(sorted(pd.Timestamp(d) for d in mine["date"].unique()))
        if len(months_found) >= settings.estimate_min_months:
            estimate_months = months_found
            estimate_fy = fy
            _collect_estimate(values, mine, fy, months_found)
            areas |= set(mine["area"].astype(str))
    data = CareData(params, settings, years, first_available, estimate_fy, estimate_months, months_found,
                    values, tuple(sorted(areas)))
    if data.available and not data.has_area(params.city.name):
        raise KomaeError(f"介護保険事業状況報告（年報）に{params.city.name}の行がありません")
    return data


def _collect(values: dict[Key, dict[int, float]], frame: pd.DataFrame, year_of: Mapping[int, int]) -> None:
    v = frame["value"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    for area, table, cat, item, y, x in zip(frame["area"], frame["table"], frame["category"], frame["item"],
                                            frame["fiscal_year"], v, strict=True):
        values.setdefault((str(area), str(table), str(cat), str(item)), {})[year_of[int(y)]] = float(x)


def _collect_estimate(values: dict[Key, dict[int, float]], frame: pd.DataFrame, fy: int,
                      months: tuple[pd.Timestamp, ...]) -> None:
    """The 見込 (see the module docstring): the latest month for stocks, sum × 12 ÷ months for flows;
    a cell missing in any month has no 見込."""
    latest = months[-1]
    n = len(months)
    stock = frame[frame["table"].isin(STOCK_TABLES) & (frame["date"] == latest)]
    _collect(values, stock, {fy: fy})
    flows = frame[~frame["table"].isin(STOCK_TABLES)]
    keys = ["area", "table", "category", "item"]
    grouped = flows.assign(v=flows["value"].astype("Float64")).groupby(keys, sort=False)["v"]
    total = grouped.sum(min_count=1)
    complete = grouped.count() == n
    for key, s in total.items():
        x = float(s) * 12 / n if complete[key] and not pd.isna(s) else np.nan
        values.setdefault(tuple(str(k) for k in key), {})[fy] = x  # type: ignore[index]


# --- labels and sources ---------------------------------------------------------------------
def year_label(data: CareData, fy: int) -> str:
    """平成29年度; the 見込 year 令和8年度（見込）."""
    label = calendar.wareki_fy(fy)
    return f"{label}（見込）" if fy == data.estimate_fy else label


def year_end_label(data: CareData, fy: int) -> str:
    """Where a stock stands: 令和7年度末; the 見込 year: 令和8年度（見込）."""
    return year_label(data, fy) if fy == data.estimate_fy else f"{calendar.wareki_fy(fy)}末"


def tick_labels(data: CareData) -> list[str]:
    return [f"{calendar.short_fy(y)}\n{'見込' if y == data.estimate_fy else y}" for y in data.all_years]


def month_label(month: pd.Timestamp) -> str:
    """令和8年9月"""
    return calendar.wareki_date(pd.Timestamp(month).date(), day=False)


def months_text(data: CareData) -> str:
    """令和8年4月分～9月分 (consecutive) or 令和8年4月分・6月分 (not)."""
    ms = data.estimate_months
    if not ms:
        return ""
    idx = [m.year * 12 + m.month for m in ms]
    first = f"{month_label(ms[0])}分"
    if len(ms) == 1:
        return first
    if idx == list(range(idx[0], idx[0] + len(idx))):
        last = ms[-1]
        tail = f"{last.month}月分" if last.year == ms[0].year else f"{month_label(last)}分"
        return f"{first}～{tail}"
    return first + "・" + "・".join(f"{m.month}月分" for m in ms[1:])


def source_line(data: CareData) -> str:
    """出典 of a table or figure: the 年報 (and the 月報 when a 見込 is shown)."""
    text = citation(ANNUAL, "各年度")
    if data.estimate_fy is not None:
        text += f"、{source(MONTHLY).source_ja}（{months_text(data)}）"
    return text


def estimate_notes(data: CareData, *, stock: bool = True, flow: bool = True) -> list[str]:
    """注 on the 見込 year: how it is computed, or why there is none."""
    fy = data.params.fiscal_year
    if data.estimate_fy is None:
        if data.months_found:
            return [f"{calendar.wareki_fy(fy)}の月報が{len(data.months_found)}か月分しかないため、"
                    f"同年度の見込は掲載していない（{data.settings.estimate_min_months}か月分以上で算出）。"]
        return [f"{calendar.wareki_fy(fy)}の月報がないため、同年度の見込は掲載していない。"]
    n = len(data.estimate_months)
    parts = []
    if stock:
        parts.append(f"被保険者数・認定者数は{month_label(data.estimate_months[-1])}末現在の値")
    if flow:
        parts.append(f"受給者数・給付費は{n}か月分の合計を12／{n}倍した値" if n != 12 else "受給者数・給付費は12か月分の合計")
    return [f"{year_label(data, data.estimate_fy)}は{months_text(data)}の月報による。" + "、".join(parts) + "。"]


def short_trend_notes(data: CareData) -> list[str]:
    if len(data.years) >= data.settings.trend_years or data.first_available is None:
        return []
    return [f"{calendar.wareki_fy(data.first_available)}より前の年報がないため、{len(data.years)}年度分を掲載。"]


def area_label(data: CareData, area: str) -> str:
    if area == data.settings.prefecture_row:
        return "東京都"
    return area


def comparison_areas(data: CareData) -> tuple[list[str], list[str]]:
    """(the areas compared with the city, in the order 東京都, 全国, that are in the report; the
    notes on those missing)."""
    out, notes = [], []
    for row, name in ((data.settings.prefecture_row, "東京都"), (data.settings.national_row, "全国")):
        if data.has_area(row):
            out.append(row)
        else:
            notes.append(f"介護保険事業状況報告に{name}の行（{row}）がないため、{name}は掲載していない。")
    return out, notes
