"""The naive way to tabulate a survey, as an analyst would write it in pandas: for each question, a
``value_counts`` for the total and a ``pd.crosstab`` per attribute. The same rules and the same output
rows as :func:`komae_analysis.survey.tabulate.tabulate` (counts and bases), so that the tests can check
the engine against it and ``make bench`` can measure how much faster the engine is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from komae_analysis.survey.prepare import Wave
from komae_analysis.survey.tabulate import (
    NO_ANSWER,
    UNCODED,
    Grouping,
    Tabulation,
    auto_bands,
    total_grouping,
)


def _series(wave: Wave, qid: str) -> tuple[pd.Series, list[str], str] | None:
    """Each respondent's answer as a label (option code, 無回答, or None when not in the base)."""
    q = wave.question(qid)
    elig = pd.Series(wave.eligible[qid])
    if q.kind == "SA":
        codes = pd.Series(wave.sa[qid])
        values = codes.astype(str).where(codes >= 0, NO_ANSWER).where(elig, None)
        return values, [str(c) for c in q.codes], NO_ANSWER
    if q.kind == "NUM":
        v = pd.Series(wave.num[qid])
        bands = [(float(o.code), str(o.code)) for o in q.options] or [(b, _fmt(b)) for b, _ in auto_bands(v.to_numpy())]
        if not bands:
            return None
        lower = [b for b, _ in bands]
        idx = pd.cut(v, bins=[*lower, np.inf], right=False, labels=[c for _, c in bands])
        values = idx.astype(object).where(v.notna(), NO_ANSWER).where(elig, None)
        return values, [c for _, c in bands], NO_ANSWER
    if q.kind == "FA" and qid in wave.responses.fa_coded:
        labels, index = wave.responses.fa_coded[qid]
        s = pd.Series(index)
        values = (s + 1).astype(str).where(s >= 0, UNCODED).where(pd.Series(wave.fa[qid]), None)
        return values, [str(i + 1) for i in range(len(labels))], UNCODED
    return None


def _fmt(b: float) -> str:
    return str(int(b)) if float(b).is_integer() else f"{b:g}"


def naive_tabulate(wave: Wave, by: Sequence[Grouping] = (), questions: Sequence[str] | None = None) -> Tabulation:
    rows: list[dict[str, object]] = []
    groupings = [total_grouping(wave.n), *by]
    for q in wave.codebook.questions:
        if questions is not None and q.id not in questions:
            continue
        if q.kind == "MA":
            marks = pd.DataFrame(wave.ma[q.id], columns=[str(c) for c in q.codes])
            elig = pd.Series(wave.eligible[q.id])
            marks[NO_ANSWER] = elig & ~marks.any(axis=1)
            for g in groupings:
                if q.id in g.question.split("×"):
                    continue
                grp = pd.Series(g.index)
                keep = elig & (grp >= 0)
                base = grp[keep].value_counts()
                counts = marks[keep].groupby(grp[keep]).sum()
                for j in range(g.size):
                    for col in marks.columns:
                        n = int(counts.loc[j, col]) if j in counts.index else 0
                        rows.append({"question_id": q.id, "by_question": g.question, "by_code": g.codes[j],
                                     "option_code": col, "n": n, "base": int(base.get(j, 0))})
            continue
        found = _series(wave, q.id)
        if found is None:
            continue
        values, codes, slot = found
        for g in groupings:
            if q.id in g.question.split("×"):
                continue
            grp = pd.Series(g.index)
            keep = values.notna() & (grp >= 0)
            table = pd.crosstab(grp[keep], values[keep])
            for j in range(g.size):
                base = int(table.loc[j].sum()) if j in table.index else 0
                for code in [*codes, slot]:
                    n = int(table.loc[j, code]) if j in table.index and code in table.columns else 0
                    rows.append({"question_id": q.id, "by_question": g.question, "by_code": g.codes[j],
                                 "option_code": code, "n": n, "base": base})
    cells = pd.DataFrame(rows, columns=["question_id", "by_question", "by_code", "option_code", "n", "base"])
    return Tabulation(cells, pd.DataFrame(), False, 30)


__all__ = ["naive_tabulate"]
