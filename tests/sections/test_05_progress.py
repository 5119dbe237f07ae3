"""第1節 第5款 現行計画の進捗状況の評価: the 達成率 / 進捗率 formulas and the grades on hand-worked cases,
the tables on a small hand-made set of records, and end to end on the FY2026 demo build against the raw
workbooks read with openpyxl."""

from __future__ import annotations

import re
from collections import Counter

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import plan
from komae_analysis.analysis.plan.progress import indicators, judge
from komae_analysis.ingest import registry
from komae_analysis.ingest.frames import typed_frame
from komae_analysis.pipeline.registry import run_params
from tests.sections import commentary, printed_cells, tables, unmatched_numbers

ID = "05_progress"
H, L = "高いほど良い", "低いほど良い"


# --- formulas (values worked out by hand) --------------------------------------------------------


def test_achievement_is_direction_aware():
    assert plan.achievement(90, 100, H) == pytest.approx(0.9)  # 90 / 100
    assert plan.achievement(120, 100, H) == pytest.approx(1.2)  # over the target
    assert plan.achievement(20, 15, L) == pytest.approx(0.75)  # lower is better: 15 / 20
    assert plan.achievement(12, 15, L) == pytest.approx(1.25)  # 15 / 12: better than the target
    assert plan.achievement(None, 15, L) is None  # no 実績
    assert plan.achievement(0, 0, L) == 1.0  # target 0 reached
    assert plan.achievement(0, 5, L) is None and plan.achievement(5, 0, H) is None  # undefined ratios


def test_progress_is_direction_aware():
    assert plan.progress(90, 50, 100, H) == pytest.approx(0.8)  # (90 − 50) / (100 − 50)
    assert plan.progress(40, 50, 100, H) == pytest.approx(-0.2)  # worse than the base: (40 − 50) / 50
    assert plan.progress(20, 30, 15, L) == pytest.approx(2 / 3)  # (30 − 20) / (30 − 15)
    assert plan.progress(33, 30, 15, L) == pytest.approx(-0.2)  # (30 − 33) / 15
    assert plan.progress(20, None, 15, L) is None and plan.progress(20, 15, 15, L) is None


def test_grades_and_judgements_at_their_thresholds():
    t = (0.9, 0.75, 0.6)
    assert [plan.grade(x, t) for x in (1.0, 0.9, 0.89, 0.75, 0.6, 0.59, None)] == [
        "順調", "順調", "おおむね順調", "おおむね順調", "やや遅れ", "遅れ", "－"]
    assert [judge(x, 0.8) for x in (1.0, 0.99, 0.8, 0.79, None)] == ["達成", "順調", "順調", "遅れ", "－"]


# --- the tables on hand-made records -----------------------------------------------------------------


