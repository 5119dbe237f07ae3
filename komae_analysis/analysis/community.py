"""第1節 第2款（8）生活困窮・権利擁護・地域の支え手: 生活保護, 生活困窮者自立相談支援, 成年後見,
重層的支援体制整備事業, 民生委員・児童委員 — by fiscal year.

Definitions (docs/domain.md, 「地域福祉・権利擁護」):

- 被保護世帯数・被保護人員 (月平均) = the mean of the twelve monthly figures (4月 … 3月, 各月末日現在,
  保護停止中を含む) of 生活福祉課's 被保護者調査 reports, printed rounded half up to an integer;
  a fiscal year with a month missing has no average (「－」).
- 保護率 (‰) = 被保護人員（月平均, as printed） ÷ 住民基本台帳人口 on the 1 January inside the fiscal
  year (令和7年度 → 令和8年1月1日, 外国人住民を含む) × 1,000.
- 充足率 = 委嘱数 ÷ 定数 (民生委員・児童委員, 各年度4月1日現在); 欠員数 = 定数 − 委嘱数.
- 重層的支援体制整備事業 began in ``juusou_start_fy``: the years before are 「－」 (not carried out),
  never 0, and the table says so.

A run for fiscal year N shows the fiscal years up to N − 1 (the last complete one), at most
``trend_years`` of them. Every table function returns an :class:`AppendixTable`, or a short sentence
when the figures are not there (a source without files); figures and commentary return "" then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.yearly import (
    count_fmt,
    course,
    fy_label,
    fy_ticks,
    last_periods,
    rate_fmt,
    short_note,
)
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params
from komae_analysis.report import numbers
from komae_analysis.report.charts import (
    PALETTE,
    AppendixFigure,
    label_ends,
    new_figure,
    percent,
    right_axis,
    thousands,
)
from komae_analysis.report.numbers import pct
from komae_analysis.report.tables import AppendixTable, mark_missing

SEIHO = "seiho_monthly"
STATS = "community_stats"
REGISTER = "city_register_households"

GUARDIANSHIP_TYPES = ("後見開始", "保佐開始", "補助開始", "任意後見監督人選任")
MISSING_TEXT = "のデータがないため、この表は作成していません。"


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CommunityParams:
    """The ``community:`` block of the run parameters."""

    trend_years: int  # fiscal years in the tables (the latest: the year before the run's)
    juusou_start_fy: int  # the fiscal year 重層的支援体制整備事業 began (earlier years are 「－」)
    flat_share: float  # a year-on-year move within this share of the series' level reads as 横ばい

    def check(self) -> str | None:
        if self.trend_years < 2:
            return "trend_years は2以上です"
        if not 2000 <= self.juusou_start_fy <= 2100:
            return f"juusou_start_fy は西暦の年度です（実際: {self.juusou_start_fy}）"
        if not 0 <= self.flat_share < 0.1:
            return f"flat_share は0以上0.1未満の割合です（実際: {self.flat_share}）"
        return None


PARAMS = CommunityParams


# --- the section's data ---------------------------------------------------------------------
@dataclass(frozen=True)
class CommunityData:
    params: Params
    settings: CommunityParams
    years: tuple[int, ...]  # the fiscal years shown, oldest first
    seiho: pd.DataFrame  # fiscal_year, households, persons (月平均, as printed), population, rate (‰), months
    stats: pd.DataFrame  # community_stats rows of the shown years
    stats_years: dict[str, tuple[int, ...]]  # topic → its fiscal years shown

    @property
    def city_name(self) -> str:
        return self.params.city.name

    def item(self, topic: str, item: str) -> pd.Series:
        """One item of the city's workbook by fiscal year (NA where missing), over the topic's years."""
        rows = self.stats[(self.stats["topic"] == topic) & (self.stats["item"] == item)]
        s = rows.set_index("fiscal_year")["value"].astype("Float64")
        return s.reindex(list(self.stats_years.get(topic, ())))


def _half_up(value: float) -> int:
    return int(numbers.rounded(value, 0))


def yearly_protection(monthly: pd.DataFrame, population: Mapping[int, int]) -> pd.DataFrame:
    """Per fiscal year: 被保護世帯数・被保護人員 (月平均 rounded half up; NA unless all twelve months
    are there), the 1 January population inside the year, 保護率 (‰) from the printed 月平均."""
    rows = []
    for fy, g in monthly.groupby("fiscal_year", sort=True):
        complete = len(g) == 12 and g["households"].notna().all() and g["persons"].notna().all()
        hh = _half_up(float(g["households"].astype("float64").mean())) if complete else None
        persons = _half_up(float(g["persons"].astype("float64").mean())) if complete else None
        pop = population.get(int(fy))
        rate = persons / pop * 1000 if persons is not None and pop else None
        rows.append({"fiscal_year": int(fy), "households": hh, "persons": persons, "population": pop,
                     "rate": rate, "months": int(g["persons"].notna().sum())})
    out = pd.DataFrame(rows, columns=["fiscal_year", "households", "persons", "population", "rate", "months"])
    for c in ("households", "persons", "population"):
        out[c] = out[c].astype("Int64")
    out["rate"] = out["rate"].astype("Float64")
    return out


def population_by_fy(households: pd.DataFrame) -> dict[int, int]:
    """Fiscal year → the register population on the 1 January inside it (2026-01-01 → FY2025)."""
    if households.empty:
        return {}
    totals = households.groupby("date")["population"].sum()
    return {pd.Timestamp(d).year - 1: int(n) for d, n in totals.items() if pd.Timestamp(d).month == 1
            and pd.Timestamp(d).day == 1}


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> CommunityData:
    """The shown fiscal years (up to the one before the run's) of the 生活保護 monthly figures, the
    city's workbook and the register population."""
    settings = params.topic(CommunityParams)
    last = params.fiscal_year - 1
    seiho = yearly_protection(inputs[SEIHO], population_by_fy(inputs[REGISTER]))
    stats = inputs[STATS]
    available = set(seiho["fiscal_year"]) | set(stats["fiscal_year"])
    years = last_periods(available, last, settings.trend_years)
    seiho = seiho[seiho["fiscal_year"].isin(years)].reset_index(drop=True)
    stats = stats[stats["fiscal_year"].isin(years)].reset_index(drop=True)
    stats_years = {t: tuple(sorted(set(g["fiscal_year"]))) for t, g in stats.groupby("topic")}
    return CommunityData(params, settings, years, seiho, stats, stats_years)


def _tolerance(series: pd.Series, data: CommunityData) -> float:
    s = pd.Series(series, dtype="float64").dropna()
    return float(s.abs().max()) * data.settings.flat_share if len(s) else 0.0


def _missing(what: str) -> str:
    return f"{what}{MISSING_TEXT}"


def _fy_notes(data: CommunityData, years: tuple[int, ...]) -> list[str]:
    return short_note(years, data.settings.trend_years, fy_label)


# --- 1 生活保護 --------------------------------------------------------------------------------
def source_seiho() -> str:
    return citation(SEIHO, "各月末日現在の値の年度平均") + "、狛江市「住民基本台帳」（各年1月1日現在）"


def seiho_table(data: CommunityData) -> AppendixTable | str:
    s = data.seiho
    if s.empty:
        return _missing("生活保護の被保護世帯数・被保護人員")
    frame = pd.DataFrame({
        "年度": [fy_label(y) for y in s["fiscal_year"]],
        "被保護世帯数（月平均）": s["households"],
        "被保護人員（月平均）": s["persons"],
        "人口（1月1日現在）": s["population"],
        "保護率": s["rate"],
    })
    notes = [
        "被保護世帯数・被保護人員は、各月末日現在の値（保護停止中を含む）の4月～翌年3月の平均（四捨五入）。",
        "保護率＝被保護人員（月平均）÷年度中の1月1日現在の住民基本台帳人口（外国人住民を含む）×1,000（‰：パーミル）。",
    ]
    marks = {}
    if (s["months"] < 12).any():
        notes.append("月の値が欠けている年度の月平均と保護率は「…」（得られないもの）。")
        marks = mark_missing(frame, columns=["被保護世帯数（月平均）", "被保護人員（月平均）", "保護率"])
    return AppendixTable(
        title=f"生活保護の被保護世帯数・被保護人員・保護率の推移（{data.city_name}）",
        frame=frame,
        unit="単位：世帯、人、‰",
        source=source_seiho(),
        notes=notes + _fy_notes(data, tuple(s["fiscal_year"])),
        formats={"被保護世帯数（月平均）": "int", "被保護人員（月平均）": "int", "人口（1月1日現在）": "int",
                 "保護率": "dec1"},
        marks=marks,
    )


def seiho_figure(data: CommunityData) -> AppendixFigure | str:
    s = data.seiho.dropna(subset=["persons", "rate"])
    if s.empty:
        return ""
    years = list(s["fiscal_year"])
    x = np.arange(len(years))
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    ax.bar(x, s["persons"].astype(float), color=PALETTE[0], width=0.6, label="被保護人員（月平均）")
    ax.set_ylabel("被保護人員（人）")
    thousands(ax, "y")
    ax.set_ylim(0, float(s["persons"].max()) * 1.5)
    ax2 = right_axis(ax)
    rate = s["rate"].astype(float)
    ax2.plot(x, rate, color=PALETTE[3], marker="o", label="保護率（右目盛）")
    label_ends(ax2, x, rate, rate_fmt(), color=PALETTE[3])
    lo, hi = float(rate.min()), float(rate.max())
    span = max(hi - lo, 0.5)
    ax2.set_ylim(lo - 1.6 * span, hi + 0.6 * span)
    ax2.set_ylabel("保護率（‰）")
    ax.set_xticks(x, fy_ticks(years))
    ax.set_xlabel("年度")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", frameon=False, ncols=2)
    first, last = s.iloc[0], s.iloc[-1]
    return AppendixFigure(
        title=f"被保護人員と保護率の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_label(first['fiscal_year'])}から{fy_label(last['fiscal_year'])}までの被保護人員（月平均）の棒グラフと"
             f"保護率の折れ線グラフ（右目盛）。被保護人員は{numbers.count(first['persons'], '人')}から"
             f"{numbers.count(last['persons'], '人')}、保護率は{rate_fmt()(first['rate'])}から{rate_fmt()(last['rate'])}。"),
        source=source_seiho(),
    )


