"""東京都「人口の動き」monthly tables reader (第11・14～17表): the bundled demo files, broken copies of
one (built here with the csv module), and the real 令和7年中 files in ../shared/realdata (skipped when
absent).

Expected values come from the raw text read with the csv module, never from the reader itself.
"""

from __future__ import annotations

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.tokyo_movement_monthly import read_tokyo_movement_monthly
from tests.conftest import REALDATA, ROOT
from tests.ingest.ingest_builders import only, problems, rows_of, write_rows

DEMO = ROOT / "data" / "raw" / "tokyo_population_movement"
BIRTHS = DEMO / "ju25qv1500.csv"
REAL = REALDATA / "tokyo_population_movement"


def row_index(rows: list[list[str]], nationality: str, code: str) -> int:
    return next(i for i, r in enumerate(rows) if len(r) > 3 and r[0] == nationality and r[2] == code)


def year_value(frame: pd.DataFrame, nationality: str, code: str = "13219", month: int = 0):
    f = frame[(frame["nationality"] == nationality) & (frame["area_code"] == code) & (frame["month"] == month)]
    assert len(f) == 1
    return f["value"].iloc[0]


# ------------------------------------------------------------------------------ the demo files


def test_demo_file_matches_its_text():
    frame = read_tokyo_movement_monthly(BIRTHS)
    raw = rows_of(BIRTHS)
    r = raw[row_index(raw, "外国人", "13219")]
    assert year_value(frame, "外国人") == int(r[16]) == sum(int(c) for c in r[4:16])
    assert year_value(frame, "総数", month=1) == int(raw[row_index(raw, "総数", "13219")][4])
    assert frame.attrs["edition"] == "2025-出生数" and set(frame["item"]) == {"出生数"}
    assert set(frame["year"]) == {2025}


def test_demo_births_minus_deaths_is_natural_change():
    frames = {name: read_tokyo_movement_monthly(DEMO / f"ju25qv{name}.csv").set_index(
        ["nationality", "area_code", "month"])["value"] for name in ("1400", "1500", "1600")}
    assert (frames["1500"] - frames["1600"]).equals(frames["1400"])


# ------------------------------------------------------------------------------ broken copies


def test_header_shifted_by_a_row_still_reads(tmp_path):
    raw = rows_of(BIRTHS)
    shifted = [["人口の動き（令和7年中）"] + [""] * (len(raw[0]) - 1), *raw]
    got = read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", shifted))
    pd.testing.assert_frame_equal(got, read_tokyo_movement_monthly(BIRTHS))


def test_full_width_digits_commas_and_markers(tmp_path):
    raw = rows_of(DEMO / "ju25qv1600.csv")
    i = row_index(raw, "総数", "13219")
    value = int(raw[i][4])
    raw[i][4] = f"{value:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    j = row_index(raw, "日本人", "13219")
    raw[j][5] = "x"
    raw[j][6] = ""
    got = read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1600.csv", raw, encoding="cp932"))
    assert year_value(got, "総数", month=1) == value
    assert pd.isna(year_value(got, "日本人", month=2)) and pd.isna(year_value(got, "日本人", month=3))


def test_months_disagreeing_with_the_year_name_both_numbers(tmp_path):
    raw = rows_of(BIRTHS)
    i = row_index(raw, "外国人", "13219")
    year = int(raw[i][16])
    raw[i][16] = str(year + 3)
    with pytest.raises(InputError) as e:
        read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", raw))
    p = only(e, "外国人の狛江市（13219）: 1～12月の合計が年の値と合いません")
    assert p.expected == f"{year}（1～12月の合計）" and p.found == f"{year + 3}（年の値）" and p.row == i + 1
    assert any("日本人＋外国人が総数と合いません" in q.message for q in problems(e))


def test_a_missing_month_column_is_an_error(tmp_path):
    raw = rows_of(BIRTHS)
    drop = raw[0].index("7月中／出生数")
    cut = [[c for j, c in enumerate(r) if j != drop] for r in raw]
    with pytest.raises(InputError) as e:
        read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", cut))
    assert only(e, "列『7月中』がありません").row == 1


def test_a_missing_nationality_block_is_an_error(tmp_path):
    raw = rows_of(BIRTHS)
    cut = [r for r in raw if not (len(r) > 3 and r[0] == "外国人" and r[2] == "13219")]
    with pytest.raises(InputError) as e:
        read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", cut))
    assert "外国人の行がありません" in only(e, "狛江市（13219）の外国人の行がありません").message


def test_the_title_must_name_the_columns_item(tmp_path):
    raw = rows_of(BIRTHS)
    i = next(k for k, r in enumerate(raw) if r and r[0].startswith("第15"))
    raw[i][0] = raw[i][0].replace("月別出生数", "月別自然増減")
    with pytest.raises(InputError) as e:
        read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", raw))
    p = only(e, "見出しの項目が表題（月別自然増減）と合いません")
    assert p.found == "1月中／出生数" and p.expected == "1月中／増減"


def test_a_table_outside_the_five_is_refused(tmp_path):
    raw = rows_of(BIRTHS)
    i = next(k for k, r in enumerate(raw) if r and r[0].startswith("第15"))
    raw[i][0] = "第10－１・２・３表　区市町村、月別他県との移動増減（総数、日本人、外国人）"
    with pytest.raises(InputError) as e:
        read_tokyo_movement_monthly(write_rows(tmp_path / "ju25qv1500.csv", raw))
    assert only(e, "は読み取りの対象外です").found == "他県との移動増減"


# ------------------------------------------------------------------------------ the real files


def _real(number: str) -> pd.DataFrame:
    path = REAL / f"ju25qv{number}.csv"
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return read_tokyo_movement_monthly(path)


@pytest.mark.realdata
def test_real_monthly_tables():
    births, deaths, natural = _real("1500"), _real("1600"), _real("1400")
    assert (year_value(births, "総数"), year_value(deaths, "総数"), year_value(natural, "総数")) == (489, 874, -385)
    assert year_value(births, "外国人") == 11 and year_value(deaths, "日本人") == 872
    intra, other = _real("1100"), _real("1700")
    assert [year_value(intra, n) for n in ("総数", "日本人", "外国人")] == [16, -28, 44]
    assert [year_value(other, n) for n in ("総数", "日本人", "外国人")] == [154, 34, 120]
    # 出生数 − 死亡数 = 自然増減 for every area, nationality and month of the real release
    key = ["nationality", "area_code", "month"]
    b, d, n = (f.set_index(key)["value"] for f in (births, deaths, natural))
    assert (b - d).equals(n)
    raw = rows_of(REAL / "ju25qv1500.csv")
    r = raw[row_index(raw, "総数", "13219")]
    assert [year_value(births, "総数", month=m) for m in range(1, 13)] == [int(c) for c in r[4:16]]
