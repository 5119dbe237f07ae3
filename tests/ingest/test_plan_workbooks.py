"""The three plan workbooks (施策の台帳, 進捗状況の評価, 実施計画): the bundled demo files read to the
expected frames, and every failure the issue names gives one clear Japanese problem with file, sheet,
row and column. Broken copies are made here from the demo files with openpyxl (no broken file is
committed). The demo's rows: 施策 sheet rows 4… (header on row 3), 事業 likewise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest import implementation_plan, plan_check, plan_progress, plan_registry
from komae_analysis.ingest.plan_sheets import departments, fiscal_year, is_yes, lines

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
REGISTRY = RAW / "plan_registry" / "plan_registry.xlsx"
PROGRESS = RAW / "plan_progress" / "progress_records.xlsx"
PLAN = RAW / "implementation_plan" / "jisshi_keikaku.xlsx"


def _copy(tmp_path: Path, src: Path, edit) -> Path:
    """A copy of ``src`` with ``edit(workbook)`` applied."""
    dst = tmp_path / src.parent.name / src.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(dst)
    return dst


def _problems(reader, path: Path):
    with pytest.raises(InputError) as e:
        reader(path)
    return e.value.problems


def _row_of(ws, column: int, value) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, column).value == value:
            return r
    raise AssertionError(f"{value} not found")


# --- cells ---------------------------------------------------------------------------------------


def test_cell_helpers_read_what_editors_type():
    assert fiscal_year("令和6年度") == 2024
    assert fiscal_year("Ｒ６") == 2024
    assert fiscal_year("令和元年度") == 2019
    assert fiscal_year(2024) == 2024 and fiscal_year("2024年度") == 2024
    assert fiscal_year("来年度") is None and fiscal_year(6) is None
    assert lines("・一つ目\n\n・二つ目　") == ["一つ目", "二つ目"]
    assert departments("福祉政策課　福祉相談課、高齢障がい課\n健康推進課") == ["福祉政策課", "福祉相談課", "高齢障がい課", "健康推進課"]
    assert is_yes("○") is True and is_yes(None) is False and is_yes("済") is None


# --- good files ----------------------------------------------------------------------------------


def test_demo_registry_reads():
    outline = plan_registry.read_registry_outline(REGISTRY)
    measures = plan_registry.read_registry_measures(REGISTRY)
    projects = plan_registry.read_registry_projects(REGISTRY)
    assert list(outline.loc[outline["kind"] == "基本目標", "number"]) == [1, 2, 3, 4, 5]
    assert list(outline.loc[outline["kind"] == "計画", "short_name"]) == [
        "地域福祉計画", "高齢者計画", "障がい者計画", "再犯防止計画", "成年後見計画", "重層計画"]
    assert measures["code"].is_unique and len(measures) == 36
    m = measures.set_index("code").loc["1-1-1"]
    assert m["plan"] == "重層計画" and bool(m["priority"]) and m["goal_no"] == 1
    assert m["departments"].split("\n") == ["福祉政策課", "福祉相談課", "高齢障がい課", "健康推進課"]
    assert len(m["directions"].split("\n")) == 4
    assert set(projects["measure_code"]) <= set(measures["code"])


def test_demo_progress_and_plan_read():
    scale = plan_progress.read_progress_scale(PROGRESS)
    assert list(scale["rating"]) == ["A", "B", "C", "D"] and list(scale["behind"]) == [False, False, True, True]
    ratings = plan_progress.read_progress_ratings(PROGRESS)
    assert set(ratings["fiscal_year"]) == set(range(2021, 2027))
    ind = plan_progress.read_progress_indicators(PROGRESS)
    assert set(ind["direction"]) == {"高いほど良い", "低いほど良い"}
    assert ind["actual"].isna().any()  # not-yet-known 実績 stay missing
    lines_ = implementation_plan.read_plan_lines(PLAN)
    assert sorted(lines_["revision_fy"].dropna().unique()) == [2024, 2025, 2026]
    budget = implementation_plan.read_plan_budget(PLAN)
    assert str(budget["cost"].dtype) == "int64"


def test_a_header_moved_down_a_row_still_reads(tmp_path):
    def edit(wb):
        wb["施策"].insert_rows(2)
    path = _copy(tmp_path, REGISTRY, edit)
    assert len(plan_registry.read_registry_measures(path)) == 36


# --- bad files: one clear problem each ----------------------------------------------------------


def test_duplicated_measure_code(tmp_path):
    def edit(wb):
        ws = wb["施策"]
        ws.append([c.value for c in ws[4]])  # row 40: a copy of row 4 (1-2-1)
    problems = _problems(plan_registry.read_registry_measures, _copy(tmp_path, REGISTRY, edit))
    assert len(problems) == 1
    p = problems[0]
    assert (p.sheet, p.row, p.column) == ("施策", 40, "施策コード（A列）")
    assert "施策コード「1-2-1」が重複しています（4行目と40行目）" in p.message
    assert p.file.endswith("plan_registry.xlsx")


def test_measure_under_unknown_goal_and_unknown_plan(tmp_path):
    def edit(wb):
        ws = wb["施策"]
        ws.cell(4, 2).value = 9  # 基本目標 9
        ws.cell(6, 3).value = "子ども計画"
    problems = _problems(plan_registry.read_registry_measures, _copy(tmp_path, REGISTRY, edit))
    by_row = {p.row: p for p in problems}
    assert set(by_row) == {4, 6}
    assert by_row[4].message == "基本目標 9 は「基本目標」シートにありません"
    assert by_row[4].column == "基本目標（B列）" and by_row[4].sheet == "施策"
    assert by_row[6].message == "計画「子ども計画」は「計画」シートにありません"
    assert by_row[6].column == "計画（C列）"


def test_project_pointing_at_a_missing_measure(tmp_path):
    def edit(wb):
        wb["事業"].cell(7, 2).value = "3-9-9"
    problems = _problems(plan_registry.read_registry_projects, _copy(tmp_path, REGISTRY, edit))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("事業", 7, "施策コード（B列）")]
    assert problems[0].message == "施策コード「3-9-9」は「施策」シートにありません"


def test_code_not_starting_with_its_goal(tmp_path):
    def edit(wb):
        wb["施策"].cell(4, 1).value = "2-9-1"  # under 基本目標 1
    problems = _problems(plan_registry.read_registry_measures, _copy(tmp_path, REGISTRY, edit))
    assert problems[0].message == "施策コードの先頭の数字が基本目標の番号と合いません"


def test_renamed_sheet_is_named(tmp_path):
    def edit(wb):
        wb["事業"].title = "事業一覧"
    problems = _problems(plan_registry.read_registry_outline, _copy(tmp_path, REGISTRY, edit))
    assert "シート『事業』がありません" in problems[0].message


def test_rating_outside_the_scale(tmp_path):
    def edit(wb):
        wb["事業評価"].cell(10, 5).value = "S"
    problems = _problems(plan_progress.read_progress_ratings, _copy(tmp_path, PROGRESS, edit))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("事業評価", 10, "評価（E列）")]
    assert problems[0].message == "評価「S」は評価区分にありません"
    assert problems[0].expected == "「評価区分」シートの記号（A、B、C、D）"


def test_a_scale_of_marks_is_the_workbook_own(tmp_path):
    """◎○△× instead of A–D: the scale sheet says so, and ratings follow it."""
    marks = {"A": "◎", "B": "○", "C": "△", "D": "×"}

    def edit(wb):
        for r in range(4, 8):
            wb["評価区分"].cell(r, 1).value = marks[wb["評価区分"].cell(r, 1).value]
        ws = wb["事業評価"]
        for r in range(4, ws.max_row + 1):
            ws.cell(r, 5).value = marks[ws.cell(r, 5).value]
    ratings = plan_progress.read_progress_ratings(_copy(tmp_path, PROGRESS, edit))
    assert set(ratings["rating"]) == {"◎", "○", "△", "×"}
    assert set(ratings.loc[ratings["behind"], "rating"]) == {"△", "×"}


def test_indicator_without_direction_or_unit(tmp_path):
    def edit(wb):
        ws = wb["指標"]
        ws.cell(5, 5).value = None  # 方向
        ws.cell(6, 4).value = None  # 単位
    problems = _problems(plan_progress.read_progress_indicators, _copy(tmp_path, PROGRESS, edit))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("指標", 5, "方向（E列）"), ("指標", 6, "単位（D列）")]
    assert problems[0].message.startswith("指標の方向が空欄です")
    assert problems[1].message == "指標の単位が空欄です"


def test_cost_that_is_text(tmp_path):
    def edit(wb):
        wb["事業費"].cell(8, 5).value = "約1万"
    problems = _problems(implementation_plan.read_plan_budget, _copy(tmp_path, PLAN, edit))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("事業費", 8, "事業費（千円）（E列）")]
    assert problems[0].message == "数値ではありません" and problems[0].found == "約1万"


def test_cost_in_yen_is_refused(tmp_path):
    def edit(wb):
        wb["事業費"].cell(3, 5).value = "事業費（円）"
    problems = _problems(implementation_plan.read_plan_budget, _copy(tmp_path, PLAN, edit))
    assert any("事業費の単位が千円ではありません" in p.message and p.row == 3 for p in problems)


def test_status_for_a_future_year(tmp_path):
    """The workbook's latest edition is 令和8年度: a 令和8年度 取組状況 cannot exist yet."""
    def edit(wb):
        wb["取組状況"].cell(4, 2).value = "令和8年度"
    problems = _problems(implementation_plan.read_plan_lines, _copy(tmp_path, PLAN, edit))
    assert [(p.sheet, p.row, p.column) for p in problems] == [("取組状況", 4, "年度（B列）")]
    assert problems[0].message.startswith("令和8年度（R8）の取組状況は、まだ記入できない年度のものです")


