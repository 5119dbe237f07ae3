"""東京都「人口の動き」第1表 reader: the bundled demo files, broken copies of one (built here with
the csv module), and the real 令和6年中 file in ../shared/realdata (skipped when absent).

Expected values come from the raw text read with the csv module, never from the reader itself.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.tokyo_movement import read_tokyo_movement
from tests.conftest import REALDATA, ROOT
from tests.ingest.ingest_builders import only, problems, rows_of, write_rows

DEMO = ROOT / "data" / "raw" / "tokyo_population_movement"
FILE = DEMO / "ju25qv0100.csv"  # 令和7年中
REAL = REALDATA / "tokyo_population_movement" / "ju24qv0100.csv"
M = "令和７年中の動き／"


def row_index(rows: list[list[str]], code: str) -> int:
    return next(i for i, r in enumerate(rows) if len(r) > 2 and r[1] == code and r[0] == "4")


def col(rows: list[list[str]], label: str) -> int:
    return rows[0].index(label)


def komae(frame: pd.DataFrame) -> pd.Series:
    return frame[frame["area_code"] == "13219"].iloc[0]


# ------------------------------------------------------------------------------ the demo files


def test_demo_file_matches_its_text_and_every_identity():
    frame = read_tokyo_movement(FILE)
    raw = rows_of(FILE)
    r = raw[row_index(raw, "13219")]
    k = komae(frame)
    assert k["year"] == 2025 and k["date"] == pd.Timestamp(2026, 1, 1)
    assert k["births"] == int(r[col(raw, M + "自然増減／出生数")])
    assert k["deaths"] == int(r[col(raw, M + "自然増減／死亡数")])
    assert k["population_start"] == int(r[col(raw, "令和７年1月1日現在人口")])
    assert k["population_end"] == int(r[col(raw, "令和8年1月1日現在人口")])
    # 区部 and 市部 are repeated in the file (summary block, then before their parts): read once
    assert frame["area_code"].is_unique
    assert len(frame) == len({r[1] for r in raw[1:] if len(r) > 2 and r[1].isdigit()})


def test_every_demo_year_reads():
    frames = [read_tokyo_movement(p) for p in sorted(DEMO.glob("ju*qv0100.csv"))]
    assert [int(f["year"].iloc[0]) for f in frames] == list(range(2016, 2026))
    assert [f["date"].iloc[0].date() for f in frames] == [dt.date(y + 1, 1, 1) for y in range(2016, 2026)]


# ------------------------------------------------------------------------------ broken copies


def test_header_shifted_by_a_row_still_reads(tmp_path):
    raw = rows_of(FILE)
    shifted = [["人口の動き（令和7年中）"] + [""] * (len(raw[0]) - 1), *raw]
    got = read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", shifted))
    pd.testing.assert_frame_equal(got, read_tokyo_movement(FILE))


def test_full_width_digits_commas_and_triangles_are_read(tmp_path):
    raw = rows_of(FILE)
    i = row_index(raw, "13219")
    c = col(raw, M + "自然増減／死亡数")
    deaths = raw[i][c]
    raw[i][c] = f"{int(deaths):,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    nat = col(raw, M + "自然増減")
    natural = int(raw[i][nat])
    raw[i][nat] = f"△{abs(natural)}" if natural < 0 else str(natural)
    pop = col(raw, "令和8年1月1日現在人口")
    raw[i][pop] = f"{int(raw[i][pop]):,}"
    got = komae(read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw, encoding="cp932")))
    assert got["deaths"] == int(deaths)
    assert got["natural"] == natural


def test_suppression_markers_and_empty_cells_are_missing_never_zero(tmp_path):
    raw = rows_of(FILE)
    i = row_index(raw, "13219")
    raw[i][col(raw, M + "その他の増減")] = "x"
    raw[i][col(raw, "（別掲）人口増減のうち日本人増減")] = ""
    raw[i][col(raw, M + "都内間の移動増減／転入数")] = "…"
    got = komae(read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw)))
    assert pd.isna(got["other"]) and pd.isna(got["japanese_change"]) and pd.isna(got["intra_in"])
    assert got["births"] == int(raw[i][col(raw, M + "自然増減／出生数")])


def test_a_missing_item_column_is_an_error(tmp_path):
    raw = rows_of(FILE)
    drop = col(raw, M + "自然増減／出生数")
    cut = [[c for j, c in enumerate(r) if j != drop] for r in raw]
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", cut))
    p = only(e, "列『令和7年中の動き／自然増減/出生数』がありません")
    assert p.row == 1 and p.file.endswith("ju25qv0100.csv")


def test_a_missing_year_column_is_an_error(tmp_path):
    raw = rows_of(FILE)
    drop = col(raw, "令和７年1月1日現在人口")
    cut = [[c for j, c in enumerate(r) if j != drop] for r in raw]
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", cut))
    p = only(e, "（前年1月1日の人口）がありません")
    assert p.column == "令和7年1月1日現在人口"


def test_identities_that_fail_name_both_numbers(tmp_path):
    raw = rows_of(FILE)
    i = row_index(raw, "13219")
    births = int(raw[i][col(raw, M + "自然増減／出生数")])
    deaths = int(raw[i][col(raw, M + "自然増減／死亡数")])
    natural = int(raw[i][col(raw, M + "自然増減")])
    raw[i][col(raw, M + "自然増減／出生数")] = str(births + 10)
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw))
    p = only(e, "狛江市（13219）: 自然増減が出生数－死亡数と合いません")
    assert p.expected == f"{births + 10 - deaths}（出生数－死亡数）" and p.found == f"{natural}（自然増減）"
    assert p.row == i + 1 and p.column == "自然増減"
    # and 市部 no longer equals the sum of its 市 for 出生数
    shibu = [p for p in problems(e) if p.message.startswith("市部（13200）の出生数")]
    assert len(shibu) == 1


def test_population_change_must_match_the_two_populations(tmp_path):
    raw = rows_of(FILE)
    i = row_index(raw, "13219")
    c = col(raw, "令和8年1月1日現在人口")
    end = int(raw[i][c])
    start = int(raw[i][col(raw, "令和７年1月1日現在人口")])
    raw[i][c] = str(end + 1)
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw))
    p = only(e, "人口増減が当年1月1日現在人口－前年1月1日現在人口と合いません")
    assert p.expected.startswith(f"{end + 1 - start}（") and p.found == f"{end - start}（人口増減）"


def test_a_repeated_area_with_other_values_is_an_error(tmp_path):
    raw = rows_of(FILE)
    repeats = [i for i, r in enumerate(raw) if len(r) > 2 and r[1] == "13200"]
    assert len(repeats) == 2
    c = col(raw, M + "人口増減")
    raw[repeats[1]][c] = str(int(raw[repeats[1]][c]) + 1)
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw))
    assert only(e, "市部（13200）の行が2回あり、値が違います").row == repeats[1] + 1


def test_the_footer_year_must_match_the_header(tmp_path):
    raw = rows_of(FILE)
    i = next(k for k, r in enumerate(raw) if r and r[0].startswith("人口の動き"))
    raw[i][0] = "人口の動き（令和6年中）"
    with pytest.raises(InputError) as e:
        read_tokyo_movement(write_rows(tmp_path / "ju25qv0100.csv", raw))
    assert only(e, "表題行の年が見出しの年と合いません").found == "人口の動き(令和6年中)"


# ------------------------------------------------------------------------------ the real file


@pytest.mark.realdata
def test_real_first_table():
    if not REAL.exists():
        pytest.skip(f"real data not available: {REAL}")
    frame = read_tokyo_movement(REAL)
    raw = rows_of(REAL)
    k = komae(frame)
    assert (k["year"], k["population_end"], k["population_start"]) == (2024, 83460, 83514)
    assert (k["births"], k["deaths"], k["natural"]) == (480, 865, -385)
    assert (k["social"], k["intra"], k["other"], k["change"]) == (184, 17, 130, -54)
    r = raw[row_index(raw, "13219")]
    assert k["social_in"] == int(r[col(raw, "令和６年中の動き／社会増減（他県との移動増減）／転入数")])
    assert frame["area_code"].nunique() == len(frame) == 72
    tokyo = frame[frame["area_code"] == "13000"].iloc[0]
    assert tokyo["births"] - tokyo["deaths"] == tokyo["natural"] == -52416
