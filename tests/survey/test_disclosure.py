"""Disclosure control: small cells suppressed, and no suppressed cell recoverable from the printed
totals — checked by an attacker that searches every table of non-negative integers consistent with
what is printed (rows adding up to their printed base, columns with the unknown-attribute row adding up
to the printed 全体), independently of the linear algebra the suppression uses."""

from __future__ import annotations

import numpy as np
import pytest

from komae_analysis.survey.disclosure import determined, suppress


def attack(counts: np.ndarray, mask: np.ndarray, *, additive_rows: bool, hidden: np.ndarray | None,
           stop_at: int = 2) -> dict[tuple[int, int], set[int]]:
    """The values each suppressed cell can take in the tables consistent with the published figures
    (searching until each has ``stop_at`` different values, or every table is seen)."""
    counts = np.asarray(counts)
    r, c = counts.shape
    totals = counts.sum(axis=0) + (hidden if hidden is not None else 0)
    bases = counts.sum(axis=1)
    variables = [("cell", int(i), int(j)) for i, j in zip(*np.nonzero(mask), strict=True)]
    if hidden is not None and hidden.sum() > 0:
        variables += [("hidden", r, j) for j in range(c)]
    known = np.where(mask, 0, counts)
    equations = []  # (variable indexes, residual)
    if additive_rows:
        for i in range(r):
            idx = [k for k, v in enumerate(variables) if v[0] == "cell" and v[1] == i]
            if idx:
                equations.append((idx, int(bases[i] - known[i].sum())))
        if hidden is not None and hidden.sum() > 0:
            equations.append(([k for k, v in enumerate(variables) if v[0] == "hidden"], int(hidden.sum())))
    for j in range(c):
        idx = [k for k, v in enumerate(variables) if v[2] == j]
        if idx:
            equations.append((idx, int(totals[j] - known[:, j].sum())))
    ub = []
    for v in variables:
        cap = int(totals[v[2]])
        if v[0] == "cell" and additive_rows:
            cap = min(cap, int(bases[v[1]]))
        ub.append(cap)
    seen: dict[tuple[int, int], set[int]] = {(v[1], v[2]): set() for v in variables if v[0] == "cell"}
    values = [0] * len(variables)

    def feasible(upto: int) -> bool:
        for idx, residual in equations:
            fixed = sum(values[k] for k in idx if k < upto)
            open_ = [k for k in idx if k >= upto]
            if fixed > residual or fixed + sum(ub[k] for k in open_) < residual:
                return False
            if not open_ and fixed != residual:
                return False
        return True

    def search(k: int) -> bool:
        if k == len(variables):
            for v, x in zip(variables, values, strict=True):
                if v[0] == "cell":
                    seen[(v[1], v[2])].add(x)
            return all(len(s) >= stop_at for s in seen.values())
        for x in range(ub[k] + 1):
            values[k] = x
            if feasible(k + 1) and search(k + 1):
                return True
        values[k] = 0
        return False

    search(0)
    return seen


def _check(counts, *, additive_rows=True, hidden=None, min_count=5):
    counts = np.array(counts)
    hidden_arr = None if hidden is None else np.array(hidden)
    sup = suppress(counts, min_count=min_count, additive_rows=additive_rows, hidden=hidden_arr)
    assert (sup.primary == ((counts >= 1) & (counts < min_count))).all()
    got = attack(counts, sup.mask, additive_rows=additive_rows, hidden=hidden_arr)
    recovered = {cell: vals for cell, vals in got.items() if len(vals) < 2}
    assert not recovered, f"recovered from the totals: {recovered} (mask {sup.mask.astype(int).tolist()})"
    return sup


def test_a_single_small_cell_needs_three_more():
    # 2 in the corner: its row and column give it back unless another cell of each is hidden, and those
    # two need a fourth to close the rectangle
    sup = _check([[2, 10, 8], [12, 9, 11], [7, 6, 14]])
    assert sup.primary.sum() == 1 and sup.secondary.sum() == 3
    assert sup.mask[0].sum() == 2 and sup.mask[:, 0].sum() == 2


def test_secondary_cells_are_the_smallest_of_their_line():
    sup = _check([[3, 20, 6], [15, 30, 25], [9, 7, 40]])
    # the complements of (0,0): the smallest other cell of row 0 (6) and of column 0 (9), then (2,2)? no:
    # the rectangle closes on the cell shared by their row and column, (2, 2) = 40
    assert sup.secondary[0, 2] and sup.secondary[2, 0]


def test_two_small_cells_in_a_row_protect_each_other_in_the_row_not_the_column():
    sup = _check([[1, 2, 30], [10, 20, 30], [11, 12, 13]])
    assert sup.primary[0, 0] and sup.primary[0, 1]
    assert sup.mask[:, 0].sum() >= 2 and sup.mask[:, 1].sum() >= 2


def test_zero_cells_and_a_row_with_one_other_count():
    # row 0 = 3, 0, 0, 10: hiding 3 alone gives it back (base 13 − 10); the secondary cell is 10, not a zero
    sup = _check([[3, 0, 0, 10], [5, 6, 7, 8]])
    assert sup.secondary[0, 3] or sup.secondary[0].sum() >= 1


def test_unknown_attribute_respondents_form_a_hidden_row():
    # 全体 = the groups + 2 respondents of unknown attribute; their row is not printed but its total is known
    _check([[2, 12, 9], [8, 10, 11]], hidden=[1, 0, 1])


def test_multiple_answer_tables_are_protected_by_columns():
    # MA: rows do not add up to the base, so only the column equations bind
    sup = _check([[2, 15, 9], [14, 13, 12], [10, 11, 3]], additive_rows=False)
    assert sup.mask[:, 0].sum() >= 2 and sup.mask[:, 2].sum() >= 2


def test_the_determination_check_sees_a_lone_cell():
    mask = np.zeros((2, 3), dtype=bool)
    mask[0, 0] = True
    assert determined(mask, additive_rows=True, hidden_row=False)[0, 0]
    mask[0, 1] = mask[1, 0] = mask[1, 1] = True
    assert not determined(mask, additive_rows=True, hidden_row=False).any()


@pytest.mark.parametrize("seed", range(40))
def test_random_small_tables_cannot_be_recovered(seed):
    rng = np.random.default_rng(seed)
    r, c = rng.integers(2, 4), rng.integers(2, 4)
    counts = rng.integers(0, 9, size=(r, c))
    hidden = rng.integers(0, 2, size=c) if seed % 2 else None
    _check(counts, hidden=hidden, additive_rows=bool(seed % 3))