def hand_made() -> dict[str, pd.DataFrame]:
    """Plans P (goal 1: 事業 p1, p2, p3) and Q (goal 2: 事業 q1). Scale A, B, C(遅れ).
    2025: p1 A, p2 B, p3 C, q1 B;  2026: p1 B, p2 B, p3 A, q1 C.
    Indicator i1 (p1, higher, base 50 in 2023, target 100 in 2026): 70 in 2025, 2026 empty → 実績 70 (2025).
    Indicator i2 (q1, lower, base 30 in 2023, target 15 in 2026): 27 in 2026."""
    src = registry.source
    outline = typed_frame(src("plan_registry_outline").schema, {
        "kind": ["基本目標", "基本目標", "計画", "計画"], "number": [1, 2, 1, 2], "name": ["目標一", "目標二", "P", "Q"],
        "short_name": [None, None, "P計画", "Q計画"], "note": [None] * 4})
    measures = typed_frame(src("plan_registry_measures").schema, {
        "code": ["1-2-1", "2-2-1"], "goal_no": [1, 2], "goal": ["目標一", "目標二"], "plan_no": [1, 2],
        "plan": ["P計画", "Q計画"], "plan_name": ["P", "Q"], "plan_note": [None] * 2, "text": ["施策p", "施策q"],
        "priority": [False, False], "vision": [None] * 2, "directions": [None] * 2, "examples": [None] * 2,
        "departments": ["甲課", "乙課"], "target": [None] * 2, "note": [None] * 2, "row": [4, 5]})
    projects = typed_frame(src("plan_registry_projects").schema, {
        "project_id": ["p1", "p2", "p3", "q1"], "measure_code": ["1-2-1"] * 3 + ["2-2-1"],
        "name": ["事業p1", "事業p2", "事業p3", "事業q1"], "departments": ["甲課"] * 3 + ["乙課"],
        "budget_name": [None] * 4, "row": [4, 5, 6, 7]})
    scale = typed_frame(src("plan_progress_scale").schema, {
        "rating": ["A", "B", "C"], "description": ["良", "可", "遅"], "rank": [1, 2, 3], "behind": [False, False, True]})
    given = {2025: ["A", "B", "C", "B"], 2026: ["B", "B", "A", "C"]}
    recs = [(y, p, r) for y, rs in given.items() for p, r in zip(["p1", "p2", "p3", "q1"], rs, strict=True)]
    rank = {"A": 1, "B": 2, "C": 3}
    ratings = typed_frame(src("plan_progress_ratings").schema, {
        "fiscal_year": [y for y, _p, _r in recs], "project_id": [p for _y, p, _r in recs], "project_name": [None] * 8,
        "result": [f"{p}の実績" for _y, p, _r in recs], "rating": [r for _y, _p, r in recs],
        "rank": [rank[r] for _y, _p, r in recs], "behind": [r == "C" for _y, _p, r in recs], "row": list(range(4, 12))})
    ind = typed_frame(src("plan_progress_indicators").schema, {
        "indicator_id": ["i1"] * 2 + ["i2"] * 2, "project_id": ["p1"] * 2 + ["q1"] * 2,
        "name": ["指標1"] * 2 + ["指標2"] * 2, "unit": ["件"] * 4, "direction": [H, H, L, L],
        "base_value": [50.0, 50.0, 30.0, 30.0], "base_fy": [2023] * 4, "target_value": [100.0, 100.0, 15.0, 15.0],
        "target_fy": [2026] * 4, "fiscal_year": [2025, 2026, 2025, 2026], "actual": [70.0, None, None, 27.0],
        "row": [4, 4, 5, 5]})
    return {"plan_registry_outline": outline, "plan_registry_measures": measures, "plan_registry_projects": projects,
            "plan_progress_scale": scale, "plan_progress_ratings": ratings, "plan_progress_indicators": ind}


@pytest.fixture(scope="module")
def small():
    return plan.prepare(run_params(2026), hand_made())


def test_distribution_by_plan_and_goal(small):
    f = plan.distribution_table(small, "plan").frame.set_index("計画")
    # 2026: P: B, B, A → 0 遅れ of 3; Q: C → 1 of 1; total 1 of 4 = 25.0%
    assert f.loc["P計画", ["評価した事業数", "A", "B", "C"]].tolist() == [3, 1, 2, 0]
    assert f.loc["Q計画", "遅れ（C）の割合"] == 1.0 and f.loc["計", "遅れ（C）の割合"] == 0.25
    g = plan.distribution_table(small, "goal").frame.set_index("基本目標")
    assert g.loc["1　目標一", "総合評価"] == "順調" and g.loc["2　目標二", "総合評価"] == "遅れ"
    assert g.loc["計", "総合評価"] == "おおむね順調"  # 3 of 4 not behind = 75%
    assert plan.distribution_text(small).startswith("令和8年度（見込）は4事業を評価し、遅れ（C）は1事業（25.0％）でした。")


