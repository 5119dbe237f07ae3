"""The appendix workbook, reopened with openpyxl and checked cell by cell against the frames."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from komae_analysis.report import excel
from komae_analysis.report.charts import AppendixFigure, new_figure
from komae_analysis.report.excel import display_width, write_appendix_workbook, write_workbook
from komae_analysis.report.tables import AppendixTable

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

BANNER = "デモデータ：この資料は架空のデータで作成しています。"
SECTION_TITLES = {
    "02_statistics": "第1節 第2款　統計から見る現状（1）人口と世帯",
    "03_survey": "第2節 第1款　市民意識調査の結果",
}
LONG_HEAD = "第1号被保険者数（要支援・要介護認定者を含む）"


def population_table() -> AppendixTable:
    frame = pd.DataFrame(
        {
            "区分": pd.array(["総数", "0～14歳", "15～64歳", "65歳以上", "不詳"], dtype="str"),
            "人口": [82258, 9416, 52895, 19947, 0],
            "構成比": [1.0, 0.11447, 0.64303, 0.24250, np.nan],
            "令和6年度": pd.array([1.95, None, 2.5, 0.0, 1.25], dtype="Float64"),
            "令和7年度": pd.array([10, None, -3, 1234567, 0], dtype="Int64"),
            "指数": [1.005, 0.5, np.nan, -2.0, 3.14159],
            LONG_HEAD: [1, 2, 3, 4, 5],
        }
    )
    return AppendixTable(
        number="表2-1-3",
        title="年齢3区分別人口",
        frame=frame,
        source="東京都「住民基本台帳による東京都の世帯と人口」（各年1月1日）",
        unit="単位：人、％",
        notes=["構成比は総数に対する割合です。", "注2：デモ用の値を含みます。"],
        formats={"構成比": "pct", "指数": "dec2"},
        section="02_statistics",
        total_rows=[0],
    )


def town_table() -> AppendixTable:
    """A 町丁目 table grouped by 圏域 with subtotals, and a very long text column."""
    frame = pd.DataFrame(
        {
            "日常生活圏域": pd.array(["あいとぴあ"] * 3 + ["こまえ正吉苑"] * 2 + ["市全体"], dtype="str"),
            "町丁目": pd.array(["和泉本町一丁目", "和泉本町二丁目", "小計", "岩戸北一丁目", "小計", "合計"],
                              dtype="str"),
            "人口": [1000, 2000, 3000, 500, 500, 3500],
            "備考": pd.array(["地域の特徴に関する長い説明文" * 12, "", "", "", "", ""], dtype="str"),
        }
    )
    return AppendixTable(
        number="表2-1-4",
        title="町丁目別人口（日常生活圏域別）",
        frame=frame,
        source="狛江市「住民基本台帳」",
        unit="単位：人",
        section="02_statistics",
        total_rows=[2, 4, -1],
    )


def survey_table() -> AppendixTable:
    frame = pd.DataFrame(
        {
            "回答": pd.array(["はい", "いいえ", "無回答"], dtype="str"),
            "件数": [120, 80, 5],
            "割合": [120 / 205, 80 / 205, 5 / 205],
        }
    )
    return AppendixTable(
        number="表3-2-1",
        title="地域活動への参加意向",
        frame=frame,
        source="狛江市「市民意識調査」（令和7年度）",
        unit="単位：件、％",
        formats={"割合": "pct"},
        section="03_survey",
    )


def trend_figure(number: str = "図2-1-1") -> AppendixFigure:
    fig = new_figure(6.4, 4.0)
    ax = fig.add_subplot()
    ax.plot([2022, 2023, 2024], [83000, 82800, 82258])
    return AppendixFigure(
        number=number,
        title="総人口の推移",
        figure=fig,
        alt="総人口は令和4年の83,000人から令和6年の82,258人へ減少しています。",
        source="狛江市「住民基本台帳」",
        notes=["各年1月1日現在。"],
        section="02_statistics",
    )


TABLES = [population_table, town_table, survey_table]


def write(path: Path, **kw) -> Path:
    args = {
        "title": "資料編 集計表（令和8年度）",
        "subtitle": "狛江市　作成日 令和8年12月1日 04:07",
        "banner": BANNER,
        "source_lines": ["出典：東京都「住民基本台帳による東京都の世帯と人口」"],
        "figures": [trend_figure()],
        "section_titles": SECTION_TITLES,
    }
    args.update(kw)
    return write_workbook([make() for make in TABLES], path, **args)


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("xl") / "tables" / "appendix_FY2026.xlsx")


def cells_by_value(ws) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                out.setdefault(str(cell.value), []).append(cell)
    return out


def test_sheet_order(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames == ["目次", "表2-1-3", "表2-1-4", "図2-1-1", "表3-2-1"]


def test_toc_shows_section_titles_and_links(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    ws = wb["目次"]
    found = cells_by_value(ws)
    assert ws["A1"].value == "資料編 集計表（令和8年度）"
    assert "狛江市　作成日 令和8年12月1日 04:07" in found
    banner = found[BANNER][0]
    assert banner.font.color.rgb.endswith("C00000") and banner.font.b
    # section titles head their groups; the ids appear nowhere
    rows = {title: found[title][0].row for title in SECTION_TITLES.values()}
    assert all(found[title][0].font.b for title in SECTION_TITLES.values())
    assert not any(sid in text for sid in SECTION_TITLES for text in found)
    expected = {"表2-1-3": "年齢3区分別人口", "表2-1-4": "町丁目別人口（日常生活圏域別）",
                "図2-1-1": "総人口の推移", "表3-2-1": "地域活動への参加意向"}
    for number, title in expected.items():
        cell = found[number][0]
        assert ws.cell(row=cell.row, column=2).value == title
        for c in (cell, ws.cell(row=cell.row, column=2)):
            assert c.hyperlink is not None and c.hyperlink.location == f"'{number}'!A1"
            assert c.hyperlink.target is None  # internal, not a file or URL
        assert number in wb.sheetnames
        section = "03_survey" if number.startswith("表3") else "02_statistics"
        own = rows[SECTION_TITLES[section]]
        others = [r for r in rows.values() if r != own]
        assert own < cell.row and all(r < own or r > cell.row for r in others)  # under its own title
    assert "出典：東京都「住民基本台帳による東京都の世帯と人口」" in found


def test_table_sheet_cells_equal_frame(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    t = population_table()
    ws = wb[t.number]
    assert ws["A1"].value == "表2-1-3　年齢3区分別人口"
    assert ws["A1"].font.b and ws["A1"].font.sz > 11
    header = [c.value for c in ws[3]][: len(t.frame.columns)]
    assert header == list(t.frame.columns)
    expected_formats = {
        "区分": "@",
        "人口": '#,##0;"△"#,##0',
        "構成比": '0.0;"△"0.0',
        "令和6年度": '0.0;"△"0.0',
        "令和7年度": '#,##0;"△"#,##0',
        "指数": '0.00;"△"0.00',
        LONG_HEAD: '#,##0;"△"#,##0',
    }
    for j, col in enumerate(t.frame.columns, start=1):
        head = ws.cell(row=3, column=j)
        assert head.font.b, col
        assert head.fill.fill_type == "solid"
        assert head.alignment.wrap_text and head.alignment.horizontal == "center"
        for i, value in enumerate(t.frame[col].tolist()):
            cell = ws.cell(row=4 + i, column=j)
            assert cell.number_format == expected_formats[col], (col, i)
            if pd.isna(value):
                assert cell.value == "－", (col, i)  # the mark printed in the HTML table
            elif expected_formats[col] == "@":
                assert cell.value == value
                assert cell.alignment.horizontal == "left"
            else:
                assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), (col, i)
                expected = value * 100 if col == "構成比" else value  # shares stored as percentages
                assert cell.value == pytest.approx(expected, rel=1e-15), (col, i)
                assert cell.alignment.horizontal == "right"
    assert ws.freeze_panes == "A4"
    found = cells_by_value(ws)
    last_data_row = 3 + len(t.frame)
    src = found["出典：東京都「住民基本台帳による東京都の世帯と人口」（各年1月1日）"][0]
    assert src.row > last_data_row and src.column == 1
    note1 = found["注：構成比は総数に対する割合です。"][0]
    note2 = found["注2：デモ用の値を含みます。"][0]
    assert src.row < note1.row < note2.row
    back = found["目次へ戻る"][0]
    assert back.row > note2.row
    assert back.hyperlink.location == "'目次'!A1"


def test_values_by_hand(workbook_path):
    ws = openpyxl.load_workbook(workbook_path)["表2-1-3"]
    assert ws["B4"].value == 82258
    assert ws["C7"].value == 24.25  # 0.24250 stored as the percentage
    assert ws["C4"].value == 100.0
    assert ws["C8"].value == "－"  # NaN → the mark, as in HTML
    assert ws["D5"].value == "－"  # pd.NA → the mark
    assert ws["E7"].value == 1234567
    # a negative number is stored negative; the format prints it with △
    assert ws["E6"].value == -3 and ws["E6"].number_format.split(";")[1] == '"△"#,##0'
    assert ws["F7"].value == -2.0 and ws["F7"].number_format == '0.00;"△"0.00'


def test_unit_line_at_top_right(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    for name, unit in (("表2-1-3", "単位：人、％"), ("表2-1-4", "単位：人"), ("表3-2-1", "単位：件、％")):
        ws = wb[name]
        ncols = sum(1 for c in ws[3] if c.value is not None)
        cell = ws.cell(row=2, column=ncols)
        assert cell.value == unit and cell.alignment.horizontal == "right", name
        assert [c.value for c in ws[2][: ncols - 1]] == [None] * (ncols - 1)


def test_header_wraps_and_columns_fit_a4(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    for name in ("表2-1-3", "表2-1-4", "表3-2-1"):
        ws = wb[name]
        ncols = sum(1 for c in ws[3] if c.value is not None)
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width for j in range(1, ncols + 1)]
        assert max(widths) <= 40, (name, widths)
        assert sum(widths) <= 130, (name, widths)  # an A4 landscape page holds about 130 characters
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$3:$3"
    ws = wb["表2-1-3"]
    long_col = list(population_table().frame.columns).index(LONG_HEAD) + 1
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(long_col)].width
    assert width < display_width(LONG_HEAD)  # the 46-unit heading wraps instead of widening the column
    assert ws.row_dimensions[3].height >= 2 * 15  # and the header row is tall enough for two lines
    # numbers never wrap: a numeric column is at least as wide as its widest printed number
    assert ws.column_dimensions["E"].width >= display_width("1,234,567")
    # the 168-unit 備考 text wraps in a column of at most 40, in a row tall enough for it
    ws = wb["表2-1-4"]
    assert ws.column_dimensions["D"].width <= 40
    assert ws["D4"].alignment.wrap_text
    assert ws.row_dimensions[4].height >= math.ceil(display_width("地域の特徴に関する長い説明文" * 12) / 40) * 15


def test_total_rows_bold_with_rule(workbook_path):
    ws = openpyxl.load_workbook(workbook_path)["表2-1-4"]
    totals = {2, 4, 5}  # 小計, 小計, 合計 (total_rows=[2, 4, -1] of six rows)
    for i in range(6):
        for j in range(1, 5):
            cell = ws.cell(row=4 + i, column=j)
            if i in totals:
                assert cell.font.b and cell.border.top.style == "medium", (i, j)
            else:
                assert not cell.font.b and cell.border.top.style == "thin", (i, j)


def test_figure_sheet(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    ws = wb["図2-1-1"]
    assert ws["A1"].value == "図2-1-1　総人口の推移"
    assert len(ws._images) == 1
    image = ws._images[0]
    assert image._data().startswith(b"\x89PNG")
    assert (image.width, image.height) == (6.4 * 150, 4.0 * 150)  # the PNG as saved, 150 dpi
    # shown at its physical size: 6.4 × 4.0 in at 96 px per inch (9525 EMU per px)
    shown_w, shown_h = round(6.4 * 96), round(4.0 * 96)
    assert (image.anchor.ext.width, image.anchor.ext.height) == (shown_w * 9525, shown_h * 9525)
    found = cells_by_value(ws)
    src = found["出典：狛江市「住民基本台帳」"][0]
    alt = found["図の説明：総人口は令和4年の83,000人から令和6年の82,258人へ減少しています。"][0]
    note = found["注：各年1月1日現在。"][0]
    back = found["目次へ戻る"][0]
    assert image.anchor._from.row + 1 < src.row < note.row < alt.row < back.row
    # the rows above the 出典 line are below the picture (20 px per default row)
    assert (src.row - 1 - (image.anchor._from.row + 1)) * 20 >= shown_h
    assert back.hyperlink.location == "'目次'!A1"
    with zipfile.ZipFile(workbook_path) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode("utf-8")
    assert 'descr="総人口は令和4年の83,000人から令和6年の82,258人へ減少しています。"' in drawing


def test_two_writes_identical(tmp_path):
    paths = [write(tmp_path / name / "appendix.xlsx") for name in ("a", "b")]
    wb_a = openpyxl.load_workbook(paths[0])
    assert wb_a.properties.created == dt.datetime(2000, 1, 1)
    assert wb_a.properties.modified == dt.datetime(2000, 1, 1)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    assert digest[0] == digest[1]  # byte-identical, so the manifest's sha256 is stable


def test_from_saved_sections(tmp_path):
    """The build's entry point: tables and figures as the sections saved them, with their records."""
    report = tmp_path / "report"
    records = []
    for sid, makers, figs in (
        ("02_statistics", [population_table, town_table], [trend_figure()]),
        ("03_survey", [survey_table], []),
    ):
        rec = {"section": sid, "title": SECTION_TITLES[sid], "tables": [], "figures": []}
        for make in makers:
            t = make()
            path = t.save(report / "tables" / "data" / sid)
            rec["tables"].append({"number": t.number, "title": t.title, "file": path.name})
        for f in figs:
            png = f.save(report / "figures" / sid)
            rec["figures"].append({"number": f.number, "title": f.title, "file": png.name, "alt": f.alt})
        records.append(json.loads(json.dumps(rec)))
    out = write_appendix_workbook(report, records, path=tmp_path / "a.xlsx", title="資料編",
                                  subtitle="作成日", banner=None)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["目次", "表2-1-3", "表2-1-4", "図2-1-1", "表3-2-1"]
    toc = cells_by_value(wb["目次"])
    assert all(title in toc for title in SECTION_TITLES.values())
    assert len(wb["図2-1-1"]._images) == 1
    assert wb["表2-1-3"]["C7"].value == 24.25
    assert write_appendix_workbook(report, [], path=tmp_path / "b.xlsx", title="x", subtitle="", banner=None) is None
    assert not (tmp_path / "b.xlsx").exists()


