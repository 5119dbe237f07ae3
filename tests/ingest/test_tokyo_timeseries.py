"""東京都 時系列 第2表・第9表 readers: the bundled demo files, broken copies of them (built here with
the csv module), and the real 令和8年1月 release in ../shared/realdata (skipped when absent).

Expected values come from the raw text read with the csv module, never from the reader itself.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.tokyo_timeseries import (
    read_tokyo_timeseries_aged,
    read_tokyo_timeseries_population,
)
from tests.conftest import REALDATA, ROOT
from tests.ingest.ingest_builders import only, problems, rows_of, write_rows

DEMO = ROOT / "data" / "raw" / "tokyo_juki_timeseries"
POP = DEMO / "jy26rv0200.csv"
AGED = DEMO / "jy26rv0906.csv"
REAL = REALDATA / "tokyo_juki_timeseries"


def find(rows: list[list[str]], code: str) -> int:
    return next(i for i, r in enumerate(rows) if len(r) > 2 and r[1] == code)


def col(rows: list[list[str]], label: str) -> int:
    return rows[0].index(label)


def value(frame: pd.DataFrame, code: str, year: int, nationality: str = "総数", sex: str = "計"):
    f = frame[(frame["area_code"] == code) & (frame["year"] == year) & (frame["nationality"] == nationality)
              & (frame["sex"] == sex)]
    assert len(f) == 1
    return f["population"].iloc[0]


# ------------------------------------------------------------------------------ the demo files


def test_demo_population_file_matches_its_text():
    frame = read_tokyo_timeseries_population(POP)
    raw = rows_of(POP)
    komae = raw[find(raw, "13219")]
    assert value(frame, "13219", 1985) == int(komae[col(raw, "昭和60／総数(人)")]) == 70744
    assert value(frame, "13219", 2016) == int(komae[col(raw, "平成28／人口総数／総数(人)")]) == 80008
    assert value(frame, "13219", 2026, "外国人") == int(komae[col(raw, "令和8／外国人／総数(人)")])
    assert frame.attrs["edition"] == "2026-01"
    assert sorted(frame["year"].unique()) == list(range(1985, 2027))
    # before 平成25 the register held Japanese residents only: no 日本人/外国人 rows, flagged
    assert set(frame.loc[frame["year"] < 2013, "nationality"]) == {"総数"}
    assert not frame.loc[frame["year"] < 2013, "includes_foreign"].any()
    assert frame.loc[frame["year"] >= 2013, "includes_foreign"].all()


def test_demo_aged_file_reads_the_published_shares():
    frame = read_tokyo_timeseries_aged(AGED)
    raw = rows_of(AGED)
    komae = raw[find(raw, "13219")]
    got = frame[(frame["area_code"] == "13219") & (frame["base"] == "総数") & (frame["sex"] == "計")].set_index("year")
    assert got.loc[1985, "aged_pct"] == float(komae[col(raw, "昭和60年／総数(%)")]) == 7.15
    assert got.loc[2026, "aged_pct"] == float(komae[col(raw, "令和8年／人口総計／総数(%)")])
    jp = frame[(frame["area_code"] == "13219") & (frame["base"] == "日本人")]
    assert jp["year"].min() == 2013


# ------------------------------------------------------------------------------ broken copies


def test_header_shifted_by_a_row_still_reads(tmp_path):
    raw = rows_of(POP)
    shifted = [["時系列 第２表 区市町村別男女別人口"] + [""] * (len(raw[0]) - 1), *raw]
    got = read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", shifted))
    pd.testing.assert_frame_equal(got, read_tokyo_timeseries_population(POP))


def test_full_width_digits_and_commas_inside_numbers_are_read(tmp_path):
    raw = rows_of(POP)
    i = find(raw, "13219")
    raw[i][col(raw, "昭和60／総数(人)")] = "７０，７４４"
    raw[i][col(raw, "平成28／人口総数／総数(人)")] = "80,008"
    got = read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw, encoding="cp932"))
    assert value(got, "13219", 1985) == 70744
    assert value(got, "13219", 2016) == 80008


def test_suppression_markers_are_missing_never_zero_and_dash_is_zero(tmp_path):
    raw = rows_of(POP)
    i = find(raw, "13219")
    for label in ("令和8／外国人／総数(人)", "令和8／外国人／男(人)"):
        raw[i][col(raw, label)] = "x"
    raw[i][col(raw, "令和8／外国人／女(人)")] = "…"
    raw[i][col(raw, "令和7／外国人／男(人)")] = "***"
    got = read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    assert pd.isna(value(got, "13219", 2026, "外国人"))
    assert pd.isna(value(got, "13219", 2026, "外国人", "女"))
    assert pd.isna(value(got, "13219", 2025, "外国人", "男"))
    assert value(got, "13219", 2026) == int(raw[i][col(raw, "令和8／人口総数／総数(人)")])
    # a lone "-" is zero (the release's convention): 令和6 foreign men made zero, every sum kept
    raw = rows_of(POP)
    men = int(raw[i][col(raw, "令和6／外国人／男(人)")])
    for code in ("13219", "13200", "13000"):
        k = find(raw, code)
        for label in ("令和6／外国人／男(人)", "令和6／外国人／総数(人)", "令和6／人口総数／男(人)", "令和6／人口総数／総数(人)"):
            raw[k][col(raw, label)] = str(int(raw[k][col(raw, label)]) - men)
    raw[i][col(raw, "令和6／外国人／男(人)")] = "-"
    got = read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    assert value(got, "13219", 2024, "外国人", "男") == 0


def test_a_missing_year_is_an_error(tmp_path):
    raw = rows_of(POP)
    drop = {col(raw, f"平成10／{s}(人)") for s in ("総数", "男", "女")}
    cut = [[c for j, c in enumerate(r) if j not in drop] for r in raw]
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", cut))
    p = only(e, "列がありません（年の列が抜けています）")
    assert "平成10（1998年）" in p.message and p.row == 1
    assert "平成9の次が平成11" in p.found and p.file.endswith("jy26rv0200.csv")


def test_a_missing_item_column_is_an_error(tmp_path):
    raw = rows_of(POP)
    drop = col(raw, "令和3／日本人／女(人)")
    cut = [[c for j, c in enumerate(r) if j != drop] for r in raw]
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", cut))
    assert "令和3の「日本人／女」の列がありません" in only(e, "日本人／女").message


def test_a_missing_area_name_column_is_an_error(tmp_path):
    raw = rows_of(POP)
    raw[0][2] = "市区町村"
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    p = only(e, "列『地域』（地域名）がありません")
    assert p.column == "地域" and p.row == 1


def test_totals_disagreeing_with_their_parts_name_both_numbers(tmp_path):
    raw = rows_of(POP)
    i = find(raw, "13219")
    c = col(raw, "昭和60／総数(人)")
    raw[i][c] = "70745"
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    p = only(e, "狛江市（13219）1985年: 男＋女が総数と合いません")
    assert p.row == i + 1 and p.column == "昭和60／総数(人)"
    assert p.expected == "70744（男＋女）" and p.found == "70745（総数）"
    # a city changed consistently (男, 計) no longer adds up to 市部
    raw = rows_of(POP)
    i = find(raw, "13201")
    for label in ("昭和60／総数(人)", "昭和60／男(人)"):
        raw[i][col(raw, label)] = str(int(raw[i][col(raw, label)]) + 100)
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    hits = [p for p in problems(e) if p.message.startswith("市部（13200）") and p.column == "昭和60／総数(人)"]
    assert len(hits) == 1
    shibu = int(rows_of(POP)[find(raw, "13200")][col(raw, "昭和60／総数(人)")])
    assert hits[0].expected == f"{shibu + 100}（内訳の合計）" and hits[0].found == f"{shibu}（市部）"


def test_a_unit_change_is_an_error(tmp_path):
    raw = rows_of(POP)
    raw[0] = [h.replace("令和8／人口総数／総数(人)", "令和8／人口総数／総数(千人)") for h in raw[0]]
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    p = only(e, "単位が違います")
    assert p.expected == "(人)" and p.found == "(千人)"


def test_the_other_table_is_refused(tmp_path):
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(AGED)
    assert any("単位が違います（別の表のファイルではありませんか）" in p.message for p in problems(e))
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_aged(POP)
    assert any("単位が違います" in p.message for p in problems(e))


def test_the_release_month_must_match_the_last_year(tmp_path):
    raw = rows_of(POP)
    i = next(k for k, r in enumerate(raw) if r and r[0].startswith("住民基本台帳による東京都の世帯と人口"))
    raw[i][0] = "住民基本台帳による東京都の世帯と人口　令和7年1月"
    with pytest.raises(InputError) as e:
        read_tokyo_timeseries_population(write_rows(tmp_path / "jy26rv0200.csv", raw))
    p = only(e, "最後の年の列が公表の年月と合いません")
    assert p.found == "令和8" and "令和7" in p.expected


# ------------------------------------------------------------------------------ real files


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.mark.realdata
def test_real_population_table():
    path = _need(REAL / "jy26rv0200.csv")
    frame = read_tokyo_timeseries_population(path)
    raw = rows_of(path)
    assert frame["area_code"].nunique() == len([r for r in raw[1:] if len(r) > 2 and r[1].isdigit()]) == 72
    for year, expected in ((1985, 70744), (2016, 80008), (2021, 83268), (2026, 82258)):
        assert value(frame, "13219", year) == expected
    assert value(frame, "13219", 2026, "外国人") == 1922
    komae = raw[find(raw, "13219")]
    assert value(frame, "13219", 2012, "総数", "女") == int(komae[col(raw, "平成24／女(人)")])
    assert value(frame, "13402", 2013, "外国人", "男") == 0  # 青ヶ島村: "-"
    assert frame.attrs["edition"] == "2026-01"


@pytest.mark.realdata
def test_real_aged_table():
    path = _need(REAL / "jy26rv0906.csv")
    frame = read_tokyo_timeseries_aged(path)
    got = frame[(frame["area_code"] == "13219") & (frame["sex"] == "計")].set_index(["year", "base"])["aged_pct"]
    assert got[(1985, "総数")] == 7.15
    assert got[(2026, "総数")] == 24.25
    assert got[(2026, "日本人")] == 24.73
