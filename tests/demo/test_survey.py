"""The demo surveys (``survey_community/``, ``survey_needs/``): deterministic, in the documented layout,
calibrated (about 1,200 of 3,000 returned for the 市民意識調査, about 70% for the ニーズ調査), consistent
with the demo register, and carrying what the tests of the engine and of privacy need. Read with csv and
openpyxl, not with the package's readers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import survey as demo_survey

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
COMMUNITY = RAW / "survey_community"
NEEDS = RAW / "survey_needs"


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp932")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_xlsx(path: Path) -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def codebook_sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    wb.close()
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("survey_demo")
    return out, demo_survey.write(out, SEED)


def test_deterministic_and_equal_to_the_committed_files(generated, tmp_path):
    out, files = generated
    again = demo_survey.write(tmp_path, SEED)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]
    for f in files:
        committed = RAW / f.relative_to(out)
        assert committed.read_bytes() == f.read_bytes(), committed
    for folder in ("survey_community", "survey_needs"):
        assert sorted(p.name for p in (RAW / folder).iterdir()) == sorted(p.name for p in (out / folder).iterdir())


def test_codebooks_say_they_are_demo_data():
    for path in [*COMMUNITY.glob("*_codebook.xlsx"), *NEEDS.glob("*_codebook.xlsx")]:
        sheets = codebook_sheets(path)
        assert list(sheets)[:3] == ["調査概要", "設問", "選択肢"]
        assert "架空のデモデータ" in sheets["このファイルについて"][0][0]


def test_community_questionnaire_has_every_kind_of_question():
    sheets = codebook_sheets(COMMUNITY / "2025_codebook.xlsx")
    header, *questions = sheets["設問"]
    assert header == ("設問ID", "設問文", "形式", "上限", "対象条件", "無回答コード", "属性", "設問グループ", "前回設問ID")
    kinds = {q[2] for q in questions}
    assert len(questions) >= 40 and kinds == {"SA", "MA", "NUM", "FA"}
    assert sum(1 for q in questions if q[4]) >= 5  # conditional questions
    assert any(q[2] == "MA" and q[3] for q in questions)  # capped MA
    assert {q[6] for q in questions if q[6]} >= {"性別", "年代", "圏域"}
    groups = [q[7] for q in questions if q[7]]
    assert len(groups) >= 4 and len(set(groups)) == 1  # one Likert block
    assert sum(1 for q in questions if q[8]) >= 30  # mapped to the previous wave
    options = sheets["選択肢"][1:]
    merged = [o for o in options if o[3] and "," in str(o[3])]
    assert merged  # options merged since the previous wave


def test_previous_wave_three_years_earlier():
    over = {r[0]: r[1] for r in codebook_sheets(COMMUNITY / "2022_codebook.xlsx")["調査概要"][1:]}
    now = {r[0]: r[1] for r in codebook_sheets(COMMUNITY / "2025_codebook.xlsx")["調査概要"][1:]}
    assert over["調査期間"].startswith("令和4年11月") and now["調査期間"].startswith("令和7年11月")


def test_community_returns_about_1200_of_3000_and_mirror_the_register():
    rows = read_csv(COMMUNITY / "2025_responses.csv")
    assert 1100 <= len(rows) <= 1350
    over = {r[0]: r[1] for r in codebook_sheets(COMMUNITY / "2025_codebook.xlsx")["調査概要"][1:]}
    assert over["配布数"] == 3000
    # the register aged 18+ (demo register, 1 January 2025) is the population
    assert 65_000 <= over["母集団数"] <= 75_000
    ages = [int(r["F2"]) for r in rows if r["F2"]]
    older = sum(a >= 6 for a in ages) / len(ages)  # 70歳以上 answer more often than their share (about 23%)
    assert 0.22 <= older <= 0.40
    areas = {int(r["F3"]) for r in rows if r["F3"]}
    assert areas == {1, 2, 3}


def test_respondent_ids_are_unique_everywhere_and_the_marker_is_in_one_answer():
    ids: list[str] = []
    ids += [r["回答者ID"] for r in read_csv(COMMUNITY / "2025_responses.csv")]
    ids += [str(r["回答者ID"]) for r in read_xlsx(COMMUNITY / "2022_responses.xlsx")]
    ids += [r["回答者ID"] for p in NEEDS.glob("*_responses.csv") for r in read_csv(p)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"K[CN]\d{2}-\d{5}", i) for i in ids)
    raw = (COMMUNITY / "2025_responses.csv").read_bytes().decode("cp932")
    assert raw.count(demo_survey.PRIVACY_MARKER) == 1


def test_layouts_vary_as_documented():
    new = read_csv(COMMUNITY / "2025_responses.csv")
    old = read_xlsx(COMMUNITY / "2022_responses.xlsx")
    assert any("," in r["Q12"] for r in new)  # MA as delimited codes
    assert "Q12_1" in old[0] and "Q12" not in old[0]  # MA as 0/1 columns
    assert any(r["Q2"] == "9" for r in new)  # a 無回答コード
    coding = read_csv(COMMUNITY / "2025_fa_coding.csv")
    assert list(coding[0]) == ["回答者ID", "設問ID", "分類"] and len(coding) > 100


def _needs_rate(rows, items, codes, at_least):
    hit = judged = 0
    for r in rows:
        vals = [r[i] for i in items]
        h = sum(v in codes for v in vals)
        missing = sum(v == "" for v in vals)
        if h >= at_least:
            hit += 1
            judged += 1
        elif h + missing < at_least:
            judged += 1
    return hit / judged


def test_needs_survey_calibration():
    rows = read_csv(NEEDS / "2025_responses.csv")
    assert 1900 <= len(rows) <= 2300  # about 70% of 3,000
    ages = {r["F2"] for r in rows}
    assert ages == {"1", "2", "3", "4", "5", ""}  # 65～69歳 … 85歳以上, and a few blanks
    # 運動器: 問2_1..3 count 3 (できない), 問2_4 / 問2_5 count 1 or 2; 3 of 5
    hit = judged = 0
    for r in rows:
        marks = [r["問2_1"] == "3", r["問2_2"] == "3", r["問2_3"] == "3", r["問2_4"] in ("1", "2"),
                 r["問2_5"] in ("1", "2")]
        missing = sum(r[k] == "" for k in ("問2_1", "問2_2", "問2_3", "問2_4", "問2_5"))
        if sum(marks) >= 3:
            hit += 1
            judged += 1
        elif sum(marks) + missing < 3:
            judged += 1
    motor = hit / judged
    assert 0.10 <= motor <= 0.25
    assert 0.30 <= _needs_rate(rows, ["問4_1"], {"1"}, 1) <= 0.55  # 認知機能の低下
    assert 0.30 <= _needs_rate(rows, ["問7_3", "問7_4"], {"1"}, 1) <= 0.55  # うつ傾向
