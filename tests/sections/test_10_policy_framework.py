"""第4章 施策体系と施策一覧: the counts on a small hand-made registry, and end to end on the FY2026 demo
build — the 13 施策 of the 再犯防止推進計画 verbatim under the right 基本目標 (the typed list, and the city's
draft when it is beside the project), counts equal to the registry workbook read with openpyxl."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import plan
from komae_analysis.ingest import registry
from komae_analysis.ingest.frames import typed_frame
from komae_analysis.pipeline.registry import run_params
from tests.demo.test_plan_demo import GOALS, RECIDIVISM, SEED_DIR, seed_recidivism
from tests.sections import commentary, page, printed_cells, tables, unmatched_numbers

ID = "10_policy_framework"


def small_registry() -> dict[str, pd.DataFrame]:
    """Two 基本目標, two plans; goal 1: A has 2 施策 (one 重点), B has 1; goal 2: B has 1."""
    outline = typed_frame(registry.source("plan_registry_outline").schema, {
        "kind": ["基本理念", "基本目標", "基本目標", "計画", "計画"],
        "number": [None, 1, 2, 1, 2],
        "name": ["理念", "目標一", "目標二", "計画Aの正式名", "計画Bの正式名"],
        "short_name": [None, None, None, "A計画", "B計画"],
        "note": [None, None, None, None, "補足"],
    })
    measures = typed_frame(registry.source("plan_registry_measures").schema, {
        "code": ["1-1-1", "1-2-1", "1-2-2", "2-2-1"],
        "goal_no": [1, 1, 1, 2], "goal": ["目標一", "目標一", "目標一", "目標二"],
        "plan_no": [1, 1, 2, 2], "plan": ["A計画", "A計画", "B計画", "B計画"],
        "plan_name": ["計画Aの正式名", "計画Aの正式名", "計画Bの正式名", "計画Bの正式名"],
        "plan_note": [None, None, "補足", "補足"],
        "text": ["施策ア", "施策イ", "施策ウ", "施策エ"], "priority": [True, False, False, False],
        "vision": ["将来像"] * 4, "directions": ["方向1\n方向2"] * 4, "examples": ["例"] * 4,
        "departments": ["課"] * 4, "target": ["目標", None, None, None], "note": [None] * 4,
        "row": [4, 5, 6, 7],
    })
    return {"plan_registry_outline": outline, "plan_registry_measures": measures}


def test_counts_on_a_hand_made_registry():
    data = plan.prepare(run_params(2026), small_registry())
    t = plan.count_table(data)
    f = t.frame.set_index("基本目標")
    # goal 1: A 2 (1-1-1, 1-2-1), B 1; goal 2: B 1; total 4, 重点 1
    assert f.loc["1　目標一", ["A計画", "B計画", "計", "うち重点施策"]].tolist() == [2, 1, 3, 1]
    assert f.loc["2　目標二", ["A計画", "B計画", "計", "うち重点施策"]].tolist() == [0, 1, 1, 0]
    assert f.loc["計", ["A計画", "B計画", "計", "うち重点施策"]].tolist() == [2, 2, 4, 1]
    assert plan.count_text(data).startswith("施策は各計画をあわせて4、うち重点施策は1です。")


def test_framework_and_lists_on_a_hand_made_registry():
    data = plan.prepare(run_params(2026), small_registry())
    goal1 = plan.framework_tables(data)[0].frame
    assert goal1["計画"].tolist() == ["A計画の施策", "", "B計画の施策（補足）"]
    assert goal1["No."].tolist() == [1, 2, 1]
    assert goal1["重点"].tolist() == ["重点", "", ""]
    lists = plan.measure_lists(data)
    assert [t.title for t in lists] == ["基本目標1「目標一」　A計画の施策", "基本目標1「目標一」　B計画の施策（補足）",
                                        "基本目標2「目標二」　B計画の施策（補足）"]
    assert lists[0].frame["No."].tolist() == ["1\n重点施策", "2"]
    assert lists[0].frame["施策の方向性"].tolist()[0] == "・方向1\n・方向2"


def test_no_registry_gives_a_sentence():
    empty = {k: v.iloc[0:0] for k, v in small_registry().items()}
    data = plan.prepare(run_params(2026), empty)
    assert plan.count_table(data) == plan.framework.NO_REGISTRY
    assert plan.framework_tables(data) == [plan.framework.NO_REGISTRY]


# --- end to end -------------------------------------------------------------------------------


def _framework(report, goal: int):
    return next(t for t in tables(report, ID) if t.title.startswith(f"基本目標{goal}「") and t.title.endswith("の施策体系"))


def test_recidivism_measures_verbatim_under_their_goals(built_report):
    for goal, texts in RECIDIVISM.items():
        t = _framework(built_report, goal)
        assert t.title == f"基本目標{goal}「{GOALS[goal]}」の施策体系"
        f = t.frame
        start = f.index[f["計画"] == "再犯防止計画の施策"][0]
        block = f.loc[start:start + len(texts) - 1]
        assert block["施策"].tolist() == texts
        assert block["No."].tolist() == list(range(1, len(texts) + 1))


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the city's draft (../shared/seed) is not beside the project")
def test_recidivism_measures_as_in_the_draft(built_report):
    for goal, (name, texts) in seed_recidivism().items():
        t = _framework(built_report, goal)
        assert f"「{name}」" in t.title
        assert [x for x in t.frame["施策"] if x in texts] == texts


def test_counts_match_the_registry_workbook(built_report, demo_data_dir):
    wb = openpyxl.load_workbook(demo_data_dir / "plan_registry" / "plan_registry.xlsx", read_only=True)
    rows = [r for r in wb["施策"].iter_rows(min_row=4, values_only=True) if r[0]]
    wb.close()
    t = next(t for t in tables(built_report, ID) if t.title == "基本目標・計画別の施策の数")
    f = t.frame.set_index("基本目標")
    for goal, name in GOALS.items():
        assert f.loc[f"{goal}　{name}", "計"] == sum(r[1] == goal for r in rows)
        assert f.loc[f"{goal}　{name}", "再犯防止計画"] == len(RECIDIVISM[goal])
    assert f.loc["計", "計"] == len(rows) and f.loc["計", "うち重点施策"] == sum(r[4] == "○" for r in rows)


def test_every_goal_and_plan_has_its_list(built_report, demo_data_dir):
    wb = openpyxl.load_workbook(demo_data_dir / "plan_registry" / "plan_registry.xlsx", read_only=True)
    pairs = {(r[1], r[2]) for r in wb["施策"].iter_rows(min_row=4, values_only=True) if r[0]}
    wb.close()
    lists = [t for t in tables(built_report, ID) if "　" in t.title and t.title.startswith("基本目標")]
    assert len(lists) == len(pairs)
    one = next(t for t in lists if t.title.startswith("基本目標1") and "重層計画の施策" in t.title)
    assert one.frame.loc[0, "No."] == "1\n重点施策"
    assert "（1-1-1）" in one.frame.loc[0, "施策"]


def test_commentary_numbers_are_printed(built_report):
    numeric, labels = printed_cells(tables(built_report, ID))
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 2
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text
    assert "デモデータ" in page(built_report, ID)
