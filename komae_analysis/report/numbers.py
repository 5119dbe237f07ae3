"""Every number a reader sees, formatted by one rule: round half up, as Excel and Japanese official
statistics do.

One module for table cells (HTML and Excel), commentary and figure labels, so that a number written in
a sentence is the number printed in the table beside it. Rounding is applied to the value as Excel
holds it (15 significant digits), half away from zero: 0.0005 as a percentage with one decimal is
0.1, 2.675 with two decimals is 2.68 (Python's ``round`` and ``format`` would give 2.67, because the
binary float is a hair below 2.675).

Table conventions (Japanese statistical tables):

- a negative number is printed with △ (△1,234), in HTML and through the Excel number format;
- a share (``pct``) is printed as a bare number (24.3) and the table's 単位 line says ％; Excel holds
  the percentage (24.25…), not the fraction, so that what an editor copies is what is printed;
- a missing value is 「－」 (該当数値なし), in HTML and as the text of the Excel cell; a table can mark a
  missing cell with another of the standard marks instead (:data:`MARKS`: 「…」 for a figure not
  available or not published, 「x」 for one withheld to protect respondents);
- a difference shown beside two printed values is the difference of the printed values
  (:func:`pct_diff`, :func:`diff_of_shown`).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from komae_analysis.calendar import wareki_date

__all__ = [
    "EXCEL_FORMATS",
    "FORMATS",
    "MARKS",
    "MISSING",
    "NEGATIVE",
    "NUMERIC_FORMATS",
    "SHARE_NOTE",
    "cell_value",
    "count",
    "dec",
    "default_format",
    "diff_of_shown",
    "format_value",
    "is_missing",
    "is_number",
    "pct",
    "pct_diff",
    "percentage",
    "points",
    "rounded",
    "shares_add_up",
    "shown_pct",
]

#: The mark of a negative number in tables.
NEGATIVE = "△"
#: How a missing value is shown (in HTML and as the text of the Excel cell).
MISSING = "－"
#: The marks a table cell may show instead of a number, as in Japanese official statistics, and what
#: each means (for the 注 of a table that uses them).
MARKS: dict[str, str] = {
    "－": "該当数値なし",
    "…": "数値が得られないもの（未公表・不詳）",
    "x": "秘匿（個人や事業所が特定されないよう数値を伏せたもの）",
}

#: The number formats a table column can have, and the Excel number format each one maps to.
EXCEL_FORMATS: dict[str, str] = {
    "int": f'#,##0;"{NEGATIVE}"#,##0',
    "pct": f'0.0;"{NEGATIVE}"0.0',  # the cell holds the percentage (24.25), not the fraction
    "dec1": f'0.0;"{NEGATIVE}"0.0',
    "dec2": f'0.00;"{NEGATIVE}"0.00',
    "text": "@",
}
FORMATS = frozenset(EXCEL_FORMATS)
NUMERIC_FORMATS = frozenset({"int", "pct", "dec1", "dec2"})
_PLACES = {"int": 0, "pct": 1, "dec1": 1, "dec2": 2}


# ---------------------------------------------------------------------------------------------
# The rounding rule
# ---------------------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return bool(result) if isinstance(result, bool | np.bool_) else False


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)


def _decimal(value: Any) -> Decimal:
    """The value as Excel holds it for display: exact for integers and Decimals, 15 significant digits
    for floats."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    f = float(value)
    if not math.isfinite(f):
        raise ValueError(f"表示できない数値です: {value!r}")
    if f == 0.0:
        return Decimal(0)
    return Decimal(f"{f:.15g}")


