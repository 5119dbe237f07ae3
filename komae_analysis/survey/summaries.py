"""The summaries Japanese survey reports print beside the question tables: the overview with 回収率,
the sampling-error table, Likert blocks summarised as 肯定計 / 否定計, and the comparison with the
previous wave (前回 / 今回 / 差 in ポイント).

Formulas (DOMAIN §4, docs/domain.md):

- 有効回収率 = 有効回収数 / 配布数.
- Sampling error (±, in ポイント) at a 95% level for a share P (%) among n respondents out of a
  population N: ``2 · sqrt((N − n) / (N − 1) · P (100 − P) / n)``; without N (母集団数 blank) the
  finite-population factor is left out.
- 肯定計 / 否定計 of a Likert block: the share of the respondents who chose one of the scale's positive
  (negative) options, from the counts (so it may differ by 0.1 from the sum of the printed shares).
  The scale: options that say 「わからない」「どちらともいえない」 (or 無回答) count for neither side; of
  the rest, the first half in code order are positive and the second half negative (an odd middle
  option is neutral), reversed when the first option is the negative end (「…ない」「不満」「悪い」).
- 差 = 今回 − 前回 of the printed shares (one decimal), in ポイント.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis.ingest.survey_codebook import Codebook, Question, previous_codes
from komae_analysis.report import numbers
from komae_analysis.survey.tabulate import NO_ANSWER, Tabulation

#: The shares of the sampling-error table (P and 100 − P give the same error).
SAMPLING_PS = (10, 20, 30, 40, 50)
_NEUTRAL = re.compile(r"わから|分から|どちらとも|どちらでもない|知らない|その他|無回答")
_NEGATIVE_END = re.compile(r"(ない|不満|悪い|低い|反対)$")


# ================================================================================ overview


def overview_rows(codebook: Codebook, valid: int) -> list[tuple[str, object]]:
    """(項目, 値) of the overview table: 調査対象 … 有効回収率 (a fraction, or None without 配布数)."""
    ov = codebook.overview
    rate = valid / ov.distributed if ov.distributed else None
    return [
        ("調査名", ov.title),
        ("調査対象", ov.target),
        ("抽出方法", ov.sampling),
        ("調査期間", ov.period_label),
        ("配布数", ov.distributed),
        ("有効回収数", valid),
        ("有効回収率", rate),
    ]


# ================================================================================ sampling error


def sampling_error(n: int, p: float, population: int | None) -> float:
    """± sampling error in ポイント for a share ``p`` (%) among ``n`` respondents of ``population``."""
    if n <= 0:
        return math.nan
    fpc = 1.0
    if population:
        if population <= 1 or n > population:
            raise ValueError(f"母集団数（{population}）と回答者数（{n}）が合いません")
        fpc = (population - n) / (population - 1)
    return 2 * math.sqrt(fpc * p * (100 - p) / n)


def sampling_error_frame(sizes: Sequence[tuple[str, int]], population: int | None,
                         ps: Sequence[int] = SAMPLING_PS) -> pd.DataFrame:
    """label, n, p, error for each (label, n) and each P (the tidy form of the table)."""
    rows = [{"label": label, "n": int(n), "p": int(p), "error": sampling_error(int(n), p, population)}
            for label, n in sizes for p in ps]
    return pd.DataFrame(rows, columns=["label", "n", "p", "error"])


# ================================================================================ Likert


@dataclass(frozen=True)
class Scale:
    positive: tuple[int, ...]
    negative: tuple[int, ...]
    neutral: tuple[int, ...]

    def labels(self, q: Question, side: str) -> list[str]:
        return [q.label_of(c) for c in getattr(self, side)]


def likert_scale(q: Question) -> Scale:
    """Which options of a Likert question count as 肯定 / 否定 (see the module docstring)."""
    opts = [o for o in q.options if not _NEUTRAL.search(o.label)]
    neutral = [o.code for o in q.options if _NEUTRAL.search(o.label)]
    half = len(opts) // 2
    first, last = opts[:half], opts[len(opts) - half:]
    if len(opts) % 2:
        neutral.append(opts[half].code)
    if opts and _NEGATIVE_END.search(opts[0].label) and not _NEGATIVE_END.search(opts[-1].label):
        first, last = last, first
    return Scale(tuple(o.code for o in first), tuple(o.code for o in last), tuple(sorted(neutral)))


def likert_frame(tab: Tabulation, codebook: Codebook, questions: Sequence[Question], by: str = "") -> pd.DataFrame:
    """One row per question (and group): question_id, text, group_label, base, the count and share of
    each option and 無回答, positive_n / positive_pct (肯定計), negative_n / negative_pct (否定計)."""
    rows = []
    for q in questions:
        scale = likert_scale(q)
        part = tab.question(q.id, by)
        for (code, label), g in part.groupby(["by_code", "group_label"], sort=False):
            rec: dict[str, object] = {"question_id": q.id, "text": q.text, "by_code": code, "group_label": label,
                                      "base": int(g["base"].iloc[0]), "flag": g["flag"].iloc[0]}
            n_by = dict(zip(g["option_code"], g["n"], strict=True))
            w_by = dict(zip(g["option_code"], g["w_n"], strict=True)) if tab.weighted else n_by
            wbase = float(g["w_base"].iloc[0]) if tab.weighted else float(rec["base"])
            for o in q.options:
                rec[f"n:{o.code}"] = int(n_by[str(o.code)])
                rec[f"pct:{o.code}"] = w_by[str(o.code)] / wbase if wbase else np.nan
            rec["n:無回答"] = int(n_by[NO_ANSWER])
            rec["pct:無回答"] = w_by[NO_ANSWER] / wbase if wbase else np.nan
            for side, codes in (("positive", scale.positive), ("negative", scale.negative)):
                rec[f"{side}_n"] = int(sum(n_by[str(c)] for c in codes))
                rec[f"{side}_pct"] = (sum(w_by[str(c)] for c in codes) / wbase) if wbase else np.nan
            rows.append(rec)
    return pd.DataFrame(rows)


# ================================================================================ waves


def compare_waves(current: Tabulation, codebook: Codebook, previous: Tabulation, previous_codebook: Codebook,
                  questions: Sequence[str] | None = None) -> pd.DataFrame:
    """前回 / 今回 / 差 for every current SA or MA question with a 前回設問ID (and its options mapped
    through 前回コード), in total: question_id, previous_id, text, option_code, option_label,
    prev_n, prev_base, prev_pct, cur_n, cur_base, cur_pct, diff (points: shown − shown; NaN when the
    option has no previous counterpart)."""
    rows = []
    for q in codebook.questions:
        if q.kind not in ("SA", "MA") or not q.previous_id or q.previous_id not in previous_codebook:
            continue
        if questions is not None and q.id not in questions:
            continue
        pq = previous_codebook.question(q.previous_id)
        mapping = previous_codes(q, pq)
        cur = current.question(q.id).set_index("option_code")
        prev = previous.question(pq.id).set_index("option_code")
        prev_base = int(prev["base"].iloc[0])
        prev_wbase = float(prev["w_base"].iloc[0]) if previous.weighted else prev_base
        for o in q.options:
            c = cur.loc[str(o.code)]
            cur_pct = float(c["pct"])
            codes = mapping.get(o.code, ())
            if codes:
                prev_n = int(sum(int(prev.loc[str(pc), "n"]) for pc in codes))
                prev_w = sum(float(prev.loc[str(pc), "w_n" if previous.weighted else "n"]) for pc in codes)
                prev_pct = prev_w / prev_wbase if prev_wbase else math.nan
                diff = float(numbers.pct_diff(cur_pct, prev_pct)) if not (math.isnan(cur_pct) or math.isnan(prev_pct)) else math.nan
            else:
                prev_n, prev_pct, diff = None, math.nan, math.nan
            rows.append({"question_id": q.id, "previous_id": pq.id, "text": q.text, "option_code": str(o.code),
                         "option_label": o.label, "prev_n": prev_n, "prev_base": prev_base, "prev_pct": prev_pct,
                         "cur_n": int(c["n"]), "cur_base": int(c["base"]), "cur_pct": cur_pct, "diff": diff})
    return pd.DataFrame(rows, columns=["question_id", "previous_id", "text", "option_code", "option_label", "prev_n",
                                       "prev_base", "prev_pct", "cur_n", "cur_base", "cur_pct", "diff"])


def multiple_total(shares: Sequence[float]) -> float:
    """M.T. of an MA question: the sum of the printed option shares (one decimal each), as a fraction."""
    return float(sum((numbers.shown_pct(s) for s in shares if not numbers.is_missing(s)), numbers.Decimal(0))) / 100


__all__ = ["SAMPLING_PS", "Scale", "compare_waves", "likert_frame", "likert_scale", "multiple_total", "overview_rows",
           "sampling_error", "sampling_error_frame"]
