"""The tabulation engine: every question of a wave, in total and by attributes, in one pass of
whole-array counting (no per-question Python loop over respondents, no pandas group-by).

- Single-answer-like items (SA; NUM by distribution bands; FA by the categories of a reviewed coding)
  become one integer matrix (respondent × item: option index, the 無回答 slot, or −1 when the respondent
  is not in the item's base); counts for every item and group come from one ``numpy.bincount`` per
  block of items and grouping.
- MA items become one 0/1 matrix (respondent × every option, each question's 無回答 and its base); the
  counts per group are the column sums of the group's rows.
- NUM statistics (n, mean, median, min, max) per group come from one sort of the values per question
  and a radix sort by group (stable, so each group's values stay sorted).

The result is tidy (:class:`Tabulation`): ``cells`` with one row per question × grouping × group ×
option (and 無回答), with n, base and the share; ``numeric`` with the NUM statistics. The base includes
無回答 and, for a conditional question, only the respondents meeting its 対象条件; an MA share is over
respondents (so MA shares add up to more than 100, M.T.). Cross tabs drop respondents whose attribute
is unknown; a group whose base is below the 参考値 threshold is flagged 「参考値」.

:func:`naive_tabulate` in :mod:`komae_analysis.survey.naive` is the per-question pandas loop the engine
is measured against (and checked against in the tests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis.ingest.survey_codebook import Question
from komae_analysis.survey.prepare import Wave

#: The label of the 無回答 row; a coded free-text item's uncoded answers are 「分類なし」.
NO_ANSWER = "無回答"
UNCODED = "分類なし"
OUT_OF_RANGE = "範囲外"
#: Items counted per block (keeps the respondent × item matrix of 100,000 respondents small).
BLOCK = 48
REFERENCE_FLAG = "参考値"
TOTAL_LABEL = "全体"


# ================================================================================ groupings


@dataclass(frozen=True)
class Grouping:
    """The groups of a cross tab: an attribute question (or two crossed), its codes and labels, and
    each respondent's group index (−1 = unknown: left out of the cross tab)."""

    question: str  # "" for the total; "F1"; "F1×F2"
    label: str  # 全体 / 性別 / 性別×年代
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    index: np.ndarray

    @property
    def size(self) -> int:
        return len(self.codes)

    @property
    def is_total(self) -> bool:
        return self.question == ""


def total_grouping(n: int) -> Grouping:
    return Grouping("", TOTAL_LABEL, ("",), (TOTAL_LABEL,), np.zeros(n, dtype=np.int64))


def _code_index(codes: np.ndarray, option_codes: Sequence[int]) -> np.ndarray:
    """Position of each code among ``option_codes``; −1 where the code is −1 (無回答) or not an option.
    A lookup table over the code range (codes are small integers), so one gather per column."""
    opts = np.asarray(option_codes, dtype=np.int64)
    if not len(opts):
        return np.full(len(codes), -1, dtype=np.int32)
    lo, hi = int(min(opts.min(), 0)), int(opts.max())
    if hi - lo > 1_000_000:  # sparse huge codes: a sorted search instead of a table
        pos = np.clip(np.searchsorted(opts, codes), 0, len(opts) - 1)
        return np.where((codes >= 0) & (opts[pos] == codes), pos, -1).astype(np.int32)
    lut = np.full(hi - lo + 2, -1, dtype=np.int32)
    lut[opts - lo] = np.arange(len(opts), dtype=np.int32)
    safe = np.where((codes >= lo) & (codes <= hi), codes - lo, hi - lo + 1)
    return np.where(codes >= 0, lut[safe], -1)


def grouping(wave: Wave, qid: str, label: str | None = None) -> Grouping:
    """The groups of one attribute (an SA question): its options; respondents who did not answer it,
    or were not asked it, are unknown."""
    q = wave.question(qid)
    if q.kind != "SA":
        raise ValueError(f"クロス集計の軸は単数回答（SA）の設問です（{qid}は{q.kind}）")
    return Grouping(q.id, label or q.attribute or q.id, tuple(str(c) for c in q.codes),
                    tuple(o.label for o in q.options), _code_index(wave.sa[qid], q.codes))


