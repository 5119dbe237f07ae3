"""The demo plan workbooks (施策の台帳, 進捗状況の評価, 実施計画): byte-reproducible, equal to the bundled
files, marked as demo, and holding the draft plan's own words where the issue says so.

The 基本目標 and the 13 施策 of the 再犯防止推進計画 are checked against the list typed below, and, when
the city's draft (``../shared/seed``) is beside the project, against the draft itself. Read with openpyxl,
not with the package's readers."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED, implementation_plan, plan_progress, plan_registry

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
SEED_DIR = ROOT.parent / "shared" / "seed"
MODULES = (plan_registry, plan_progress, implementation_plan)

GOALS = {
    1: "一人ひとりの状況に合わせた切れ目がない相談支援",
    2: "「つながり」を実感できる地域づくり",
    3: "社会参加を進めるシステムづくり",
    4: "総合的で切れ目のない生活支援システムづくり",
    5: "多機関で協働して支援に当たる体制の構築",
}
#: The 再犯防止推進計画's 施策 under each 基本目標, typed from the draft.
RECIDIVISM = {
    1: ["在所（院）者、出所（院）者に市や民間支援団体等の各種相談窓口を分かりやすく周知します。",
        "在所（院）中、出所（院）後のアウトリーチ、伴走型支援などの手法により、出所（院）者、その家族の社会的孤立を予防・解消する相談支援を推進します。"],
    2: ["更生保護団体（保護司会、更生保護女性会、BBS会、協力雇用主）を市民に周知するとともに、「社会を明るくする運動」、「再犯防止啓発月間」、愛光女子学園との「再犯防止及び地域社会の持続的発展にかかる包括協定」に基づく取組等を通じて、再犯防止に関する取組を市民に周知します。",
        "刑事司法機関、更生保護機関などと連携して、出所（院）者の特性（障がい、依存症、しづき）や、民間支援団体の市民への理解を促進します。"],
    3: ["出所（院）者の就職活動が円滑に進むよう、ハローワーク、更生保護機関等と連携して、情報提供、環境整備、相談支援等を推進します。",
        "出所（院）者が地域社会の一員として関われる居場所の確保を支援します。",
        "義務教育を修了していない出院者の再非行を防止し、学校と連携した修学支援等を推進します。"],
    4: ["住居の確保が困難な出所（院）者の状況に応じた住居の確保を支援します。",
        "出所（院）者の出所（院）直後に福祉サービスが円滑に利用できるよう、矯正施設と連携した支援をします。",
        "依存症等の出所（院）者が出所（院）の際、本人の状況に応じて適切な更生保護団体、医療機関につなぐ支援をします。"],
    5: ["触法高齢者、障がい者への対応、依存症への理解、偏見や陰性感情の解消などを目的とした職員、市内福祉関係機関向けの研修等の実施を検討します。",
        "在所（院）者の出所（院）に向けて矯正施設の連携を推進します。",
        "出所（院）者の出所（院）の前後に福祉関係部署間のみならず、市内福祉関係機関・団体、保健所、医療機関、学校、更生保護機関・施設・団体などと多機関で協働した支援を推進します。"],
}


def seed_recidivism() -> dict[int, tuple[str, list[str]]]:
    """基本目標 number → (its name, the 再犯防止 施策) parsed from the draft's section 8 tables."""
    text = next(SEED_DIR.glob("*.txt")).read_text(encoding="utf-8")
    out = {}
    for block in text.split("基本目標\t\t再犯防止推進計画の施策")[1:]:
        line = block.strip().splitlines()[0]
        number, goal, items = line.split("\t", 2)
        items = re.sub(r"</?p>", " ", items)
        found = re.findall(r"(?:^|\s)(\d+) (\S.*?)(?=\s+\d+ \S|\s*$)", items)
        out[int(number)] = (goal.strip(), [t.strip() for _n, t in found])
    return out


