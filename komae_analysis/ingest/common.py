"""Reading helpers shared by every reader of a raw input.

What lives here, and why it is hand-written rather than taken from a library:

- :func:`read_csv_rows` decodes a CSV as UTF-8 (with or without BOM) or cp932 by *strict* decoding
  (UTF-8 first), then splits it with the standard :mod:`csv` module and keeps each record's line
  number. ``charset_normalizer`` (installed) guesses rather than decides, and these two encodings are
  the only ones Japanese public statistics come in; a strict trial is exact and explains itself.
- :func:`clean_label` normalises labels (NFKC, alignment spaces) with :mod:`unicodedata`.
- :func:`parse_count` parses one count the way Japanese statistical tables write it ("40,386", "-",
  "△12", "…", "x", "***"), distinguishing explicit missing/suppressed markers from zero.
- :class:`Problems` collects :class:`~komae_analysis.errors.InputProblem` s across a whole file so
  that one :class:`~komae_analysis.errors.InputError` lists all of them.
- :func:`read_sheets` reads Excel sheets with python-calamine keeping real row numbers.
- :func:`check_header` finds the header where the layout says it is, and explains what is wrong when
  it is not there.

Row numbers are always 1-based, as a text editor (CSV lines) or a spreadsheet (Excel rows) shows them.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from komae_analysis.errors import InputError, InputProblem, display_name

MAX_PROBLEMS = 50
"""At most this many problems are listed per file; the rest are counted in one closing line."""

HEADER_SEARCH_ROWS = 20
"""How far down a misplaced header is looked for."""

MSG_EMPTY_FILE = "ファイルが空です"
MSG_BAD_ENCODING = "文字コードを判別できません（UTF-8 または Shift_JIS(cp932) で保存してください）"

# Explicit "no figure" markers of Japanese statistical tables (after NFKC: "…" → "...").
MISSING_MARKERS = frozenset({"...", "・・・", "x", "X", "***"})
# Dash-like cells. Whether a dash means zero or "not applicable" is a property of the source.
DASHES = frozenset({"-", "−", "‐", "‑", "–", "—", "―"})
# Japanese tables write negative numbers with a leading triangle.
_NEGATIVE_PREFIXES = ("△", "▲")

_UNSET: Any = object()  # "use the collector's own sheet"

_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_WS_RE = re.compile(r"\s+")
_SPACE_BETWEEN_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


# --------------------------------------------------------------------------------------- labels


def clean_label(value: Any) -> str:
    """A label as compared and stored: NFKC-normalised, without alignment spaces.

    Full-width spaces (U+3000) and ordinary spaces are stripped at both ends, and removed inside the
    label where they stand next to a Japanese character (``"合　計"`` → ``"合計"``, ``"豊島区　"`` →
    ``"豊島区"``); a single space between ASCII words is kept. ``None`` gives ``""``.
    NFKC also turns full-width digits, letters and brackets into their ASCII forms ("（" → "(").
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value) is str:  # the same labels recur on every row (ages, towns): computed once each
        return _clean_text(value)
    return _clean_text(str(value))


@functools.lru_cache(maxsize=8192)
def _clean_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    text = _SPACE_BETWEEN_RE.sub("", text)
    return _WS_RE.sub(" ", text).strip()


def cell_text(value: Any) -> str:
    """How a found value is shown in a message: the text as written, or the number."""
    if value is None:
        return "（空欄）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else "（空欄）"


# ----------------------------------------------------------------------------------- problems