def test_grades_over_the_years(small):
    f = plan.grade_table(small).frame.set_index("基本目標")
    # 2025: goal 1 has p3 C → 2 of 3 = 66.7% やや遅れ; goal 2 q1 B → 100% 順調
    assert f.loc["1　目標一", "令和7年度 評価"] == "やや遅れ" and f.loc["1　目標一", "令和8年度（見込） 評価"] == "順調"
    assert f.loc["2　目標二", "令和7年度 評価"] == "順調" and f.loc["2　目標二", "令和8年度（見込） 評価"] == "遅れ"
    text = plan.grade_text(small)
    assert "基本目標1「目標一」は「やや遅れ」から「順調」に上がり" in text
    assert "基本目標2「目標二」は「順調」から「遅れ」に下がり" in text


def test_indicators_use_the_latest_actual(small):
    d = indicators(small).set_index("indicator_id")
    assert d.loc["i1", "actual_fy"] == 2025 and d.loc["i1", "achievement"] == pytest.approx(0.7)  # 70 / 100
    assert d.loc["i1", "progress"] == pytest.approx(0.4)  # (70 − 50) / (100 − 50)
    assert d.loc["i2", "achievement"] == pytest.approx(15 / 27) and d.loc["i2", "progress"] == pytest.approx(0.2)
    assert list(d["judge"]) == ["遅れ", "遅れ"]
    t = plan.indicator_table(small).frame
    assert t["実績値"].tolist() == ["70\n（令和7年度）", "27\n（令和8年度（見込））"]


def test_behind_and_change(small):
    b = plan.behind_table(small).frame
    # q1 is rated C in 2026; p1 is rated B but its indicator is 遅れ
    assert sorted(b["事業"]) == ["事業p1", "事業q1"]
    assert b.set_index("事業").loc["事業q1", "令和7年度の評価"] == "B"
    c = plan.change_table(small).frame.set_index("計画")
    # P: p1 A→B down, p2 B→B same, p3 C→A up; Q: q1 B→C down
    assert c.loc["P計画", ["評価が上がった", "変わらない", "下がった"]].tolist() == [1, 1, 1]
    assert c.loc["計", ["評価が上がった", "変わらない", "下がった"]].tolist() == [1, 1, 2]
    assert c.loc["計", "差（ポイント）"] == 0.0  # 1 of 4 behind in both years
    assert "評価が上がった事業は1、下がった事業は2" in plan.change_text(small)


def test_no_records_gives_sentences():
    empty = {k: v.iloc[0:0] for k, v in hand_made().items()}
    data = plan.prepare(run_params(2026), empty)
    for f in (plan.distribution_table, plan.grade_table, plan.indicator_table, plan.behind_table, plan.change_table):
        assert isinstance(f(data), str)


# --- end to end -------------------------------------------------------------------------------------


def _raw(demo_data_dir):
    def rows(path, sheet):
        wb = openpyxl.load_workbook(path, read_only=True)
        out = [r for r in wb[sheet].iter_rows(min_row=4, values_only=True) if r[0]]
        wb.close()
        return out
    reg = demo_data_dir / "plan_registry" / "plan_registry.xlsx"
    prog = demo_data_dir / "plan_progress" / "progress_records.xlsx"
    plan_of = {r[0]: r[2] for r in rows(reg, "施策")}
    project_plan = {r[0]: plan_of[r[1]] for r in rows(reg, "事業")}
    return project_plan, rows(prog, "事業評価"), rows(prog, "指標")


def test_distribution_matches_the_raw_records(built_report, demo_data_dir):
    project_plan, ratings, _ind = _raw(demo_data_dir)
    latest = [r for r in ratings if r[0] == "令和8年度"]
    t = next(t for t in tables(built_report, ID) if t.title == "計画別の事業の評価（令和8年度（見込））")
    f = t.frame.set_index("計画")
    for plan_name, n in Counter(project_plan[r[1]] for r in latest).items():
        counts = Counter(r[4] for r in latest if project_plan[r[1]] == plan_name)
        assert f.loc[plan_name, "評価した事業数"] == n
        assert [f.loc[plan_name, x] for x in "ABCD"] == [counts.get(x, 0) for x in "ABCD"]
    behind = sum(r[4] in ("C", "D") for r in latest)
    assert f.loc["計", "遅れ（C・D）の割合"] == pytest.approx(behind / len(latest))


