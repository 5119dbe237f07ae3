"""国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5（2023）年推計）」の市区町村別・男女5歳階級別
推計結果（``suikei_kekka.xlsx``、1シート） → the tidy frame ``ipss_projection``: its schema and its reader.

The layout is described in data/raw/README.md (``ipss_projection/``). It was established from
public readers of the published workbook (no copy of the file was at hand): one sheet ``Sheet1``; a
title and notes above a two-row header; one row per area (全国・都道府県・市区町村) and year
(2020 = 国勢調査, 2025 … 2050 = 推計, five years apart); the identifying columns コード, 市などの別,
都道府県, 市区町村, 年; then three blocks of 総数 and the 5-year classes 0～4歳 … 95歳～, for 男女計, 男
and 女 (the block's name on the upper header row, the classes on the lower one); then 総人口指数 and
(再掲) columns. Columns are found by their labels, never by position, so a header shifted by a row
still reads.

The reader runs in named steps: the header (the row of age classes, the blocks, the identifying
columns, the (再掲) columns), each data row (identity, year, counts; 男＋女＝男女計 and 総数 = the sum
of the classes; (再掲) columns equal to the sums they repeat), the checks across rows (one row per
area and year, every area with every year, years five apart), and the typed, validated frame.
Counts are non-negative integers, 全角 digits and commas are read; the markers 「－」「…」「x」「***」
are kept as missing (NA), never read as zero.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from komae_analysis.ingest.common import (
    HEADER_SEARCH_ROWS,
    CountError,
    Problems,
    Sheet,
    cell_text,
    clean_label,
    column_letter,
    is_blank_row,
    parse_count,
    read_sheets,
)
from komae_analysis.ingest.frames import (
    SEXES,
    LazySchema,
    age_order,
    count_column,
    text_column,
    typed_frame,
    validate_frame,
)

if TYPE_CHECKING:
    import pandera.pandas as pa


# ------------------------------------------------------------------------------------- schema


def _schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "edition": text_column(pa.Check.str_length(min_value=1)),
            "area_code": text_column(pa.Check.str_matches(r"^\d{5}$")),
            "area_kind": text_column(nullable=True),
            "prefecture": text_column(nullable=True),
            "area_name": text_column(pa.Check.str_length(min_value=1)),
            "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2200)),
            "age_from": pa.Column("Int64", checks=pa.Check.ge(0), nullable=False),
            "age_to": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
            "sex": text_column(pa.Check.isin(SEXES)),
            "population": count_column("Int64", nullable=True),
        },
        checks=[pa.Check(age_order, error="age_to < age_from")],
        strict=True,
        ordered=True,
        unique=["edition", "area_code", "year", "age_from", "sex"],
        name="ipss_projection",
    )


SCHEMA = LazySchema(_schema)


# ------------------------------------------------------------------------------------- layout

IPSS_SHEET = "Sheet1"
ID_COLUMNS = ("コード", "市などの別", "都道府県", "市区町村", "年")
REQUIRED_IDS = ("コード", "市区町村", "年")
#: The three blocks, in the workbook's order, and the labels their upper header cell may have.
BLOCKS = (("男女計", ("男女計", "総数", "計", "男女")), ("男", ("男",)), ("女", ("女",)))
TOTAL_LABEL = "総数"

_RANGE_RE = re.compile(r"^(\d+)歳?[~〜\-](\d+)歳$")
_OPEN_RE = re.compile(r"^(\d+)歳(?:~|以上)$")
_YEAR_RE = re.compile(r"^(\d{4})年?$")
_CODE_RE = re.compile(r"^\d{1,5}$")
_EDITION_RE = re.compile(r"((?:令和|平成)\s*(?:元|\d+)\s*)?\(\s*(\d{4})\s*\)\s*年推計")
_THOUSANDS = ("千人", "(千人)")


def age_label(text: str) -> tuple[int, int | None] | str | None:
    """A header label: 「総数」 → "total"; 「0～4歳」 → (0, 4); 「95歳～」「95歳以上」 → (95, None);
    anything else → None. ``text`` is already clean (:func:`clean_label`: NFKC turns ～ into ~)."""
    if text == TOTAL_LABEL:
        return "total"
    m = _RANGE_RE.match(text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if hi >= lo else None
    m = _OPEN_RE.match(text)
    if m:
        return (int(m.group(1)), None)
    return None


def class_label(lo: int, hi: int | None) -> str:
    """How a class is named in messages: 0～4歳, 95歳～."""
    return f"{lo}歳～" if hi is None else f"{lo}～{hi}歳"


@dataclass
class _Block:
    name: str  # 男女計 / 男 / 女
    total_col: int
    classes: list[tuple[int, int | None, int]]  # (age_from, age_to, column), ascending



@dataclass
class _Repeat:
    """A (再掲) column: the sum of the 男女計 classes from ``lo`` to ``hi`` (None: open)."""

    col: int
    label: str
    lo: int
    hi: int | None


@dataclass
class _Header:
    age_row: int  # 1-based row of the age-class labels
    ids: dict[str, int]  # label → column
    blocks: dict[str, _Block]
    repeats: list[_Repeat] = field(default_factory=list)

    @property
    def classes(self) -> list[tuple[int, int | None]]:
        return [(lo, hi) for lo, hi, _ in self.blocks["男女計"].classes]

    @property
    def count_columns(self) -> list[tuple[str, str, int]]:
        """Every count column as (block, label, column): per block 総数 first, then the classes."""
        out = []
        for name, _labels in BLOCKS:
            b = self.blocks[name]
            out.append((name, TOTAL_LABEL, b.total_col))
            out += [(name, class_label(lo, hi), c) for lo, hi, c in b.classes]
        return out


@dataclass
class _Row:
    row: int
    code: str
    kind: str | None
    prefecture: str | None
    name: str
    year: int


# -------------------------------------------------------------------------------- the reader


def read_ipss_projection(path: str | Path) -> pd.DataFrame:
    """社人研「日本の地域別将来推計人口」市区町村別・男女5歳階級別の推計結果 → tidy long frame.

    Columns ``edition, area_code, area_kind, prefecture, area_name, year, age_from, age_to, sex,
    population``: one row per area, year, 5-year class and sex (男/女; the 男女計 block is checked
    against them, not stored); the open top class (95歳～) has ``age_to`` NA; ``population`` is NA
    where the cell holds a missing/suppression marker. ``area_code`` is the 5-digit 地方公共団体コード
    without check digit (1000 → 01000). ``edition`` is 「令和5（2023）年推計」 when the title says so,
    else 「<first year>年基準」. The frame's ``attrs["edition"]`` holds it too.

    Checks: sheet 「Sheet1」; the header found by its labels (the age classes, the blocks 男女計・男・女,
    the columns コード・市区町村・年) within the first rows; every block with 総数 and classes from 0歳
    without gap up to an open class; no count in 千人; counts are non-negative integers or markers;
    男＋女＝男女計 and 総数 = the sum of the classes on every row where all are present (both numbers in
    the message); (再掲) columns equal their sums; one row per area and year; every area with every
    year; the years five apart.
    """
    path = Path(path)
    sheet = read_sheets(path, [IPSS_SHEET])[IPSS_SHEET]
    problems = Problems(path, sheet=IPSS_SHEET)
    header = _header(sheet, problems)
    problems.raise_if_any()
    assert header is not None
    rows, counts = _data_rows(sheet, header, problems)
    _check_across_rows(rows, problems)
    if not rows and not problems:
        problems.add("データ行がありません", row=header.age_row + 1, expected="見出しの次の行から地域・年ごとの行",
                      found="なし")
    problems.raise_if_any()
    edition = _edition(sheet, header, rows)
    return _frame(rows, counts, header, edition, path)


# ---------------------------------------------------------------------------- step 1: header


def _labels(sheet: Sheet, row: int) -> list[str]:
    if not 1 <= row <= len(sheet.rows):
        return []
    return [clean_label(c) for c in sheet.rows[row - 1][1]]


def _find_age_row(sheet: Sheet) -> int | None:
    """The row (within the first rows) with the most 「0～4歳」 cells: the lower header row."""
    best, best_n = None, 0
    for r in range(1, min(HEADER_SEARCH_ROWS, len(sheet.rows)) + 1):
        n = sum(1 for x in _labels(sheet, r) if age_label(x) == (0, 4))
        if n > best_n:
            best, best_n = r, n
    return best


def _runs(labels: list[str]) -> list[list[int]]:
    """Maximal runs of consecutive columns holding 総数 or an age class."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, text in enumerate(labels):
        if age_label(text) is not None and not (current and age_label(text) == "total"):
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = [i] if age_label(text) == "total" else []
    if current:
        runs.append(current)
    return [r for r in runs if any(age_label(labels[i]) == (0, 4) for i in r)]