@dataclass
class Problems:
    """Collects the problems of one file; :meth:`raise_if_any` raises them as one InputError."""

    file: str | Path
    sheet: str | None = None
    cap: int = MAX_PROBLEMS
    items: list[InputProblem] = field(default_factory=list)
    dropped: int = 0

    def __post_init__(self) -> None:
        self.file = display_name(self.file)

    def __bool__(self) -> bool:
        return bool(self.items) or self.dropped > 0

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def add(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: Any = None,
        found: Any = None,
        sheet: Any = _UNSET,
    ) -> None:
        if len(self.items) >= self.cap:
            self.dropped += 1
            return
        self.items.append(
            InputProblem(
                file=str(self.file),
                message=message,
                sheet=self.sheet if sheet is _UNSET else sheet,
                row=row,
                column=column,
                expected=None if expected is None else str(expected),
                found=None if found is None else str(found),
            )
        )

    def extend(self, problems: Iterable[InputProblem]) -> None:
        for p in problems:
            if len(self.items) >= self.cap:
                self.dropped += 1
            else:
                self.items.append(p)

    def all(self) -> list[InputProblem]:
        """The problems, with a closing line when some were left out."""
        out = list(self.items)
        if self.dropped:
            out.append(
                InputProblem(
                    file=str(self.file),
                    message=f"ほかに{self.dropped}件の問題があります（最初の{self.cap}件のみ表示しています）",
                )
            )
        return out

    def raise_if_any(self) -> None:
        if self:
            raise InputError(self.all())

    def count(
        self,
        value: Any,
        *,
        row: int | None,
        column: str | None,
        sheet: Any = _UNSET,
        dash: str = "zero",
        empty: str = "error",
        allow_negative: bool = False,
        allow_fraction: bool = False,
        allow_missing: bool = False,
    ) -> int | float | None:
        """Parse one count (see :func:`parse_count`); a bad value is recorded and gives ``None``."""
        try:
            return parse_count(
                value,
                dash=dash,
                empty=empty,
                allow_negative=allow_negative,
                allow_fraction=allow_fraction,
                allow_missing=allow_missing,
            )
        except CountError as e:
            self.add(
                e.message, row=row, column=column, expected=e.expected, found=cell_text(value), sheet=sheet
            )
            return None


# ------------------------------------------------------------------------------------ counts


class CountError(ValueError):
    """A value that is not an acceptable count; ``message`` and ``expected`` are Japanese."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


def _expected_text(allow_negative: bool, allow_fraction: bool) -> str:
    if allow_fraction:
        return "数値"
    return "整数" if allow_negative else "0以上の整数"


def parse_count(
    value: Any,
    *,
    dash: str = "zero",
    empty: str = "error",
    allow_negative: bool = False,
    allow_fraction: bool = False,
    allow_missing: bool = False,
) -> int | float | None:
    """Parse one count as Japanese statistical tables write it.

    - ``12``, ``"12"``, ``"40,386"``, ``"１２"`` (full width), ``12.0`` → 12;
      ``"-12"``, ``"△12"``, ``"▲12"`` → −12 (only with ``allow_negative``);
      ``"0.94"`` → 0.94 (only with ``allow_fraction``; otherwise a fraction is an error).
    - A dash (``-``, ``－`` …): ``dash="zero"`` (the source says a dash is zero) → 0;
      ``dash="missing"`` → ``None``; ``dash="error"`` → error.
    - Missing/suppressed markers (``…``, ``x``, ``X``, ``***``) → ``None`` with ``allow_missing``,
      otherwise an error: they are never read as zero.
    - An empty cell: ``empty="error"`` (default), ``"missing"`` → ``None``, ``"zero"`` → 0.

    Raises :class:`CountError` with a Japanese message and the expected form.
    """
    # the common cases first (a register holds hundreds of thousands of counts): an int cell, or
    # plain ASCII digits in a CSV
    kind = type(value)
    if kind is int and value >= 0:
        return value
    if kind is float and value >= 0 and value.is_integer():  # Excel numbers come as floats (3.0)
        return int(value)
    if kind is str and value.isascii() and value.isdigit():
        return int(value)
    expected = _expected_text(allow_negative, allow_fraction)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _empty(empty, expected)
    if isinstance(value, bool):
        raise CountError("数値ではありません", expected)
    if isinstance(value, int):
        return _check_sign(value, allow_negative, expected)
    if isinstance(value, float):
        if not value.is_integer():
            if not allow_fraction:
                raise CountError("整数ではありません（小数は使えません）", expected)
            return _check_sign(value, allow_negative, expected)
        return _check_sign(int(value), allow_negative, expected)
    if not isinstance(value, str):
        raise CountError("数値ではありません", expected)

    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return _empty(empty, expected)
    if text in DASHES:
        if dash == "zero":
            return 0
        if dash == "missing":
            return None
        raise CountError("「-」は使えません（0は0と書きます）", expected)
    if text in MISSING_MARKERS:
        if allow_missing:
            return None
        raise CountError("欠測・秘匿の記号は使えません（この列は数値のみ）", expected)
    negative = False
    if text.startswith(_NEGATIVE_PREFIXES):
        negative = True
        text = text[1:].strip()
    if not _NUMBER_RE.match(text):
        raise CountError("数値ではありません", expected)
    text = text.replace(",", "")
    if text.startswith("-"):
        if negative:
            raise CountError("数値ではありません", expected)
        negative = True
        text = text[1:]
    text = text.lstrip("+")
    if "." in text:
        number: int | float = float(text)
        if float(number).is_integer():
            number = int(float(number))
        elif not allow_fraction:
            raise CountError("整数ではありません（小数は使えません）", expected)
    else:
        number = int(text)
    if negative:
        number = -number
    return _check_sign(number, allow_negative, expected)


def _empty(policy: str, expected: str) -> int | None:
    if policy == "missing":
        return None
    if policy == "zero":
        return 0
    raise CountError("値が空欄です（0は0と書きます）", expected)


def _check_sign(number: int | float, allow_negative: bool, expected: str) -> int | float:
    if number < 0 and not allow_negative:
        raise CountError("負の数は使えません", expected)
    return number


# --------------------------------------------------------------------------------- CSV files


@dataclass(frozen=True)
class CsvRows:
    """A decoded CSV: each record with the line it starts on."""

    path: Path
    encoding: str  # "utf-8-sig" (UTF-8 with BOM), "utf-8" or "cp932"
    rows: list[tuple[int, list[str]]]

    @property
    def name(self) -> str:
        return display_name(self.path)


def _bad_char_ratio(text: str) -> float:
    bad = 0
    for ch in text:
        if ch == "\ufffd" or ch == "\x00":
            return 1.0
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\t\r\n") or cat in ("Co", "Cn"):
            bad += 1
    return bad / max(len(text), 1)


def decode_text(path: str | Path) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM) first, then cp932, both strict.

    Returns ``(text, encoding)``. Raises InputError 「ファイルが空です」 for an empty (or only
    whitespace) file and 「文字コードを判別できません…」 when neither decoding works or the result is
    full of replacement/control characters (a binary file, UTF-16, …).
    """
    p = Path(path)
    raw = p.read_bytes()
    if not raw.strip() or raw.strip() == b"\xef\xbb\xbf":
        raise InputError.single(p, MSG_EMPTY_FILE)
    text: str | None = None
    encoding = ""
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig":
            encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        else:
            encoding = enc
        break
    if text is None or _bad_char_ratio(text) > 0.001:
        raise InputError.single(p, MSG_BAD_ENCODING)
    if not text.strip():
        raise InputError.single(p, MSG_EMPTY_FILE)
    return text, encoding