def seiho_text(data: CommunityData) -> str:
    s = data.seiho.dropna(subset=["persons", "rate"]).set_index("fiscal_year")
    if s.empty:
        return ""
    rate = s["rate"].astype(float)
    # a 保護率 move smaller than 0.1‰ does not show in the table: that is 横ばい
    text = course(rate, name="保護率", when=fy_label, fmt=rate_fmt(), step="年度", tolerance=0.05,
                  up="上昇", down="低下")
    persons, households = s["persons"].astype(float), s["households"].astype(float)
    p_high, h_high = trends.peak(persons), trends.peak(households)
    last = s.index[-1]
    if (p_high.at == h_high.at and not p_high.is_first and not p_high.is_latest and not h_high.is_latest
            and persons[last] < p_high.value and households[last] < h_high.value):
        text += (f"被保護人員と被保護世帯数（いずれも月平均）も{fy_label(p_high.at)}をピークに減少しており、"
                 f"{fy_label(last)}はそれぞれ{numbers.count(persons[last], '人')}、"
                 f"{numbers.count(households[last], '世帯')}です。")
        return text
    text += course(persons, name="被保護人員（月平均）", when=fy_label, fmt=count_fmt("人"), step="年度",
                   tolerance=_tolerance(persons, data))
    text += course(households, name="被保護世帯数（月平均）", when=fy_label, fmt=count_fmt("世帯"), step="年度",
                   tolerance=_tolerance(households, data))
    return text


