"""The section's data and parameters: inputs, reference dates, and the summaries every table uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from komae_analysis import calendar, reference
from komae_analysis.analysis import trends
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params

AGE_GROUPS = (("年少人口（0～14歳）", "age0_14"), ("生産年齢人口（15～64歳）", "age15_64"), ("老年人口（65歳以上）", "age65"))

#: Birth cohorts the commentary names when an age class's change is their moving up (birth years).
NAMED_COHORTS = (("団塊の世代", 1947, 1949), ("団塊ジュニア世代", 1971, 1974))

REGISTER = "city_register_population"
HOUSEHOLDS = "city_register_households"
TOKYO = "tokyo_juki_age5"


def source_register() -> str:
    return citation(REGISTER, "各年1月1日現在、外国人住民を含む")


def source_tokyo() -> str:
    return citation(TOKYO, "各年1月1日現在")


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PopulationParams:
    """The ``population:`` block of the run parameters.

    The comparison municipalities (表「近隣・類似自治体との比較」) follow one stated rule:

    1. ``adjacent_codes``: the municipalities bordering the city that are in 東京都 第7表
       (調布市, 世田谷区); ``adjacent_outside`` names those outside it (川崎市, in 神奈川県), which the
       table's 注 mentions;
    2. the 東京都市部 cities whose total population is within ± ``similar_population_band`` (a
       share, 0.15 = ±15%) of the city's on the latest reference date;
    3. the ``similar_aging_count`` other 東京都市部 cities whose 高齢化率 is nearest the city's;

    plus 東京都 (``tokyo_code``) and 東京都市部 (``shibu_code``) as reference rows.
    """

    trend_years: int  # reference dates in the trend tables
    pyramid_compare_years: int  # the pyramid, 5歳階級 and 圏域 tables compare with this many years earlier
    tokyo_code: str  # 東京都 in 第7表
    shibu_code: str  # 東京都市部 (26市) in 第7表
    adjacent_codes: tuple[str, ...]  # bordering municipalities in 第7表
    adjacent_outside: tuple[str, ...]  # bordering municipalities outside 東京都 (names, for the 注)
    similar_population_band: float  # ± share of the city's population
    similar_aging_count: int  # n 東京都市部 cities nearest in 高齢化率
    flat_share: float  # a year-on-year change within this share of the level counts as 横ばい

    def check(self) -> str | None:
        for code in (self.tokyo_code, self.shibu_code, *self.adjacent_codes):
            if not (len(code) == 5 and code.isdigit()):
                return f"地域コードは5桁の数字です（実際: {code!r}）"
        if self.trend_years < 2 or self.pyramid_compare_years < 1:
            return "trend_years は2以上、pyramid_compare_years は1以上です"
        if not 0 < self.similar_population_band < 1:
            return f"similar_population_band は0より大きく1より小さい割合です（実際: {self.similar_population_band}）"
        if self.similar_aging_count < 0:
            return "similar_aging_count は0以上です"
        if not 0 <= self.flat_share < 0.1:
            return f"flat_share は0以上0.1未満の割合です（実際: {self.flat_share}）"
        return None


#: The parameters block of this topic (``population:`` in params/FY*.yaml).
PARAMS = PopulationParams


# --- the section's data -------------------------------------------------------------------
@dataclass(frozen=True)
class PopulationData:
    """The register frames a section uses, restricted to the reference dates of the run: the
    trend's dates and the comparison date of the pyramid and 圏域 tables (which may lie before the
    trend when ``trend_years`` is short)."""

    params: Params
    settings: PopulationParams
    register: pd.DataFrame  # city register: date, choume_code, town, chome, area, age_from, age_to, sex, population
    households: pd.DataFrame  # date, choume_code, town, chome, area, households, population
    tokyo: pd.DataFrame  # 第7表: date, area_level, area_code, area_name, age_from, age_to, sex, nationality, population
    dates: tuple[pd.Timestamp, ...]  # the trend's reference dates, oldest first
    first_available: pd.Timestamp  # the oldest register date in the data (trends shorter than asked)
    compare: pd.Timestamp  # the date the pyramid and 圏域 tables compare with (pyramid_compare_years earlier)

    @property
    def latest(self) -> pd.Timestamp:
        return self.dates[-1]

    @property
    def previous(self) -> pd.Timestamp | None:
        return self.dates[-2] if len(self.dates) > 1 else None

    @property
    def city_name(self) -> str:
        return self.params.city.name


def _years_before(date: pd.Timestamp, years: int, dates: tuple[pd.Timestamp, ...]) -> pd.Timestamp:
    target = date - pd.DateOffset(years=years)
    if target not in dates:
        raise KomaeError(f"{label_date(date)}の{years}年前（{label_date(target)}）のデータがありません")
    return target


def label_date(date: pd.Timestamp | dt.date) -> str:
    """令和8年1月1日"""
    return calendar.wareki_date(pd.Timestamp(date).date())


def _era_year(date: pd.Timestamp) -> str:
    """令和3年 for 2021-01-01, 平成31年 for 2019-01-01 (the era of the date itself): column heads."""
    era, n = calendar.era_of(pd.Timestamp(date).date())
    return f"{era}{'元' if n == 1 else n}年"


def select_dates(
    params: Params, settings: PopulationParams, available: list[pd.Timestamp]
) -> tuple[pd.Timestamp, ...]:
    """The reference dates of a run: the latest on or before the fiscal year's 1 April and up to
    ``trend_years`` dates before it."""
    avail = sorted({pd.Timestamp(d) for d in available})
    try:
        latest = calendar.latest_register_date(params.fiscal_year, [d.date() for d in avail])
    except ValueError as exc:
        raise KomaeError(str(exc)) from None
    eligible = [d for d in avail if d.date() <= latest]
    return tuple(eligible[-settings.trend_years :])


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> PopulationData:
    """The section's data from its declared inputs (source id → tidy frame), restricted to the run's
    dates. The register's dates decide; 第7表 must cover them and hold the city, 東京都 and 東京都市部
    (a comparison municipality missing from it is left out of the comparison with a 注)."""
    register = inputs[REGISTER]
    households = inputs[HOUSEHOLDS]
    tokyo = inputs[TOKYO]
    settings = params.topic(PopulationParams)
    available = tuple(sorted({pd.Timestamp(d) for d in register["date"].unique()}))
    dates = select_dates(params, settings, list(available))
    compare = _years_before(dates[-1], settings.pyramid_compare_years, available)
    keep = {*dates, compare}
    tokyo_dates = {pd.Timestamp(d) for d in tokyo["date"].unique()}
    missing = [d for d in sorted(keep) if d not in tokyo_dates]
    if missing:
        raise KomaeError(
            "東京都 第7表に次の基準日のファイルがありません: " + "、".join(label_date(d) for d in missing)
        )
    codes = set(tokyo.loc[tokyo["date"] == dates[-1], "area_code"])
    for code in (params.city.area_code, settings.tokyo_code, settings.shibu_code):
        if code not in codes:
            raise KomaeError(f"東京都 第7表（{label_date(dates[-1])}）に地域コード {code} の行がありません")
    return PopulationData(
        params=params,
        settings=settings,
        register=register[register["date"].isin(keep)].reset_index(drop=True),
        households=households[households["date"].isin(keep)].reset_index(drop=True),
        tokyo=tokyo[tokyo["date"].isin(keep)].reset_index(drop=True),
        dates=dates,
        first_available=available[0],
        compare=compare,
    )


# --- summaries --------------------------------------------------------------------------
def _group_sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Total, age groups and 75+ of a long frame with age_from, summed by ``keys``."""
    age = frame["age_from"]
    pop = frame["population"].astype("int64")
    parts = {
        "total": pop,
        "age0_14": pop.where(age.lt(15).fillna(False), 0),
        "age15_64": pop.where((age.ge(15) & age.lt(65)).fillna(False), 0),
        "age65": pop.where(age.ge(65).fillna(False), 0),
        "age75": pop.where(age.ge(75).fillna(False), 0),
    }
    df = pd.DataFrame({**{k: frame[k] for k in keys}, **parts})
    out = df.groupby(keys, sort=True, observed=True).sum().reset_index()
    _rates(out)
    return out


