"""``komae registry check`` and ``komae registry template``: the editors' tools for the three plan
workbooks (施策の台帳, 進捗状況の評価, 実施計画), between builds.

:func:`check` reads the three workbooks with their readers (every problem of each file) and then
checks them against each other, which no single reader can: every 事業ID of the progress records
is a 事業 of the registry; every 施策コード of the 実施計画 is a 重点施策 of the registry; and, against
the fiscal year the editor works in, no 実施計画 edition and no 取組状況 lies in the future. Each
problem names the file, sheet, row and column.

:func:`write_templates` writes the three workbooks empty but for the headers and one filled example
row per sheet, in the folders ``data/raw`` uses; it never overwrites a file.
"""

from __future__ import annotations

from pathlib import Path

from komae_analysis.calendar import now_jst, wareki_fy
from komae_analysis.errors import InputError, InputProblem, KomaeError, display_name
from komae_analysis.fileio import atomic_write_bytes, workbook_bytes
from komae_analysis.ingest import implementation_plan, plan_progress, plan_registry
from komae_analysis.ingest.common import list_files
from komae_analysis.ingest.plan_sheets import fy_label, write_list_sheet

#: folder under the data dir, file name of a new workbook, what it is
WORKBOOKS = (
    ("plan_registry", "plan_registry.xlsx", "施策の台帳"),
    ("plan_progress", "progress_records.xlsx", "進捗状況の評価"),
    ("implementation_plan", "jisshi_keikaku.xlsx", "実施計画"),
)


def _one_file(data_dir: Path, folder: str, what: str, problems: list[InputProblem]) -> Path | None:
    found = list_files(data_dir / folder, "*.xlsx")
    if not found:
        problems.append(InputProblem(file=display_name(data_dir / folder), message=f"{what}のファイルがありません",
                                     expected=f"{folder}/ に .xlsx のファイルが1つ", found="なし"))
        return None
    if len(found) > 1:
        problems.append(InputProblem(file=display_name(data_dir / folder),
                                     message=f"{what}のファイルが2つ以上あります（1つにしてください）",
                                     expected="1ファイル", found="、".join(p.name for p in found)))
        return None
    return found[0]


def check(data_dir: Path, fy: int) -> list[InputProblem]:
    """Every problem of the three workbooks under ``data_dir``, alone and together, for an editor
    working in fiscal year ``fy`` (an empty list: all good)."""
    data_dir = Path(data_dir)
    problems: list[InputProblem] = []
    paths = {folder: _one_file(data_dir, folder, what, problems) for folder, _name, what in WORKBOOKS}
    registry = progress = plan = None
    readers = (("plan_registry", plan_registry.parse_registry), ("plan_progress", plan_progress.parse_progress),
               ("implementation_plan", implementation_plan.parse_plan))
    parsed = {}
    for folder, parse in readers:
        path = paths[folder]
        if path is None:
            continue
        try:
            parsed[folder] = parse(path)
        except InputError as e:
            problems.extend(e.problems)
    registry, progress, plan = (parsed.get(f) for f, _p in readers)
    if registry is not None and progress is not None:
        problems += _progress_against_registry(paths["plan_progress"], registry, progress)
    if registry is not None and plan is not None:
        problems += _plan_against_registry(paths["implementation_plan"], registry, plan)
    if plan is not None:
        problems += _plan_against_year(paths["implementation_plan"], plan, fy)
    return list(dict.fromkeys(problems))


def _progress_against_registry(path: Path, registry, progress) -> list[InputProblem]:
    known = {p["project_id"] for p in registry.projects}
    out = []
    for sheet, records in ((plan_progress.SHEET_RATINGS, progress.ratings),
                           (plan_progress.SHEET_INDICATORS, progress.indicators)):
        seen = set()
        for r in records:
            if r["project_id"] not in known and r["row"] not in seen:
                seen.add(r["row"])
                out.append(InputProblem(
                    file=display_name(path), sheet=sheet, row=r["row"], column="事業ID",
                    message=f"事業ID「{r['project_id']}」は施策の台帳（「事業」シート）にありません",
                    expected="施策の台帳の「事業」シートにある事業ID", found=r["project_id"]))
    return out


