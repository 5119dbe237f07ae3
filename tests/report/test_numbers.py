"""The one rounding rule: table cells, Excel values, commentary and shares, checked against values
worked out by hand (half up on the decimal value, as Excel and official statistics round)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from komae_analysis.report import numbers
from komae_analysis.report.numbers import (
    EXCEL_FORMATS,
    SHARE_NOTE,
    cell_value,
    default_format,
    format_value,
    shares_add_up,
)

# ---------------------------------------------------------------------------------------------
# The examples of the rounding rule
# ---------------------------------------------------------------------------------------------


def test_2_675_rounds_up_everywhere():
    # 2.675 is stored as 2.67499999999999982236431605997495353221893310546875; printed with two
    # decimals it is 2.68 in Excel and in the official tables, 2.67 with Python's format().
    assert f"{2.675:.2f}" == "2.67"  # the trap the rule avoids
    assert format_value(2.675, "dec2") == "2.68"
    assert numbers.dec(2.675, 2) == "2.68"
    assert numbers.rounded(2.675, 2) == Decimal("2.68")


def test_7245_of_14000_is_51_8_in_table_and_text():
    share = 7245 / 14000  # = 0.5175 exactly in decimal; 51.75 % → 51.8 (half up)
    assert format_value(share, "pct") == "51.8"  # the cell: no ％ sign, the 単位 line says ％
    assert numbers.pct(share) == "51.8％"  # the commentary
    assert cell_value(share, "pct") == 51.75  # Excel stores the percentage
    assert numbers.shown_pct(share) == Decimal("51.8")


def test_0_0005_as_percentage_is_0_1():
    assert format_value(0.0005, "pct") == "0.1"
    assert numbers.pct(0.0005) == "0.1％"
    assert format_value(0.00049, "pct") == "0.0"


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (82258, "int", "82,258"),
        (np.int64(1234567), "int", "1,234,567"),
        (-1234, "int", "△1,234"),
        (82257.5, "int", "82,258"),
        (2.5, "int", "3"),  # round() would give 2
        (-2.5, "int", "△3"),  # half away from zero
        (0.24251, "pct", "24.3"),
        (0.2425, "pct", "24.3"),  # float 0.2425 is 0.24249999…
        (1.0, "pct", "100.0"),
        (-0.0123, "pct", "△1.2"),
        (1.25, "dec1", "1.3"),
        (1.95, "dec1", "2.0"),
        (1234.56, "dec1", "1234.6"),  # "0.0" has no thousands separator
        (-0.125, "dec2", "△0.13"),
        (1.005, "dec2", "1.01"),
        ("総数", "text", "総数"),
        (dt.date(2026, 1, 1), "text", "令和8年1月1日"),
        (pd.Timestamp("2019-05-01"), "text", "令和元年5月1日"),
        ("＊", "int", "＊"),  # a suppression mark in a numeric column is shown as is
    ],
)
def test_format_value_by_hand(value, fmt, expected):
    assert format_value(value, fmt) == expected


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
@pytest.mark.parametrize("fmt", ["int", "pct", "dec1", "dec2", "text"])
def test_missing_is_full_width_dash_and_empty_in_excel(missing, fmt):
    assert format_value(missing, fmt) == "－"
    assert cell_value(missing, fmt) is None


def test_format_value_refuses_bad_input():
    with pytest.raises(ValueError, match="書式"):
        format_value(1, "percent")
    with pytest.raises(ValueError, match="文字列の数値"):
        format_value("1,234", "int")
    with pytest.raises(ValueError):
        format_value(float("inf"), "dec1")
    with pytest.raises(ValueError):
        cell_value(float("inf"), "int")


def test_excel_formats_print_negatives_with_triangle():
    for fmt in ("int", "pct", "dec1", "dec2"):
        positive, negative = EXCEL_FORMATS[fmt].split(";")
        assert negative == f'"△"{positive}', fmt
        assert "%" not in positive  # pct cells hold the percentage: no ×100 by Excel
    assert EXCEL_FORMATS["int"] == '#,##0;"△"#,##0'
    assert EXCEL_FORMATS["dec2"] == '0.00;"△"0.00'


def test_cell_values():
    assert cell_value(0.24251, "pct") == pytest.approx(24.251)
    assert cell_value(np.int64(7), "int") == 7 and type(cell_value(np.int64(7), "int")) is int
    assert cell_value(-3.5, "dec1") == -3.5
    assert cell_value(dt.date(2026, 1, 1), "text") == "令和8年1月1日"


def test_default_formats():
    frame = pd.DataFrame(
        {
            "a": pd.array([1, None], dtype="Int64"),
            "b": [1, 2],
            "c": [0.5, np.nan],
            "e": ["x", "y"],
            "f": [True, False],
        }
    )
    got = {c: default_format(frame[c]) for c in frame.columns}
    assert got == {"a": "int", "b": "int", "c": "dec1", "e": "text", "f": "text"}


# ---------------------------------------------------------------------------------------------
# Commentary
# ---------------------------------------------------------------------------------------------


def test_commentary_formatters():
    assert numbers.count(82258, "人") == "82,258人"
    assert numbers.count(-1234.5) == "-1,235"
    assert numbers.dec(1.885, 2, "人") == "1.89人"
    assert numbers.points(-0.75) == "0.8ポイント"
    assert numbers.pct(0.24251) == "24.3％"
    assert numbers.percentage(0.245, 0) == Decimal("25")


def test_difference_of_displayed_values():
    # 24.249 % and 23.451 %: printed 24.2 and 23.5; the raw difference 0.798 would print 0.8,
    # the difference of what the reader sees is 24.2 − 23.5 = 0.7.
    a, b = 0.24249, 0.23451
    assert format_value(a, "pct") == "24.2" and format_value(b, "pct") == "23.5"
    assert numbers.pct_diff(a, b) == Decimal("0.7")
    assert numbers.points(numbers.pct_diff(a, b)) == "0.7ポイント"
    assert numbers.diff_of_shown(2.675, 1.004, 2) == Decimal("2.68") - Decimal("1.00")


# ---------------------------------------------------------------------------------------------
# 構成比
# ---------------------------------------------------------------------------------------------


def test_share_note_wording():
    assert SHARE_NOTE == "構成比は小数第2位を四捨五入しているため、合計が100.0％にならない場合があります。"


@pytest.mark.parametrize(
    ("fractions", "adds_up"),
    [
        ([1 / 3, 1 / 3, 1 / 3], False),  # 33.3 × 3 = 99.9
        ([0.25, 0.25, 0.5], True),  # 25.0 + 25.0 + 50.0
        ([0.1235, 0.3765, 0.5], False),  # 12.4 + 37.7 + 50.0 = 100.1 (both round up)
        ([0.1234, 0.3766, 0.5], True),  # 12.3 + 37.7 + 50.0 = 100.0
        ([2 / 7, 2 / 7, 3 / 7], False),  # 28.571… → 28.6, 42.857… → 42.9: 100.1
    ],
)
def test_shares_add_up(fractions, adds_up):
    assert shares_add_up(fractions) is adds_up


def test_shares_add_up_ignores_missing():
    assert shares_add_up([0.5, 0.5, None, np.nan]) is True
