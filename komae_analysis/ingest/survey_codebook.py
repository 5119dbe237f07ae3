"""The survey codebook (調査票設計): an Excel workbook an analyst fills in from the questionnaire, read
and checked into a :class:`Codebook`.

Layout (the public contract, documented in data/raw/README.md ``survey_*/``), three sheets, each with a
header row found by its labels (not by position: a header moved down a few rows still reads):

- 「調査概要」: 項目 | 値, rows 調査名, 調査対象, 抽出方法, 調査期間, 配布数, 母集団数, 上限超過の扱い
  (``先頭から採用`` / ``無効`` / ``すべて採用``; blank = 無効). 調査期間 is a date range
  (令和7年11月1日～11月20日, 2025-11-01～2025-11-20, or an Excel date); its first day is the survey's
  reference date.
- 「設問」: 設問ID | 設問文 | 形式 (SA, MA, NUM, FA) | 上限 | 対象条件 | 無回答コード | 属性 | 設問グループ | 前回設問ID.
- 「選択肢」: 設問ID | コード | ラベル | 前回コード (optional column). For a NUM question the rows, if any,
  are its distribution bands: コード = the lower bound of the band, ラベル = its label.

Every problem is collected (file, sheet, row, column, expected, found, in Japanese) and raised as one
:class:`~komae_analysis.errors.InputError`: an unknown 形式, a 上限 on a question that is not MA, a
malformed or unresolvable 対象条件, a 無回答コード that is also an option, duplicated IDs or codes,
options of an unknown question, a 設問グループ whose questions do not share one scale, …
:func:`check_previous` checks a codebook's 前回設問ID / 前回コード against the previous wave's codebook.

対象条件 (a question asked only of some respondents): ``Q5 = 1``, ``Q5 in (1,2)``, ``Q5 != 3``,
``Q5 not in (3,4)``, for a NUM question also ``<``, ``<=``, ``>``, ``>=``, joined with ``and`` / ``or``
(``and`` binds first) and parentheses; full-width characters are read as their ASCII forms. On an MA
question ``in`` means "marked any of". A respondent who did not answer the question a condition reads is
not eligible. :meth:`Condition.evaluate` evaluates a condition on whole answer arrays at once.

Nothing here reads the responses: :mod:`komae_analysis.ingest.survey_responses` does, with a codebook.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from komae_analysis.calendar import parse_wareki, wareki_date
from komae_analysis.errors import InputError, InputProblem, display_name
from komae_analysis.ingest.common import Problems, Sheet, cell_text, clean_label, is_blank_row, read_sheets

OVERVIEW_SHEET = "調査概要"
QUESTIONS_SHEET = "設問"
OPTIONS_SHEET = "選択肢"
SHEETS = (OVERVIEW_SHEET, QUESTIONS_SHEET, OPTIONS_SHEET)

OVERVIEW_HEADER = ("項目", "値")
OVERVIEW_ITEMS = ("調査名", "調査対象", "抽出方法", "調査期間", "配布数", "母集団数", "上限超過の扱い")
QUESTION_HEADER = ("設問ID", "設問文", "形式", "上限", "対象条件", "無回答コード", "属性", "設問グループ", "前回設問ID")
OPTION_HEADER = ("設問ID", "コード", "ラベル")
OPTION_OPTIONAL = ("前回コード",)

KINDS = ("SA", "MA", "NUM", "FA")
KIND_NAMES = {"SA": "単数回答", "MA": "複数回答", "NUM": "数量回答", "FA": "自由回答"}
#: What a capped MA does with a respondent who marks more than allowed (blank = 無効).
OVERFLOW_FIRST = "先頭から採用"
OVERFLOW_INVALID = "無効"
OVERFLOW_ALL = "すべて採用"
OVERFLOW_RULES = (OVERFLOW_FIRST, OVERFLOW_INVALID, OVERFLOW_ALL)

HEADER_SEARCH_ROWS = 20
_CODE_SPLIT = re.compile(r"[,、;；/・\s]+")


# ============================================================================ the codebook


@dataclass(frozen=True)
class Option:
    code: int
    label: str
    previous_codes: tuple[int, ...] = ()  # the previous wave's codes merged into this one
    row: int = 0  # the row of the 選択肢 sheet


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str  # SA | MA | NUM | FA
    options: tuple[Option, ...] = ()
    limit: int | None = None  # MA: at most this many marks
    condition: Condition | None = None
    condition_text: str = ""
    missing_code: int | None = None
    attribute: str = ""  # 性別 / 年代 / 圏域 … when the question is a respondent attribute
    group: str = ""  # questions sharing one scale (a Likert block)
    previous_id: str = ""
    row: int = 0  # the row of the 設問 sheet

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(o.code for o in self.options)

    def label_of(self, code: int) -> str:
        for o in self.options:
            if o.code == code:
                return o.label
        raise KeyError(code)

    @property
    def has_previous_mapping(self) -> bool:
        """Whether the 前回コード column says which previous codes each option takes (otherwise the
        previous wave's codes are the same codes)."""
        return any(o.previous_codes for o in self.options)


@dataclass(frozen=True)
class Overview:
    title: str
    target: str
    sampling: str
    period_text: str
    start: dt.date
    end: dt.date
    distributed: int | None
    population: int | None
    overflow: str  # one of OVERFLOW_RULES

    @property
    def period_label(self) -> str:
        """令和7年11月1日～令和7年11月20日"""
        if self.start == self.end:
            return wareki_date(self.start)
        return f"{wareki_date(self.start)}～{wareki_date(self.end)}"


@dataclass(frozen=True)
class Codebook:
    overview: Overview
    questions: tuple[Question, ...]
    file: str = ""  # how messages name the workbook

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def question(self, qid: str) -> Question:
        try:
            return self._by_id[qid]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(f"設問「{qid}」は調査票設計にありません") from None

    def __contains__(self, qid: str) -> bool:
        return qid in self._by_id  # type: ignore[attr-defined]

    @property
    def date(self) -> dt.date:
        """The survey's reference date: the first day of 調査期間."""
        return self.overview.start

    def attributes(self) -> dict[str, Question]:
        """属性 label → its question, in questionnaire order."""
        return {q.attribute: q for q in self.questions if q.attribute}

    def groups(self) -> dict[str, list[Question]]:
        """設問グループ → its questions, in questionnaire order."""
        out: dict[str, list[Question]] = {}
        for q in self.questions:
            if q.group:
                out.setdefault(q.group, []).append(q)
        return out

    def describe_condition(self, q: Question) -> str:
        """The 対象条件 in words for a table's 注: 「問5で『ある』『ときどきある』と回答した方」."""
        if q.condition is None:
            return ""
        return q.condition.describe(self) + "と回答した方"


# ============================================================================ conditions


class ConditionError(ValueError):
    """A malformed 対象条件 (message in Japanese)."""


@dataclass(frozen=True)
class Compare:
    qid: str
    op: str  # in | not in | < | <= | > | >=
    values: tuple[float, ...]

    def questions(self) -> set[str]:
        return {self.qid}

    def evaluate(self, answers: Callable[[str], tuple[str, Any]]) -> np.ndarray:
        kind, data = answers(self.qid)
        values = np.asarray(self.values, dtype=float)
        if kind == "SA":  # int codes, -1 = no answer
            answered = data >= 0
            if self.op not in ("in", "not in"):
                return answered & _compare(data.astype(float), self.op, values[0])
            hit = np.isin(data, values.astype(np.int64))
            return answered & (hit if self.op == "in" else ~hit)
        if kind == "MA":  # (codes, bool matrix n × k)
            codes, marks = data
            cols = [i for i, c in enumerate(codes) if c in set(values.astype(np.int64).tolist())]
            any_hit = marks[:, cols].any(axis=1) if cols else np.zeros(marks.shape[0], dtype=bool)
            answered = marks.any(axis=1)
            return any_hit if self.op == "in" else answered & ~any_hit
        if kind == "NUM":  # floats, NaN = no answer
            answered = ~np.isnan(data)
            if self.op in ("in", "not in"):
                hit = np.isin(data, values)
                return answered & (hit if self.op == "in" else ~hit)
            with np.errstate(invalid="ignore"):
                return answered & _compare(data, self.op, values[0])
        raise ConditionError(f"設問「{self.qid}」（{kind}）は対象条件に使えません")

    def describe(self, codebook: Codebook) -> str:
        q = codebook.question(self.qid)
        if q.kind in ("SA", "MA") and self.op in ("in", "not in"):
            labels = "".join(f"「{q.label_of(int(v))}」" for v in self.values if int(v) in q.codes)
            return f"{q.id}で{labels}{'以外' if self.op == 'not in' else ''}"
        words = {"<": "未満", "<=": "以下", ">": "より大きい", ">=": "以上"}
        if self.op in words:
            return f"{q.id}が{_number_text(self.values[0])}{words[self.op]}"
        values = "・".join(_number_text(v) for v in self.values)
        return f"{q.id}が{values}{'以外' if self.op == 'not in' else ''}"


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _compare(data: np.ndarray, op: str, value: float) -> np.ndarray:
    return {"<": data < value, "<=": data <= value, ">": data > value, ">=": data >= value}[op]


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    parts: tuple[Condition, ...]

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))

    def evaluate(self, answers: Callable[[str], tuple[str, Any]]) -> np.ndarray:
        results = [p.evaluate(answers) for p in self.parts]
        out = results[0]
        for r in results[1:]:
            out = (out & r) if self.op == "and" else (out | r)
        return out

    def describe(self, codebook: Codebook) -> str:
        joiner = "、かつ" if self.op == "and" else "、または"
        return joiner.join(p.describe(codebook) for p in self.parts)


