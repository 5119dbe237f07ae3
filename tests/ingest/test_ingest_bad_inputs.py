"""Malformed population inputs: each must fail with a specific Japanese message at the right place.

Fixtures are built in tmp_path with tests/ingest_builders.py (a small valid file, then one thing
broken). Every test first relies on the unbroken file being valid (test_built_files_are_valid).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from komae_analysis.errors import InputError, InputProblem, display_name
from komae_analysis.ingest import registry
from komae_analysis.ingest.city_register import read_city_register_households, read_city_register_population
from komae_analysis.ingest.common import (
    MSG_BAD_ENCODING,
    MSG_EMPTY_FILE,
    CountError,
    Problems,
    clean_label,
    parse_count,
)
from komae_analysis.ingest.ssdse import read_ssdse_a
from komae_analysis.ingest.tokyo_juki import read_tokyo_juki_age5
from tests.ingest.ingest_builders import (
    HH_SHEET,
    HH_TOTAL_ROW,
    POP_SHEET,
    POP_TOTAL_ROW,
    city_register_path,
    city_register_workbook,
    hh_row,
    pop_row,
    ssdse_rows,
    tokyo_line,
    tokyo_rows,
    write_city_register,
    write_csv,
)

COL = {name: i for i, name in enumerate(tokyo_rows()[0])}


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[InputProblem]:
    return excinfo.value.problems


def only(excinfo: pytest.ExceptionInfo[InputError], message_part: str) -> InputProblem:
    """The single problem whose message contains ``message_part`` (fails if none or several)."""
    hits = [p for p in problems_of(excinfo) if message_part in p.message]
    assert len(hits) == 1, [p.format_ja() for p in problems_of(excinfo)]
    return hits[0]


def tokyo_file(tmp_path: Path, rows: list[list[str]], name: str = "dai7hyo_age5_202601.csv", **kw) -> Path:
    return write_csv(tmp_path / name, rows, **kw)


def test_built_files_are_valid(tmp_path):
    assert len(read_tokyo_juki_age5(tokyo_file(tmp_path, tokyo_rows()))) == 3 * 21 * 4
    assert len(read_city_register_population(write_city_register(tmp_path))) == 41 * 101 * 2


# ------------------------------------------------------------------------- 東京都 第7表 (CSV)


def test_missing_column(tmp_path):
    rows = tokyo_rows()
    j = COL["外国人／女(人)"]
    rows = [r[:j] + r[j + 1 :] for r in rows]
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "列『外国人／女(人)』がありません")
    assert (p.file, p.row, p.sheet) == (display_name(path), 1, None)
    assert len(problems_of(e)) == 1


def test_header_on_another_row(tmp_path):
    rows = tokyo_rows()
    rows = [["住民基本台帳による東京都の世帯と人口"] + [""] * 13, [""] * 14, *rows]
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "見出し行は1行目にあるはずですが、3行目にあります")
    assert (p.file, p.row) == (display_name(path), 3)


def test_text_in_a_count(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13219", "20～24")
    rows[line - 1][COL["日本人／男(人)"]] = "15人"
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "数値ではありません")
    assert (p.file, p.row, p.column) == (display_name(path), line, "日本人／男(人)")
    assert (p.expected, p.found) == ("0以上の整数", "15人")
    assert len(problems_of(e)) == 1  # no follow-on sum errors for the broken area


def test_negative_count(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13208", "0～4")
    rows[line - 1][COL["外国人／男(人)"]] = "-3"
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "負の数は使えません")
    assert (p.row, p.column, p.found) == (line, "外国人／男(人)", "-3")


def test_fraction_and_suppression_marker_are_not_counts(tmp_path):
    rows = tokyo_rows()
    l1 = tokyo_line(rows, "13219", "30～34")
    l2 = tokyo_line(rows, "13219", "35～39")
    rows[l1 - 1][COL["日本人／女(人)"]] = "12.5"
    rows[l2 - 1][COL["日本人／女(人)"]] = "x"
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "整数ではありません")
    assert (p.row, p.column, p.found) == (l1, "日本人／女(人)", "12.5")
    p = only(e, "欠測・秘匿の記号は使えません")
    assert (p.row, p.column, p.found) == (l2, "日本人／女(人)", "x")


def test_duplicated_row(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13219", "65～69")
    rows.insert(line, list(rows[line - 1]))  # the same row again, right below
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "重複しています")
    assert p.message == f"狛江市（13219）の年齢「65～69」の行が重複しています（{line}行目と{line + 1}行目）"
    assert (p.row, p.column) == (line + 1, "年齢")


def test_unknown_area_code(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13208", "総数")
    rows[line - 1][COL["地域コード"]] = "13999"
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    p = only(e, "東京都の地域コードにありません")
    assert p.message == "地域コード「13999」は東京都の地域コードにありません"
    assert (p.row, p.column, p.found) == (line, "地域コード", "13999")


def test_area_name_must_agree_with_code(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13219", "50～54")
    rows[line - 1][COL["地域"]] = "調布市"
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(tokyo_file(tmp_path, rows))
    p = only(e, "地域名が地域コード「13219」と合いません")
    assert (p.row, p.column, p.expected, p.found) == (line, "地域", "狛江市", "調布市")


def test_age_rows_do_not_add_up_to_the_area_total_row(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13219", "70～74")
    total_line = tokyo_line(rows, "13219", "総数")
    # +1 日本人男 on one detail row, consistently within the row (男+女=計, 日本人+外国人=総数 still hold)
    for col in ("総数／計(人)", "総数／男(人)", "日本人／計(人)", "日本人／男(人)"):
        rows[line - 1][COL[col]] = str(int(rows[line - 1][COL[col]]) + 1)
    before = int(rows[total_line - 1][COL["総数／計(人)"]])
    path = tokyo_file(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    hits = [p for p in problems_of(e) if "年齢別の行の合計が総数行と合いません" in p.message]
    assert {p.column for p in hits} == {"総数／計(人)", "総数／男(人)", "日本人／計(人)", "日本人／男(人)"}
    p = next(p for p in hits if p.column == "総数／計(人)")
    assert p.message.startswith("狛江市（13219）の年齢別の行の合計が総数行と合いません")
    assert p.row == total_line
    assert (p.expected, p.found) == (f"{before}（総数行）", f"{before + 1}（年齢別の合計）")


def test_male_plus_female_must_equal_total_on_a_row(tmp_path):
    rows = tokyo_rows()
    line = tokyo_line(rows, "13116", "15～19")
    rows[line - 1][COL["外国人／計(人)"]] = "9"
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(tokyo_file(tmp_path, rows))
    p = only(e, "男＋女が計と合いません")
    assert (p.row, p.column, p.found) == (line, "外国人／計(人)", "9")
    q = only(e, "日本人＋外国人が総数と合いません")
    assert (q.row, q.column) == (line, "総数／計(人)")


def test_missing_date_line_in_footer(tmp_path):
    rows = [r for r in tokyo_rows() if "住民基本台帳による東京都の世帯と人口" not in r[0]]
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(tokyo_file(tmp_path, rows))
    only(e, "表題行（住民基本台帳による東京都の世帯と人口　令和N年M月）がありません")


def test_date_line_disagrees_with_file_name_tokyo(tmp_path):
    rows = tokyo_rows(year=2025)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(tokyo_file(tmp_path, rows, name="dai7hyo_age5_202601.csv"))
    p = only(e, "表題行の基準年月がファイル名と合いません")
    assert (p.expected, p.found) == ("2026年1月（ファイル名）", "令和7年1月（表題行）")


# ------------------------------------------------------------------------------- encodings


def test_cp932_and_utf8_give_the_same_frame(tmp_path):
    rows = tokyo_rows()
    utf8 = tokyo_file(tmp_path / "u", rows, encoding="utf-8")
    bom = tokyo_file(tmp_path / "b", rows, encoding="utf-8-sig")
    sjis = tokyo_file(tmp_path / "s", rows, encoding="cp932")
    assert utf8.read_bytes() != sjis.read_bytes()
    a, b, c = (read_tokyo_juki_age5(p) for p in (utf8, bom, sjis))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert set(a["area_name"]) == {"調布市", "狛江市", "豊島区"}


def test_random_garbage_bytes_fail(tmp_path):
    path = tmp_path / "dai7hyo_age5_202601.csv"
    path.write_bytes(os.urandom(4096) + bytes(range(256)))
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    assert [p.message for p in problems_of(e)] == [MSG_BAD_ENCODING]
    assert problems_of(e)[0].file == display_name(path)


def test_utf16_is_not_guessed(tmp_path):
    path = tokyo_file(tmp_path, tokyo_rows(), encoding="utf-16")
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    assert (
        problems_of(e)[0].message
        == "文字コードを判別できません（UTF-8 または Shift_JIS(cp932) で保存してください）"
    )


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n", b"\xef\xbb\xbf\r\n"])
def test_empty_csv(tmp_path, content):
    path = tmp_path / "dai7hyo_age5_202601.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    assert [(p.message, p.file) for p in problems_of(e)] == [("ファイルが空です", display_name(path))]


def test_empty_xlsx(tmp_path):
    path = city_register_path(tmp_path)
    path.write_bytes(b"")
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    assert [p.message for p in problems_of(e)] == [MSG_EMPTY_FILE]


def test_csv_saved_as_xlsx_is_reported(tmp_path):
    path = city_register_path(tmp_path)
    path.write_text("町丁目コード,町名\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    assert "Excelファイル（.xlsx）として開けません" in problems_of(e)[0].message


# ------------------------------------------------------------------------ city register (Excel)


def broken_city(tmp_path: Path, date: dt.date = dt.date(2026, 1, 1), name_date: dt.date | None = None, **kw):
    """The workbook to break, and the path it will be saved to."""
    return city_register_workbook(date, **kw), city_register_path(tmp_path, name_date or date)


def test_missing_sheet(tmp_path):
    wb, path = broken_city(tmp_path)
    del wb[HH_SHEET]
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "がありません")
    assert p.message == "シート『町丁目別世帯数』がありません（あるシート: 町丁目別年齢別人口）"
    assert (p.file, p.sheet) == (display_name(path), HH_SHEET)


def test_city_missing_column(tmp_path):
    wb, path = broken_city(tmp_path)
    wb[POP_SHEET].delete_cols(6)  # 女
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "列『女』がありません")
    assert (p.sheet, p.row) == (POP_SHEET, 5)


def test_city_header_on_another_row(tmp_path):
    wb, path = broken_city(tmp_path)
    wb[HH_SHEET].insert_rows(4, amount=2)
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_households(path)
    p = only(e, "見出し行")
    assert p.message == "見出し行は5行目にあるはずですが、7行目にあります"
    assert (p.sheet, p.row) == (HH_SHEET, 7)


def test_city_code_not_in_reference(tmp_path):
    wb, path = broken_city(tmp_path)
    row = pop_row("0402", 30)
    wb[POP_SHEET].cell(row, 1).value = "0499"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "狛江市の町丁目にありません")
    assert p.message == "町丁目コード「0499」は狛江市の町丁目にありません"
    assert (p.sheet, p.row, p.column, p.found) == (POP_SHEET, row, "町丁目コード", "0499")


def test_city_code_written_as_a_number(tmp_path):
    wb, path = broken_city(tmp_path)
    row = hh_row("0101")
    wb[HH_SHEET].cell(row, 1).value = 101
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_households(path)
    p = only(e, "町丁目コードは4桁の文字列です")
    assert (p.sheet, p.row, p.column, p.found) == (HH_SHEET, row, "町丁目コード", "101")


def test_city_town_name_must_agree_with_code(tmp_path):
    wb, path = broken_city(tmp_path)
    row = pop_row("0601", 10)
    wb[POP_SHEET].cell(row, 2).value = "駒井町"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "町名が町丁目コード「0601」と合いません")
    assert (p.row, p.column, p.expected, p.found) == (row, "町名", "猪方", "駒井町")


def test_city_date_line_disagrees_with_file_name(tmp_path):
    wb, path = broken_city(tmp_path, date=dt.date(2025, 1, 1), name_date=dt.date(2026, 1, 1))
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    hits = [p for p in problems_of(e) if p.message == "基準日（A2）がファイル名の日付と合いません"]
    assert {(p.sheet, p.row, p.column) for p in hits} == {(POP_SHEET, 2, "A"), (HH_SHEET, 2, "A")}
    assert hits[0].found == "令和7年1月1日現在"
    assert hits[0].expected == "令和8年1月1日現在（ファイル名 20260101）"


def test_city_negative_count(tmp_path):
    wb, path = broken_city(tmp_path)
    row = pop_row("1001", 7)
    ws = wb[POP_SHEET]
    ws.cell(row, 5).value = -1
    ws.cell(row, 7).value = 1
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "負の数は使えません")
    assert (p.sheet, p.row, p.column, p.found) == (POP_SHEET, row, "男", "-1")


def test_city_text_in_a_count(tmp_path):
    wb, path = broken_city(tmp_path)
    row = hh_row("0903")
    wb[HH_SHEET].cell(row, 4).value = "不明"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_households(path)
    p = only(e, "数値ではありません")
    assert (p.sheet, p.row, p.column, p.found) == (HH_SHEET, row, "世帯数", "不明")


def test_city_male_plus_female_not_total(tmp_path):
    wb, path = broken_city(tmp_path)
    row = pop_row("0204", 44)
    wb[POP_SHEET].cell(row, 7).value = 4
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "男＋女が計と合いません")
    assert (p.sheet, p.row, p.column, p.expected, p.found) == (POP_SHEET, row, "計", "3（男＋女）", "4")


def test_city_duplicated_age(tmp_path):
    wb, path = broken_city(tmp_path)
    row = pop_row("0802", 13)
    wb[POP_SHEET].cell(row, 4).value = "12歳"  # 12歳 twice, 13歳 missing
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "重複しています")
    assert p.message == f"0802（岩戸南2丁目）の年齢「12歳」の行が重複しています（{row - 1}行目と{row}行目）"
    assert (p.sheet, p.row, p.column) == (POP_SHEET, row, "年齢")


def test_city_missing_age(tmp_path):
    wb, path = broken_city(tmp_path)
    ws = wb[POP_SHEET]
    row = pop_row("1102", 57)
    ws.delete_rows(row)
    ws.cell(POP_TOTAL_ROW - 1, 5).value -= 1  # keep the 合計 row consistent
    ws.cell(POP_TOTAL_ROW - 1, 6).value -= 2
    ws.cell(POP_TOTAL_ROW - 1, 7).value -= 3
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    p = only(e, "の行がありません")
    assert p.message == "1102（西野川2丁目）に年齢「57歳」の行がありません"
    assert (p.sheet, p.column) == (POP_SHEET, "年齢")


def test_city_total_row_disagrees_with_column_sums(tmp_path):
    wb, path = broken_city(tmp_path)
    ws = wb[POP_SHEET]
    ws.cell(POP_TOTAL_ROW, 6).value += 10
    ws.cell(POP_TOTAL_ROW, 7).value += 10
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_population(path)
    hits = {p.column: p for p in problems_of(e) if p.message.startswith("合計行が列")}
    assert set(hits) == {"女", "計"}
    # 41 町丁目 × 101 ages × 女 2 = 8,282 (the builder's default)
    assert (hits["女"].sheet, hits["女"].row, hits["女"].expected, hits["女"].found) == (
        POP_SHEET,
        POP_TOTAL_ROW,
        "8282（列の合計）",
        "8292",
    )


def test_city_household_sheet_disagrees_with_age_sheet(tmp_path):
    wb, path = broken_city(tmp_path)
    hs = wb[HH_SHEET]
    row = hh_row("0703")
    hs.cell(row, 5).value += 2  # 男 101 → 103
    hs.cell(row, 7).value += 2
    hs.cell(HH_TOTAL_ROW, 5).value += 2
    hs.cell(HH_TOTAL_ROW, 7).value += 2
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_households(path)
    hits = {p.column: p for p in problems_of(e)}
    assert set(hits) == {"男", "計"}
    p = hits["男"]
    assert p.message == "0703（駒井町3丁目）の男が町丁目別年齢別人口の年齢別の合計と合いません"
    assert (p.sheet, p.row, p.expected, p.found) == (HH_SHEET, row, "101（町丁目別年齢別人口の合計）", "103")


def test_city_missing_total_row(tmp_path):
    wb, path = broken_city(tmp_path)
    wb[HH_SHEET].delete_rows(HH_TOTAL_ROW)
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_city_register_households(path)
    p = only(e, "合計行（A列「合計」）がありません")
    assert p.sheet == HH_SHEET


# ------------------------------------------------------------------------------ common helpers


@pytest.mark.parametrize(
    ("text", "kwargs", "value"),
    [
        ("40,386", {}, 40386),
        ("１２", {}, 12),
        (" 7 ", {}, 7),
        (12.0, {}, 12),
        ("-", {}, 0),
        ("－", {}, 0),
        ("-", {"dash": "missing"}, None),
        ("…", {"allow_missing": True}, None),
        ("***", {"allow_missing": True}, None),
        ("△1,234", {"allow_negative": True}, -1234),
        ("-0.24 ", {"allow_negative": True, "allow_fraction": True}, -0.24),
        ("", {"empty": "missing"}, None),
    ],
)
def test_parse_count_accepts(text, kwargs, value):
    assert parse_count(text, **kwargs) == value


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("abc", {}, "数値ではありません"),
        ("1,23", {}, "数値ではありません"),
        ("-5", {}, "負の数は使えません"),
        ("▲5", {}, "負の数は使えません"),
        ("2.5", {}, "整数ではありません（小数は使えません）"),
        (2.5, {}, "整数ではありません（小数は使えません）"),
        ("x", {}, "欠測・秘匿の記号は使えません（この列は数値のみ）"),
        ("X", {}, "欠測・秘匿の記号は使えません（この列は数値のみ）"),
        ("-", {"dash": "error"}, "「-」は使えません（0は0と書きます）"),
        (None, {}, "値が空欄です（0は0と書きます）"),
        (True, {}, "数値ではありません"),
    ],
)
def test_parse_count_rejects(text, kwargs, message):
    with pytest.raises(CountError) as e:
        parse_count(text, **kwargs)
    assert e.value.message == message


def test_clean_label():
    assert clean_label("豊島区\u3000") == "豊島区"
    assert clean_label("合\u3000計") == "合計"
    assert clean_label("総数／計（人）") == "総数/計(人)"
    assert clean_label("SSDSE-A 2023") == "SSDSE-A 2023"
    assert clean_label(None) == ""


def test_problems_are_capped(tmp_path):
    problems = Problems(tmp_path / "a.csv", cap=3)
    for i in range(10):
        problems.add("x", row=i)
    with pytest.raises(InputError) as e:
        problems.raise_if_any()
    assert len(e.value.problems) == 4
    assert e.value.problems[-1].message == "ほかに7件の問題があります（最初の3件のみ表示しています）"


def test_many_bad_cells_are_collected_and_capped(tmp_path):
    rows = tokyo_rows()
    for line in range(2, 2 + 66):  # every data row of the three areas
        rows[line - 1][COL["総数／計(人)"]] = "?"
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(tokyo_file(tmp_path, rows))
    assert len(e.value.problems) == 51
    assert e.value.problems[0].row == 2 and e.value.problems[49].row == 51
    assert e.value.problems[-1].message.startswith("ほかに16件の問題があります")


# ------------------------------------------------------------------------------ registry.validate


def test_registry_validate_reports_every_problem_of_every_file(tmp_path):
    data = tmp_path / "raw"
    # 東京都: one good file, one with text in a count, one garbage file
    tokyo = data / "tokyo_juki_age5"
    write_csv(tokyo / "dai7hyo_age5_202501.csv", tokyo_rows(year=2025))
    rows = tokyo_rows()
    bad_line = tokyo_line(rows, "13219", "総数")
    rows[bad_line - 1][COL["総数／男(人)"]] = "abc"
    bad_tokyo = write_csv(tokyo / "dai7hyo_age5_202601.csv", rows)
    garbage = tokyo / "dai7hyo_age5_202401.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    # city register: one good file, one with an unknown 町丁目, and a duplicated reference date
    city = data / "city_register"
    write_city_register(city, dt.date(2025, 1, 1))
    wb = city_register_workbook(dt.date(2026, 1, 1))
    wb[POP_SHEET].cell(pop_row("0101", 0), 1).value = "9999"
    bad_city = city_register_path(city, dt.date(2026, 1, 1))
    wb.save(bad_city)
    dup = city / "juki_choume_age_20250101_copy.xlsx"
    city_register_workbook(dt.date(2025, 1, 1)).save(dup)
    # ssdse_a and soumu folders absent: optional, not a problem

    problems = registry.validate(data)
    text = [p.format_ja() for p in problems]
    assert any(
        p.file == display_name(bad_tokyo)
        and p.row == bad_line
        and p.column == "総数／男(人)"
        and p.message == "数値ではありません"
        for p in problems
    ), text
    assert any(p.file == display_name(garbage) and p.message == MSG_BAD_ENCODING for p in problems), text
    assert any(
        p.file == display_name(bad_city)
        and p.sheet == POP_SHEET
        and p.row == pop_row("0101", 0)
        and "9999" in p.message
        for p in problems
    ), text
    dup_hits = [p for p in problems if p.file == display_name(dup) and "同じです" in p.message]
    # reported once although both city sources read the file
    assert len(dup_hits) == 1, text
    assert dup_hits[0].message.startswith("基準日（令和7年1月1日）が")
    assert len(problems) == len(set(problems))
    assert len(problems) == 4, text


def test_registry_validate_missing_required_inputs(tmp_path):
    problems = registry.validate(tmp_path)
    assert len(problems) == 2  # city_register is shared by two sources: reported once
    folders = {p.file for p in problems}
    assert folders == {display_name(tmp_path / "tokyo_juki_age5"), display_name(tmp_path / "city_register")}
    assert all(p.message.startswith("入力フォルダがありません") for p in problems)
    (tmp_path / "tokyo_juki_age5").mkdir()
    problems = registry.validate(tmp_path)
    assert any(p.message.startswith("ファイル名が「*.csv」に合うファイルがありません") for p in problems)


def test_registry_load_concatenates_sorted_by_date_and_raises_all_problems(tmp_path):
    tokyo = tmp_path / "tokyo_juki_age5"
    write_csv(tokyo / "dai7hyo_age5_202601.csv", tokyo_rows(year=2026))
    write_csv(tokyo / "dai7hyo_age5_202501.csv", tokyo_rows(year=2025))
    frame = registry.load("tokyo_juki_age5", tmp_path)
    assert list(frame["date"].drop_duplicates()) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01")]
    assert len(frame) == 2 * 3 * 21 * 4
    empty = registry.load("ssdse_a", tmp_path)
    assert len(empty) == 0 and list(empty.columns)[:2] == ["area_code", "prefecture"]

    rows = tokyo_rows(year=2024)
    rows[1][COL["総数／計(人)"]] = "x"
    write_csv(tokyo / "dai7hyo_age5_202401.csv", rows)
    (tokyo / "dai7hyo_age5_202301.csv").write_bytes(b"")
    with pytest.raises(InputError) as e:
        registry.load("tokyo_juki_age5", tmp_path)
    assert {Path(p.file).name for p in e.value.problems} == {
        "dai7hyo_age5_202401.csv",
        "dai7hyo_age5_202301.csv",
    }


# ------------------------------------------------------------------------------------- SSDSE-A


def test_ssdse_small_file_reads_long(tmp_path):
    frame = read_ssdse_a(write_csv(tmp_path / "SSDSE-A-2026.csv", ssdse_rows(), encoding="cp932"))
    assert len(frame) == 6
    komae = frame[frame["area_code"] == "13219"].set_index("item_code")
    assert komae.loc["A1303", "value"] == 19961
    assert komae.loc["D2201", "value"] == 85.4 and komae.loc["D2201", "year"] == 2022
    assert komae.loc["D2201", "item_name"] == "経常収支比率(市町村財政)"  # NFKC label


def test_ssdse_missing_markers_are_na_and_text_is_an_error(tmp_path):
    rows = ssdse_rows()
    rows[3][4] = "-"
    rows[4][4] = "x"
    frame = read_ssdse_a(write_csv(tmp_path / "a.csv", rows))
    assert frame["value"].isna().sum() == 2
    assert str(frame["value"].dtype) == "Float64"
    rows[4][5] = "不明"
    rows.append(list(rows[4]))
    path = write_csv(tmp_path / "b.csv", rows)
    with pytest.raises(InputError) as e:
        read_ssdse_a(path)
    p = only(e, "数値ではありません")
    assert (p.row, p.column, p.found) == (5, "経常収支比率(市町村財政)", "不明")
    p = only(e, "重複しています")
    assert (p.row, p.column, p.found) == (6, "地域コード", "R13219")