def _upper(sheet: Sheet, age_row: int, col: int, span: range | list[int]) -> tuple[str, int] | None:
    """The nearest non-empty label above ``age_row`` (up to 3 rows) over the columns ``span``, looked
    for from ``col`` rightwards (a merged cell keeps its text in its first column)."""
    for r in range(age_row - 1, max(age_row - 4, 0), -1):
        labels = _labels(sheet, r)
        for c in span:
            if c < len(labels) and labels[c]:
                return labels[c], r
    return None


def _header(sheet: Sheet, problems: Problems) -> _Header | None:
    age_row = _find_age_row(sheet)
    if age_row is None:
        problems.add(
            "見出し（年齢階級「0～4歳」などの行）が見つかりません",
            row=None,
            expected=f"{HEADER_SEARCH_ROWS}行目までに「総数」「0～4歳」…「95歳～」の見出し行（男女計・男・女の3組）",
            found="なし",
        )
        return None
    for r in range(1, age_row):
        text = "".join(_labels(sheet, r))
        if "単位" in text and any(t in text for t in _THOUSANDS):
            problems.add("人口の単位が千人になっています（人単位の表を置いてください）", row=r,
                         expected="単位：人", found=text)
    labels = _labels(sheet, age_row)
    runs = _runs(labels)
    blocks: dict[str, _Block] = {}
    reported: set[str] = set()  # blocks found but with a problem already said
    used: set[int] = set()
    for run in runs:
        up = _upper(sheet, age_row, run[0], run)
        name = None
        if up is not None:
            name = next((b for b, names in BLOCKS if up[0] in names), None)
        if name is None:
            expected = "・".join(b for b, _ in BLOCKS)
            problems.add(
                f"{column_letter(run[0])}列からの年齢階級の組の上に「男女計」「男」「女」の見出しがありません",
                row=age_row - 1,
                column=column_letter(run[0]),
                expected=expected,
                found=up[0] if up else "（空欄）",
            )
            continue
        if name in blocks or name in reported:
            reported.add(name)
            problems.add(f"「{name}」の年齢階級の組が2つあります", row=age_row, column=column_letter(run[0]),
                         expected="男女計・男・女の組が1つずつ", found=f"{column_letter(blocks[name].total_col)}列と"
                         f"{column_letter(run[0])}列")
            continue
        block = _block(name, run, labels, age_row, problems)
        if block is None:
            reported.add(name)
        else:
            blocks[name] = block
            used.update(run)
    for name, _names in BLOCKS:
        if name not in blocks and name not in reported:
            problems.add(f"「{name}」の年齢階級の列（総数、0～4歳 … 95歳～）がありません", row=age_row,
                         expected="男女計・男・女の3組", found="、".join(blocks) or "なし")
    _compare_blocks(blocks, age_row, problems)
    ids = _id_columns(sheet, age_row, problems)
    repeats = _repeats(sheet, age_row, labels, used, blocks)
    if problems:
        return None
    return _Header(age_row, ids, blocks, repeats)


