"""1 人口の長期推移 (since 1985): the city's total population and 高齢化率 each 1 January from
東京都 時系列 第2表 and 第9表, with the growth compared with 東京都市部 and 東京都 as an index."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.households.data import (
    AGED,
    FOREIGN_FROM,
    TIMESERIES,
    HouseholdsData,
    cite_two,
    label_jan,
    label_year,
    missing_sentence,
    short_year,
)
from komae_analysis.report import numbers
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure, thousands
from komae_analysis.report.numbers import count, dec
from komae_analysis.report.tables import AppendixTable

_WHAT = "人口の長期推移"
_INDEX = "指数"


def _source() -> str:
    return cite_two(TIMESERIES, AGED, "各年1月1日現在")


def _people(x: float) -> str:
    return count(x, "人")


def _when(year: Hashable) -> str:
    return label_jan(int(year))  # type: ignore[call-overload]


def _index_columns(data: HouseholdsData) -> dict[str, str]:
    """Frame column → printed heading of the index columns."""
    return {"total": f"{_INDEX}（{data.city_name}）", "shibu": f"{_INDEX}（東京都市部）", "tokyo": f"{_INDEX}（東京都）"}


def _index(series: pd.Series) -> pd.Series:
    s = series.astype("Float64")
    return s / s.iloc[0] * 100 if pd.notna(s.iloc[0]) else s * pd.NA


def _notes(data: HouseholdsData) -> list[str]:
    lv = data.long_view
    years = list(lv["year"])
    out = []
    if years[0] < FOREIGN_FROM <= years[-1]:
        out.append(f"{label_year(FOREIGN_FROM - 1)}までは日本人のみの人口。外国人住民は平成24年7月の法改正で"
                   f"住民基本台帳の対象となり、{label_year(FOREIGN_FROM)}から人口に含まれる"
                   f"（{label_year(FOREIGN_FROM)}の前年からの増減には外国人住民の算入分を含む）。")
    if lv["aged_pct"].notna().any():
        out.append("高齢化率は65歳以上人口÷総人口で、東京都 時系列 第9表の公表値（小数第2位まで）。")
    else:
        out.append("高齢化率は、時系列 第9表のデータがないため掲載していない。")
    out.append(f"指数は{label_jan(years[0])}の総人口を100とした値。東京都市部は都内26市の計。")
    peak_year = int(lv.loc[lv["total"].astype("float64").idxmax(), "year"])
    out.append(f"ピーク時との差は、掲載期間で総人口が最も多い{label_jan(peak_year)}の人口との差。")
    first = data.long_view_first_available
    if first is not None and first > data.settings.long_view_from:
        out.append(f"{label_jan(first)}より前のデータがないため、{label_jan(first)}から掲載。")
    return out


def long_view_table(data: HouseholdsData) -> AppendixTable | str:
    lv = data.long_view
    if lv.empty:
        return missing_sentence(_WHAT, TIMESERIES)
    total = lv["total"].astype("Int64")
    change = total.diff()
    peak = total.max()
    index_cols = _index_columns(data)
    frame = pd.DataFrame({
        "基準日": [label_jan(y) for y in lv["year"]],
        "総人口": total,
        "前年からの増減": change.astype("Int64"),
        "うち外国人": lv["foreign"].astype("Int64"),
        "高齢化率": lv["aged_pct"].astype("Float64"),
        "ピーク時との差": (total - peak).astype("Int64"),
        **{head: _index(lv[col]) for col, head in index_cols.items()},
    })
    has_rate = bool(lv["aged_pct"].notna().any())
    if not has_rate:
        frame = frame.drop(columns="高齢化率")
    return AppendixTable(
        title=f"総人口{'・高齢化率' if has_rate else ''}の長期推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、％（指数を除く）" if has_rate else "単位：人（指数を除く）",
        source=_source(),
        notes=_notes(data),
        formats={"前年からの増減": "int", "うち外国人": "int", **({"高齢化率": "dec2"} if has_rate else {}),
                 "ピーク時との差": "int",
                 **{head: "dec1" for head in index_cols.values()}},
    )


def _turn_phrases(total: pd.Series, tolerance: float) -> list[str]:
    """The turning points of the long series, oldest first, as clauses."""
    turns = trends.turning_points(total, tolerance=tolerance)
    out = []
    for i, t in enumerate(turns):
        last = i == len(turns) - 1
        if t.kind == "peak":
            tail = "減少に転じています" if last else "いったん減少し"
            out.append(f"{_when(t.at)}の{_people(t.value)}をピークに{tail}")
        else:
            tail = "再び増加に転じています" if last else "再び増加し"
            out.append(f"{_when(t.at)}の{_people(t.value)}を底に{tail}")
    return out


def long_view_text(data: HouseholdsData) -> str:
    """The long course (turning points, the peak and how far below it the city is now), the
    inclusion of foreign residents, the growth against 東京都市部 and 東京都, and 高齢化率."""
    lv = data.long_view
    if lv.empty:
        return ""
    s = lv.set_index("year")
    total = s["total"].astype("float64")
    first, last = int(s.index[0]), int(s.index[-1])
    flat = trends.relative_tolerance(total, data.settings.flat_share)
    p = trends.peak(total, tolerance=flat)
    phrases = _turn_phrases(total, trends.relative_tolerance(total, data.settings.phase_share))
    text = f"{data.city_name}の総人口は、{_when(first)}の{_people(total[first])}から"
    if phrases:
        verb = "増加し" if phrases[0].endswith(("減少に転じています", "いったん減少し")) else "減少し"
        text += f"{verb}、" + "、".join(phrases) + "。"
    else:
        text += f"{_when(last)}の{_people(total[last])}へ{'増加' if total[last] > total[first] else '減少'}しています。"
    if not p.is_latest:
        run = trends.latest_run(total, tolerance=flat)
        streak = trends.run_phrase(run)
        gap = int(total[last] - p.value)
        text += (f"{_when(last)}現在は{_people(total[last])}で、ピーク時（{_when(p.at)}）を{_people(-gap)}"
                 f"下回っています")
        text += f"（{streak}）。" if streak and run is not None and run.direction == trends.DOWN else "。"
    else:
        text += f"{_when(last)}現在の{_people(total[last])}が、この間で最も多くなっています。"
    text += _foreign_phrase(s, first, last)
    text += _index_phrase(data, s, first, last)
    text += _aged_phrase(s)
    return text


def _foreign_phrase(s: pd.DataFrame, first: int, last: int) -> str:
    if not (first < FOREIGN_FROM <= last) or pd.isna(s.loc[FOREIGN_FROM, "foreign"]):
        return ""
    jump = s.loc[FOREIGN_FROM, "total"] - s.loc[FOREIGN_FROM - 1, "total"]
    return (f"なお、{label_year(FOREIGN_FROM)}からは外国人住民を含む人口で、{_when(FOREIGN_FROM)}の前年からの増加"
            f"（{_people(jump)}）には、この年に加わった外国人住民（{_people(s.loc[FOREIGN_FROM, 'foreign'])}）が"
            "含まれます。")


def _index_phrase(data: HouseholdsData, s: pd.DataFrame, first: int, last: int) -> str:
    values = {"city": _index(s["total"]).iloc[-1], "shibu": _index(s["shibu"]).iloc[-1],
              "tokyo": _index(s["tokyo"]).iloc[-1]}
    if any(pd.isna(v) for v in values.values()):
        return ""
    city, shibu, tokyo = (float(v) for v in values.values())
    d = numbers.diff_of_shown(city, shibu, 1)
    rel = "を下回って" if d < 0 else "を上回って" if d > 0 else "と同じ水準となって"
    return (f"{_when(first)}の総人口を基準とした指数でみると、{_when(last)}は{data.city_name}が{dec(city, 1)}、東京都市部が"
            f"{dec(shibu, 1)}、東京都が{dec(tokyo, 1)}で、{data.city_name}の人口の伸びは東京都市部{rel}います。")


def _aged_phrase(s: pd.DataFrame) -> str:
    rate = s["aged_pct"].dropna().astype("float64")
    if len(rate) < 2:
        return ""
    first, last = int(rate.index[0]), int(rate.index[-1])

    def pct2(v: float) -> str:
        return dec(v, 2, "％")

    verb = "上昇" if numbers.diff_of_shown(rate[last], rate[first], 2) > 0 else "低下"
    text = f"高齢化率は、{_when(first)}の{pct2(rate[first])}から{_when(last)}の{pct2(rate[last])}へ{verb}しています"
    high = trends.peak(rate)
    if verb == "上昇" and not high.is_latest and numbers.diff_of_shown(rate[last], high.value, 2) < 0:
        text += f"（最も高かったのは{_when(high.at)}の{pct2(high.value)}）"
    return text + "。"


def _ticks(years: np.ndarray) -> list[int]:
    """Every fifth year from the first, and the last (dropping a fifth-year tick right before it)."""
    ticks = [int(y) for y in years if (y - years[0]) % 5 == 0]
    last = int(years[-1])
    if ticks and last - ticks[-1] < 3 and ticks[-1] != last:
        ticks.pop()
    return sorted({*ticks, last})


def long_view_figure(data: HouseholdsData) -> AppendixFigure | str:
    lv = data.long_view
    if lv.empty:
        return ""
    years = lv["year"].astype(int).to_numpy()
    total = lv["total"].astype("float64").to_numpy()
    rate = lv["aged_pct"].astype("float64").to_numpy()
    has_rate = not np.isnan(rate).all()
    fig = new_figure(8, 5.6 if has_rate else 4.2)
    if has_rate:
        ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    else:
        ax, ax2 = fig.add_subplot(), None
    ax.plot(years, total, color=PALETTE[0], linewidth=2.2)
    i_peak = int(np.nanargmax(total))
    for i in sorted({0, i_peak, len(years) - 1}):
        ax.plot([years[i]], [total[i]], marker="o", color=PALETTE[0], markersize=4)
        ax.annotate(count(total[i]), (years[i], total[i]), textcoords="offset points", xytext=(0, 7),
                    ha="center" if 0 < i < len(years) - 1 else ("left" if i == 0 else "right"), va="bottom",
                    fontsize=8.5, color=PALETTE[0])
    thousands(ax, "y")
    ax.set_ylabel("総人口（人）")
    lo, hi = float(np.nanmin(total)), float(np.nanmax(total))
    ax.set_ylim(lo - (hi - lo) * 0.12, hi + (hi - lo) * 0.2)
    axes = [ax] if ax2 is None else [ax, ax2]
    if years[0] < FOREIGN_FROM <= years[-1]:
        for a in axes:
            a.axvline(FOREIGN_FROM - 0.5, color="#888888", linestyle=":", linewidth=1)
        ax.text(FOREIGN_FROM - 0.3, lo - (hi - lo) * 0.08, "平成25年から\n外国人住民を含む", fontsize=8, color="#555555")
    ax.set_title(f"総人口（{data.city_name}）", loc="left", fontsize=10)
    bottom = ax
    if ax2 is not None:
        ax2.plot(years, rate, color=PALETTE[3], linewidth=1.8)
        valid = [i for i in range(len(years)) if not np.isnan(rate[i])]
        for i in sorted({valid[0], valid[-1]}):
            ax2.plot([years[i]], [rate[i]], marker="o", color=PALETTE[3], markersize=4)
            ax2.annotate(dec(rate[i], 2, "％"), (years[i], rate[i]), textcoords="offset points", xytext=(0, 6),
                         ha="left" if i == valid[0] else "right", va="bottom", fontsize=8.5, color=PALETTE[3])
        ax2.set_ylim(0, max(30.0, float(np.nanmax(rate)) * 1.25))
        ax2.yaxis.set_major_formatter(_percent_formatter())
        ax2.set_title("高齢化率（65歳以上人口の割合）", loc="left", fontsize=10)
        bottom = ax2
    ticks = _ticks(years)
    bottom.set_xticks(ticks, [short_year(y) for y in ticks])
    bottom.set_xlabel("各年1月1日")
    peak_year = int(years[i_peak])
    rate_text = ""
    if has_rate:
        rate_text = f"下段は高齢化率の折れ線グラフで、{dec(rate[0], 2, '％')}から{dec(rate[-1], 2, '％')}。"
    return AppendixFigure(
        title=f"総人口{'と高齢化率' if has_rate else ''}の長期推移（{data.city_name}）",
        figure=fig,
        alt=(f"{label_jan(int(years[0]))}から{label_jan(int(years[-1]))}までの各年1月1日の値。上段は総人口の折れ線グラフで、"
             f"{_people(total[0])}から、{label_jan(peak_year)}の{_people(total[i_peak])}を最多として、"
             f"{_people(total[-1])}。{rate_text}"),
        source=_source(),
        notes=["平成24年までは日本人のみの人口。"] if years[0] < FOREIGN_FROM <= years[-1] else [],
    )


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter  # matplotlib only when a figure is drawn

    return FuncFormatter(lambda v, _pos: f"{numbers.rounded(v, 0)}％")
