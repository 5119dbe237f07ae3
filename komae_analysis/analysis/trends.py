"""Reading a series: its peak, turning points, monotone runs and the largest movers among series.

Every section that comments on a time series asks the same questions: where was the maximum, and
is the latest value below it ("peaked on 令和2年1月1日 and has fallen since")? Did the direction
change, ignoring tiny wiggles? For how many consecutive steps has it risen ("6年連続で増加")? Which
of several series (age classes, 圏域, service types) grew or shrank most? This module answers them
with small frozen dataclasses, and turns the answers into Japanese phrases whose numbers are
formatted by :mod:`komae_analysis.report.numbers` (the one rounding rule), so that a phrase never
prints a number differently from the table beside it.

A *series* is a :class:`pandas.Series` of numbers whose index is ordered in time (dates, years,
fiscal years); labels are kept as they are and passed to a ``when`` callable for the text.
``tolerance`` is an absolute amount: a step whose size is at most ``tolerance`` counts as flat, and
a reversal no larger than it is a wiggle, not a turning point. :func:`relative_tolerance` gives a
tolerance as a share of the series' level.

Pure functions, no I/O, no plotting.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from komae_analysis.report import numbers

__all__ = [
    "Mover",
    "Peak",
    "Run",
    "Turn",
    "change_phrase",
    "count_fmt",
    "latest_run",
    "movers",
    "peak",
    "peak_phrase",
    "rate_change_phrase",
    "relative_tolerance",
    "run_phrase",
    "runs",
    "trough",
    "turning_points",
]

UP, FLAT, DOWN = 1, 0, -1
_DIRECTION_JA = {UP: "増加", FLAT: "横ばい", DOWN: "減少"}


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peak:
    """The extreme value of a series (maximum for :func:`peak`, minimum for :func:`trough`) and
    where the series stands now."""

    at: Hashable  # index label of the extreme (the first, if it is reached more than once)
    value: float
    first_at: Hashable
    first: float
    latest_at: Hashable
    latest: float
    kind: str  # "max" or "min"
    tolerance: float = 0.0

    @property
    def is_latest(self) -> bool:
        """The extreme is the latest value (within the tolerance): still rising to new highs."""
        return abs(self.latest - self.value) <= self.tolerance

    @property
    def is_first(self) -> bool:
        return self.at == self.first_at

    @property
    def since(self) -> float:
        """latest − extreme (negative after a peak, positive after a trough)."""
        return self.latest - self.value

    @property
    def reversed_since(self) -> bool:
        """The series has moved back from the extreme by more than the tolerance: for a maximum,
        the latest value is below the peak ("has fallen since")."""
        return not self.is_latest


@dataclass(frozen=True)
class Turn:
    """A turning point: the series reached a local maximum (``kind="peak"``) or minimum
    (``"trough"``) there and then moved the other way by more than the tolerance."""

    at: Hashable
    value: float
    kind: str  # "peak" or "trough"


@dataclass(frozen=True)
class Run:
    """A maximal stretch of consecutive steps in one direction (UP, DOWN or FLAT)."""

    start_at: Hashable
    end_at: Hashable
    start: float
    end: float
    direction: int  # 1 up, -1 down, 0 flat
    steps: int  # number of consecutive steps (a yearly series: years)

    @property
    def change(self) -> float:
        return self.end - self.start

    @property
    def direction_ja(self) -> str:
        return _DIRECTION_JA[self.direction]


@dataclass(frozen=True)
class Mover:
    """One series' change between two labels, for ranking several series."""

    key: Hashable  # the series' name (a column of the frame)
    start: float
    end: float

    @property
    def change(self) -> float:
        return self.end - self.start

    @property
    def ratio(self) -> float | None:
        """end / start − 1 (None when start is 0)."""
        return None if self.start == 0 else self.end / self.start - 1


# ---------------------------------------------------------------------------------------------
# Reading one series
# ---------------------------------------------------------------------------------------------


