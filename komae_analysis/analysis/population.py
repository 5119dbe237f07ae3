"""第1節 第2款「統計から見る現状」: population and households.

Pure functions from the tidy register frames to appendix tables, figures and generated
commentary. Komae's own figures (by 町丁目, single-year age, households) come from the city's
register export; the comparison with 東京都, 東京都市部 and other municipalities uses 東京都 第7表
for every area alike, so that the rates compared are computed the same way.

Definitions: 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+,
後期高齢者 75+; 高齢化率 = 65+ / 総人口, 後期高齢者率 = 75+ / 総人口 (総人口 includes 年齢不詳, which
belongs to no age group). Rates are fractions here; tables print them as percentages.

Rules the pages keep (checked by tests/sections):

- every number in the commentary is printed in a table of the same section, formatted by
  :mod:`komae_analysis.report.numbers` (the one rounding rule);
- a difference printed beside two printed values is the difference of the printed values
  (:func:`~komae_analysis.report.numbers.pct_diff`);
- a 構成比 column whose printed shares do not add up to 100.0 carries
  :data:`~komae_analysis.report.numbers.SHARE_NOTE`;
- the comparison municipalities follow the rule in the ``population:`` parameters, and the table's
  注 states it.

Tables and figures are returned without numbers: the section context numbers them in display order.
Figures are drawn with :mod:`komae_analysis.report.charts`; matplotlib itself is imported there, only
when a figure is drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis import calendar, reference
from komae_analysis.analysis import trends
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params
from komae_analysis.report import numbers
from komae_analysis.report.charts import (
    PALETTE,
    SEX_COLORS,
    AppendixFigure,
    label_ends,
    new_figure,
    percent,
    right_axis,
    thousands,
)
from komae_analysis.report.numbers import SHARE_NOTE, count, dec, pct, shares_add_up
from komae_analysis.report.tables import AppendixTable

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


# --- 1 人口・世帯の推移 (02a) -----------------------------------------------------------------
def trend_table(data: PopulationData) -> AppendixTable:
    s = city_summary(data)
    change = s["total"].diff()
    frame = pd.DataFrame(
        {
            "基準日": [label_date(d) for d in s["date"]],
            "総人口": s["total"],
            "前年からの増減": pd.array([pd.NA, *change.iloc[1:].astype("int64")], dtype="Int64"),
            "年少人口（0～14歳）": s["age0_14"],
            "生産年齢人口（15～64歳）": s["age15_64"],
            "老年人口（65歳以上）": s["age65"],
            "うち後期高齢者（75歳以上）": s["age75"],
            "高齢化率": s["aging_rate"],
            "後期高齢者率": s["late_rate"],
            "世帯数": s["households"],
            "1世帯当たり人員": s["persons_per_household"],
        }
    )
    return AppendixTable(
        title=f"総人口・年齢3区分別人口・世帯数の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=source_register(),
        notes=[
            "高齢化率＝65歳以上人口÷総人口、後期高齢者率＝75歳以上人口÷総人口。",
            "1世帯当たり人員＝総人口÷世帯数。",
            *_short_trend_note(data),
        ],
        formats={"前年からの増減": "int", "高齢化率": "pct", "後期高齢者率": "pct", "1世帯当たり人員": "dec2"},
    )


def _people(x: float) -> str:
    return count(x, "人")


def trend_text(data: PopulationData) -> str:
    """The total's course (peak, turning, the latest run), then the 75+ population."""
    s = city_summary(data).set_index("date")
    total = s["total"]
    first, last = data.dates[0], data.latest
    tol = _flat_tolerance(data, total)
    p = trends.peak(total, tolerance=tol)
    run = trends.latest_run(total, tolerance=tol)
    text = f"総人口は、{trends.peak_phrase(p, when=label_date, fmt=_people)}。"
    if not p.is_latest and data.previous is not None:
        streak = trends.run_phrase(run)
        text += (f"{label_date(last)}現在は{_people(total[last])}で、前年から"
                 f"{trends.change_phrase(total[last] - total[data.previous])}しました")
        text += f"（{streak}）。" if streak and run is not None and run.direction == trends.DOWN else "。"
    old = s["age75"]
    old_run = trends.latest_run(old)
    streak = trends.run_phrase(old_run)
    verb = "増加" if old[last] > old[first] else "減少" if old[last] < old[first] else "横ばいで推移"
    text += (
        f"一方、75歳以上の後期高齢者は{label_date(first)}の{_people(old[first])}から{label_date(last)}の"
        f"{_people(old[last])}へ{verb}し"
    )
    if streak and old_run is not None and old_run.start_at == first:
        text += f"（{streak}）"
    text += f"、後期高齢者率は{_rate_course(s.loc[first, 'late_rate'], s.loc[last, 'late_rate'])}。"
    text += aging_phrase(data, s["aging_rate"])
    return text


