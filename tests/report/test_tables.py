"""AppendixTable: number formats (checked by hand against what Excel shows), HTML, save/load."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from komae_analysis.report.tables import (
    TABLE_CSS,
    AppendixTable,
    check_number,
    default_format,
    format_value,
    slug,
)

# ---------------------------------------------------------------------------------------------
# format_value: expected texts written by hand from Excel's display rules
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (82258, "int", "82,258"),
        (np.int64(1234567), "int", "1,234,567"),
        (-1234, "int", "-1,234"),
        (999, "int", "999"),
        (0, "int", "0"),
        (82257.5, "int", "82,258"),  # half up
        (2.5, "int", "3"),  # Python's round() would give 2
        (0.5, "int", "1"),
        (-2.5, "int", "-3"),  # half away from zero, as Excel
        (0.24251, "pct", "24.3%"),
        (0.0005, "pct", "0.1%"),  # half up (float 0.0005 is a hair above; Excel's 15 digits make it exact)
        (0.00049, "pct", "0.0%"),
        (0.2425, "pct", "24.3%"),  # float 0.2425 is 0.24249999…; Excel shows 24.3%
        (1.0, "pct", "100.0%"),
        (0.125, "pct", "12.5%"),
        (1.25, "dec1", "1.3"),  # banker's rounding would give 1.2
        (1.95, "dec1", "2.0"),  # float 1.95 is 1.9499999…; f"{1.95:.1f}" gives "1.9"
        (1.94, "dec1", "1.9"),
        (1234.56, "dec1", "1234.6"),  # "0.0" has no thousands separator
        (3, "dec1", "3.0"),
        (1.005, "dec2", "1.01"),  # float 1.005 is 1.00499999…
        (0.1 + 0.2, "dec2", "0.30"),
        (-0.125, "dec2", "-0.13"),
        ("総数", "text", "総数"),
        (dt.date(2026, 1, 1), "text", "令和8年1月1日"),
        (pd.Timestamp("2019-05-01"), "text", "令和元年5月1日"),
        ("＊", "int", "＊"),  # a suppression mark in a numeric column is shown as is
    ],
)
def test_format_value_by_hand(value, fmt, expected):
    assert format_value(value, fmt) == expected


@pytest.mark.parametrize("missing", [None, np.nan, float("nan"), pd.NA, pd.NaT])
@pytest.mark.parametrize("fmt", ["int", "pct", "dec1", "dec2", "text"])
def test_missing_is_full_width_dash(missing, fmt):
    assert format_value(missing, fmt) == "－"


def test_format_value_refuses_bad_input():
    with pytest.raises(ValueError, match="書式"):
        format_value(1, "percent")
    with pytest.raises(ValueError, match="文字列の数値"):
        format_value("1,234", "int")  # a number written as text would become text in Excel
    with pytest.raises(ValueError):
        format_value(float("inf"), "dec1")


def test_default_formats():
    frame = pd.DataFrame(
        {
            "a": pd.array([1, None], dtype="Int64"),
            "b": [1, 2],
            "c": [0.5, np.nan],
            "d": pd.array([0.5, None], dtype="Float64"),
            "e": ["x", "y"],
            "f": [True, False],
        }
    )
    got = {c: default_format(frame[c]) for c in frame.columns}
    assert got == {"a": "int", "b": "int", "c": "dec1", "d": "dec1", "e": "text", "f": "text"}


# ---------------------------------------------------------------------------------------------
# A sample table
# ---------------------------------------------------------------------------------------------


def sample_table(**overrides) -> AppendixTable:
    frame = pd.DataFrame(
        {
            "区分": pd.array(["総数", "0～14歳", "65歳以上", None], dtype="str"),
            "人口": [82258, 9416, 19947, 0],
            "構成比": [1.0, 0.11447, 0.24251, np.nan],
            "令和6年度": pd.array([1.95, None, 2.5, 0.0], dtype="Float64"),
            "令和7年度": pd.array([10, None, -3, 1234567], dtype="Int64"),
            "指数": [1.005, 0.5, np.nan, 2.0],
        }
    )
    kwargs = {
        "number": "表2-1-3",
        "title": "年齢3区分別人口<令和8年>",
        "frame": frame,
        "source": "東京都「住民基本台帳による東京都の世帯と人口」（各年1月1日）",
        "unit": "単位：人、％",
        "notes": ["構成比は総数に対する割合です。", "注2：端数処理のため合計が一致しない場合があります。"],
        "formats": {"構成比": "pct", "指数": "dec2"},
        "section": "02_statistics",
    }
    kwargs.update(overrides)
    return AppendixTable(**kwargs)


class _TableParser(HTMLParser):
    """Collects caption text, header cells, body rows (text and class) and paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.head: list[str] = []
        self.rows: list[list[tuple[str, str]]] = []
        self.paragraphs: list[tuple[str, str]] = []
        self.styles = 0
        self._stack: list[str] = []
        self._cls = ""
        self._buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._stack.append(tag)
        if tag == "style":
            self.styles += 1
        if tag == "tr" and "tbody" in self._stack:
            self.rows.append([])
        if tag in ("th", "td", "p", "caption"):
            self._buf = []
            self._cls = a.get("class", "")

    def handle_endtag(self, tag):
        if tag in ("th", "td", "p", "caption") and self._buf is not None:
            text = "".join(self._buf)
            if tag == "caption":
                self.caption = text
            elif tag == "p":
                self.paragraphs.append((self._cls, text))
            elif "thead" in self._stack:
                self.head.append(text)
            else:
                self.rows[-1].append((text, self._cls))
            self._buf = None
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)


