"""The section's parameters and data: the inputs restricted to the run's years, summarised per
topic (the long-run series, the movement by year, the census household composition, the foreign
residents by reference date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from komae_analysis import calendar
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation, source
from komae_analysis.params import Params
from komae_analysis.reference import shibu_cities
from komae_analysis.report import numbers

TIMESERIES = "tokyo_timeseries_population"
AGED = "tokyo_timeseries_aged"
MOVEMENT = "tokyo_movement"
MONTHLY = "tokyo_movement_monthly"
CENSUS = "census_households"
TOKYO = "tokyo_juki_age5"

#: The year foreign residents entered the register counts (1 January; 法改正 平成24年7月).
FOREIGN_FROM = 2013


# --- parameters -----------------------------------------------------------------------------
@dataclass(frozen=True)
class HouseholdsParams:
    """The ``households:`` block of the run parameters."""

    long_view_from: int  # first year (1 January) of the long-run table and figure
    movement_years: int  # years of 人口の動き in the movement table and figure (the latest ones)
    foreign_years: int  # reference dates (1 January) of the foreign-resident trend
    tokyo_code: str  # 東京都 (総数) in the 東京都 tables
    shibu_code: str  # 東京都市部 (26市の計) in the 東京都 tables
    flat_share: float  # a change within this share of the series' level reads as 横ばい
    phase_share: float  # the long-run narrative ignores reversals smaller than this share of the level

    def check(self) -> str | None:
        for code in (self.tokyo_code, self.shibu_code):
            if not (len(code) == 5 and code.isdigit()):
                return f"地域コードは5桁の数字です（実際: {code!r}）"
        if not 1900 <= self.long_view_from <= 2100:
            return f"long_view_from は西暦の年です（実際: {self.long_view_from}）"
        if self.movement_years < 2 or self.foreign_years < 2:
            return "movement_years と foreign_years は2以上です"
        if not 0 <= self.flat_share < 0.1 or not 0 <= self.phase_share < 0.1:
            return "flat_share と phase_share は0以上0.1未満の割合です"
        return None


#: The parameters block of this topic (``households:`` in params/FY*.yaml).
PARAMS = HouseholdsParams


# --- the section's data -------------------------------------------------------------------
@dataclass(frozen=True)
class HouseholdsData:
    """What the section's tables use, restricted to the run (the latest 1 January on or before the
    fiscal year's 1 April, as for the population sections).

    - ``long_view``: one row per year (1 January) from ``long_view_from``: ``year, total, foreign``
      (the city; ``foreign`` NA before 平成25), ``aged_pct`` (第9表, percent, NA if absent),
      ``shibu``, ``tokyo`` (totals for the index columns; NA where absent).
    - ``movement``: the city's 人口の動き, one row per year (the latest ``movement_years``).
    - ``census``: the latest census's 一般世帯 by family type (wide: one row per area, columns the
      type codes) for the city, 東京都市部 (the sum of the 26 市, when all are present), 東京都.
    - ``foreign``: per reference date of 第7表: the city's, 東京都市部's and 東京都's total and
      foreign residents.
    - ``breakdown``: the city's year totals of 人口の動き's monthly tables (出生数, 死亡数, 自然増減,
      都内間移動増減, その他の増減) by 総数/日本人/外国人, for the latest year available (``breakdown_year``).
    """

    params: Params
    settings: HouseholdsParams
    latest: pd.Timestamp
    long_view: pd.DataFrame
    long_view_first_available: int | None
    movement: pd.DataFrame
    census: pd.DataFrame
    census_date: pd.Timestamp | None
    foreign: pd.DataFrame
    breakdown: pd.DataFrame  # the city's year totals of the monthly tables: index item, columns 総数/日本人/外国人
    breakdown_year: int | None

    @property
    def city_name(self) -> str:
        return self.params.city.name

    @property
    def city_code(self) -> str:
        return self.params.city.area_code


def label_jan(year: int) -> str:
    """1 January of ``year`` in 和暦: 昭和60年1月1日, 昭和64年1月1日, 平成31年1月1日."""
    return calendar.wareki_date(dt.date(int(year), 1, 1))


def label_year(year: int) -> str:
    """A calendar year's movement: 令和7年, 令和元年 (2019)."""
    return calendar.wareki_year(int(year))