def cross_grouping(wave: Wave, first: str, second: str) -> Grouping:
    """Two attributes crossed (性別 × 年代): one group per pair of options, in the first's order."""
    a, b = grouping(wave, first), grouping(wave, second)
    index = np.where((a.index >= 0) & (b.index >= 0), a.index * b.size + b.index, -1)
    codes = tuple(f"{x}×{y}" for x in a.codes for y in b.codes)
    labels = tuple(f"{x} {y}" for x in a.labels for y in b.labels)
    return Grouping(f"{a.question}×{b.question}", f"{a.label}×{b.label}", codes, labels, index)


# ================================================================================ items


@dataclass
class _Item:
    question: Question
    kind: str  # SA | MA | NUM | FA
    codes: list[str]
    labels: list[str]
    slot_label: str  # the last slot: 無回答 (or 分類なし)
    cat: np.ndarray | None = None  # SA-like: option index, len(codes) = last slot, −1 = not in base
    marks: np.ndarray | None = None  # MA: (n, options) bool
    eligible: np.ndarray | None = None  # MA: in the base


def auto_bands(values: np.ndarray, max_bands: int = 8) -> list[tuple[float, str]]:
    """Distribution bands for a NUM question the codebook gives none: (lower bound, label). Integer
    data with at most ``max_bands`` distinct values get one band per value; otherwise equal bands of
    a round width (1, 2, 5 × 10^k)."""
    v = values[~np.isnan(values)]
    if not len(v):
        return []
    lo, hi = float(v.min()), float(v.max())
    integer = bool(np.all(v == np.round(v)))
    if integer and hi - lo + 1 <= max_bands:
        return [(float(x), _num(x)) for x in range(int(lo), int(hi) + 1)]
    span = (hi - lo) / max_bands if hi > lo else 1.0
    exp = 10 ** math.floor(math.log10(span)) if span > 0 else 1
    width = next(m * exp for m in (1, 2, 5, 10) if m * exp >= span)
    if integer:
        width = max(1, round(width))
    start = math.floor(lo / width) * width
    bounds = []
    b = start
    while b <= hi:
        bounds.append(b)
        b += width
    if integer:
        return [(float(x), f"{_num(x)}～{_num(x + width - 1)}" if width > 1 else _num(x)) for x in bounds]
    return [(float(x), f"{_num(x)}以上{_num(x + width)}未満") for x in bounds]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _items(wave: Wave, questions: Sequence[str] | None) -> list[_Item]:
    out: list[_Item] = []
    wanted = None if questions is None else set(questions)
    for q in wave.codebook.questions:
        if wanted is not None and q.id not in wanted:
            continue
        eligible = wave.eligible[q.id]
        if q.kind == "SA":
            k = len(q.codes)
            pos = _code_index(wave.sa[q.id], q.codes)
            cat = np.where(eligible, np.where(pos >= 0, pos, k), -1).astype(np.int32)
            out.append(_Item(q, "SA", [str(c) for c in q.codes], [o.label for o in q.options], NO_ANSWER, cat=cat))
        elif q.kind == "MA":
            out.append(_Item(q, "MA", [str(c) for c in q.codes], [o.label for o in q.options], NO_ANSWER,
                             marks=wave.ma[q.id], eligible=eligible))
        elif q.kind == "NUM":
            values = wave.num[q.id]
            bands = [(float(o.code), o.label) for o in q.options] if q.options else auto_bands(values)
            if not bands:
                continue
            lower = np.array([b for b, _ in bands])
            idx = np.searchsorted(lower, values, side="right") - 1
            labels = [label for _, label in bands]
            codes = [_num(b) for b, _ in bands]
            below = (~np.isnan(values)) & (idx < 0)
            k = len(bands)
            if below.any():  # values under the lowest band: their own row, never hidden in a band
                labels, codes = [*labels, OUT_OF_RANGE], [*codes, OUT_OF_RANGE]
                idx = np.where(below, k, idx)
                k += 1
            cat = np.where(eligible, np.where(np.isnan(values), k, idx), -1)
            out.append(_Item(q, "NUM", codes, labels, NO_ANSWER, cat=cat.astype(np.int32)))
        elif q.kind == "FA" and q.id in wave.responses.fa_coded:
            labels, index = wave.responses.fa_coded[q.id]
            answered = wave.fa[q.id]
            k = len(labels)
            cat = np.where(answered, np.where(index >= 0, index, k), -1).astype(np.int32)
            out.append(_Item(q, "FA", [str(i + 1) for i in range(k)], list(labels), UNCODED, cat=cat))
    return out


# ================================================================================ counting


#: Groupings are counted together through their joint cell (a mixed-radix index over every grouping's
#: groups and its "unknown") while the joint has at most this many cells; further groupings form a
#: second joint, and so on.
JOINT_CELLS = 4096


