"""東京都総務局統計部「住民基本台帳による東京都の世帯と人口」第7表 (区市町村 × 5歳階級 × 日本人/外国人
× 男女, CSV) → the tidy frame ``tokyo_juki_age5``: its schema and its reader.

The layout is described in data/raw/README.md (``tokyo_juki_age5/``). The reader runs in named
steps: header detection, row classification and value parsing (one row at a time), the title line
with the reference date, the checks across rows (each area's ages and sums, parts adding up to their
parent area), and the typed, validated frame.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import parse_wareki, wareki_date
from komae_analysis.ingest.common import (
    Problems,
    cell_text,
    check_header,
    clean_label,
    is_blank_row,
    read_csv_rows,
)
from komae_analysis.ingest.frames import (
    NATIONALITIES,
    SEXES,
    LazySchema,
    age_order,
    count_column,
    date_column,
    text_column,
    typed_frame,
    validate_frame,
)
from komae_analysis.reference import TokyoArea, tokyo_areas

if TYPE_CHECKING:
    import pandera.pandas as pa


# ------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
            "area_code": text_column(pa.Check.str_matches(r"^13\d{3}$")),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "age_from": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
            "age_to": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
            "sex": text_column(pa.Check.isin(SEXES)),
            "nationality": text_column(pa.Check.isin(NATIONALITIES)),
            "population": count_column(),
        },
        checks=[pa.Check(age_order, error="age_to < age_from")],
        strict=True,
        ordered=True,
        unique=["date", "area_code", "age_from", "sex", "nationality"],
        name="tokyo_juki_age5",
    )


SCHEMA = LazySchema(_schema)


# ------------------------------------------------------------------------------------- layout

TOKYO_TITLE = "住民基本台帳による東京都の世帯と人口"
TOKYO_HEADER = (
    "地域階層",
    "地域コード",
    "地域",
    "年齢階層",
    "年齢",
    "総数／計(人)",
    "総数／男(人)",
    "総数／女(人)",
    "日本人／計(人)",
    "日本人／男(人)",
    "日本人／女(人)",
    "外国人／計(人)",
    "外国人／男(人)",
    "外国人／女(人)",
)
TOKYO_COUNTS = TOKYO_HEADER[5:]
_SEX_SUMS = (  # (計, 男, 女) per group: 男+女 = 計
    ("総数／計(人)", "総数／男(人)", "総数／女(人)"),
    ("日本人／計(人)", "日本人／男(人)", "日本人／女(人)"),
    ("外国人／計(人)", "外国人／男(人)", "外国人／女(人)"),
)
_NAT_SUMS = (  # (総数, 日本人, 外国人) per sex: 日本人+外国人 = 総数
    ("総数／計(人)", "日本人／計(人)", "外国人／計(人)"),
    ("総数／男(人)", "日本人／男(人)", "外国人／男(人)"),
    ("総数／女(人)", "日本人／女(人)", "外国人／女(人)"),
)
_OUT = (  # the detail cells of the tidy frame: (sex, nationality, column)
    ("男", "日本人", "日本人／男(人)"),
    ("女", "日本人", "日本人／女(人)"),
    ("男", "外国人", "外国人／男(人)"),
    ("女", "外国人", "外国人／女(人)"),
)

_AGE_RANGE_RE = re.compile(r"^(\d+)(?:歳)?[~〜～\-](\d+)(?:歳)?$")
_AGE_OPEN_RE = re.compile(r"^(\d+)(?:歳)?以上$")
_AGE_UNKNOWN = ("不詳者", "不詳", "年齢不詳")
_FILE_NAME_RE = re.compile(r"dai7hyo_age5_(\d{4})(\d{2})\.csv$")


@dataclass
class _TokyoRow:
    line: int
    level: int
    code: str
    name: str
    is_total: bool
    age_label: str  # normalised (NFKC): the key
    age_shown: str  # as written in the file: for messages
    age_from: int | None
    age_to: int | None
    counts: dict[str, int]


# -------------------------------------------------------------------------------- the reader


def read_tokyo_juki_age5(path: str | Path) -> pd.DataFrame:
    """東京都 第7表 (区市町村 × 5歳階級 × 日本人/外国人 × 男女) → tidy long frame.

    Columns ``date, area_level, area_code, area_name, age_from, age_to, sex, nationality,
    population``: detail rows only (男/女 × 日本人/外国人; no 総数/計 rows); ``100以上`` has ``age_to``
    NA; 不詳者 is kept only where non-zero, with ``age_from``/``age_to`` NA. ``date`` is the first day
    of the month in the footer title line (令和8年1月 → 2026-01-01). "-" is zero (the table says so).

    Checks: header on line 1; known area code with the matching name and level
    (reference/tokyo_areas.csv); no duplicated (area, age) row; counts are non-negative integers;
    男+女=計 and 日本人+外国人=総数 on every row; each area's age rows cover all ages once and add up
    to its own total row; areas add up to their parent area when all its parts are present; the
    title line with the date is present; a date in the file name (``dai7hyo_age5_YYYYMM.csv``) agrees.
    """
    path = Path(path)
    rows = read_csv_rows(path).rows
    problems = Problems(path)
    mapping = _header(rows, problems)
    end = _data_end(rows)
    parsed, bad_areas = _parse_rows(rows[1:end], mapping, problems)
    date = _title_date(rows[end:], path, problems)
    area_totals = _check_areas(parsed, bad_areas, problems)
    _check_parent_sums(area_totals, problems)
    if not parsed and not problems:
        problems.add(
            "データ行がありません", row=2, expected="見出しの次の行から地域・年齢ごとの行", found="なし"
        )
    problems.raise_if_any()
    assert date is not None
    return _frame(parsed, date, path)


# ------------------------------------------------------------------ step 1: header and extent


def _header(rows: list[tuple[int, list[str]]], problems: Problems) -> dict[str, int]:
    """The 14-column header on line 1 (label → column index); raises when it is not there."""
    mapping = check_header(problems, rows, TOKYO_HEADER, 1)
    problems.raise_if_any()
    assert mapping is not None
    return mapping


def _data_end(rows: list[tuple[int, list[str]]]) -> int:
    """Index of the row of empty cells that ends the data (the footer follows it), or len(rows)."""
    for idx, (_line, cells) in enumerate(rows):
        if idx > 0 and is_blank_row(cells):
            return idx
    return len(rows)


# -------------------------------------------------- step 2: row classification, value parsing


def _parse_rows(
    data: Sequence[tuple[int, list[str]]], mapping: dict[str, int], problems: Problems
) -> tuple[list[_TokyoRow], set[str]]:
    """Every data row checked on its own; the rows read cleanly, and the areas with a bad row."""
    ref = tokyo_areas()
    parsed: list[_TokyoRow] = []
    bad_areas: set[str] = set()
    for line, cells in data:
        if len(cells) < len(TOKYO_HEADER):
            problems.add(
                f"列の数が足りません（{len(TOKYO_HEADER)}列のはずが{len(cells)}列）",
                row=line,
                expected=f"{len(TOKYO_HEADER)}列",
                found=f"{len(cells)}列",
            )
            code_col = mapping["地域コード"]
            bad_areas.add(clean_label(cells[code_col]) if len(cells) > code_col else "")
            continue
        row = _parse_row(line, {label: cells[i] for label, i in mapping.items()}, ref, problems)
        if row is None:
            bad_areas.add(clean_label(cells[mapping["地域コード"]]))
            continue
        if not _row_sums_agree(row, problems):
            bad_areas.add(row.code)
        parsed.append(row)
    return parsed, bad_areas


def _parse_row(line: int, at: dict[str, Any], ref: dict[str, TokyoArea], problems: Problems) -> _TokyoRow | None:
    """One data row: its area, its kind (総数 row or age class) and its counts; None when any is bad."""
    before = len(problems)
    code = clean_label(at["地域コード"])
    name = clean_label(at["地域"])
    level, age_level = _levels(line, at, problems)
    _check_area(line, code, name, level, at["地域コード"], ref, problems)
    age_label = clean_label(at["年齢"])
    age_from, age_to = _age_class(line, age_level, age_label, at["年齢"], problems)
    counts: dict[str, int] = {}
    for col in TOKYO_COUNTS:
        value = problems.count(at[col], row=line, column=col, dash="zero")
        if value is not None:
            counts[col] = int(value)
    if len(problems) > before:
        return None
    assert level is not None and age_level is not None
    age_shown = str(at["年齢"]).strip(" \u3000")
    return _TokyoRow(line, level, code, name, age_level == 0, age_label, age_shown, age_from, age_to, counts)


def _levels(line: int, at: dict[str, Any], problems: Problems) -> tuple[int | None, int | None]:
    """地域階層 (0–4) and 年齢階層 (0 総数, 1 明細); None where not valid."""
    level = problems.count(at["地域階層"], row=line, column="地域階層", dash="error")
    age_level = problems.count(at["年齢階層"], row=line, column="年齢階層", dash="error")
    if level is not None and level not in (0, 1, 2, 3, 4):
        problems.add("地域階層は0～4のいずれかです", row=line, column="地域階層", expected="0～4", found=level)
        level = None
    if age_level is not None and age_level not in (0, 1):
        problems.add(
            "年齢階層は0（総数）か1（明細）です",
            row=line,
            column="年齢階層",
            expected="0 または 1",
            found=age_level,
        )
        age_level = None
    return (None if level is None else int(level)), (None if age_level is None else int(age_level))


def _check_area(
    line: int,
    code: str,
    name: str,
    level: int | None,
    raw_code: Any,
    ref: dict[str, TokyoArea],
    problems: Problems,
) -> None:
    """A known 5-digit area code, with the name and level the reference list gives it."""
    if not re.fullmatch(r"\d{5}", code):
        problems.add(
            "地域コードは5桁の数字です",
            row=line,
            column="地域コード",
            expected="5桁の数字（例: 13219）",
            found=cell_text(raw_code),
        )
        return
    if code not in ref:
        problems.add(
            f"地域コード「{code}」は東京都の地域コードにありません",
            row=line,
            column="地域コード",
            expected="reference/tokyo_areas.csv にある地域コード",
            found=code,
        )
        return
    area = ref[code]
    if name != area.name:
        problems.add(
            f"地域名が地域コード「{code}」と合いません", row=line, column="地域", expected=area.name, found=name
        )
    if level is not None and level != area.level:
        problems.add(
            f"地域階層が地域コード「{code}」（{area.name}）と合いません",
            row=line,
            column="地域階層",
            expected=area.level,
            found=level,
        )


def _age_class(
    line: int, age_level: int | None, label: str, raw: Any, problems: Problems
) -> tuple[int | None, int | None]:
    """The (age_from, age_to) of a detail row; (None, None) for a 総数 row or a bad label."""
    if age_level == 0:
        if label != "総数":
            problems.add(
                "年齢階層0（総数）の行の年齢は「総数」です", row=line, column="年齢", expected="総数", found=label
            )
    elif age_level == 1:
        parsed_age = parse_age_class(label)
        if parsed_age is None:
            problems.add(
                "年齢階級の書き方が違います",
                row=line,
                column="年齢",
                expected="0～4、5～9 … 95～99、100以上、不詳者",
                found=cell_text(raw),
            )
        else:
            return parsed_age
    return (None, None)


def parse_age_class(label: str) -> tuple[int | None, int | None] | None:
    """ "0～4" → (0, 4); "100以上" → (100, None); "不詳者" → (None, None); otherwise None."""
    if label in _AGE_UNKNOWN:
        return (None, None)
    m = _AGE_RANGE_RE.match(label)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if hi >= lo else None
    m = _AGE_OPEN_RE.match(label)
    if m:
        return (int(m.group(1)), None)
    return None


def _row_sums_agree(r: _TokyoRow, problems: Problems) -> bool:
    """男+女=計 and 日本人+外国人=総数 on one row."""
    ok = True
    for total, male, female in _SEX_SUMS:
        if r.counts[male] + r.counts[female] != r.counts[total]:
            problems.add(
                "男＋女が計と合いません",
                row=r.line,
                column=total,
                expected=f"{r.counts[male] + r.counts[female]}（男＋女）",
                found=r.counts[total],
            )
            ok = False
    for total, jp, fo in _NAT_SUMS:
        if r.counts[jp] + r.counts[fo] != r.counts[total]:
            problems.add(
                "日本人＋外国人が総数と合いません",
                row=r.line,
                column=total,
                expected=f"{r.counts[jp] + r.counts[fo]}（日本人＋外国人）",
                found=r.counts[total],
            )
            ok = False
    return ok


# ------------------------------------------------------------------ step 3: title and date


def _title_date(footer: Sequence[tuple[int, list[str]]], path: Path, problems: Problems) -> dt.date | None:
    """The reference date from the footer title line 「住民基本台帳による東京都の世帯と人口　令和8年1月」,
    checked against the date in the file name when it has one."""
    date: dt.date | None = None
    title_seen = False
    wanted = clean_label(TOKYO_TITLE)
    for line, cells in footer:
        text = next((t for t in (clean_label(c) for c in cells) if wanted in t), None)
        if text is None:
            continue
        title_seen = True
        try:
            date = parse_wareki(text)
        except ValueError:
            problems.add(
                "表題行に基準年月がありません", row=line, expected=f"{TOKYO_TITLE}　令和8年1月", found=text
            )
        break
    if not title_seen:
        problems.add(
            f"表題行（{TOKYO_TITLE}　令和N年M月）がありません（基準日が分かりません）",
            expected=f"表の下（空行の後）に「{TOKYO_TITLE}　令和8年1月」の行",
            found="なし",
        )
    if date is not None:
        m = _FILE_NAME_RE.search(path.name)
        if m and (int(m.group(1)), int(m.group(2))) != (date.year, date.month):
            problems.add(
                "表題行の基準年月がファイル名と合いません",
                expected=f"{m.group(1)}年{int(m.group(2))}月（ファイル名）",
                found=f"{wareki_date(date, day=False)}（表題行）",
            )
    return date


# ---------------------------------------------------------------- step 4: checks across rows


def _check_areas(parsed: list[_TokyoRow], bad_areas: set[str], problems: Problems) -> dict[str, _TokyoRow]:
    """No duplicated (area, age) row; per area a 総数 row and age classes covering every age once,
    adding up to the 総数 row. Returns the 総数 row of every area read cleanly so far."""
    seen: dict[tuple[str, str], int] = {}
    by_area: dict[str, list[_TokyoRow]] = defaultdict(list)
    for r in parsed:
        key = (r.code, r.age_label)
        if key in seen:
            problems.add(
                f"{r.name}（{r.code}）の年齢「{r.age_shown}」の行が重複しています（{seen[key]}行目と{r.line}行目）",
                row=r.line,
                column="年齢",
                expected="地域・年齢ごとに1行",
                found=f"{seen[key]}行目と同じ",
            )
            bad_areas.add(r.code)
        else:
            seen[key] = r.line
        by_area[r.code].append(r)

    area_totals: dict[str, _TokyoRow] = {}
    for code, area_rows in by_area.items():
        if code in bad_areas:
            continue
        total = _check_area_block(code, area_rows, problems)
        if total is not None:
            area_totals[code] = total
    return area_totals


def _check_area_block(code: str, area_rows: list[_TokyoRow], problems: Problems) -> _TokyoRow | None:
    """One area's rows: its 総数 row (returned), its age classes and their sums."""
    totals = [r for r in area_rows if r.is_total]
    details = [r for r in area_rows if not r.is_total]
    name = area_rows[0].name
    if not totals:
        problems.add(
            f"{name}（{code}）の総数行（年齢階層0）がありません",
            row=area_rows[0].line,
            column="年齢階層",
            expected="地域ごとに年齢階層0の総数行",
            found="なし",
        )
        return None
    total = totals[0]
    if not details:
        problems.add(
            f"{name}（{code}）の年齢別の行（年齢階層1）がありません",
            row=total.line,
            column="年齢階層",
            expected="年齢階級ごとの行",
            found="総数行のみ",
        )
        return total
    gap = age_gap([(r.age_from, r.age_to) for r in details if r.age_from is not None])
    if gap:
        problems.add(
            f"{name}（{code}）の年齢階級がそろっていません（{gap}）",
            row=total.line,
            column="年齢",
            expected="0歳から切れ目なく、最後は「◯以上」",
            found=gap,
        )
    for col in TOKYO_COUNTS:
        detail_sum = sum(r.counts[col] for r in details)
        if detail_sum != total.counts[col]:
            problems.add(
                f"{name}（{code}）の年齢別の行の合計が総数行と合いません（総数行 {total.counts[col]:,}、"
                f"年齢別の合計 {detail_sum:,}）",
                row=total.line,
                column=col,
                expected=f"{total.counts[col]}（総数行）",
                found=f"{detail_sum}（年齢別の合計）",
            )
    return total


