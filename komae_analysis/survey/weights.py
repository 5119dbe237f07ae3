"""Optional weights that bring the respondents back to the population's make-up (e.g. 性別 × 年代 of
the register): post-stratification when the population of every cell is known, raking (iterative
proportional fitting, the maintained ``ipfn`` package) when only the margins are.

Weights have mean 1 over the respondents: the weighted n equals the unweighted n, and a table shows
both. Respondents whose weighting attributes are unknown keep weight 1 (the known ones share the rest
so that the total stays n). A population cell with no respondent cannot be weighted: an error says
which (merge classes, or weight by fewer attributes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from komae_analysis.errors import KomaeError


def poststratify(cells: np.ndarray, population: Sequence[float], labels: Sequence[str] | None = None) -> np.ndarray:
    """Weights from each respondent's cell (index into ``population``; −1 = unknown): a respondent of
    cell c weighs (N_c / N) ÷ (n_c / n_known), scaled so that the weights average 1."""
    cells = np.asarray(cells, dtype=np.int64)
    pop = np.asarray(population, dtype=float)
    known = cells >= 0
    n_known = int(known.sum())
    counts = np.bincount(cells[known], minlength=len(pop)).astype(float)
    empty = [i for i in range(len(pop)) if pop[i] > 0 and counts[i] == 0]
    if empty:
        names = "、".join((labels[i] if labels else str(i)) for i in empty)
        raise KomaeError(f"重み付けできません: 回答者のいない区分があります（{names}）。区分をまとめてください")
    share = pop / pop.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_w = np.where(counts > 0, share * n_known / counts, 0.0)
    w = np.ones(len(cells))
    w[known] = cell_w[cells[known]]
    return w


def rake(indices: Sequence[np.ndarray], margins: Sequence[Sequence[float]], *, max_iteration: int = 1000,
         tolerance: float = 1e-10) -> np.ndarray:
    """Raking weights: ``indices[k]`` is each respondent's class on attribute k (−1 unknown) and
    ``margins[k]`` the population of each class. The respondents' cross table is fitted to the margins
    with ``ipfn`` (iterative proportional fitting); each respondent weighs fitted / observed of its cell."""
    from ipfn import ipfn  # imported when weights are asked for

    idx = [np.asarray(i, dtype=np.int64) for i in indices]
    margins_arr = [np.asarray(m, dtype=float) for m in margins]
    known = np.logical_and.reduce([i >= 0 for i in idx])
    n_known = int(known.sum())
    shape = tuple(len(m) for m in margins_arr)
    flat = np.ravel_multi_index(tuple(i[known] for i in idx), shape)
    observed = np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape).astype(float)
    for k, m in enumerate(margins_arr):
        axes = tuple(a for a in range(len(shape)) if a != k)
        empty = np.flatnonzero((observed.sum(axis=axes) == 0) & (m > 0))
        if len(empty):
            raise KomaeError(f"重み付けできません: {k + 1}つ目の属性に回答者のいない区分があります（{empty.tolist()}）")
    targets = [m * n_known / m.sum() for m in margins_arr]
    fitted = ipfn.ipfn(observed.copy(), targets, [[k] for k in range(len(shape))], convergence_rate=tolerance,
                       max_iteration=max_iteration).iteration()
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_w = np.where(observed > 0, fitted / observed, 0.0).reshape(-1)
    w = np.ones(len(idx[0]))
    w[known] = cell_w[flat]
    return w


__all__ = ["poststratify", "rake"]