def label_date(date: pd.Timestamp | dt.date) -> str:
    return calendar.wareki_date(pd.Timestamp(date).date())


def short_year(year: int) -> str:
    """Axis ticks: S60\\n1985."""
    return f"{calendar.short_wareki(dt.date(int(year), 1, 1))}\n{int(year)}"


def cite_two(first: str, second: str, detail: str) -> str:
    """One 出典 line for two tables: 出典：東京都総務局統計部「…」時系列 第2表・第9表（detail) when both are
    of one publication (the same text up to its closing 」), else 出典：A、B（detail）."""
    a, b = source(first).source_ja, source(second).source_ja
    cut = a.rfind("」") + 1
    if cut and b[:cut] == a[:cut]:
        rest_b = b[cut:].strip()
        common = a[cut:].strip().split(" ")[0] if " " in a[cut:].strip() else ""
        tail_b = rest_b[len(common):].strip() if common and rest_b.startswith(common) else rest_b
        return f"{citation(first)}・{tail_b}（{detail}）"
    return f"{citation(first)}、{b}（{detail}）"


def missing_sentence(what: str, source_id: str) -> str:
    """The sentence shown instead of a table whose raw data are not in the data folder."""
    return f"{what}は、{source(source_id).title_ja}のデータがないため掲載していません。"


def compare_phrase(city: float, others: list[tuple[str, float]], fmt: Callable[[float], str]) -> str:
    """「東京都市部（42.0％）を上回り、東京都（50.3％）を下回っています」, or 「東京都市部（…）、東京都（…）を
    いずれも上回っています」 when the city stands on the same side of both (shares compared as printed)."""
    sides = []
    for _name, v in others:
        d = numbers.pct_diff(city, v)
        sides.append("up" if d > 0 else "down" if d < 0 else "same")
    shown = [f"{name}（{fmt(v)}）" for name, v in others]
    final = {"up": "を上回っています", "down": "を下回っています", "same": "と同じ水準となっています"}
    if len(others) > 1 and len(set(sides)) == 1:
        return "、".join(shown) + final[sides[0]].replace("を", "をいずれも", 1).replace("と同じ", "といずれも同じ", 1)
    going = {"up": "を上回り", "down": "を下回り", "same": "と同じ水準で"}
    parts = [s + going[side] for s, side in zip(shown[:-1], sides[:-1], strict=True)]
    return "、".join([*parts, shown[-1] + final[sides[-1]]])


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> HouseholdsData:
    """The section's data from its declared inputs (source id → tidy frame)."""
    settings = params.topic(HouseholdsParams)
    tokyo = inputs[TOKYO]
    dates = sorted({pd.Timestamp(d).date() for d in tokyo["date"].unique()})
    try:
        latest = pd.Timestamp(calendar.latest_register_date(params.fiscal_year, dates))
    except ValueError as exc:
        raise KomaeError(str(exc)) from None
    long_view, first_available = _long_view(params, settings, inputs[TIMESERIES], inputs[AGED], latest.year)
    census, census_date = _census(params, inputs[CENSUS], latest)
    breakdown, breakdown_year = _breakdown(params, inputs[MONTHLY], latest)
    return HouseholdsData(
        params=params,
        settings=settings,
        latest=latest,
        long_view=long_view,
        long_view_first_available=first_available,
        movement=_movement(params, settings, inputs[MOVEMENT], latest),
        census=census,
        census_date=census_date,
        foreign=_foreign(params, settings, tokyo, latest),
        breakdown=breakdown,
        breakdown_year=breakdown_year,
    )


