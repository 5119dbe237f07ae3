"""Benchmark of the survey tabulation engine: 100,000 respondents × 150 questions, cross tabs by 3
attributes, against the naive per-question pandas loop (:mod:`komae_analysis.survey.naive`).

``run()`` returns the timings and the ratio as a dict (``make bench`` prints it and stores it beside the
build benchmark); ``python -m komae_analysis.survey.bench`` prints them. The synthetic survey is built
in memory (no files): 3 attribute questions (性別 2, 年代 6, 圏域 3 options) and 150 questions — 95 SA
(3–7 options, every tenth asked only of those who chose option 1 of the previous one), 35 MA (5–10
options, every third capped at 3), 15 NUM, 5 FA — with random answers and 3% blanks. Both ways count
the same cells (the test suite checks that they agree).

Targets (issue 7): the engine (preparation + tabulation) within 10 s, and at least 5× faster than the
naive loop.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from komae_analysis.ingest.survey_codebook import Codebook, Compare, Option, Overview, Question
from komae_analysis.ingest.survey_responses import Responses
from komae_analysis.survey.naive import naive_tabulate
from komae_analysis.survey.prepare import prepare_wave
from komae_analysis.survey.tabulate import grouping, tabulate

TARGET_SECONDS = 10.0
TARGET_RATIO = 5.0


def synthetic(n: int = 100_000, questions: int = 150, seed: int = 7) -> tuple[Codebook, Responses]:
    rng = np.random.default_rng(seed)
    qs: list[Question] = []
    resp = Responses(file="synthetic", ids=np.array([f"S{i:06d}" for i in range(n)], dtype=object),
                     rows=np.arange(2, n + 2))

    def sa(qid: str, k: int, **kw) -> None:
        opts = tuple(Option(c, f"選択肢{c}") for c in range(1, k + 1))
        qs.append(Question(qid, f"設問{qid}", "SA", options=opts, **kw))
        codes = rng.integers(1, k + 1, size=n)
        resp.sa[qid] = np.where(rng.random(n) < 0.03, -1, codes)

    for qid, k, label in (("F1", 2, "性別"), ("F2", 6, "年代"), ("F3", 3, "圏域")):
        sa(qid, k, attribute=label)
    kinds = ["SA"] * 95 + ["MA"] * 35 + ["NUM"] * 15 + ["FA"] * 5
    kinds = kinds[:questions]
    order = rng.permutation(len(kinds))
    prev_sa = None
    for i, idx in enumerate(order, start=1):
        kind, qid = kinds[idx], f"Q{i}"
        if kind == "SA":
            cond = None
            if prev_sa is not None and i % 10 == 0:
                cond = Compare(prev_sa, "in", (1.0,))
            sa(qid, int(rng.integers(3, 8)), condition=cond, condition_text=f"{prev_sa} = 1" if cond else "")
            prev_sa = qid
        elif kind == "MA":
            k = int(rng.integers(5, 11))
            limit = 3 if i % 3 == 0 else None
            opts = tuple(Option(c, f"選択肢{c}") for c in range(1, k + 1))
            qs.append(Question(qid, f"設問{qid}", "MA", options=opts, limit=limit))
            resp.ma[qid] = rng.random((n, k)) < 0.3
        elif kind == "NUM":
            qs.append(Question(qid, f"設問{qid}", "NUM"))
            v = np.round(rng.gamma(3.0, 10.0, size=n))
            resp.num[qid] = np.where(rng.random(n) < 0.03, np.nan, v)
        else:
            qs.append(Question(qid, f"設問{qid}", "FA"))
            resp.fa[qid] = rng.random(n) < 0.2
    overview = Overview("ベンチマーク用の調査", "", "", "", dt.date(2025, 11, 1), dt.date(2025, 11, 1), n * 2,
                        n * 20, "先頭から採用")
    return Codebook(overview, tuple(qs), "synthetic"), resp


def run(n: int = 100_000, questions: int = 150, repeat: int = 3) -> dict[str, object]:
    """Best-of-``repeat`` wall times of the engine and one run of the naive loop."""
    codebook, responses = synthetic(n, questions)
    best_prepare = best_tab = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        wave = prepare_wave(codebook, responses)
        t1 = time.perf_counter()
        by = [grouping(wave, q) for q in ("F1", "F2", "F3")]
        tab = tabulate(wave, by)
        t2 = time.perf_counter()
        best_prepare, best_tab = min(best_prepare, t1 - t0), min(best_tab, t2 - t1)
    t0 = time.perf_counter()
    naive = naive_tabulate(wave, by)
    naive_s = time.perf_counter() - t0
    engine_s = best_prepare + best_tab
    keys = ["question_id", "by_question", "by_code", "option_code"]
    agree = tab.cells.set_index(keys)[["n", "base"]].sort_index().equals(
        naive.cells.set_index(keys)[["n", "base"]].sort_index())
    return {
        "respondents": n,
        "questions": questions,
        "attributes": 3,
        "cells": len(tab.cells),
        "naive_cells": len(naive.cells),
        "prepare_s": round(best_prepare, 3),
        "tabulate_s": round(best_tab, 3),
        "engine_s": round(engine_s, 3),
        "naive_s": round(naive_s, 3),
        "ratio": round(naive_s / best_tab, 1),
        "agree": agree,
        "ok": agree and engine_s <= TARGET_SECONDS and naive_s / best_tab >= TARGET_RATIO,
    }


def report(result: dict[str, object]) -> str:
    return (
        f"市民意識調査の集計（回答者{result['respondents']:,}人 × 設問{result['questions']}問、クロス集計の軸"
        f"{result['attributes']}つ）: 準備 {result['prepare_s']} 秒 + 集計 {result['tabulate_s']} 秒 = "
        f"{result['engine_s']} 秒（目標 {TARGET_SECONDS:.0f} 秒以内）／素朴な pandas のループ {result['naive_s']} 秒、"
        f"集計の速さの比 {result['ratio']} 倍（目標 {TARGET_RATIO:.0f} 倍以上）、"
        f"集計結果は{'一致' if result['agree'] else '不一致'}"
        f"{'' if result['ok'] else '　※目標に届いていません'}"
    )


if __name__ == "__main__":
    print(report(run()))
