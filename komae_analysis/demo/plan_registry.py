"""Demo 施策 registry (``plan_registry/plan_registry.xlsx``) in the layout
:mod:`komae_analysis.ingest.plan_registry` reads: sheets 基本理念, 基本目標, 計画, 施策, 事業.

The content is :mod:`~komae_analysis.demo.plan_content`: the draft's five 基本目標, the 再犯防止推進計画's
13 施策 and the 重層計画's 施策 1-1-1 word for word, everything else invented and marked 「デモ（架空）」
in the 備考 column (and in the note line of every sheet). Written reproducibly (same bytes each run).
"""

from __future__ import annotations

from pathlib import Path

from komae_analysis.demo import plan_content as content
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.ingest import plan_registry as layout
from komae_analysis.ingest.plan_sheets import write_list_sheet

FOLDER = "plan_registry"
FILENAME = "plan_registry.xlsx"
DEMO_LINE = "デモデータ（架空）：備考欄に「デモ（架空）」とある行は架空の内容です。"


def registry_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(
        wb.create_sheet(layout.SHEET_PHILOSOPHY), title="あいとぴあレインボープラン　基本理念",
        note=DEMO_LINE + "基本理念はデモ（架空）です。", header=layout.PHILOSOPHY_HEADER,
        rows=[[line] for line in content.PHILOSOPHY], widths=[90], wrap=layout.PHILOSOPHY_HEADER)
    write_list_sheet(
        wb.create_sheet(layout.SHEET_GOALS), title="基本目標（6計画に共通）", note=DEMO_LINE,
        header=layout.GOALS_HEADER, rows=[list(g) for g in content.GOALS], widths=[8, 60])
    write_list_sheet(
        wb.create_sheet(layout.SHEET_PLANS), title="あいとぴあレインボープランを構成する計画", note=DEMO_LINE,
        header=(*layout.PLANS_HEADER, *layout.PLANS_OPTIONAL),
        rows=[list(p) for p in content.PLANS], widths=[8, 16, 60, 28])
    header = (*layout.MEASURES_HEADER, *layout.MEASURES_OPTIONAL)
    rows = [
        [m.code, m.goal, m.plan, m.text, "○" if m.priority else None, m.vision,
         "\n".join(f"・{d}" for d in m.directions), "\n".join(f"・{e}" for e in m.examples),
         "\n".join(m.departments), m.target or None, m.note]
        for m in content.measures()
    ]
    write_list_sheet(
        wb.create_sheet(layout.SHEET_MEASURES), title="施策（基本目標・計画ごと）",
        note=DEMO_LINE + "重点施策は重点の欄に○。複数の項目は1行に1つ（セル内改行）。",
        header=header, rows=rows, widths=[10, 8, 14, 50, 6, 45, 55, 40, 14, 45, 24],
        wrap=("施策", "施策の将来像", "施策の方向性", "主な事業例", "担当課", "計画期間終了時点の到達目標", "備考"))
    prows = [[p.id, m.code, p.name, p.department, p.budget or None,
              content.SEED_NOTE if m is content.SEED_MEASURE and p.budget else content.DEMO_NOTE]
             for m, p in content.projects()]
    write_list_sheet(
        wb.create_sheet(layout.SHEET_PROJECTS), title="事業（施策を実現する市の事業）", note=DEMO_LINE,
        header=(*layout.PROJECTS_HEADER, *layout.PROJECTS_OPTIONAL), rows=prows,
        widths=[10, 10, 40, 16, 36, 24], wrap=("事業名", "予算事業名"))
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """Write the registry workbook (the content is fixed; ``seed`` is not needed)."""
    del seed
    path = Path(out_dir) / FOLDER / FILENAME
    return [write_bytes_atomic(path, workbook_bytes(registry_workbook()))]
