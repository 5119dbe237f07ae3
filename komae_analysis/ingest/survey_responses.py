"""Survey responses (one row per respondent) read against their codebook into :class:`Responses`:
whole columns as arrays, ready for the tabulation engine (:mod:`komae_analysis.survey`).

Layout (the public contract, documented in data/raw/README.md ``survey_*/``): CSV (UTF-8 or cp932),
Excel (the first sheet) or SPSS ``.sav``; a header row holding ``回答者ID`` (found within the first
rows), then one row per respondent. One column per 設問ID for SA, NUM and FA questions; an MA question
either as one column of delimited codes (``1,3,5``, also ``１、３、５``) or as 0/1 columns
``<設問ID>_<コード>`` (one per option). A blank cell is 無回答, and so is the question's 無回答コード.
全角 digits are read as digits.

Checked, every problem collected with its file, row and column (the codebook's sheet and row where the
problem is the codebook's): a 回答者ID blank or duplicated, an option code outside the question's
option set, text in a NUM column, an MA 0/1 column missing (or a value other than 0/1), a codebook
question without a column, a column without a codebook question.

Columns are parsed through their distinct values (``pandas.factorize``): a column of 100,000 answers
has a handful of distinct codes, each parsed once.

Free text is never kept: an FA column becomes "answered or not". Counts by category come only from a
reviewed coding file (:func:`read_fa_coding`: 回答者ID | 設問ID | 分類).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from komae_analysis.errors import InputError, display_name
from komae_analysis.ingest.common import HEADER_SEARCH_ROWS, Problems, cell_text, clean_label, read_csv_rows
from komae_analysis.ingest.survey_codebook import QUESTIONS_SHEET, Codebook, Question

ID_COLUMN = "回答者ID"
SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".sav")
_SPLIT = re.compile(r"[,、;；/・\s]+")


@dataclass
class Responses:
    """The answers of one survey wave, column by column (row i = the i-th respondent of the file)."""

    file: str
    ids: np.ndarray  # 回答者ID (object array of str)
    rows: np.ndarray  # the file row of each respondent (for messages)
    sa: dict[str, np.ndarray] = field(default_factory=dict)  # int64 code, -1 = 無回答
    ma: dict[str, np.ndarray] = field(default_factory=dict)  # bool (n, options) in the codebook's order
    num: dict[str, np.ndarray] = field(default_factory=dict)  # float64, NaN = 無回答
    fa: dict[str, np.ndarray] = field(default_factory=dict)  # bool: answered
    #: FA question → (category labels, int64 category index per respondent, -1 = not coded)
    fa_coded: dict[str, tuple[list[str], np.ndarray]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass
class Table:
    """A respondent file as cells: header labels, data rows with their file row numbers."""

    file: str
    header_row: int
    header: list[str]
    rows: list[int]
    columns: list[list[Any]]  # column-wise cells


# ================================================================================== files


def _table_from_rows(path: Path, records: Sequence[tuple[int, Sequence[Any]]], problems: Problems) -> Table | None:
    header_row = None
    for row, cells in records[:HEADER_SEARCH_ROWS]:
        if ID_COLUMN in {clean_label(c) for c in cells}:
            header_row = row
            header = [clean_label(c) for c in cells]
            break
    if header_row is None:
        first = next(((r, c) for r, c in records if any(not _is_blank(x) for x in c)), None)
        problems.add(f"見出し行に列『{ID_COLUMN}』がありません", row=first[0] if first else 1, column=ID_COLUMN,
                     expected=f"{ID_COLUMN} と設問IDの見出し行",
                     found=" | ".join(cell_text(x) for x in first[1][:8]) if first else "（空）")
        return None
    width = len(header)
    data_rows: list[int] = []
    cells: list[Sequence[Any]] = []
    for row, values in records:
        if row <= header_row or all(_is_blank(v) for v in values):
            continue
        if len(values) > width and any(not _is_blank(v) for v in values[width:]):
            problems.add("見出しのない列に値があります", row=row, column=f"{width + 1}列目以降",
                         expected="見出し行と同じ列数", found=cell_text(next(v for v in values[width:] if not _is_blank(v))))
        padded = list(values[:width]) + [None] * (width - len(values))
        data_rows.append(row)
        cells.append(padded)
    columns = [list(c) for c in zip(*cells, strict=True)] if cells else [[] for _ in header]
    return Table(display_name(path), header_row, header, data_rows, columns)


def read_table(path: str | Path) -> Table:
    """A responses file as a :class:`Table` (CSV, Excel's first sheet, or SPSS .sav)."""
    p = Path(path)
    problems = Problems(p)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(p, "回答データの形式が分かりません", expected="、".join(SUFFIXES), found=p.suffix or "（拡張子なし）")
    if suffix in (".csv", ".txt"):
        records = read_csv_rows(p).rows
    elif suffix == ".sav":
        records = _sav_records(p)
    else:
        records = _excel_records(p)
    table = _table_from_rows(p, records, problems)
    problems.raise_if_any()
    assert table is not None
    return table


def _excel_records(p: Path) -> list[tuple[int, tuple[Any, ...]]]:
    from python_calamine import CalamineWorkbook  # only Excel files pay for it

    try:
        wb = CalamineWorkbook.from_path(str(p))
        values = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as e:
        raise InputError.single(p, "Excelファイルとして開けません", found=type(e).__name__) from None
    return [(i, tuple(v)) for i, v in enumerate(values, start=1)]


def _sav_records(p: Path) -> list[tuple[int, tuple[Any, ...]]]:
    import pyreadstat  # only .sav files pay for it

    try:
        frame, _meta = pyreadstat.read_sav(str(p), apply_value_formats=False, user_missing=False)
    except Exception as e:
        raise InputError.single(p, "SPSS（.sav）ファイルとして開けません", found=f"{type(e).__name__}: {e}") from None
    header = tuple(str(c) for c in frame.columns)
    records: list[tuple[int, tuple[Any, ...]]] = [(1, header)]
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        records.append((i, tuple(None if isinstance(v, float) and math.isnan(v) else v for v in values)))
    return records


# ================================================================================== cells


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _norm(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _norm(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _norm(value).replace(",", "")
    return float(text) if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) else None


def _factorize(values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """(index of each cell's distinct value, the distinct values). Blank cells (None, "", NaN, spaces)
    become None."""
    import pandas as pd

    cleaned = np.empty(len(values), dtype=object)
    cleaned[:] = [None if _is_blank(v) else v for v in values]
    codes, uniques = pd.factorize(cleaned, use_na_sentinel=True)
    uniq = list(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniq), codes)
        uniq.append(None)
    return codes, uniq


def _bad_rows(codes: np.ndarray, bad: set[int], rows: list[int]) -> list[tuple[int, int]]:
    """(row, unique index) of the cells whose distinct value is in ``bad``, in file order."""
    if not bad:
        return []
    hit = np.flatnonzero(np.isin(codes, list(bad)))
    return [(rows[i], int(codes[i])) for i in hit]


# ================================================================================= columns


def _sa_column(q: Question, cells: list[Any], rows: list[int], problems: Problems, column: str) -> np.ndarray:
    codes, uniq = _factorize(cells)
    allowed = set(q.codes)
    parsed = np.full(len(uniq), -1, dtype=np.int64)
    bad: dict[int, tuple[str, str]] = {}
    for i, u in enumerate(uniq):
        if u is None:
            continue
        code = _as_int(u)
        if code is None:
            bad[i] = ("コードが整数ではありません", "整数のコード")
        elif code == q.missing_code:
            continue
        elif code not in allowed:
            bad[i] = (f"コード{code}は設問「{q.id}」の選択肢にありません",
                      f"{'、'.join(map(str, sorted(allowed)))}" + (f"、無回答{q.missing_code}" if q.missing_code is not None else "")
                      + "、空欄")
        else:
            parsed[i] = code
    for row, u in _bad_rows(codes, set(bad), rows):
        message, expected = bad[u]
        problems.add(message, row=row, column=column, expected=expected, found=cell_text(uniq[u]))
    return parsed[codes]


def _num_column(q: Question, cells: list[Any], rows: list[int], problems: Problems, column: str) -> np.ndarray:
    codes, uniq = _factorize(cells)
    parsed = np.full(len(uniq), np.nan)
    bad = set()
    for i, u in enumerate(uniq):
        if u is None:
            continue
        value = _as_float(u)
        if value is None or not math.isfinite(value):
            bad.add(i)
        elif q.missing_code is not None and value == q.missing_code:
            continue
        else:
            parsed[i] = value
    for row, u in _bad_rows(codes, bad, rows):
        problems.add(f"数量回答（NUM）の設問「{q.id}」の列に数値でない値があります", row=row, column=column,
                     expected="数値（空欄は無回答）", found=cell_text(uniq[u]))
    return parsed[codes]


def _ma_delimited(q: Question, cells: list[Any], rows: list[int], problems: Problems, column: str) -> np.ndarray:
    codes, uniq = _factorize(cells)
    position = {c: i for i, c in enumerate(q.codes)}
    marks = np.zeros((len(uniq), len(q.codes)), dtype=bool)
    bad: dict[int, str] = {}
    for i, u in enumerate(uniq):
        if u is None:
            continue
        parts = [p for p in _SPLIT.split(_norm(u)) if p]
        values = [_as_int(p) for p in parts]
        if any(v is None for v in values):
            bad[i] = "複数回答のコードが整数ではありません"
            continue
        if q.missing_code is not None and values == [q.missing_code]:
            continue
        wrong = [v for v in values if v not in position]
        if wrong:
            bad[i] = f"コード{'、'.join(map(str, wrong))}は設問「{q.id}」の選択肢にありません"
            continue
        for v in values:
            marks[i, position[v]] = True
    for row, u in _bad_rows(codes, set(bad), rows):
        problems.add(bad[u], row=row, column=column,
                     expected=f"{'、'.join(map(str, q.codes))} をカンマ区切りで（例: 1,3,5）", found=cell_text(uniq[u]))
    return marks[codes]


def _ma_binary(cells: list[Any], rows: list[int], problems: Problems, column: str) -> np.ndarray:
    codes, uniq = _factorize(cells)
    parsed = np.zeros(len(uniq), dtype=bool)
    bad = set()
    for i, u in enumerate(uniq):
        if u is None:
            continue
        v = _as_int(u)
        if v not in (0, 1):
            bad.add(i)
        else:
            parsed[i] = v == 1
    for row, u in _bad_rows(codes, bad, rows):
        problems.add("複数回答の0/1列に0・1以外の値があります", row=row, column=column, expected="1（選択）、0または空欄",
                     found=cell_text(uniq[u]))
    return parsed[codes]


def _fa_column(cells: list[Any]) -> np.ndarray:
    return np.fromiter((not _is_blank(v) for v in cells), dtype=bool, count=len(cells))


# ================================================================================ the reader


def read_responses(path: str | Path, codebook: Codebook) -> Responses:
    """Read one responses file against its codebook; one InputError listing every problem."""
    p = Path(path)
    table = read_table(p)
    return responses_from_table(table, codebook, p)


def responses_from_table(table: Table, codebook: Codebook, path: str | Path) -> Responses:
    problems = Problems(path)
    index: dict[str, int] = {}
    for j, name in enumerate(table.header):
        if not name:
            if any(not _is_blank(v) for v in table.columns[j]):
                problems.add("見出しが空欄の列に値があります", row=table.header_row, column=f"{j + 1}列目",
                             expected="設問ID の見出し", found="（空欄）")
            continue
        if name in index:
            problems.add(f"列「{name}」が2つあります", row=table.header_row, column=name, expected="列名は1回ずつ",
                         found=f"{index[name] + 1}列目と{j + 1}列目")
            continue
        index[name] = j
    rows = table.rows
    ids = _ids(table, index, problems)
    used = {ID_COLUMN}
    out = Responses(file=table.file, ids=ids, rows=np.asarray(rows, dtype=np.int64))
    for q in codebook.questions:
        where = f"（調査票設計「{codebook.file}」シート「{QUESTIONS_SHEET}」{q.row}行目）"
        if q.kind == "MA":
            binary = {o.code: f"{q.id}_{o.code}" for o in q.options}
            present = [c for c, name in binary.items() if name in index]
            if q.id in index and present:
                problems.add(f"複数回答「{q.id}」に区切りの列と0/1列の両方があります", row=table.header_row,
                             column=q.id, expected="どちらか一方", found=f"{q.id} と {binary[present[0]]} など")
                continue
            if q.id in index:
                used.add(q.id)
                out.ma[q.id] = _ma_delimited(q, table.columns[index[q.id]], rows, problems, q.id)
            elif present:
                missing = [name for c, name in binary.items() if name not in index]
                if missing:
                    problems.add(f"複数回答「{q.id}」の0/1列がそろっていません（{'、'.join(missing)} がありません）{where}",
                                 row=table.header_row, column=missing[0],
                                 expected="、".join(binary.values()), found="、".join(binary[c] for c in present))
                    continue
                used.update(binary.values())
                out.ma[q.id] = np.column_stack(
                    [_ma_binary(table.columns[index[binary[c]]], rows, problems, binary[c]) for c in q.codes])
            else:
                problems.add(f"設問「{q.id}」の列がありません{where}", row=table.header_row, column=q.id,
                             expected=f"列「{q.id}」（区切り）または「{q.id}_コード」の0/1列", found="なし")
            continue
        if q.id not in index:
            problems.add(f"設問「{q.id}」の列がありません{where}", row=table.header_row, column=q.id,
                         expected=f"列「{q.id}」", found="なし")
            continue
        used.add(q.id)
        cells = table.columns[index[q.id]]
        if q.kind == "SA":
            out.sa[q.id] = _sa_column(q, cells, rows, problems, q.id)
        elif q.kind == "NUM":
            out.num[q.id] = _num_column(q, cells, rows, problems, q.id)
        else:
            out.fa[q.id] = _fa_column(cells)
    for name in index:
        if name not in used:
            problems.add(f"列「{name}」は調査票設計（{codebook.file}）の設問にありません", row=table.header_row,
                         column=name, expected=f"調査票設計の「{QUESTIONS_SHEET}」シートにある設問ID", found=name)
    if not len(ids) and not problems:
        problems.add("回答の行がありません", row=table.header_row + 1, expected="回答者1人につき1行", found="なし")
    problems.raise_if_any()
    return out


def _ids(table: Table, index: dict[str, int], problems: Problems) -> np.ndarray:
    if ID_COLUMN not in index:
        return np.array([], dtype=object)
    cells = table.columns[index[ID_COLUMN]]
    ids = np.array([None if _is_blank(v) else _norm(v) for v in cells], dtype=object)
    seen: dict[str, int] = {}
    for i, value in enumerate(ids):
        row = table.rows[i]
        if value is None:
            problems.add("回答者IDが空欄です", row=row, column=ID_COLUMN, expected="回答者ごとに異なるID", found="（空欄）")
        elif value in seen:
            problems.add(f"回答者ID「{value}」が重複しています（{seen[value]}行目と{row}行目）", row=row, column=ID_COLUMN,
                         expected="回答者ごとに異なるID", found=value)
        else:
            seen[value] = row
    return ids


# ============================================================================== FA coding

FA_CODING_HEADER = (ID_COLUMN, "設問ID", "分類")


def read_fa_coding(path: str | Path, codebook: Codebook, responses: Responses) -> dict[str, tuple[list[str], np.ndarray]]:
    """A reviewed coding of free-text answers (回答者ID | 設問ID | 分類; one row per answer and category)
    → FA question → (categories in order of first appearance, category index per respondent, −1 = none).
    A respondent with several categories for one question keeps the first (one category per answer)."""
    p = Path(path)
    table = read_table_with_header(p, FA_CODING_HEADER)
    problems = Problems(p)
    col = {name: table.header.index(name) for name in FA_CODING_HEADER}
    position = {rid: i for i, rid in enumerate(responses.ids)}
    out: dict[str, tuple[list[str], np.ndarray]] = {}
    seen: dict[tuple[str, str], int] = {}
    for k, row in enumerate(table.rows):
        rid = _norm(table.columns[col[ID_COLUMN]][k]) if not _is_blank(table.columns[col[ID_COLUMN]][k]) else ""
        qid = clean_label(table.columns[col["設問ID"]][k])
        label = str(table.columns[col["分類"]][k] or "").strip()
        if qid not in codebook or codebook.question(qid).kind != "FA":
            problems.add(f"設問ID「{qid}」は調査票設計の自由回答（FA）の設問ではありません", row=row, column="設問ID",
                         expected="FA の設問ID", found=qid or "（空欄）")
            continue
        if rid not in position:
            problems.add(f"回答者ID「{rid}」は回答データ（{responses.file}）にありません", row=row, column=ID_COLUMN,
                         expected="回答データの回答者ID", found=rid or "（空欄）")
            continue
        if not label:
            problems.add("分類が空欄です", row=row, column="分類", expected="分類の名前", found="（空欄）")
            continue
        if (rid, qid) in seen:
            problems.add(f"回答者ID「{rid}」の設問「{qid}」の分類が2回あります（{seen[(rid, qid)]}行目と{row}行目）",
                         row=row, column="分類", expected="1回答に1分類", found=label)
            continue
        seen[(rid, qid)] = row
        labels, index = out.setdefault(qid, ([], np.full(responses.n, -1, dtype=np.int64)))
        if label not in labels:
            labels.append(label)
        index[position[rid]] = labels.index(label)
    problems.raise_if_any()
    return out


def read_table_with_header(path: Path, header: Sequence[str]) -> Table:
    """Like :func:`read_table` for a small file whose header must hold ``header``."""
    table = read_table(path)
    missing = [h for h in header if h not in table.header]
    if missing:
        raise InputError.single(path, f"見出し行に列『{'』『'.join(missing)}』がありません", row=table.header_row,
                                expected=" | ".join(header), found=" | ".join(h for h in table.header if h))
    return table


__all__ = ["ID_COLUMN", "Responses", "Table", "read_fa_coding", "read_responses", "read_table",
           "responses_from_table"]
