"""The survey codebook and responses readers: the layout as documented (data/raw/README.md ``survey_*/``),
and one broken copy per failure that really happens, each a Japanese problem naming file, sheet, row and
column (tests.survey.builders writes the files)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.survey_codebook import (
    BoolOp,
    Compare,
    check_previous,
    parse_condition,
    parse_period,
    read_codebook,
)
from komae_analysis.ingest.survey_responses import read_fa_coding, read_responses
from tests.survey.builders import OPTIONS, OVERVIEW, QUESTIONS, RESPONSE_HEADER, codebook, responses_csv

GOOD_ROWS = [
    ["R01", 1, 1, 1, 1, "1", 3, 1, 2, "意見"],
    ["R02", 1, 2, 1, 2, "1,2", 10, 2, 2, ""],
]


def _problems(exc: pytest.ExceptionInfo) -> list:
    return exc.value.problems


def _one(exc, text):
    hits = [p for p in _problems(exc) if text in p.message]
    assert hits, [p.format_ja() for p in _problems(exc)]
    return hits[0]


# --- the good file ---------------------------------------------------------------------------------
def test_codebook_reads_every_sheet(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    assert cb.overview.title == "テスト市民意識調査"
    assert (cb.overview.start, cb.overview.end) == (dt.date(2025, 11, 1), dt.date(2025, 11, 20))
    assert cb.overview.distributed == 20 and cb.overview.population == 1000
    assert cb.overview.overflow == "先頭から採用"
    assert [q.id for q in cb.questions] == ["F1", "F2", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "FA1"]
    q3 = cb.question("Q3")
    assert (q3.kind, q3.limit, q3.codes) == ("MA", 2, (1, 2, 3, 4))
    assert cb.question("Q1").missing_code == 9
    assert cb.question("Q1").options[1].previous_codes == (2, 3)
    assert cb.question("Q2").condition == Compare("Q1", "in", (1.0,))
    assert list(cb.attributes()) == ["性別", "年代"]
    assert [q.id for q in cb.groups()["意識"]] == ["Q5", "Q6"]
    assert cb.describe_condition(cb.question("Q2")) == "Q1で「参加している」と回答した方"


def test_header_moved_down_still_reads(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx", header_offset=2))
    assert len(cb.questions) == 9


def test_blank_overflow_rule_means_invalid(tmp_path):
    over = [r if r[0] != "上限超過の扱い" else ("上限超過の扱い", None) for r in OVERVIEW]
    assert read_codebook(codebook(tmp_path / "cb.xlsx", overview=over)).overview.overflow == "無効"


@pytest.mark.parametrize(("text", "expected"), [
    ("令和7年11月1日～11月20日", (dt.date(2025, 11, 1), dt.date(2025, 11, 20))),
    ("令和7年12月15日～令和8年1月10日", (dt.date(2025, 12, 15), dt.date(2026, 1, 10))),
    ("令和7年12月15日～1月10日", (dt.date(2025, 12, 15), dt.date(2026, 1, 10))),
    ("2025-11-01～2025-11-20", (dt.date(2025, 11, 1), dt.date(2025, 11, 20))),
    ("２０２５年１１月１日", (dt.date(2025, 11, 1), dt.date(2025, 11, 1))),
    (dt.datetime(2025, 11, 1), (dt.date(2025, 11, 1), dt.date(2025, 11, 1))),
])
def test_survey_period(text, expected):
    assert parse_period(text) == expected


def test_conditions_parse_with_and_or_and_full_width():
    assert parse_condition("Ｑ５　ｉｎ（１，２）") == Compare("Q5", "in", (1.0, 2.0))
    tree = parse_condition("Q1 = 1 and Q2 in (2,3) or Q4 >= 65")
    assert tree == BoolOp("or", (BoolOp("and", (Compare("Q1", "in", (1.0,)), Compare("Q2", "in", (2.0, 3.0)))),
                                 Compare("Q4", ">=", (65.0,))))
    assert parse_condition("(Q1 = 1 or Q1 = 2) and Q3 not in (4)") == BoolOp(
        "and", (BoolOp("or", (Compare("Q1", "in", (1.0,)), Compare("Q1", "in", (2.0,)))),
                Compare("Q3", "not in", (4.0,))))


def test_responses_read_every_layout(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    rows = [["R01", "１", 1, 1, 1, "１、３", "１２", 1, 2, "x"], ["R02", 2, 2, 9, "", "", 999, 2, 2, ""]]
    r = read_responses(responses_csv(tmp_path / "r.csv", rows, encoding="cp932"), cb)
    assert list(r.ids) == ["R01", "R02"]
    assert r.sa["F1"].tolist() == [1, 2]
    assert r.sa["Q1"].tolist() == [1, -1]  # 9 is the 無回答コード
    assert r.ma["Q3"].tolist() == [[True, False, True, False], [False, False, False, False]]
    assert r.num["Q4"][0] == 12 and np.isnan(r.num["Q4"][1])  # 999 = 無回答
    assert r.fa["FA1"].tolist() == [True, False]
    assert r.rows.tolist() == [2, 3]


def test_ma_as_binary_columns_and_excel_and_sav(tmp_path):
    import openpyxl
    import pandas as pd
    import pyreadstat

    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    header = [h for h in RESPONSE_HEADER if h != "Q3"] + ["Q3_1", "Q3_2", "Q3_3", "Q3_4"]
    rows = [["R01", 1, 1, 1, 1, 3, 1, 2, "", 1, 0, 1, 0], ["R02", 2, 2, 2, None, 5, 2, 2, "", 0, 0, 0, 0]]
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "r.xlsx")
    r = read_responses(tmp_path / "r.xlsx", cb)
    assert r.ma["Q3"].tolist() == [[True, False, True, False], [False] * 4]
    frame = pd.DataFrame(rows, columns=header).astype({"FA1": str})
    pyreadstat.write_sav(frame, str(tmp_path / "r.sav"))
    s = read_responses(tmp_path / "r.sav", cb)
    assert s.sa["Q1"].tolist() == [1, 2] and s.ma["Q3"].tolist() == r.ma["Q3"].tolist()


# --- bad input: one broken copy per failure ---------------------------------------------------------------
def test_option_code_outside_the_option_set(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    rows = [*GOOD_ROWS, ["R03", 1, 4, 1, 1, "1", 3, 1, 2, ""]]
    with pytest.raises(InputError) as exc:
        read_responses(responses_csv(tmp_path / "r.csv", rows), cb)
    p = _one(exc, "コード4は設問「F2」の選択肢にありません")
    assert (p.file.endswith("r.csv"), p.row, p.column, p.found) == (True, 4, "F2", "4")


def test_duplicated_respondent_id(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    rows = [*GOOD_ROWS, ["R01", 2, 2, 2, "", "2", 5, 1, 1, ""]]
    with pytest.raises(InputError) as exc:
        read_responses(responses_csv(tmp_path / "r.csv", rows), cb)
    p = _one(exc, "回答者ID「R01」が重複しています（2行目と4行目）")
    assert (p.row, p.column) == (4, "回答者ID")


def test_ma_binary_column_missing(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    header = [h for h in RESPONSE_HEADER if h != "Q3"] + ["Q3_1", "Q3_2", "Q3_4"]
    with pytest.raises(InputError) as exc:
        read_responses(responses_csv(tmp_path / "r.csv", [["R01", 1, 1, 1, 1, 3, 1, 2, "", 1, 0, 0]], header), cb)
    p = _one(exc, "複数回答「Q3」の0/1列がそろっていません（Q3_3 がありません）")
    assert (p.row, p.column) == (1, "Q3_3") and "シート「設問」6行目" in p.message


def test_codebook_question_not_in_responses_and_the_reverse(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    header = [h if h != "Q4" else "Q40" for h in RESPONSE_HEADER]
    with pytest.raises(InputError) as exc:
        read_responses(responses_csv(tmp_path / "r.csv", GOOD_ROWS, header), cb)
    missing = _one(exc, "設問「Q4」の列がありません")
    assert (missing.row, missing.column) == (1, "Q4") and "cb.xlsx」シート「設問」7行目" in missing.message
    extra = _one(exc, "列「Q40」は調査票設計")
    assert (extra.row, extra.column) == (1, "Q40")


def test_text_in_a_num_column(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    rows = [*GOOD_ROWS, ["R03", 1, 1, 1, 1, "1", "十年", 1, 2, ""]]
    with pytest.raises(InputError) as exc:
        read_responses(responses_csv(tmp_path / "r.csv", rows), cb)
    p = _one(exc, "数量回答（NUM）の設問「Q4」の列に数値でない値があります")
    assert (p.row, p.column, p.found) == (4, "Q4", "十年")


def test_malformed_condition(tmp_path):
    qs = [r if r[0] != "Q2" else [*r[:4], "Q1 = = 1", *r[5:]] for r in QUESTIONS]
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", questions=qs))
    p = _one(exc, "対象条件を読めません")
    assert (p.sheet, p.row, p.column, p.found) == ("設問", 5, "対象条件", "Q1 = = 1")


@pytest.mark.parametrize(("condition", "message"), [
    ("Q9 = 1", "対象条件の設問「Q9」は「設問」シートにありません"),
    ("Q1 in (1,5)", "対象条件のコード5は設問「Q1」の選択肢にありません"),
    ("Q2 = 1", "対象条件が自分自身を参照しています"),
    ("FA1 = 1", "対象条件に自由回答（FA）の設問「FA1」は使えません"),
    ("Q1", "比較（=、in (…)、!= など）がありません"),
])
def test_condition_that_cannot_be_resolved(tmp_path, condition, message):
    qs = [r if r[0] != "Q2" else [*r[:4], condition, *r[5:]] for r in QUESTIONS]
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", questions=qs))
    p = _one(exc, message)
    assert (p.sheet, p.row, p.column) == ("設問", 5, "対象条件")


def test_previous_code_that_does_not_exist(tmp_path):
    prev_opts = [o for o in OPTIONS if o[0] != "Q1"] + [["Q1", 1, "参加している", None], ["Q1", 2, "参加していない", None]]
    previous = read_codebook(codebook(tmp_path / "prev.xlsx", options=prev_opts))
    current = read_codebook(codebook(tmp_path / "cur.xlsx"))  # Q1 option 2 maps from previous codes 2,3
    problems = check_previous(current, previous)
    assert len(problems) == 1
    p = problems[0]
    assert "前回コード3は前回設問「Q1」" in p.message
    assert (p.file.endswith("cur.xlsx"), p.sheet, p.row, p.column, p.found) == (True, "選択肢", 8, "前回コード", "2,3")


def test_unknown_kind(tmp_path):
    qs = [r if r[0] != "Q4" else [r[0], r[1], "数値", *r[3:]] for r in QUESTIONS]
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", questions=qs))
    p = _one(exc, "形式「数値」は使えません")
    assert (p.sheet, p.row, p.column, p.expected) == ("設問", 7, "形式", "SA、MA、NUM、FA のいずれか")


def test_limit_on_a_question_that_is_not_ma(tmp_path):
    qs = [r if r[0] != "Q1" else [*r[:3], 2, *r[4:]] for r in QUESTIONS]
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", questions=qs))
    p = _one(exc, "上限は複数回答（MA）の設問にだけ指定できます（この設問はSA）")
    assert (p.sheet, p.row, p.column, p.found) == ("設問", 4, "上限", "2")


@pytest.mark.parametrize(("change", "message", "where"), [
    (lambda qs, os, ov: (qs + [["Q1", "重複", "SA", None, None, None, None, None, None]], os, ov),
     "設問ID「Q1」が2回あります", ("設問", 11, "設問ID")),
    (lambda qs, os, ov: (qs, os + [["Q9", 1, "はい", None]], ov), "設問ID「Q9」は「設問」シートにありません",
     ("選択肢", len(OPTIONS) + 2, "設問ID")),
    (lambda qs, os, ov: (qs, os + [["Q1", 1, "重複", None]], ov), "設問「Q1」のコード1が2回あります",
     ("選択肢", len(OPTIONS) + 2, "コード")),
    (lambda qs, os, ov: (qs, os + [["Q1", 9, "無回答", None]], ov), "コード9は設問「Q1」の無回答コードと同じです",
     ("選択肢", len(OPTIONS) + 2, "コード")),
    (lambda qs, os, ov: (qs, [o for o in os if o[0] != "Q2"], ov), "設問「Q2」（SA）に選択肢がありません",
     ("選択肢", None, "設問ID")),
    (lambda qs, os, ov: (qs, os, [r for r in ov if r[0] != "母集団数"]), "項目「母集団数」の行がありません",
     ("調査概要", None, "項目")),
    (lambda qs, os, ov: (qs, os, [r if r[0] != "調査期間" else ("調査期間", "11月ごろ") for r in ov]),
     "調査期間を日付として読めません", ("調査概要", 5, "値")),
    (lambda qs, os, ov: (qs, os, [r if r[0] != "上限超過の扱い" else ("上限超過の扱い", "最後を採用") for r in ov]),
     "上限超過の扱いが選択肢にありません", ("調査概要", 8, "値")),
    (lambda qs, os, ov: ([r if r[0] != "Q6" else [*r[:7], "別の尺度", None] for r in qs] + [], os, ov), None, None),
])
def test_other_codebook_mistakes(tmp_path, change, message, where):
    qs, os, ov = change([list(r) for r in QUESTIONS], [list(o) for o in OPTIONS], list(OVERVIEW))
    path = codebook(tmp_path / "cb.xlsx", questions=qs, options=os, overview=ov)
    if message is None:  # a question moved to its own group is fine
        read_codebook(path)
        return
    with pytest.raises(InputError) as exc:
        read_codebook(path)
    p = _one(exc, message)
    assert (p.sheet, p.row, p.column) == where


def test_likert_group_with_another_scale(tmp_path):
    os = [o for o in OPTIONS if o[0] != "Q6"] + [["Q6", 1, "はい", None], ["Q6", 2, "いいえ", None]]
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", options=os))
    p = _one(exc, "設問グループ「意識」の設問は同じ選択肢")
    assert (p.sheet, p.row, p.column) == ("設問", 9, "設問グループ")


def test_missing_sheet(tmp_path):
    with pytest.raises(InputError) as exc:
        read_codebook(codebook(tmp_path / "cb.xlsx", sheet_names=("調査概要", "質問", "選択肢")))
    assert "シート『設問』がありません（あるシート: 調査概要、質問、選択肢）" in exc.value.problems[0].message


def test_fa_coding(tmp_path):
    cb = read_codebook(codebook(tmp_path / "cb.xlsx"))
    r = read_responses(responses_csv(tmp_path / "r.csv", GOOD_ROWS), cb)
    coding = responses_csv(tmp_path / "c.csv", [["R01", "FA1", "交通"]], header=["回答者ID", "設問ID", "分類"])
    labels, index = read_fa_coding(coding, cb, r)["FA1"]
    assert labels == ["交通"] and index.tolist() == [0, -1]
    bad = responses_csv(tmp_path / "b.csv", [["R09", "FA1", "交通"], ["R01", "Q1", "x"]],
                        header=["回答者ID", "設問ID", "分類"])
    with pytest.raises(InputError) as exc:
        read_fa_coding(bad, cb, r)
    assert {p.row for p in exc.value.problems} == {2, 3}
