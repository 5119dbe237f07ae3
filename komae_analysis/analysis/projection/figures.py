"""The section's figures: the projected age groups and 高齢化率, the pyramid of the base date and the
target year, 高齢化率 by 日常生活圏域, and the comparison with the 社人研 projection. matplotlib is
imported by :func:`komae_analysis.report.charts.new_figure`, only when a figure is drawn."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from komae_analysis import calendar
from komae_analysis.analysis.projection.data import (
    GROUPS,
    ProjectionData,
    label_date,
    source_projection,
)
from komae_analysis.analysis.projection.tables import (
    ACTUAL,
    age_pair,
    ipss_comparison_frame,
    ipss_source,
    people,
    series,
)
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
from komae_analysis.report.numbers import pct

THREE = (("age0_14", PALETTE[2]), ("age15_64", PALETTE[0]), ("age65", PALETTE[1]))


def _ticks(dates: list[pd.Timestamp]) -> list[str]:
    return [f"{calendar.short_wareki(pd.Timestamp(d).date())}\n{pd.Timestamp(d).year}" for d in dates]


def projection_figure(data: ProjectionData) -> AppendixFigure:
    """Stacked bars of the three age groups (actual dates plain, projected dates hatched) and the
    高齢化率 line on the right axis."""
    s = series(data)
    dates = list(s.index)
    fig = new_figure(8, 4.6)
    ax = fig.add_subplot()
    x = np.arange(len(s))
    actual = (s["kind"] == ACTUAL).to_numpy()
    bottom = np.zeros(len(s))
    for key, color in THREE:
        values = s[key].to_numpy(dtype=float)
        ax.bar(x[actual], values[actual], bottom=bottom[actual], color=color, width=0.65, label=GROUPS[key][0])
        ax.bar(x[~actual], values[~actual], bottom=bottom[~actual], color=color, width=0.65, alpha=0.55,
               hatch="//", edgecolor="white", linewidth=0)
        bottom += values
    n_actual = int(actual.sum())
    ax.axvline(n_actual - 0.5, color="#444444", linestyle="--", linewidth=0.9)
    top = bottom.max() * 1.9
    ax.text(n_actual - 0.6, top * 0.97, "実績", ha="right", va="top", fontsize=9)
    ax.text(n_actual - 0.4, top * 0.97, "推計", ha="left", va="top", fontsize=9)
    ax.set_xticks(x, _ticks(dates))
    ax.set_ylabel("人口（人）")
    thousands(ax, "y")
    ax.set_ylim(0, top)
    ax2 = right_axis(ax)
    rate = s["aging_rate"].to_numpy(dtype=float)
    ax2.plot(x, rate, color=PALETTE[3], marker="o", label="高齢化率（右目盛）")
    label_ends(ax2, x, rate, pct, color=PALETTE[3])
    percent(ax2, "y", decimals=0)
    lo, hi = float(rate.min()), float(rate.max())
    # the line in the band above the bars (which fill the lower ~half): lowest value at 58%, highest at 90%
    span = max(hi - lo, 0.01) / 0.32
    step = 0.05 if hi - lo > 0.04 else 0.01
    ax2.set_yticks(np.arange(math.floor(lo / step) * step, hi + step, step))
    ax2.set_ylim(lo - 0.58 * span, lo - 0.58 * span + span)
    ax2.set_ylabel("高齢化率")
    bars, bar_labels = ax.get_legend_handles_labels()
    lines, line_labels = ax2.get_legend_handles_labels()
    ax.legend(bars[::-1] + lines, bar_labels[::-1] + line_labels, loc="upper left", bbox_to_anchor=(1.1, 1.0),
              frameon=False)
    ax.set_xlabel("各年1月1日（斜線は推計）")
    first, last = s.iloc[0], s.iloc[-1]
    return AppendixFigure(
        title=f"年齢3区分別人口と高齢化率の推計（{data.city_name}）",
        figure=fig,
        alt=(
            f"{label_date(dates[0])}から{label_date(dates[-1])}までの5年ごとの人口を、上から"
            f"{'・'.join(GROUPS[k][0] for k, _c in THREE[::-1])}の順に積み上げた棒グラフ（{label_date(data.base)}までが実績、"
            f"その後の斜線の棒が推計）と、高齢化率の折れ線グラフ（右目盛）。総人口は{people(first['total'])}から"
            f"{people(last['total'])}、高齢化率は{pct(first['aging_rate'])}から{pct(last['aging_rate'])}。"
        ),
        source=source_projection(),
    )


def _outline(values: np.ndarray, y: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """A stepped outline through ``values`` at ``y`` (one per class, spaced 1)."""
    xs, ys = [], []
    n = len(values)
    for i in range(n):
        xs += [values[i], values[i]]
        ys += [y[i] - (half if i == 0 else 0.5), y[i] + (half if i == n - 1 else 0.5)]
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def pyramid_figure(data: ProjectionData) -> AppendixFigure:
    """Bars: the target year (projected); black outline: the base date (actual)."""
    now, then = age_pair(data)
    target = data.settings.target_year
    when = f"{calendar.wareki_year(target)}（{target}年）"
    open_age = data.settings.open_age
    labels = [f"{s}歳以上" if s >= open_age else f"{s}～{s + 4}歳" for s in data.starts]
    fig = new_figure(8, 6)
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    height = 0.8
    ax.barh(y, -then[:, 0], color=SEX_COLORS["男"], height=height, label=f"男（{when}、推計）")
    ax.barh(y, then[:, 1], color=SEX_COLORS["女"], height=height, label=f"女（{when}、推計）")
    xm, ym = _outline(-now[:, 0].astype(float), y, height / 2)
    ax.plot(xm, ym, color="#222222", linewidth=1.2, label=f"{label_date(data.base)}（実績、男女とも）")
    xf, yf = _outline(now[:, 1].astype(float), y, height / 2)
    ax.plot(xf, yf, color="#222222", linewidth=1.2)
    ax.set_yticks(y, labels)
    ax.set_ylim(y[0] - 0.6, y[-1] + 0.6)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    lim = max(now.max(), then.max()) * 1.1
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ax.set_xlabel("人口（人）　←男　　女→")
    handles, names = ax.get_legend_handles_labels()
    order = [names.index(t) for t in names if t.startswith("男")] + [names.index(t) for t in names if t.startswith("女")]
    order += [i for i in range(len(names)) if i not in order]  # bars (男, 女), then the line, as the alt text reads
    ax.legend([handles[i] for i in order], [names[i] for i in order], loc="upper center", bbox_to_anchor=(0.5, -0.12),
              ncol=3, frameon=False, fontsize=9)
    total_then = then.sum(axis=1)
    peak = int(np.argmax(total_then))
    return AppendixFigure(
        title=f"人口ピラミッドの推計（{data.city_name}、{when}と{label_date(data.base)}の比較）",
        figure=fig,
        alt=(
            f"5歳階級別・男女別の人口ピラミッド（左が男、右が女、下から0～4歳、最上段が{labels[-1]}）。"
            f"棒が{when}10月1日の推計、黒い線が{label_date(data.base)}の実績。"
            f"{when}に最も人口が多い階級は{labels[peak]}（{people(total_then[peak])}）。"
        ),
        source=source_projection(),
    )


def area_figure(data: ProjectionData) -> AppendixFigure:
    """高齢化率 of each 日常生活圏域 and of the city on the five-year dates from the base."""
    s_city = series(data)
    dates = [d for d in s_city.index if d >= data.base]
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(dates))
    last = {}
    markers = ("o", "s", "^")
    for i, run in enumerate(data.areas):
        rate = [data.groups(run, d)["aging_rate"] for d in dates]
        last[run.name] = rate[-1]
        ax.plot(x, rate, marker=markers[i % 3], color=PALETTE[i], label=run.name, linewidth=1.8)
    city_rate = [data.groups(data.city, d)["aging_rate"] for d in dates]
    last["市全体"] = city_rate[-1]
    ax.plot(x, city_rate, color="#222222", linestyle="--", linewidth=1.4, label="市全体")
    ax.set_xticks(x, _ticks(dates))
    percent(ax, "y", decimals=0)
    ax.set_ylabel("高齢化率")
    ax.set_xlabel(f"各年1月1日（{label_date(data.base)}は実績、その後は推計）")
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: -last[labels[i]])
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", frameon=False)
    shown = [labels[i] for i in order]
    return AppendixFigure(
        title=f"日常生活圏域別の高齢化率の推計（{label_date(dates[0])}～{label_date(dates[-1])}）",
        figure=fig,
        alt=(
            f"{label_date(dates[0])}から{label_date(dates[-1])}までの5年ごとの高齢化率を日常生活圏域別に示した"
            f"折れ線グラフ（破線は市全体）。{label_date(dates[-1])}の値の高い順に"
            + "、".join(f"{n}{pct(last[n])}" for n in shown) + "。"
        ),
        source=source_projection(),
    )


def ipss_figure(data: ProjectionData) -> AppendixFigure:
    """Total population: 社人研 (国勢調査 base) and the city's own (register), on 1 October."""
    c = ipss_comparison_frame(data)
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    years = c["year"].to_numpy()
    ipss = pd.to_numeric(c["ipss_total"], errors="coerce").to_numpy(dtype=float)  # NA (a marker) → a gap
    own = pd.to_numeric(c["own_total"], errors="coerce").to_numpy(dtype=float)
    ax.plot(years, ipss, marker="o", color=PALETTE[1], label="国立社会保障・人口問題研究所の推計")
    ax.plot(years, own, marker="s", color=PALETTE[0], label="市の推計（住民基本台帳）")
    has = ~np.isnan(ipss)
    label_ends(ax, years[has], ipss[has], people, color=PALETTE[1])
    ok = ~np.isnan(own)
    label_ends(ax, years[ok], own[ok], people, color=PALETTE[0], offset_points=-16)
    ax.set_xticks(years, [f"{calendar.wareki_year(int(y))}\n{int(y)}" for y in years])
    thousands(ax, "y")
    lo = np.nanmin(np.concatenate([ipss, own]))
    hi = np.nanmax(np.concatenate([ipss, own]))
    pad = (hi - lo) * 0.25 + 1
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_ylabel("総人口（人）")
    ax.set_xlabel("各年10月1日")
    ax.legend(loc="lower left", frameon=False)
    known = c[c["ipss_total"].notna()]
    first, last = (known.iloc[0], known.iloc[-1]) if not known.empty else (c.iloc[0], c.iloc[-1])
    own_last = "" if pd.isna(c.iloc[-1]["own_total"]) else f"、市の推計は{people(c.iloc[-1]['own_total'])}"
    course = (f"国立社会保障・人口問題研究所の推計は{people(first['ipss_total'])}から{people(last['ipss_total'])}"
              if not known.empty else "国立社会保障・人口問題研究所の推計は欠測")
    return AppendixFigure(
        title=f"総人口の推計の比較（{data.city_name}、国立社会保障・人口問題研究所の推計と市の推計）",
        figure=fig,
        alt=(
            f"{int(c.iloc[0]['year'])}年から{int(c.iloc[-1]['year'])}年までの各年10月1日の総人口の折れ線グラフ。"
            f"{course}{own_last}。"
        ),
        source=ipss_source(),
    )
