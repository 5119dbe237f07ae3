"""第1節 第3款（2）介護予防・日常生活圏域ニーズ調査, end to end on the FY2026 demo build: the risk
indicators recomputed from the raw demo CSV with the national rules written out here independently of
komae_analysis.survey.needs, by 性別 × 年代 and 圏域, with the suppressed cells checked by an attacker."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.demo.test_survey import NEEDS, read_csv
from tests.sections import commentary, printed_cells, section, shown_pct, table, tables, unmatched_numbers
from tests.survey.test_disclosure import attack

ID = "03b_survey_needs"
RISKS = ["運動器機能の低下", "転倒リスク", "閉じこもり傾向", "低栄養", "口腔機能の低下", "認知機能の低下", "うつ傾向", "IADLの低下"]


def _judge(hits: int, missing: int, at_least: int) -> int | None:
    if hits >= at_least:
        return 1
    if hits + missing < at_least:
        return 0
    return None


def judge(r: dict[str, str]) -> dict[str, int | None]:
    """The national rules (厚生労働省 ニーズ調査の評価項目 / 基本チェックリスト / 老研式活動能力指標)."""

    def count(items):
        hits = sum(r[i] in codes for i, codes in items)
        missing = sum(r[i] == "" for i, _ in items)
        return hits, missing

    out: dict[str, int | None] = {}
    out["運動器機能の低下"] = _judge(*count([("問2_1", {"3"}), ("問2_2", {"3"}), ("問2_3", {"3"}),
                                         ("問2_4", {"1", "2"}), ("問2_5", {"1", "2"})]), 3)
    out["転倒リスク"] = _judge(*count([("問2_4", {"1", "2"})]), 1)
    out["閉じこもり傾向"] = _judge(*count([("問2_6", {"1", "2"})]), 1)
    h = float(r["問3_1_1"]) if r["問3_1_1"] not in ("", "999") else None
    w = float(r["問3_1_2"]) if r["問3_1_2"] not in ("", "999") else None
    thin = None if h is None or w is None else w / (h / 100) ** 2 < 18.5
    lost = None if r["問3_7"] == "" else r["問3_7"] == "1"
    out["低栄養"] = 1 if thin and lost else (0 if thin is False or lost is False else None)
    out["口腔機能の低下"] = _judge(*count([("問3_2", {"1"}), ("問3_3", {"1"}), ("問3_4", {"1"})]), 2)
    out["認知機能の低下"] = _judge(*count([("問4_1", {"1"})]), 1)
    out["うつ傾向"] = _judge(*count([("問7_3", {"1"}), ("問7_4", {"1"})]), 1)
    points, missing = count([(f"問4_{k}", {"1", "2"}) for k in range(4, 9)])
    out["IADLの低下"] = 1 if points + missing <= 3 else (0 if points >= 4 else None)
    return out


@pytest.fixture(scope="module")
def judged():
    rows = read_csv(NEEDS / "2025_responses.csv")
    return rows, [judge(r) for r in rows]


def test_numbering_and_commentary(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, len(rec["tables"]) + 1)]
    numeric, labels = printed_cells(tables(built_report, ID))
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 2
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_total_rates_by_the_national_rules(built_report, judged):
    rows, status = judged
    t = table(built_report, ID, "リスク該当者の割合（性別・年代別）")
    total = t.formatted().iloc[0]
    assert total.iloc[0] == "全体" and total["回答者数"] == f"{len(rows):,}"
    for name in RISKS:
        hit = sum(s[name] == 1 for s in status)
        base = sum(s[name] is not None for s in status)
        assert total[name] == str(shown_pct(hit, base)), name


@pytest.mark.parametrize(("title", "label"), [("リスク該当者の割合（性別・年代別）", "性別・年代"),
                                              ("リスク該当者の割合（圏域別）", "圏域")])
def test_groups_rates_suppression_and_recovery(built_report, judged, title, label):
    rows, status = judged
    t = table(built_report, ID, title)
    text = t.formatted()
    sexes, ages, areas = ["男性", "女性"], ["65～69歳", "70～74歳", "75～79歳", "80～84歳", "85歳以上"], \
        ["あいとぴあ圏域", "こまえ正吉苑圏域", "こまえ苑圏域"]
    if label == "圏域":
        groups = areas

        def key(r):
            return int(r["F3"]) - 1 if r["F3"] else None
    else:
        groups = [f"{s} {a}" for s in sexes for a in ages]

        def key(r):
            return (int(r["F1"]) - 1) * 5 + int(r["F2"]) - 1 if r["F1"] and r["F2"] else None
    hits = np.zeros((len(groups), len(RISKS)), dtype=int)
    base = np.zeros_like(hits)
    n = np.zeros(len(groups), dtype=int)
    for r, s in zip(rows, status, strict=True):
        g = key(r)
        if g is None:
            continue
        n[g] += 1
        for k, name in enumerate(RISKS):
            hits[g, k] += s[name] == 1
            base[g, k] += s[name] is not None
    body = text.iloc[1:].reset_index(drop=True)
    assert [v.rstrip("※") for v in body.iloc[:, 0]] == groups
    mask = np.zeros_like(hits, dtype=bool)
    for g in range(len(groups)):
        assert body.loc[g, "回答者数"] == f"{n[g]:,}"
        for k, name in enumerate(RISKS):
            cell = body.loc[g, name]
            if cell == "x":
                mask[g, k] = True
            elif hits[g, k] == 0:
                assert cell == "－"
            else:
                assert cell == str(shown_pct(int(hits[g, k]), int(base[g, k]))), (groups[g], name)
    assert (mask >= ((hits >= 1) & (hits <= 4))).all()
    total_hits = np.array([sum(s[name] == 1 for s in status) for name in RISKS])
    got = attack(hits, mask, additive_rows=False, hidden=total_hits - hits.sum(axis=0))
    assert all(len(v) >= 2 for v in got.values())


def test_rules_are_stated_with_their_source(built_report):
    t = table(built_report, ID, "リスク判定の方法")
    assert list(t.frame["指標"]) == RISKS
    assert "介護予防・日常生活圏域ニーズ調査 実施の手引き" in t.source and "老研式活動能力指標" in t.source
    assert "3点以下" in t.frame.set_index("指標").loc["IADLの低下", "該当とする基準"]
    assert any("判定ができた人" in n for n in table(built_report, ID, "リスク該当者の割合（圏域別）").notes)