def rounded(value: Any, places: int = 0) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals (the one rounding rule)."""
    return _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percentage(fraction: Any, places: int = 1) -> Decimal:
    """A fraction as a percentage rounded to ``places`` decimals (0.24251 → 24.3; axis ticks use 0)."""
    return rounded(_decimal(fraction) * 100, places)


def shown_pct(fraction: Any) -> Decimal:
    """The percentage printed for a fraction (0.24251 → 24.3)."""
    return percentage(fraction, 1)


def pct_diff(a: Any, b: Any) -> Decimal:
    """The difference in ポイント of two fractions as printed: shown(a) − shown(b)."""
    return shown_pct(a) - shown_pct(b)


def diff_of_shown(a: Any, b: Any, places: int = 1) -> Decimal:
    """The difference of two numbers as printed with ``places`` decimals."""
    return rounded(a, places) - rounded(b, places)


# ---------------------------------------------------------------------------------------------
# Table cells (HTML text and the value Excel stores)
# ---------------------------------------------------------------------------------------------


def _looks_numeric(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if not t:
        return False
    try:
        float(t)
    except ValueError:
        return False
    return True


def _text(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return wareki_date(value.date())
        return f"{wareki_date(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return wareki_date(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _stored(value: Any, fmt: str) -> Decimal:
    d = _decimal(value)
    return d * 100 if fmt == "pct" else d


def format_value(value: Any, fmt: str) -> str:
    """The text printed for ``value`` in a column of format ``fmt`` (what Excel displays too).

    - ``int``: 82,258; △1,234
    - ``pct``: a fraction shown as a percentage without the sign (0.24251 → 24.3; the 単位 line says ％)
    - ``dec1`` / ``dec2``: 1.9 / 1.95 (no thousands separators, as in Excel's ``0.0``)
    - ``text``: the value as text; dates in 和暦 (令和8年1月1日)

    A missing value (None, NA, NaN, NaT) gives 「－」. A text value in a numeric column (e.g. a
    suppression mark 「x」) is shown as it is; a number written as text there is refused, because
    Excel would store it as text.
    """
    if fmt not in FORMATS:
        raise ValueError(f"数値書式「{fmt}」は使えません（使えるもの: {', '.join(sorted(FORMATS))}）")
    if is_missing(value):
        return MISSING
    if fmt == "text" or not is_number(value):
        if fmt != "text" and isinstance(value, str) and _looks_numeric(value):
            raise ValueError(f"数値の列に文字列の数値 {value!r} があります。数値として渡してください")
        return _text(value)
    d = _stored(value, fmt)
    places = _PLACES[fmt]
    r = rounded(abs(d), places)
    text = format(r, ",f") if fmt == "int" else format(r, "f")
    return f"{NEGATIVE}{text}" if d < 0 else text


def cell_value(value: Any, fmt: str) -> Any:
    """What an Excel cell of format ``fmt`` stores: numbers as Python numbers (a ``pct`` fraction as
    its percentage), text as str, missing as None."""
    if is_missing(value):
        return None
    if fmt in NUMERIC_FORMATS and is_number(value):
        format_value(value, fmt)  # refuses inf and other values Excel cannot show
        if fmt == "pct":
            return float(_stored(value, fmt))
        if isinstance(value, int | np.integer):
            return int(value)
        return float(value)
    if fmt in NUMERIC_FORMATS:
        format_value(value, fmt)  # refuses numbers written as text
    return _text(value) or None


def default_format(series: pd.Series) -> str:
    """The format of a column that ``formats`` does not name: int for integers, dec1 for floats, else text."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "text"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "dec1"
    return "text"


# ---------------------------------------------------------------------------------------------
# Commentary and figure labels
# ---------------------------------------------------------------------------------------------


def count(value: Any, unit: str = "") -> str:
    """82,258 (with ``unit`` appended: 82,258人). Negative values keep a minus sign in prose."""
    r = rounded(value, 0)
    return f"{'-' if r < 0 else ''}{format(abs(r), ',f')}{unit}"


def dec(value: Any, places: int = 1, unit: str = "") -> str:
    """1.89 — ``places`` decimals, half up."""
    return f"{format(rounded(value, places), 'f')}{unit}"


def pct(fraction: Any, sign: str = "％") -> str:
    """A fraction as the percentage printed in tables: 0.24251 → 24.3％."""
    return f"{format(shown_pct(fraction), 'f')}{sign}"


def points(diff: Any) -> str:
    """The size of a difference in ポイント (no sign: the sentence says 上昇 or 低下): 0.8ポイント."""
    return f"{format(abs(rounded(diff, 1)), 'f')}ポイント"


# ---------------------------------------------------------------------------------------------
# 構成比
# ---------------------------------------------------------------------------------------------

#: The conventional 注 of a table whose printed shares do not add up to 100.0.
SHARE_NOTE = "構成比は小数第2位を四捨五入しているため、合計が100.0％にならない場合があります。"


def shares_add_up(fractions: Any) -> bool:
    """Whether shares (fractions of one whole), as printed with one decimal, add up to exactly 100.0."""
    return sum((shown_pct(f) for f in fractions if not is_missing(f)), Decimal(0)) == Decimal("100.0")
