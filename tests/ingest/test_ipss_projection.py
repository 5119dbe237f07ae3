"""社人研「日本の地域別将来推計人口」 suikei_kekka.xlsx: a valid workbook reads to the expected tidy frame, and
each broken copy (built here with openpyxl) gives a clear Japanese error naming file, sheet, row and column.

The workbook built here (layout in data/raw/README.md): title rows 1–3, the two-row header on rows 4–5,
then per area (東京都 13000 'a', 調布市 13208, 狛江市 13219) the years 2020 … 2050, one row each. Counts:

    男 of class i (0 = 0～4歳 … 19 = 95歳～) in year index y (0 = 2020 … 6 = 2050) of area index k:
        100 + i + y + k
    女: 200 + 2·i + k
    男女計 = 男 + 女; 総数 = the sum of the classes

so, worked by hand: 狛江市 (k = 2) 2020 男 0～4歳 = 102, 95歳～ = 121; 男 総数 = 20·102 + (0+…+19) = 2,040 + 190
= 2,230; 女 総数 = 20·202 + 2·190 = 4,420; 2050 (y = 6) 男 総数 = 2,230 + 20·6 = 2,350.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest import registry
from komae_analysis.ingest.ipss_projection import read_ipss_projection
from tests.conftest import REALDATA

CLASSES = [f"{a}～{a + 4}歳" for a in range(0, 95, 5)] + ["95歳～"]
YEARS = list(range(2020, 2051, 5))
AREAS = [(13000, "a", "東京都"), (13208, 2, "調布市"), (13219, 2, "狛江市")]
TITLE = "日本の地域別将来推計人口（令和5（2023）年推計）　男女5歳階級別推計結果"


def male(i: int, y: int, k: int) -> int:
    return 100 + i + y + k


def female(i: int, y: int, k: int) -> int:
    return 200 + 2 * i + k


def rows() -> list[list[object]]:
    """The valid sheet as a list of rows (row 1 first)."""
    out: list[list[object]] = [[TITLE], ["単位：人"], ["注：2020年は国勢調査による実績値"]]
    upper: list[object] = ["コード", "市などの別", "都道府県", "市区町村", "年"]
    lower: list[object] = [None] * 5
    for name in ("男女計", "男", "女"):
        upper += [name] + [None] * 20 + [None]
        lower += ["総数", *CLASSES, None]
    upper += ["総人口指数（2020年＝100）", None, "（再掲）", None, None]
    lower += [None, None, "0～14歳", "15～64歳", "65歳以上"]
    out += [upper, lower]
    for k, (code, kind, name) in enumerate(AREAS):
        for y, year in enumerate(YEARS):
            m = [male(i, y, k) for i in range(20)]
            f = [female(i, y, k) for i in range(20)]
            both = [a + b for a, b in zip(m, f, strict=True)]
            row: list[object] = [code, kind, "東京都", name, f"{year}年"]
            for block in (both, m, f):
                row += [sum(block), *block, None]
            row += [100.0, None, sum(both[:3]), sum(both[3:13]), sum(both[13:])]
            out.append(row)
    out.append(["注：推計値は各年10月1日現在。"])
    return out


def write(path: Path, table: list[list[object]], sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in table:
        ws.append(r)
    wb.save(path)
    return path


def data_row(table: list[list[object]], code: int, year: int) -> int:
    """0-based index in ``table`` of an area's year row (its spreadsheet row is index + 1)."""
    return next(i for i, r in enumerate(table) if r and r[0] == code and r[4] == f"{year}年")


def col(block: str, label: str) -> int:
    """0-based column of a block's 総数 or class."""
    start = {"男女計": 5, "男": 27, "女": 49}[block]
    return start + (0 if label == "総数" else 1 + CLASSES.index(label))


@pytest.fixture()
def good(tmp_path) -> Path:
    return write(tmp_path / "suikei_kekka.xlsx", rows())


def messages(excinfo) -> str:
    return excinfo.value.format_ja()


# --- the valid file -------------------------------------------------------------------------------