def read_csv_rows(path: str | Path) -> CsvRows:
    """Read a CSV (UTF-8/UTF-8 with BOM/cp932) into records with their 1-based starting line."""
    p = Path(path)
    text, encoding = decode_text(p)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as e:
        raise InputError.single(p, "CSVとして読めません", row=start, found=str(e)) from None
    return CsvRows(path=p, encoding=encoding, rows=rows)


def list_files(folder: Path, pattern: str) -> list[Path]:
    """The files of ``folder`` matching ``pattern``, sorted by name; Excel lock files (``~$…``) and
    hidden files skipped; an absent folder has none."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith(("~$", ".")))


def is_blank_row(cells: Sequence[Any]) -> bool:
    """True when every cell is empty (None or only spaces)."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# ------------------------------------------------------------------------------- Excel files


@dataclass(frozen=True)
class Sheet:
    """One worksheet: every row from row 1 with its spreadsheet row number."""

    file: str
    name: str
    rows: list[tuple[int, tuple[Any, ...]]]

    def cell(self, row: int, col: int) -> Any:
        """The value at a 1-based row and 0-based column index, None when absent."""
        if 1 <= row <= len(self.rows):
            values = self.rows[row - 1][1]
            if col < len(values):
                return values[col]
        return None


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_sheets(path: str | Path, names: Sequence[str]) -> dict[str, Sheet]:
    """Read the named sheets of an Excel workbook (.xlsx, also .xls/.xlsb/.ods) with python-calamine.

    Every row from row 1 is kept with its spreadsheet row number; empty cells are ``""`` and numbers
    may come as floats (``3.0``), which :func:`parse_count` accepts as integers. Formulas give their
    cached values. A missing sheet is reported as 「シート『…』がありません（あるシート: …）」; all
    missing sheets are reported together. A sheet is also found when its name differs only by
    alignment spaces or character width. (python-calamine rather than openpyxl: about ten times faster
    on a 4,000-row register export, and it also opens old .xls files.)
    """
    from python_calamine import CalamineWorkbook  # imported here: only Excel readers pay for it

    p = Path(path)
    if p.stat().st_size == 0:
        raise InputError.single(p, MSG_EMPTY_FILE)
    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as e:  # CalamineError, zip errors … for a file that is not a workbook
        raise InputError.single(
            p,
            "Excelファイル（.xlsx）として開けません（CSV などの場合は .xlsx で保存し直してください）",
            found=type(e).__name__,
        ) from None
    try:
        problems = Problems(p)
        available = list(wb.sheet_names)
        by_clean = {clean_label(n): n for n in available}
        out: dict[str, Sheet] = {}
        for name in names:
            real = name if name in available else by_clean.get(clean_label(name))
            if real is None:
                problems.add(
                    f"シート『{name}』がありません（あるシート: {'、'.join(available)}）", sheet=name
                )
                continue
            try:
                values = wb.get_sheet_by_name(real).to_python(skip_empty_area=False)
            except Exception as e:
                problems.add("シートを読み取れません", sheet=name, found=f"{type(e).__name__}: {e}")
                continue
            rows = [(i, tuple(v)) for i, v in enumerate(values, start=1)]
            out[name] = Sheet(file=display_name(p), name=name, rows=rows)
        problems.raise_if_any()
        return out
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()