def _rates(frame: pd.DataFrame) -> None:
    total = frame["total"].where(frame["total"] > 0)
    frame["aging_rate"] = frame["age65"] / total
    frame["late_rate"] = frame["age75"] / total
    frame["young_rate"] = frame["age0_14"] / total


def city_summary(data: PopulationData, *, with_compare: bool = False) -> pd.DataFrame:
    """Komae per trend date (and the comparison date with ``with_compare``): total, age groups, 75+,
    rates, households, persons per household."""
    keep = {*data.dates, data.compare} if with_compare else set(data.dates)
    s = _group_sums(data.register[data.register["date"].isin(keep)], ["date"])
    hh = data.households.groupby("date")["households"].sum()
    s["households"] = s["date"].map(hh).astype("int64")
    s["persons_per_household"] = s["total"] / s["households"]
    return s


def area_summary(data: PopulationData) -> pd.DataFrame:
    """Every 第7表 area per reference date (both sexes and nationalities, 不詳 in the total)."""
    return _group_sums(data.tokyo, ["date", "area_code", "area_name"])


def choume_summary(data: PopulationData, date: pd.Timestamp) -> pd.DataFrame:
    """Every 町丁目 on ``date``, ordered by 日常生活圏域 (the city's order) and then 町丁目 code."""
    reg = data.register[data.register["date"] == date]
    s = _group_sums(reg, ["area", "choume_code", "town", "chome"])
    hh = data.households[data.households["date"] == date].set_index("choume_code")["households"]
    s["households"] = s["choume_code"].map(hh).astype("int64")
    order = {a.key: i for i, a in enumerate(daily_life_areas(s))}
    s["_order"] = s["area"].map(order)
    return s.sort_values(["_order", "choume_code"]).drop(columns="_order").reset_index(drop=True)