def test_valid_file_reads_to_the_tidy_frame(good):
    f = read_ipss_projection(good)
    assert list(f.columns) == ["edition", "area_code", "area_kind", "prefecture", "area_name", "year", "age_from",
                               "age_to", "sex", "population"]
    assert len(f) == 3 * 7 * 2 * 20
    assert set(f["edition"]) == {"令和5（2023）年推計"} and f.attrs["edition"] == "令和5（2023）年推計"
    assert str(f["population"].dtype) == "Int64" and str(f["year"].dtype) == "int64"
    k = f[(f["area_code"] == "13219") & (f["year"] == 2020)]
    by = k.groupby("sex")["population"].sum()
    assert by["男"] == 2230 and by["女"] == 4420  # worked out in the module docstring
    m = k[k["sex"] == "男"].set_index("age_from")["population"]
    assert m[0] == 102 and m[95] == 121
    assert k[k["age_from"] == 95]["age_to"].isna().all()  # 95歳～ is open
    assert k[k["age_from"] == 90]["age_to"].tolist() == [94, 94]
    later = f[(f["area_code"] == "13219") & (f["year"] == 2050) & (f["sex"] == "男")]["population"].sum()
    assert later == 2350
    assert set(f["area_code"]) == {"13000", "13208", "13219"}
    assert set(f[f["area_code"] == "13000"]["area_kind"]) == {"a"}
    assert set(f[f["area_code"] == "13219"]["area_kind"]) == {"2"}


def test_header_shifted_by_a_row_still_reads(tmp_path, good):
    table = rows()
    table.insert(2, ["（参考）この表は…"])
    shifted = read_ipss_projection(write(tmp_path / "shifted.xlsx", table))
    assert shifted.equals(read_ipss_projection(good))


def test_full_width_digits_and_commas_are_read(tmp_path):
    table = rows()
    r = data_row(table, 13219, 2020)
    table[r][col("男", "総数")] = "２，２３０"
    table[r][col("男", "0～4歳")] = "１０２"
    table[r][col("男女計", "総数")] = "6,650"
    f = read_ipss_projection(write(tmp_path / "fullwidth.xlsx", table))
    k = f[(f["area_code"] == "13219") & (f["year"] == 2020) & (f["sex"] == "男")]
    assert k["population"].sum() == 2230 and k.set_index("age_from")["population"][0] == 102


def test_suppression_markers_are_kept_as_missing(tmp_path):
    table = rows()
    r = data_row(table, 13208, 2045)
    table[r][col("男", "90～94歳")] = "x"
    table[r][col("女", "95歳～")] = "…"
    table[r][col("男女計", "90～94歳")] = "－"
    f = read_ipss_projection(write(tmp_path / "markers.xlsx", table))
    k = f[(f["area_code"] == "13208") & (f["year"] == 2045)].set_index(["sex", "age_from"])["population"]
    assert k.isna().sum() == 2
    assert k[("男", 90)] is pd_na() and k[("女", 95)] is pd_na()
    assert k[("男", 85)] == male(17, 5, 1)  # the neighbours are untouched, nothing became 0


def pd_na():
    import pandas as pd

    return pd.NA


# --- broken files: one per failure that really happens ----------------------------------------------


def test_renamed_sheet_is_an_error(tmp_path):
    path = write(tmp_path / "renamed.xlsx", rows(), sheet="推計結果")
    with pytest.raises(InputError) as e:
        read_ipss_projection(path)
    text = messages(e)
    assert "renamed.xlsx" in text and "シート『Sheet1』がありません（あるシート: 推計結果）" in text


def test_missing_year_column_is_an_error(tmp_path):
    table = rows()
    table[3][4] = None  # the 年 header
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "noyear.xlsx", table))
    p = e.value.problems[0]
    assert p.message == "列『年』がありません" and p.sheet == "Sheet1" and p.row == 4


def test_missing_year_rows_are_errors(tmp_path):
    table = rows()
    del table[data_row(table, 13219, 2040)]
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "no2040.xlsx", table))
    p = e.value.problems[0]
    assert p.message == "狛江市（13219）の2040年の行がありません" and p.column == "年"
    assert p.row == data_row(table, 13219, 2020) + 1
    assert "2035年・2045年" in p.found


def test_year_missing_for_every_area_is_an_error(tmp_path):
    table = [r for r in rows() if not (len(r) > 4 and r[4] == "2040年")]
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "gap.xlsx", table))
    assert "年の並びが5年おきになっていません（2035年の次が2045年。2040年の行が1行もありません）" in messages(e)


