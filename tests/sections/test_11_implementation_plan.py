"""重点施策の実施計画: three consecutive editions (令和6・7・8年度) roll the window as the plan says, on a
hand-made 実施計画; end to end, the 令和8年度 edition of the demo build — the print-ready workbook beside
the appendix workbook, linked from the contents page, and its figures equal to the raw workbook read
with openpyxl."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import unquote

import openpyxl
import pandas as pd

from komae_analysis.analysis import plan
from komae_analysis.analysis.plan.data import PlanParams
from komae_analysis.analysis.plan.implementation import sheet_html
from komae_analysis.ingest import registry
from komae_analysis.ingest.frames import typed_frame
from komae_analysis.pipeline.registry import run_params
from tests.sections import commentary, printed_cells, tables, unmatched_numbers

ID = "11_implementation_plan"


def _params(revision_fy: int):
    params = run_params(2026)
    block = dataclasses.replace(params.topic(PlanParams), revision_fy=revision_fy)
    return dataclasses.replace(params, topics={**params.topics, "plan": block})


def hand_made() -> dict[str, pd.DataFrame]:
    """One 重点施策 X (1-1-1) and one other 施策. Each edition E plans its three years with the line
    「E年度版のY年度」; 事業費 in 2024, 2025, 2026 of two budget 事業 (10+20, 11+21, 12+22 千円);
    取組状況 of 2024 and 2025."""
    measures = typed_frame(registry.source("plan_registry_measures").schema, {
        "code": ["1-1-1", "1-2-1"], "goal_no": [1, 1], "goal": ["目標"] * 2, "plan_no": [1, 1],
        "plan": ["A計画"] * 2, "plan_name": ["A計画"] * 2, "plan_note": [None] * 2,
        "text": ["施策X", "施策Y"], "priority": [True, False], "vision": [None] * 2,
        "directions": ["方向1\n方向2", None], "examples": [None] * 2, "departments": ["甲課\n乙課", "甲課"],
        "target": ["到達目標X", None], "note": [None] * 2, "row": [4, 5],
    })
    work = [(e, y) for e in (2024, 2025, 2026) for y in range(e, e + 3)]
    status = [2024, 2025]
    lines = typed_frame(registry.source("implementation_plan_lines").schema, {
        "kind": ["取組内容"] * len(work) + ["取組状況"] * len(status),
        "revision_fy": [e for e, _y in work] + [None] * len(status),
        "measure_code": ["1-1-1"] * (len(work) + len(status)),
        "fiscal_year": [y for _e, y in work] + status,
        "line_no": [1] * (len(work) + len(status)),
        "text": [f"{e}年度版の{y}年度" for e, y in work] + [f"{y}年度の成果" for y in status],
        "row": list(range(4, 4 + len(work) + len(status))),
    })
    budget = typed_frame(registry.source("implementation_plan_budget").schema, {
        "measure_code": ["1-1-1"] * 6, "fiscal_year": [2024, 2024, 2025, 2025, 2026, 2026],
        "budget_name": ["事業a", "事業b"] * 3, "departments": ["甲課"] * 6, "cost": [10, 20, 11, 21, 12, 22],
        "row": list(range(4, 10)),
    })
    return {"plan_registry_measures": measures, "implementation_plan_lines": lines,
            "implementation_plan_budget": budget}


def test_three_consecutive_editions_roll_the_window():
    inputs = hand_made()
    r6, r7, r8 = (plan.edition(plan.prepare(_params(y), inputs)) for y in (2024, 2025, 2026))
    # 令和6年度（策定）: R6–R8 planned, R6 事業費, no 取組状況 yet
    assert (r6.work_years, r6.estimate_years, r6.cost_year, r6.reported_years) == ((2024, 2025, 2026), (2025, 2026),
                                                                                  2024, ())
    assert r6.label == "令和6年7月策定" and r6.status_years == (2024, 2025, 2026)
    x = r6.sheets[0]
    assert [s.code for s in r6.sheets] == ["1-1-1"]  # only 重点施策
    assert x.work == {2024: ("2024年度版の2024年度",), 2025: ("2024年度版の2025年度",), 2026: ("2024年度版の2026年度",)}
    assert x.cost == 30 and x.status == {}
    # 令和7年度（改定）: R6 取組状況, R7 取組内容 and 事業費, R8–R9 見込 — as the 令和7年度 edition wrote them
    assert (r7.work_years, r7.estimate_years, r7.cost_year) == ((2025, 2026, 2027), (2026, 2027), 2025)
    assert r7.status_years == (2024, 2025, 2026) and r7.reported_years == (2024,)
    x = r7.sheets[0]
    assert x.work == {2025: ("2025年度版の2025年度",), 2026: ("2025年度版の2026年度",), 2027: ("2025年度版の2027年度",)}
    assert x.cost == 32 and x.status == {2024: ("2024年度の成果",)}  # the 2025 results are not in this edition
    assert r7.label == "令和7年7月改定"
    # 令和8年度（改定）: R7 取組状況, R8 取組内容 and 事業費, R9–R10 見込
    assert (r8.work_years, r8.estimate_years, r8.cost_year) == ((2026, 2027, 2028), (2027, 2028), 2026)
    assert r8.status_years == (2025, 2026, 2027) and r8.reported_years == (2025,)
    x = r8.sheets[0]
    assert x.work[2028] == ("2026年度版の2028年度",) and x.cost == 34 and x.status == {2025: ("2025年度の成果",)}


def test_sheet_html_shows_the_window():
    data = plan.prepare(_params(2025), hand_made())
    ed = plan.edition(data)
    text = sheet_html(ed, ed.sheets[0])
    for head in ("令和7年度", "令和8年度（見込）", "令和9年度（見込）", "計画期間終了時点（令和11年度）の到達目標"):
        assert head in text
    assert "2024年度の成果" in text and "（年度終了後に記載）" in text
    assert ">32<" in text  # 11 + 21 千円
    first = plan.edition(plan.prepare(_params(2024), hand_made()))
    assert "（令和6年度の策定時は記載なし）" in sheet_html(first, first.sheets[0])


def test_cost_table_and_overview_on_the_hand_made_plan():
    data = plan.prepare(_params(2026), hand_made())
    f = plan.cost_table(data).frame
    assert f.columns.tolist() == ["コード", "施策", "計画", "担当課", "関連する予算事業", "令和7年度事業費", "令和8年度事業費", "増減"]
    assert f.iloc[0][["令和7年度事業費", "令和8年度事業費", "増減"]].tolist() == [32, 34, 2]
    assert f.iloc[-1]["コード"] == "計" and f.iloc[-1]["令和8年度事業費"] == 34
    text = plan.overview_text(data)
    assert "令和8年度の事業費は合計34千円で、前年度から2千円増加しています。" in text


def test_missing_edition_is_a_sentence():
    data = plan.prepare(_params(2027), hand_made())
    assert plan.edition_workbook(data) == "令和9年度の改定の実施計画（取組内容）がないため、実施計画は掲載していません。"


# --- end to end (令和8年度 edition of the demo) ---------------------------------------------------


def _raw(demo_data_dir, sheet):
    wb = openpyxl.load_workbook(demo_data_dir / "implementation_plan" / "jisshi_keikaku.xlsx", read_only=True)
    rows = [r for r in wb[sheet].iter_rows(min_row=4, values_only=True) if r[0]]
    wb.close()
    return rows


def test_workbook_is_published_and_linked(built_report):
    path = built_report / "tables" / ID / "実施計画_R8.xlsx"
    assert path.is_file()
    manifest = json.loads((built_report / "manifest.json").read_text(encoding="utf-8"))
    entry = next(s for s in manifest["sections"] if s["id"] == ID)
    assert [f["path"] for f in entry["files"]] == [f"tables/{ID}/実施計画_R8.xlsx"]
    index = (built_report / "index.html").read_text(encoding="utf-8")
    assert f'href="tables/{ID}/実施計画_R8.xlsx"' in unquote(index)


def test_sheets_are_print_ready(built_report):
    wb = openpyxl.load_workbook(built_report / "tables" / ID / "実施計画_R8.xlsx")
    assert wb.sheetnames[0] == "一覧" and "1-1-1" in wb.sheetnames
    for ws in wb.worksheets[1:]:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"
        assert ws["B9"].alignment.wrap_text and ws["B5"].alignment.wrap_text
        assert [ws.cell(8, j).value for j in (2, 3, 4)] == ["令和8年度", "令和9年度（見込）", "令和10年度（見込）"]
        assert [ws.cell(11, j).value for j in (2, 3, 4)] == ["令和7年度", "令和8年度", "令和9年度"]


def test_sheet_1_1_1_matches_the_raw_workbook(built_report, demo_data_dir):
    work = _raw(demo_data_dir, "取組内容")
    budget = _raw(demo_data_dir, "事業費")
    status = _raw(demo_data_dir, "取組状況")
    ws = openpyxl.load_workbook(built_report / "tables" / ID / "実施計画_R8.xlsx")["1-1-1"]
    for col, year in zip("BCD", ("令和8年度", "令和9年度", "令和10年度"), strict=True):
        expected = [r[3] for r in work if r[0] == "令和8年度" and r[1] == "1-1-1" and r[2] == year]
        assert ws[f"{col}9"].value == "\n".join(f"・{x}" for x in expected)
    assert ws["B10"].value == sum(r[4] for r in budget if r[0] == "1-1-1" and r[1] == "令和8年度")
    assert ws["C10"].value == "－"
    assert ws["B12"].value == "\n".join(f"・{r[2]}" for r in status if r[0] == "1-1-1" and r[1] == "令和7年度")
    assert ws["C12"].value == "（年度終了後に記載）"


def test_cost_table_matches_the_raw_workbook(built_report, demo_data_dir):
    budget = _raw(demo_data_dir, "事業費")
    t = next(t for t in tables(built_report, ID) if t.title.startswith("重点施策の関連する予算事業と事業費"))
    f = t.frame
    assert f.iloc[-1]["令和8年度事業費"] == sum(r[4] for r in budget if r[1] == "令和8年度")
    assert f.iloc[-1]["令和7年度事業費"] == sum(r[4] for r in budget if r[1] == "令和7年度")
    for row in f.iloc[:-1].itertuples(index=False):
        assert row[6] == sum(r[4] for r in budget if r[0] == row[0] and r[1] == "令和8年度")


def test_commentary_numbers_are_printed(built_report):
    numeric, labels = printed_cells(tables(built_report, ID))
    paragraphs = commentary(built_report, ID)
    assert paragraphs
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_rebuilding_another_edition_replaces_the_workbook(tmp_path, demo_data_dir):
    """The section's own workbook goes with its other outputs: rebuilding the section for the 令和7年度
    edition leaves 実施計画_R7.xlsx, not the 令和8年度 one beside it."""
    import yaml

    from komae_analysis.params import params_path
    from komae_analysis.pipeline.build import build

    out = tmp_path / "reports"
    assert build(run_params(2026), data_dir=demo_data_dir, out_base=out, only=[ID], jobs=1, echo=lambda _m: None).ok
    data = yaml.safe_load(params_path(2026).read_text(encoding="utf-8"))
    data["plan"]["revision_fy"] = 2025
    other = tmp_path / "FY2026_R7.yaml"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert build(run_params(path=other), data_dir=demo_data_dir, out_base=out, only=[ID], jobs=1,
                 echo=lambda _m: None).ok
    assert sorted(p.name for p in (out / "FY2026" / "tables" / ID).iterdir()) == ["実施計画_R7.xlsx"]
    ws = openpyxl.load_workbook(out / "FY2026" / "tables" / ID / "実施計画_R7.xlsx")["1-1-1"]
    assert ws["A1"].value == "あいとぴあレインボープラン実施計画（令和7年7月改定、令和7年度～令和9年度）"


def test_first_edition_overview():
    text = plan.overview_text(plan.prepare(_params(2024), hand_made()))
    assert "最初の版のため、取組状況（成果）はまだありません。" in text
    assert "令和6年度の事業費は合計30千円です。" in text  # 10 + 20