def parse(html_text: str) -> _TableParser:
    p = _TableParser()
    p.feed(html_text)
    return p


def test_html_cells_formatted_like_excel():
    t = sample_table()
    p = parse(t.to_html())
    assert p.styles == 1
    assert p.caption == "表2-1-3年齢3区分別人口<令和8年>単位：人、％"
    assert p.head == ["区分", "人口", "構成比", "令和6年度", "令和7年度", "指数"]
    texts = [[text for text, _ in row] for row in p.rows]
    assert texts == [
        ["総数", "82,258", "100.0%", "2.0", "10", "1.01"],
        ["0～14歳", "9,416", "11.4%", "－", "－", "0.50"],
        ["65歳以上", "19,947", "24.3%", "2.5", "-3", "－"],
        ["－", "0", "－", "0.0", "1,234,567", "2.00"],
    ]
    classes = [[cls for _, cls in row] for row in p.rows]
    assert all(c == ["text", "num", "num", "num", "num", "num"] for c in classes)
    assert p.paragraphs == [
        ("komae-table-source", "出典：東京都「住民基本台帳による東京都の世帯と人口」（各年1月1日）"),
        ("komae-table-note", "注：構成比は総数に対する割合です。"),
        ("komae-table-note", "注2：端数処理のため合計が一致しない場合があります。"),
    ]
    assert t._repr_html_() == t.to_html()


def test_html_escapes_and_structure():
    t = sample_table()
    text = t.to_html(css=False)
    assert "<style>" not in text
    assert "&lt;令和8年&gt;" in text and "<令和8年>" not in text
    assert '<div class="komae-table-block" id="tbl2-1-3">' in text
    assert text.count("<thead>") == 1 and text.count("<tbody>") == 1
    assert '<th scope="row" class="text">総数</th>' in text


def test_formatted_matches_format_value():
    t = sample_table()
    got = t.formatted()
    assert got.loc[2, "構成比"] == "24.3%"
    assert got.loc[0, "指数"] == "1.01"
    assert list(got.columns) == list(t.frame.columns)


def test_table_css_font_stack_and_print():
    assert '"IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif' in TABLE_CSS
    assert "@media print" in TABLE_CSS
    assert "td.num" in TABLE_CSS and "text-align: right" in TABLE_CSS


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["表1:2", "表[1]", "表1/2", "表1*", "表1?", "表1\\2", "'表1", "表" + "1" * 31, "目次", "", " 表1"],
)
def test_bad_numbers_refused(number):
    with pytest.raises(ValueError):
        check_number(number)
    with pytest.raises(ValueError):
        sample_table(number=number)


def test_longest_valid_number():
    number = "表" + "1" * 30
    assert check_number(number) == number