def _joints(groupings: list[Grouping]) -> list[tuple[list[int], np.ndarray, tuple[int, ...]]]:
    """Groupings packed into joints: (grouping positions, each respondent's joint cell, the radices)."""
    out: list[tuple[list[int], np.ndarray, tuple[int, ...]]] = []
    members: list[int] = []
    radix: list[int] = []
    for gi, g in enumerate(groupings):
        r = g.size + 1
        if members and int(np.prod(radix)) * r > JOINT_CELLS:
            out.append((members, np.empty(0), tuple(radix)))
            members, radix = [], []
        members.append(gi)
        radix.append(r)
    if members:
        out.append((members, np.empty(0), tuple(radix)))
    result = []
    for members, _none, radices in out:
        cell = np.zeros(len(groupings[0].index), dtype=np.int32)
        for gi, r in zip(members, radices, strict=True):
            g = groupings[gi]
            cell = cell * np.int32(r) + np.where(g.index >= 0, g.index, g.size).astype(np.int32)
        result.append((members, cell, radices))
    return result


def _marginal(joint: np.ndarray, radices: tuple[int, ...], k: int) -> np.ndarray:
    """Sum a (…, joint cells) array over every radix but the k-th: (…, radices[k])."""
    lead = joint.shape[:-1]
    shaped = joint.reshape(*lead, *radices)
    axes = tuple(len(lead) + a for a in range(len(radices)) if a != k)
    return shaped.sum(axis=axes) if axes else shaped


def _count_cat(items: list[_Item], groupings: list[Grouping], weights: np.ndarray | None
               ) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray | None]]:
    """(item, grouping) → (counts (groups, slots), weighted counts or None) for the SA-like items.

    Per block of items and joint of groupings: each respondent × item cell gets the key (item offset +
    slot) × joint cells + the respondent's joint cell, a respondent outside the item's base going to a
    dump slot; one ``bincount`` counts every item in every group of every grouping of the joint, and
    each grouping's counts are a marginal of it (its "unknown" group dropped)."""
    out: dict[tuple[int, int], tuple[np.ndarray, np.ndarray | None]] = {}
    cat_items = [(i, it) for i, it in enumerate(items) if it.cat is not None]
    joints = _joints(groupings)
    for start in range(0, len(cat_items), BLOCK):
        block = cat_items[start:start + BLOCK]
        sizes = np.array([len(it.codes) + 1 for _, it in block], dtype=np.int32)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        total = int(sizes.sum())
        slot = np.empty((len(block[0][1].cat), len(block)), dtype=np.int32)
        for k, (_i, it) in enumerate(block):
            col = it.cat
            slot[:, k] = np.where(col >= 0, col + offsets[k], total)  # total = the dump slot
        for members, cell, radices in joints:
            width = int(np.prod(radices))
            key = (slot * np.int32(width) + cell[:, None]).ravel()
            joint = np.bincount(key, minlength=(total + 1) * width).reshape(total + 1, width)
            wjoint = None
            if weights is not None:
                wjoint = np.bincount(key, weights=np.repeat(weights, len(block)),
                                     minlength=(total + 1) * width).reshape(total + 1, width)
            for k, gi in enumerate(members):
                size = groupings[gi].size
                counts = _marginal(joint, radices, k)[:, :size]
                wcounts = None if wjoint is None else _marginal(wjoint, radices, k)[:, :size]
                for (i, _it), off, n_slots in zip(block, offsets, sizes, strict=True):
                    out[(i, gi)] = (counts[off:off + n_slots].T,
                                    None if wcounts is None else wcounts[off:off + n_slots].T)
    return out