# --- 2 生活困窮者自立相談支援 ------------------------------------------------------------------
def source_stats(provider: str) -> str:
    return citation(STATS, f"{provider}の資料による")


def _years_table(data: CommunityData, topic: str, items: tuple[str, ...]) -> pd.DataFrame:
    years = data.stats_years.get(topic, ())
    frame = pd.DataFrame({"年度": [fy_label(y) for y in years]})
    for item in items:
        frame[item] = data.item(topic, item).astype("Int64").to_numpy()
    return frame


def consultation_table(data: CommunityData) -> AppendixTable | str:
    topic = "生活困窮者自立支援"
    if topic not in data.stats_years:
        return _missing("生活困窮者自立相談支援")
    frame = _years_table(data, topic, ("新規相談受付件数", "プラン作成件数"))
    return AppendixTable(
        title=f"生活困窮者自立相談支援事業の新規相談受付件数・プラン作成件数の推移（{data.city_name}）",
        frame=frame,
        unit="単位：件",
        source=source_stats("生活福祉課"),
        notes=["生活困窮者自立支援制度の支援状況調査による年度の計。",
               *_fy_notes(data, data.stats_years[topic])],
        formats={c: "int" for c in frame.columns if c != "年度"},
    )


def consultation_text(data: CommunityData) -> str:
    topic = "生活困窮者自立支援"
    if topic not in data.stats_years:
        return ""
    new = data.item(topic, "新規相談受付件数").dropna()
    plans = data.item(topic, "プラン作成件数").dropna()
    text = course(new, name="新規相談受付件数", when=fy_label, fmt=count_fmt("件"), step="年度",
                  tolerance=_tolerance(new, data))
    high = trends.peak(new.astype(float)) if len(new) else None
    if high is not None and not high.is_first and not high.is_latest and high.at == 2020:
        text += ("令和2年度の増加は、新型コロナウイルス感染症の影響による住居確保給付金や緊急小口資金等の特例貸付に"
                 "関する相談が集中したためと考えられます。")
    text += course(plans, name="プラン作成件数", when=fy_label, fmt=count_fmt("件"), step="年度",
                   tolerance=_tolerance(plans, data))
    return text