def test_missing_age_class_column_is_an_error(tmp_path):
    table = rows()
    c = col("男", "85～89歳")
    for r in table[3:]:
        if len(r) > c:
            del r[c]
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "no85.xlsx", table))
    assert [p.message for p in e.value.problems] == ["列『85～89歳』（男）がありません"]  # said once, nothing else
    p = e.value.problems[0]
    assert p.row == 5 and p.column == "AB" and p.sheet == "Sheet1" and p.file.endswith("no85.xlsx")


def test_total_disagreeing_with_its_parts_names_both_numbers(tmp_path):
    table = rows()
    r = data_row(table, 13219, 2030)
    table[r][col("男", "総数")] = 2271  # the classes add up to 2,270 (2,230 + 20·2)
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "total.xlsx", table))
    p = e.value.problems[0]
    assert p.message == ("狛江市（13219）2030年の男の総数が年齢階級の合計と合いません"
                         "（総数 2,271、0～4歳～95歳～の合計 2,270）")
    assert p.row == r + 1 and p.column == "AB（男 総数）" and p.expected == "2270（0～4歳～95歳～の合計）"
    assert p.found == "2271"


def test_men_and_women_disagreeing_with_both_sexes_names_both_numbers(tmp_path):
    table = rows()
    r = data_row(table, 13208, 2025)
    c = col("男女計", "65～69歳")
    table[r][c] += 1
    table[r][col("男女計", "総数")] += 1  # the block's own total still agrees: only 男＋女 is wrong
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "sexes.xlsx", table))
    both = male(13, 1, 1) + female(13, 1, 1)
    text = messages(e)
    assert f"調布市（13208）2025年の65～69歳で男＋女が男女計と合いません（男女計 {both + 1:,}、男＋女 {both:,}）" in text
    assert "列「T（男女計 65～69歳）」" in text


def test_repeated_column_disagreeing_with_its_sum_is_an_error(tmp_path):
    table = rows()
    r = data_row(table, 13219, 2050)
    table[r][-1] += 10  # （再掲）65歳以上
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "repeat.xlsx", table))
    assert "狛江市（13219）2050年の（再掲）65歳以上が年齢階級の合計と合いません" in messages(e)


def test_counts_in_thousands_are_refused(tmp_path):
    table = rows()
    table[1] = ["単位：千人"]
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "thousands.xlsx", table))
    assert "人口の単位が千人になっています" in messages(e)


def test_missing_block_heading_is_an_error(tmp_path):
    table = rows()
    table[3][col("女", "総数")] = None  # the 「女」 heading above the third block
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "noheading.xlsx", table))
    assert "AX列からの年齢階級の組の上に「男女計」「男」「女」の見出しがありません" in messages(e)


def test_text_in_a_count_is_an_error(tmp_path):
    table = rows()
    r = data_row(table, 13000, 2020)
    table[r][col("女", "0～4歳")] = "約200"
    with pytest.raises(InputError) as e:
        read_ipss_projection(write(tmp_path / "text.xlsx", table))
    p = e.value.problems[0]
    assert p.message == "数値ではありません" and p.row == r + 1 and p.column == "AY（女 0～4歳）" and p.found == "約200"


# --- the registry: an optional source ----------------------------------------------------------------


def test_optional_source_without_files_gives_an_empty_frame(tmp_path):
    frame = registry.load("ipss_projection", tmp_path)
    assert frame.empty and list(frame.columns)[:2] == ["edition", "area_code"]


def test_the_bundled_demo_file_reads(demo_data_dir):
    f = registry.load("ipss_projection", demo_data_dir, fy=2026)
    k = f[(f["area_code"] == "13219") & (f["year"] == 2020)]
    assert k["population"].sum() == 84772


def test_no_real_publisher_file_is_at_hand():
    """No copy of the real workbook is in the shared real data: the layout was established from public
    readers of it (data/raw/README.md). Should one be added, read it here."""
    candidates = sorted(REALDATA.glob("**/suikei_kekka*.xlsx")) if REALDATA.is_dir() else []
    if not candidates:
        pytest.skip("no real 社人研 workbook in ../shared/realdata")
    f = read_ipss_projection(candidates[0])
    assert (f[(f["area_code"] == "13219") & (f["year"] == 2020)]["population"].sum()) == 84772