def test_work_line_outside_its_edition(tmp_path):
    def edit(wb):
        wb["取組内容"].cell(4, 3).value = "令和9年度"  # in the 令和6年度 edition (R6–R8)
    problems = _problems(implementation_plan.read_plan_lines, _copy(tmp_path, PLAN, edit))
    assert problems[0].message == "年度が令和6年度（R6）改定の計画期間（3年間）の外です"


# --- across the workbooks (komae registry check) -------------------------------------------------


def _data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    for src in (REGISTRY, PROGRESS, PLAN):
        (d / src.parent.name).mkdir(parents=True)
        shutil.copy(src, d / src.parent.name / src.name)
    return d


def test_check_passes_on_the_demo_data(tmp_path):
    assert plan_check.check(_data_dir(tmp_path), 2026) == []


def test_check_finds_problems_across_workbooks(tmp_path):
    d = _data_dir(tmp_path)
    wb = openpyxl.load_workbook(d / "plan_progress" / "progress_records.xlsx")
    wb["事業評価"].cell(4, 2).value = "J999"
    wb.save(d / "plan_progress" / "progress_records.xlsx")
    wb = openpyxl.load_workbook(d / "implementation_plan" / "jisshi_keikaku.xlsx")
    wb["取組内容"].cell(4, 2).value = "1-2-1"  # a 施策 that is not 重点
    wb.save(d / "implementation_plan" / "jisshi_keikaku.xlsx")
    problems = plan_check.check(d, 2026)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("事業評価", 4, "事業ID"), ("取組内容", 4, "施策コード")]
    assert problems[0].message == "事業ID「J999」は施策の台帳（「事業」シート）にありません"
    assert problems[1].message.startswith("施策コード「1-2-1」は重点施策ではありません")


def test_check_against_the_working_year(tmp_path):
    """In 令和7年度 the 令和8年度 edition and the 令和7年度 取組状況 are in the future."""
    problems = plan_check.check(_data_dir(tmp_path), 2025)
    assert [(p.sheet, p.column, p.found) for p in problems] == [
        ("取組内容", "改定年度", "令和8年度（R8）"), ("取組状況", "年度", "令和7年度（R7）")]


def test_templates_check_clean_and_are_never_overwritten(tmp_path):
    files = plan_check.write_templates(tmp_path / "tpl")
    assert [f.relative_to(tmp_path / "tpl").as_posix() for f in files] == [
        "plan_registry/plan_registry.xlsx", "plan_progress/progress_records.xlsx",
        "implementation_plan/jisshi_keikaku.xlsx"]
    assert plan_check.check(tmp_path / "tpl", 2025) == []
    wb = openpyxl.load_workbook(files[0])
    assert [c.value for c in wb["施策"][3]][:3] == ["施策コード", "基本目標", "計画"]
    from komae_analysis.errors import KomaeError

    with pytest.raises(KomaeError, match="上書きしません"):
        plan_check.write_templates(tmp_path / "tpl")