# --- 3 成年後見 -----------------------------------------------------------------------------
def guardianship_table(data: CommunityData) -> AppendixTable | str:
    topic = "成年後見"
    if topic not in data.stats_years:
        return _missing("成年後見制度の申立件数")
    frame = _years_table(data, topic, ("申立件数", *GUARDIANSHIP_TYPES, "うち市長申立", "報酬助成件数"))
    frame = frame.rename(columns={"申立件数": "申立件数（計）", "うち市長申立": "うち市長申立"})
    return AppendixTable(
        title=f"成年後見制度の申立件数・市長申立件数・報酬助成件数の推移（{data.city_name}）",
        frame=frame,
        unit="単位：件",
        source=source_stats("福祉相談課・高齢障がい課（申立件数は東京家庭裁判所の資料による狛江市民分）"),
        notes=["申立件数は後見開始・保佐開始・補助開始・任意後見監督人選任の申立ての合計（年度）。",
               "報酬助成件数は、成年後見人等の報酬を市が助成した件数。",
               *_fy_notes(data, data.stats_years[topic])],
        formats={c: "int" for c in frame.columns if c != "年度"},
    )


def guardianship_figure(data: CommunityData) -> AppendixFigure | str:
    topic = "成年後見"
    if topic not in data.stats_years:
        return ""
    years = list(data.stats_years[topic])
    x = np.arange(len(years))
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    bottom = np.zeros(len(years))
    colors = (PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[4])
    for kind, color in zip(GUARDIANSHIP_TYPES, colors, strict=True):
        v = data.item(topic, kind).fillna(0).astype(float).to_numpy()
        ax.bar(x, v, bottom=bottom, color=color, width=0.6, label=kind)
        bottom += v
    mayor = data.item(topic, "うち市長申立").astype(float)
    fee = data.item(topic, "報酬助成件数").astype(float)
    ax.plot(x, mayor, color=PALETTE[3], marker="o", label="うち市長申立")
    ax.plot(x, fee, color=PALETTE[7], marker="s", linestyle="--", label="報酬助成件数")
    ax.set_ylim(0, max(bottom.max(), float(fee.max())) * 1.25)
    ax.set_ylabel("件数（件）")
    ax.set_xticks(x, fy_ticks(years))
    ax.set_xlabel("年度")
    handles, labels = ax.get_legend_handles_labels()
    # legend: the stacked bars top to bottom, then the lines
    bars, lines = handles[2:], handles[:2]
    bar_labels, line_labels = labels[2:], labels[:2]
    ax.legend(bars[::-1] + lines, bar_labels[::-1] + line_labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    total = data.item(topic, "申立件数")
    return AppendixFigure(
        title=f"成年後見制度の申立件数（類型別）・市長申立件数・報酬助成件数の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_label(years[0])}から{fy_label(years[-1])}までの申立件数を、上から"
             f"{'・'.join(GUARDIANSHIP_TYPES[::-1])}の順に積み上げた棒グラフと、市長申立件数・報酬助成件数の折れ線グラフ。"
             f"申立件数は{numbers.count(total.iloc[0], '件')}から{numbers.count(total.iloc[-1], '件')}、"
             f"報酬助成件数は{numbers.count(fee.iloc[0], '件')}から{numbers.count(fee.iloc[-1], '件')}。"),
        source=source_stats("福祉相談課・高齢障がい課（申立件数は東京家庭裁判所の資料による狛江市民分）"),
    )


