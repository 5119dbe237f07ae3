"""Helpers of the sections built on yearly figures (年度 or 年): period labels, the periods of a run,
and the reading of a series for the commentary (:mod:`komae_analysis.analysis.trends`).

Used by :mod:`~komae_analysis.analysis.community` and :mod:`~komae_analysis.analysis.recidivism`.
Every number a phrase prints goes through :mod:`komae_analysis.report.numbers` (the rule of the
tables beside it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import pandas as pd

from komae_analysis import calendar
from komae_analysis.analysis import trends
from komae_analysis.analysis.trends import count_fmt
from komae_analysis.report import numbers


def fy_label(fy: int) -> str:
    """令和7年度"""
    return calendar.wareki_fy(int(fy))


def year_label(year: int) -> str:
    """令和6年 (2019: 令和元年)"""
    return calendar.wareki_year(int(year))


def fy_ticks(years: Iterable[int]) -> list[str]:
    """Axis ticks: R7\\n2025 (fiscal years)."""
    return [f"{calendar.short_fy(int(y))}\n{int(y)}" for y in years]


def year_ticks(years: Iterable[int]) -> list[str]:
    """Axis ticks: R6\\n2024 (calendar years, named by the era of their end: 2019 → R1)."""
    return [f"{calendar.short_wareki(dt.date(int(y), 12, 31))}\n{int(y)}" for y in years]


def last_periods(available: Iterable[int], last: int, count: int) -> tuple[int, ...]:
    """The latest ``count`` periods of ``available`` that are not after ``last``, oldest first."""
    eligible = sorted({int(p) for p in available if int(p) <= last})
    return tuple(eligible[-count:]) if count > 0 else ()


def short_note(periods: tuple[int, ...], asked: int, label: Callable[[int], str]) -> list[str]:
    """The 注 of a table whose data start later than asked."""
    if not periods or len(periods) >= asked:
        return []
    return [f"{label(periods[0])}より前のデータがないため、{label(periods[0])}以降を掲載。"]


def rate_fmt(unit: str = "‰", places: int = 1) -> Callable[[Any], str]:
    return lambda v: numbers.dec(v, places, unit)


def course(
    series: pd.Series,
    *,
    name: str,
    when: Callable[[Hashable], str],
    fmt: Callable[[Any], str],
    step: str,
    tolerance: float = 0.0,
    up: str = "増加",
    down: str = "減少",
) -> str:
    """How a yearly series moved, in one or two sentences (no number that the table beside it does
    not print): its peak (or bottom) inside the period and the turn after it, else its move from the
    first to the latest value with the run that ends there (「3年度連続で増加」); then where it stands.

    ``step`` names one step of the run (年 or 年度); ``fmt`` prints a value as the table does.
    """
    s = pd.Series(series, dtype="float64").dropna()
    if s.empty:
        return ""
    if len(s) == 1:
        return f"{name}は{when(s.index[0])}に{fmt(s.iloc[0])}です。"
    high, low = trends.peak(s, tolerance), trends.trough(s, tolerance)
    first, last = s.index[0], s.index[-1]
    run = trends.latest_run(s, tolerance)
    streak = trends.run_phrase(run, step)
    if streak and run is not None:  # the run in the series' own words (上昇/低下 for a rate)
        streak = f"{run.steps}{step}連続で{up if run.direction == trends.UP else down}"
    shown = fmt(s[last]) != fmt(high.value)
    if not high.is_first and not high.is_latest and shown:
        text = f"{name}は、{trends.peak_phrase(high, when=when, fmt=fmt, up=up, down=down)}"
        text += f"（{streak}）" if streak and run is not None and run.direction == trends.DOWN else ""
        return text + f"。{when(last)}は{fmt(s[last])}です。"
    if not low.is_first and not low.is_latest and fmt(s[last]) != fmt(low.value):
        text = f"{name}は、{trends.peak_phrase(low, when=when, fmt=fmt, up=up, down=down)}"
        text += f"（{streak}）" if streak and run is not None and run.direction == trends.UP else ""
        return text + f"。{when(last)}は{fmt(s[last])}です。"
    if fmt(s[first]) == fmt(s[last]):
        return f"{name}は{when(first)}、{when(last)}とも{fmt(s[last])}です。"
    verb = up if s[last] > s[first] else down
    text = f"{name}は{when(first)}の{fmt(s[first])}から{when(last)}の{fmt(s[last])}へ{verb}しています"
    if streak and run is not None and run.start_at == first:
        text += f"（{streak}）"
    return text + "。"


def relation(a: Any, b: Any, fmt: Callable[[Any], str]) -> str:
    """上回って / 下回って / 同じ水準となって, judged on the printed values."""
    if fmt(a) == fmt(b):
        return "同じ水準となって"
    return "上回って" if a > b else "下回って"


__all__ = [
    "count_fmt",
    "course",
    "fy_label",
    "fy_ticks",
    "last_periods",
    "rate_fmt",
    "relation",
    "short_note",
    "year_label",
    "year_ticks",
]
