"""The 実施計画 workbook (あいとぴあレインボープラン実施計画, one edition per July revision, all kept in one
workbook) → the tidy frames ``implementation_plan_lines`` (取組内容 per edition and 取組状況) and
``implementation_plan_budget`` (the 予算事業 and 事業費 of each 重点施策 and fiscal year).

Layout (data/raw/README.md, ``implementation_plan/``): sheets
- 取組内容: 改定年度 | 施策コード | 年度 | 取組内容 — one line of work per row, as each edition planned
  it: the edition of 改定年度 Y holds the lines of Y, Y+1 and Y+2 (Y+1 and Y+2 are 見込);
- 事業費: 施策コード | 年度 | 予算事業名 | 担当課 | 事業費（千円） — the budget 事業 related to a 施策 in a
  fiscal year, with its 当初予算 (千円, 人件費 excluded); the edition of year Y prints the year-Y rows;
- 取組状況: 施策コード | 年度 | 取組状況 — one line of results per row, written after the year ends
  (the results of year Y appear from the edition of Y+1).

Checked: labels present; fiscal years readable; a 取組内容 year inside its edition's three years; the
事業費 header in 千円 (a header in 円 is refused) and every 事業費 a whole number; no 取組状況 for a
year whose edition of the following year is not there yet (a future year). Whether each 施策コード is
a 重点施策 of the registry is checked across the workbooks (``komae registry check``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.fileio import sha256
from komae_analysis.ingest.common import Problems, cell_text, clean_label, read_sheets
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame
from komae_analysis.ingest.plan_registry import CODE_EXPECTED, CODE_RE
from komae_analysis.ingest.plan_sheets import (
    departments,
    find_header,
    fy_label,
    require_fy,
    require_text,
    sheet_records,
    text,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

SHEET_WORK = "取組内容"
SHEET_BUDGET = "事業費"
SHEET_STATUS = "取組状況"
SHEETS = (SHEET_WORK, SHEET_BUDGET, SHEET_STATUS)

WORK_HEADER = ("改定年度", "施策コード", "年度", "取組内容")
COST_LABEL = "事業費（千円）"
BUDGET_HEADER = ("施策コード", "年度", "予算事業名", "担当課", COST_LABEL)
STATUS_HEADER = ("施策コード", "年度", "取組状況")
KINDS = ("取組内容", "取組状況")
#: An edition covers its own fiscal year and the next two.
WINDOW = 3


# ------------------------------------------------------------------------------------ schemas


def _lines_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "kind": text_column(pa.Check.isin(KINDS)),
            "revision_fy": pa.Column("Int64", nullable=True),
            "measure_code": text_column(pa.Check.str_matches(CODE_RE.pattern)),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "line_no": pa.Column("int64", checks=pa.Check.ge(1)),
            "text": text_column(pa.Check.str_length(min_value=1)),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True, ordered=True, name="implementation_plan_lines",
    )


def _budget_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "measure_code": text_column(pa.Check.str_matches(CODE_RE.pattern)),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "budget_name": text_column(pa.Check.str_length(min_value=1)),
            "departments": text_column(nullable=True),
            "cost": pa.Column("int64", checks=pa.Check.ge(0)),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True, ordered=True, unique=["measure_code", "fiscal_year", "budget_name"],
        name="implementation_plan_budget",
    )


LINES_SCHEMA = LazySchema(_lines_schema)
BUDGET_SCHEMA = LazySchema(_budget_schema)


# ------------------------------------------------------------------------------------ parsing


@dataclass
class _Plan:
    lines: list[dict[str, Any]] = field(default_factory=list)
    budget: list[dict[str, Any]] = field(default_factory=list)

    @property
    def editions(self) -> list[int]:
        return sorted({r["revision_fy"] for r in self.lines if r["kind"] == "取組内容"})


def _code(problems: Problems, cells: list[Any], cols: Any, row: int) -> str | None:
    code = text(cols.get(cells, "施策コード"))
    if not CODE_RE.match(code):
        problems.add("施策コードの書き方が違います" if code else "施策コードが空欄です", row=row,
                     column=cols.where("施策コード"), expected=CODE_EXPECTED, found=cell_text(code or None))
        return None
    return code


def _numbered(records: list[dict[str, Any]], key: tuple[str, ...]) -> None:
    counts: dict[tuple, int] = {}
    for r in records:
        k = tuple(r[c] for c in key)
        counts[k] = counts.get(k, 0) + 1
        r["line_no"] = counts[k]


def _read_work(sheet: Any, out: _Plan, problems: Problems) -> None:
    cols = find_header(sheet, problems, WORK_HEADER)
    if cols is None:
        return
    records = []
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        edition = require_fy(problems, cells, cols, "改定年度", row)
        code = _code(problems, cells, cols, row)
        fy = require_fy(problems, cells, cols, "年度", row)
        line = require_text(problems, cells, cols, "取組内容", row)
        if edition is not None and fy is not None and not edition <= fy < edition + WINDOW:
            problems.add(f"年度が{fy_label(edition)}改定の計画期間（3年間）の外です", row=row,
                         column=cols.where("年度"),
                         expected=f"{fy_label(edition)}～{fy_label(edition + WINDOW - 1)}", found=fy_label(fy))
        if len(problems) > before:
            continue
        records.append({"kind": "取組内容", "revision_fy": edition, "measure_code": code, "fiscal_year": fy,
                        "text": line, "row": row})
    _numbered(records, ("revision_fy", "measure_code", "fiscal_year"))
    out.lines.extend(records)


def _cost_header(sheet: Any, problems: Problems) -> Any:
    """The 事業費 sheet's header; a 事業費 column in another unit than 千円 is named as such."""
    cols = find_header(sheet, problems, BUDGET_HEADER, aliases={COST_LABEL: ("事業費(千円)",)})
    if cols is not None:
        return cols
    for row, values in sheet.rows[:20]:
        for cell in values:
            label = clean_label(cell)
            if label.startswith("事業費") and label != clean_label(COST_LABEL):
                problems.add("事業費の単位が千円ではありません（列名に単位を「事業費（千円）」と書いてください）",
                             row=row, column=f"{cell_text(cell)}", expected=COST_LABEL, found=cell_text(cell))
    return None