def guardianship_text(data: CommunityData) -> str:
    topic = "成年後見"
    if topic not in data.stats_years:
        return ""
    total = data.item(topic, "申立件数").dropna()
    text = course(total, name="成年後見制度の申立件数", when=fy_label, fmt=count_fmt("件"), step="年度",
                  tolerance=_tolerance(total, data))
    kinds = {k: data.item(topic, k).astype(float) for k in GUARDIANSHIP_TYPES}
    if all(s.notna().all() for s in kinds.values()) and len(total) > 1:
        moved = trends.movers(kinds)
        top = moved[0]
        first, last = total.index[0], total.index[-1]
        if top.change > 0:
            text += (f"類型別では、{top.key}が{fy_label(first)}の{numbers.count(top.start, '件')}から"
                     f"{fy_label(last)}の{numbers.count(top.end, '件')}へ最も大きく増えています。")
    mayor = data.item(topic, "うち市長申立").dropna()
    text += course(mayor, name="市長申立", when=fy_label, fmt=count_fmt("件"), step="年度")
    fee = data.item(topic, "報酬助成件数").dropna()
    text += course(fee, name="報酬助成件数", when=fy_label, fmt=count_fmt("件"), step="年度")
    text += "市長申立と報酬助成はともに増えており、制度の利用を支える市の役割が大きくなっています。" if (
        len(mayor) > 1 and mayor.iloc[-1] > mayor.iloc[0] and len(fee) > 1 and fee.iloc[-1] > fee.iloc[0]) else ""
    return text


# --- 4 重層的支援体制整備事業 -------------------------------------------------------------------
def juusou_table(data: CommunityData) -> AppendixTable | str:
    topic = "重層的支援体制整備事業"
    if topic not in data.stats_years:
        return _missing("重層的支援体制整備事業の相談件数")
    frame = _years_table(data, topic, ("相談件数", "支援会議の開催回数"))
    start = data.settings.juusou_start_fy
    notes = [f"重層的支援体制整備事業は{fy_label(start)}から実施。{fy_label(start - 1)}以前は事業がないため「－」。",
             "相談件数は、福祉総合相談窓口等で受け付けた複合的な課題を抱える世帯の新規相談の件数。"]
    early = [y for y in data.stats_years[topic] if y < start]
    if not early:
        notes = notes[1:] + [f"重層的支援体制整備事業は{fy_label(start)}から実施。"]
    return AppendixTable(
        title=f"重層的支援体制整備事業の相談件数・支援会議の開催回数の推移（{data.city_name}）",
        frame=frame,
        unit="単位：件、回",
        source=source_stats("福祉相談課"),
        notes=notes + _fy_notes(data, data.stats_years[topic]),
        formats={c: "int" for c in frame.columns if c != "年度"},
    )


def juusou_text(data: CommunityData) -> str:
    topic = "重層的支援体制整備事業"
    if topic not in data.stats_years:
        return ""
    start = data.settings.juusou_start_fy
    counts = data.item(topic, "相談件数")
    counts = counts[counts.index >= start].dropna()
    if counts.empty:
        return ""
    text = f"重層的支援体制整備事業は{fy_label(start)}に始まりました。"
    text += course(counts, name="相談件数", when=fy_label, fmt=count_fmt("件"), step="年度")
    meetings = data.item(topic, "支援会議の開催回数")
    meetings = meetings[meetings.index >= start].dropna()
    text += course(meetings, name="支援会議の開催回数", when=fy_label, fmt=count_fmt("回"), step="年度")
    return text


# --- 5 民生委員・児童委員 -----------------------------------------------------------------------
def commissioner_frame(data: CommunityData) -> pd.DataFrame:
    topic = "民生委員・児童委員"
    quota = data.item(topic, "定数")
    filled = data.item(topic, "委嘱数")
    rate = (filled / quota).astype("Float64")
    years = data.stats_years.get(topic, ())
    return pd.DataFrame({
        "年度": [fy_label(y) for y in years],
        "定数": quota.astype("Int64").to_numpy(),
        "委嘱数": filled.astype("Int64").to_numpy(),
        "欠員数": (quota - filled).astype("Int64").to_numpy(),
        "充足率": rate.to_numpy(),
        "相談・支援件数": data.item(topic, "相談・支援件数").astype("Int64").to_numpy(),
    })