def _clean(series: pd.Series) -> pd.Series:
    s = pd.Series(series, dtype="float64").dropna()
    if s.empty:
        raise ValueError("値のない系列です")
    if not (s.index.is_monotonic_increasing and s.index.is_unique):
        raise ValueError("系列の index は時間順（重複なし）にしてください")
    return s


def relative_tolerance(series: pd.Series, share: float) -> float:
    """A tolerance of ``share`` of the series' largest absolute level (0.001 of 83,261 → 83.3)."""
    s = _clean(series)
    return float(s.abs().max()) * share


def _extreme(series: pd.Series, kind: str, tolerance: float) -> Peak:
    s = _clean(series)
    at = s.idxmax() if kind == "max" else s.idxmin()
    return Peak(at=at, value=float(s[at]), first_at=s.index[0], first=float(s.iloc[0]),
                latest_at=s.index[-1], latest=float(s.iloc[-1]), kind=kind, tolerance=tolerance)


def peak(series: pd.Series, tolerance: float = 0.0) -> Peak:
    """The maximum of the series (its first occurrence) and where the series stands now."""
    return _extreme(series, "max", tolerance)


def trough(series: pd.Series, tolerance: float = 0.0) -> Peak:
    """The minimum of the series (its first occurrence) and where the series stands now."""
    return _extreme(series, "min", tolerance)


def _step_direction(diff: float, tolerance: float) -> int:
    if diff > tolerance:
        return UP
    if diff < -tolerance:
        return DOWN
    return FLAT


def runs(series: pd.Series, tolerance: float = 0.0) -> list[Run]:
    """The series cut into maximal runs of steps in one direction (a step of at most ``tolerance``
    is flat), oldest first. A series of one value has no steps and no runs."""
    s = _clean(series)
    labels, values = list(s.index), [float(v) for v in s]
    out: list[Run] = []
    start = 0
    current: int | None = None
    for i in range(1, len(values)):
        d = _step_direction(values[i] - values[i - 1], tolerance)
        if current is None:
            current = d
        elif d != current:
            out.append(Run(labels[start], labels[i - 1], values[start], values[i - 1], current, i - 1 - start))
            start, current = i - 1, d
    if current is not None:
        n = len(values) - 1
        out.append(Run(labels[start], labels[n], values[start], values[n], current, n - start))
    return out


def latest_run(series: pd.Series, tolerance: float = 0.0) -> Run | None:
    """The run that ends at the latest value ("6年連続で減少"), or None for a single value."""
    r = runs(series, tolerance)
    return r[-1] if r else None


def turning_points(series: pd.Series, tolerance: float = 0.0) -> list[Turn]:
    """Local maxima and minima where the direction changed by more than ``tolerance``.

    A zigzag reading: the series is followed from its start; once it has moved more than
    ``tolerance`` in one direction, the running extreme in that direction is a turning point as
    soon as the series moves back from it by more than ``tolerance`` (on a plateau, its first point).
    Wiggles no larger than the tolerance are ignored, and a flat stretch does not count as a turn.
    """
    s = _clean(series)
    labels, values = list(s.index), [float(v) for v in s]
    out: list[Turn] = []
    direction = FLAT
    ext_i = 0  # index of the running extreme in the current direction
    start_i = 0
    for i in range(1, len(values)):
        v = values[i]
        if direction == FLAT:
            if v - values[start_i] > tolerance:
                direction, ext_i = UP, i
            elif values[start_i] - v > tolerance:
                direction, ext_i = DOWN, i
            continue
        if direction == UP:
            if v > values[ext_i]:
                ext_i = i
            elif values[ext_i] - v > tolerance:
                out.append(Turn(labels[ext_i], values[ext_i], "peak"))
                direction, ext_i = DOWN, i
        else:
            if v < values[ext_i]:
                ext_i = i
            elif v - values[ext_i] > tolerance:
                out.append(Turn(labels[ext_i], values[ext_i], "trough"))
                direction, ext_i = UP, i
    return out