def test_importing_excel_does_not_import_openpyxl():
    import subprocess
    import sys

    code = "import sys, komae_analysis.report.excel\nprint('openpyxl' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


@pytest.mark.parametrize("number", ["表1:2", "表[1]", "表1/2", "表1?", "表" + "1" * 31])
def test_invalid_sheet_names_fail_clearly(tmp_path, number):
    t = survey_table()
    t.number = number  # bypass the constructor's check: the writer checks again
    target = tmp_path / "x.xlsx"
    with pytest.raises(ValueError, match="シート名"):
        write_workbook([t], target, title="資料編")
    assert not target.exists()


def test_unnumbered_and_duplicate_numbers_refused(tmp_path):
    with pytest.raises(ValueError, match="重複"):
        write_workbook([survey_table(), survey_table()], tmp_path / "x.xlsx", title="資料編")
    with pytest.raises(ValueError, match="重複"):  # sheet names are case-insensitive and shared by 表 and 図
        write_workbook([survey_table()], tmp_path / "x.xlsx", title="資料編", figures=[trend_figure("表3-2-1")])
    t = survey_table()
    t.number = ""
    with pytest.raises(ValueError, match="番号がありません"):
        write_workbook([t], tmp_path / "x.xlsx", title="資料編")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_file(tmp_path):
    target = write_workbook([survey_table()], tmp_path / "x.xlsx", title="資料編")
    before = target.read_bytes()
    bad = population_table()
    bad.frame.loc[0, "指数"] = math.inf  # set after construction: refused before writing
    with pytest.raises(ValueError):
        write_workbook([survey_table(), bad], target, title="資料編")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]  # no temporary file left behind