def commissioner_table(data: CommunityData) -> AppendixTable | str:
    topic = "民生委員・児童委員"
    if topic not in data.stats_years:
        return _missing("民生委員・児童委員の定数・委嘱数")
    frame = commissioner_frame(data)
    return AppendixTable(
        title=f"民生委員・児童委員の定数・委嘱数・充足率の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、件、％",
        source=source_stats("福祉政策課（民生委員・児童委員協議会の活動記録）"),
        notes=["定数・委嘱数は各年度4月1日現在（主任児童委員を含む）。相談・支援件数は年度の計。",
               "充足率＝委嘱数÷定数、欠員数＝定数－委嘱数。",
               *_fy_notes(data, data.stats_years[topic])],
        formats={"定数": "int", "委嘱数": "int", "欠員数": "int", "充足率": "pct", "相談・支援件数": "int"},
    )


def commissioner_figure(data: CommunityData) -> AppendixFigure | str:
    topic = "民生委員・児童委員"
    if topic not in data.stats_years:
        return ""
    f = commissioner_frame(data)
    years = list(data.stats_years[topic])
    x = np.arange(len(years))
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    ax.bar(x - 0.18, f["定数"].astype(float), width=0.36, color="white", edgecolor=PALETTE[0], label="定数")
    ax.bar(x + 0.18, f["委嘱数"].astype(float), width=0.36, color=PALETTE[0], label="委嘱数")
    ax.set_ylim(0, float(f["定数"].max()) * 1.45)
    ax.set_ylabel("人数（人）")
    ax2 = right_axis(ax)
    rate = f["充足率"].astype(float)
    ax2.plot(x, rate, color=PALETTE[3], marker="o", label="充足率（右目盛）")
    label_ends(ax2, x, rate, pct, color=PALETTE[3])
    lo, hi = float(rate.min()), float(rate.max())
    span = max(hi - lo, 0.02)
    ax2.set_ylim(lo - 0.4 * span, hi + 1.2 * span)
    percent(ax2, "y", decimals=0)
    from matplotlib.ticker import MultipleLocator  # matplotlib is loaded by new_figure() above

    ax2.yaxis.set_major_locator(MultipleLocator(0.02))
    ax2.set_ylabel("充足率")
    ax.set_xticks(x, fy_ticks(years))
    ax.set_xlabel("年度（各年度4月1日現在）")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", frameon=False, ncols=3)
    return AppendixFigure(
        title=f"民生委員・児童委員の定数・委嘱数と充足率の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_label(years[0])}から{fy_label(years[-1])}までの民生委員・児童委員の定数（白抜きの棒）と委嘱数（塗りの棒）、"
             f"充足率の折れ線グラフ（右目盛）。充足率は{pct(rate.iloc[0])}から{pct(rate.iloc[-1])}。"),
        source=source_stats("福祉政策課（民生委員・児童委員協議会の活動記録）"),
    )


def commissioner_text(data: CommunityData) -> str:
    topic = "民生委員・児童委員"
    if topic not in data.stats_years:
        return ""
    f = commissioner_frame(data).assign(fy=list(data.stats_years[topic])).set_index("fy")
    quota = f["定数"].dropna()
    text = ""
    changes = [(a, b) for a, b in zip(quota.index, quota.index[1:], strict=False) if quota[b] != quota[a]]
    if changes:
        a, b = changes[-1]
        text += (f"民生委員・児童委員の定数は、{fy_label(b)}に{numbers.count(quota[a], '人')}から"
                 f"{numbers.count(quota[b], '人')}に{'増え' if quota[b] > quota[a] else '減り'}ました。")
    rate = f["充足率"].astype(float).dropna()
    text += course(rate, name="充足率", when=fy_label, fmt=pct, step="年度", tolerance=0.0005,
                   up="上昇", down="低下")
    last = f.index[-1]
    vacant = f.loc[last, "欠員数"]
    if pd.notna(vacant) and vacant > 0:
        text += f"{fy_label(last)}は定数に対して{numbers.count(vacant, '人')}の欠員があり、担い手の確保が課題です。"
    cases = f["相談・支援件数"].astype(float).dropna()
    text += course(cases, name="相談・支援件数", when=fy_label, fmt=count_fmt("件"), step="年度",
                   tolerance=_tolerance(cases, data))
    return text


__all__ = [
    "PARAMS",
    "CommunityData",
    "CommunityParams",
    "commissioner_figure",
    "commissioner_table",
    "commissioner_text",
    "consultation_table",
    "consultation_text",
    "guardianship_figure",
    "guardianship_table",
    "guardianship_text",
    "juusou_table",
    "juusou_text",
    "population_by_fy",
    "prepare",
    "seiho_figure",
    "seiho_table",
    "seiho_text",
    "yearly_protection",
]
