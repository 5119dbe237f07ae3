"""``komae survey validate | tabulate | codebook-from-sav`` on the demo survey and on small built files."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from komae_analysis.cli import main
from tests.demo.test_survey import COMMUNITY
from tests.survey.builders import codebook, responses_csv
from tests.survey.test_rules import ROWS

DEMO = ["--codebook", str(COMMUNITY / "2025_codebook.xlsx"), "--responses", str(COMMUNITY / "2025_responses.csv"),
        "--fa-coding", str(COMMUNITY / "2025_fa_coding.csv")]
PREVIOUS = ["--previous-codebook", str(COMMUNITY / "2022_codebook.xlsx"),
            "--previous-responses", str(COMMUNITY / "2022_responses.xlsx")]


def _csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def tabulated(tmp_path_factory):
    out = tmp_path_factory.mktemp("tab")
    assert main(["survey", "tabulate", *DEMO, *PREVIOUS, "--out", str(out / "plain")]) == 0
    assert main(["survey", "tabulate", *DEMO, "--out", str(out / "suppressed"), "--suppress"]) == 0
    return out


def test_validate_reports_the_warnings_and_no_error(capsys):
    assert main(["survey", "validate", *DEMO, *PREVIOUS]) == 0
    out = capsys.readouterr().out
    assert "問題は見つかりませんでした（回答者1," in out
    assert "対象条件（Q2 = 1）に当たらない回答者の回答を集計から除きました" in out
    assert "選べる数（3つまで）を超えて選んだ回答を先頭から3つを採用しました" in out
    assert "回答者ID: KC25-" in out  # on the analyst's terminal only


def test_validate_names_file_row_and_column(tmp_path, capsys):
    cb = codebook(tmp_path / "cb.xlsx")
    bad = responses_csv(tmp_path / "r.csv", [*ROWS[:2], ["R01", 7, 1, 1, 1, "1", "abc", 1, 2, ""]])
    assert main(["survey", "validate", "--codebook", str(cb), "--responses", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "r.csv」 4行目 列「F1」: コード7は設問「F1」の選択肢にありません" in err
    assert "r.csv」 4行目 列「回答者ID」: 回答者ID「R01」が重複しています" in err
    assert "r.csv」 4行目 列「Q4」: 数量回答（NUM）の設問「Q4」の列に数値でない値があります" in err


def test_tabulate_writes_the_workbook_and_the_tidy_csvs(tabulated):
    plain = tabulated / "plain"
    assert sorted(p.name for p in plain.iterdir()) == sorted(["集計表.xlsx", "tabulation.csv", "numeric.csv",
                                                               "sampling_error.csv"])
    tab = _csv(plain / "tabulation.csv")
    assert list(tab[0]) == ["question_id", "by_question", "by_code", "option_code", "option_label", "n", "base", "pct",
                            "flag"]
    assert list(_csv(plain / "numeric.csv")[0]) == ["question_id", "by_question", "by_code", "n", "mean", "median",
                                                    "min", "max"]
    assert list(_csv(plain / "sampling_error.csv")[0]) == ["n", "p", "error"]
    assert {r["option_code"] for r in tab if r["question_id"] == "Q1"} >= {"1", "4", "無回答"}
    assert all(r["n"] != "" for r in tab) and not any("秘匿" in r["flag"] for r in tab)  # every count shown
    assert any(r["flag"] == "参考値" for r in tab)
    wb = openpyxl.load_workbook(plain / "集計表.xlsx", read_only=True)
    assert wb.sheetnames == ["目次", "調査概要", "単純集計", "クロス集計", "数量回答", "標本誤差", "前回比較"]
    wb.close()


def test_suppress_hides_small_cells_in_the_csv(tabulated):
    tab = _csv(tabulated / "suppressed" / "tabulation.csv")
    hidden = [r for r in tab if "秘匿" in r["flag"]]
    assert hidden and all(r["n"] == "" and r["pct"] == "" and r["by_question"] for r in hidden)
    assert any("秘匿（二次）" in r["flag"] for r in hidden)
    shown = [r for r in tab if r["by_question"] and r["n"] not in ("", "0")]
    assert all(int(r["n"]) >= 5 for r in shown)


def test_nothing_is_written_when_an_input_is_bad(tmp_path, capsys):
    cb = codebook(tmp_path / "cb.xlsx", questions=[["F1", "性別", "数値", None, None, None, "性別", None, None]])
    out = tmp_path / "out"
    assert main(["survey", "tabulate", "--codebook", str(cb), "--responses", str(COMMUNITY / "2025_responses.csv"),
                 "--out", str(out)]) == 1
    assert not out.exists()
    assert "何も書き出していません" in capsys.readouterr().err


def test_crossed_attributes_and_weights(tmp_path):
    cb = codebook(tmp_path / "cb.xlsx")
    r = responses_csv(tmp_path / "r.csv", ROWS)
    weights = responses_csv(tmp_path / "w.csv", [["F1", 1, 600], ["F1", 2, 400]], header=["設問ID", "コード", "母集団"])
    out = tmp_path / "out"
    assert main(["survey", "tabulate", "--codebook", str(cb), "--responses", str(r), "--out", str(out),
                 "--by", "F1×F2", "--weights", str(weights)]) == 0
    tab = _csv(out / "tabulation.csv")
    assert {row["by_question"] for row in tab} == {"", "F1×F2"}
    q1 = {row["option_code"]: row for row in tab if row["question_id"] == "Q1" and row["by_question"] == ""}
    assert q1["1"]["pct"] == "52.5" and q1["1"]["w_n"] == "4.20"  # as in tests/survey/test_rules.py


def test_codebook_draft_from_spss(tmp_path, capsys):
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"回答者ID": ["a", "b"], "Q1": [1.0, 2.0], "Q2_1": [1.0, 0.0], "Q2_2": [0.0, 1.0],
                          "Q3": [35.0, 40.0], "Q4": ["意見", ""]})
    pyreadstat.write_sav(frame, str(tmp_path / "s.sav"),
                         column_labels=["回答者ID", "性別", "福祉", "防災", "年齢", "意見"],
                         variable_value_labels={"Q1": {1.0: "男性", 2.0: "女性"}})
    assert main(["survey", "codebook-from-sav", "--sav", str(tmp_path / "s.sav"), "--out", str(tmp_path / "cb.xlsx")]) == 0
    wb = openpyxl.load_workbook(tmp_path / "cb.xlsx")
    questions = [r for r in wb["設問"].iter_rows(min_row=2, values_only=True)]
    options = [r for r in wb["選択肢"].iter_rows(min_row=2, values_only=True)]
    assert [(q[0], q[2]) for q in questions] == [("Q1", "SA"), ("Q2", "MA"), ("Q3", "NUM"), ("Q4", "FA")]
    assert ("Q1", 1, "男性", None) in options and ("Q2", 2, "防災", None) in options
    assert [r[0] for r in wb["調査概要"].iter_rows(min_row=2, values_only=True)][0] == "調査名"