def movers(frame: pd.DataFrame | Mapping[Hashable, pd.Series], start: Hashable | None = None,
           end: Hashable | None = None, *, relative: bool = False) -> list[Mover]:
    """Every series' change from ``start`` to ``end`` (default: first and last label), largest
    increase first and largest decrease last. ``frame`` has one column per series (or is a mapping
    name → series) and time labels as index; ``relative=True`` ranks by ratio instead of amount
    (series starting at 0 go last)."""
    cols = frame if isinstance(frame, Mapping) else {c: frame[c] for c in frame.columns}
    out = []
    for key, series in cols.items():
        s = pd.Series(series, dtype="float64")
        a = s.index[0] if start is None else start
        b = s.index[-1] if end is None else end
        out.append(Mover(key, float(s[a]), float(s[b])))

    def rank(m: Mover) -> float:
        if relative:
            return m.ratio if m.ratio is not None else float("-inf")
        return m.change

    return sorted(out, key=rank, reverse=True)


# ---------------------------------------------------------------------------------------------
# Phrases (Japanese), numbers formatted by report.numbers
# ---------------------------------------------------------------------------------------------


def count_fmt(unit: str) -> Callable[[Any], str]:
    """A count as the tables print it, with its unit: 1,004人."""
    return lambda v: numbers.count(v, unit)


def change_phrase(diff: Any, unit: str = "人", fmt: Callable[[Any], str] | None = None) -> str:
    """1,004人増加 / 113人減少 / 横ばい (the size as printed by ``fmt``, default
    :func:`~komae_analysis.report.numbers.count` with ``unit``: a change that prints as 0 is 横ばい)."""
    fmt = fmt or count_fmt(unit)
    text = fmt(abs(diff))
    if text == fmt(0):
        return "横ばい"
    if diff > 0:
        return f"{text}増加"
    if diff < 0:
        return f"{text}減少"
    return "横ばい"


def rate_change_phrase(now: Any, then: Any, *, up: str = "上昇", down: str = "低下") -> str:
    """The change between two shares as printed: 0.8ポイント上昇 / 1.1ポイント低下 / 横ばい
    (:func:`~komae_analysis.report.numbers.pct_diff`: the difference of the printed percentages)."""
    d = numbers.pct_diff(now, then)
    if d == 0:
        return "横ばい"
    return f"{numbers.points(d)}{up if d > 0 else down}"


def run_phrase(run: Run | None, unit: str = "年", *, min_steps: int = 2) -> str:
    """「6年連続で減少」 for a run of at least ``min_steps`` steps; 「前年から増加」-like wording is the
    caller's. Empty for a shorter run, a flat run or None. ``unit`` names one step (年, 年度, か月)."""
    if run is None or run.direction == FLAT or run.steps < min_steps:
        return ""
    return f"{run.steps}{unit}連続で{run.direction_ja}"


def peak_phrase(p: Peak, *, when: Callable[[Hashable], str], fmt: Callable[[Any], str],
                up: str = "増加", down: str = "減少") -> str:
    """How the series moved around its maximum (or, for a :func:`trough`, its minimum), as a clause
    without the final 。 (``up``/``down`` name the directions: 上昇/低下 for rates):

    - extreme inside the period: 「令和2年1月1日の83,261人をピークに減少に転じています」
      (a trough: 「令和2年1月1日の23.3％を底に上昇に転じています」)
    - extreme at the latest value: 「令和8年1月1日の82,258人が最も多くなっています」 (最も少なく)
    - extreme at the first value: 「平成29年1月1日の80,805人が最も多く、その後は減少しています」
    """
    most = "最も多く" if p.kind == "max" else "最も少なく"
    after = down if p.kind == "max" else up
    noun = "ピーク" if p.kind == "max" else "底"
    if p.is_latest:
        return f"{when(p.latest_at)}の{fmt(p.latest)}が{most}なっています"
    if p.is_first:
        return f"{when(p.at)}の{fmt(p.value)}が{most}、その後は{after}しています"
    return f"{when(p.at)}の{fmt(p.value)}を{noun}に{after}に転じています"
