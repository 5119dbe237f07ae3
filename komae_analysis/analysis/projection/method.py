"""コーホート変化率法: the arithmetic of the projection, on plain numpy arrays (no pandas, no I/O).

Arrays, everywhere in this module:

- *single years*: shape (…, 101, 2): ages 0 … 99 and the open group 100歳以上 (index 100), sex (男, 女);
- *classes*: shape (…, n, 2): the 5-year classes 0～4, 5～9, …, the last one open
  (``open_age``歳以上, e.g. 90歳以上 with n = 19).

The method (docs/domain.md, 将来人口推計, says the same in Japanese):

1. **Yearly change by single year of age.** For each pair of consecutive 1 January register dates
   (t, t+1) and each sex, the people aged a+1 on t+1 per person aged a on t (deaths and moves
   together: the cohort change ratio of one year). The open group: the people aged 100 or over on
   t+1 per person aged 99 or over on t. Over the ``periods`` most recent yearly steps the ratios are
   *pooled*: the sum of the numerators over the sum of the denominators (each year weighted by its
   size; a single small cohort cannot swing the average). :func:`yearly_ratios`.
2. **Five-year ratio of each 5-year class.** Each single-year cohort of the base date is carried
   five years along the yearly ratios (a person aged a passes a → a+1 → … → a+5), and the class
   ratio is what the class as a whole keeps: Σ P(a)·Π r / Σ P(a) over the ages a of the class on the
   base date. This is the 5-year cohort change ratio (population aged x+5～x+9 at t+5 ÷ aged x～x+4
   at t) that the yearly register data imply; the ratios are then kept for every later step.
   :func:`five_year_ratios`.
3. **The open top class is closed** on the two oldest classes: (``open_age``+ at t+5) =
   R × (``open_age``−5+ at t), where R is the five-year ratio of everybody aged ``open_age``−5 or over
   on the base date (step 2 over those ages, the 100歳以上 group keeping the open group's ratio).
4. **0～4歳 from the child–woman ratio**: 0～4歳 (both sexes) ÷ women 15～49歳 on the same date,
   pooled over the dates of the averaging window (:func:`child_woman_ratio`); the projected
   0～4歳 = ratio × the projected women 15～49歳 of the same date, split by sex with the observed
   share of boys among 0～4歳 over the same dates (:func:`boys_share`) or a set share.
5. **Steps of five years** from the base date (:func:`project`); values between two dates are
   linear in time (:func:`interpolate`).

Why yearly steps are chained rather than 5-year pairs of dates (t, t+5) averaged: the register
files start on 1 January 2017, so a pair five years apart exists only from 2022 on, and a projection
from five years earlier (the back-test, base 2021) could not be computed at all; the yearly changes
give the same 5-year ratio for every base date the data allow.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

N_SINGLE = 101  # ages 0 … 99 and 100歳以上
OPEN_SINGLE = 100  # index of 100歳以上
MALE, FEMALE = 0, 1


def class_starts(open_age: int) -> list[int]:
    """The lower bounds of the 5-year classes: [0, 5, …, open_age] (the last is open)."""
    if open_age % 5 or not 10 <= open_age <= OPEN_SINGLE:
        raise ValueError(f"open_age は10～100の5の倍数です: {open_age}")
    return list(range(0, open_age + 1, 5))


def to_classes(single: np.ndarray, open_age: int) -> np.ndarray:
    """Single years (…, 101, 2) → 5-year classes (…, n, 2), the last class ``open_age``歳以上."""
    starts = class_starts(open_age)
    parts = [single[..., s : s + 5, :].sum(axis=-2) for s in starts[:-1]]
    parts.append(single[..., open_age:, :].sum(axis=-2))
    return np.stack(parts, axis=-2)


def yearly_ratios(single: np.ndarray, periods: int, fallback: np.ndarray | None = None) -> np.ndarray:
    """Pooled one-year cohort change ratios by single year of age and sex, shape (101, 2).

    ``single`` holds consecutive yearly dates (T, 101, 2), oldest first; the last ``periods`` steps
    are used (the dates T−1−periods … T−1). ``r[a]`` (a = 0 … 98) = Σ P(t+1, a+1) / Σ P(t, a);
    ``r[99] = r[100]`` = Σ P(t+1, 100+) / Σ P(t, 99 and 100+) (the open group). Where a denominator is
    0 (nobody of that age in any of those years) the ratio is taken from ``fallback`` (the city's
    ratios for a 日常生活圏域), else 0.
    """
    if single.ndim != 3 or single.shape[1:] != (N_SINGLE, 2):
        raise ValueError(f"single years are (dates, 101, 2), not {single.shape}")
    if not 1 <= periods <= single.shape[0] - 1:
        raise ValueError(f"periods は1以上{single.shape[0] - 1}以下です: {periods}")
    window = single[-(periods + 1) :].astype(float)
    before, after = window[:-1], window[1:]
    num = np.empty((N_SINGLE, 2))
    den = np.empty((N_SINGLE, 2))
    num[:99] = after[:, 1:100].sum(axis=0)
    den[:99] = before[:, 0:99].sum(axis=0)
    num[99] = num[100] = after[:, 100].sum(axis=0)
    den[99] = den[100] = before[:, 99:101].sum(axis=(0, 1))
    out = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    if fallback is not None:
        out = np.where(den > 0, out, fallback)
    return out


def _carried(yearly: np.ndarray, years: int = 5) -> np.ndarray:
    """For each single age a on the base date and sex: Π_{k<years} r[min(a+k, 100)], shape (101, 2)."""
    ages = np.arange(N_SINGLE)
    out = np.ones((N_SINGLE, 2))
    for k in range(years):
        out *= yearly[np.minimum(ages + k, OPEN_SINGLE)]
    return out


def five_year_ratios(yearly: np.ndarray, base_single: np.ndarray, open_age: int) -> np.ndarray:
    """The 5-year cohort change ratios of the classes, shape (n − 1, 2).

    Row i (i < n − 2): class i (x～x+4) → class i+1 (x+5～x+9) =
    Σ_{a=x}^{x+4} P(a)·Π r / Σ_{a=x}^{x+4} P(a), P the base date's single years, Π the five yearly
    ratios along the cohort (:func:`_carried`). The last row closes the open class: everybody aged
    ``open_age``−5 or over on the base date → ``open_age``歳以上 five years on. A class nobody is in on
    the base date gets the plain mean of its ages' carried ratios.
    """
    starts = class_starts(open_age)
    carried = _carried(yearly)
    base = base_single.astype(float)
    rows = []
    spans = [(s, s + 5) for s in starts[:-2]] + [(starts[-2], N_SINGLE)]
    for lo, hi in spans:
        weight = base[lo:hi]
        total = weight.sum(axis=0)
        kept = (weight * carried[lo:hi]).sum(axis=0)
        plain = carried[lo:hi].mean(axis=0)
        rows.append(np.where(total > 0, kept / np.where(total > 0, total, 1.0), plain))
    return np.array(rows)


def mother_rows(open_age: int, mother_ages: Sequence[int]) -> slice:
    """The classes of women counted for the child–woman ratio (15～49歳 → classes 3 … 9)."""
    lo, hi = mother_ages
    starts = class_starts(open_age)
    if lo % 5 or (hi + 1) % 5 or lo not in starts or hi + 1 not in starts or hi < lo:
        raise ValueError(f"mother_ages は5歳階級の境目です（例: 15, 49）: {lo}, {hi}")
    return slice(starts.index(lo), starts.index(hi + 1))


def child_woman_ratio(classes: np.ndarray, mothers: slice) -> float:
    """0～4歳 (both sexes) ÷ women of ``mothers``, pooled over the dates of ``classes`` (D, n, 2):
    Σ_t P(t, 0～4) / Σ_t W(t)."""
    children = classes[:, 0, :].sum()
    women = classes[:, mothers, FEMALE].sum()
    return float(children / women) if women > 0 else 0.0


def boys_share(classes: np.ndarray) -> float:
    """The share of boys among 0～4歳 over the dates of ``classes`` (D, n, 2); 0.5 when there are none."""
    total = classes[:, 0, :].sum()
    return float(classes[:, 0, MALE].sum() / total) if total > 0 else 0.5


def project(
    base: np.ndarray, ratios: np.ndarray, cwr: float, male_share: float, mothers: slice, steps: int
) -> np.ndarray:
    """The base date's classes (n, 2) carried ``steps`` five-year steps: shape (steps + 1, n, 2),
    row 0 the base itself. Unrounded (round for display only)."""
    n = base.shape[0]
    if ratios.shape != (n - 1, 2):
        raise ValueError(f"ratios are (n − 1, 2) = ({n - 1}, 2), not {ratios.shape}")
    out = np.empty((steps + 1, n, 2))
    out[0] = base
    for s in range(1, steps + 1):
        prev = out[s - 1]
        nxt = np.empty((n, 2))
        nxt[1 : n - 1] = ratios[: n - 2] * prev[: n - 2]
        nxt[n - 1] = ratios[n - 2] * (prev[n - 2] + prev[n - 1])
        births = cwr * nxt[mothers, FEMALE].sum()
        nxt[0] = (births * male_share, births * (1.0 - male_share))
        out[s] = nxt
    return out


def interpolate(times: Sequence[float], values: np.ndarray, at: float) -> np.ndarray:
    """The values at time ``at``, linear between the two nearest of ``times`` (ascending; values
    indexed like them along axis 0). Exact at a listed time; outside the span is an error."""
    t = np.asarray(times, dtype=float)
    if not t[0] <= at <= t[-1]:
        raise ValueError(f"{at} is outside {t[0]} … {t[-1]}")
    i = int(np.searchsorted(t, at, side="right")) - 1
    if i >= len(t) - 1 or t[i] == at:
        return np.asarray(values[min(i, len(t) - 1)], dtype=float)
    w = (at - t[i]) / (t[i + 1] - t[i])
    return (1.0 - w) * np.asarray(values[i], dtype=float) + w * np.asarray(values[i + 1], dtype=float)


__all__ = [
    "FEMALE",
    "MALE",
    "N_SINGLE",
    "boys_share",
    "child_woman_ratio",
    "class_starts",
    "five_year_ratios",
    "interpolate",
    "mother_rows",
    "project",
    "to_classes",
    "yearly_ratios",
]
