"""The appendix workbook, reopened with openpyxl and checked cell by cell against the frames."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from komae_analysis.report.excel import display_width, write_workbook
from komae_analysis.report.tables import AppendixTable, format_value

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

BANNER = "デモデータ：この資料は架空のデータで作成しています。"


def population_table() -> AppendixTable:
    frame = pd.DataFrame(
        {
            "区分": pd.array(["総数", "0～14歳", "15～64歳", "65歳以上", "不詳"], dtype="str"),
            "人口": [82258, 9416, 52895, 19947, 0],
            "構成比": [1.0, 0.11447, 0.64303, 0.24250, np.nan],
            "令和6年度": pd.array([1.95, None, 2.5, 0.0, 1.25], dtype="Float64"),
            "令和7年度": pd.array([10, None, -3, 1234567, 0], dtype="Int64"),
            "指数": [1.005, 0.5, np.nan, 2.0, 3.14159],
            "第1号被保険者数（要支援・要介護認定者を含む）": [1, 2, 3, 4, 5],
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
        formats={"割合": "pct"},
        section="03_survey",
    )


TABLES = [population_table, survey_table]


@pytest.fixture
def workbook_path(tmp_path) -> Path:
    return write_workbook(
        [make() for make in TABLES],
        tmp_path / "tables" / "appendix_FY2026.xlsx",
        title="資料編 集計表（令和8年度）",
        subtitle="狛江市",
        banner=BANNER,
        source_lines=["出典：東京都「住民基本台帳による東京都の世帯と人口」"],
    )


def cells_by_value(ws) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                out.setdefault(str(cell.value), []).append(cell)
    return out


def test_sheet_order(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames == ["目次", "表2-1-3", "表3-2-1"]


def test_toc_links_and_banner(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    ws = wb["目次"]
    found = cells_by_value(ws)
    assert ws["A1"].value == "資料編 集計表（令和8年度）"
    assert "狛江市" in found
    banner = found[BANNER][0]
    assert banner.font.color.rgb.endswith("C00000")
    assert banner.font.b
    for make in TABLES:
        t = make()
        number_cell = found[t.number][0]
        assert number_cell.hyperlink is not None
        assert number_cell.hyperlink.location == f"'{t.number}'!A1"
        assert number_cell.hyperlink.target is None  # internal, not a file or URL
        sheet, _, cell = number_cell.hyperlink.location.partition("!")
        assert sheet.strip("'") in wb.sheetnames and cell == "A1"
        row = number_cell.row
        assert ws.cell(row=row, column=2).value == t.title
        assert ws.cell(row=row, column=2).hyperlink.location == f"'{t.number}'!A1"
        assert ws.cell(row=row, column=3).value == t.section
    assert "出典：東京都「住民基本台帳による東京都の世帯と人口」" in found


def test_table_sheet_cells_equal_frame(workbook_path):
    wb = openpyxl.load_workbook(workbook_path)
    t = population_table()
    ws = wb[t.number]
    assert ws["A1"].value == "表2-1-3　年齢3区分別人口"
    assert ws["A1"].font.b and ws["A1"].font.sz > 11
    assert ws["A2"].value == "単位：人、％"
    header = [c.value for c in ws[3]][: len(t.frame.columns)]
    assert header == list(t.frame.columns)
    expected_formats = {
        "区分": "@",
        "人口": "#,##0",
        "構成比": "0.0%",
        "令和6年度": "0.0",
        "令和7年度": "#,##0",
        "指数": "0.00",
        "第1号被保険者数（要支援・要介護認定者を含む）": "#,##0",
    }
    for j, col in enumerate(t.frame.columns, start=1):
        head = ws.cell(row=3, column=j)
        assert head.font.b, col
        assert head.fill.fill_type == "solid" and head.fill.start_color.rgb not in (None, "00000000")
        for side in (head.border.left, head.border.right, head.border.top, head.border.bottom):
            assert side.style == "thin"
        for i, value in enumerate(t.frame[col].tolist()):
            cell = ws.cell(row=4 + i, column=j)
            assert cell.number_format == expected_formats[col], (col, i)
            for side in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom):
                assert side.style == "thin"
            if pd.isna(value):
                assert cell.value is None, (col, i)
            elif expected_formats[col] == "@":
                assert cell.value == value
            else:
                assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), (col, i)
                assert cell.value == value, (col, i)  # exact: written as the same double
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


def test_raw_values_by_hand(workbook_path):
    ws = openpyxl.load_workbook(workbook_path)["表2-1-3"]
    assert ws["B4"].value == 82258
    assert ws["C7"].value == 0.24250
    assert ws["C8"].value is None  # NaN → empty
    assert ws["D5"].value is None  # pd.NA → empty
    assert ws["E7"].value == 1234567
    assert ws["E6"].value == -3


def test_column_widths_fit_text(workbook_path):
    ws = openpyxl.load_workbook(workbook_path)["表2-1-3"]
    t = population_table()
    fmts = t.column_formats()
    for j, col in enumerate(t.frame.columns, start=1):
        widest = max(display_width(s) for s in [col, *(format_value(v, fmts[col]) for v in t.frame[col])])
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
        assert min(widest, 60) <= width <= max(widest, 6) + 4, (col, widest, width)
    # full-width characters count double: "0～14歳" is 1+2+2+2 = 7, "区分" is 4
    assert display_width("0～14歳") == 7
    assert display_width("区分") == 4
    narrow = ws.column_dimensions["B"].width  # 人口: "82,258" is 6
    wide = ws.column_dimensions["G"].width  # a 23-character Japanese heading: 46
    assert narrow < 12 and wide >= 46


def test_two_writes_identical(tmp_path):
    paths = []
    for name in ("a", "b"):
        paths.append(
            write_workbook(
                [make() for make in TABLES], tmp_path / name / "appendix.xlsx", title="資料編", banner=BANNER
            )
        )
    wb_a, wb_b = (openpyxl.load_workbook(p) for p in paths)
    assert wb_a.sheetnames == wb_b.sheetnames
    for name in wb_a.sheetnames:
        a, b = wb_a[name], wb_b[name]
        assert a.dimensions == b.dimensions
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(row_a, row_b, strict=True):
                assert (ca.value, ca.number_format, ca.font.b) == (cb.value, cb.number_format, cb.font.b)
    assert wb_a.properties.created == wb_b.properties.created == dt.datetime(2000, 1, 1)
    assert wb_a.properties.modified == dt.datetime(2000, 1, 1)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    assert digest[0] == digest[1]  # byte-identical, so the manifest's sha256 is stable


@pytest.mark.parametrize("number", ["表1:2", "表[1]", "表1/2", "表1?", "表" + "1" * 31])
def test_invalid_sheet_names_fail_clearly(tmp_path, number):
    t = survey_table()
    t.number = number  # bypass the constructor's check: the writer checks again
    target = tmp_path / "x.xlsx"
    with pytest.raises(ValueError, match="シート名"):
        write_workbook([t], target, title="資料編")
    assert not target.exists()


def test_duplicate_numbers_refused(tmp_path):
    a, b = survey_table(), survey_table()
    with pytest.raises(ValueError, match="重複"):
        write_workbook([a, b], tmp_path / "x.xlsx", title="資料編")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_file(tmp_path):
    target = write_workbook([survey_table()], tmp_path / "x.xlsx", title="資料編")
    before = target.read_bytes()
    bad = population_table()
    bad.frame.loc[0, "指数"] = math.inf  # refused while writing, after the checks
    with pytest.raises(ValueError):
        write_workbook([survey_table(), bad], target, title="資料編")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]  # no temporary file left behind


def test_no_tables_gives_toc_only(tmp_path):
    path = write_workbook([], tmp_path / "x.xlsx", title="資料編")
    assert openpyxl.load_workbook(path).sheetnames == ["目次"]


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
        "表2-1-1",
        "狛江市の年齢3区分別人口",
        frame,
        "東京都「住民基本台帳による東京都の世帯と人口」",
        formats={"構成比": "pct"},
    )
    html_text = t.to_html()
    # published figures (README of realdata): 82,258; 0–14 9,416; 65+ 19,947 → 19947/82258 = 24.249…%
    for text in ("82,258", "9,416", "19,947", "24.2%", "11.4%"):
        assert f">{text}<" in html_text
    ws = openpyxl.load_workbook(write_workbook([t], tmp_path / "r.xlsx", title="資料編"))["表2-1-1"]
    assert [ws.cell(row=r, column=2).value for r in range(4, 8)] == [82258, 9416, 82258 - 9416 - 19947, 19947]
    assert ws["C7"].value == pytest.approx(19947 / 82258) and ws["C7"].number_format == "0.0%"