def _block(name: str, run: list[int], labels: list[str], age_row: int, problems: Problems) -> _Block | None:
    """One block's 総数 and classes; missing or overlapping classes are problems."""
    total_col = None
    classes: list[tuple[int, int | None, int]] = []
    for c in run:
        parsed = age_label(labels[c])
        if parsed == "total":
            total_col = c
        else:
            assert isinstance(parsed, tuple)
            classes.append((parsed[0], parsed[1], c))
    ok = True
    if total_col is None:
        problems.add(f"列『総数』（{name}）がありません", row=age_row, column=column_letter(run[0]),
                     expected=f"{name}の総数の列", found="なし")
        ok = False
    classes.sort(key=lambda t: (t[0], -1 if t[1] is None else t[1]))
    opens = [c for c in classes if c[1] is None]
    if not opens:
        problems.add(f"最上位の年齢階級（「95歳～」など）の列（{name}）がありません", row=age_row,
                     column=column_letter(run[-1]), expected="「95歳～」のような「◯歳～」の列", found=labels[run[-1]])
        return None
    top = opens[0][0]
    present = {lo: (lo, hi, c) for lo, hi, c in classes}
    for lo in range(0, top, 5):
        got = present.get(lo)
        if got is None or got[1] != lo + 4:
            problems.add(f"列『{class_label(lo, lo + 4)}』（{name}）がありません", row=age_row,
                         column=column_letter(run[0]), expected=f"0～4歳から{class_label(top, None)}まで5歳ごとの列",
                         found=" | ".join(labels[c] for c in run))
            ok = False
    extra = [c for c in classes if (c[0] >= top and c is not opens[0]) or (c[0] % 5 and c[0] < top)]
    for _lo, _hi, c in extra:
        problems.add(f"年齢階級の列『{labels[c]}』（{name}）が5歳階級の並びに合いません", row=age_row,
                     column=column_letter(c), expected=f"0～4歳から{class_label(top, None)}まで5歳ごと",
                     found=labels[c])
        ok = False
    if not ok or total_col is None:
        return None
    ordered = [present[lo] for lo in range(0, top, 5)] + [opens[0]]
    return _Block(name, total_col, ordered)