def _plan_against_registry(path: Path, registry, plan) -> list[InputProblem]:
    measures = {m["code"]: m for m in registry.measures}
    out = []
    sheets = {"取組内容": implementation_plan.SHEET_WORK, "取組状況": implementation_plan.SHEET_STATUS}
    rows = [(sheets[r["kind"]], r) for r in plan.lines] + [(implementation_plan.SHEET_BUDGET, r) for r in plan.budget]
    for sheet, r in rows:
        code = r["measure_code"]
        if code not in measures:
            message = f"施策コード「{code}」は施策の台帳（「施策」シート）にありません"
        elif not measures[code]["priority"]:
            message = f"施策コード「{code}」は重点施策ではありません（実施計画は重点施策だけを対象にします）"
        else:
            continue
        out.append(InputProblem(file=display_name(path), sheet=sheet, row=r["row"], column="施策コード",
                                message=message, expected="施策の台帳で重点の欄に○がある施策コード", found=code))
    return out


def _plan_against_year(path: Path, plan, fy: int) -> list[InputProblem]:
    """Editions and 取組状況 after the year the editor works in: one problem per year (at its first row,
    with the number of rows), not one per line."""
    late: dict[tuple[str, int], list[int]] = {}
    for r in plan.lines:
        if r["kind"] == "取組内容" and r["revision_fy"] > fy:
            late.setdefault(("取組内容", r["revision_fy"]), []).append(r["row"])
        if r["kind"] == "取組状況" and r["fiscal_year"] >= fy:
            late.setdefault(("取組状況", r["fiscal_year"]), []).append(r["row"])
    out = []
    for (kind, year), rows in sorted(late.items()):
        rows = sorted(rows)
        span = f"（{rows[0]}行目から{len(rows)}行）" if len(rows) > 1 else ""
        if kind == "取組内容":
            out.append(InputProblem(
                file=display_name(path), sheet=implementation_plan.SHEET_WORK, row=rows[0], column="改定年度",
                message=f"改定年度（{fy_label(year)}）が作業中の年度（{wareki_fy(fy)}）より後です{span}",
                expected=f"{fy_label(fy)}以前", found=fy_label(year)))
        else:
            out.append(InputProblem(
                file=display_name(path), sheet=implementation_plan.SHEET_STATUS, row=rows[0], column="年度",
                message=f"{fy_label(year)}の取組状況は、まだ終わっていない年度のものです{span}"
                f"（作業中の年度は{wareki_fy(fy)}。取組状況は年度が終わった後に記入します）",
                expected=f"{fy_label(fy - 1)}以前", found=fy_label(year)))
    return out


# ------------------------------------------------------------------------------------ templates

_TEMPLATE_NOTE = "記入例の行を参考に、1行に1件ずつ記入してください（見出しの行は変えないでください）。"


def _registry_template():
    from openpyxl import Workbook

    r = plan_registry
    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(wb.create_sheet(r.SHEET_PHILOSOPHY), title="基本理念", note=_TEMPLATE_NOTE,
                     header=r.PHILOSOPHY_HEADER, rows=[["（記入例）ともに支え合い、誰もが自分らしく暮らせるまち"]],
                     widths=[90], wrap=r.PHILOSOPHY_HEADER)
    write_list_sheet(wb.create_sheet(r.SHEET_GOALS), title="基本目標", note=_TEMPLATE_NOTE, header=r.GOALS_HEADER,
                     rows=[[1, "一人ひとりの状況に合わせた切れ目がない相談支援"]], widths=[8, 60])
    write_list_sheet(wb.create_sheet(r.SHEET_PLANS), title="計画", note=_TEMPLATE_NOTE + "補足は空欄でもかまいません。",
                     header=(*r.PLANS_HEADER, *r.PLANS_OPTIONAL),
                     rows=[[6, "重層計画", "第2期重層的支援体制整備事業実施計画", "分野横断・制度の狭間"]],
                     widths=[8, 16, 60, 28])
    write_list_sheet(
        wb.create_sheet(r.SHEET_MEASURES), title="施策",
        note=_TEMPLATE_NOTE + "基本目標は番号、計画は略称。重点施策は重点の欄に○。複数の項目はセル内で改行して1行に1つ。",
        header=(*r.MEASURES_HEADER, *r.MEASURES_OPTIONAL),
        rows=[["1-1-1", 1, "重層計画", "（記入例）複雑化・複合化した課題に対応できる相談支援体制の整備を進めます。", "○",
               "関係機関が連携し、包括的支援体制が構築されている。", "・アウトリーチ型相談支援を実施します。\n・相談窓口の周知を進めます。",
               "・つなぐシート事業の拡大", "福祉政策課\n福祉相談課", "包括的支援体制が構築されている。", "記入例"]],
        widths=[10, 8, 14, 50, 6, 45, 55, 40, 14, 45, 24],
        wrap=("施策", "施策の将来像", "施策の方向性", "主な事業例", "担当課", "計画期間終了時点の到達目標"))
    write_list_sheet(wb.create_sheet(r.SHEET_PROJECTS), title="事業", note=_TEMPLATE_NOTE,
                     header=(*r.PROJECTS_HEADER, *r.PROJECTS_OPTIONAL),
                     rows=[["J001", "1-1-1", "コミュニティ・ソーシャルワーカー事業", "福祉相談課",
                            "コミュニティ・ソーシャルワーカー事業", "記入例"]],
                     widths=[10, 10, 40, 16, 36, 24])
    return wb