Condition = Compare | BoolOp

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)(?![^\s=!<>(),])|(?P<op><=|>=|!=|<>|==|=|<|>)|(?P<punct>[(),])"
    r"|(?P<word>[^\s=!<>(),]+))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"「{text[pos:]}」の書き方が読めません")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "word" and value.lower() in ("and", "or", "in", "not"):
            kind, value = "kw", value.lower()
        out.append((kind, value))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def parse_condition(text: str) -> Condition:
    """A 対象条件 (after NFKC) → its tree; ConditionError (Japanese) when it cannot be read."""
    norm = unicodedata.normalize("NFKC", text).replace("＝", "=").strip()
    if not norm:
        raise ConditionError("空です")
    tokens = _tokens(norm)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take(kind: str, value: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            want = value or {"word": "設問ID", "num": "数値", "punct": "記号"}.get(kind, kind)
            got = "（終わり）" if tok is None else tok[1]
            raise ConditionError(f"「{want}」があるべきところに「{got}」があります")
        pos += 1
        return tok[1]

    def number() -> float:
        tok = peek()
        if tok is None or tok[0] != "num":
            raise ConditionError(f"数値があるべきところに「{'（終わり）' if tok is None else tok[1]}」があります")
        return float(take("num"))

    def comparison() -> Condition:
        tok = peek()
        if tok == ("punct", "("):
            take("punct", "(")
            inner = disjunction()
            take("punct", ")")
            return inner
        if tok is None or tok[0] not in ("word", "num"):
            raise ConditionError(f"設問IDがあるべきところに「{'（終わり）' if tok is None else tok[1]}」があります")
        qid = tok[1]
        nonlocal pos
        pos += 1
        nxt = peek()
        if nxt == ("kw", "not"):
            pos += 1
            take("kw", "in")
            return Compare(qid, "not in", values_list())
        if nxt == ("kw", "in"):
            pos += 1
            return Compare(qid, "in", values_list())
        if nxt is not None and nxt[0] == "op":
            pos += 1
            op = {"=": "in", "==": "in", "!=": "not in", "<>": "not in"}.get(nxt[1], nxt[1])
            return Compare(qid, op, (number(),))
        raise ConditionError(
            f"設問「{qid}」の後に比較（=、in (…)、!= など）がありません"
            + (f"（「{nxt[1]}」があります）" if nxt else "")
        )

    def values_list() -> tuple[float, ...]:
        take("punct", "(")
        values = [number()]
        while peek() == ("punct", ","):
            take("punct", ",")
            values.append(number())
        take("punct", ")")
        return tuple(values)

    def conjunction() -> Condition:
        parts = [comparison()]
        while peek() == ("kw", "and"):
            take("kw", "and")
            parts.append(comparison())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def disjunction() -> Condition:
        parts = [conjunction()]
        while peek() == ("kw", "or"):
            take("kw", "or")
            parts.append(conjunction())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    tree = disjunction()
    if pos != len(tokens):
        raise ConditionError(f"「{tokens[pos][1]}」から後が読めません（and / or でつないでください）")
    return tree


def _compares(cond: Condition) -> Iterable[Compare]:
    if isinstance(cond, Compare):
        yield cond
    else:
        for p in cond.parts:
            yield from _compares(p)


# ============================================================================ reading


def _text(value: Any) -> str:
    """A cell as text, as written (spaces at both ends removed; numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _int(value: Any) -> int | None:
    """An integer cell (3, 3.0, "3", "３"); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    return float(text) if re.fullmatch(r"-?\d+(?:\.\d+)?", text) else None


def find_header(
    sheet: Sheet, problems: Problems, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[int, dict[str, int]] | None:
    """The header row of ``sheet`` (the first of its first 20 rows holding every ``required`` label)
    and label → column index (``optional`` labels too, when present). Reports what is missing
    otherwise (on the row that comes closest)."""
    wanted = {clean_label(w): w for w in (*required, *optional)}
    best: tuple[int, int, list[str]] | None = None
    for row, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        labels = [clean_label(c) for c in cells]
        present = [w for w in required if clean_label(w) in labels]
        if len(present) == len(required):
            mapping: dict[str, int] = {}
            for i, lab in enumerate(labels):
                if lab in wanted and wanted[lab] not in mapping:
                    mapping[wanted[lab]] = i
                elif lab in wanted:
                    problems.add(f"列『{wanted[lab]}』が2つあります", row=row, expected="見出しは1回ずつ",
                                 found=" | ".join(x for x in labels if x))
                    return None
            return row, mapping
        if best is None or len(present) > best[1]:
            best = (row, len(present), labels)
    if best is None or best[1] == 0:
        problems.add(f"見出し行がありません（先頭{HEADER_SEARCH_ROWS}行に「{'」「'.join(required)}」の行が見つかりません）",
                     expected=" | ".join(required), found="なし")
        return None
    row, _n, labels = best
    for w in required:
        if clean_label(w) not in labels:
            problems.add(f"見出し行に列『{w}』がありません", row=row, column=w, expected=" | ".join(required),
                         found=" | ".join(x for x in labels if x) or "（空行）")
    return None


def _cells(values: tuple[Any, ...], mapping: Mapping[str, int]) -> dict[str, Any]:
    return {k: (values[i] if i < len(values) else None) for k, i in mapping.items()}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_DATE_SEP = re.compile(r"\s*(?:~|〜|～|－|から|—|–)\s*")
_MD = re.compile(r"^(\d{1,2})月(\d{1,2})日$")


def _one_date(value: Any, start: dt.date | None = None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if re.search(r"(令和|平成|昭和)", text):
        try:
            return parse_wareki(text)
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?", text)
    if m:
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            return None
    m = _MD.fullmatch(text)
    if m and start is not None:
        month, day = int(m.group(1)), int(m.group(2))
        year = start.year + (1 if month < start.month else 0)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def parse_period(value: Any) -> tuple[dt.date, dt.date] | None:
    """調査期間 → (first day, last day): 令和7年11月1日～11月20日, 令和7年11月1日～令和7年11月20日,
    2025-11-01～2025-11-20, 2025年11月1日, or an Excel date. None when it cannot be read."""
    if isinstance(value, dt.date | dt.datetime):
        d = _one_date(value)
        return (d, d) if d else None
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    parts = _DATE_SEP.split(text, maxsplit=1)
    start = _one_date(parts[0])
    if start is None:
        return None
    end = _one_date(parts[1], start) if len(parts) > 1 else start
    if end is None or end < start:
        return None
    return start, end


def _read_overview(sheet: Sheet, problems: Problems) -> dict[str, tuple[int, Any]]:
    found = find_header(sheet, problems, OVERVIEW_HEADER)
    if found is None:
        return {}
    header_row, cols = found
    items: dict[str, tuple[int, Any]] = {}
    for row, values in sheet.rows[header_row:]:
        cells = _cells(values, cols)
        if is_blank_row(list(cells.values())):
            continue
        key = clean_label(cells["項目"])
        if key in items:
            problems.add(f"項目「{key}」が2回あります（{items[key][0]}行目と{row}行目）", row=row, column="項目")
            continue
        if key not in OVERVIEW_ITEMS:
            problems.add(f"項目「{key}」は調査概要の項目ではありません", row=row, column="項目",
                         expected="、".join(OVERVIEW_ITEMS), found=cell_text(cells["項目"]))
            continue
        items[key] = (row, cells["値"])
    for key in OVERVIEW_ITEMS:
        if key not in items:
            problems.add(f"項目「{key}」の行がありません", column="項目", expected="、".join(OVERVIEW_ITEMS),
                         found="なし")
    return items


def _overview(items: dict[str, tuple[int, Any]], problems: Problems) -> Overview | None:
    if any(k not in items for k in OVERVIEW_ITEMS):
        return None
    ok = True

    def value(key: str) -> tuple[int, Any]:
        return items[key]

    row, title = value("調査名")
    if _blank(title):
        problems.add("調査名が空欄です", row=row, column="値", expected="調査の名前", found="（空欄）")
        ok = False
    row, period = value("調査期間")
    dates = parse_period(period)
    if dates is None:
        problems.add("調査期間を日付として読めません", row=row, column="値",
                     expected="令和7年11月1日～11月20日 のような日付の範囲", found=cell_text(period))
        ok = False
    counts: dict[str, int | None] = {}
    for key in ("配布数", "母集団数"):
        row, raw = value(key)
        if _blank(raw):
            counts[key] = None
            continue
        n = _int(raw)
        if n is None or n <= 0:
            problems.add(f"{key}は1以上の整数です", row=row, column="値", expected="1以上の整数", found=cell_text(raw))
            ok = False
        counts[key] = n
    if counts["配布数"] and counts["母集団数"] and counts["配布数"] > counts["母集団数"]:
        row, _ = value("配布数")
        problems.add("配布数が母集団数より多くなっています", row=row, column="値",
                     expected=f"母集団数（{counts['母集団数']}）以下", found=counts["配布数"])
        ok = False
    row, rule = value("上限超過の扱い")
    rule_text = clean_label(rule) or OVERFLOW_INVALID
    if rule_text not in OVERFLOW_RULES:
        problems.add("上限超過の扱いが選択肢にありません", row=row, column="値",
                     expected="、".join(OVERFLOW_RULES) + "（空欄は無効）", found=cell_text(rule))
        ok = False
    if not ok or dates is None:
        return None
    return Overview(
        title=_text(title),
        target=_text(value("調査対象")[1]),
        sampling=_text(value("抽出方法")[1]),
        period_text=_text(period),
        start=dates[0],
        end=dates[1],
        distributed=counts["配布数"],
        population=counts["母集団数"],
        overflow=rule_text,
    )


@dataclass
class _QuestionDraft:
    row: int
    id: str
    text: str
    kind: str
    limit: int | None
    condition_text: str
    condition: Condition | None
    missing_code: int | None
    attribute: str
    group: str
    previous_id: str
    options: list[Option] = field(default_factory=list)


def _read_questions(sheet: Sheet, problems: Problems) -> tuple[list[_QuestionDraft], set[str]]:
    """The questions read cleanly, and the IDs of the rows that had a problem."""
    found = find_header(sheet, problems, QUESTION_HEADER)
    if found is None:
        return [], set()
    header_row, cols = found
    out: list[_QuestionDraft] = []
    rejected: set[str] = set()
    seen: dict[str, int] = {}
    for row, values in sheet.rows[header_row:]:
        c = _cells(values, cols)
        if is_blank_row(list(c.values())):
            continue
        qid = clean_label(c["設問ID"])
        bad = False
        if not qid:
            problems.add("設問IDが空欄です", row=row, column="設問ID", expected="設問ID（例: 問1、Q5）", found="（空欄）")
            continue
        if re.search(r"[\s,()=<>!]", qid):
            problems.add("設問IDに空白・カンマ・括弧・比較記号は使えません", row=row, column="設問ID",
                         expected="例: 問1、Q5_2", found=cell_text(c["設問ID"]))
            bad = True
        if qid in seen:
            problems.add(f"設問ID「{qid}」が2回あります（{seen[qid]}行目と{row}行目）", row=row, column="設問ID",
                         expected="設問IDは1回ずつ", found=qid)
            continue
        seen[qid] = row
        kind = clean_label(c["形式"]).upper()
        if kind not in KINDS:
            problems.add(f"形式「{cell_text(c['形式'])}」は使えません", row=row, column="形式",
                         expected="SA、MA、NUM、FA のいずれか", found=cell_text(c["形式"]))
            bad = True
        limit = None
        if not _blank(c["上限"]):
            limit = _int(c["上限"])
            if kind in KINDS and kind != "MA":
                problems.add(f"上限は複数回答（MA）の設問にだけ指定できます（この設問は{kind}）", row=row, column="上限",
                             expected="空欄", found=cell_text(c["上限"]))
                bad = True
            elif limit is None or limit < 1:
                problems.add("上限は1以上の整数です", row=row, column="上限", expected="1以上の整数（空欄は上限なし）",
                             found=cell_text(c["上限"]))
                bad = True
        missing = None
        if not _blank(c["無回答コード"]):
            missing = _int(c["無回答コード"])
            if missing is None:
                problems.add("無回答コードは整数です", row=row, column="無回答コード", expected="整数（例: 9、99）",
                             found=cell_text(c["無回答コード"]))
                bad = True
            elif kind == "FA":
                problems.add("自由回答（FA）には無回答コードを指定できません", row=row, column="無回答コード",
                             expected="空欄", found=cell_text(c["無回答コード"]))
                bad = True
        condition_text = _text(c["対象条件"])
        condition = None
        if condition_text:
            try:
                condition = parse_condition(condition_text)
            except ConditionError as e:
                problems.add(f"対象条件を読めません: {e}", row=row, column="対象条件",
                             expected="例: Q5 = 1、Q5 in (1,2)、Q3 = 1 and Q4 in (2,3)", found=condition_text)
                bad = True
        attribute = clean_label(c["属性"])
        if attribute and kind in KINDS and kind != "SA":
            problems.add(f"属性は単数回答（SA）の設問にだけ付けられます（この設問は{kind}）", row=row, column="属性",
                         expected="空欄", found=cell_text(c["属性"]))
            bad = True
        if bad:
            rejected.add(qid)
            continue
        out.append(_QuestionDraft(row, qid, _text(c["設問文"]), kind, limit, condition_text, condition, missing,
                                  attribute, clean_label(c["設問グループ"]), clean_label(c["前回設問ID"])))
    if not out and not problems:
        problems.add("設問が1つもありません", row=header_row + 1, expected="設問の行", found="なし")
    return out, rejected


def _read_options(sheet: Sheet, problems: Problems, drafts: dict[str, _QuestionDraft],
                  rejected: set[str]) -> None:
    found = find_header(sheet, problems, OPTION_HEADER, OPTION_OPTIONAL)
    if found is None:
        return
    header_row, cols = found
    codes_seen: dict[tuple[str, int], int] = {}
    for row, values in sheet.rows[header_row:]:
        c = _cells(values, cols)
        if is_blank_row(list(c.values())):
            continue
        qid = clean_label(c["設問ID"])
        if qid in rejected:
            continue  # the question's own row has a problem already
        if qid not in drafts:
            problems.add(f"設問ID「{qid}」は「{QUESTIONS_SHEET}」シートにありません", row=row, column="設問ID",
                         expected=f"「{QUESTIONS_SHEET}」シートの設問ID", found=cell_text(c["設問ID"]))
            continue
        q = drafts[qid]
        if q.kind == "FA":
            problems.add(f"自由回答（FA）の設問「{qid}」には選択肢を付けられません", row=row, column="設問ID",
                         expected="SA、MA、NUM の設問", found=qid)
            continue
        code = _int(c["コード"])
        if code is None:
            problems.add("コードは整数です", row=row, column="コード", expected="整数", found=cell_text(c["コード"]))
            continue
        if (qid, code) in codes_seen:
            problems.add(f"設問「{qid}」のコード{code}が2回あります（{codes_seen[(qid, code)]}行目と{row}行目）",
                         row=row, column="コード", expected="コードは設問ごとに1回ずつ", found=code)
            continue
        codes_seen[(qid, code)] = row
        label = _text(c["ラベル"])
        if not label:
            problems.add("ラベルが空欄です", row=row, column="ラベル", expected="選択肢の文", found="（空欄）")
            continue
        previous: tuple[int, ...] = ()
        if "前回コード" in c and not _blank(c["前回コード"]):
            parts = [p for p in _CODE_SPLIT.split(unicodedata.normalize("NFKC", _text(c["前回コード"]))) if p]
            ints = [_int(p) for p in parts]
            if not parts or any(i is None for i in ints):
                problems.add("前回コードは整数（複数はカンマ区切り）です", row=row, column="前回コード",
                             expected="例: 2 または 2,3", found=cell_text(c["前回コード"]))
                continue
            previous = tuple(int(i) for i in ints if i is not None)
        if q.missing_code is not None and code == q.missing_code:
            problems.add(f"コード{code}は設問「{qid}」の無回答コードと同じです", row=row, column="コード",
                         expected=f"無回答コード（{q.missing_code}）以外", found=code)
            continue
        q.options.append(Option(code, label, previous, row))


def _check_questions(drafts: list[_QuestionDraft], problems: Problems, sheet_q: str, sheet_o: str) -> None:
    by_id = {d.id: d for d in drafts}
    for d in drafts:
        if d.kind in ("SA", "MA") and not d.options:
            problems.add(f"設問「{d.id}」（{d.kind}）に選択肢がありません", sheet=sheet_o, column="設問ID",
                         expected=f"「{d.id}」の選択肢の行", found="なし")
        if d.kind == "MA" and d.limit is not None and d.options and d.limit >= len(d.options):
            problems.add(f"上限（{d.limit}）が選択肢の数（{len(d.options)}）以上です", sheet=sheet_q, row=d.row,
                         column="上限", expected=f"{len(d.options) - 1}以下、または空欄", found=d.limit)
        if d.kind == "MA":
            for o in d.options:
                clash = f"{d.id}_{o.code}"
                if clash in by_id:
                    problems.add(f"設問ID「{clash}」は複数回答「{d.id}」の0/1列の名前と重なります", sheet=sheet_q,
                                 row=by_id[clash].row, column="設問ID", expected=f"「{d.id}_コード」以外の名前",
                                 found=clash)
        if d.condition is not None:
            for cmp in _compares(d.condition):
                ref = by_id.get(cmp.qid)
                where = {"sheet": sheet_q, "row": d.row, "column": "対象条件", "found": d.condition_text}
                if cmp.qid == d.id:
                    problems.add("対象条件が自分自身を参照しています", expected="前の設問の回答", **where)
                elif ref is None:
                    problems.add(f"対象条件の設問「{cmp.qid}」は「{sheet_q}」シートにありません",
                                 expected="調査票設計にある設問ID", **where)
                elif ref.kind == "FA":
                    problems.add(f"対象条件に自由回答（FA）の設問「{cmp.qid}」は使えません",
                                 expected="SA、MA、NUM の設問", **where)
                elif ref.kind in ("SA", "MA") and cmp.op in ("<", "<=", ">", ">="):
                    problems.add(f"設問「{cmp.qid}」（{ref.kind}）に大小の比較は使えません（= または in を使います）",
                                 expected=f"{cmp.qid} in (…)", **where)
                elif ref.kind in ("SA", "MA"):
                    codes = {o.code for o in ref.options}
                    bad = [v for v in cmp.values if not float(v).is_integer() or int(v) not in codes]
                    if bad and codes:
                        problems.add(
                            f"対象条件のコード{'、'.join(_number_text(v) for v in bad)}は設問「{cmp.qid}」の選択肢にありません",
                            expected=f"{cmp.qid}のコード（{'、'.join(str(c) for c in sorted(codes))}）", **where)
    # conditions must not go round in a circle
    deps = {d.id: ({c.qid for c in _compares(d.condition)} if d.condition else set()) for d in drafts}
    state: dict[str, int] = {}

    def visit(qid: str, path: list[str]) -> None:
        state[qid] = 1
        for nxt in sorted(deps.get(qid, ())):
            if nxt not in deps:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [qid, nxt]
                problems.add(f"対象条件が循環しています（{' → '.join(cycle)}）", sheet=sheet_q, row=by_id[qid].row,
                             column="対象条件", expected="循環しない条件", found=by_id[qid].condition_text)
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[qid] = 2

    for qid in deps:
        if qid not in state:
            visit(qid, [qid])
    # attributes: one question per label
    attrs: dict[str, _QuestionDraft] = {}
    for d in drafts:
        if d.attribute:
            if d.attribute in attrs:
                problems.add(f"属性「{d.attribute}」が2つの設問に付いています（{attrs[d.attribute].id}と{d.id}）",
                             sheet=sheet_q, row=d.row, column="属性", expected="属性は1設問に1つ", found=d.attribute)
            else:
                attrs[d.attribute] = d
    # a 設問グループ shares one scale
    groups: dict[str, list[_QuestionDraft]] = {}
    for d in drafts:
        if d.group:
            groups.setdefault(d.group, []).append(d)
    for name, members in groups.items():
        first = members[0]
        for d in members:
            if d.kind != "SA":
                problems.add(f"設問グループ「{name}」の設問は単数回答（SA）です（{d.id}は{d.kind}）", sheet=sheet_q,
                             row=d.row, column="設問グループ", expected="SA の設問", found=d.kind)
            elif [(o.code, o.label) for o in d.options] != [(o.code, o.label) for o in first.options]:
                problems.add(f"設問グループ「{name}」の設問は同じ選択肢（コードとラベル）です（{d.id}が{first.id}と違います）",
                             sheet=sheet_q, row=d.row, column="設問グループ", expected=f"{first.id}と同じ選択肢",
                             found="違う選択肢")


def read_codebook(path: str | Path) -> Codebook:
    """Read and check one codebook workbook; one InputError listing every problem."""
    p = Path(path)
    sheets = read_sheets(p, SHEETS)
    all_problems = Problems(p)
    p_over = Problems(p, sheet=OVERVIEW_SHEET)
    p_q = Problems(p, sheet=QUESTIONS_SHEET)
    p_o = Problems(p, sheet=OPTIONS_SHEET)
    overview = _overview(_read_overview(sheets[OVERVIEW_SHEET], p_over), p_over)
    drafts, rejected = _read_questions(sheets[QUESTIONS_SHEET], p_q)
    by_id = {d.id: d for d in drafts}
    _read_options(sheets[OPTIONS_SHEET], p_o, by_id, rejected)
    _check_questions(drafts, p_q, QUESTIONS_SHEET, OPTIONS_SHEET)
    for sub in (p_over, p_q, p_o):
        all_problems.extend(sub.all())
    all_problems.raise_if_any()
    assert overview is not None
    questions = tuple(
        Question(id=d.id, text=d.text, kind=d.kind, options=tuple(sorted(d.options, key=lambda o: o.code)),
                 limit=d.limit, condition=d.condition, condition_text=d.condition_text,
                 missing_code=d.missing_code, attribute=d.attribute, group=d.group, previous_id=d.previous_id,
                 row=d.row)
        for d in drafts
    )
    return Codebook(overview=overview, questions=questions, file=display_name(p))


def check_previous(current: Codebook, previous: Codebook) -> list[InputProblem]:
    """The 前回設問ID / 前回コード of ``current`` checked against the previous wave's codebook: the
    previous question exists and has the same 形式 family, and every 前回コード is one of its codes."""
    out: list[InputProblem] = []
    for q in current.questions:
        if not q.previous_id:
            continue
        if q.previous_id not in previous:
            out.append(InputProblem(
                file=current.file, sheet=QUESTIONS_SHEET, row=q.row, column="前回設問ID",
                message=f"前回設問ID「{q.previous_id}」は前回調査の調査票設計（{previous.file}）にありません",
                expected="前回調査の設問ID", found=q.previous_id))
            continue
        pq = previous.question(q.previous_id)
        if (pq.kind in ("SA", "MA")) != (q.kind in ("SA", "MA")) or (q.kind == "NUM") != (pq.kind == "NUM"):
            out.append(InputProblem(
                file=current.file, sheet=QUESTIONS_SHEET, row=q.row, column="前回設問ID",
                message=f"前回設問「{pq.id}」の形式（{pq.kind}）と今回の形式（{q.kind}）を比べられません",
                expected="SA・MA どうし、NUM どうし", found=pq.kind))
            continue
        codes = set(pq.codes)
        for o in q.options:
            bad = [c for c in o.previous_codes if c not in codes]
            if bad:
                out.append(InputProblem(
                    file=current.file, sheet=OPTIONS_SHEET, row=o.row, column="前回コード",
                    message=(f"前回コード{'、'.join(map(str, bad))}は前回設問「{pq.id}」"
                             f"（{previous.file}）の選択肢にありません"),
                    expected=f"{pq.id}のコード（{'、'.join(map(str, sorted(codes)))}）",
                    found=",".join(map(str, o.previous_codes))))
    return out


def previous_codes(q: Question, previous: Question) -> dict[int, tuple[int, ...]]:
    """Each option code of ``q`` → the codes of ``previous`` it takes (its 前回コード; when the
    question gives none, the same code where the previous question has it)."""
    if q.has_previous_mapping:
        return {o.code: o.previous_codes for o in q.options}
    prev = set(previous.codes)
    return {o.code: ((o.code,) if o.code in prev else ()) for o in q.options}


def raise_problems(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(problems)


__all__ = [
    "KINDS",
    "KIND_NAMES",
    "OVERFLOW_ALL",
    "OVERFLOW_FIRST",
    "OVERFLOW_INVALID",
    "OVERFLOW_RULES",
    "BoolOp",
    "Codebook",
    "Compare",
    "Condition",
    "ConditionError",
    "Option",
    "Overview",
    "Question",
    "check_previous",
    "find_header",
    "parse_condition",
    "parse_period",
    "previous_codes",
    "read_codebook",
]
