"""The section's data and parameters: the city's figures (newest edition), the 東京都 tables and the
population the rates are taken on, restricted to the fiscal years of the run; the series every table
reads; the wording shared by the tables and the commentary."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import pandas as pd

from komae_analysis import calendar
from komae_analysis.analysis import trends
from komae_analysis.ingest.disability_common import (
    AGE_BANDS,
    AI,
    JIRITSU,
    NANBYO,
    SEISHIN,
    SHINTAI,
    TABLES,
    TOTAL,
    year_end,
)
from komae_analysis.ingest.registry import citation, source
from komae_analysis.params import Params
from komae_analysis.report import numbers

CITY = "city_disability"
TOKYO = "tokyo_disability"
POPULATION = "tokyo_juki_age5"
KEY = ["fiscal_year", "table", "kind", "grade", "age_band"]

#: Short names of the 手帳 and 制度 for headings and figure legends.
SHORT = {SHINTAI: "身体障害者手帳", AI: "愛の手帳", SEISHIN: "精神障害者保健福祉手帳",
         JIRITSU: "自立支援医療（精神通院）", NANBYO: "難病医療費助成"}
TECHO_SUM = "手帳所持者 計（延べ）"

NOTE_NANBYO = ("難病医療費助成は、国の指定難病と東京都単独の対象疾病（都単独疾病）の医療費助成を受けている人"
               "（医療受給者証の所持者）。")
NOTE_TECHO_SUM = "手帳所持者 計は3種類の手帳の所持者数の合計で、複数の手帳を持つ人はそれぞれの手帳で数えている（延べ人数）。"
NOTE_NOT_SHOWN = "「－」は集計していない値。"


def source_city() -> str:
    return citation(CITY, "各年度3月31日現在")


def source_tokyo() -> str:
    return citation(TOKYO, "各年度3月31日現在")


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DisabilityParams:
    """The ``disability:`` block of the run parameters."""

    trend_years: int  # fiscal years (年度末) in the trend tables
    tokyo_code: str  # 東京都 (総数) in the 東京都 tables
    shibu_code: str  # 東京都市部 (26市)
    flat_share: float  # a yearly change within this share of a series' largest value counts as 横ばい
    turn_share: float  # a reversal larger than this share of a series' largest value is a turning point

    def check(self) -> str | None:
        for code in (self.tokyo_code, self.shibu_code):
            if not (len(code) == 5 and code.isdigit()):
                return f"地域コードは5桁の数字です（実際: {code!r}）"
        if self.trend_years < 2:
            return "trend_years は2以上です"
        for name in ("flat_share", "turn_share"):
            if not 0 <= getattr(self, name) < 0.1:
                return f"{name} は0以上0.1未満の割合です（実際: {getattr(self, name)}）"
        return None


#: The parameters block of this topic (``disability:`` in params/FY*.yaml).
PARAMS = DisabilityParams


# --- the section's data -------------------------------------------------------------------
@dataclass(frozen=True)
class DisabilityData:
    params: Params
    settings: DisabilityParams
    city: pd.DataFrame  # fiscal_year, date, table, kind, grade, age_band, holders (the newest edition's)
    tokyo: pd.DataFrame  # date, fiscal_year, table, area_code, area_name, kind, grade, age_band, holders
    population: pd.DataFrame  # fiscal_year, area_code, population (1 January within the fiscal year)
    years: tuple[int, ...]  # the trend's fiscal years, oldest first
    first_available: int | None  # the oldest fiscal year in the city's data

    @property
    def has_city(self) -> bool:
        return bool(self.years)

    @property
    def has_tokyo(self) -> bool:
        return self.has_city and not self.tokyo.empty

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def latest(self) -> int:
        return self.years[-1]

    @property
    def city_name(self) -> str:
        return self.params.city.name


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> DisabilityData:
    """The section's data: the city's figures of the fiscal years whose 年度末 is on or before the
    run's cutoff (FY2026 → up to the end of FY2025), the newest edition's where editions overlap, the
    last ``trend_years`` years; the 東京都 tables of those years; the population of 東京都, 東京都市部
    and the city on the 1 January within each of those years. Empty inputs give empty data (the
    pages then say the figures are not available)."""
    settings = params.topic(DisabilityParams)
    cutoff = pd.Timestamp(source(CITY).as_of(params.fiscal_year))
    city = inputs.get(CITY, pd.DataFrame(columns=[*KEY, "date", "edition", "holders"]))
    city = city[city["date"] <= cutoff]
    city = city.sort_values("edition", kind="stable").drop_duplicates(KEY, keep="last")
    available = sorted(int(y) for y in city["fiscal_year"].unique())
    years = tuple(available[-settings.trend_years:])
    city = city[city["fiscal_year"].isin(years)].drop(columns="edition").reset_index(drop=True)

    tokyo = inputs.get(TOKYO, pd.DataFrame(columns=["date", "area_code"]))
    ends = {pd.Timestamp(year_end(y)): y for y in years}
    tokyo = tokyo[tokyo["date"].isin(list(ends))].copy()
    tokyo.insert(1, "fiscal_year", tokyo["date"].map(ends).astype("int64"))
    codes = [settings.tokyo_code, settings.shibu_code, params.city.area_code]
    tokyo = tokyo[tokyo["area_code"].isin(codes)].reset_index(drop=True)

    pop = inputs.get(POPULATION, pd.DataFrame(columns=["date", "area_code", "population"]))
    jan = {pd.Timestamp(y + 1, 1, 1): y for y in years}
    pop = pop[pop["date"].isin(list(jan)) & pop["area_code"].isin(codes)]
    pop = pop.groupby(["date", "area_code"], as_index=False)["population"].sum()
    pop.insert(0, "fiscal_year", pop["date"].map(jan).astype("int64"))
    pop = pop.drop(columns="date")
    return DisabilityData(params, settings, city, tokyo, pop, years, available[0] if available else None)


# --- series -------------------------------------------------------------------------------
def cell(data: DisabilityData, table: str, *, kind: str = TOTAL, grade: str = TOTAL,
         age: str = TOTAL) -> pd.Series:
    """One row group of the city's figures by fiscal year (NA where not shown)."""
    c = data.city
    rows = c[(c["table"] == table) & (c["kind"] == kind) & (c["grade"] == grade) & (c["age_band"] == age)]
    return rows.set_index("fiscal_year")["holders"].reindex(list(data.years))