def _compare_blocks(blocks: dict[str, _Block], age_row: int, problems: Problems) -> None:
    """The three blocks have the same classes."""
    if len(blocks) < 2:
        return
    ref_name, ref = next(iter(blocks.items()))
    want = [(lo, hi) for lo, hi, _ in ref.classes]
    for name, b in blocks.items():
        got = [(lo, hi) for lo, hi, _ in b.classes]
        if got != want:
            problems.add(f"「{name}」の年齢階級が「{ref_name}」と違います", row=age_row, column=column_letter(b.total_col),
                         expected="・".join(class_label(*x) for x in want), found="・".join(class_label(*x) for x in got))


def _id_columns(sheet: Sheet, age_row: int, problems: Problems) -> dict[str, int]:
    """コード, 市などの別, 都道府県, 市区町村, 年: on the age row or up to three rows above it."""
    ids: dict[str, int] = {}
    for r in range(age_row, max(age_row - 4, 0), -1):
        for c, text in enumerate(_labels(sheet, r)):
            if text in ID_COLUMNS and text not in ids:
                ids[text] = c
    for label in REQUIRED_IDS:
        if label not in ids:
            problems.add(f"列『{label}』がありません", row=age_row - 1,
                         expected=" | ".join(ID_COLUMNS), found=" | ".join(x for x in _labels(sheet, age_row - 1) if x)
                         or "（空行）")
    return ids


def _repeats(sheet: Sheet, age_row: int, labels: list[str], used: set[int], blocks: dict[str, _Block]) -> list[_Repeat]:
    """(再掲) columns after the blocks: an age range whose upper header (or own label) says 再掲."""
    out: list[_Repeat] = []
    if "男女計" not in blocks:
        return out
    last = max(used) if used else -1
    for c in range(last + 1, len(labels)):
        text = labels[c]
        inner = re.sub(r"^\(?再掲\)?", "", text)
        parsed = age_label(inner)
        if not isinstance(parsed, tuple):
            continue
        up = _upper(sheet, age_row, c, range(c, -1, -1))
        if "再掲" not in text and (up is None or "再掲" not in up[0]):
            continue
        out.append(_Repeat(c, text, parsed[0], parsed[1]))
    return out


# ------------------------------------------------------------------------- step 2: data rows


def _count(value: Any, problems: Problems, row: int, column: str) -> float:
    """One count: the number, NaN for a missing/suppression marker, NaN and a problem for a bad value."""
    if type(value) is float and value >= 0 and value.is_integer():  # the common case, fast
        return value
    try:
        v = parse_count(value, dash="missing", allow_missing=True)
    except CountError as e:
        problems.add(e.message, row=row, column=column, expected=e.expected, found=cell_text(value))
        return math.nan
    return math.nan if v is None else float(v)


def _quiet_count(value: Any) -> float:
    """A (再掲) cell: checked against its sum when it is a count, else left alone (those columns are
    not read into the frame, and a neighbouring 割合 column must not be mistaken for one)."""
    try:
        v = parse_count(value, dash="missing", allow_missing=True)
    except CountError:
        return math.nan
    return math.nan if v is None else float(v)


