"""第4章 施策体系 (section 10): the 施策 of the six plans under the five common 基本目標, from the registry.

- :func:`count_table`: how many 施策 (and 重点施策) each plan has under each 基本目標;
- :func:`framework_tables`: one 施策体系 per 基本目標 in the draft's layout (基本目標 | 計画 | No. | 施策),
  重点施策 marked;
- :func:`measure_lists`: the 施策一覧 per 基本目標 and plan (No. | 施策 | 施策の将来像 | 施策の方向性 |
  主な事業例), as the draft's section 9 shows them.

Cells holding several items keep one item per line (「・」 bullets), which the page and the workbook
show as separate lines.
"""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis.plan.data import PlanData, plan_heading, source_registry
from komae_analysis.report.tables import AppendixTable

NO_REGISTRY = "施策の台帳がないため、施策体系は掲載していません。"
PRIORITY_MARK = "重点施策"


def _bullets(text: object) -> str:
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return ""
    return "\n".join(f"・{line}" for line in str(text).split("\n") if line)


def _plans_with(data: PlanData, goal: int) -> list[tuple[int, str, str, str]]:
    present = set(data.measures.loc[data.measures["goal_no"] == goal, "plan_no"])
    return [p for p in data.plans if p[0] in present]


def philosophy_text(data: PlanData) -> str:
    if not data.has_registry:
        return NO_REGISTRY
    lines = data.philosophy
    goals = "、".join(f"「{name}」" for _n, name in data.goals)
    head = f"基本理念「{'　'.join(lines)}」のもと、" if lines else ""
    plans = "、".join(short for _n, short, _name, _note in data.plans)
    return (f"{head}{plans}の各計画は、共通の基本目標{goals}の下に施策を掲げます。"
            "施策の番号は施策コードで示し、重点施策は実施計画で毎年度の取組内容と事業費を定めます。")


def count_table(data: PlanData) -> AppendixTable | str:
    """施策の数 by 基本目標 (rows) and plan (columns), with totals and the number of 重点施策."""
    if not data.has_registry:
        return NO_REGISTRY
    m = data.measures
    plans = data.plans
    rows = []
    for n, name in data.goals:
        sub = m[m["goal_no"] == n]
        row = {"基本目標": f"{n}　{name}"}
        for _p, short, _name, _note in plans:
            row[short] = int((sub["plan"] == short).sum())
        row["計"] = len(sub)
        row["うち重点施策"] = int(sub["priority"].sum())
        rows.append(row)
    total = {"基本目標": "計"}
    for _p, short, _name, _note in plans:
        total[short] = int((m["plan"] == short).sum())
    total["計"] = len(m)
    total["うち重点施策"] = int(m["priority"].sum())
    frame = pd.DataFrame([*rows, total])
    for c in frame.columns[1:]:
        frame[c] = frame[c].astype("int64")
    return AppendixTable(
        title="基本目標・計画別の施策の数",
        frame=frame,
        unit="単位：施策",
        source=source_registry(),
        notes=["重点施策は、実施計画で年度ごとの取組内容と事業費を定める施策。"],
        total_rows=[-1],
    )


def count_text(data: PlanData) -> str:
    if not data.has_registry:
        return NO_REGISTRY
    m = data.measures
    by_goal = m.groupby("goal_no").size()
    most = int(by_goal.idxmax())
    by_plan = m.groupby("plan").size()
    top_plan = str(by_plan.idxmax())
    goals = dict(data.goals)
    return (f"施策は各計画をあわせて{len(m)}、うち重点施策は{int(m['priority'].sum())}です。"
            f"基本目標別では「{goals[most]}」が{int(by_goal.max())}施策で最も多く、"
            f"計画別では{top_plan}が{int(by_plan.max())}施策で最も多くなっています。")


def framework_tables(data: PlanData) -> list[AppendixTable | str]:
    """One 施策体系 table per 基本目標: each plan's 施策 under it, numbered within the plan, 重点施策 marked."""
    if not data.has_registry:
        return [NO_REGISTRY]
    out: list[AppendixTable | str] = []
    for n, name in data.goals:
        rows = []
        for p, short, _pname, note in _plans_with(data, n):
            sub = data.measures[(data.measures["goal_no"] == n) & (data.measures["plan_no"] == p)]
            for k, m in enumerate(sub.itertuples(index=False), start=1):
                rows.append({
                    "計画": plan_heading(short, note) if k == 1 else "",
                    "No.": k,
                    "施策": m.text,
                    "重点": "重点" if m.priority else "",
                    "コード": m.code,
                })
        frame = pd.DataFrame(rows, columns=["計画", "No.", "施策", "重点", "コード"])
        frame["No."] = frame["No."].astype("int64")
        out.append(AppendixTable(
            title=f"基本目標{n}「{name}」の施策体系",
            frame=frame,
            source=source_registry(),
            notes=["No.は計画ごとの施策の番号、コードは施策コード。重点の欄に「重点」とある施策は重点施策（実施計画の対象）。"],
        ))
    return out


def measure_lists(data: PlanData) -> list[AppendixTable | str]:
    """The 施策一覧 per 基本目標 and plan: 施策, 将来像, 方向性, 主な事業例 (重点施策 marked under its No.)."""
    if not data.has_registry:
        return [NO_REGISTRY]
    out: list[AppendixTable | str] = []
    for n, name in data.goals:
        for p, short, _pname, note in _plans_with(data, n):
            sub = data.measures[(data.measures["goal_no"] == n) & (data.measures["plan_no"] == p)]
            frame = pd.DataFrame({
                "No.": [f"{k}\n{PRIORITY_MARK}" if pr else str(k)
                        for k, pr in enumerate(sub["priority"], start=1)],
                "施策": [f"{t}\n（{c}）" for t, c in zip(sub["text"], sub["code"], strict=True)],
                "施策の将来像": [("" if pd.isna(v) else str(v)) for v in sub["vision"]],
                "施策の方向性": [_bullets(v) for v in sub["directions"]],
                "主な事業例": [_bullets(v) for v in sub["examples"]],
            })
            out.append(AppendixTable(
                title=f"基本目標{n}「{name}」　{plan_heading(short, note)}",
                frame=frame,
                source=source_registry(),
                notes=["施策の下の括弧内は施策コード。"],
                formats={"No.": "text"},
            ))
    return out