def aging_phrase(data: PopulationData, rate: pd.Series) -> str:
    """高齢化率's course: a turn (bottom or top) inside the period, else from first to latest."""
    first, last = data.dates[0], data.latest
    low = trends.trough(rate)
    high = trends.peak(rate)
    if not low.is_first and not low.is_latest and numbers.pct_diff(rate[last], low.value) > 0:
        return (f"高齢化率は、{trends.peak_phrase(low, when=label_date, fmt=pct, up='上昇', down='低下')}。"
                f"{label_date(last)}現在は{pct(rate[last])}です。")
    if not high.is_first and not high.is_latest and numbers.pct_diff(rate[last], high.value) < 0:
        return (f"高齢化率は、{trends.peak_phrase(high, when=label_date, fmt=pct, up='上昇', down='低下')}。"
                f"{label_date(last)}現在は{pct(rate[last])}です。")
    return f"高齢化率は{label_date(first)}から{label_date(last)}にかけて{_rate_course(rate[first], rate[last])}。"


def _rate_course(then: float, now: float, *, final: bool = True) -> str:
    """Two shares as printed and the move between them: 「12.0％から14.7％に上昇しています」, or
    「26.3％で横ばいとなっています」 when they print alike; ``final=False`` gives the continuing form
    (上昇し / 横ばいとなり) for joining clauses."""
    d = numbers.pct_diff(now, then)
    if d == 0:
        return f"{pct(now)}で横ばいと{'なっています' if final else 'なり'}"
    verb = "上昇" if d > 0 else "低下"
    return f"{pct(then)}から{pct(now)}に{verb}{'しています' if final else 'し'}"


def household_text(data: PopulationData) -> str:
    """Households rising while the population falls: 世帯の小規模化, read from persons per household."""
    s = city_summary(data).set_index("date")
    first, last = data.dates[0], data.latest
    hh = s["households"]
    run = trends.latest_run(hh, tolerance=_flat_tolerance(data, hh))
    streak = trends.run_phrase(run)
    pph_then, pph_now = s.loc[first, "persons_per_household"], s.loc[last, "persons_per_household"]
    text = (f"世帯数は{label_date(first)}の{count(hh[first], '世帯')}から{label_date(last)}の"
            f"{count(hh[last], '世帯')}へ{'増加' if hh[last] > hh[first] else '減少'}しており")
    if streak and run is not None and run.start_at == first:
        text += f"（{streak}）"
    text += f"、1世帯当たり人員は{dec(pph_then, 2)}人から{dec(pph_now, 2)}人に"
    if numbers.diff_of_shown(pph_now, pph_then, 2) < 0:
        text += "減っています。"
        total = s["total"]
        if total[last] < trends.peak(total).value and hh[last] > hh[first]:
            text += "人口が減少に転じた後も世帯数は増え続けており、世帯の小規模化が進んでいます。"
        else:
            text += "世帯の小規模化が進んでいます。"
    else:
        text += "なっています。"
    return text


def trend_figure(data: PopulationData) -> AppendixFigure:
    s = city_summary(data)
    fig = new_figure(8, 4.6)
    ax = fig.add_subplot()
    x = np.arange(len(s))
    bottom = np.zeros(len(s))
    colors = (PALETTE[2], PALETTE[0], PALETTE[1])
    for (label, key), color in zip(AGE_GROUPS, colors, strict=True):
        ax.bar(x, s[key], bottom=bottom, color=color, label=label, width=0.65)
        bottom += s[key].to_numpy()
    ax.set_xticks(x, _tick_labels(list(s["date"])))
    ax.set_ylabel("人口（人）")
    thousands(ax, "y")
    ax2 = right_axis(ax)
    line_label = "高齢化率（右目盛）"
    ax2.plot(x, s["aging_rate"], color=PALETTE[3], marker="o", label=line_label)
    label_ends(ax2, x, s["aging_rate"], pct, color=PALETTE[3])
    percent(ax2, "y", decimals=0)
    # the line runs above the bars: bars in the lower ~60% of the height, the line in the top band
    ax.set_ylim(0, bottom.max() * 1.6)
    lo, hi = float(s["aging_rate"].min()), float(s["aging_rate"].max())
    span = max(hi - lo, 0.01) / 0.22
    ax2.set_ylim(lo - 0.68 * span, lo - 0.68 * span + span)
    ax2.set_ylabel("高齢化率")
    bars, bar_labels = ax.get_legend_handles_labels()
    lines, line_labels = ax2.get_legend_handles_labels()
    # legend top to bottom as the bars are stacked (老年 on top), then the line
    ax.legend(bars[::-1] + lines, bar_labels[::-1] + line_labels, loc="upper left",
              bbox_to_anchor=(1.1, 1.0), frameon=False)
    ax.set_xlabel("各年1月1日")
    first, last = s.iloc[0], s.iloc[-1]
    stacked = "・".join(label for label, _ in AGE_GROUPS[::-1])
    return AppendixFigure(
        title=f"年齢3区分別人口と高齢化率の推移（{data.city_name}）",
        figure=fig,
        alt=(
            f"{label_date(first['date'])}から{label_date(last['date'])}までの各年1月1日の人口を、上から"
            f"{stacked}の順に積み上げた棒グラフと、高齢化率の折れ線グラフ（右目盛）。総人口は"
            f"{_people(first['total'])}から{_people(last['total'])}、高齢化率は{pct(first['aging_rate'])}から"
            f"{pct(last['aging_rate'])}。"
        ),
        source=source_register(),
        notes=_short_trend_note(data),
    )


# --- 2 東京都・東京都市部との比較 (02a) ---------------------------------------------------------
def area_names(data: PopulationData) -> dict[str, str]:
    """area code → the name used on the pages: 第7表 calls the prefecture 総数 and the 26 cities 市部."""
    names = data.tokyo.drop_duplicates("area_code").set_index("area_code")["area_name"].astype(str).str.strip()
    out = names.to_dict()
    out[data.settings.tokyo_code] = "東京都"
    out[data.settings.shibu_code] = "東京都市部"
    return out