def _code(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and 0 <= value < 100000:
            return f"{int(value):05d}"
        return None
    text = clean_label(value)
    return text.zfill(5) if _CODE_RE.match(text) else None


def _year(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    m = _YEAR_RE.match(clean_label(value))
    return int(m.group(1)) if m else None


def _text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_label(value)
    return text or None


def _data_rows(sheet: Sheet, header: _Header, problems: Problems) -> tuple[list[_Row], np.ndarray]:
    """The rows read cleanly and their counts (rows × :attr:`_Header.count_columns`, NaN = missing);
    then the checks on the counts (:func:`_check_counts`)."""
    out: list[_Row] = []
    matrix: list[list[float]] = []
    repeat_rows: list[list[float]] = []
    ids = header.ids
    columns = header.count_columns
    names = [f"{column_letter(c)}（{b} {label}）" for b, label, c in columns]
    cols = [c for _b, _label, c in columns]
    width = 1 + max([*ids.values(), *(r.col for r in header.repeats), *cols])
    for row, values in sheet.rows[header.age_row :]:
        cells = list(values)
        if is_blank_row(cells):
            continue
        cells += [None] * (width - len(cells))
        raw_code = cells[ids["コード"]]
        code = _code(raw_code)
        if code is None:
            if is_blank_row([cells[c] for label, c in ids.items() if label != "コード"]):
                continue  # a note below the table (注：…)
            problems.add("コードは地方公共団体コード（数字）です", row=row, column=f"{column_letter(ids['コード'])}（コード）",
                         expected="13219 のような数字", found=cell_text(raw_code))
            continue
        before = len(problems)
        year = _year(cells[ids["年"]])
        if year is None:
            problems.add("年の書き方が違います", row=row, column=f"{column_letter(ids['年'])}（年）",
                         expected="2020年 のような西暦年", found=cell_text(cells[ids["年"]]))
        name = _text(cells[ids["市区町村"]])
        if name is None:
            problems.add("市区町村（地域名）が空欄です", row=row, column=f"{column_letter(ids['市区町村'])}（市区町村）",
                         expected="地域名", found="（空欄）")
        counts = [_count(cells[c], problems, row, n) for c, n in zip(cols, names, strict=True)]
        if len(problems) > before:
            continue
        assert year is not None and name is not None
        out.append(_Row(row, code, _text(cells[ids["市などの別"]]) if "市などの別" in ids else None,
                        _text(cells[ids["都道府県"]]) if "都道府県" in ids else None, name, year))
        matrix.append(counts)
        repeat_rows.append([_quiet_count(cells[r.col]) for r in header.repeats])
    m = np.array(matrix, dtype=float).reshape(len(out), len(columns))
    _check_counts(out, m, np.array(repeat_rows, dtype=float).reshape(len(out), len(header.repeats)), header, names,
                  problems)
    return out, m


def _fmt(n: float) -> str:
    return f"{int(n):,}"


def _check_counts(rows: list[_Row], m: np.ndarray, repeats: np.ndarray, header: _Header, names: list[str],
                  problems: Problems) -> None:
    """総数 = Σ classes in each block; 男＋女＝男女計 for every cell; (再掲) = its sum. Compared where
    every number involved is present (a missing marker leaves the check out)."""
    n = len(header.classes) + 1  # 総数 and the classes, per block
    first, last = header.classes[0], header.classes[-1]
    span = f"{class_label(*first)}～{class_label(*last)}"
    for k, (bname, _labels) in enumerate(BLOCKS):
        total, parts = m[:, k * n], m[:, k * n + 1 : (k + 1) * n]
        sums = parts.sum(axis=1)
        for i in np.flatnonzero(~np.isnan(sums) & ~np.isnan(total) & (sums != total)):
            r = rows[i]
            problems.add(
                f"{r.name}（{r.code}）{r.year}年の{bname}の総数が年齢階級の合計と合いません"
                f"（総数 {_fmt(total[i])}、{span}の合計 {_fmt(sums[i])}）",
                row=r.row, column=names[k * n], expected=f"{int(sums[i])}（{span}の合計）", found=int(total[i]),
            )
    both, male, female = m[:, :n], m[:, n : 2 * n], m[:, 2 * n :]
    bad = ~np.isnan(both) & ~np.isnan(male + female) & (male + female != both)
    labels = [TOTAL_LABEL, *(class_label(*c) for c in header.classes)]
    for i, j in zip(*np.nonzero(bad), strict=True):
        r = rows[i]
        problems.add(
            f"{r.name}（{r.code}）{r.year}年の{labels[j]}で男＋女が男女計と合いません"
            f"（男女計 {_fmt(both[i, j])}、男＋女 {_fmt(male[i, j] + female[i, j])}）",
            row=r.row, column=names[j], expected=f"{int(male[i, j] + female[i, j])}（男＋女）", found=int(both[i, j]),
        )
    for k, rep in enumerate(header.repeats):
        pick = [j + 1 for j, (lo, hi) in enumerate(header.classes)
                if lo >= rep.lo and (rep.hi is None or (hi is not None and hi <= rep.hi))]
        if not pick:
            continue
        sums = both[:, pick].sum(axis=1)
        value = repeats[:, k]
        for i in np.flatnonzero(~np.isnan(sums) & ~np.isnan(value) & (sums != value)):
            r = rows[i]
            problems.add(
                f"{r.name}（{r.code}）{r.year}年の（再掲）{rep.label}が年齢階級の合計と合いません"
                f"（（再掲） {_fmt(value[i])}、合計 {_fmt(sums[i])}）",
                row=r.row, column=f"{column_letter(rep.col)}（{rep.label}）", expected=f"{int(sums[i])}（男女計の年齢階級の合計）",
                found=int(value[i]),
            )


# ----------------------------------------------------------------- step 3: checks across rows


def _check_across_rows(rows: list[_Row], problems: Problems) -> None:
    """One row per area and year; the years five apart without a gap; every area with every year."""
    seen: dict[tuple[str, int], int] = {}
    by_area: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        key = (r.code, r.year)
        if key in seen:
            problems.add(f"{r.name}（{r.code}）の{r.year}年の行が重複しています（{seen[key]}行目と{r.row}行目）",
                         row=r.row, column="年", expected="地域・年ごとに1行", found=f"{seen[key]}行目と同じ")
        else:
            seen[key] = r.row
        by_area[r.code].append(r)
    years = sorted({r.year for r in rows})
    if not years:
        return
    for a, b in zip(years, years[1:], strict=False):
        if b - a != 5:
            missing = "、".join(f"{y}年" for y in range(a + 5, b, 5)) or f"{a}年と{b}年の間隔"
            problems.add(f"年の並びが5年おきになっていません（{a}年の次が{b}年。{missing}の行が1行もありません）",
                         column="年", expected="2020年、2025年 … のように5年おき", found=f"{a}年の次が{b}年")
    for code, area_rows in by_area.items():
        have = {r.year for r in area_rows}
        for y in years:
            if y not in have:
                first = area_rows[0]
                problems.add(f"{first.name}（{code}）の{y}年の行がありません", row=first.row, column="年",
                             expected="・".join(f"{x}年" for x in years), found="・".join(f"{x}年" for x in sorted(have)))


def _edition(sheet: Sheet, header: _Header, rows: list[_Row]) -> str:
    """「令和5（2023）年推計」 from the title rows when they say it, else 「<first year>年基準」."""
    for r in range(1, header.age_row):
        text = "".join(_labels(sheet, r))
        m = _EDITION_RE.search(text)
        if m:
            era = (m.group(1) or "").replace(" ", "")
            return f"{era}（{m.group(2)}）年推計" if era else f"{m.group(2)}年推計"
    first = min(r.year for r in rows)
    return f"{first}年基準"


# ------------------------------------------------------------------- step 4: the tidy frame


def _frame(rows: list[_Row], m: np.ndarray, header: _Header, edition: str, path: Path) -> pd.DataFrame:
    """男 and 女 classes of every row as the long frame (row × sex × class)."""
    n = len(header.classes) + 1
    classes = header.classes
    k = len(classes)
    per_row = 2 * k
    values = np.concatenate([m[:, n + 1 : 2 * n], m[:, 2 * n + 1 :]], axis=1).ravel()  # row, sex, class
    pop = pd.array(np.where(np.isnan(values), 0, values).astype("int64"), dtype="Int64")
    pop[np.isnan(values)] = pd.NA

    def each_row(get: Any) -> list[Any]:
        return [v for r in rows for v in [get(r)] * per_row]

    cols: dict[str, Any] = {
        "edition": edition,
        "area_code": each_row(lambda r: r.code),
        "area_kind": each_row(lambda r: r.kind),
        "prefecture": each_row(lambda r: r.prefecture),
        "area_name": each_row(lambda r: r.name),
        "year": np.repeat(np.array([r.year for r in rows], dtype="int64"), per_row),
        "age_from": np.tile(np.array([lo for lo, _ in classes] * 2, dtype="int64"), len(rows)),
        "age_to": pd.array([hi for _, hi in classes] * 2 * len(rows), dtype="Int64"),
        "sex": np.tile(np.repeat(np.array(SEXES, dtype=object), k), len(rows)),
        "population": pop,
    }
    frame = typed_frame(SCHEMA, cols)
    frame = validate_frame(SCHEMA, frame, path)
    frame.attrs["edition"] = edition
    return frame


__all__ = ["IPSS_SHEET", "SCHEMA", "age_label", "class_label", "read_ipss_projection"]
