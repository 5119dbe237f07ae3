"""第1節 第3款（1）地域福祉に関する市民意識調査, end to end on the FY2026 demo build.

Every number is recomputed from the raw demo files (csv / openpyxl, not the package's readers) with the
survey's rules written out here: the base includes 無回答 (a blank or the 無回答コード 9), a conditional
question's base is the respondents meeting its condition, a capped MA keeps the first marks in option
order (上限超過の扱い 先頭から採用 in the 令和7年 codebook), cross tabs drop unknown attributes.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from tests.demo.test_survey import COMMUNITY, read_csv, read_xlsx
from tests.sections import (
    commentary,
    page,
    printed_cells,
    section,
    shown_pct,
    table,
    tables,
    unmatched_numbers,
    visible_text,
)
from tests.survey.test_disclosure import attack

ID = "03a_survey_community"
AGES = ["18～29歳", "30～39歳", "40～49歳", "50～59歳", "60～69歳", "70～79歳", "80歳以上"]


@pytest.fixture(scope="module")
def rows():
    return read_csv(COMMUNITY / "2025_responses.csv")


@pytest.fixture(scope="module")
def previous():
    return read_xlsx(COMMUNITY / "2022_responses.xlsx")


def _printed(t, row_label: str, col: str, label_col: str | None = None) -> str:
    text = t.formatted()
    label_col = label_col or text.columns[0]
    hits = text[text[label_col] == row_label]
    assert len(hits) >= 1, row_label
    return hits.iloc[0][col]


def _block(t, heading_start: str):
    """The rows of one question in a combined table (from its heading row to its 回答者数 row)."""
    text = t.formatted()
    col = text.columns[0]
    start = next(i for i, v in enumerate(text[col]) if str(v).startswith(heading_start))
    end = next(i for i in range(start + 1, len(text)) if text.iloc[i][col].strip() .startswith("回答者数"))
    return text.iloc[start + 1:end + 1].assign(label=lambda f: f[col].str.strip()).set_index("label")


def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, len(rec["tables"]) + 1)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, len(rec["figures"]) + 1)]
    assert len(rec["tables"]) >= 15 and len(rec["figures"]) >= 6


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 4
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_overview_with_the_return_rate(built_report, rows):
    t = table(built_report, ID, "調査の概要")
    f = t.frame.iloc[0]
    assert (f["配布数"], f["有効回収数"]) == (3000, len(rows))
    assert t.formatted().iloc[0]["有効回収率"] == str(shown_pct(len(rows), 3000))
    assert f["調査期間"] == "令和7年11月1日～令和7年11月21日"


def test_single_answer_base_includes_no_answer_and_the_no_answer_code(built_report, rows):
    block = _block(table(built_report, ID, "設問ごとの回答"), "Q2 ")
    n = len(rows)
    counts = {code: sum(r["Q2"] == code for r in rows) for code in ("1", "2", "3")}
    no_answer = sum(r["Q2"] in ("", "9") for r in rows)
    assert counts["1"] + counts["2"] + counts["3"] + no_answer == n
    assert block.loc["参加している", "回答数"] == f"{counts['1']:,}"
    assert block.loc["参加している", "割合"] == str(shown_pct(counts["1"], n))
    assert block.loc["無回答", "回答数"] == f"{no_answer:,}"
    assert block.loc["回答者数", "回答数"] == f"{n:,}"


def test_conditional_question_over_the_eligible(built_report, rows):
    t = table(built_report, ID, "設問ごとの回答")
    block = _block(t, "Q3 ")
    eligible = [r for r in rows if r["Q2"] == "1"]  # Q3 is asked when Q2 = 1
    assert block.loc["回答者数（割合はM.T.）", "回答数"] == f"{len(eligible):,}"
    council = sum("1" in r["Q3"].split(",") for r in eligible)  # 町会・自治会
    assert block.loc["町会・自治会", "割合"] == str(shown_pct(council, len(eligible)))
    assert any("Q3はQ2で「参加している」と回答した方のみに尋ねた設問" in n for n in t.notes)


def test_capped_multiple_answer_keeps_the_first_marks(built_report, rows):
    block = _block(table(built_report, ID, "設問ごとの回答"), "Q13 ")
    n = len(rows)
    kept = [sorted(int(c) for c in r["Q13"].split(","))[:3] if r["Q13"] else [] for r in rows]
    assert any(len(r["Q13"].split(",")) > 3 for r in rows)  # some marked more than 3
    shares = {c: shown_pct(sum(c in k for k in kept), n) for c in range(1, 11)}
    assert block.loc["家族・親族", "割合"] == str(shares[1])
    assert block.loc["相談できる人はいない", "割合"] == str(shares[9])
    # M.T.: the sum of the printed shares
    mt = sum(shares.values(), Decimal(0))
    assert block.loc["回答者数（割合はM.T.）", "割合"] == str(mt)


def test_cross_tab_by_age_with_reference_values_and_suppression(built_report, rows):
    t = table(built_report, ID, "Q2 地域の活動（町会・自治会、サロン、ボランティアなど）への参加（単数回答）【年代別】")
    text = t.formatted().set_index("年代")
    options = ["1", "2", "3", "無回答"]
    counts = np.zeros((len(AGES), 4), dtype=int)
    for r in rows:
        if not r["F2"]:
            continue
        j = options.index(r["Q2"]) if r["Q2"] in ("1", "2", "3") else 3
        counts[int(r["F2"]) - 1, j] += 1
    total = np.array([sum(1 for r in rows if (r["Q2"] if r["Q2"] in ("1", "2", "3") else "無回答") == o) for o in options])
    heads = list(t.frame.columns[2:6])
    mask = np.zeros_like(counts, dtype=bool)
    for i, age in enumerate(AGES):
        n = int(counts[i].sum())
        label = f"{age}※" if n < 30 else age
        assert text.loc[label, "回答者数"] == f"{n:,}"
        for j, head in enumerate(heads):
            cell = text.loc[label, head]
            if cell == "x":
                mask[i, j] = True
            elif counts[i, j] == 0:
                assert cell == "－"
            else:
                assert cell == str(shown_pct(int(counts[i, j]), n)), (age, head)
    # every 1–4 cell is hidden, and no hidden cell can be recovered from the printed figures
    assert (mask >= ((counts >= 1) & (counts <= 4))).all()
    got = attack(counts, mask, additive_rows=True, hidden=total - counts.sum(axis=0))
    assert all(len(v) >= 2 for v in got.values()), got
    if mask.any():
        assert any("「x」（秘匿）" in n for n in t.notes)
        # a hidden cell is blank in the data and marked: its column keeps numbers for the editors' Excel
        assert all(t.column_formats()[h] != "text" for h in heads)
        assert all(pd.isna(t.frame.iloc[r][c]) for (r, c), m in t.marks.items() if m == "x")


def test_likert_positive_total(built_report, rows):
    t = table(built_report, ID, "地域についての意識")
    n = len(rows)
    positive = sum(r["Q6"] in ("1", "2") for r in rows)
    negative = sum(r["Q6"] in ("3", "4") for r in rows)
    text = t.formatted().set_index("設問")
    assert text.loc["Q6 地域に愛着がある", "肯定計"] == str(shown_pct(positive, n))
    assert text.loc["Q6 地域に愛着がある", "否定計"] == str(shown_pct(negative, n))


def test_previous_wave_mapping_and_difference_of_printed_shares(built_report, rows, previous):
    t = table(built_report, ID, "前回調査")
    text = t.formatted()
    col = text.columns[0]
    start = next(i for i, v in enumerate(text[col]) if v.startswith("Q2 "))
    block = text.iloc[start + 1:start + 4].assign(label=lambda f: f[col].str.strip()).set_index("label")
    # 2022: 1 よく参加, 2 ときどき参加 → 2025's 1 参加している; 3 以前は参加していた → 2; 4 → 3
    n_prev = len(previous)
    prev_1 = sum(r["Q2"] in (1, 2) for r in previous)
    cur_1 = sum(r["Q2"] == "1" for r in rows)
    prev_label, cur_label = text.columns[1], text.columns[2]
    assert block.loc["参加している", prev_label] == str(shown_pct(prev_1, n_prev))
    assert block.loc["参加している", cur_label] == str(shown_pct(cur_1, len(rows)))
    diff = shown_pct(cur_1, len(rows)) - shown_pct(prev_1, n_prev)
    assert block.loc["参加している", "差（ポイント）"] == (f"△{-diff}" if diff < 0 else str(diff))
    assert any("Q2" in n and "組み替えて" in n for n in t.notes)
    # a question new in 2025 is not compared; an option new in 2025 has no 前回
    assert not any(v.startswith("Q29 ") for v in text[col])


def test_sampling_error(built_report, rows):
    t = table(built_report, ID, "標本誤差")
    n = len(rows)
    text = t.formatted().set_index("区分")
    population = int(table(built_report, ID, "標本誤差").notes[1].split("母集団数 N は")[1].split("人")[0].replace(",", ""))
    error = 2 * math.sqrt((population - n) / (population - 1) * 50 * 50 / n)
    assert text.loc["全体", "50％"] == str(Decimal(str(error)).quantize(Decimal("0.1")))


def test_free_text_only_as_counts(built_report):
    coded = read_csv(COMMUNITY / "2025_fa_coding.csv")
    t = table(built_report, ID, "自由記述の分類別件数")
    text = t.formatted()
    col = text.columns[0]
    counts = {}
    for r in coded:
        counts[r["分類"]] = counts.get(r["分類"], 0) + 1
    for name, n in counts.items():
        row = text[text[col].str.strip() == name].iloc[0]
        assert row["件数"] == f"{n:,}"


def test_page_has_no_pipeline_wording_or_parameters(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "params_file", "data_dir", "community_cross"):
        assert word not in text, word
    assert "x（秘匿）" in page(built_report, ID) or "「x」" in page(built_report, ID)
