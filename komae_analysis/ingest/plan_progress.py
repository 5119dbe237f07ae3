"""Progress records of the running plans (the city's evaluation workbook) → the tidy frames
``plan_progress_scale`` (the rating scale), ``plan_progress_ratings`` (each 事業's yearly
self-evaluation) and ``plan_progress_indicators`` (each indicator with its 実績 by fiscal year).

Layout (data/raw/README.md, ``plan_progress/``): sheets 評価区分 (the scale, best first, and which
ratings count as 遅れ), 事業評価 (年度, 事業ID, 事業名, 取組実績, 評価) and 指標 (指標ID, 事業ID,
指標名, 単位, 方向, 基準値, 基準年度, 目標値, 目標年度, then one column per fiscal year of 実績値,
headed 令和3年度 …). The scale is the workbook's own (A–D, ◎○△× …): a rating not on the 評価区分
sheet is an error. Each indicator states its unit and its direction (高いほど良い / 低いほど良い):
nothing is guessed. A 実績 not yet known is an empty cell or 「－」 (missing, never zero).

Whether each 事業ID is in the 施策 registry is checked across the workbooks by ``komae registry
check`` (:mod:`~komae_analysis.ingest.plan_check`) and by the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.fileio import sha256
from komae_analysis.ingest.common import (
    CountError,
    Problems,
    cell_text,
    clean_label,
    column_letter,
    parse_count,
    read_sheets,
)
from komae_analysis.ingest.frames import LazySchema, text_column, typed_frame, validate_frame
from komae_analysis.ingest.plan_sheets import (
    FY_EXPECTED,
    Columns,
    find_header,
    fiscal_year,
    fy_label,
    is_yes,
    require_fy,
    require_text,
    sheet_records,
    text,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

SHEET_SCALE = "評価区分"
SHEET_RATINGS = "事業評価"
SHEET_INDICATORS = "指標"
SHEETS = (SHEET_SCALE, SHEET_RATINGS, SHEET_INDICATORS)

SCALE_HEADER = ("評価", "説明", "遅れ")
RATINGS_HEADER = ("年度", "事業ID", "事業名", "取組実績", "評価")
INDICATORS_HEADER = ("指標ID", "事業ID", "指標名", "単位", "方向", "基準値", "基準年度", "目標値", "目標年度")
INDICATOR_ALIASES = {"方向": ("指標の方向",)}

HIGHER = "高いほど良い"
LOWER = "低いほど良い"
DIRECTIONS = (HIGHER, LOWER)
_DIRECTION_WORDS = {
    HIGHER: HIGHER, "高い方が良い": HIGHER, "上昇": HIGHER, "増加": HIGHER, "↑": HIGHER,
    LOWER: LOWER, "低い方が良い": LOWER, "低下": LOWER, "減少": LOWER, "↓": LOWER,
}


# ------------------------------------------------------------------------------------ schemas


def _scale_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "rating": text_column(pa.Check.str_length(min_value=1)),
            "description": text_column(nullable=True),
            "rank": pa.Column("int64", checks=pa.Check.ge(1)),
            "behind": pa.Column("bool"),
        },
        strict=True, ordered=True, unique=["rating"], name="plan_progress_scale",
    )


def _ratings_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "project_id": text_column(pa.Check.str_length(min_value=1)),
            "project_name": text_column(nullable=True),
            "result": text_column(nullable=True),
            "rating": text_column(pa.Check.str_length(min_value=1)),
            "rank": pa.Column("int64", checks=pa.Check.ge(1)),
            "behind": pa.Column("bool"),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True, ordered=True, unique=["fiscal_year", "project_id"], name="plan_progress_ratings",
    )


def _indicators_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "indicator_id": text_column(pa.Check.str_length(min_value=1)),
            "project_id": text_column(pa.Check.str_length(min_value=1)),
            "name": text_column(pa.Check.str_length(min_value=1)),
            "unit": text_column(pa.Check.str_length(min_value=1)),
            "direction": text_column(pa.Check.isin(DIRECTIONS)),
            "base_value": pa.Column("Float64", nullable=True),
            "base_fy": pa.Column("Int64", nullable=True),
            "target_value": pa.Column("Float64", nullable=False),
            "target_fy": pa.Column("int64"),
            "fiscal_year": pa.Column("int64", checks=pa.Check.in_range(1989, 2100)),
            "actual": pa.Column("Float64", nullable=True),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
        },
        strict=True, ordered=True, unique=["indicator_id", "fiscal_year"], name="plan_progress_indicators",
    )


SCALE_SCHEMA = LazySchema(_scale_schema)
RATINGS_SCHEMA = LazySchema(_ratings_schema)
INDICATORS_SCHEMA = LazySchema(_indicators_schema)


# ------------------------------------------------------------------------------------ parsing


@dataclass
class _Progress:
    scale: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)


def _value(problems: Problems, raw: Any, row: int, column: str, *, required: bool) -> float | None:
    """A number (fractions and negatives allowed); 「－」 or empty → missing unless ``required``."""
    try:
        v = parse_count(raw, dash="missing", empty="missing", allow_negative=True, allow_fraction=True,
                        allow_missing=True)
    except CountError as e:
        problems.add(e.message, row=row, column=column, expected="数値（未確定は空欄か「－」）", found=cell_text(raw))
        return None
    if v is None and required:
        problems.add("値が空欄です", row=row, column=column, expected="数値", found=cell_text(raw))
    return None if v is None else float(v)


def _read_scale(sheet: Any, out: _Progress, problems: Problems) -> None:
    cols = find_header(sheet, problems, SCALE_HEADER)
    if cols is None:
        return
    seen: dict[str, int] = {}
    for row, cells in sheet_records(sheet, cols):
        rating = clean_label(cols.get(cells, "評価"))
        if not rating:
            problems.add("評価が空欄です", row=row, column=cols.where("評価"), expected="評価の記号（例: A、◎）",
                         found="（空欄）")
            continue
        if rating in seen:
            problems.add(f"評価「{rating}」が2回あります（{seen[rating]}行目と{row}行目）", row=row,
                         column=cols.where("評価"), expected="評価の記号は1回ずつ", found=rating)
            continue
        behind = is_yes(cols.get(cells, "遅れ"))
        if behind is None:
            problems.add("遅れの欄は「○」か空欄です", row=row, column=cols.where("遅れ"),
                         expected="○（遅れとみなす評価）または空欄", found=cell_text(cols.get(cells, "遅れ")))
            continue
        seen[rating] = row
        out.scale.append({"rating": rating, "description": text(cols.get(cells, "説明")) or None,
                          "rank": len(out.scale) + 1, "behind": bool(behind)})
    if len(out.scale) < 2:
        problems.add("評価区分が2つ以上必要です", row=cols.row + 1, column=cols.where("評価"),
                     expected="良い順に2つ以上（例: A、B、C、D）", found=f"{len(out.scale)}件")


def _read_ratings(sheet: Any, out: _Progress, problems: Problems, scale_ok: bool) -> None:
    cols = find_header(sheet, problems, RATINGS_HEADER)
    if cols is None:
        return
    scale = {s["rating"]: s for s in out.scale}
    seen: dict[tuple[int, str], int] = {}
    for row, cells in sheet_records(sheet, cols):
        before = len(problems)
        fy = require_fy(problems, cells, cols, "年度", row)
        pid = require_text(problems, cells, cols, "事業ID", row)
        raw = cols.get(cells, "評価")
        rating = clean_label(raw)
        if not rating:
            problems.add("評価が空欄です", row=row, column=cols.where("評価"),
                         expected="「評価区分」シートの記号（" + "、".join(scale) + "）", found="（空欄）")
        elif scale_ok and rating not in scale:
            problems.add(f"評価「{rating}」は評価区分にありません", row=row, column=cols.where("評価"),
                         expected="「評価区分」シートの記号（" + "、".join(scale) + "）", found=cell_text(raw))
        if fy is not None and pid and (fy, pid) in seen:
            problems.add(f"{fy_label(fy)}の事業ID「{pid}」の評価が2行あります（{seen[(fy, pid)]}行目と{row}行目）",
                         row=row, column=cols.where("事業ID"), expected="年度ごとに1事業1行", found=pid)
        if len(problems) > before or not scale_ok:
            continue
        seen[(fy, pid)] = row
        s = scale[rating]
        out.ratings.append({"fiscal_year": fy, "project_id": pid, "project_name": text(cols.get(cells, "事業名")) or None,
                            "result": text(cols.get(cells, "取組実績")) or None, "rating": rating,
                            "rank": s["rank"], "behind": s["behind"], "row": row})


def _direction(problems: Problems, cells: list[Any], cols: Columns, row: int) -> str | None:
    raw = cols.get(cells, "方向")
    t = clean_label(raw)
    if not t:
        problems.add("指標の方向が空欄です（高いほど良いか低いほど良いかを記入してください）", row=row,
                     column=cols.where("方向"), expected=f"{HIGHER} または {LOWER}", found="（空欄）")
        return None
    d = _DIRECTION_WORDS.get(t)
    if d is None:
        problems.add("指標の方向の書き方が違います", row=row, column=cols.where("方向"),
                     expected=f"{HIGHER} または {LOWER}", found=cell_text(raw))
    return d


def _year_columns(sheet: Any, cols: Columns, problems: Problems) -> dict[int, tuple[int, str]]:
    """The 実績 columns of the 指標 sheet: every header cell that is a fiscal year → (index, label)."""
    header = dict(sheet.rows)[cols.row]
    fixed = set(cols.index.values())
    years: dict[int, tuple[int, str]] = {}
    for i, cell in enumerate(header):
        if i in fixed or not clean_label(cell):
            continue
        fy = fiscal_year(cell)
        if fy is None:
            continue
        if fy in years:
            problems.add(f"実績の年度の列「{cell_text(cell)}」が2つあります", row=cols.row,
                         column=f"{cell_text(cell)}", expected="年度ごとに1列", found=cell_text(cell))
            continue
        years[fy] = (i, cell_text(cell))
    if not years:
        problems.add("実績値の年度の列がありません", row=cols.row,
                     expected="目標年度の右に年度ごとの実績の列（例: 令和6年度、令和7年度）",
                     found=" | ".join(cell_text(c) for c in header if clean_label(c)))
    return dict(sorted(years.items()))


def _read_indicators(sheet: Any, out: _Progress, problems: Problems) -> None:
    cols = find_header(sheet, problems, INDICATORS_HEADER, aliases=INDICATOR_ALIASES)
    if cols is None:
        return
    years = _year_columns(sheet, cols, problems)
    seen: dict[str, int] = {}
    for row, values in sheet_records(sheet, cols):
        cells = list(values) + [None] * (max((i for i, _l in years.values()), default=0) + 1 - len(values))
        before = len(problems)
        iid = require_text(problems, cells, cols, "指標ID", row)
        if iid in seen:
            problems.add(f"指標ID「{iid}」が重複しています（{seen[iid]}行目と{row}行目）", row=row,
                         column=cols.where("指標ID"), expected="指標IDは1つの指標に1つ", found=iid)
        pid = require_text(problems, cells, cols, "事業ID", row)
        name = require_text(problems, cells, cols, "指標名", row)
        unit = text(cols.get(cells, "単位"))
        if not unit:
            problems.add("指標の単位が空欄です", row=row, column=cols.where("単位"),
                         expected="単位（例: 件、人、％、回）", found="（空欄）")
        direction = _direction(problems, cells, cols, row)
        base = _value(problems, cols.get(cells, "基準値"), row, cols.where("基準値"), required=False)
        base_fy_raw = cols.get(cells, "基準年度")
        base_fy = fiscal_year(base_fy_raw)
        if base is not None and base_fy is None:
            problems.add("基準年度の書き方が違います" if text(base_fy_raw) else "基準値があるのに基準年度が空欄です",
                         row=row, column=cols.where("基準年度"), expected=FY_EXPECTED, found=cell_text(base_fy_raw))
        target = _value(problems, cols.get(cells, "目標値"), row, cols.where("目標値"), required=True)
        target_fy = require_fy(problems, cells, cols, "目標年度", row)
        reversed_target = None not in (base, target, direction) and (
            (direction == HIGHER and target < base) or (direction == LOWER and target > base))
        if reversed_target:
            problems.add(f"目標値が方向（{direction}）と逆です（基準値 {cell_text(base)}、目標値 {cell_text(target)}）",
                         row=row, column=cols.where("方向"),
                         expected="高いほど良い指標は基準値以上の目標、低いほど良い指標は基準値以下の目標",
                         found=direction)
        actuals = {}
        for fy, (i, label) in years.items():
            actuals[fy] = _value(problems, cells[i], row, f"{label}（{column_letter(i)}列）", required=False)
        if len(problems) > before:
            continue
        seen[iid] = row
        for fy, actual in actuals.items():
            out.indicators.append({
                "indicator_id": iid, "project_id": pid, "name": name, "unit": unit, "direction": direction,
                "base_value": base, "base_fy": base_fy, "target_value": target, "target_fy": target_fy,
                "fiscal_year": fy, "actual": actual, "row": row,
            })


def parse_progress(path: Path) -> _Progress:
    """Read and check the whole progress workbook; raises InputError with every problem."""
    sheets = read_sheets(path, SHEETS)
    problems = Problems(path)
    by_sheet = {name: Problems(path, sheet=name) for name in SHEETS}
    out = _Progress()
    _read_scale(sheets[SHEET_SCALE], out, by_sheet[SHEET_SCALE])
    _read_ratings(sheets[SHEET_RATINGS], out, by_sheet[SHEET_RATINGS], not by_sheet[SHEET_SCALE])
    _read_indicators(sheets[SHEET_INDICATORS], out, by_sheet[SHEET_INDICATORS])
    for name in SHEETS:
        problems.extend(by_sheet[name].all())
    problems.raise_if_any()
    return out


def _frame(schema: LazySchema, records: list[dict[str, Any]]) -> pd.DataFrame:
    return typed_frame(schema, {c: [r[c] for r in records] for c in schema.columns})


@lru_cache(maxsize=8)
def _parsed(path_text: str, _digest: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    path = Path(path_text)
    out = parse_progress(path)
    return (
        validate_frame(SCALE_SCHEMA, _frame(SCALE_SCHEMA, out.scale), path),
        validate_frame(RATINGS_SCHEMA, _frame(RATINGS_SCHEMA, out.ratings), path),
        validate_frame(INDICATORS_SCHEMA, _frame(INDICATORS_SCHEMA, out.indicators), path),
    )


def _read(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    p = Path(path)
    digest = sha256(p) if p.is_file() else ""
    return tuple(f.copy() for f in _parsed(str(p), digest))  # type: ignore[return-value]


def read_progress_scale(path: str | Path) -> pd.DataFrame:
    """Sheet 評価区分 → ``rating, description, rank`` (1 = best) ``, behind``. Checks the whole workbook."""
    return _read(path)[0]


def read_progress_ratings(path: str | Path) -> pd.DataFrame:
    """Sheet 事業評価 → one row per 事業 and fiscal year with its rating (and the rating's rank and
    遅れ flag from the scale). Checks the whole workbook."""
    return _read(path)[1]


def read_progress_indicators(path: str | Path) -> pd.DataFrame:
    """Sheet 指標 → one row per indicator and fiscal-year column, ``actual`` missing where no 実績 is
    written yet. Checks the whole workbook."""
    return _read(path)[2]
