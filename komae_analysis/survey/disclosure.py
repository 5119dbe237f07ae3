"""Disclosure control for published cross tabs: primary and secondary suppression.

A cross tab publishes, per group (row) and option (column), a count or its share of the group's
base (the count is then the share × the base). A cell with a small count (1 to ``min_count − 1``;
default 1–4) could single out a respondent: it is suppressed (printed 「x」) — the *primary*
suppression. Published totals could give it back: a row whose base is printed and whose other cells
are printed gives the suppressed cell by subtraction, and so does a column whose 全体 (the total row)
is printed. *Secondary* suppression hides further cells until no suppressed cell is determined by the
published figures.

The published figures are modelled as linear equations on the unknown (suppressed) cells:

- additive rows (single answer: options + 無回答 = base, the base printed): Σ row = base;
- columns: Σ groups + the respondents whose attribute is unknown = the 全体 cell. The unknown-attribute
  respondents form a hidden row: never printed, but its total (全体 base − Σ group bases) is known for
  additive rows; when it is empty, its cells are known zeros.

A suppressed cell is recoverable when its value is fixed by these equations, i.e. when the unit
vector of that cell lies in the row space of the equation matrix (its row of the null-space basis is
zero), or when non-negativity pins it (interval propagation over the equations). While one is, the
algorithm suppresses one more cell in the rows and columns of the determined cells: the one that leaves
the fewest determined, then the smallest non-zero count (zeros last). The tests recover cells with an
independent search over every table consistent with the published figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Counts from 1 to MIN_COUNT − 1 are suppressed (parameter ``suppress_below`` of the survey topic).
MIN_COUNT = 5
MARK = "x"


@dataclass(frozen=True)
class Suppression:
    primary: np.ndarray  # bool (groups, options)
    secondary: np.ndarray  # bool (groups, options)

    @property
    def mask(self) -> np.ndarray:
        return self.primary | self.secondary

    @property
    def any(self) -> bool:
        return bool(self.mask.any())


def _equations(counts: np.ndarray, mask: np.ndarray, additive_rows: bool, hidden: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray, int]:
    """The published equations on the unknowns — the suppressed cells (row major), then the hidden row's
    cells when it is not empty — as (coefficients, right-hand sides, number of suppressed cells)."""
    r, c = mask.shape
    ii, jj = np.nonzero(mask)
    n_cells = len(ii)
    has_hidden = hidden is not None and int(np.sum(hidden)) > 0
    k = n_cells + (c if has_hidden else 0)
    hidden_arr = np.asarray(hidden if has_hidden else np.zeros(c))
    known = np.where(mask, 0, counts)
    blocks, rhs = [], []
    if additive_rows:
        rows = np.zeros((r, k))
        rows[ii, np.arange(n_cells)] = 1
        keep = rows.any(axis=1)
        blocks.append(rows[keep])
        rhs.append((counts.sum(axis=1) - known.sum(axis=1))[keep].astype(float))
        if has_hidden:
            h = np.zeros((1, k))
            h[0, n_cells:] = 1
            blocks.append(h)
            rhs.append(np.array([float(hidden_arr.sum())]))
    cols = np.zeros((c, k))
    cols[jj, np.arange(n_cells)] = 1
    if has_hidden:
        cols[np.arange(c), n_cells + np.arange(c)] = 1
    keep = cols.any(axis=1)
    blocks.append(cols[keep])
    rhs.append((counts.sum(axis=0) - known.sum(axis=0) + hidden_arr)[keep].astype(float))
    return np.concatenate(blocks, axis=0), np.concatenate(rhs), n_cells


def _fixed_by_bounds(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unknowns whose value non-negativity and the equations fix (interval propagation: each unknown
    lies between the right-hand side minus the others' largest and smallest sums), in matrix form."""
    member = a > 0
    big = float(b.max(initial=0.0)) + 1.0  # no unknown exceeds any right-hand side it appears in
    lo = np.zeros(a.shape[1])
    hi = np.where(member, b[:, None], big).min(axis=0) if len(b) else np.full(a.shape[1], big)
    for _ in range(100):
        s_lo, s_hi = member @ lo, member @ hi
        new_hi = np.where(member, b[:, None] - (s_lo[:, None] - lo[None, :]), big).min(axis=0)
        new_lo = np.where(member, b[:, None] - (s_hi[:, None] - hi[None, :]), 0.0).max(axis=0)
        new_hi, new_lo = np.minimum(hi, new_hi), np.maximum(lo, new_lo)
        if np.allclose(new_hi, hi) and np.allclose(new_lo, lo):
            break
        lo, hi = new_lo, new_hi
    return hi - lo < 1e-9


