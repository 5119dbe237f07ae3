"""The section's figures: the trend by 手帳/制度, the composition of 身体障害者手帳 by 障害種別 over the
years, and the age composition of each 手帳/制度 (drawn with :mod:`komae_analysis.report.charts`)."""

from __future__ import annotations

import numpy as np

from komae_analysis.analysis.disability.data import (
    SHORT,
    DisabilityData,
    by_levels,
    fy,
    fy_end,
    people,
    source_city,
    totals,
    year_ticks,
)
from komae_analysis.analysis.disability.tables import AGE_SHARE, age_shares
from komae_analysis.ingest.disability_common import AGE_BANDS, SHINTAI, SHINTAI_KINDS, TABLES
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure, percent, thousands
from komae_analysis.report.numbers import pct, shown_pct


def trend_figure(data: DisabilityData) -> AppendixFigure | str:
    if not data.has_city:
        return ""
    t = totals(data).astype("float64")
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    x = np.arange(len(data.years))
    markers = ("o", "s", "^", "D", "v")
    order = sorted(TABLES, key=lambda c: -t[c].iloc[-1])
    for i, table in enumerate(TABLES):
        ax.plot(x, t[table], marker=markers[i], color=PALETTE[i], label=SHORT[table], linewidth=1.8)
    top = float(t.max().max()) * 1.12
    ax.set_ylim(0, top)
    # the latest values, right of the last points, pushed apart where lines end close together
    ends = sorted(((float(t[c].iloc[-1]), c) for c in TABLES), reverse=True)
    gap = top * 0.045
    placed: list[float] = []
    for value, table in ends:
        y = min(value, placed[-1] - gap) if placed else value
        placed.append(y)
        ax.annotate(people(value), (x[-1], value), xytext=(x[-1] + 0.25, y), textcoords="data", va="center",
                    fontsize=8.5, color=PALETTE[TABLES.index(table)])
    ax.set_xlim(-0.4, x[-1] + 1.1)
    ax.set_xticks(x, year_ticks(data.years))
    thousands(ax, "y")
    ax.set_ylabel("人")
    ax.set_xlabel("各年度末（3月31日）")
    handles, labels = ax.get_legend_handles_labels()
    idx = [TABLES.index(c) for c in order]
    ax.legend([handles[i] for i in idx], [labels[i] for i in idx], loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    return AppendixFigure(
        title=f"障害者手帳所持者数等の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_end(data.first)}から{fy_end(data.latest)}までの手帳所持者数・受給者数の折れ線グラフ。"
             f"{fy_end(data.latest)}の多い順に"
             + "、".join(f"{SHORT[c]}{people(t[c].iloc[-1])}（{fy(data.first)}は{people(t[c].iloc[0])}）"
                         for c in order) + "。"),
        source=source_city(),
    )


def shintai_composition_figure(data: DisabilityData) -> AppendixFigure | str:
    """100 % stacked bars: the share of each 障害種別 of 身体障害者手帳, every year."""
    if not data.has_city:
        return ""
    kinds = by_levels(data, SHINTAI, "kind", SHINTAI_KINDS).astype("float64")
    shares = kinds.div(kinds.sum(axis=1), axis=0)
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    x = np.arange(len(data.years))
    bottom = np.zeros(len(x))
    for i, kind in enumerate(SHINTAI_KINDS):
        values = shares[kind].to_numpy()
        ax.bar(x, values, bottom=bottom, color=PALETTE[i], label=kind, width=0.7)
        for j, v in enumerate(values):
            if v >= 0.06:
                ax.text(x[j], bottom[j] + v / 2, f"{shown_pct(v)}", ha="center", va="center", fontsize=7.5,
                        color="white" if i in (0, 3) else "#222222")
        bottom += values
    ax.set_xticks(x, year_ticks(data.years))
    ax.set_ylim(0, 1)
    percent(ax, "y")
    ax.set_xlabel("各年度末（3月31日）")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    first, last = shares.iloc[0], shares.iloc[-1]
    return AppendixFigure(
        title=f"身体障害者手帳所持者の障害種別の構成比の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_end(data.first)}から{fy_end(data.latest)}までの身体障害者手帳所持者の障害種別の構成比を、下から"
             + "・".join(SHINTAI_KINDS) + "の順に積み上げた100％の棒グラフ。"
             + "、".join(f"{k}は{pct(first[k])}から{pct(last[k])}" for k in SHINTAI_KINDS) + "。"),
        source=source_city(),
        notes=["棒の中の数値は構成比（％）。6％未満は省略。"],
    )


def age_figure(data: DisabilityData) -> AppendixFigure | str:
    """Horizontal 100 % bars: each 手帳/制度 by 年齢区分, the latest year."""
    if not data.has_city:
        return ""
    frame = age_shares(data)
    cols = [AGE_SHARE.format(a) for a in AGE_BANDS]
    frame = frame[frame[cols].notna().all(axis=1)].reset_index(drop=True)
    fig = new_figure(8, 3.6)
    ax = fig.add_subplot()
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    colors = (PALETTE[2], PALETTE[0], PALETTE[1])
    for i, (band, col) in enumerate(zip(AGE_BANDS, cols, strict=True)):
        values = frame[col].astype("float64").to_numpy()
        ax.barh(y, values, left=left, color=colors[i], label=band, height=0.6)
        for j, v in enumerate(values):
            if v >= 0.06:
                ax.text(left[j] + v / 2, y[j], f"{shown_pct(v)}", ha="center", va="center", fontsize=8,
                        color="white" if i == 1 else "#222222")
        left += values
    ax.set_yticks(y, frame["区分"].tolist())
    ax.set_xlim(0, 1)
    percent(ax, "x")
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return AppendixFigure(
        title=f"年齢区分別の構成比（{fy_end(data.latest)}、{data.city_name}）",
        figure=fig,
        alt=(f"{fy_end(data.latest)}の手帳・制度ごとの年齢区分別構成比を、左から"
             + "・".join(AGE_BANDS) + "の順に並べた100％の横棒グラフ。"
             + "、".join(f"{r['区分']}は" + "・".join(pct(r[c]) for c in cols) for _i, r in frame.iterrows()) + "。"),
        source=source_city(),
        notes=["棒の中の数値は構成比（％）。6％未満は省略。"],
    )