# ------------------------------------------------------------------------------------ headers


def check_header(
    problems: Problems,
    rows: Sequence[tuple[int, Sequence[Any]]],
    expected: Sequence[str],
    header_row: int,
    *,
    exact: bool = False,
) -> dict[str, int] | None:
    """Check that ``expected`` labels are the header on ``header_row``; map label → column index.

    Labels are compared after :func:`clean_label`. On failure the problems say what is wrong and
    ``None`` is returned:

    - the header is found on another row within the first 20 → 「見出し行は5行目にあるはずですが、
      7行目にあります」;
    - a label is missing → 「列『女』がありません」 (one problem per missing label);
    - with ``exact=True`` the header must be exactly ``expected`` in that order, with nothing more.

    The mapping is keyed by the labels as given in ``expected``.
    """
    wanted = [clean_label(e) for e in expected]
    by_row = {r: list(cells) for r, cells in rows}

    def labels(cells: Sequence[Any]) -> list[str]:
        return [clean_label(c) for c in cells]

    def score(cells: Sequence[Any]) -> int:
        present = set(labels(cells))
        return sum(w in present for w in wanted)

    here = labels(by_row.get(header_row, []))
    found_text = " | ".join(x for x in here if x) or "（空行）"
    expected_text = " | ".join(expected)
    here_score = score(here)
    if here_score < len(wanted):
        best_row, best_score = None, 0
        for r, cells in rows:
            if r > HEADER_SEARCH_ROWS:
                break
            if r != header_row:
                s = score(cells)
                if s > best_score:
                    best_row, best_score = r, s
        if best_row is not None and best_score > here_score and best_score >= max(2, (len(wanted) + 1) // 2):
            problems.add(
                f"見出し行は{header_row}行目にあるはずですが、{best_row}行目にあります",
                row=best_row,
                expected=f"{header_row}行目: {expected_text}",
                found=f"{best_row}行目: " + " | ".join(x for x in labels(by_row[best_row]) if x),
            )
            return None
        if here_score == 0:
            problems.add(
                f"{header_row}行目に見出し行がありません",
                row=header_row,
                expected=expected_text,
                found=found_text,
            )
            return None
        for label, w in zip(expected, wanted, strict=True):
            if w not in here:
                problems.add(
                    f"列『{label}』がありません", row=header_row, expected=expected_text, found=found_text
                )
        return None

    mapping: dict[str, int] = {}
    duplicated = False
    for label, w in zip(expected, wanted, strict=True):
        positions = [i for i, x in enumerate(here) if x == w]
        if len(positions) > 1:
            duplicated = True
            problems.add(
                f"列『{label}』が2つ以上あります（{'、'.join(column_letter(i) + '列' for i in positions)}）",
                row=header_row,
                expected=expected_text,
                found=found_text,
            )
        mapping[label] = positions[0]
    if duplicated:
        return None
    if exact:
        trimmed = list(here)
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        if trimmed != wanted:
            problems.add(
                "見出しの並びが様式と違います", row=header_row, expected=expected_text, found=found_text
            )
            return None
    return mapping


def pad(cells: Sequence[Any], n: int) -> list[Any]:
    """The cells of a row as a list of at least ``n`` cells (short rows padded with None)."""
    out = list(cells)
    return out + [None] * (n - len(out)) if len(out) < n else out

def find_row(
    rows: Sequence[tuple[int, Sequence[Any]]],
    wanted: Callable[[list[str]], bool],
    *,
    limit: int = HEADER_SEARCH_ROWS,
) -> int | None:
    """Index (in ``rows``) of the first row among the first ``limit`` whose cleaned labels satisfy
    ``wanted``; None when there is none. Headers are found by what they say, not where they are."""
    for i, (line, cells) in enumerate(rows):
        if line > limit:
            break
        if wanted([clean_label(c) for c in cells]):
            return i
    return None