def age_gap(classes: list[tuple[int | None, int | None]]) -> str | None:
    """Why a set of age classes does not cover 0, 1, 2 … once with an open top class; None if it does."""
    ordered = sorted(classes, key=lambda c: (c[0], -1 if c[1] is None else c[1]))
    expected_from = 0
    for i, (lo, hi) in enumerate(ordered):
        assert lo is not None
        if lo != expected_from:
            if lo > expected_from:
                return f"{expected_from}歳～{lo - 1}歳の行がありません"
            return f"{lo}歳からの階級が重なっています"
        if hi is None:
            if i != len(ordered) - 1:
                return f"「{lo}以上」の後にも階級があります"
            return None
        expected_from = hi + 1
    return f"最後の「{expected_from}以上」の行がありません"


def _check_parent_sums(area_totals: dict[str, _TokyoRow], problems: Problems) -> None:
    """Parts add up to their parent area, where the parent and all its parts are in the file."""
    ref = tokyo_areas()
    children: dict[str, list[str]] = defaultdict(list)
    for area in ref.values():
        if area.parent:
            children[area.parent].append(area.code)
    for parent, kids in children.items():
        if parent not in area_totals or not all(k in area_totals for k in kids):
            continue
        ptotal = area_totals[parent]
        for col in TOKYO_COUNTS:
            kid_sum = sum(area_totals[k].counts[col] for k in kids)
            if kid_sum != ptotal.counts[col]:
                kid_names = "・".join(ref[k].name for k in kids[:3]) + ("など" if len(kids) > 3 else "")
                problems.add(
                    f"{ptotal.name}（{parent}）の総数行が内訳の地域の合計と合いません",
                    row=ptotal.line,
                    column=col,
                    expected=f"{kid_sum}（{kid_names}の合計）",
                    found=ptotal.counts[col],
                )


# ------------------------------------------------------------------- step 5: the tidy frame


def _frame(parsed: list[_TokyoRow], date: dt.date, path: Path) -> pd.DataFrame:
    """The detail cells as the typed long frame, validated against :data:`SCHEMA`."""
    out: dict[str, list[Any]] = {k: [] for k in SCHEMA.columns if k != "date"}
    for r in parsed:
        if r.is_total:
            continue
        for sex, nationality, col in _OUT:
            value = r.counts[col]
            if r.age_from is None and value == 0:
                continue  # 不詳者: kept only when non-zero
            out["area_level"].append(r.level)
            out["area_code"].append(r.code)
            out["area_name"].append(r.name)
            out["age_from"].append(r.age_from)
            out["age_to"].append(r.age_to)
            out["sex"].append(sex)
            out["nationality"].append(nationality)
            out["population"].append(value)
    return validate_frame(SCHEMA, typed_frame(SCHEMA, {"date": date, **out}), path)


__all__ = ["SCHEMA", "TOKYO_HEADER", "TOKYO_TITLE", "read_tokyo_juki_age5"]