# --- the long-run series ------------------------------------------------------------------------
def _long_view(params: Params, settings: HouseholdsParams, ts: pd.DataFrame, aged: pd.DataFrame,
               last_year: int) -> tuple[pd.DataFrame, int | None]:
    columns = ["year", "total", "foreign", "aged_pct", "shibu", "tokyo"]
    if ts.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64") for c in columns}), None
    city = params.city.area_code
    total = ts[(ts["nationality"] == "総数") & (ts["sex"] == "計")]
    if city not in set(total["area_code"]):
        raise KomaeError(f"時系列 第2表に{params.city.name}（地域コード {city}）の行がありません")
    years = sorted(int(y) for y in total.loc[total["area_code"] == city, "year"].unique() if y <= last_year)
    if not years or years[-1] != last_year:
        have = f"{years[-1]}年" if years else "なし"
        raise KomaeError(f"時系列 第2表に{label_jan(last_year)}の人口がありません（最後の年: {have}）。"
                         "その年の1月の公表のファイルを置いてください")
    keep = [y for y in years if y >= settings.long_view_from]

    def series(frame: pd.DataFrame, code: str, value: str) -> pd.Series:
        s = frame[frame["area_code"] == code].set_index("year")[value]
        return s.reindex(keep)

    foreign = ts[(ts["nationality"] == "外国人") & (ts["sex"] == "計")]
    if aged.empty:
        aged_city = pd.Series(pd.NA, index=keep, dtype="Float64")
    else:
        a = aged[(aged["base"] == "総数") & (aged["sex"] == "計")]
        aged_city = series(a, city, "aged_pct").astype("Float64")
    out = pd.DataFrame({
        "year": keep,
        "total": series(total, city, "population").to_numpy(),
        "foreign": series(foreign, city, "population").astype("Int64").to_numpy(),
        "aged_pct": aged_city.to_numpy(),
        "shibu": series(total, settings.shibu_code, "population").astype("Int64").to_numpy(),
        "tokyo": series(total, settings.tokyo_code, "population").astype("Int64").to_numpy(),
    })
    out["total"] = out["total"].astype("Int64")
    return out, years[0]


# --- 人口の動き ---------------------------------------------------------------------------------
def _movement(params: Params, settings: HouseholdsParams, mv: pd.DataFrame, latest: pd.Timestamp) -> pd.DataFrame:
    city = mv[(mv["area_code"] == params.city.area_code) & (mv["date"] <= latest)]
    if mv.empty or city.empty:
        if not mv.empty:
            raise KomaeError(f"人口の動き 第1表に{params.city.name}（地域コード {params.city.area_code}）の行がありません")
        return city.assign(in_total=pd.Series(dtype="Int64"), out_total=pd.Series(dtype="Int64"),
                           social_total=pd.Series(dtype="Int64"))
    city = city.sort_values("year").tail(settings.movement_years).reset_index(drop=True)
    city["in_total"] = city["social_in"] + city["intra_in"]
    city["out_total"] = city["social_out"] + city["intra_out"]
    city["social_total"] = city["social"] + city["intra"]
    return city


# --- 国勢調査 -----------------------------------------------------------------------------------
def _census(params: Params, census: pd.DataFrame, latest: pd.Timestamp) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    if census.empty:
        return pd.DataFrame(), None
    date = pd.Timestamp(census["date"].max())
    totals = census[(census["date"] == date) & (census["household_size"] == 0)]
    wide = totals.pivot(index="area_code", columns="family_type_code", values="households")
    names = totals.drop_duplicates("area_code").set_index("area_code")["area_name"]
    city = params.city.area_code
    if city not in wide.index:
        raise KomaeError(f"国勢調査 第10表に{params.city.name}（地域コード {city}）の行がありません")
    rows = {city: (params.city.name, wide.loc[city])}
    shibu = [a.code for a in shibu_cities()]
    if all(c in wide.index for c in shibu):
        rows["13200"] = ("東京都市部", wide.loc[shibu].sum(min_count=len(shibu)))
    if "13000" in wide.index:
        rows["13000"] = (str(names["13000"]), wide.loc["13000"])
    frame = pd.DataFrame({code: values for code, (_n, values) in rows.items()}).T
    frame.insert(0, "area_name", [n for n, _v in rows.values()])
    frame.index.name = None
    return frame, date


