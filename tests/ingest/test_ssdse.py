"""The SSDSE-A reader (統計センター 教育用標準データセット, 市区町村): a good file, the quirks a received file
really has (a header shifted down by a title or blank line, 全角 digits and thousands separators,
suppression markers), broken headers, and the real published editions (skipped when absent).

Broken files are built in tmp_path from a small valid file (tests.ingest.ingest_builders.ssdse_rows)
or from a real edition with one thing changed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.ssdse import read_ssdse_a
from tests.conftest import REALDATA
from tests.ingest.ingest_builders import ssdse_rows, write_csv

SSDSE_DIR = REALDATA / "ssdse_a"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def _problems(excinfo: pytest.ExceptionInfo[InputError], part: str):
    hits = [p for p in excinfo.value.problems if part in p.message]
    assert len(hits) == 1, [p.format_ja() for p in excinfo.value.problems]
    return hits[0]


# ----------------------------------------------------------------------------------- good files


def test_small_file_reads_as_published(tmp_path):
    frame = read_ssdse_a(write_csv(tmp_path / "SSDSE-A-2026.csv", ssdse_rows(), encoding="cp932"))
    komae = frame[frame["area_code"] == "13219"].set_index("item_code")
    assert komae.loc["A1101", "value"] == 84772 and komae.loc["A1303", "value"] == 19961
    assert frame.attrs["edition"] == "SSDSE-A-2026"


@pytest.mark.parametrize(
    "above",
    [
        [["教育用標準データセット SSDSE-A（市区町村）"]],  # a title line
        [[""]],  # an empty line
        [["教育用標準データセット"], ["", "", ""]],  # a title and a row of empty cells
    ],
)
def test_header_shifted_down_still_reads(tmp_path, above):
    good = read_ssdse_a(write_csv(tmp_path / "good.csv", ssdse_rows()))
    shifted = read_ssdse_a(write_csv(tmp_path / "shifted.csv", above + ssdse_rows()))
    pd.testing.assert_frame_equal(shifted, good)


def test_blank_line_between_header_lines_still_reads(tmp_path):
    rows = ssdse_rows()
    good = read_ssdse_a(write_csv(tmp_path / "good.csv", rows))
    rows.insert(1, [""] * len(rows[0]))  # between the item codes and the years
    pd.testing.assert_frame_equal(read_ssdse_a(write_csv(tmp_path / "gap.csv", rows)), good)


def test_full_width_digits_and_thousands_separators_are_numbers(tmp_path):
    rows = ssdse_rows()
    rows[4][3] = "８４，７７２"  # 狛江市 総人口 in 全角 with a 全角 comma
    rows[4][4] = "19,961"  # quoted by the csv writer, with a separator
    rows[3][5] = "９１．３"
    frame = read_ssdse_a(write_csv(tmp_path / "a.csv", rows, encoding="cp932"))
    v = frame.set_index(["area_code", "item_code"])["value"]
    assert v[("13219", "A1101")] == 84772
    assert v[("13219", "A1303")] == 19961
    assert v[("13208", "D2201")] == 91.3


@pytest.mark.parametrize("marker", ["－", "-", "…", "x", "X", "***", ""])
def test_suppression_markers_are_missing_never_zero(tmp_path, marker):
    rows = ssdse_rows()
    rows[4][4] = marker  # 狛江市 65歳以上人口
    frame = read_ssdse_a(write_csv(tmp_path / "a.csv", rows, encoding="cp932"))
    value = frame.set_index(["area_code", "item_code"])["value"][("13219", "A1303")]
    assert value is pd.NA
    assert frame["value"].isna().sum() == 1
    assert str(frame["value"].dtype) == "Float64"


# ------------------------------------------------------------------------------------ broken files


def test_no_item_code_line_is_reported_where_the_file_starts(tmp_path):
    rows = ssdse_rows()
    rows[0][0] = "地域"  # the edition cell lost
    with pytest.raises(InputError) as e:
        read_ssdse_a(write_csv(tmp_path / "a.csv", rows))
    p = _problems(e, "項目コードの行")
    assert (Path(p.file).name, p.row, p.column, p.found) == ("a.csv", 1, "A列", "地域")


def test_no_label_line_is_reported(tmp_path):
    rows = ssdse_rows()
    rows[2][0] = "コード"
    with pytest.raises(InputError) as e:
        read_ssdse_a(write_csv(tmp_path / "a.csv", rows))
    p = _problems(e, "項目名の行")
    assert p.expected.startswith("地域コード | 都道府県 | 市区町村")


def test_header_lines_out_of_order_are_reported(tmp_path):
    rows = ssdse_rows()
    rows[1], rows[2] = rows[2], rows[1]  # labels before years: no line left between codes and labels
    with pytest.raises(InputError) as e:
        read_ssdse_a(write_csv(tmp_path / "a.csv", rows))
    p = _problems(e, "並びが違います")
    assert p.row == 1 and "項目名2行目" in p.found


def test_text_in_a_value_cell_names_row_and_column(tmp_path):
    rows = [["SSDSE-A-2026 の表"]] + ssdse_rows()  # shifted: the row numbers are the file's own
    rows[5][4] = "約2万"
    with pytest.raises(InputError) as e:
        read_ssdse_a(write_csv(tmp_path / "a.csv", rows))
    p = _problems(e, "数値ではありません")
    assert (p.row, p.column, p.found) == (6, "65歳以上人口", "約2万")


# ---------------------------------------------------------------------------------- real editions


def _raw(path: Path) -> list[list[str]]:
    with open(path, encoding="cp932", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.realdata
@pytest.mark.parametrize("edition", [2023, 2026])
def test_real_edition_with_a_title_line_above_reads_the_same(tmp_path, edition):
    path = _need(SSDSE_DIR / f"SSDSE-A-{edition}_cp932.csv")
    rows = _raw(path)
    copy = tmp_path / path.name
    with open(copy, "w", encoding="cp932", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([["教育用標準データセット（市区町村）"], *rows])
    pd.testing.assert_frame_equal(read_ssdse_a(copy), read_ssdse_a(path))


@pytest.mark.realdata
def test_real_edition_with_markers_and_full_width_numbers(tmp_path):
    path = _need(SSDSE_DIR / "SSDSE-A-2026_cp932.csv")
    rows = _raw(path)
    col = {code: i for i, code in enumerate(rows[0])}
    komae = next(i for i, r in enumerate(rows) if r and r[0] == "R13219")
    rows[komae][col["A8301"]] = "x"  # 65歳以上世帯員の単独世帯数 suppressed
    rows[komae][col["A1101"]] = "８４，７７２"
    copy = tmp_path / path.name
    with open(copy, "w", encoding="cp932", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    v = read_ssdse_a(copy).set_index(["area_code", "item_code"])["value"]
    assert v[("13219", "A8301")] is pd.NA
    assert v[("13219", "A1101")] == 84772
    assert v[("13208", "A8301")] == float(next(r for r in rows if r[0] == "R13208")[col["A8301"]])
