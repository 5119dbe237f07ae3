"""The charts Japanese survey reports use, drawn with :mod:`komae_analysis.report.charts`:

- :func:`bars` — horizontal bars of one question's shares (SA in option order; MA sorted by share,
  無回答 last), the share printed at each bar's end;
- :func:`stacked` — 100 % stacked horizontal bars (a Likert block: one bar per question; a cross tab:
  one bar per group), shares of 5 % or more printed in their segment; suppressed cells of a cross tab
  are merged into one grey 「x（秘匿）」 segment, so that the chart shows no more than the table;
- :func:`paired` — 前回 / 今回 bars for compared options.

Every number on a chart goes through :mod:`komae_analysis.report.numbers`. matplotlib is imported by
``new_figure`` when a chart is drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np

from komae_analysis.report import numbers
from komae_analysis.report.charts import OKABE_ITO, PALETTE, new_figure, percent

GREY = "#b8b8b8"
SUPPRESSED_LABEL = "x（秘匿）"
#: Likert colours: positive dark to light blue, negative light to dark orange, neutral/無回答 greys.
LIKERT_COLORS = ["#0b5394", "#6fa8dc", "#f6b26b", "#d55e00"]


def _wrap(label: str, width: int = 14) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def bars(labels: Sequence[str], shares: Sequence[float], *, sort: bool = False, xlabel: str = "割合",
         color: str = PALETTE[0]):
    """Horizontal bars (fractions); with ``sort`` by share, the last label (無回答) kept last."""
    labels, shares = list(labels), [0.0 if np.isnan(s) else float(s) for s in shares]
    if sort and len(labels) > 1:
        body = sorted(zip(labels[:-1], shares[:-1], strict=True), key=lambda x: -x[1])
        labels = [b[0] for b in body] + labels[-1:]
        shares = [b[1] for b in body] + shares[-1:]
    fig = new_figure(6.4, 0.42 * len(labels) + 1.0)
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    colors = [color] * len(labels)
    colors[-1] = GREY if labels[-1] in ("無回答", "分類なし") else color
    ax.barh(y, shares, color=colors, height=0.62)
    ax.set_yticks(y, [_wrap(lab, 18) for lab in labels], fontsize=8.5)
    ax.invert_yaxis()
    top = max(shares + [0.01])
    for yi, s in zip(y, shares, strict=True):
        ax.text(s + top * 0.01, yi, numbers.pct(s), va="center", fontsize=8.5)
    ax.set_xlim(0, min(1.0, top * 1.18 + 0.02))
    percent(ax, "x")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    return fig


def stacked(rows: Sequence[str], segments: Sequence[str], shares: np.ndarray, *, likert: bool = False,
            suppressed: np.ndarray | None = None, notes_row: Sequence[str] = ()):
    """100 % stacked bars: ``shares`` (rows × segments, fractions of each row's base). ``suppressed``
    (same shape) cells are merged into one grey segment per row, drawn last."""
    shares = np.nan_to_num(np.asarray(shares, dtype=float))
    n_rows, n_seg = shares.shape
    hidden = np.zeros_like(shares, dtype=bool) if suppressed is None else np.asarray(suppressed, dtype=bool)
    fig = new_figure(6.8, 0.45 * n_rows + 1.6)
    ax = fig.add_subplot()
    y = np.arange(n_rows)
    left = np.zeros(n_rows)
    if likert:
        scale = [c for c in LIKERT_COLORS]
        colors = (scale[:2] + [GREY] * (n_seg - 4) + scale[2:]) if n_seg >= 4 else PALETTE[:n_seg]
        colors = colors[:n_seg - 1] + ["#e0e0e0"]
    else:
        colors = [*PALETTE[:n_seg - 1], "#e0e0e0"] if n_seg <= len(PALETTE) + 1 else \
            [PALETTE[i % len(PALETTE)] for i in range(n_seg - 1)] + ["#e0e0e0"]
    for j in range(n_seg):
        w = np.where(hidden[:, j], 0.0, shares[:, j])
        ax.barh(y, w, left=left, color=colors[j], height=0.6, label=segments[j], edgecolor="white", linewidth=0.5)
        for yi, (x0, wi) in enumerate(zip(left, w, strict=True)):
            if wi >= 0.05:
                dark = colors[j] in (LIKERT_COLORS[0], LIKERT_COLORS[3], OKABE_ITO["blue"], OKABE_ITO["vermillion"])
                ax.text(x0 + wi / 2, yi, numbers.format_value(wi, "pct"), ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "#222222")
        left = left + w
    if hidden.any():
        rest = np.where(hidden, shares, 0.0).sum(axis=1)
        ax.barh(y, rest, left=left, color="#f2f2f2", height=0.6, label=SUPPRESSED_LABEL, edgecolor="#999999",
                hatch="///", linewidth=0.5)
    ax.set_yticks(y, [_wrap(r, 16) for r in rows], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    percent(ax, "x")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 if n_rows > 3 else -0.18), ncol=min(n_seg + 1, 4),
              fontsize=8, frameon=False)
    return fig


def paired(labels: Sequence[str], before: Sequence[float], after: Sequence[float], *, before_label: str,
           after_label: str):
    """前回 / 今回 horizontal bars for each label (fractions; NaN = no previous counterpart)."""
    n = len(labels)
    fig = new_figure(6.6, 0.62 * n + 1.3)
    ax = fig.add_subplot()
    y = np.arange(n)
    b = np.array([np.nan if v is None else v for v in before], dtype=float)
    a = np.array(after, dtype=float)
    ax.barh(y - 0.19, np.nan_to_num(b), height=0.36, color=OKABE_ITO["sky_blue"], label=before_label)
    ax.barh(y + 0.19, a, height=0.36, color=OKABE_ITO["blue"], label=after_label)
    top = float(np.nanmax(np.concatenate([a, b[~np.isnan(b)]]))) if n else 1.0
    for yi, v in zip(y, b, strict=True):
        if not np.isnan(v):
            ax.text(v + top * 0.01, yi - 0.19, numbers.pct(v), va="center", fontsize=8)
    for yi, v in zip(y, a, strict=True):
        ax.text(v + top * 0.01, yi + 0.19, numbers.pct(v), va="center", fontsize=8)
    ax.set_yticks(y, [_wrap(lab, 20) for lab in labels], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, min(1.0, top * 1.2 + 0.02))
    percent(ax, "x")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


__all__ = ["SUPPRESSED_LABEL", "bars", "paired", "stacked"]