def _reference_areas(data: PopulationData) -> list[tuple[str, str]]:
    names = area_names(data)
    return [(c, names[c]) for c in (data.params.city.area_code, data.settings.tokyo_code, data.settings.shibu_code)]


def _rate_series(s: pd.DataFrame, code: str, rate: str) -> pd.Series:
    return s[s["area_code"] == code].set_index("date")[rate]


def comparison_trend_table(data: PopulationData) -> AppendixTable:
    s = area_summary(data)
    areas = _reference_areas(data)
    cols: dict[str, object] = {"基準日": [label_date(d) for d in data.dates]}
    for rate, label in (("aging_rate", "高齢化率"), ("late_rate", "後期高齢者率")):
        for code, name in areas:
            series = _rate_series(s, code, rate)
            cols[f"{label}（{name}）"] = [series[d] for d in data.dates]
    frame = pd.DataFrame(cols)
    return AppendixTable(
        title="高齢化率・後期高齢者率の推移（" + "・".join(n for _, n in areas) + "）",
        frame=frame,
        unit="単位：％",
        source=source_tokyo(),
        notes=["東京都市部は都内26市の合計。総人口には年齢不詳を含む。", *_short_trend_note(data)],
        formats={c: "pct" for c in frame.columns if c != "基準日"},
    )


def comparison_text(data: PopulationData) -> str:
    s = area_summary(data)
    (city, city_name), (tokyo, tokyo_name), (shibu, shibu_name) = _reference_areas(data)
    first, last = data.dates[0], data.latest
    rate = {code: _rate_series(s, code, "aging_rate") for code in (city, tokyo, shibu)}
    c, t, sh = rate[city][last], rate[tokyo][last], rate[shibu][last]

    def rel(a: float, b: float) -> str:
        d = numbers.pct_diff(a, b)
        return "上回って" if d > 0 else "下回って" if d < 0 else "同じ水準となって"

    text = (
        f"{label_date(last)}現在の{city_name}の高齢化率は{pct(c)}で、{tokyo_name}（{pct(t)}）を{rel(c, t)}おり、"
        f"{shibu_name}（{pct(sh)}）を{rel(c, sh)}います。"
    )
    areas = ((city, city_name), (tokyo, tokyo_name), (shibu, shibu_name))
    moves = [f"{name}は{_rate_course(rate[code][first], rate[code][last], final=i == len(areas) - 1)}"
             for i, (code, name) in enumerate(areas)]
    text += f"{label_date(first)}からの推移をみると、" + "、".join(moves) + "。"
    return text


def comparison_figure(data: PopulationData) -> AppendixFigure:
    s = area_summary(data)
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(data.dates))
    markers = ("o", "s", "^")
    areas = _reference_areas(data)
    latest = {}
    for i, (code, name) in enumerate(areas):
        series = _rate_series(s, code, "aging_rate")
        y = [series[d] for d in data.dates]
        latest[code] = y[-1]
        ax.plot(x, y, marker=markers[i], color=PALETTE[i], label=name, linewidth=2.4 if i == 0 else 1.6)
        label_ends(ax, x, y, pct, color=PALETTE[i])
    ax.set_xticks(x, _tick_labels(data.dates))
    percent(ax, "y", decimals=0)
    plotted = s[s["area_code"].isin([c for c, _ in areas]) & s["date"].isin(data.dates)]["aging_rate"]
    lo, hi = plotted.min(), plotted.max()
    ax.set_ylim(lo - 0.01, hi + 0.015)
    ax.set_ylabel("高齢化率")
    ax.set_xlabel("各年1月1日")
    # legend from the highest line to the lowest on the latest date, as the lines are stacked
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(areas)), key=lambda i: -latest[areas[i][0]])
    ax.legend([handles[i] for i in order], [labels[i] for i in order], frameon=False, loc="upper left")
    shown = [areas[i] for i in order]
    return AppendixFigure(
        title="高齢化率の推移（" + "・".join(n for _, n in areas) + "）",
        figure=fig,
        alt=(
            f"{label_date(data.dates[0])}から{label_date(data.latest)}までの高齢化率の折れ線グラフ。"
            f"{label_date(data.latest)}の値の高い順に"
            + "、".join(f"{n}{pct(latest[c])}" for c, n in shown)
            + "。"
        ),
        source=source_tokyo(),
        notes=["東京都市部は都内26市の合計。", *_short_trend_note(data)],
    )


