"""Demo 実施計画 workbook (``implementation_plan/jisshi_keikaku.xlsx``) in the layout
:mod:`komae_analysis.ingest.implementation_plan` reads: the 令和6年7月 策定, 令和7年7月 and 令和8年7月
改定 editions of every 重点施策 of the demo registry.

施策 1-1-1 follows the city's draft: its 令和6年度 lines, its 令和7～9年度 lines and its 令和6年度
取組状況 (the draft's blanks ●● filled with invented figures); its 令和10年度 lines and 令和7年度 取組状況
are invented. Every other 重点施策's lines, every 事業費 and every other 取組状況 are invented (marked
in the 備考 column and on every sheet). 事業費 are 当初予算 in 千円, 人件費 excluded, rising a little
each year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from komae_analysis.calendar import wareki_fy
from komae_analysis.demo import plan_content as content
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.ingest import implementation_plan as layout
from komae_analysis.ingest.plan_sheets import write_list_sheet

FOLDER = "implementation_plan"
FILENAME = "jisshi_keikaku.xlsx"
EDITIONS = (2024, 2025, 2026)  # 令和6年7月 策定, 令和7年7月 改定, 令和8年7月 改定
DEMO_LINE = "デモデータ（架空）：備考欄に「デモ（架空）」とある行は架空の内容です。"
SEED_COSTS = {"コミュニティ・ソーシャルワーカー事業": 48620, "多世代・多機能型交流拠点運営事業": 21350}
SEED_EXTRA_R10 = "AIを活用した相談支援システムの導入に向けた検討"
SEED_STATUS_R7 = (
    "コミュニティ・ソーシャルワーカーが各圏域の地域課題の解決に向けた地域づくりを行った。",
    "福祉カレッジのカリキュラムを改定し、福祉カレッジ2025で14人の市民が修了した。",
    "地域アセスメントを踏まえ、3圏域で課題解決の取組を始めた。",
    "ふらっとなんぶでの多世代交流を行い、延べ8,950人の市民が拠点に来訪した。",
)


def _lines(m: content.Measure, edition: int, fy: int) -> tuple[tuple[str, ...], str]:
    """The 取組内容 of 施策 ``m`` for ``fy`` as the ``edition`` planned it, and its 備考."""
    if m is content.SEED_MEASURE:
        if fy == 2024:
            return content.SEED_LINES_R6, content.SEED_NOTE
        if fy <= 2027 and edition <= 2025:
            return content.SEED_LINES_LATER, content.SEED_NOTE
        extra = (SEED_EXTRA_R10,) if fy >= 2027 and edition == 2026 else ()
        return content.SEED_LINES_LATER + extra, content.DEMO_NOTE
    first, later = content.OTHER_LINES[m.code]
    return (first if fy == EDITIONS[0] else later), content.DEMO_NOTE


def work_rows() -> list[list[object]]:
    rows = []
    for edition in EDITIONS:
        for m in content.measures():
            if not m.priority:
                continue
            for fy in range(edition, edition + layout.WINDOW):
                lines, note = _lines(m, edition, fy)
                rows += [[wareki_fy(edition), m.code, wareki_fy(fy), line, note] for line in lines]
    return rows


def budget_rows(seed: int) -> list[list[object]]:
    rng = np.random.default_rng(seed + 901)
    rows = []
    for m in content.measures():
        if not m.priority:
            continue
        budgets: dict[str, str] = {}
        for p in m.projects:
            if p.budget:
                budgets.setdefault(p.budget, p.department)
        for name, department in budgets.items():
            base = SEED_COSTS.get(name) or int(rng.integers(30, 400)) * 100 + int(rng.integers(0, 100))
            growth = 1 + float(rng.uniform(0.0, 0.05))
            for k, fy in enumerate(EDITIONS):
                cost = base if k == 0 else int(round(base * growth**k))
                note = content.DEMO_NOTE if not (name in SEED_COSTS and k == 0) else "デモ（架空。市の資料では●●千円）"
                rows.append([m.code, wareki_fy(fy), name, department, cost, note])
    return rows


def _status(m: content.Measure, fy: int) -> tuple[tuple[str, ...], str]:
    if m is content.SEED_MEASURE:
        if fy == 2024:
            return content.SEED_STATUS_R6, content.SEED_NOTE + "（●は架空の値で補記）"
        return SEED_STATUS_R7, content.DEMO_NOTE
    lines, _note = _lines(m, fy, fy)
    return tuple(f"「{line}」に取り組んだ。" for line in lines), content.DEMO_NOTE


def status_rows() -> list[list[object]]:
    rows = []
    for fy in EDITIONS[:-1]:  # results of a year are written in the next year's edition
        for m in content.measures():
            if m.priority:
                lines, note = _status(m, fy)
                rows += [[m.code, wareki_fy(fy), line, note] for line in lines]
    return rows


def plan_workbook(seed: int):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(wb.create_sheet(layout.SHEET_WORK), title="取組内容（改定ごと、当該年度を含む3年間）",
                     note=DEMO_LINE + "改定年度の年度は当該年度の取組内容、その後の2年度は見込。1行に1つの取組。",
                     header=(*layout.WORK_HEADER, "備考"), rows=work_rows(), widths=[12, 10, 12, 70, 30],
                     wrap=("取組内容", "備考"))
    write_list_sheet(wb.create_sheet(layout.SHEET_BUDGET), title="関連する予算事業と事業費（当初予算ベース）",
                     note=DEMO_LINE + "事業費は当初予算（千円）。事業に直接係る経費のみで、人件費等は含みません。",
                     header=(*layout.BUDGET_HEADER, "備考"), rows=budget_rows(seed), widths=[10, 12, 36, 14, 14, 30],
                     wrap=("予算事業名", "備考"))
    write_list_sheet(wb.create_sheet(layout.SHEET_STATUS), title="取組状況（成果）：年度が終わった後に記入",
                     note=DEMO_LINE, header=(*layout.STATUS_HEADER, "備考"), rows=status_rows(),
                     widths=[10, 12, 80, 30], wrap=("取組状況", "備考"))
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    path = Path(out_dir) / FOLDER / FILENAME
    return [write_bytes_atomic(path, workbook_bytes(plan_workbook(seed)))]