def test_behind_list_holds_every_c_and_d(built_report, demo_data_dir):
    _plan, ratings, _ind = _raw(demo_data_dir)
    cd = {r[2] for r in ratings if r[0] == "令和8年度" and r[4] in ("C", "D")}
    t = next(t for t in tables(built_report, ID) if t.title.startswith("遅れている事業"))
    assert cd <= set(t.frame["事業"])
    assert all(t.frame["担当課"].str.len() > 0)


def test_indicator_rates_from_the_raw_sheet(built_report, demo_data_dir):
    _plan, _ratings, ind = _raw(demo_data_dir)
    t = next(t for t in tables(built_report, ID) if t.title == "指標の達成状況").frame
    header = [None, None, None, None, None, None, None, None, None, "令和3年度", "令和4年度", "令和5年度", "令和6年度",
              "令和7年度", "令和8年度"]
    checked = 0
    for r in ind:
        target_fy = int(re.search(r"令和(\d+)", r[8]).group(1)) + 2018
        if target_fy < 2024:
            continue  # the previous plans' indicators are not evaluated in 令和8年度
        actuals = [(header[i], r[i]) for i in range(11, 15) if r[i] is not None]  # 令和5…8年度 columns
        actuals = [(y, v) for y, v in actuals if y != "令和5年度"]
        row = t[t["指標（単位、方向）"].str.startswith(r[2] + "\n")].iloc[0]
        if not actuals:
            assert pd.isna(row["達成率"])
            continue
        actual = actuals[-1][1]
        expected = actual / r[7] if r[4] == H else r[7] / actual
        assert row["達成率"] == pytest.approx(expected)
        assert row["進捗率"] == pytest.approx((actual - r[5]) / (r[7] - r[5]) if r[4] == H
                                            else (r[5] - actual) / (r[5] - r[7]))
        checked += 1
    assert checked >= 10


def test_method_is_named_on_the_page(built_report):
    paragraphs = commentary(built_report, ID)
    assert any("達成率は、高いほど良い指標では実績値÷目標値、低いほど良い指標では目標値÷実績値" in p for p in paragraphs)
    assert any("（実績値－基準値）÷（目標値－基準値）" in p for p in paragraphs)


def test_commentary_numbers_are_printed(built_report):
    tabs = tables(built_report, ID)
    numeric, labels = printed_cells(tabs)
    goal_labels = {x.split("　")[0] for x in labels if re.match(r"\d+　", x)}
    for text in commentary(built_report, ID):
        # 「基本目標3」 names a row of the 基本目標 tables (labelled 「3　…」): a label, not a figure
        for n in re.findall(r"基本目標(\d+)", text):
            assert n in goal_labels, text
        text = re.sub(r"基本目標\d+", "基本目標", text)
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_the_base_year_value_is_not_an_actual():
    """An indicator based in 令和6年度 (2024) whose only value is that year's: no 実績 yet."""
    inputs = hand_made()
    ind = inputs["plan_progress_indicators"].copy()
    mask = ind["indicator_id"] == "i2"
    ind.loc[mask, "base_fy"] = 2025
    ind.loc[mask & (ind["fiscal_year"] == 2025), "actual"] = 30.0
    ind.loc[mask & (ind["fiscal_year"] == 2026), "actual"] = None
    data = plan.prepare(run_params(2026), {**inputs, "plan_progress_indicators": ind})
    row = indicators(data).set_index("indicator_id").loc["i2"]
    assert row["actual"] is None or pd.isna(row["actual"])
    assert row["judge"] == "－"
