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
zero). While one is, the algorithm suppresses one more cell of its row (or column): the smallest
non-zero count whose hiding makes it undetermined (zeros last). The tests recover cells with an
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


def _equations(mask: np.ndarray, additive_rows: bool, hidden_row: bool) -> np.ndarray:
    """The coefficient matrix of the published equations on the unknowns: the suppressed cells (row
    major), then the hidden row's cells when it is not known to be empty."""
    r, c = mask.shape
    cells = list(zip(*np.nonzero(mask), strict=True))
    index = {cell: i for i, cell in enumerate(cells)}
    k = len(cells) + (c if hidden_row else 0)
    eqs: list[np.ndarray] = []
    if additive_rows:
        for i in range(r):
            row = np.zeros(k)
            for j in range(c):
                if (i, j) in index:
                    row[index[(i, j)]] = 1
            if row.any():
                eqs.append(row)
        if hidden_row:
            row = np.zeros(k)
            row[len(cells):] = 1
            eqs.append(row)
    for j in range(c):
        col = np.zeros(k)
        for i in range(r):
            if (i, j) in index:
                col[index[(i, j)]] = 1
        if hidden_row:
            col[len(cells) + j] = 1
        if col.any():
            eqs.append(col)
    return np.array(eqs).reshape(len(eqs), k)


def determined(mask: np.ndarray, *, additive_rows: bool, hidden_row: bool) -> np.ndarray:
    """bool (groups, options): the suppressed cells whose value the published figures fix."""
    out = np.zeros(mask.shape, dtype=bool)
    cells = list(zip(*np.nonzero(mask), strict=True))
    if not cells:
        return out
    a = _equations(mask, additive_rows, hidden_row)
    k = a.shape[1]
    if a.shape[0] == 0:
        return out
    _u, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0])).sum())
    null = vt[rank:].T  # (k, k - rank)
    for i, cell in enumerate(cells):
        if null.shape[1] == 0 or np.linalg.norm(null[i]) < 1e-9:
            out[cell] = True
    del k
    return out


def suppress(counts: np.ndarray, *, min_count: int = MIN_COUNT, additive_rows: bool = True,
             hidden_count: int = 0) -> Suppression:
    """Primary and secondary suppression of one cross tab.

    ``counts``: (groups, options) unweighted counts of the published cells. ``additive_rows``: each
    row's cells add up to its printed base (single answer incl. 無回答); False for multiple answer or
    for indicator columns. ``hidden_count``: respondents in the 全体 but in no group (unknown attribute);
    0 means the column totals are the sums of the groups.
    """
    counts = np.asarray(counts, dtype=np.int64)
    primary = (counts >= 1) & (counts < min_count)
    mask = primary.copy()
    hidden = hidden_count > 0
    r, c = counts.shape
    while True:
        det = determined(mask, additive_rows=additive_rows, hidden_row=hidden)
        if not det.any():
            break
        i, j = (int(x) for x in np.argwhere(det)[0])
        lines = ([(i, jj) for jj in range(c)] if additive_rows else []) + [(ii, j) for ii in range(r)]
        candidates = sorted({cell for cell in lines if not mask[cell]},
                            key=lambda cell: (counts[cell] == 0, counts[cell], cell))
        if not candidates:  # every cell of its lines is hidden already: hide the rest of the table
            candidates = sorted((tuple(int(x) for x in cell) for cell in np.argwhere(~mask)),
                                key=lambda cell: (counts[cell] == 0, counts[cell], cell))
            if not candidates:
                break
        chosen = candidates[0]
        for cell in candidates:
            trial = mask.copy()
            trial[cell] = True
            if not determined(trial, additive_rows=additive_rows, hidden_row=hidden)[i, j]:
                chosen = cell
                break
        mask[chosen] = True
    return Suppression(primary, mask & ~primary)


__all__ = ["MARK", "MIN_COUNT", "Suppression", "determined", "suppress"]