def _rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[sheet].iter_rows(min_row=4, values_only=True))
    wb.close()
    return [r for r in rows if any(v is not None for v in r)]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_reproducible_and_equal_to_the_bundled_file(tmp_path, module):
    a = module.write(tmp_path / "a", SEED)
    b = module.write(tmp_path / "b", SEED)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    for p in a:
        bundled = RAW / p.relative_to(tmp_path / "a")
        assert bundled.read_bytes() == p.read_bytes(), f"{bundled} is not the generated file: regenerate it"


def test_every_sheet_says_it_is_demo_data():
    for path in (RAW / "plan_registry/plan_registry.xlsx", RAW / "plan_progress/progress_records.xlsx",
                 RAW / "implementation_plan/jisshi_keikaku.xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            assert "デモデータ（架空）" in str(ws["A2"].value), (path.name, ws.title)
        wb.close()


def test_goals_and_recidivism_measures_are_the_draft_words():
    path = RAW / "plan_registry" / "plan_registry.xlsx"
    assert {r[0]: r[1] for r in _rows(path, "基本目標")} == GOALS
    measures = _rows(path, "施策")
    got = {g: [r[3] for r in measures if r[2] == "再犯防止計画" and r[1] == g] for g in GOALS}
    assert got == RECIDIVISM
    assert sum(len(v) for v in got.values()) == 13
    invented = [r for r in measures if r[2] != "再犯防止計画" and r[0] != "1-1-1"]
    assert invented and all(r[10] == "デモ（架空）" for r in invented)


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the city's draft (../shared/seed) is not beside the project")
def test_the_typed_list_is_the_draft():
    parsed = seed_recidivism()
    assert {n: goal for n, (goal, _items) in parsed.items()} == GOALS
    assert {n: items for n, (_goal, items) in parsed.items()} == RECIDIVISM


def test_measure_1_1_1_sheet_content():
    path = RAW / "plan_registry" / "plan_registry.xlsx"
    row = next(r for r in _rows(path, "施策") if r[0] == "1-1-1")
    assert row[2] == "重層計画" and row[4] == "○"
    assert row[3] == "複雑化・複合化した課題に対応できる包括的な切れ目のない相談支援体制の整備を進めます。"
    assert row[8].split("\n") == ["福祉政策課", "福祉相談課", "高齢障がい課", "健康推進課"]
    work = _rows(RAW / "implementation_plan" / "jisshi_keikaku.xlsx", "取組内容")
    r6 = [r[3] for r in work if r[0] == "令和6年度" and r[1] == "1-1-1" and r[2] == "令和6年度"]
    assert r6 == ["コミュニティ・ソーシャルワーカーによる地域づくり", "福祉カレッジの開催",
                  "福祉のまちづくり協議委員会・協議会による地域アセスメント", "ふらっとなんぶでの多世代交流"]
    budget = _rows(RAW / "implementation_plan" / "jisshi_keikaku.xlsx", "事業費")
    assert {r[2] for r in budget if r[0] == "1-1-1"} == {"コミュニティ・ソーシャルワーカー事業", "多世代・多機能型交流拠点運営事業"}


def test_progress_records_are_consistent_with_the_registry():
    registry = RAW / "plan_registry" / "plan_registry.xlsx"
    projects = {r[0]: r[1] for r in _rows(registry, "事業")}
    plan_of = {r[0]: r[2] for r in _rows(registry, "施策")}
    ratings = _rows(RAW / "plan_progress" / "progress_records.xlsx", "事業評価")
    assert {r[1] for r in ratings} == set(projects)
    years = {"令和3年度", "令和4年度", "令和5年度"}
    early = {r[1] for r in ratings if r[0] in years}
    assert not any(plan_of[projects[p]] == "再犯防止計画" for p in early)  # 第1次 starts in 令和6年度
    assert {r[4] for r in ratings} <= {"A", "B", "C", "D"}
    # every 事業 rated each year it existed: 33 事業 from 令和3年度, the 再犯防止計画's 13 from 令和6年度
    counts = {y: sum(r[0] == y for r in ratings) for y in {r[0] for r in ratings}}
    assert counts["令和3年度"] == 33 and counts["令和8年度"] == 46
