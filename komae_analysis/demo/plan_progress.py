"""Demo progress records (``plan_progress/progress_records.xlsx``) in the layout
:mod:`komae_analysis.ingest.plan_progress` reads: the A–D scale, every 事業's self-evaluation for
令和3～8年度 and the indicators with their 実績.

Everything is invented (marked on every sheet). The previous plans' last three years (令和3～5年度,
the years the 令和5年度 appendix evaluates) and the current plans' years (令和6～8年度, evaluated in
令和8年度; 令和8年度 is that year's 見込) are both there; the 再犯防止推進計画 starts in 令和6年度, so its
事業 have no earlier records. Each 事業 has a hidden tendency (some do well year after year, a few lag)
that drives both its ratings and its indicators' pace, so that the two tell the same story.
Indicators: those of the previous plans (基準 令和2年度, 目標 令和5年度) and of the current ones
(基準 令和5年度, 目標 令和8年度); a survey-based one has 実績 only in survey years (the other years
empty: not measured, not zero).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from komae_analysis.calendar import wareki_fy
from komae_analysis.demo import plan_content as content
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.ingest import plan_progress as layout
from komae_analysis.ingest.plan_sheets import write_list_sheet

FOLDER = "plan_progress"
FILENAME = "progress_records.xlsx"
YEARS = tuple(range(2021, 2027))  # 令和3～8年度
NEW_PLAN_FIRST_FY = 2024  # the 再犯防止推進計画 (第1次) starts here
DEMO_LINE = "デモデータ（架空）：このブックの評価・実績・指標はすべて架空の値です。"

SCALE = (
    ("A", "計画どおり、または計画以上に進んでいる", False),
    ("B", "おおむね計画どおり進んでいる", False),
    ("C", "やや遅れている", True),
    ("D", "遅れている（未実施を含む）", True),
)
_RESULT_PHRASES = {
    "A": "{name}を計画どおり実施し、対象や回数を拡大した。",
    "B": "{name}を実施した。",
    "C": "{name}を実施したが、参加者・利用者が見込みを下回った。",
    "D": "{name}は関係機関との調整が整わず、一部を実施できなかった。",
}

# (id, 事業ID, 指標名, 単位, 方向, 基準値, 基準年度, 目標値, 目標年度, decimals, survey years only)
_H, _L = layout.HIGHER, layout.LOWER
INDICATORS = (
    ("I101", "J004", "地域包括支援センターの総合相談件数", "件", _H, 3600, 2020, 4300, 2023, 0, False),
    ("I102", "J008", "自立相談支援の新規相談件数", "件", _H, 520, 2020, 600, 2023, 0, False),
    ("I103", "J021", "通いの場の数", "か所", _H, 45, 2020, 60, 2023, 0, False),
    ("I104", "J024", "認知症初期集中支援の支援開始までの平均日数", "日", _L, 28, 2020, 21, 2023, 0, False),
    ("I105", "J028", "成年後見制度の利用者数", "人", _H, 130, 2020, 160, 2023, 0, False),
    ("I106", "J023", "就労支援を通じた一般就労者数", "人", _H, 10, 2020, 15, 2023, 0, False),
    ("I107", "J014", "見守り協定を結んだ事業者数", "事業者", _H, 30, 2020, 42, 2023, 0, False),
    ("I108", "J010", "権利擁護に関する相談件数", "件", _H, 240, 2020, 300, 2023, 0, False),
    ("I201", "J001", "コミュニティ・ソーシャルワーカーが対応した相談件数", "件", _H, 3150, 2023, 3800, 2026, 0, False),
    ("I202", "J002", "多世代・多機能型交流拠点の来訪者数（延べ）", "人", _H, 6800, 2023, 9000, 2026, 0, False),
    ("I203", "J004", "地域包括支援センターの総合相談件数", "件", _H, 4200, 2023, 5000, 2026, 0, False),
    ("I204", "J006", "基幹相談支援センター等への相談件数", "件", _H, 120, 2023, 600, 2026, 0, False),
    ("I205", "J012", "地域アセスメントを実施した日常生活圏域の数", "圏域", _H, 1, 2023, 3, 2026, 0, False),
    ("I206", "J018", "参加支援により社会参加につながった人数", "人", _H, 8, 2023, 30, 2026, 0, False),
    ("I207", "J024", "認知症初期集中支援の支援開始までの平均日数", "日", _L, 21, 2023, 14, 2026, 0, False),
    ("I208", "J025", "認知症サポーター養成数（累計）", "人", _H, 9800, 2023, 11500, 2026, 0, False),
    ("I209", "J041", "住まいの確保の支援につながった出所者等の人数", "人", _H, 0, 2023, 10, 2026, 0, False),
    ("I210", "J028", "成年後見制度の利用者数", "人", _H, 160, 2023, 200, 2026, 0, False),
    ("I211", "J008", "自立相談支援で就労・増収につながった人の割合", "％", _H, 18.0, 2023, 25.0, 2026, 1, False),
    ("I212", "J015", "障がいを理由に差別を受けたと感じる人の割合（市民意識調査）", "％", _L, 32.0, 2022, 25.0, 2026, 1, True),
    ("I213", "J011", "ひきこもり相談窓口の新規相談件数", "件", _H, 35, 2023, 60, 2026, 0, False),
    ("I214", "J036", "社会を明るくする運動の行事への参加者数", "人", _H, 450, 2023, 600, 2026, 0, False),
)
SURVEY_YEARS = (2022, 2025)


def _tendencies(rng: np.random.Generator) -> dict[str, float]:
    return {p.id: float(rng.normal()) for _m, p in content.projects()}


def _rating(score: float) -> str:
    if score >= 3.5:
        return "A"
    if score >= 2.45:
        return "B"
    if score >= 1.7:
        return "C"
    return "D"


def ratings(seed: int) -> list[tuple[int, str, str, str, str]]:
    """(年度, 事業ID, 事業名, 取組実績, 評価) for every 事業 and year it existed."""
    rng = np.random.default_rng(seed + 801)
    tendency = _tendencies(rng)
    out = []
    for fy in YEARS:
        for m, p in content.projects():
            noise = float(rng.normal())
            if m.plan == "再犯防止計画" and fy < NEW_PLAN_FIRST_FY:
                continue
            rating = _rating(3.2 + 0.65 * tendency[p.id] + 0.45 * noise)
            out.append((fy, p.id, p.name, _RESULT_PHRASES[rating].format(name=p.name), rating))
    return out


def indicator_rows(seed: int) -> list[list[object]]:
    rng = np.random.default_rng(seed + 802)
    tendency = _tendencies(np.random.default_rng(seed + 801))
    rows = []
    for iid, pid, name, unit, direction, base, base_fy, target, target_fy, places, survey in INDICATORS:
        pace = float(np.clip(0.85 + 0.3 * tendency[pid] + 0.1 * rng.normal(), 0.15, 1.35))
        values: list[object] = []
        for fy in YEARS:
            if fy < base_fy or (survey and fy not in SURVEY_YEARS) or fy > target_fy:
                values.append(None)
                continue
            share = (fy - base_fy) / (target_fy - base_fy)
            wiggle = 1 + 0.03 * float(rng.normal()) if fy > base_fy else 1
            v = (base + (target - base) * share * pace) * wiggle
            if fy == base_fy:
                v = base
            values.append(round(v, places) if places else int(round(v)))
        values[-1] = None if (iid.startswith("I2") and not survey and rng.random() < 0.5) else values[-1]
        rows.append([iid, pid, name, unit, direction, base, wareki_fy(base_fy), target, wareki_fy(target_fy), *values])
    return rows


def progress_workbook(seed: int):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    write_list_sheet(wb.create_sheet(layout.SHEET_SCALE), title="事業の自己評価の区分（良い順）",
                     note=DEMO_LINE + "遅れの欄に○がある評価を「遅れ」として集計します。",
                     header=layout.SCALE_HEADER, rows=[[r, d, "○" if b else None] for r, d, b in SCALE],
                     widths=[8, 44, 8])
    write_list_sheet(wb.create_sheet(layout.SHEET_RATINGS), title="事業評価（年度ごとの取組実績と自己評価）",
                     note=DEMO_LINE, header=layout.RATINGS_HEADER,
                     rows=[[wareki_fy(fy), pid, name, result, rating] for fy, pid, name, result, rating in ratings(seed)],
                     widths=[12, 10, 36, 60, 8], wrap=("事業名", "取組実績"))
    header = (*layout.INDICATORS_HEADER, *(wareki_fy(fy) for fy in YEARS))
    write_list_sheet(wb.create_sheet(layout.SHEET_INDICATORS), title="指標（基準値・目標値と年度ごとの実績値）",
                     note=DEMO_LINE + "実績がまだない年度・測っていない年度は空欄。",
                     header=header, rows=indicator_rows(seed),
                     widths=[8, 8, 44, 8, 14, 10, 12, 10, 12, *([11] * len(YEARS))], wrap=("指標名",))
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    path = Path(out_dir) / FOLDER / FILENAME
    return [write_bytes_atomic(path, workbook_bytes(progress_workbook(seed)))]