def test_no_tables_gives_toc_only(tmp_path):
    path = write_workbook([], tmp_path / "x.xlsx", title="資料編")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目次"]
    assert "（掲載する表・図はありません）" in cells_by_value(wb["目次"])


def test_column_width_rule_by_hand():
    # numbers: widest printed value + 2; header wraps past 12. text: widest + 2, at most 40.
    widths = excel.column_widths(
        ["人口", LONG_HEAD, "区分", "説明"],
        [["82,258", "9,416"], ["1", "2"], ["0～14歳"], ["あ" * 100]],
        [True, True, False, False],
    )
    assert widths == [8.0, 12.0, 9.0, 40.0]  # "0～14歳" is 1+2+2+2 = 7 units
    # far too many text columns for a page: narrowed towards 12 so that the sum fits 130
    many = excel.column_widths([f"列{i}" for i in range(6)], [["あ" * 30]] * 6, [False] * 6)
    assert sum(many) <= 130 and min(many) >= 12


def _komae_age5() -> dict[str, int]:
    path = REALDATA / "tokyo_juki_202601" / "dai7hyo_age5_kushichoson_R8-01_FULL.csv"
    if not path.exists():
        pytest.skip("../shared/realdata がありません")
    out: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["地域コード"] == "13219" and row["年齢階層"] == "1":
                value = row["総数／計(人)"]
                out[row["年齢"]] = 0 if value == "-" else int(value)
    return out