def totals(data: DisabilityData) -> pd.DataFrame:
    """Fiscal year × 手帳/制度: the 合計 of every sheet."""
    return pd.DataFrame({t: cell(data, t) for t in TABLES})


def by_levels(data: DisabilityData, table: str, column: str, levels: tuple[str, ...]) -> pd.DataFrame:
    """Fiscal year × level (``column`` = "kind" or "grade"), all ages."""
    return pd.DataFrame({lv: cell(data, table, **{column: lv}) for lv in levels})


def by_age(data: DisabilityData, table: str, *, kind: str = TOTAL) -> pd.DataFrame:
    """Fiscal year × 年齢区分 (with 計)."""
    return pd.DataFrame({a: cell(data, table, kind=kind, age=a) for a in (*AGE_BANDS, TOTAL)})


def children(data: DisabilityData) -> pd.DataFrame:
    """Fiscal year × 手帳/制度: holders under 18."""
    return pd.DataFrame({t: cell(data, t, age=AGE_BANDS[0]) for t in TABLES})


# --- wording ------------------------------------------------------------------------------
def fy(y: Hashable) -> str:
    """令和7年度"""
    return calendar.wareki_fy(int(y))  # type: ignore[call-overload]


def fy_end(y: Hashable) -> str:
    """令和7年度末"""
    return f"{fy(y)}末"


def people(v: object) -> str:
    return numbers.count(v, "人")


def year_ticks(years: tuple[int, ...] | list[int]) -> list[str]:
    """Axis labels: R7 over (2025)."""
    return [f"{calendar.short_fy(y)}\n({y})" for y in years]


def short_trend_note(data: DisabilityData) -> list[str]:
    """注 for a trend shorter than asked."""
    if len(data.years) >= data.settings.trend_years or data.first_available is None:
        return []
    return [f"{fy(data.first_available)}より前のデータがないため、{len(data.years)}年度分を掲載。"]


def tolerance(data: DisabilityData, series: pd.Series) -> float:
    return trends.relative_tolerance(series, data.settings.flat_share)


def course(data: DisabilityData, series: pd.Series, fmt: Callable[[object], str] = people) -> str:
    """How a yearly series moved, read with the trend helpers, as a clause without 。:

    Steps within ``flat_share`` of the series' largest value are 横ばい (runs), and only reversals
    larger than ``turn_share`` of it are turning points (a wiggle of a few people is not).

    - no turn: 「平成29年度の655人から令和7年度の1,063人へ増加しています（8年度連続で増加）」;
    - turns: 「平成29年度の588人から令和2年度の668人まで増加し、令和3年度の640人まで減少した後、
      増加に転じ、令和7年度は691人と最も多くなっています」.
    """
    s = series.dropna().astype("float64")
    if s.empty:
        return "値がありません"
    tol = tolerance(data, s)
    first, last = s.index[0], s.index[-1]
    turns = trends.turning_points(s, trends.relative_tolerance(s, data.settings.turn_share))
    if not turns:
        change = trends.change_phrase(s[last] - s[first], fmt=fmt)
        verb = "横ばいとなっています" if change == "横ばい" else f"{'増加' if s[last] > s[first] else '減少'}しています"
        text = f"{fy(first)}の{fmt(s[first])}から{fy(last)}の{fmt(s[last])}へ{verb}"
        run = trends.latest_run(s, tol)
        streak = trends.run_phrase(run, "年度")
        if streak and run is not None and run.start_at == first:
            text += f"（{streak}）"
        return text
    points = [(first, s[first]), *((t.at, t.value) for t in turns), (last, s[last])]
    clauses = []
    for i in range(1, len(points) - 1):
        at, v = points[i]
        verb = "増加" if v > points[i - 1][1] else "減少"
        clauses.append(f"{fy(at)}の{fmt(v)}まで{verb}し")
    text = f"{fy(first)}の{fmt(s[first])}から" + "、".join(clauses)
    final_up = s[last] > points[-2][1]
    text += f"た後、{'増加' if final_up else '減少'}に転じ、{fy(last)}は{fmt(s[last])}"
    p = trends.peak(s) if final_up else trends.trough(s)
    if p.is_latest and p.at == last:
        text += f"と最も{'多く' if final_up else '少なく'}なっています"
    else:
        text += "となっています"
    return text


def unavailable(what: str = "障害者手帳所持者数等") -> str:
    return f"{what}のデータがないため、掲載していません。"
