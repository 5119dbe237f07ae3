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
    """The values each suppressed cell can take in tables of non-negative integers consistent with the
    published figures: its true value, and v + 1 / v − 1 when some consistent table has it (an exhaustive
    integer search with interval propagation, trying values near the true table first)."""
    counts = np.asarray(counts)
    r, c = counts.shape
    hidden_arr = None if hidden is None else np.asarray(hidden)
    has_hidden = hidden_arr is not None and hidden_arr.sum() > 0
    totals = counts.sum(axis=0) + (hidden_arr if has_hidden else 0)
    bases = counts.sum(axis=1)
    variables = [("cell", int(i), int(j)) for i, j in zip(*np.nonzero(mask), strict=True)]
    truth = [int(counts[i, j]) for _k, i, j in variables]
    if has_hidden:
        variables += [("hidden", r, j) for j in range(c)]
        truth += [int(hidden_arr[j]) for j in range(c)]
    known = np.where(mask, 0, counts)
    equations = []  # (variable indexes, residual)
    if additive_rows:
        for i in range(r):
            idx = [k for k, v in enumerate(variables) if v[0] == "cell" and v[1] == i]
            if idx:
                equations.append((idx, int(bases[i] - known[i].sum())))
        if has_hidden:
            equations.append(([k for k, v in enumerate(variables) if v[0] == "hidden"], int(hidden_arr.sum())))
    for j in range(c):
        idx = [k for k, v in enumerate(variables) if v[2] == j]
        if idx:
            equations.append((idx, int(totals[j] - known[:, j].sum())))
    n = len(variables)

    def propagate(lo: list[int], hi: list[int]) -> bool:
        changed = True
        while changed:
            changed = False
            for idx, rhs in equations:
                s_lo, s_hi = sum(lo[k] for k in idx), sum(hi[k] for k in idx)
                if s_lo > rhs or s_hi < rhs:
                    return False
                for k in idx:
                    new_hi = min(hi[k], rhs - (s_lo - lo[k]))
                    new_lo = max(lo[k], rhs - (s_hi - hi[k]))
                    if new_lo > new_hi:
                        return False
                    if (new_lo, new_hi) != (lo[k], hi[k]):
                        lo[k], hi[k], changed = new_lo, new_hi, True
                        s_lo, s_hi = sum(lo[q] for q in idx), sum(hi[q] for q in idx)
        return True

    def feasible(lo: list[int], hi: list[int]) -> bool:
        if not propagate(lo, hi):
            return False
        open_ = [k for k in range(n) if lo[k] < hi[k]]
        if not open_:
            return True
        k = min(open_, key=lambda q: hi[q] - lo[q])
        values = sorted(range(lo[k], hi[k] + 1), key=lambda v: abs(v - truth[k]))
        for v in values:
            lo2, hi2 = list(lo), list(hi)
            lo2[k] = hi2[k] = v
            if feasible(lo2, hi2):
                return True
        return False

    cap = [int(totals[v[2]]) for v in variables]
    seen: dict[tuple[int, int], set[int]] = {}
    for k, v in enumerate(variables):
        if v[0] != "cell":
            continue
        values = {truth[k]}
        for alt in (truth[k] + 1, truth[k] - 1):
            if len(values) >= stop_at or alt < 0:
                continue
            lo, hi = [0] * n, list(cap)
            lo[k] = hi[k] = alt
            if feasible(lo, hi):
                values.add(alt)
        seen[(v[1], v[2])] = values
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


def test_the_attacker_recovers_what_is_not_protected():
    counts = np.array([[2, 10, 8], [12, 9, 11]])
    lone = np.zeros_like(counts, dtype=bool)
    lone[0, 0] = True
    assert attack(counts, lone, additive_rows=True, hidden=None) == {(0, 0): {2}}
    # two cells of one row only: the columns give each back
    pair = lone.copy()
    pair[0, 1] = True
    assert attack(counts, pair, additive_rows=True, hidden=None) == {(0, 0): {2}, (0, 1): {10}}
    # non-negativity: the unknown-attribute row of size 1 forces the other cells
    assert attack(np.array([[6, 8, 0], [1, 7, 8]]), np.array([[0, 0, 0], [1, 1, 0]], dtype=bool),
                  additive_rows=True, hidden=np.array([0, 0, 1]))[(1, 0)] == {1}
