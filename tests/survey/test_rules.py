"""The tabulation rules on a hand-made survey of 8 respondents, every share worked out by hand
(comments), and the engine checked against the naive per-question pandas loop.

The data (tests.survey.builders codebook; 上限超過の扱い varies by test):

| ID  | F1 性別 | F2 年代 | Q1 | Q2 (Q1=1) | Q3 MA ≤2 | Q4 NUM | Q5 | Q6 | FA1 |
| R01 | 1 男 | 1 | 1 | 1 | 1     | 3   | 1 | 2 | あり |
| R02 | 1 男 | 2 | 1 | 2 | 1,2   | 10  | 2 | 2 |      |
| R03 | 1 男 | 3 | 2 | 3 (not asked) | 2,3,4 (over) | 25 | 3 | 4 | |
| R04 | 2 女 | 1 | 9 (無回答コード) | | 1,2,3 (over) | 999 (無回答) | 5 | 1 | |
| R05 | 2 女 | 2 | 1 | (blank) | (blank) | 0 | 1 | 1 | あり |
| R06 | 2 女 | 3 | 2 |   | 4     | 20  | 4 | 3 |      |
| R07 | 2 女 | (blank) | 1 | 1 | 3 | 7 | 2 | 5 |     |
| R08 | (blank) | 3 | (blank) | | 2,4 | (blank) | 1 | 2 | |
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from komae_analysis.ingest.survey_codebook import read_codebook
from komae_analysis.ingest.survey_responses import read_responses
from komae_analysis.survey.naive import naive_tabulate
from komae_analysis.survey.output import tabulation_csv
from komae_analysis.survey.prepare import prepare_wave
from komae_analysis.survey.summaries import (
    compare_waves,
    likert_frame,
    likert_scale,
    sampling_error,
    sampling_error_frame,
)
from komae_analysis.survey.tables import cross_table, gt_table
from komae_analysis.survey.tabulate import grouping, tabulate
from komae_analysis.survey.weights import poststratify
from tests.survey.builders import OPTIONS, OVERVIEW, codebook, responses_csv

ROWS = [
    ["R01", 1, 1, 1, 1, "1", 3, 1, 2, "あり"],
    ["R02", 1, 2, 1, 2, "1,2", 10, 2, 2, ""],
    ["R03", 1, 3, 2, 3, "2,3,4", 25, 3, 4, ""],
    ["R04", 2, 1, 9, "", "1,2,3", 999, 5, 1, ""],
    ["R05", 2, 2, 1, "", "", 0, 1, 1, "あり"],
    ["R06", 2, 3, 2, "", "4", 20, 4, 3, ""],
    ["R07", 2, "", 1, 1, "3", 7, 2, 5, ""],
    ["R08", "", 3, "", "", "2,4", "", 1, 2, ""],
]


def _wave(tmp_path, rule="先頭から採用", rows=ROWS, weights=None):
    over = [r if r[0] != "上限超過の扱い" else ("上限超過の扱い", rule) for r in OVERVIEW]
    cb = read_codebook(codebook(tmp_path / f"cb_{rule}.xlsx", overview=over))
    r = read_responses(responses_csv(tmp_path / "r.csv", rows), cb)
    return prepare_wave(cb, r, weights)


def _shares(tab, qid, by="", group=""):
    part = tab.question(qid, by)
    if by:
        part = part[part["by_code"] == group]
    return {row.option_code: (int(row.n), int(row.base), round(100 * row.pct, 2)) for row in part.itertuples()}


def test_base_includes_no_answer_and_the_no_answer_code(tmp_path):
    tab = tabulate(_wave(tmp_path))
    # Q1: 参加している R01 R02 R05 R07 = 4/8; 参加していない R03 R06 = 2/8; 無回答 R04 (code 9) R08 (blank) = 2/8
    assert _shares(tab, "Q1") == {"1": (4, 8, 50.0), "2": (2, 8, 25.0), "無回答": (2, 8, 25.0)}


def test_conditional_base_and_the_answers_left_out(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave)
    # Q2 asked of Q1 = 1: R01 R02 R05 R07 (base 4). R01 1, R02 2, R05 blank, R07 1; R03's "3" is left out
    assert _shares(tab, "Q2") == {"1": (2, 4, 50.0), "2": (1, 4, 25.0), "3": (0, 4, 0.0), "無回答": (1, 4, 25.0)}
    line = next(x for x in wave.report if x.question == "Q2")
    assert line.count == 1 and line.ids == ("R03",) and "対象条件（Q1 = 1）" in line.message


@pytest.mark.parametrize(("rule", "expected", "over"), [
    # 先頭から採用: R03 {2,3,4} → {2,3}; R04 {1,2,3} → {1,2}.
    # 1: R01 R02 R04 = 3 (37.5); 2: R02 R03 R04 R08 = 4 (50.0); 3: R03 R07 = 2 (25.0); 4: R06 R08 = 2 (25.0);
    # 無回答: R05 = 1 (12.5)
    ("先頭から採用", {"1": (3, 8, 37.5), "2": (4, 8, 50.0), "3": (2, 8, 25.0), "4": (2, 8, 25.0),
                 "無回答": (1, 8, 12.5)}, 2),
    # 無効: R03 and R04 become 無回答. 1: R01 R02 = 2; 2: R02 R08 = 2; 3: R07 = 1; 4: R06 R08 = 2; 無回答: R03 R04 R05 = 3
    ("無効", {"1": (2, 8, 25.0), "2": (2, 8, 25.0), "3": (1, 8, 12.5), "4": (2, 8, 25.0), "無回答": (3, 8, 37.5)}, 2),
    # すべて採用: 1: R01 R02 R04 = 3; 2: R02 R03 R04 R08 = 4; 3: R03 R04 R07 = 3; 4: R03 R06 R08 = 3; 無回答 R05
    ("すべて採用", {"1": (3, 8, 37.5), "2": (4, 8, 50.0), "3": (3, 8, 37.5), "4": (3, 8, 37.5),
                "無回答": (1, 8, 12.5)}, 2),
])
def test_ma_over_the_limit_each_rule(tmp_path, rule, expected, over):
    wave = _wave(tmp_path, rule)
    assert _shares(tabulate(wave), "Q3") == expected
    assert wave.overflow == {"Q3": over}


def test_ma_shares_are_over_respondents_with_mt(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave)
    t = gt_table(tab, wave.codebook, wave.question("Q3"), source="テスト")
    # M.T. = 37.5 + 50.0 + 25.0 + 25.0 = 137.5
    assert any("M.T.は137.5％" in n for n in t.notes)
    assert any("先頭から採用" in n for n in t.notes)


def test_num_statistics_and_bands(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave)
    # values 3, 10, 25, 0, 20, 7 (999 and blank are 無回答): n 6, mean 65/6, median (7+10)/2, min 0, max 25
    total = tab.numeric[tab.numeric["by_question"] == ""].iloc[0]
    assert (total["n"], total["median"], total["min"], total["max"]) == (6, 8.5, 0, 25)
    assert total["mean"] == pytest.approx(65 / 6)
    # bands from the codebook's options (lower bounds 0, 5, 20): 0,3 | 7,10 | 20,25 | 無回答 2
    assert _shares(tab, "Q4") == {"0": (2, 8, 25.0), "5": (2, 8, 25.0), "20": (2, 8, 25.0), "無回答": (2, 8, 25.0)}


def test_cross_tabs_drop_unknown_attribute_and_mark_reference_values(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave, [grouping(wave, "F1")], threshold=4)
    # 男性 R01 R02 R03: 参加 2, 不参加 1 → base 3 (< 4: 参考値); 女性 R04–R07: 参加 2, 不参加 1, 無回答 1 → base 4
    # R08 (性別 無回答) is in neither group
    assert _shares(tab, "Q1", "F1", "1") == {"1": (2, 3, 66.67), "2": (1, 3, 33.33), "無回答": (0, 3, 0.0)}
    assert _shares(tab, "Q1", "F1", "2") == {"1": (2, 4, 50.0), "2": (1, 4, 25.0), "無回答": (1, 4, 25.0)}
    flags = tab.question("Q1", "F1").groupby("by_code")["flag"].first().to_dict()
    assert flags == {"1": "参考値", "2": ""}
    t = cross_table(tab, wave.codebook, wave.question("Q1"), "F1", source="テスト")
    assert list(t.frame["性別"]) == ["全体", "男性※", "女性"]
    assert any("3人" not in n and "4人未満" in n for n in t.notes)


def test_cross_tab_of_a_capped_ma_by_age(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave, [grouping(wave, "F2")])
    # 18～39 (R01, R04→{1,2}): 1: 2, 2: 1 → base 2; 65歳以上 (R03→{2,3}, R06, R08): 2: 2, 3: 1, 4: 2 → base 3
    assert _shares(tab, "Q3", "F2", "1") == {"1": (2, 2, 100.0), "2": (1, 2, 50.0), "3": (0, 2, 0.0), "4": (0, 2, 0.0),
                                             "無回答": (0, 2, 0.0)}
    assert _shares(tab, "Q3", "F2", "3")["4"] == (2, 3, 66.67)


def test_likert_positive_and_negative_totals(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave)
    q5 = wave.question("Q5")
    scale = likert_scale(q5)
    assert (scale.positive, scale.negative, scale.neutral) == ((1, 2), (3, 4), (5,))
    lf = likert_frame(tab, wave.codebook, [q5, wave.question("Q6")]).set_index("question_id")
    # Q5: 1: R01 R05 R08, 2: R02 R07 → 肯定計 5/8 = 62.5; 3: R03, 4: R06 → 否定計 2/8 = 25.0; わからない R04
    assert (lf.loc["Q5", "positive_n"], lf.loc["Q5", "positive_pct"]) == (5, 0.625)
    assert (lf.loc["Q5", "negative_n"], lf.loc["Q5", "negative_pct"]) == (2, 0.25)
    # Q6: 1: R04 R05, 2: R01 R02 R08 → 5/8; 3: R06, 4: R03 → 2/8
    assert (lf.loc["Q6", "positive_n"], lf.loc["Q6", "negative_n"]) == (5, 2)


def test_likert_scale_runs_the_other_way():
    from komae_analysis.ingest.survey_codebook import Option, Question

    q = Question("Q", "満足度", "SA", options=tuple(Option(i + 1, lab) for i, lab in enumerate(
        ["不満", "やや不満", "どちらともいえない", "やや満足", "満足"])))
    scale = likert_scale(q)
    assert (scale.positive, scale.negative, scale.neutral) == ((4, 5), (1, 2), (3,))


def test_previous_wave_mapping(tmp_path):
    prev_opts = ([o for o in OPTIONS if o[0] not in ("Q1", "Q3")]
                 + [["Q1", 1, "参加している", None], ["Q1", 2, "あまり参加していない", None], ["Q1", 3, "参加していない", None],
                    ["Q3", 1, "福祉", None], ["Q3", 2, "防災", None], ["Q3", 4, "環境", None]])
    prev_cb = read_codebook(codebook(tmp_path / "prev.xlsx", options=prev_opts))
    prev_rows = [["P01", 1, 1, 1, 1, "1", 3, 1, 1, ""], ["P02", 2, 1, 2, "", "2,4", 3, 1, 1, ""],
                 ["P03", 2, 2, 3, "", "4", 3, 1, 1, ""], ["P04", 1, 2, 1, 2, "", 3, 1, 1, ""],
                 ["P05", 2, 3, "", "", "1,2", 3, 1, 1, ""]]
    prev = prepare_wave(prev_cb, read_responses(responses_csv(tmp_path / "p.csv", prev_rows), prev_cb))
    wave = _wave(tmp_path)
    cmp = compare_waves(tabulate(wave), wave.codebook, tabulate(prev), prev_cb)
    got = {(r.question_id, r.option_code): (None if math.isnan(r.prev_pct) else round(100 * r.prev_pct, 1),
                                            round(100 * r.cur_pct, 1), None if math.isnan(r.diff) else r.diff)
           for r in cmp.itertuples()}
    # Q1 previous (base 5): 1 = P01 P04 → 40.0; current 2 (参加していない) ← previous 2 and 3: P02 P03 → 40.0
    assert got[("Q1", "1")] == (40.0, 50.0, 10.0)
    assert got[("Q1", "2")] == (40.0, 25.0, -15.0)
    # Q3 previous (MA, base 5): 1 = P01 P05 → 40.0; 2 = P02 P05 → 40.0; 4 = P02 P03 → 40.0; 子育て is new (no 前回)
    assert got[("Q3", "1")] == (40.0, 37.5, -2.5)
    assert got[("Q3", "2")] == (40.0, 50.0, 10.0)
    assert got[("Q3", "3")] == (None, 25.0, None)
    assert got[("Q3", "4")] == (40.0, 25.0, -15.0)
    # F1 has no 前回コード: the same codes. previous 男性 P01 P04 = 40.0, current 3/8 = 37.5
    assert got[("F1", "1")] == (40.0, 37.5, -2.5)


def test_sampling_error_formula():
    # N = 3,000, n = 1,200, P = 50: 2·sqrt(1800/2999 · 2500/1200) = 2·sqrt(0.60020 · 2.08333) = 2·1.11822 = 2.236
    assert sampling_error(1200, 50, 3000) == pytest.approx(2.2364, abs=1e-4)
    # P = 10: 2·sqrt(0.60020 · 900/1200) = 2·sqrt(0.45015) = 1.3419
    assert sampling_error(1200, 10, 3000) == pytest.approx(1.3419, abs=1e-4)
    # without N: 2·sqrt(2500/400) = 5.0
    assert sampling_error(400, 50, None) == 5.0
    frame = sampling_error_frame([("全体", 1200), ("男性", 500)], 3000)
    assert list(frame["p"]) == [10, 20, 30, 40, 50] * 2 and frame["n"].tolist() == [1200] * 5 + [500] * 5


def test_percentages_are_one_decimal_half_up_in_the_csv(tmp_path):
    wave = _wave(tmp_path)
    tab = tabulate(wave, [grouping(wave, "F1")])
    csv = tabulation_csv(tab.cells)
    row = csv[(csv.question_id == "Q1") & (csv.by_question == "F1") & (csv.by_code == "1") & (csv.option_code == "1")]
    assert row["pct"].iloc[0] == "66.7"  # 2/3 = 66.666… → 66.7
    # 1/8 = 12.5 exactly; 1/16 = 6.25 → 6.3 (half up, not to even)
    from komae_analysis.survey.output import _pct_tenths

    assert _pct_tenths(np.array([1, 1, 1]), np.array([8, 16, 3])) == ["12.5", "6.3", "33.3"]


def test_weights_post_stratified_by_sex(tmp_path):
    wave = _wave(tmp_path)
    # population 男 600 : 女 400 over the 7 respondents whose sex is known (3 men, 4 women):
    # men weigh 0.6·7/3 = 1.4, women 0.4·7/4 = 0.7, R08 (unknown) 1 → total 8
    w = poststratify(grouping(wave, "F1").index, [600, 400])
    assert w.tolist() == pytest.approx([1.4, 1.4, 1.4, 0.7, 0.7, 0.7, 0.7, 1.0])
    tab = tabulate(wave.with_weights(w))
    csv = tabulation_csv(tab.cells).set_index(["question_id", "by_question", "option_code"])
    # Q1 参加: R01 R02 (1.4 each) + R05 R07 (0.7 each) = 4.2 / 8 = 52.5; 不参加: 1.4 + 0.7 = 2.1 → 26.25 → 26.3;
    # 無回答: R04 0.7 + R08 1.0 = 1.7 → 21.25 → 21.3. n stays unweighted (4, 2, 2)
    assert csv.loc[("Q1", "", "1"), "pct"] == "52.5"
    assert csv.loc[("Q1", "", "2"), "pct"] == "26.3"
    assert csv.loc[("Q1", "", "無回答"), "pct"] == "21.3"
    assert csv.loc[("Q1", "", "1"), "n"] == 4 and csv.loc[("Q1", "", "1"), "w_n"] == "4.20"


def test_raking_with_ipfn_matches_both_margins(tmp_path):
    from komae_analysis.survey.weights import rake

    wave = _wave(tmp_path)
    sex, age = grouping(wave, "F1").index, grouping(wave, "F2").index
    w = rake([sex, age], [[500, 500], [300, 400, 300]])
    known = (sex >= 0) & (age >= 0)  # R01–R06
    assert w[~known].tolist() == [1.0, 1.0]
    n = known.sum()
    for idx, margin in ((sex, [500, 500]), (age, [300, 400, 300])):
        got = np.bincount(idx[known], weights=w[known])
        assert got == pytest.approx(np.array(margin) / sum(margin) * n, rel=1e-6)


@pytest.mark.parametrize("rule", ["先頭から採用", "無効", "すべて採用"])
def test_engine_equals_the_naive_loop(tmp_path, rule):
    wave = _wave(tmp_path, rule)
    by = [grouping(wave, "F1"), grouping(wave, "F2")]
    fast = tabulate(wave, by).cells
    slow = naive_tabulate(wave, by).cells
    keys = ["question_id", "by_question", "by_code", "option_code"]
    a = fast.set_index(keys)[["n", "base"]].sort_index()
    b = slow.set_index(keys)[["n", "base"]].sort_index()
    assert a.equals(b)


def test_question_heading_states_the_answer_kind_once():
    from komae_analysis.ingest.survey_codebook import Question
    from komae_analysis.survey.tables import question_heading

    assert question_heading(Question("Q13", "悩みの相談相手（3つまで）", "MA", limit=3)) == "Q13 悩みの相談相手（複数回答・3つまで）"
    assert question_heading(Question("Q3", "参加している活動", "MA")) == "Q3 参加している活動（複数回答）"
    assert question_heading(Question("Q2", "地域の活動への参加", "SA")) == "Q2 地域の活動への参加（単数回答）"
