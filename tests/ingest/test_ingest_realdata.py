"""The population readers on the real published files in ../shared/realdata (skipped when absent).

Every expected figure is computed independently from the raw text with the csv module (and, for
the published anchors listed in realdata/README.md, also compared with the published value).
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.soumu_juki import ReducedLayoutWarning, read_soumu_juki_municipal
from komae_analysis.ingest.ssdse import read_ssdse_a
from komae_analysis.ingest.tokyo_juki import read_tokyo_juki_age5

pytestmark = pytest.mark.realdata

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
TOKYO_FILE = REALDATA / "tokyo_juki_202601" / "dai7hyo_age5_kushichoson_R8-01_FULL.csv"
SOUMU_DIR = REALDATA / "soumu_juki_municipal"
SSDSE_DIR = REALDATA / "ssdse_a"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def _raw_rows(path: Path, encoding: str) -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def _int(text: str) -> int:
    text = text.strip()
    return 0 if text == "-" else int(text.replace(",", ""))


# ------------------------------------------------------------------------------ 東京都 第7表


@pytest.fixture(scope="module")
def tokyo() -> pd.DataFrame:
    return read_tokyo_juki_age5(_need(TOKYO_FILE))


@pytest.fixture(scope="module")
def tokyo_raw() -> list[list[str]]:
    return _raw_rows(_need(TOKYO_FILE), "utf-8")


def _raw_area(raw: list[list[str]], code: str) -> dict[str, int]:
    """Sums over the detail rows of one area, straight from the raw text."""
    header = raw[0]
    col = {name: header.index(name) for name in header}
    out = {"total": 0, "male": 0, "female": 0, "foreign": 0, "65+": 0, "0-14": 0, "total_row": 0}
    for r in raw[1:]:
        if len(r) < 14 or r[1] != code:
            continue
        if r[3] == "0":
            out["total_row"] = _int(r[col["総数／計(人)"]])
            continue
        n = _int(r[col["総数／計(人)"]])
        out["total"] += n
        out["male"] += _int(r[col["総数／男(人)"]])
        out["female"] += _int(r[col["総数／女(人)"]])
        out["foreign"] += _int(r[col["外国人／計(人)"]])
        start = r[4].replace("以上", "").split("～")[0]
        if start.isdigit():
            out["65+"] += n if int(start) >= 65 else 0
            out["0-14"] += n if int(start) <= 10 else 0
    return out


def test_tokyo_komae_totals_match_raw_text_and_published_figures(tokyo, tokyo_raw):
    raw = _raw_area(tokyo_raw, "13219")
    # the published anchors (realdata/README.md), checked against the raw text first
    assert (raw["total"], raw["male"], raw["female"], raw["foreign"]) == (82258, 39790, 42468, 1922)
    assert (raw["65+"], raw["0-14"], raw["total_row"]) == (19947, 9416, 82258)

    komae = tokyo[tokyo["area_code"] == "13219"]
    assert komae["population"].sum() == 82258
    by_sex = komae.groupby("sex")["population"].sum()
    assert (by_sex["男"], by_sex["女"]) == (39790, 42468)
    assert komae.loc[komae["nationality"] == "外国人", "population"].sum() == 1922
    assert komae.loc[komae["age_from"] >= 65, "population"].sum() == 19947
    assert komae.loc[komae["age_to"] <= 14, "population"].sum() == 9416
    assert set(komae["area_name"]) == {"狛江市"}
    assert set(komae["area_level"]) == {4}


def test_tokyo_metropolis_total_equals_its_own_total_row(tokyo, tokyo_raw):
    raw = _raw_area(tokyo_raw, "13000")
    assert raw["total_row"] == raw["total"] == 14077552
    assert tokyo.loc[tokyo["area_code"] == "13000", "population"].sum() == raw["total_row"]


def test_tokyo_shape_dtypes_and_details(tokyo, tokyo_raw):
    assert list(tokyo.columns) == [
        "date",
        "area_level",
        "area_code",
        "area_name",
        "age_from",
        "age_to",
        "sex",
        "nationality",
        "population",
    ]
    assert str(tokyo["date"].dtype) == "datetime64[ns]"
    assert set(tokyo["date"]) == {pd.Timestamp("2026-01-01")}
    assert isinstance(tokyo["area_code"].dtype, pd.StringDtype)
    areas = {r[1] for r in tokyo_raw[1:] if len(r) > 3 and r[3] == "0"}
    assert len(areas) == 72 and set(tokyo["area_code"]) == areas
    # 21 classes (0～4 … 95～99, 100以上) × 4 (sex × nationality) per area; 不詳者 rows only when non-zero
    nonzero_unknown = sum(
        1
        for r in tokyo_raw[1:]
        if len(r) > 4 and r[4] == "不詳者"
        for v in (r[9], r[10], r[12], r[13])
        if _int(v)
    )
    assert len(tokyo) == 72 * 21 * 4 + nonzero_unknown
    assert tokyo["age_from"].isna().sum() == nonzero_unknown
    top = tokyo[tokyo["age_from"] == 100]
    assert len(top) == 72 * 4 and top["age_to"].isna().all()
    assert "豊島区" in set(tokyo["area_name"])  # the file writes 「豊島区　」
    assert not tokyo["area_name"].str.contains("\u3000").any()


def test_tokyo_cp932_copy_reads_to_the_same_frame(tokyo, tmp_path):
    copy = tmp_path / "dai7hyo_age5_202601.csv"
    copy.write_bytes(_need(TOKYO_FILE).read_text(encoding="utf-8").encode("cp932"))
    pd.testing.assert_frame_equal(read_tokyo_juki_age5(copy), tokyo)


# ------------------------------------------------------------------------------ 総務省 市区町村別


def _raw_soumu(path: Path, encoding: str, code6: str) -> list[str]:
    return next(r for r in _raw_rows(path, encoding) if r and r[0] == code6)


@pytest.mark.parametrize(
    ("year", "published_total"),
    [(2016, 80008), (2017, 80807), (2018, 81788), (2019, 82481), (2020, 83257)],
)
def test_soumu_komae_totals(year, published_total):
    path = _need(SOUMU_DIR / f"juki_shikuchoson_{year}0101.csv")
    raw = _raw_soumu(path, "utf-8-sig", "132195")  # 男, 女, 人, 世帯数 are columns 4–7
    assert _int(raw[5]) == published_total

    frame = read_soumu_juki_municipal(path)
    row = frame[frame["area_code"] == "13219"]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["date"] == pd.Timestamp(f"{year}-01-01")
    assert (row["prefecture"], row["area_name"]) == ("東京都", "狛江市")
    assert row["total"] == published_total
    assert (row["male"], row["female"], row["households"]) == (_int(raw[3]), _int(raw[4]), _int(raw[6]))
    if year == 2020:
        assert row["households"] == 42682


def test_soumu_keeps_municipalities_only():
    path = _need(SOUMU_DIR / "juki_shikuchoson_20200101.csv")
    raw = _raw_rows(path, "utf-8-sig")
    # independent count: 6-digit code, a 市区町村名 that names a municipality (not a 郡 or 島しょ subtotal)
    expected = [r for r in raw[4:] if len(r[0]) == 6 and r[0].isdigit() and r[2] and r[2][-1] in "市区町村"]
    frame = read_soumu_juki_municipal(path)
    assert len(frame) == len(expected) == 1922
    assert frame["area_code"].is_unique
    assert "合計" not in set(frame["area_name"]) and "島しょ" not in set(frame["area_name"])
    assert {"札幌市", "札幌市中央区"} <= set(frame["area_name"])  # 政令市 and its 区 both kept
    assert frame["total"].sum() == sum(_int(r[5]) for r in expected)


def test_soumu_reduced_2022_layout_total_only_with_na_and_warning():
    path = _need(SOUMU_DIR / "juki_shikuchoson_20220101_total_only_cp932.csv")
    raw = _raw_soumu(path, "cp932", "132195")
    with pytest.warns(ReducedLayoutWarning, match="人口総数のみ"):
        frame = read_soumu_juki_municipal(path)
    row = frame[frame["area_code"] == "13219"].iloc[0]
    assert row["date"] == pd.Timestamp("2022-01-01")
    assert row["total"] == _int(raw[3]) == 83022
    assert pd.isna(row["male"]) and pd.isna(row["female"]) and pd.isna(row["households"])
    assert frame["male"].isna().all() and frame["households"].isna().all()
    assert str(frame["male"].dtype) == "Int64"  # NA, not zero


def test_soumu_full_layout_issues_no_warning():
    path = _need(SOUMU_DIR / "juki_shikuchoson_20190101.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_soumu_juki_municipal(path)


# --------------------------------------------------------------------------------------- SSDSE-A


@pytest.mark.parametrize("edition", [2023, 2026])
def test_ssdse_a_komae_65_plus_and_row_count(edition):
    path = _need(SSDSE_DIR / f"SSDSE-A-{edition}_cp932.csv")
    raw = _raw_rows(path, "cp932")
    labels = raw[2]
    col = labels.index("65歳以上人口")
    data = [r for r in raw[3:] if r and r[0].startswith("R")]
    komae = next(r for r in data if r[0] == "R13219")
    assert int(komae[col]) == 19961
    assert len(data) == 1741

    frame = read_ssdse_a(path)
    assert frame["area_code"].nunique() == 1741
    assert len(frame) == 1741 * (len(labels) - 3)
    hit = frame[(frame["area_code"] == "13219") & (frame["item_code"] == raw[0][col])]
    assert len(hit) == 1
    assert hit.iloc[0]["value"] == 19961
    assert hit.iloc[0]["item_name"] == "65歳以上人口"
    assert hit.iloc[0]["year"] == int(raw[1][col]) == 2020
    assert (hit.iloc[0]["prefecture"], hit.iloc[0]["area_name"]) == ("東京都", "狛江市")
    assert frame.attrs["edition"] == f"SSDSE-A-{edition}"
    # a fraction survives as a fraction (経常収支比率 92.7 / 85.4), nothing became NA
    assert frame["value"].notna().all()
    ratio_col = next(i for i, x in enumerate(labels) if x.startswith("経常収支比率"))
    ratio = frame[(frame["area_code"] == "13219") & (frame["item_code"] == raw[0][ratio_col])]["value"].iloc[
        0
    ]
    assert ratio == float(komae[ratio_col])


# ----------------------------------------------------------------- real files with one thing broken


def test_tokyo_area_that_does_not_add_up_to_its_parent(tmp_path, tokyo_raw):
    """小笠原村 +1 (consistently within its rows and its own total row): 小笠原支庁 no longer equals it."""
    rows = [list(r) for r in tokyo_raw]
    header = rows[0]
    cols = [header.index(c) for c in ("総数／計(人)", "総数／男(人)", "日本人／計(人)", "日本人／男(人)")]
    lines = [i for i, r in enumerate(rows) if len(r) > 4 and r[1] == "13421" and r[4] in ("総数", "0～4")]
    assert len(lines) == 2
    for i in lines:
        for c in cols:
            rows[i][c] = str(_int(rows[i][c]) + 1)
    path = tmp_path / "dai7hyo_age5_202601.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    parent_line = next(i for i, r in enumerate(rows) if len(r) > 4 and r[1] == "13420" and r[4] == "総数") + 1
    with pytest.raises(InputError) as e:
        read_tokyo_juki_age5(path)
    problems = e.value.problems
    assert {p.column for p in problems} == {
        "総数／計(人)",
        "総数／男(人)",
        "日本人／計(人)",
        "日本人／男(人)",
    }
    p = next(p for p in problems if p.column == "総数／計(人)")
    assert p.message == "小笠原支庁（13420）の総数行が内訳の地域の合計と合いません"
    assert p.row == parent_line
    assert p.found == rows[parent_line - 1][cols[0]]
    assert p.expected == f"{int(p.found) + 1}（小笠原村の合計）"


def test_soumu_wrong_check_digit_is_reported(tmp_path):
    path = _need(SOUMU_DIR / "juki_shikuchoson_20200101.csv")
    text = path.read_text(encoding="utf-8-sig")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("132195,"))
    broken = tmp_path / "juki_shikuchoson_20200101.csv"
    broken.write_text(text.replace("132195,東京都,狛江市", "132196,東京都,狛江市"), encoding="utf-8-sig")
    with pytest.raises(InputError) as e:
        read_soumu_juki_municipal(broken)
    assert [(p.message, p.row, p.column, p.expected, p.found) for p in e.value.problems] == [
        ("団体コードの検査数字が合いません", line, "団体コード", "132195", "132196")
    ]
