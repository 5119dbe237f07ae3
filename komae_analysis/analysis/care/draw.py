"""The section's two kinds of chart: stacked bars by fiscal year and lines by fiscal year, with the
見込 year drawn apart (hatched bar; open marker on a dashed last segment)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from komae_analysis.analysis.care.data import CareData, tick_labels
from komae_analysis.report.charts import label_ends, new_figure, percent, thousands
from komae_analysis.report.numbers import count, pct

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _estimate_index(data: CareData) -> int | None:
    return len(data.all_years) - 1 if data.estimate_fy is not None else None


def stacked_bars(
    data: CareData,
    layers: Sequence[tuple[str, pd.Series, str]],
    *,
    ylabel: str,
    totals: pd.Series | None = None,
    scale: float = 1.0,
    total_text: Callable[[float], str] | None = None,
    height: float = 4.4,
) -> Figure:
    """Bars per fiscal year stacked from the first layer up (values divided by ``scale`` on the
    axis); the 見込 bar hatched; the total written above each bar (``total_text`` formats it, by
    default a count); legend top to bottom as stacked."""
    fig = new_figure(8, height)
    ax = fig.add_subplot()
    x = np.arange(len(data.all_years))
    bottom = np.zeros(len(x))
    est = _estimate_index(data)
    for label, series, color in layers:
        y = series.fillna(0).to_numpy(dtype=float) / scale
        bars = ax.bar(x, y, bottom=bottom, color=color, label=label, width=0.65, edgecolor="white", linewidth=0.5)
        if est is not None:
            bars[est].set_hatch("///")
            bars[est].set_alpha(0.75)
        bottom += y
    if totals is not None:
        fmt = total_text or (lambda v: count(v))
        for i, v in enumerate(totals.to_numpy(dtype=float)):
            if not np.isnan(v):
                ax.annotate(fmt(v), (x[i], v / scale), textcoords="offset points", xytext=(0, 3),
                            ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, tick_labels(data))
    ax.set_ylabel(ylabel)
    thousands(ax, "y")
    ax.set_ylim(0, bottom.max() * 1.12 if len(bottom) and bottom.max() > 0 else 1)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_xlabel("年度（見込の棒は斜線）" if est is not None else "年度")
    return fig


def year_lines(
    data: CareData,
    lines: Sequence[tuple[str, pd.Series, str]],
    *,
    ylabel: str,
    percent_axis: bool = False,
    end_text: Callable[[float], str] | None = None,
) -> Figure:
    """One line per series over the fiscal years (the first drawn thicker); the 見込 point open and
    joined by a dashed segment; the first and last actual values written at the ends."""
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(data.all_years))
    est = _estimate_index(data)
    markers = ("o", "s", "^", "D")
    fmt = end_text or (pct if percent_axis else (lambda v: count(v)))
    values = []
    for i, (label, series, color) in enumerate(lines):
        y = series.to_numpy(dtype=float)
        values.extend(v for v in y if not np.isnan(v))
        width = 2.4 if i == 0 else 1.6
        actual = len(x) if est is None else est
        ax.plot(x[:actual], y[:actual], marker=markers[i % 4], color=color, label=label, linewidth=width)
        label_ends(ax, x[:actual], y[:actual], fmt, color=color)
        if est is not None:
            ax.plot(x[est - 1:], y[est - 1:], color=color, linewidth=width, linestyle="--")
            ax.plot(x[est], y[est], marker=markers[i % 4], color=color, markerfacecolor="white", linestyle="none")
    ax.set_xticks(x, tick_labels(data))
    if percent_axis:
        percent(ax, "y", decimals=0)
        lo, hi = min(values), max(values)
        ax.set_ylim(lo - 0.015, hi + 0.015)
    else:
        thousands(ax, "y")
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.15 or hi * 0.1
        ax.set_ylim(max(0, lo - pad), hi + pad)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("年度（見込は白抜きの点と破線）" if est is not None else "年度")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
