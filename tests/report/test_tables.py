"""AppendixTable: cells as printed (worked out by hand), HTML layout, total rows, checks, save/load."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from komae_analysis.report.numbers import SHARE_NOTE
from komae_analysis.report.tables import TABLE_CSS, AppendixTable, check_number, slug

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
        self.head_classes: list[str] = []
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
                self.head_classes.append(self._cls)
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
    # short heads (≤ 8 characters) are kept on one line
    assert p.head_classes == ["text short", "num short", "num short", "num short", "num short", "num short"]
    texts = [[text for text, _ in row] for row in p.rows]
    # by hand: 0.11447 → 11.4, 0.24251 → 24.3 (no ％: the 単位 line says it), 1.95 → 2.0 (half up),
    # −3 → △3, 1.005 → 1.01
    assert texts == [
        ["総数", "82,258", "100.0", "2.0", "10", "1.01"],
        ["0～14歳", "9,416", "11.4", "－", "－", "0.50"],
        ["65歳以上", "19,947", "24.3", "2.5", "△3", "－"],
        ["－", "0", "－", "0.0", "1,234,567", "2.00"],
    ]
    assert not any("%" in text or "％" in text for row in texts for text in row)
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
    assert got.loc[2, "構成比"] == "24.3"
    assert got.loc[2, "令和7年度"] == "△3"
    assert got.loc[0, "指数"] == "1.01"
    assert list(got.columns) == list(t.frame.columns)


def _rule(css: str, selector: str) -> str:
    """The declarations of the first rule whose selector list contains ``selector``."""
    for match in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
        selectors = [s.strip() for s in match.group(1).split(",")]
        if selector in selectors:
            return match.group(2)
    raise AssertionError(f"no rule for {selector}")


def _specificity(selector: str) -> tuple[int, int]:
    """(classes and pseudo-classes, elements) of a simple descendant selector."""
    classes = len(re.findall(r"[.:][\w-]+", selector))
    elements = len(re.findall(r"(?:^|[\s>])([a-z]+)", selector))
    return classes, elements


def test_table_css_alignment_and_print():
    assert '"IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif' in TABLE_CSS
    assert "@media print" in TABLE_CSS
    head = ".komae-table-block table.komae-table thead th"
    assert "text-align: center" in _rule(TABLE_CSS, head)
    assert "text-align: right" in _rule(TABLE_CSS, ".komae-table-block table.komae-table tbody .num")
    assert "text-align: left" in _rule(TABLE_CSS, ".komae-table-block table.komae-table tbody .text")
    assert "text-align: right" in _rule(TABLE_CSS, ".komae-table-block .komae-table-unit")
    total = _rule(TABLE_CSS, ".komae-table-block table.komae-table tbody tr.total td")
    assert "font-weight: bold" in total and "border-top" in total
    # JupyterLab (notebook and exported pages) right-aligns every cell with this selector: ours must
    # be more specific (2 classes + 1 element there)
    jupyter = (2, 1)
    assert _specificity(head) > jupyter
    assert _specificity(".komae-table-block table.komae-table tbody .text") > jupyter


def test_unnumbered_table_has_no_number_span_or_id():
    t = sample_table(number="")
    text = t.to_html(css=False)
    assert "komae-table-number" not in text and " id=" not in text
    assert parse(text).caption == "年齢3区分別人口<令和8年>単位：人、％"
    t.number = "表2-1-4"
    assert '<span class="komae-table-number">表2-1-4</span>' in t.to_html(css=False)


def test_total_rows_html():
    frame = pd.DataFrame(
        {
            "圏域・町丁目": pd.array(["和泉本町一丁目", "和泉本町二丁目", "小計", "岩戸北一丁目", "小計", "合計"],
                                    dtype="str"),
            "人口": [1000, 2000, 3000, 500, 500, 3500],
        }
    )
    t = AppendixTable(title="町丁目別人口", frame=frame, source="狛江市", unit="単位：人", total_rows=[2, 4, -1])
    assert t.total_row_positions() == frozenset({2, 4, 5})
    html_text = t.to_html(css=False)
    rows = re.findall(r"<tr( class=\"total\")?>", html_text.split("<tbody>")[1])
    assert [bool(r) for r in rows] == [False, False, True, False, True, True]
    for bad, message in (([6], "範囲外"), ([-7], "範囲外"), ([1, -5], "2回"), (["1"], "整数"), ([True], "整数")):
        with pytest.raises(ValueError, match=message):
            AppendixTable(title="x", frame=frame, source="狛江市", total_rows=bad)


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
    if number:  # an empty number means "not numbered yet"
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
    with pytest.raises(ValueError, match="表題"):
        sample_table(title="")
    with pytest.raises(ValueError, match="空の列見出し"):
        sample_table(frame=pd.DataFrame({" ": [1]}), formats={})


def test_cells_checked_when_built_and_before_rendering():
    with pytest.raises(ValueError, match="列「指数」の1行目"):
        sample_table(frame=sample_table().frame.assign(指数=[np.inf, 1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="文字列の数値"):
        sample_table(
            frame=sample_table().frame.assign(人口=pd.Series(["1", 2, 3, 4], dtype=object)),
            formats={"人口": "int", "構成比": "pct"},
        )
    t = sample_table()
    t.frame.loc[0, "指数"] = np.inf  # changed after construction: caught again by to_html and save
    with pytest.raises(ValueError, match="指数"):
        t.to_html()


def test_share_columns_need_percent_in_unit():
    with pytest.raises(ValueError, match="％"):
        sample_table(unit="単位：人")
    with pytest.raises(ValueError, match="％"):
        sample_table(unit=None)
    assert sample_table(unit="単位：％").unit == "単位：％"


def test_share_note_is_a_note_line():
    t = sample_table(notes=[SHARE_NOTE])
    assert t.note_lines() == ["注：" + SHARE_NOTE]


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
    t = sample_table(frame=rich_frame(), formats={"割合": "pct", "小数": "dec2"}, total_rows=[-1])
    json_path = t.save(tmp_path)
    assert json_path == tmp_path / "表2-1-3.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表2-1-3.json", "表2-1-3.parquet"]
    u = AppendixTable.load(json_path)
    pd.testing.assert_frame_equal(u.frame, t.frame, check_exact=True)
    assert list(u.frame.columns) == list(t.frame.columns)
    assert [str(d) for d in u.frame.dtypes] == [str(d) for d in t.frame.dtypes]
    assert u.frame["備考"].tolist()[1] is None
    assert [type(v) for v in u.frame["件数"].tolist()] == [int, float, int]  # ints stay ints, NaN stays NaN
    for attr in ("number", "title", "source", "unit", "notes", "formats", "section", "total_rows"):
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


def test_save_refuses_a_table_without_number(tmp_path):
    with pytest.raises(ValueError, match="番号がありません"):
        sample_table(number="").save(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_load_refuses_other_metadata(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"kind": "komae_appendix_figure", "version": 1}), encoding="utf-8")
    with pytest.raises(ValueError, match="表のメタデータではありません"):
        AppendixTable.load(path)


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


def test_highlight_rows_render_apart_from_totals(tmp_path):
    """A row to find at once (the city in a ranking) is marked highlight, not total, in HTML, in the
    saved table and in Excel."""
    import openpyxl

    from komae_analysis.report.excel import write_workbook

    frame = pd.DataFrame({"市": ["A市", "狛江市", "計"], "人口": [10, 20, 30]})
    t = AppendixTable(number="表9-9-1", title="確認", frame=frame, source="確認", highlight_rows=[1], total_rows=[-1])
    rows = re.findall(r"<tr(?: class=\"([^\"]*)\")?>", t.to_html(css=False).split("<tbody>")[1])
    assert rows == ["", "emphasis", "total"]  # not "highlight": that is the class of code in pages
    t.save(tmp_path)
    assert AppendixTable.load(tmp_path / "表9-9-1.json").highlight_rows == [1]
    write_workbook([t], tmp_path / "a.xlsx", title="確認")
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["表9-9-1"]
    fills = {r: ws.cell(r, 2).fill.start_color.rgb for r in (4, 5, 6)}
    assert fills[5] == "FFFFF3D6" and fills[4] != fills[5] and fills[6] != fills[5]
    assert ws.cell(5, 2).font.b and not ws.cell(4, 2).font.b
    with pytest.raises(ValueError, match="highlight_rows の 5 は表の範囲外"):
        AppendixTable(title="確認", frame=frame, source="確認", highlight_rows=[5])


def test_marks_show_in_html_and_excel_and_survive_saving(tmp_path):
    """A cell not available prints 「…」 and a withheld one 「x」 instead of 「－」, in the HTML table and
    as the Excel cell's text; a mark can only be put on a missing value, so it never hides a number."""
    import openpyxl

    from komae_analysis.report.excel import write_workbook

    frame = pd.DataFrame({"年度": ["令和5年度", "令和6年度"], "件数": [pd.NA, 12], "割合": [float("nan"), 0.5]})
    t = AppendixTable(title="記号の表", frame=frame, source="出典：テスト", unit="単位：件、％",
                      formats={"件数": "int", "割合": "pct"}, marks={(0, "件数"): "…", (0, "割合"): "x"})
    t.number = "表9-9-1"
    assert t.formatted().values.tolist() == [["令和5年度", "…", "x"], ["令和6年度", "12", "50.0"]]
    html = t.to_html(css=False)
    assert '<td class="num">…</td>' in html and '<td class="num">x</td>' in html
    loaded = AppendixTable.load(t.save(tmp_path / "t"))
    assert loaded.marks == {(0, "件数"): "…", (0, "割合"): "x"}
    path = write_workbook([t], tmp_path / "t.xlsx", title="テスト")
    ws = openpyxl.load_workbook(path)["表9-9-1"]
    assert [ws["B4"].value, ws["C4"].value, ws["B5"].value, ws["C5"].value] == ["…", "x", 12, 50.0]

    with pytest.raises(ValueError, match="値のないセルにだけ"):
        AppendixTable(title="t", frame=frame, source="出典：テスト", unit="単位：件、％",
                      formats={"割合": "pct"}, marks={(1, "件数"): "x"})
    with pytest.raises(ValueError, match="記号「\\*」は使えません"):
        AppendixTable(title="t", frame=frame, source="出典：テスト", unit="単位：件、％",
                      formats={"割合": "pct"}, marks={(0, "件数"): "*"})
    with pytest.raises(ValueError, match="列「なし」はありません"):
        AppendixTable(title="t", frame=frame, source="出典：テスト", unit="単位：件、％",
                      formats={"割合": "pct"}, marks={(0, "なし"): "x"})


def test_short_text_cells_stay_on_one_line_in_html():
    """A code (1-2-1) or a mark (重点) beside a long text column is not broken over lines; long text
    still wraps."""
    frame = pd.DataFrame({"施策": ["地域包括支援センターの総合相談支援機能を発揮できるようにします。"],
                          "重点": ["重点"], "コード": ["1-1-2"]})
    html = AppendixTable(title="t", frame=frame, source="出典：テスト").to_html(css=True)
    assert '<td class="text short">重点</td>' in html and '<td class="text short">1-1-2</td>' in html
    assert "thead th.short { white-space: nowrap; }" in html
    assert '<th scope="col" class="text short">コード</th>' in html
    assert '<th scope="row" class="text">地域包括' in html