def _progress_template():
    from openpyxl import Workbook

    p = plan_progress
    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(wb.create_sheet(p.SHEET_SCALE), title="評価区分（良い順に1行ずつ）",
                     note=_TEMPLATE_NOTE + "遅れとみなす評価の遅れの欄に○。◎○△× などの記号も使えます。",
                     header=p.SCALE_HEADER, rows=[["A", "計画どおり進んでいる", None], ["B", "おおむね計画どおり", None],
                                                  ["C", "やや遅れている", "○"], ["D", "遅れている", "○"]],
                     widths=[8, 44, 8])
    write_list_sheet(wb.create_sheet(p.SHEET_RATINGS), title="事業評価", note=_TEMPLATE_NOTE,
                     header=p.RATINGS_HEADER,
                     rows=[["令和6年度", "J001", "コミュニティ・ソーシャルワーカー事業", "（記入例）各圏域で地域づくりを行った。", "B"]],
                     widths=[12, 10, 36, 60, 8])
    write_list_sheet(wb.create_sheet(p.SHEET_INDICATORS), title="指標",
                     note=_TEMPLATE_NOTE + "方向は「高いほど良い」か「低いほど良い」。実績の年度の列は必要なだけ右に足せます。",
                     header=(*p.INDICATORS_HEADER, "令和6年度", "令和7年度", "令和8年度"),
                     rows=[["I001", "J001", "（記入例）コミュニティ・ソーシャルワーカーが対応した相談件数", "件", p.HIGHER,
                            3150, "令和5年度", 3800, "令和8年度", 3300, None, None]],
                     widths=[8, 8, 44, 8, 14, 10, 12, 10, 12, 11, 11, 11])
    return wb


def _plan_template():
    from openpyxl import Workbook

    i = implementation_plan
    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(wb.create_sheet(i.SHEET_WORK), title="取組内容",
                     note=_TEMPLATE_NOTE + "改定年度ごとに、その年度を含む3年間の取組を1行に1つ。",
                     header=i.WORK_HEADER,
                     rows=[["令和6年度", "1-1-1", "令和6年度", "（記入例）コミュニティ・ソーシャルワーカーによる地域づくり"],
                           ["令和7年度", "1-1-1", "令和7年度", "（記入例）福祉カレッジのカリキュラムの改定"]],
                     widths=[12, 10, 12, 70])
    write_list_sheet(wb.create_sheet(i.SHEET_BUDGET), title="事業費（当初予算、千円）",
                     note=_TEMPLATE_NOTE + "事業費は千円単位の数値（人件費を除く）。",
                     header=i.BUDGET_HEADER, rows=[["1-1-1", "令和6年度", "コミュニティ・ソーシャルワーカー事業", "福祉相談課", 48620]],
                     widths=[10, 12, 36, 14, 14])
    write_list_sheet(wb.create_sheet(i.SHEET_STATUS), title="取組状況（年度が終わった後に記入）",
                     note=_TEMPLATE_NOTE + "令和6年度の取組状況は、令和6年度が終わった後（令和7年度の改定）に記入します。",
                     header=i.STATUS_HEADER,
                     rows=[["1-1-1", "令和6年度", "（記入例）各圏域でコミュニティ・ソーシャルワーカーが地域づくりを行った。"]],
                     widths=[10, 12, 80])
    return wb


def write_templates(out_dir: Path) -> list[Path]:
    """The three empty workbooks (headers and an example row) under ``out_dir/<folder>/``; refuses to
    replace an existing file."""
    out_dir = Path(out_dir)
    builders = {"plan_registry": _registry_template, "plan_progress": _progress_template,
                "implementation_plan": _plan_template}
    targets = [(out_dir / folder / name, builders[folder]) for folder, name, _what in WORKBOOKS]
    existing = [p for p, _b in targets if p.exists()]
    if existing:
        raise KomaeError("次のファイルが既にあるため、ひな形を作成しませんでした（上書きしません）: "
                         + "、".join(str(p) for p in existing))
    stamp = now_jst().replace(tzinfo=None, microsecond=0)
    return [atomic_write_bytes(p, workbook_bytes(build(), timestamp=stamp, creator="komae_analysis"))
            for p, build in targets]