def determined(mask: np.ndarray, *, additive_rows: bool, hidden_row: bool = False,
               counts: np.ndarray | None = None, hidden: np.ndarray | None = None) -> np.ndarray:
    """bool (groups, options): the suppressed cells whose value the published figures fix — by the
    equations alone (the cell's unit vector is in their row space) or with non-negativity (interval
    propagation). Without ``counts`` only the first test is made (structure only)."""
    out = np.zeros(mask.shape, dtype=bool)
    cells = list(zip(*np.nonzero(mask), strict=True))
    if not cells:
        return out
    if counts is None:
        counts = np.full(mask.shape, 1)
        if hidden_row and hidden is None:
            hidden = np.ones(mask.shape[1])
    elif not hidden_row:
        hidden = None
    a, b, n_cells = _equations(np.asarray(counts), mask, additive_rows, hidden if hidden_row else None)
    if a.shape[0] == 0:
        return out
    _u, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0])).sum())
    null = vt[rank:].T  # (unknowns, unknowns - rank)
    bounded = _fixed_by_bounds(a, b) if counts is not None else np.zeros(a.shape[1], dtype=bool)
    for i, cell in enumerate(cells[:n_cells]):
        if null.shape[1] == 0 or np.linalg.norm(null[i]) < 1e-9 or bounded[i]:
            out[cell] = True
    return out


def suppress(counts: np.ndarray, *, min_count: int = MIN_COUNT, additive_rows: bool = True,
             hidden: np.ndarray | None = None) -> Suppression:
    """Primary and secondary suppression of one cross tab.

    ``counts``: (groups, options) unweighted counts of the published cells. ``additive_rows``: each
    row's cells add up to its printed base (single answer incl. 無回答); False for multiple answer or
    for indicator columns. ``hidden``: per option, the respondents in the 全体 but in no group (unknown
    attribute); None or zeros when the column totals are the sums of the groups.
    """
    counts = np.asarray(counts, dtype=np.int64)
    primary = (counts >= 1) & (counts < min_count)
    mask = primary.copy()
    has_hidden = hidden is not None and int(np.sum(hidden)) > 0
    hidden_arr = None if not has_hidden else np.asarray(hidden, dtype=np.int64)
    r, c = counts.shape

    def fixed(m: np.ndarray) -> np.ndarray:
        return determined(m, additive_rows=additive_rows, hidden_row=has_hidden, counts=counts, hidden=hidden_arr)

    while True:
        det = fixed(mask)
        if not det.any():
            break
        rows = {int(i) for i in np.nonzero(det)[0]}
        cols = {int(j) for j in np.nonzero(det)[1]}
        candidates = [(i, j) for i in range(r) for j in range(c) if not mask[i, j]
                      and ((additive_rows and i in rows) or j in cols)]
        if not candidates:
            candidates = [(int(i), int(j)) for i, j in np.argwhere(~mask)]
            if not candidates:
                break

        def score(cell: tuple[int, int]) -> tuple[int, bool, int, tuple[int, int]]:
            trial = mask.copy()
            trial[cell] = True
            return (int(fixed(trial).sum()), bool(counts[cell] == 0), int(counts[cell]), cell)

        mask[min(candidates, key=score)] = True
    return Suppression(primary, mask & ~primary)


__all__ = ["MARK", "MIN_COUNT", "Suppression", "determined", "suppress"]