# --- 人口の動き (monthly tables): the year's totals by nationality --------------------------------
def _breakdown(params: Params, monthly: pd.DataFrame, latest: pd.Timestamp) -> tuple[pd.DataFrame, int | None]:
    """The city's year totals by item and nationality for the latest year ending before ``latest``.
    出生数 − 死亡数 must equal 自然増減 in every month and nationality (three files of one year)."""
    city = monthly[(monthly["area_code"] == params.city.area_code) & (monthly["year"] < latest.year)]
    if city.empty:
        if not monthly.empty and (monthly["year"] < latest.year).any():
            raise KomaeError(f"人口の動きの月別の表に{params.city.name}（地域コード {params.city.area_code}）の行がありません")
        return pd.DataFrame(), None
    year = int(city["year"].max())
    city = city[city["year"] == year]
    cells = city.set_index(["item", "nationality", "month"])["value"]
    items = set(city["item"])
    if {"出生数", "死亡数", "自然増減"} <= items:
        for (nationality, month), natural in cells.loc["自然増減"].items():
            births, deaths = cells.get(("出生数", nationality, month)), cells.get(("死亡数", nationality, month))
            if pd.isna(natural) or births is None or deaths is None or pd.isna(births) or pd.isna(deaths):
                continue
            if births - deaths != natural:
                when = f"{month}月" if month else "年計"
                raise KomaeError(
                    f"人口の動き（{label_year(year)}中）の月別の表で、{params.city.name}の{nationality}の{when}の出生数－死亡数"
                    f"（{births}－{deaths}＝{births - deaths}）が自然増減（{natural}）と合いません")
    year_totals = city[city["month"] == 0].pivot(index="item", columns="nationality", values="value")
    return year_totals.reindex(columns=["総数", "日本人", "外国人"]), year


# --- 外国人住民 ---------------------------------------------------------------------------------
def _foreign(params: Params, settings: HouseholdsParams, tokyo: pd.DataFrame, latest: pd.Timestamp) -> pd.DataFrame:
    codes = [params.city.area_code, settings.shibu_code, settings.tokyo_code]
    t = tokyo[tokyo["area_code"].isin(codes) & (tokyo["date"] <= latest)]
    dates = sorted(t["date"].unique())[-settings.foreign_years:]
    t = t[t["date"].isin(dates)]
    g = t.groupby(["date", "area_code", "nationality"], observed=True)["population"].sum().unstack("nationality")
    g = g.reindex(columns=["日本人", "外国人"], fill_value=0)
    out = pd.DataFrame({"total": g["日本人"] + g["外国人"], "foreign": g["外国人"]}).reset_index()
    missing = [c for c in codes if c not in set(out.loc[out["date"] == latest, "area_code"])]
    if missing:
        raise KomaeError(f"東京都 第7表（{label_date(latest)}）に地域コード {'、'.join(missing)} の行がありません")
    out["share"] = out["foreign"] / out["total"]
    return out


__all__ = [
    "AGED",
    "CENSUS",
    "FOREIGN_FROM",
    "MONTHLY",
    "MOVEMENT",
    "PARAMS",
    "TIMESERIES",
    "TOKYO",
    "HouseholdsData",
    "HouseholdsParams",
    "cite_two",
    "compare_phrase",
    "label_date",
    "label_jan",
    "label_year",
    "missing_sentence",
    "prepare",
    "short_year",
]