# --- 3 年齢構成 (02a) -------------------------------------------------------------------------
def _age5(frame: pd.DataFrame) -> pd.DataFrame:
    """Single-year register rows → 5-year classes (0～4 … 95～99, 100歳以上) by sex."""
    age = frame["age_from"].astype("int64")
    cls = np.minimum(age // 5 * 5, 100)
    df = pd.DataFrame({"cls": cls, "sex": frame["sex"].astype(str), "population": frame["population"]})
    out = df.pivot_table(index="cls", columns="sex", values="population", aggfunc="sum", fill_value=0)
    return out.reindex(columns=["男", "女"], fill_value=0).astype("int64")


def _age_label(cls: int) -> str:
    return "100歳以上" if cls >= 100 else f"{cls}～{cls + 4}歳"


def _age5_pair(data: PopulationData) -> tuple[pd.DataFrame, pd.DataFrame]:
    now = _age5(data.register[data.register["date"] == data.latest])
    then = _age5(data.register[data.register["date"] == data.compare]).reindex(now.index, fill_value=0)
    return now, then


def age_sex_table(data: PopulationData) -> AppendixTable:
    now, then = _age5_pair(data)
    total_now = now.sum(axis=1)
    total_then = then.sum(axis=1)
    then_col = f"{_era_year(data.compare)}の計"
    shares = (total_now / total_now.sum()).to_numpy()
    frame = pd.DataFrame(
        {
            "年齢": [_age_label(c) for c in now.index],
            "男": now["男"].to_numpy(),
            "女": now["女"].to_numpy(),
            "計": total_now.to_numpy(),
            "構成比": shares,
            then_col: total_then.to_numpy(),
            "増減": (total_now - total_then).to_numpy(),
        }
    )
    totals = {
        "年齢": "総数", "男": frame["男"].sum(), "女": frame["女"].sum(), "計": frame["計"].sum(), "構成比": 1.0,
        then_col: total_then.sum(), "増減": frame["増減"].sum(),
    }
    frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    notes = [f"「{then_col}」は{label_date(data.compare)}現在、増減はそこからの増減。"]
    if not shares_add_up(shares):
        notes.append(SHARE_NOTE)
    return AppendixTable(
        title=f"年齢5歳階級別・男女別人口（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％",
        source=source_register(),
        notes=notes,
        formats={"構成比": "pct"},
        total_rows=[-1],
    )


def _outline(values: np.ndarray, y: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of a stepped outline through ``values`` at ``y`` (one per class, spaced 1):
    vertical at each value across its class, horizontal between classes, starting and ending at the
    bar edges (``half`` = half the bar height) rather than half a class beyond."""
    xs, ys = [], []
    n = len(values)
    for i in range(n):
        lo = y[i] - (half if i == 0 else 0.5)
        hi = y[i] + (half if i == n - 1 else 0.5)
        xs += [values[i], values[i]]
        ys += [lo, hi]
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def pyramid_figure(data: PopulationData) -> AppendixFigure:
    now, then = _age5_pair(data)
    fig = new_figure(8, 6)
    ax = fig.add_subplot()
    y = np.arange(len(now))
    height = 0.8
    ax.barh(y, -now["男"], color=SEX_COLORS["男"], height=height, label=f"男（{label_date(data.latest)}）")
    ax.barh(y, now["女"], color=SEX_COLORS["女"], height=height, label=f"女（{label_date(data.latest)}）")
    xm, ym = _outline(-then["男"].to_numpy(), y, height / 2)
    ax.plot(xm, ym, color="#222222", linewidth=1.2, label=f"{label_date(data.compare)}（男女とも）")
    xf, yf = _outline(then["女"].to_numpy(), y, height / 2)
    ax.plot(xf, yf, color="#222222", linewidth=1.2)
    ax.set_yticks(y, [_age_label(c) for c in now.index])
    ax.set_ylim(y[0] - 0.6, y[-1] + 0.6)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    lim = max(now.to_numpy().max(), then.to_numpy().max()) * 1.1
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ax.set_xlabel("人口（人）　←男　　女→")
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(t) for t in labels if t.startswith("男")] + \
        [labels.index(t) for t in labels if t.startswith("女")] + \
        [labels.index(t) for t in labels if not t.startswith(("男", "女"))]
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper right", frameon=False,
              fontsize=9)  # as the alt text reads: bars (男, 女), then the comparison line
    peak = int(now.sum(axis=1).idxmax())
    return AppendixFigure(
        title=f"人口ピラミッド（{label_date(data.latest)}と{label_date(data.compare)}の比較）",
        figure=fig,
        alt=(
            f"5歳階級別・男女別の人口ピラミッド（左が男、右が女、下から0～4歳、最上段が{_age_label(int(now.index[-1]))}）。"
            f"棒が{label_date(data.latest)}、黒い線が{label_date(data.compare)}。"
            f"{label_date(data.latest)}に最も人口が多い階級は{_age_label(peak)}（{_people(now.sum(axis=1)[peak])}）。"
        ),
        source=source_register(),
    )


def _birth_years(date: pd.Timestamp, cls: int, width: int = 5) -> tuple[int, int]:
    """Birth years of the people in age class ``cls``–``cls+width-1`` on 1 January of ``date``'s
    year (on 1 January, age x was born in year − x − 1, give or take a New Year's Day birthday)."""
    year = pd.Timestamp(date).year
    return year - cls - width, year - cls - 1


def _cohort_name(date: pd.Timestamp, cls: int) -> str:
    """団塊の世代 etc. when the class on ``date`` holds most of a named cohort's birth years."""
    lo, hi = _birth_years(date, cls)
    for name, first, last in NAMED_COHORTS:
        overlap = min(hi, last) - max(lo, first) + 1
        if overlap * 2 > last - first + 1:
            return name
    return ""


def pyramid_text(data: PopulationData) -> str:
    """The largest class, and the largest decrease and increase explained as cohorts moving up: the
    people in class a on the comparison date are in class a+k now (k = the years between)."""
    now, then = _age5_pair(data)
    now_t, then_t = now.sum(axis=1), then.sum(axis=1)
    k = data.settings.pyramid_compare_years
    frame = pd.DataFrame({"then": then_t, "now": now_t}).T  # classes as columns, for trends.movers
    frame.index = [data.compare, data.latest]
    ranked = trends.movers(frame)
    up, down = ranked[0], ranked[-1]
    peak = int(now_t.idxmax())
    then_label = label_date(data.compare)
    text = (f"{label_date(data.latest)}現在、人口が最も多い年齢階級は{_age_label(peak)}（{_people(now_t[peak])}）です。"
            f"{then_label}と比べると、")
    parts = []
    if down.change < 0:
        a = int(down.key)
        part = f"最も減ったのは{_age_label(a)}（{_people(-down.change)}減少）"
        moved_to = a + k
        if k % 5 == 0 and moved_to in now_t.index and a - k in then_t.index \
                and then_t[a - k] < then_t[a] and now_t[moved_to] > then_t[moved_to]:
            # class a lost its large cohort to a + k and received the smaller one from a − k
            name = _cohort_name(data.latest, moved_to)
            who = f"人口の多い世代（{name}を含む）" if name else "人口の多い世代"
            part += (f"で、{then_label}に{_age_label(a)}だった{who}が{_age_label(moved_to)}に移ったためです。"
                     f"{_age_label(moved_to)}は{_people(now_t[moved_to] - then_t[moved_to])}増加しています")
        else:
            part += "です"
        parts.append(part)
    if up.change > 0:
        b = int(up.key)
        part = f"最も増えたのは{_age_label(b)}（{_people(up.change)}増加）"
        came_from = b - k
        if k % 5 == 0 and came_from in then_t.index and then_t[came_from] > then_t[b]:
            name = _cohort_name(data.latest, b)
            who = f"人口の多い世代（{name}を含む）" if name else "人口の多い世代"
            part += (f"で、{then_label}に{_age_label(came_from)}だった{who}"
                     f"（{_people(then_t[came_from])}）がこの階級に移ったためです")
        else:
            part += "です"
        parts.append(part)
    if not parts:
        return text.rstrip("、") + "、年齢階級別の人口に増減はありません。"
    return text + "。".join(parts) + "。"


# --- 1 日常生活圏域 (02b) --------------------------------------------------------------------
def daily_life_area_table(data: PopulationData) -> AppendixTable:
    now = area_of_daily_life_summary(data, data.latest)
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    areas = {a.key: a for a in daily_life_areas()}
    cmp_label = _era_year(data.compare)
    then_rate = now["area"].map(then["aging_rate"])
    c = city_summary(data, with_compare=True).set_index("date")
    frame = pd.DataFrame(
        {
            "日常生活圏域": [areas[a].official_name for a in now["area"]],
            "町名": ["・".join(areas[a].towns) for a in now["area"]],
            "総人口": now["total"],
            "65歳以上": now["age65"],
            "75歳以上": now["age75"],
            "高齢化率": now["aging_rate"],
            "後期高齢者率": now["late_rate"],
            "世帯数": now["households"],
            f"{cmp_label}の高齢化率": then_rate,
            "高齢化率の差（ポイント）": [float(numbers.pct_diff(a, b)) for a, b in zip(now["aging_rate"], then_rate,
                                                                                 strict=True)],
        }
    )
    latest, compare = c.loc[data.latest], c.loc[data.compare]
    total = {
        "日常生活圏域": "市全体", "町名": "", "総人口": int(latest["total"]), "65歳以上": int(latest["age65"]),
        "75歳以上": int(latest["age75"]), "高齢化率": latest["aging_rate"], "後期高齢者率": latest["late_rate"],
        "世帯数": int(latest["households"]), f"{cmp_label}の高齢化率": compare["aging_rate"],
        "高齢化率の差（ポイント）": float(numbers.pct_diff(latest["aging_rate"], compare["aging_rate"])),
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return AppendixTable(
        title=f"日常生活圏域別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％、ポイント",
        source=source_register(),
        notes=[
            _mapping_note(),
            f"「{cmp_label}の高齢化率」は{label_date(data.compare)}現在。高齢化率の差は、表示した高齢化率の差。",
        ],
        formats={"高齢化率": "pct", "後期高齢者率": "pct", f"{cmp_label}の高齢化率": "pct",
                 "高齢化率の差（ポイント）": "dec1"},
        total_rows=[-1],
    )


def daily_life_area_text(data: PopulationData) -> str:
    now = area_of_daily_life_summary(data, data.latest).set_index("area")
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    names = {a.key: a.official_name for a in daily_life_areas()}
    hi, lo = now["aging_rate"].idxmax(), now["aging_rate"].idxmin()
    diffs = {a: numbers.pct_diff(now.loc[a, "aging_rate"], then.loc[a, "aging_rate"]) for a in now.index}
    fastest = max(diffs, key=lambda a: diffs[a])
    text = (
        f"日常生活圏域別にみると、高齢化率が最も高いのは{names[hi]}の圏域（{pct(now.loc[hi, 'aging_rate'])}）、"
        f"最も低いのは{names[lo]}の圏域（{pct(now.loc[lo, 'aging_rate'])}）です。"
    )
    if diffs[fastest] > 0:
        text += (f"{label_date(data.compare)}からの上昇幅が最も大きいのは{names[fastest]}の圏域"
                 f"（{numbers.points(diffs[fastest])}上昇）です。")
    old = now["age75"].idxmax()
    text += f"75歳以上人口は{names[old]}の圏域が最も多く、{_people(now.loc[old, 'age75'])}です。"
    return text


# --- 2 町丁目 (02b) -------------------------------------------------------------------------
def _choume_label(row: pd.Series) -> str:
    return f"{row['town']}{row['chome']}丁目"


def _unpopulated(ch: pd.DataFrame) -> list[str]:
    """町丁目 without residents (e.g. land used by facilities or parks): they have no 高齢化率."""
    return [_choume_label(r) for _, r in ch[ch["total"] == 0].iterrows()]


def choume_table(data: PopulationData) -> AppendixTable:
    """町丁目 grouped by 日常生活圏域 (the city's order), a 小計 row after each 圏域, 市全体 last."""
    ch = choume_summary(data, data.latest)
    cols = ["total", "age0_14", "age65", "age75", "households"]
    rows: list[dict[str, object]] = []
    total_rows: list[int] = []

    def row(area: str, name: str, r: pd.Series) -> dict[str, object]:
        return {"日常生活圏域": area, "町丁目": name, "総人口": int(r["total"]), "0～14歳": int(r["age0_14"]),
                "65歳以上": int(r["age65"]), "75歳以上": int(r["age75"]),
                "高齢化率": r["age65"] / r["total"] if r["total"] else np.nan, "世帯数": int(r["households"])}

    for area in daily_life_areas(ch):
        group = ch[ch["area"] == area.key]
        if group.empty:
            continue
        for i, (_, r) in enumerate(group.iterrows()):
            rows.append(row(area.official_name if i == 0 else "", _choume_label(r), r))
        total_rows.append(len(rows))
        rows.append(row("", "小計", group[cols].sum()))
    rows.append(row("市全体", "", ch[cols].sum()))
    total_rows.append(len(rows) - 1)
    frame = pd.DataFrame(rows)
    empty = _unpopulated(ch)
    notes = [_mapping_note(), "小計は日常生活圏域ごとの計。"]
    if empty:
        notes.append(f"住民のいない町丁目（{'、'.join(empty)}）の高齢化率は「－」。")
    return AppendixTable(
        title=f"日常生活圏域・町丁目別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=source_register(),
        notes=notes,
        formats={"高齢化率": "pct"},
        total_rows=total_rows,
    )


def choume_figure(data: PopulationData) -> AppendixFigure:
    all_ch = choume_summary(data, data.latest)
    empty = _unpopulated(all_ch)
    ch = all_ch[all_ch["total"] > 0].sort_values(["aging_rate", "choume_code"]).reset_index(drop=True)
    areas = daily_life_areas(all_ch)
    colors = {a.key: PALETTE[i] for i, a in enumerate(areas)}
    fig = new_figure(8, 9)
    ax = fig.add_subplot()
    y = np.arange(len(ch))
    ax.barh(y, ch["aging_rate"], color=[colors[a] for a in ch["area"]], height=0.75)
    ax.set_yticks(y, [_choume_label(r) for _, r in ch.iterrows()], fontsize=8)
    city_rate = city_summary(data).set_index("date").loc[data.latest, "aging_rate"]
    ax.axvline(city_rate, color="#222222", linestyle="--", linewidth=1)
    ax.text(city_rate, len(ch) - 0.3, f" 市全体 {pct(city_rate)}", va="bottom", fontsize=9)
    percent(ax, "x", decimals=0)
    ax.set_xlabel("高齢化率")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch  # matplotlib only when a figure is drawn

    ax.legend(handles=[Patch(color=colors[a.key], label=a.official_name) for a in areas], loc="lower right",
              frameon=False, fontsize=8)
    top, bottom = ch.iloc[-1], ch.iloc[0]
    return AppendixFigure(
        title=f"町丁目別の高齢化率（{label_date(data.latest)}現在）",
        figure=fig,
        alt=(
            f"住民のいる{len(ch)}の町丁目の高齢化率を、上から高い順に並べた横棒グラフ（棒の色は日常生活圏域、"
            f"凡例は{'、'.join(a.official_name for a in areas)}の順）。最も高いのは{_choume_label(top)}の"
            f"{pct(top['aging_rate'])}、最も低いのは{_choume_label(bottom)}の{pct(bottom['aging_rate'])}、"
            f"破線は市全体の{pct(city_rate)}。"
        ),
        source=source_register(),
        notes=[f"住民のいない町丁目（{'、'.join(empty)}）は除いている。"] if empty else [],
    )


def choume_text(data: PopulationData) -> str:
    ch = choume_summary(data, data.latest)
    ch = ch[ch["total"] > 0]
    names = {a.key: a.official_name for a in daily_life_areas()}
    hi = ch.loc[ch["aging_rate"].idxmax()]
    lo = ch.loc[ch["aging_rate"].idxmin()]
    return (
        f"町丁目別の高齢化率は、{_choume_label(lo)}の{pct(lo['aging_rate'])}から"
        f"{_choume_label(hi)}（{names[hi['area']]}の圏域）の{pct(hi['aging_rate'])}まで、地域によって大きな差があります。"
    )


# --- 3 近隣・類似自治体との比較 (02b) -----------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """The comparison municipalities chosen by the rule in the parameters, and why."""

    codes: tuple[str, ...]  # in table order: adjacent, similar size, similar 高齢化率
    reasons: dict[str, str]  # code → 隣接 / 人口規模 / 高齢化率
    shibu_codes: tuple[str, ...]  # the 東京都市部 cities found in 第7表 (the ranking's population)
    shibu_missing: tuple[str, ...]  # names of 東京都市部 cities not in 第7表
    adjacent_missing: tuple[str, ...] = ()  # names of adjacent municipalities not in 第7表


def _latest_areas(data: PopulationData) -> pd.DataFrame:
    s = area_summary(data)
    return s[s["date"] == data.latest].set_index("area_code")


def comparison_municipalities(data: PopulationData) -> Comparison:
    """Apply the rule of :class:`PopulationParams` to the latest 第7表."""
    now = _latest_areas(data)
    st = data.settings
    city = data.params.city.area_code
    shibu = [a for a in reference.shibu_cities()]
    present = tuple(a.code for a in shibu if a.code in now.index)
    missing = tuple(a.name for a in shibu if a.code not in now.index)
    reasons: dict[str, str] = {}
    for code in st.adjacent_codes:
        if code in now.index:
            reasons[code] = "隣接"
    adjacent_missing = tuple(_reference_name(c) for c in st.adjacent_codes if c not in now.index)
    base = now.loc[city, "total"]
    candidates = [c for c in present if c != city]
    similar_size = sorted(
        (c for c in candidates if abs(now.loc[c, "total"] / base - 1) <= st.similar_population_band),
        key=lambda c: abs(now.loc[c, "total"] - base),
    )
    for code in similar_size:
        reasons.setdefault(code, "人口規模")
    rate = now.loc[city, "aging_rate"]
    nearest = sorted((c for c in candidates if c not in reasons),
                     key=lambda c: (abs(now.loc[c, "aging_rate"] - rate), c))
    for code in nearest[: st.similar_aging_count]:
        reasons[code] = "高齢化率"
    return Comparison(tuple(reasons), reasons, present, missing, adjacent_missing)


def _reference_name(code: str) -> str:
    area = reference.tokyo_areas().get(code)
    return area.name if area else code


def _rule_note(data: PopulationData, cmp: Comparison) -> str:
    st = data.settings
    names = {**{c: _reference_name(c) for c in st.adjacent_codes}, **area_names(data)}
    adjacent = "・".join(names[c] for c in st.adjacent_codes)
    band = numbers.dec(st.similar_population_band * 100, 0)
    text = f"比較自治体は、隣接する{adjacent}"
    if st.adjacent_outside:
        text += f"（同じく隣接する{'・'.join(st.adjacent_outside)}は東京都の統計に含まれないため除く）"
    text += f"、東京都市部のうち総人口が{data.city_name}の±{band}％以内の市"
    if st.similar_aging_count:
        text += f"、それ以外で高齢化率が{data.city_name}に最も近い{st.similar_aging_count}市"
    return text + "。東京都・東京都市部は参考。"


def _rank_heading(cmp: Comparison) -> str:
    return f"高齢化率の順位（東京都市部{len(cmp.shibu_codes)}市中）"


def _shibu_ranks(data: PopulationData, cmp: Comparison) -> pd.Series:
    now = _latest_areas(data)
    return now.loc[list(cmp.shibu_codes), "aging_rate"].rank(ascending=False, method="min").astype("int64")


def _missing_note(cmp: Comparison) -> list[str]:
    if not cmp.shibu_missing:
        return []
    return [f"東京都 第7表のデータに{'・'.join(cmp.shibu_missing)}がないため、"
            f"東京都市部の{len(cmp.shibu_codes)}市で順位を付けている。"]


def _adjacent_missing_note(cmp: Comparison) -> list[str]:
    if not cmp.adjacent_missing:
        return []
    return [f"{'・'.join(cmp.adjacent_missing)}は東京都 第7表のデータにないため掲載していない。"]


def ranking_table(data: PopulationData) -> AppendixTable:
    """The comparison municipalities (rule in the parameters, stated in the 注) and 東京都・東京都市部."""
    s = area_summary(data)
    now = s[s["date"] == data.latest].set_index("area_code")
    then = s[s["date"] == data.compare].set_index("area_code")
    cmp = comparison_municipalities(data)
    city = data.params.city.area_code
    ranks = _shibu_ranks(data, cmp)
    codes = [city, *cmp.codes, data.settings.tokyo_code, data.settings.shibu_code]
    names = area_names(data)
    names[data.settings.shibu_code] = "東京都市部（26市）"
    reasons = {city: "", **cmp.reasons, data.settings.tokyo_code: "参考", data.settings.shibu_code: "参考"}
    years = data.settings.pyramid_compare_years
    growth_col = f"{years}年間の人口増減率"
    frame = pd.DataFrame(
        {
            "自治体": [names[c] for c in codes],
            "選定の理由": [reasons[c] for c in codes],
            "総人口": [int(now.loc[c, "total"]) for c in codes],
            growth_col: [now.loc[c, "total"] / then.loc[c, "total"] - 1 for c in codes],
            "年少人口割合": [now.loc[c, "young_rate"] for c in codes],
            "高齢化率": [now.loc[c, "aging_rate"] for c in codes],
            "後期高齢者率": [now.loc[c, "late_rate"] for c in codes],
            _rank_heading(cmp): pd.array([ranks.get(c, pd.NA) for c in codes], dtype="Int64"),
        }
    )
    return AppendixTable(
        title=f"近隣・類似自治体との比較（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％、位",
        source=source_tokyo(),
        notes=[
            _rule_note(data, cmp),
            f"人口増減率は{label_date(data.compare)}からの増減率。順位は東京都市部の市の中での高齢化率の高い順"
            "（四捨五入する前の値による。東京都市部でない自治体は「－」）。",
            *_adjacent_missing_note(cmp),
            *_missing_note(cmp),
        ],
        formats={growth_col: "pct", "年少人口割合": "pct", "高齢化率": "pct", "後期高齢者率": "pct",
                 _rank_heading(cmp): "int"},
    )


def ranking_text(data: PopulationData) -> str:
    cmp = comparison_municipalities(data)
    now = _latest_areas(data)
    ranks = _shibu_ranks(data, cmp)
    names = area_names(data)
    city = data.params.city.area_code
    chosen = [c for c in cmp.codes if c in now.index]
    higher = [names[c] for c in chosen if numbers.pct_diff(now.loc[c, "aging_rate"], now.loc[city, "aging_rate"]) > 0]
    text = (f"東京都市部の市の中で、{data.city_name}の高齢化率（{pct(now.loc[city, 'aging_rate'])}）は"
            f"高い方から{int(ranks[city])}番目です。")
    top = ranks.idxmin()
    text += f"最も高いのは{names[top]}（{pct(now.loc[top, 'aging_rate'])}）です。"
    if higher:
        text += f"比較した自治体のうち、{data.city_name}より高齢化率が高いのは{'・'.join(higher)}です。"
    else:
        text += f"比較した自治体の中では、{data.city_name}の高齢化率が最も高くなっています。"
    return text


def shibu_ranking_table(data: PopulationData) -> AppendixTable:
    """The 東京都市部 cities by 高齢化率 (highest first), the city's row emphasised."""
    cmp = comparison_municipalities(data)
    now = _latest_areas(data).loc[list(cmp.shibu_codes)]
    ranks = _shibu_ranks(data, cmp)
    order = sorted(cmp.shibu_codes, key=lambda c: (ranks[c], c))
    names = area_names(data)
    frame = pd.DataFrame(
        {
            "順位": [int(ranks[c]) for c in order],
            "市": [names[c] for c in order],
            "総人口": [int(now.loc[c, "total"]) for c in order],
            "高齢化率": [now.loc[c, "aging_rate"] for c in order],
            "後期高齢者率": [now.loc[c, "late_rate"] for c in order],
        }
    )
    city_row = order.index(data.params.city.area_code)
    return AppendixTable(
        title=f"東京都市部の高齢化率の順位（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：位、人、％",
        source=source_tokyo(),
        notes=[f"高齢化率の高い順（順位は四捨五入する前の値による）。{data.city_name}の行を強調している。",
               *_missing_note(cmp)],
        formats={"順位": "int", "高齢化率": "pct", "後期高齢者率": "pct"},
        total_rows=[city_row],
    )


def shibu_ranking_figure(data: PopulationData) -> AppendixFigure:
    cmp = comparison_municipalities(data)
    now = _latest_areas(data)
    ranks = _shibu_ranks(data, cmp)
    order = sorted(cmp.shibu_codes, key=lambda c: (ranks[c], c))
    names = area_names(data)
    city = data.params.city.area_code
    shibu_rate = now.loc[data.settings.shibu_code, "aging_rate"]
    fig = new_figure(8, max(4.0, 0.28 * len(order) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(order))[::-1]  # the highest at the top
    rates = [now.loc[c, "aging_rate"] for c in order]
    colors = [PALETTE[3] if c == city else "#9a9a9a" for c in order]
    ax.barh(y, rates, color=colors, height=0.7)
    ax.set_yticks(y, [names[c] for c in order])
    for yy, c, r in zip(y, order, rates, strict=True):
        if c == city:
            ax.text(r, yy, f" {pct(r)}（{int(ranks[c])}位）", va="center", fontsize=9, color=PALETTE[3])
    ax.axvline(shibu_rate, color="#222222", linestyle="--", linewidth=1)
    ax.text(shibu_rate, y[0] + 0.6, f" 東京都市部 {pct(shibu_rate)}", va="bottom", fontsize=9)
    ax.set_ylim(-0.7, len(order) - 0.1)
    percent(ax, "x", decimals=0)
    ax.set_xlim(0, max(rates) * 1.18)
    ax.set_xlabel("高齢化率")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    return AppendixFigure(
        title=f"東京都市部の高齢化率（{label_date(data.latest)}現在）",
        figure=fig,
        alt=(
            f"東京都市部の{len(order)}市の高齢化率を、上から高い順に並べた横棒グラフ。最も高いのは"
            f"{names[order[0]]}の{pct(rates[0])}、最も低いのは{names[order[-1]]}の{pct(rates[-1])}。"
            f"{data.city_name}（強調した棒）は{pct(now.loc[city, 'aging_rate'])}で{int(ranks[city])}位。"
            f"破線は東京都市部全体の{pct(shibu_rate)}。"
        ),
        source=source_tokyo(),
        notes=_missing_note(cmp),
    )