@pytest.mark.realdata
def test_real_komae_age_groups(tmp_path):
    ages = _komae_age5()
    lower = {k: int(k.split("～")[0].replace("以上", "")) for k in ages if k != "不詳者"}
    young = sum(v for k, v in ages.items() if k in lower and lower[k] < 15)
    old = sum(v for k, v in ages.items() if k in lower and lower[k] >= 65)
    total = sum(ages.values())
    frame = pd.DataFrame(
        {
            "区分": pd.array(["総数", "0～14歳", "15～64歳", "65歳以上"], dtype="str"),
            "人口": [total, young, total - young - old, old],
        }
    )
    frame["構成比"] = frame["人口"] / total
    t = AppendixTable(
        number="表2-1-1",
        title="狛江市の年齢3区分別人口",
        frame=frame,
        source="東京都「住民基本台帳による東京都の世帯と人口」",
        unit="単位：人、％",
        formats={"構成比": "pct"},
    )
    html_text = t.to_html()
    # published figures (README of realdata): 82,258; 0–14 9,416; 65+ 19,947 → 19947/82258 = 24.249…%
    for text in ("82,258", "9,416", "19,947", "24.2", "11.4"):
        assert f">{text}<" in html_text
    ws = openpyxl.load_workbook(write_workbook([t], tmp_path / "r.xlsx", title="資料編"))["表2-1-1"]
    assert [ws.cell(row=r, column=2).value for r in range(4, 8)] == [82258, 9416, 82258 - 9416 - 19947, 19947]
    assert ws["C7"].value == pytest.approx(19947 / 82258 * 100) and ws["C7"].number_format == '0.0;"△"0.0'