def test_frame_shape_checks():
    base = sample_table().frame
    with pytest.raises(ValueError, match="MultiIndex"):
        sample_table(
            frame=pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")]))
        )
    with pytest.raises(ValueError, match="index"):
        sample_table(frame=base.set_index("区分"), formats={})
    with pytest.raises(ValueError, match="文字列"):
        sample_table(frame=pd.DataFrame({2024: [1]}), formats={})
    with pytest.raises(ValueError, match="重複"):
        sample_table(frame=pd.DataFrame([[1, 2]], columns=["a", "a"]), formats={})
    with pytest.raises(ValueError, match="存在しない列"):
        sample_table(formats={"ない列": "int"})
    with pytest.raises(ValueError, match="書式"):
        sample_table(formats={"人口": "percent"})
    with pytest.raises(ValueError, match="出典"):
        sample_table(source=" ")


def test_slugs():
    assert slug("表2-1-3") == "tbl2-1-3"
    assert slug("図2-1-1") == "fig2-1-1"
    assert slug("図１０") == "fig10"
    with pytest.raises(ValueError):
        slug("図")


# ---------------------------------------------------------------------------------------------
# save / load
# ---------------------------------------------------------------------------------------------


def rich_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "区分": pd.array(["総数", None, "男"], dtype="str"),
            "人口": np.array([82258, 39790, 42468], dtype="int64"),
            "割合": [1.0, np.nan, 0.5162],
            "令和6年度": pd.array([1, None, 3], dtype="Int64"),
            "令和7年度": pd.array([1.5, None, 2.25], dtype="Float64"),
            "備考": pd.Series(["a", None, "c"], dtype=object),
            "件数": pd.Series([1, np.nan, 3], dtype=object),
            "基準日": pd.to_datetime(["2026-01-01", None, "2025-01-01"]),
            "該当": [True, False, True],
            "圏域": pd.Categorical(["こまえ苑", None, "あいとぴあ"]),
            "小数": np.array([0.5, 1.5, 2.5], dtype="float32"),
        }
    )
    frame.index = [3, 5, 8]  # a filtered frame: the integer index is not printed but kept
    return frame


def test_round_trip_exact(tmp_path):
    t = sample_table(frame=rich_frame(), formats={"割合": "pct", "小数": "dec2"})
    json_path = t.save(tmp_path)
    assert json_path == tmp_path / "表2-1-3.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表2-1-3.json", "表2-1-3.parquet"]
    u = AppendixTable.load(json_path)
    pd.testing.assert_frame_equal(u.frame, t.frame, check_exact=True)
    assert list(u.frame.columns) == list(t.frame.columns)
    assert [str(d) for d in u.frame.dtypes] == [str(d) for d in t.frame.dtypes]
    assert u.frame["備考"].tolist()[1] is None
    assert [type(v) for v in u.frame["件数"].tolist()] == [int, float, int]  # ints stay ints, NaN stays NaN
    for attr in ("number", "title", "source", "unit", "notes", "formats", "section"):
        assert getattr(u, attr) == getattr(t, attr), attr
    assert u.to_html() == t.to_html()


def test_json_is_readable_metadata(tmp_path):
    t = sample_table()
    meta = json.loads(t.save(tmp_path).read_text(encoding="utf-8"))
    assert meta["number"] == "表2-1-3"
    assert meta["title"] == "年齢3区分別人口<令和8年>"
    assert meta["columns"] == ["区分", "人口", "構成比", "令和6年度", "令和7年度", "指数"]
    assert meta["n_rows"] == 4
    assert meta["formats"] == {"構成比": "pct", "指数": "dec2"}


def test_load_detects_replaced_data(tmp_path):
    json_path = sample_table().save(tmp_path)
    other = sample_table(frame=sample_table().frame.head(2))
    other.frame.to_parquet(tmp_path / "表2-1-3.parquet")
    with pytest.raises(ValueError, match="一致しません"):
        AppendixTable.load(json_path)


def test_failed_save_leaves_previous_version(tmp_path):
    good = sample_table()
    good.save(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = sample_table(frame=pd.DataFrame({"混在": pd.Series([1, "a"], dtype=object)}), formats={})
    with pytest.raises(ValueError, match="保存できません"):
        bad.save(tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # no temporary file left, nothing replaced
    pd.testing.assert_frame_equal(AppendixTable.load(tmp_path / "表2-1-3.json").frame, good.frame)


def test_saved_files_are_not_private(tmp_path):
    json_path = sample_table().save(tmp_path)
    for path in (json_path, tmp_path / "表2-1-3.parquet"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_save_creates_directory(tmp_path):
    target: Path = tmp_path / "tables" / "data" / "02_statistics"
    json_path = sample_table().save(target)
    assert json_path.exists() and (target / "表2-1-3.parquet").exists()