def _read_budget(sheet: Any, out: _Plan, problems: Problems) -> None:
    cols = _cost_header(sheet, problems)
    if cols is None:
        return
    seen: dict[tuple, int] = {}
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        code = _code(problems, cells, cols, row)
        fy = require_fy(problems, cells, cols, "年度", row)
        name = require_text(problems, cells, cols, "予算事業名", row)
        raw = cols.get(cells, COST_LABEL)
        cost = problems.count(raw, row=row, column=cols.where(COST_LABEL), dash="error")
        key = (code, fy, name)
        if None not in key and key in seen:
            problems.add(f"同じ年度・施策の予算事業「{name}」が2行あります（{seen[key]}行目と{row}行目）", row=row,
                         column=cols.where("予算事業名"), expected="年度・施策ごとに予算事業は1行", found=name)
        if len(problems) > before:
            continue
        seen[key] = row
        out.budget.append({"measure_code": code, "fiscal_year": fy, "budget_name": name,
                           "departments": "\n".join(departments(cols.get(cells, "担当課"))) or None,
                           "cost": int(cost), "row": row})


def _read_status(sheet: Any, out: _Plan, problems: Problems, work_ok: bool) -> None:
    cols = find_header(sheet, problems, STATUS_HEADER)
    if cols is None:
        return
    latest = max(out.editions, default=None)
    records = []
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        code = _code(problems, cells, cols, row)
        fy = require_fy(problems, cells, cols, "年度", row)
        line = require_text(problems, cells, cols, "取組状況", row)
        if fy is not None and work_ok and (latest is None or fy >= latest):
            latest_text = f"最新の改定は{fy_label(latest)}" if latest is not None else "改定の取組内容がありません"
            problems.add(
                f"{fy_label(fy)}の取組状況は、まだ記入できない年度のものです（取組状況は年度が終わった後、"
                f"翌年度の改定で記入します。{latest_text}）",
                row=row, column=cols.where("年度"),
                expected=f"{fy_label(latest - 1)}以前" if latest is not None else "前年度以前", found=fy_label(fy))
        if len(problems) > before:
            continue
        records.append({"kind": "取組状況", "revision_fy": None, "measure_code": code, "fiscal_year": fy,
                        "text": line, "row": row})
    _numbered(records, ("measure_code", "fiscal_year"))
    out.lines.extend(records)


def parse_plan(path: Path) -> _Plan:
    """Read and check the whole 実施計画 workbook; raises InputError with every problem."""
    sheets = read_sheets(path, SHEETS)
    problems = Problems(path)
    by_sheet = {name: Problems(path, sheet=name) for name in SHEETS}
    out = _Plan()
    _read_work(sheets[SHEET_WORK], out, by_sheet[SHEET_WORK])
    _read_budget(sheets[SHEET_BUDGET], out, by_sheet[SHEET_BUDGET])
    _read_status(sheets[SHEET_STATUS], out, by_sheet[SHEET_STATUS], not by_sheet[SHEET_WORK])
    for name in SHEETS:
        problems.extend(by_sheet[name].all())
    problems.raise_if_any()
    return out


def _frame(schema: LazySchema, records: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_frame(schema, {c: [r[c] for r in records] for c in schema.columns})


@lru_cache(maxsize=8)
def _parsed(path_text: str, _digest: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = Path(path_text)
    out = parse_plan(path)
    return (
        validate_frame(LINES_SCHEMA, _frame(LINES_SCHEMA, out.lines), path),
        validate_frame(BUDGET_SCHEMA, _frame(BUDGET_SCHEMA, out.budget), path),
    )


def _read(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    p = Path(path)
    digest = sha256(p) if p.is_file() else ""
    lines, budget = _parsed(str(p), digest)
    return lines.copy(), budget.copy()


def read_plan_lines(path: str | Path) -> pd.DataFrame:
    """Sheets 取組内容 and 取組状況 → ``kind, revision_fy`` (the edition; NA for 取組状況) ``,
    measure_code, fiscal_year, line_no, text, row``. Checks the whole workbook."""
    return _read(path)[0]


def read_plan_budget(path: str | Path) -> pd.DataFrame:
    """Sheet 事業費 → ``measure_code, fiscal_year, budget_name, departments, cost`` (千円) ``, row``.
    Checks the whole workbook."""
    return _read(path)[1]
