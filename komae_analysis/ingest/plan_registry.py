"""The 施策 registry of あいとぴあレインボープラン (the city's workbook, one sheet per kind) → the tidy
frames ``plan_registry_outline`` (基本理念, 基本目標, 計画), ``plan_registry_measures`` (施策, with their
基本目標 and 計画) and ``plan_registry_projects`` (事業): schemas and readers.

Layout (data/raw/README.md, ``plan_registry/``): sheets 基本理念, 基本目標, 計画, 施策, 事業; on each a
title line, then a header row found by its labels, then one record per row. Checked: every label
present; 基本目標 and 計画 numbered once each; 施策コード of the form 1-1-1, unique, starting with its
基本目標's number; each 施策 under a 基本目標 and a 計画 that the other sheets list; the 重点 mark
(○ or empty); a 重点施策 has its 方向性 and 到達目標 (the 実施計画 sheet prints them); 事業 ids unique,
each 事業 under a 施策 of the 施策 sheet. Cells holding several items (施策の方向性, 主な事業例, 担当課)
are stored one item per line.

The three readers share one parse of the workbook (kept briefly, keyed by path and content hash).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.fileio import sha256
from komae_analysis.ingest.common import Problems, cell_text, read_sheets
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame
from komae_analysis.ingest.plan_sheets import (
    Columns,
    departments,
    find_header,
    is_yes,
    lines,
    require_text,
    sheet_records,
    text,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

# ------------------------------------------------------------------------------------- layout

SHEET_PHILOSOPHY = "基本理念"
SHEET_GOALS = "基本目標"
SHEET_PLANS = "計画"
SHEET_MEASURES = "施策"
SHEET_PROJECTS = "事業"
SHEETS = (SHEET_PHILOSOPHY, SHEET_GOALS, SHEET_PLANS, SHEET_MEASURES, SHEET_PROJECTS)

PHILOSOPHY_HEADER = ("基本理念",)
GOALS_HEADER = ("番号", "基本目標")
PLANS_HEADER = ("番号", "略称", "計画名")
PLANS_OPTIONAL = ("補足",)
MEASURES_HEADER = (
    "施策コード", "基本目標", "計画", "施策", "重点", "施策の将来像", "施策の方向性", "主な事業例", "担当課",
    "計画期間終了時点の到達目標",
)
MEASURES_OPTIONAL = ("備考",)
MEASURE_ALIASES = {"重点": ("重点施策",), "計画期間終了時点の到達目標": ("到達目標",)}
PROJECTS_HEADER = ("事業ID", "施策コード", "事業名", "担当課", "予算事業名")
PROJECTS_OPTIONAL = ("備考",)

CODE_RE = re.compile(r"^(\d+)-(\d+)-(\d+)$")
CODE_EXPECTED = "「基本目標の番号-番号-番号」（例: 1-1-1）"

OUTLINE_KINDS = ("基本理念", "基本目標", "計画")

# ------------------------------------------------------------------------------------ schemas


def _outline_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "kind": text_column(pa.Check.isin(OUTLINE_KINDS)),
            "number": pa.Column("Int64", checks=pa.Check.ge(1), nullable=True),
            "name": text_column(pa.Check.str_length(min_value=1)),
            "short_name": text_column(nullable=True),
            "note": text_column(nullable=True),
        },
        strict=True,
        ordered=True,
        name="plan_registry_outline",
    )


def _measures_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "code": text_column(pa.Check.str_matches(CODE_RE.pattern)),
            "goal_no": pa.Column("int64", checks=pa.Check.ge(1)),
            "goal": text_column(pa.Check.str_length(min_value=1)),
            "plan_no": pa.Column("int64", checks=pa.Check.ge(1)),
            "plan": text_column(pa.Check.str_length(min_value=1)),
            "plan_name": text_column(pa.Check.str_length(min_value=1)),
            "plan_note": text_column(nullable=True),
            "text": text_column(pa.Check.str_length(min_value=1)),
            "priority": pa.Column("bool"),
            "vision": text_column(nullable=True),
            "directions": text_column(nullable=True),
            "examples": text_column(nullable=True),
            "departments": text_column(nullable=True),
            "target": text_column(nullable=True),
            "note": text_column(nullable=True),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True,
        ordered=True,
        unique=["code"],
        name="plan_registry_measures",
    )


def _projects_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "project_id": text_column(pa.Check.str_length(min_value=1)),
            "measure_code": text_column(pa.Check.str_matches(CODE_RE.pattern)),
            "name": text_column(pa.Check.str_length(min_value=1)),
            "departments": text_column(nullable=True),
            "budget_name": text_column(nullable=True),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True,
        ordered=True,
        unique=["project_id"],
        name="plan_registry_projects",
    )


OUTLINE_SCHEMA = LazySchema(_outline_schema)
MEASURES_SCHEMA = LazySchema(_measures_schema)
PROJECTS_SCHEMA = LazySchema(_projects_schema)


# ------------------------------------------------------------------------------------ parsing


@dataclass
class _Registry:
    philosophy: list[str] = field(default_factory=list)
    goals: dict[int, str] = field(default_factory=dict)
    plans: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # number → (略称, 計画名, 補足)
    measures: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    #: every code written on the 施策 sheet (also on rows with problems); None when it was not read
    codes_written: set[str] | None = None


def _number(problems: Problems, cells: list[Any], cols: Columns, label: str, row: int) -> int | None:
    raw = cols.get(cells, label)
    n = problems.count(raw, row=row, column=cols.where(label), dash="error")
    if n is not None and n < 1:
        problems.add("番号は1以上の整数です", row=row, column=cols.where(label), expected="1以上の整数",
                     found=cell_text(raw))
        return None
    return None if n is None else int(n)


def _read_philosophy(sheet: Any, reg: _Registry, problems: Problems) -> None:
    cols = find_header(sheet, problems, PHILOSOPHY_HEADER)
    if cols is None:
        return
    for _row, cells in sheet_records(sheet, cols):
        reg.philosophy.extend(lines(cols.get(cells, "基本理念")) or [text(cols.get(cells, "基本理念"))])
    if not reg.philosophy:
        problems.add("基本理念が記入されていません", row=cols.row + 1, column=cols.where("基本理念"),
                     expected="基本理念の文", found="（空欄）")


def _read_goals(sheet: Any, reg: _Registry, problems: Problems) -> None:
    cols = find_header(sheet, problems, GOALS_HEADER)
    if cols is None:
        return
    first: dict[int, int] = {}
    for row, cells in sheet_records(sheet, cols):
        n = _number(problems, cells, cols, "番号", row)
        name = require_text(problems, cells, cols, "基本目標", row)
        if n is None or not name:
            continue
        if n in first:
            problems.add(f"基本目標の番号 {n} が2回あります（{first[n]}行目と{row}行目）", row=row,
                         column=cols.where("番号"), expected="番号は1回ずつ", found=n)
            continue
        first[n] = row
        reg.goals[n] = name


def _read_plans(sheet: Any, reg: _Registry, problems: Problems) -> None:
    cols = find_header(sheet, problems, PLANS_HEADER, PLANS_OPTIONAL)
    if cols is None:
        return
    first: dict[int, int] = {}
    short_first: dict[str, int] = {}
    for row, cells in sheet_records(sheet, cols):
        n = _number(problems, cells, cols, "番号", row)
        short = require_text(problems, cells, cols, "略称", row)
        name = require_text(problems, cells, cols, "計画名", row)
        if n is None or not short or not name:
            continue
        if n in first:
            problems.add(f"計画の番号 {n} が2回あります（{first[n]}行目と{row}行目）", row=row,
                         column=cols.where("番号"), expected="番号は1回ずつ", found=n)
            continue
        if short in short_first:
            problems.add(f"計画の略称「{short}」が2回あります（{short_first[short]}行目と{row}行目）", row=row,
                         column=cols.where("略称"), expected="略称は1回ずつ", found=short)
            continue
        first[n], short_first[short] = row, row
        reg.plans[n] = (short, name, text(cols.get(cells, "補足")))


def _plan_of(reg: _Registry, value: Any) -> int | None:
    """The plan a 施策 names: its 略称 or 計画名 (as on the 計画 sheet), or its number."""
    t = text(value)
    for n, (short, name, _note) in reg.plans.items():
        if t in (short, name, str(n)):
            return n
    return None


def _read_measures(sheet: Any, reg: _Registry, problems: Problems, goals_ok: bool, plans_ok: bool) -> None:
    cols = find_header(sheet, problems, MEASURES_HEADER, MEASURES_OPTIONAL, aliases=MEASURE_ALIASES)
    if cols is None:
        return
    first: dict[str, int] = {}
    reg.codes_written = set()
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        code = text(cols.get(cells, "施策コード"))
        reg.codes_written.add(code)
        m = CODE_RE.match(code)
        if not m:
            problems.add("施策コードの書き方が違います" if code else "施策コードが空欄です", row=row,
                         column=cols.where("施策コード"), expected=CODE_EXPECTED, found=cell_text(code or None))
        elif code in first:
            problems.add(f"施策コード「{code}」が重複しています（{first[code]}行目と{row}行目）", row=row,
                         column=cols.where("施策コード"), expected="施策コードは1つの施策に1つ", found=code)
        goal_raw = cols.get(cells, "基本目標")
        goal_no = problems.count(goal_raw, row=row, column=cols.where("基本目標"), dash="error")
        if goal_no is not None and goals_ok and goal_no not in reg.goals:
            problems.add(f"基本目標 {goal_no} は「基本目標」シートにありません", row=row,
                         column=cols.where("基本目標"),
                         expected="「基本目標」シートの番号（" + "、".join(map(str, reg.goals)) + "）",
                         found=cell_text(goal_raw))
        elif goal_no is not None and m and int(m.group(1)) != goal_no:
            problems.add("施策コードの先頭の数字が基本目標の番号と合いません", row=row,
                         column=cols.where("施策コード"), expected=f"{goal_no}-…（基本目標 {goal_no}）", found=code)
        plan_raw = cols.get(cells, "計画")
        plan_no = _plan_of(reg, plan_raw)
        if plan_no is None and plans_ok:
            known = "、".join(short for short, _n, _note in reg.plans.values())
            problems.add(f"計画「{text(plan_raw)}」は「計画」シートにありません" if text(plan_raw) else "計画が空欄です",
                         row=row, column=cols.where("計画"), expected=f"「計画」シートの略称（{known}）",
                         found=cell_text(plan_raw))
        measure = require_text(problems, cells, cols, "施策", row)
        priority = is_yes(cols.get(cells, "重点"))
        if priority is None:
            problems.add("重点の欄は「○」か空欄です", row=row, column=cols.where("重点"),
                         expected="○（重点施策）または空欄", found=cell_text(cols.get(cells, "重点")))
        directions = lines(cols.get(cells, "施策の方向性"))
        target = text(cols.get(cells, "計画期間終了時点の到達目標"))
        depts = departments(cols.get(cells, "担当課"))
        if priority:
            for label, value in (("施策の方向性", directions), ("計画期間終了時点の到達目標", target),
                                 ("担当課", depts)):
                if not value:
                    problems.add(f"重点施策の{label}が空欄です（実施計画に載せるため必要です）", row=row,
                                 column=cols.where(label), expected=f"{label}の記入", found="（空欄）")
        if len(problems) > before or not m or goal_no is None or plan_no is None or not goals_ok or not plans_ok:
            continue
        first[code] = row
        short, name, note = reg.plans[plan_no]
        reg.measures.append({
            "code": code, "goal_no": int(goal_no), "goal": reg.goals[int(goal_no)], "plan_no": plan_no,
            "plan": short, "plan_name": name, "plan_note": note or None, "text": measure,
            "priority": bool(priority), "vision": text(cols.get(cells, "施策の将来像")) or None,
            "directions": "\n".join(directions) or None,
            "examples": "\n".join(lines(cols.get(cells, "主な事業例"))) or None,
            "departments": "\n".join(depts) or None, "target": target or None,
            "note": text(cols.get(cells, "備考")) or None, "row": row,
        })


def _read_projects(sheet: Any, reg: _Registry, problems: Problems) -> None:
    cols = find_header(sheet, problems, PROJECTS_HEADER, PROJECTS_OPTIONAL)
    if cols is None:
        return
    codes = reg.codes_written
    first: dict[str, int] = {}
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        pid = require_text(problems, cells, cols, "事業ID", row)
        if pid in first:
            problems.add(f"事業ID「{pid}」が重複しています（{first[pid]}行目と{row}行目）", row=row,
                         column=cols.where("事業ID"), expected="事業IDは1つの事業に1つ", found=pid)
        code = text(cols.get(cells, "施策コード"))
        if not CODE_RE.match(code):
            problems.add("施策コードの書き方が違います" if code else "施策コードが空欄です", row=row,
                         column=cols.where("施策コード"), expected=CODE_EXPECTED, found=cell_text(code or None))
        elif codes is not None and code not in codes:
            problems.add(f"施策コード「{code}」は「施策」シートにありません", row=row,
                         column=cols.where("施策コード"), expected="「施策」シートにある施策コード", found=code)
        name = require_text(problems, cells, cols, "事業名", row)
        if len(problems) > before or not name:
            continue
        first[pid] = row
        reg.projects.append({
            "project_id": pid, "measure_code": code, "name": name,
            "departments": "\n".join(departments(cols.get(cells, "担当課"))) or None,
            "budget_name": text(cols.get(cells, "予算事業名")) or None, "row": row,
        })


def parse_registry(path: Path) -> _Registry:
    """Read and check the whole registry workbook; raises InputError with every problem."""
    sheets = read_sheets(path, SHEETS)
    problems = Problems(path)
    by_sheet = {name: Problems(path, sheet=name) for name in SHEETS}
    reg = _Registry()
    _read_philosophy(sheets[SHEET_PHILOSOPHY], reg, by_sheet[SHEET_PHILOSOPHY])
    _read_goals(sheets[SHEET_GOALS], reg, by_sheet[SHEET_GOALS])
    _read_plans(sheets[SHEET_PLANS], reg, by_sheet[SHEET_PLANS])
    goals_ok, plans_ok = not by_sheet[SHEET_GOALS], not by_sheet[SHEET_PLANS]
    _read_measures(sheets[SHEET_MEASURES], reg, by_sheet[SHEET_MEASURES], goals_ok, plans_ok)
    _read_projects(sheets[SHEET_PROJECTS], reg, by_sheet[SHEET_PROJECTS])
    for name in SHEETS:
        problems.extend(by_sheet[name].all())
    problems.raise_if_any()
    return reg


# -------------------------------------------------------------------------------- the readers


def _outline_frame(reg: _Registry) -> pd.DataFrame:
    rows = [("基本理念", None, line, None, None) for line in reg.philosophy]
    rows += [("基本目標", n, name, None, None) for n, name in sorted(reg.goals.items())]
    rows += [("計画", n, name, short, note or None) for n, (short, name, note) in sorted(reg.plans.items())]
    cols = ("kind", "number", "name", "short_name", "note")
    return typed_frame(OUTLINE_SCHEMA, {c: [r[i] for r in rows] for i, c in enumerate(cols)})


def _records_frame(schema: LazySchema, records: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_frame(schema, {c: [r[c] for r in records] for c in schema.columns})


@lru_cache(maxsize=8)
def _parsed(path_text: str, _digest: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    path = Path(path_text)
    reg = parse_registry(path)
    return (
        validate_frame(OUTLINE_SCHEMA, _outline_frame(reg), path),
        validate_frame(MEASURES_SCHEMA, _records_frame(MEASURES_SCHEMA, reg.measures), path),
        validate_frame(PROJECTS_SCHEMA, _records_frame(PROJECTS_SCHEMA, reg.projects), path),
    )


def _read(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    p = Path(path)
    digest = sha256(p) if p.is_file() else ""
    return tuple(f.copy() for f in _parsed(str(p), digest))  # type: ignore[return-value]


def read_registry_outline(path: str | Path) -> pd.DataFrame:
    """Sheets 基本理念, 基本目標, 計画 → ``kind, number, name, short_name, note`` (基本理念: one row per
    line, no number; 基本目標: number and name; 計画: number, 計画名 as name, 略称, 補足). The whole
    workbook is checked."""
    return _read(path)[0]


def read_registry_measures(path: str | Path) -> pd.DataFrame:
    """Sheet 施策 → one row per 施策 with its 基本目標 (number, name) and 計画 (number, 略称, 計画名,
    補足); multi-item cells (方向性, 主な事業例, 担当課) one item per line. The whole workbook is checked."""
    return _read(path)[1]


def read_registry_projects(path: str | Path) -> pd.DataFrame:
    """Sheet 事業 → ``project_id, measure_code, name, departments, budget_name, row``. The whole
    workbook is checked (every 事業 under a 施策 of the 施策 sheet)."""
    return _read(path)[2]