def daily_life_areas(frame: pd.DataFrame | None = None) -> list:
    """The 日常生活圏域 in the city's order (reference data); with ``frame``, checks that its ``area``
    column holds only known 圏域."""
    areas = list(reference.daily_life_areas())
    if frame is not None:
        unknown = sorted(set(frame["area"]) - {a.key for a in areas})
        if unknown:
            raise KomaeError("参照表にない日常生活圏域があります: " + "、".join(map(str, unknown)))
    return areas


def area_of_daily_life_summary(data: PopulationData, date: pd.Timestamp) -> pd.DataFrame:
    """Per 日常生活圏域 (city's order): population, age groups, households, rates."""
    ch = choume_summary(data, date)
    cols = ["total", "age0_14", "age15_64", "age65", "age75", "households"]
    s = ch.groupby("area", sort=False)[cols].sum().reset_index()
    _rates(s)
    return s


def _mapping_note() -> str:
    src = reference.SOURCES["komae_choume"]  # the publication and edition of the mapping
    return f"日常生活圏域（地域包括支援センターの担当区域）と町丁目の対応は、{src.source_ja}（{src.as_of_ja}）による。"


def _short_trend_note(data: PopulationData) -> list[str]:
    """注 for a trend shorter than asked: the data start later than ``trend_years`` dates back."""
    if len(data.dates) >= data.settings.trend_years:
        return []
    return [f"{label_date(data.first_available)}より前のデータがないため、{len(data.dates)}時点を掲載。"]


def _tick_labels(dates: tuple[pd.Timestamp, ...] | list[pd.Timestamp]) -> list[str]:
    return [f"{calendar.short_wareki(pd.Timestamp(d).date())}\n{pd.Timestamp(d).year}" for d in dates]


def _flat_tolerance(data: PopulationData, series: pd.Series) -> float:
    return trends.relative_tolerance(series, data.settings.flat_share)