def _count_ma(items: list[_Item], groupings: list[Grouping], weights: np.ndarray | None
              ) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]]:
    """(item, grouping) → (counts (groups, options + 無回答), base (groups,), weighted counts, weighted base).

    Every MA option, each question's 無回答 and its base as one 0/1 matrix (respondent × column); per
    joint cell of the groupings, the column sums of its rows (with weights a vector–matrix product);
    each grouping's counts are a marginal."""
    ma = [(i, it) for i, it in enumerate(items) if it.marks is not None]
    out: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]] = {}
    if not ma:
        return out
    cols = []
    for _i, it in ma:
        assert it.marks is not None and it.eligible is not None
        cols.append(it.marks)
        cols.append((it.eligible & ~it.marks.any(axis=1))[:, None])
    for _i, it in ma:
        cols.append(it.eligible[:, None])
    x = np.concatenate(cols, axis=1)
    sizes = [len(it.codes) + 1 for _i, it in ma]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    base_off = int(sum(sizes))
    for members, cell, radices in _joints(groupings):
        width = int(np.prod(radices))
        joint = np.zeros((x.shape[1], width), dtype=np.int64)
        wjoint = None if weights is None else np.zeros((x.shape[1], width))
        present = np.bincount(cell, minlength=width)
        for c in np.flatnonzero(present):
            rows = cell == c
            part = x[rows]
            joint[:, c] = part.sum(axis=0)
            if wjoint is not None:
                wjoint[:, c] = weights[rows] @ part
        for k, gi in enumerate(members):
            size = groupings[gi].size
            counts = _marginal(joint, radices, k)[:, :size].T
            wcounts = None if wjoint is None else _marginal(wjoint, radices, k)[:, :size].T
            for j, ((i, _it), off, n_slots) in enumerate(zip(ma, offsets, sizes, strict=True)):
                out[(i, gi)] = (counts[:, off:off + n_slots], counts[:, base_off + j],
                                None if wcounts is None else wcounts[:, off:off + n_slots],
                                None if wcounts is None else wcounts[:, base_off + j])
    return out


# ================================================================================ the result


@dataclass
class Tabulation:
    """Tidy results of one wave.

    ``cells``: question_id, kind, by_question ("" = total), by_label, by_code ("" = total), group_label,
    option_code (a code, or 無回答 / 分類なし / 範囲外), option_label, n, base, pct (a fraction of base),
    flag (参考値), and with weights w_n and w_base (pct is then weighted).
    ``numeric``: question_id, by_question, by_label, by_code, group_label, n, mean, median, min, max.
    """

    cells: pd.DataFrame
    numeric: pd.DataFrame
    weighted: bool
    threshold: int

    def question(self, qid: str, by: str = "") -> pd.DataFrame:
        """The rows of one question in total (``by=""``) or by one grouping, in order."""
        parts = self.__dict__.get("_parts")
        if parts is None:
            parts = {key: g.reset_index(drop=True)
                     for key, g in self.cells.groupby(["question_id", "by_question"], sort=False)}
            self.__dict__["_parts"] = parts
        found = parts.get((qid, by))
        return found.copy() if found is not None else self.cells.iloc[0:0].reset_index(drop=True)


CELL_COLUMNS = ["question_id", "kind", "by_question", "by_label", "by_code", "group_label", "option_code",
                "option_label", "n", "base", "pct", "flag"]
NUMERIC_COLUMNS = ["question_id", "by_question", "by_label", "by_code", "group_label", "n", "mean", "median",
                   "min", "max"]


