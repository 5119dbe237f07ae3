"""One survey wave made ready to tabulate: 対象条件 applied (answers of respondents outside a
question's condition left out, and listed), the 上限超過の扱い applied to capped MA questions, 無回答
marked, and every question as the arrays the engine counts.

The rules (DOMAIN §4 and the codebook's 調査概要):

- The base of a question is every respondent it was asked of — all respondents, or those meeting its
  対象条件 — including those who did not answer it (無回答).
- A respondent who does not meet a question's 対象条件 but answered it anyway is left out of its
  tables; the validation report lists them (:class:`ReportLine`).
- A capped MA (上限 k) where a respondent marked more than k: ``先頭から採用`` keeps the first k marks in
  option order, ``無効`` makes the question 無回答 for that respondent, ``すべて採用`` keeps every mark.
- Conditions read the cleaned answers of the questions they name (a respondent who did not answer, or
  was not asked, that question does not meet the condition), in dependency order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from komae_analysis.ingest.survey_codebook import (
    OVERFLOW_ALL,
    OVERFLOW_FIRST,
    OVERFLOW_INVALID,
    Codebook,
    Question,
)
from komae_analysis.ingest.survey_responses import Responses

#: How many respondent IDs a validation-report line lists (the rest are counted).
LIST_IDS = 10


@dataclass(frozen=True)
class ReportLine:
    """One line of the validation report: a warning, not an error (the answers are tabulated by the
    stated rule). ``ids`` are respondent IDs: printed by ``komae survey validate`` on the analyst's
    machine, never written under reports/."""

    question: str
    message: str
    count: int
    ids: tuple[str, ...] = ()

    def format_ja(self) -> str:
        text = f"設問「{self.question}」: {self.message}（{self.count}人）"
        if self.ids:
            more = f" ほか{self.count - len(self.ids)}人" if self.count > len(self.ids) else ""
            text += f" 回答者ID: {'、'.join(self.ids)}{more}"
        return text


@dataclass
class Wave:
    """The cleaned answers of one wave. Arrays have one entry per respondent (file order)."""

    codebook: Codebook
    responses: Responses
    weights: np.ndarray | None = None  # post-stratification / raking weights (mean 1), or None
    eligible: dict[str, np.ndarray] = field(default_factory=dict)  # bool: asked (in the base)
    sa: dict[str, np.ndarray] = field(default_factory=dict)  # int64 code, -1 = 無回答 or not asked
    ma: dict[str, np.ndarray] = field(default_factory=dict)  # bool marks after the 上限 rule; False if not asked
    num: dict[str, np.ndarray] = field(default_factory=dict)  # float64, NaN = 無回答 or not asked
    fa: dict[str, np.ndarray] = field(default_factory=dict)  # bool: answered (and asked)
    report: list[ReportLine] = field(default_factory=list)
    overflow: dict[str, int] = field(default_factory=dict)  # MA question → respondents over its 上限

    @property
    def n(self) -> int:
        return self.responses.n

    @property
    def date(self):
        return self.codebook.date

    def question(self, qid: str) -> Question:
        return self.codebook.question(qid)

    def answered(self, qid: str) -> np.ndarray:
        """Asked and answered (not 無回答)."""
        q = self.question(qid)
        if q.kind == "SA":
            return self.sa[qid] >= 0
        if q.kind == "MA":
            return self.ma[qid].any(axis=1)
        if q.kind == "NUM":
            return ~np.isnan(self.num[qid])
        return self.fa[qid]

    def with_weights(self, weights: np.ndarray | None) -> Wave:
        out = Wave(**{**self.__dict__})
        out.weights = weights
        return out


def _order(codebook: Codebook) -> list[Question]:
    """Questions in an order where every condition's questions come first (questionnaire order otherwise)."""
    done: set[str] = set()
    out: list[Question] = []

    def visit(q: Question) -> None:
        if q.id in done:
            return
        done.add(q.id)
        if q.condition is not None:
            for dep in sorted(q.condition.questions()):
                if dep in codebook:
                    visit(codebook.question(dep))
        out.append(q)

    for q in codebook.questions:
        visit(q)
    return out


def _ids(responses: Responses, mask: np.ndarray) -> tuple[str, ...]:
    return tuple(str(x) for x in responses.ids[np.flatnonzero(mask)[:LIST_IDS]])


def apply_overflow(marks: np.ndarray, limit: int | None, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """(marks after the 上限超過の扱い, respondents over the limit). ``marks`` is (n, options) in option
    order; ``先頭から採用`` keeps the first ``limit`` marks of each row, ``無効`` clears the row (→ 無回答),
    ``すべて採用`` keeps them all."""
    if limit is None:
        return marks, np.zeros(marks.shape[0], dtype=bool)
    over = marks.sum(axis=1) > limit
    if not over.any() or rule == OVERFLOW_ALL:
        return marks, over
    if rule == OVERFLOW_FIRST:
        return marks & (np.cumsum(marks, axis=1) <= limit), over
    if rule == OVERFLOW_INVALID:
        return marks & ~over[:, None], over
    raise ValueError(f"unknown 上限超過の扱い {rule!r}")


def prepare_wave(codebook: Codebook, responses: Responses, weights: np.ndarray | None = None) -> Wave:
    """Apply the codebook's rules to one wave's responses (see the module docstring)."""
    wave = Wave(codebook=codebook, responses=responses, weights=weights)
    n = responses.n
    rule = codebook.overview.overflow

    def answers(qid: str):
        q = codebook.question(qid)
        if q.kind == "SA":
            return "SA", wave.sa[qid]
        if q.kind == "MA":
            return "MA", (q.codes, wave.ma[qid])
        if q.kind == "NUM":
            return "NUM", wave.num[qid]
        return "FA", wave.fa[qid]

    for q in _order(codebook):
        eligible = np.ones(n, dtype=bool) if q.condition is None else q.condition.evaluate(answers)
        wave.eligible[q.id] = eligible
        if q.kind == "SA":
            raw = responses.sa[q.id]
            answered = raw >= 0
            wave.sa[q.id] = np.where(eligible, raw, -1)
        elif q.kind == "MA":
            raw = responses.ma[q.id]
            answered = raw.any(axis=1)
            marks, over = apply_overflow(raw, q.limit, rule)
            over &= eligible
            wave.ma[q.id] = marks & eligible[:, None]
            if over.any():
                wave.overflow[q.id] = int(over.sum())
                what = {OVERFLOW_FIRST: f"先頭から{q.limit}つを採用", OVERFLOW_INVALID: "無回答として集計",
                        OVERFLOW_ALL: "すべての選択を集計"}[rule]
                wave.report.append(ReportLine(q.id, f"選べる数（{q.limit}つまで）を超えて選んだ回答を{what}しました",
                                              int(over.sum()), _ids(responses, over)))
        elif q.kind == "NUM":
            raw = responses.num[q.id]
            answered = ~np.isnan(raw)
            wave.num[q.id] = np.where(eligible, raw, np.nan)
        else:
            raw = responses.fa[q.id]
            answered = raw
            wave.fa[q.id] = raw & eligible
        outside = answered & ~eligible
        if outside.any():
            wave.report.append(ReportLine(
                q.id, f"対象条件（{q.condition_text}）に当たらない回答者の回答を集計から除きました",
                int(outside.sum()), _ids(responses, outside)))
    return wave


__all__ = ["LIST_IDS", "ReportLine", "Wave", "apply_overflow", "prepare_wave"]