def tabulate(wave: Wave, by: Sequence[Grouping] = (), threshold: int = 30,
             questions: Sequence[str] | None = None) -> Tabulation:
    """Every question (or ``questions``) of ``wave``, in total and by each grouping of ``by``."""
    weights = wave.weights
    groupings = [total_grouping(wave.n), *by]
    items = _items(wave, questions)
    cat = _count_cat(items, groupings, weights)
    ma = _count_ma(items, groupings, weights)
    parts: dict[str, list] = {c: [] for c in CELL_COLUMNS}
    wparts: dict[str, list] = {"w_n": [], "w_base": []}
    for i, it in enumerate(items):
        slots = len(it.codes) + 1
        opt_codes = np.array([*it.codes, it.slot_label], dtype=object)
        opt_labels = np.array([*it.labels, it.slot_label], dtype=object)
        for gi, g in enumerate(groupings):
            if it.question.id in g.question.split("×"):
                continue  # an attribute by itself restates its total
            if it.marks is not None:
                counts, base, wcounts, wbase = ma[(i, gi)]
            else:
                counts, wcounts = cat[(i, gi)]
                base = counts.sum(axis=1)
                wbase = None if wcounts is None else wcounts.sum(axis=1)
            G = g.size
            rows = G * slots
            parts["question_id"].append(np.full(rows, it.question.id, dtype=object))
            parts["kind"].append(np.full(rows, it.kind, dtype=object))
            parts["by_question"].append(np.full(rows, g.question, dtype=object))
            parts["by_label"].append(np.full(rows, "" if g.is_total else g.label, dtype=object))
            parts["by_code"].append(np.repeat(np.array(g.codes, dtype=object), slots))
            parts["group_label"].append(np.repeat(np.array(g.labels, dtype=object), slots))
            parts["option_code"].append(np.tile(opt_codes, G))
            parts["option_label"].append(np.tile(opt_labels, G))
            parts["n"].append(counts.reshape(-1))
            parts["base"].append(np.repeat(base, slots))
            if weights is None:
                num, den = counts, np.repeat(base, slots).reshape(G, slots)
            else:
                num, den = wcounts, np.repeat(wbase, slots).reshape(G, slots)
                wparts["w_n"].append(wcounts.reshape(-1))
                wparts["w_base"].append(np.repeat(wbase, slots))
            with np.errstate(invalid="ignore", divide="ignore"):
                pct = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
            parts["pct"].append(pct.reshape(-1))
            small = (not g.is_total) & (base < threshold)
            parts["flag"].append(np.repeat(np.where(small, REFERENCE_FLAG, ""), slots).astype(object))
    data = {c: np.concatenate(v) for c, v in parts.items()} if items else {c: [] for c in CELL_COLUMNS}
    cells = pd.DataFrame(data, columns=CELL_COLUMNS)
    cells["n"] = cells["n"].astype(np.int64)
    cells["base"] = cells["base"].astype(np.int64)
    cells["pct"] = cells["pct"].astype(float)
    if weights is not None:
        cells["w_n"] = np.concatenate(wparts["w_n"]) if items else []
        cells["w_base"] = np.concatenate(wparts["w_base"]) if items else []
    numeric = numeric_stats(wave, groupings, questions)
    return Tabulation(cells, numeric, weights is not None, threshold)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cw = np.cumsum(w)
    half = cw[-1] / 2
    i = int(np.searchsorted(cw, half))
    if i < len(v) - 1 and math.isclose(cw[i], half):
        return float((v[i] + v[i + 1]) / 2)
    return float(v[min(i, len(v) - 1)])


def numeric_stats(wave: Wave, groupings: Sequence[Grouping], questions: Sequence[str] | None = None) -> pd.DataFrame:
    """n, mean, median, min and max of every NUM question per group (weighted mean and median with
    weights). n counts the respondents asked who gave a value."""
    rows: list[dict[str, object]] = []
    wanted = None if questions is None else set(questions)
    weights = wave.weights
    for q in wave.codebook.questions:
        if q.kind != "NUM" or (wanted is not None and q.id not in wanted):
            continue
        v = wave.num[q.id]
        by_value = np.argsort(v, kind="stable")  # NaN last
        by_value = by_value[~np.isnan(v[by_value])]
        for g in groupings:
            if q.id in g.question.split("×"):
                continue
            gidx = g.index[by_value]
            keep = gidx >= 0
            order = by_value[keep][np.argsort(gidx[keep].astype(np.int16), kind="stable")]  # radix sort
            vals, gg = v[order], g.index[order]
            counts = np.bincount(gg, minlength=g.size)
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            sums = np.bincount(gg, weights=vals, minlength=g.size)
            ww = None if weights is None else weights[order]
            for j in range(g.size):
                n = int(counts[j])
                rec: dict[str, object] = {"question_id": q.id, "by_question": g.question,
                                          "by_label": "" if g.is_total else g.label, "by_code": g.codes[j],
                                          "group_label": g.labels[j], "n": n}
                if n == 0:
                    rec.update(mean=np.nan, median=np.nan, min=np.nan, max=np.nan)
                else:
                    s = slice(int(starts[j]), int(starts[j]) + n)
                    part = vals[s]
                    if ww is None:
                        mean = float(sums[j] / n)
                        median = float((part[(n - 1) // 2] + part[n // 2]) / 2)
                    else:
                        mean = float(np.sum(part * ww[s]) / np.sum(ww[s]))
                        median = _weighted_median(part, ww[s])
                    rec.update(mean=mean, median=median, min=float(part[0]), max=float(part[-1]))
                rows.append(rec)
    return pd.DataFrame(rows, columns=NUMERIC_COLUMNS)


__all__ = [
    "CELL_COLUMNS",
    "NO_ANSWER",
    "NUMERIC_COLUMNS",
    "REFERENCE_FLAG",
    "TOTAL_LABEL",
    "UNCODED",
    "Grouping",
    "Tabulation",
    "auto_bands",
    "cross_grouping",
    "grouping",
    "numeric_stats",
    "tabulate",
    "total_grouping",
]
