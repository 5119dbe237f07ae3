"""第1節 第2款（3）世帯・人口動態と長期の推移: the analysis functions on small hand-made cases, and
the section end to end on the FY2026 demo build.

End-to-end numbers are compared with values computed here from the raw demo files (csv module,
openpyxl), never with the code's own output; the commentary is checked against the printed tables
(the rule in tests.sections).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import households as hh
from komae_analysis.analysis.households.data import compare_phrase
from komae_analysis.ingest import registry
from komae_analysis.ingest.frames import empty_frame
from komae_analysis.pipeline.registry import run_params
from komae_analysis.report.numbers import SHARE_NOTE, pct
from tests.sections import (
    commentary,
    printed_cells,
    section,
    shown_pct,
    table,
    tables,
    unmatched_numbers,
    visible_text,
    wareki,
)

ID = "02c_households"
SHIBU = ["13201", "13202", "13203", "13204", "13205", "13206", "13207", "13208", "13209", "13210", "13211",
         "13212", "13213", "13214", "13215", "13218", "13219", "13220", "13221", "13222", "13223", "13224",
         "13225", "13227", "13228", "13229"]


def era(year: int) -> str:
    """和暦 year as the 東京都 時系列 headers write it (昭和60, 平成2, 令和8)."""
    if year <= 1989:
        return f"昭和{year - 1925}"
    if year <= 2019:
        return f"平成{year - 1988}"
    return f"令和{year - 2018}"


def jan(year: int) -> str:
    return f"{era(year)}年1月1日"


def year_label(year: int) -> str:
    return "令和元年" if year == 2019 else f"{era(year)}年"


# --- hand-made cases ---------------------------------------------------------------------------
PARAMS = run_params(2026)
SETTINGS = PARAMS.topic(hh.HouseholdsParams)


def data_of(**frames) -> hh.HouseholdsData:
    base = dict(params=PARAMS, settings=SETTINGS, latest=pd.Timestamp(2026, 1, 1), long_view=pd.DataFrame(),
                long_view_first_available=None, movement=pd.DataFrame(), census=pd.DataFrame(), census_date=None,
                foreign=pd.DataFrame(), breakdown=pd.DataFrame(), breakdown_year=None)
    return hh.HouseholdsData(**{**base, **frames})


def test_long_view_reads_the_turns_the_peak_and_the_gap_by_hand():
    # totals 2020–2026: up to 1,300 in 2023, then down to 1,250; 東京都市部/東京都 grow 10% and 20%
    years = list(range(2020, 2027))
    totals = [1000, 1100, 1200, 1300, 1290, 1270, 1250]
    lv = pd.DataFrame({
        "year": years,
        "total": pd.array(totals, dtype="Int64"),
        "foreign": pd.array([10] * 7, dtype="Int64"),
        "aged_pct": pd.array([20.0, 20.5, 21.0, 21.6, 22.0, 22.4, 22.35], dtype="Float64"),
        "shibu": pd.array([100, 102, 104, 106, 107, 108, 110], dtype="Int64"),
        "tokyo": pd.array([100, 103, 106, 110, 114, 117, 120], dtype="Int64"),
    })
    d = data_of(long_view=lv, long_view_first_available=2020)
    t = hh.long_view_table(d)
    f = t.frame.set_index("基準日")
    assert f.loc["令和8年1月1日", "ピーク時との差"] == 1250 - 1300 == -50
    assert f.loc["令和3年1月1日", "前年からの増減"] == 100
    assert float(f.loc["令和8年1月1日", "指数（狛江市）"]) == 125.0  # 1,250 / 1,000 × 100
    text = hh.long_view_text(d)
    assert "令和5年1月1日の1,300人をピークに減少に転じています" in text
    assert "令和8年1月1日現在は1,250人で、ピーク時（令和5年1月1日）を50人下回っています（3年連続で減少）" in text
    # 125.0 against 110.0 (東京都市部) and 120.0 (東京都)
    assert "狛江市が125.0、東京都市部が110.0、東京都が120.0で、狛江市の人口の伸びは東京都市部を上回っています" in text
    # 高齢化率 peaked at 22.40 in 令和7年 and fell to 22.35
    assert "20.00％から令和8年1月1日の22.35％へ上昇しています（最も高かったのは令和7年1月1日の22.40％）" in text
    numeric, labels = printed_cells([t])
    assert unmatched_numbers(text, numeric, labels) == []


def test_movement_identities_and_reading_by_hand():
    m = pd.DataFrame({
        "year": [2023, 2024, 2025],
        "births": [500, 480, 470], "deaths": [490, 500, 560],
        "social_in": [2000, 2000, 2000], "social_out": [1900, 1950, 1980],
        "intra_in": [2500, 2500, 2500], "intra_out": [2480, 2490, 2500],
        "other": [5, -3, 4],
    })
    m["natural"] = m["births"] - m["deaths"]  # 10, −20, −90
    m["social"] = m["social_in"] - m["social_out"]
    m["intra"] = m["intra_in"] - m["intra_out"]
    m["in_total"] = m["social_in"] + m["intra_in"]
    m["out_total"] = m["social_out"] + m["intra_out"]
    m["social_total"] = m["social"] + m["intra"]  # 120, 60, 20
    m["change"] = m["natural"] + m["social_total"] + m["other"]  # 135, 37, −66
    d = data_of(movement=m)
    f = hh.movement_table(d).frame
    assert (f["出生数"] - f["死亡数"] == f["自然増減"]).all()
    assert (f["転入数"] - f["転出数"] == f["社会増減"]).all()
    assert (f["自然増減"] + f["社会増減"] + f["その他の増減"] == f["人口増減"]).all()
    assert list(f["人口増減"]) == [135, 37, -66]
    text = hh.movement_text(d)
    assert "自然増減は、令和6年に自然増から自然減に転じ、令和7年まで2年連続で死亡数が出生数を上回る「自然減」" in text
    assert "令和7年は出生数470人、死亡数560人で、90人の自然減でした" in text
    assert "最も多かったのは令和5年の120人の社会増です。令和7年は20人の社会増でした" in text


def test_family_shares_by_hand_and_the_share_note():
    codes = ["0", "1", "11", "111", "112", "113", "114", "12", *(f"12{i:02d}" for i in range(1, 11)), "2", "3", "4",
             "R1", "R2", "R3"]
    city = dict.fromkeys(codes, 0)
    # 1,000 = 単独 480 + 核家族 470 (夫婦のみ 200, 夫婦と子 200, 男親 20, 女親 50) + 核家族以外 30 + 非親族 15 + 不詳 5
    city.update({"0": 1000, "3": 480, "R3": 120, "11": 470, "111": 200, "R2": 90, "112": 200, "113": 20,
                 "114": 50, "12": 30, "1201": 30, "1": 500, "2": 15, "4": 5})
    census = pd.DataFrame([city], index=["13219"])
    census.insert(0, "area_name", ["狛江市"])
    d = data_of(census=census, census_date=pd.Timestamp(2020, 10, 1))
    t = hh.family_table(d)
    f = t.frame.set_index("家族類型")
    assert f.loc["単独世帯", "構成比"] == 0.48 and f.loc["　ひとり親と子供から成る世帯", "世帯数"] == 70
    # top level: 48.0 + 47.0 + 3.0 + 1.5 + 0.5 = 100.0 → no 構成比 注
    assert SHARE_NOTE not in t.notes
    tops = ["単独世帯", "核家族世帯", "核家族以外の世帯", "非親族を含む世帯", "家族類型「不詳」"]
    assert f.loc[tops, "世帯数"].sum() == f.loc["一般世帯総数", "世帯数"]
    # thirds: 33.3 × 3 = 99.9 → the 注
    city.update({"0": 3, "3": 1, "R3": 0, "11": 1, "111": 1, "R2": 0, "112": 0, "113": 0, "114": 0, "12": 1,
                 "1201": 1, "1": 2, "2": 0, "4": 0})
    census = pd.DataFrame([city], index=["13219"])
    census.insert(0, "area_name", ["狛江市"])
    assert SHARE_NOTE in hh.family_table(data_of(census=census, census_date=pd.Timestamp(2020, 10, 1))).notes


def test_compare_phrase_by_hand():
    assert compare_phrase(0.25, [("東京都市部", 0.2), ("東京都", 0.3)], pct) == \
        "東京都市部（20.0％）を上回り、東京都（30.0％）を下回っています"
    assert compare_phrase(0.25, [("東京都市部", 0.2), ("東京都", 0.1)], pct) == \
        "東京都市部（20.0％）、東京都（10.0％）をいずれも上回っています"
    # 25.04％ and 24.96％ both print 25.0: the same level
    assert compare_phrase(0.2504, [("東京都", 0.2496)], pct) == "東京都（25.0％）と同じ水準となっています"


def test_missing_optional_sources_give_a_sentence_not_a_crash(demo_data_dir):
    inputs = {s: empty_frame(registry.source(s).schema) for s in section(ID).inputs if s != "tokyo_juki_age5"}
    inputs["tokyo_juki_age5"] = registry.load("tokyo_juki_age5", demo_data_dir, 2026)
    d = hh.prepare(PARAMS, inputs)
    for fn in (hh.long_view_table, hh.movement_table, hh.family_table, hh.family_comparison_table,
               hh.foreign_breakdown_table):
        out = fn(d)
        assert isinstance(out, str) and "データがないため掲載していません" in out
    for fn in (hh.long_view_figure, hh.long_view_text, hh.movement_figure, hh.movement_text, hh.family_figure,
               hh.family_text, hh.foreign_breakdown_text):
        assert fn(d) == ""
    assert hh.foreign_table(d).frame.shape[0] == 10  # 第7表 is always there


def test_fy2023_uses_data_up_to_its_1_april(demo_data_dir):
    params = run_params(2023)
    sec = section(ID)
    d = hh.prepare(params, {s: registry.load(s, demo_data_dir, 2023) for s in sec.inputs})
    assert d.latest == pd.Timestamp(2023, 1, 1)
    assert int(d.long_view["year"].iloc[-1]) == 2023
    assert list(d.movement["year"]) == list(range(2016, 2023))  # 令和4年中 ends on 2023-01-01
    assert sorted(d.foreign["date"].unique())[-1] == pd.Timestamp(2023, 1, 1)
    assert any("7年を掲載" in n for n in hh.movement_table(d).notes)
    assert d.breakdown_year == 2022


# --- raw demo files, read here ------------------------------------------------------------------
def csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.fixture(scope="module")
def timeseries(demo_data_dir) -> dict[str, dict[str, str]]:
    rows = csv_rows(demo_data_dir / "tokyo_juki_timeseries" / "jy26rv0200.csv")
    return {r[1]: dict(zip(rows[0][3:], r[3:], strict=True)) for r in rows[1:] if len(r) > 3 and r[1].isdigit()}


def ts_total(ts: dict[str, dict[str, str]], code: str, year: int) -> int:
    key = f"{era(year)}／総数(人)" if year < 2013 else f"{era(year)}／人口総数／総数(人)"
    return int(ts[code][key])


def dai7_totals(demo_data_dir: Path, year: int) -> dict[str, tuple[int, int]]:
    """area code → (total, foreign) from the 総数 rows of a 第7表 CSV."""
    rows = csv_rows(demo_data_dir / "tokyo_juki_age5" / f"dai7hyo_age5_{year}01.csv", "cp932")
    return {r[1]: (int(r[5]), 0 if r[11] == "-" else int(r[11])) for r in rows if len(r) > 11 and r[3] == "0"}


@pytest.fixture(scope="module")
def movement(demo_data_dir) -> dict[int, list[str]]:
    out = {}
    for path in sorted((demo_data_dir / "tokyo_population_movement").glob("ju*qv0100.csv")):
        rows = csv_rows(path)
        out[2000 + int(path.name[2:4])] = next(r for r in rows if len(r) > 3 and r[1] == "13219")
    return out


@pytest.fixture(scope="module")
def census(demo_data_dir) -> dict[str, dict[str, int]]:
    wb = openpyxl.load_workbook(demo_data_dir / "census_households" / "census2020_b10_setai_kazokuruikei.xlsx",
                                read_only=True)
    rows = [tuple(r) for r in wb["b10"].iter_rows(values_only=True)]
    wb.close()
    header = next(r for r in rows if "0_総数" in r)
    col = {str(v).split("_")[0]: i for i, v in enumerate(header) if isinstance(v, str) and "_" in v}
    return {r[2][:5]: {c: 0 if r[i] == "-" else int(r[i]) for c, i in col.items()}
            for r in rows if len(r) > 3 and r[3] == "0_総数"}


# --- the built section ----------------------------------------------------------------------------
def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 7)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 5)]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) == 5  # long view, movement, households, foreign residents, their year's change
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_long_view_matches_the_time_series_and_dai7(built_report, demo_data_dir, timeseries):
    t = table(built_report, ID, "総人口・高齢化率の長期推移")
    f = t.frame.set_index("基準日")
    years = list(range(1985, 2027))
    assert list(f.index) == [jan(y) for y in years]
    totals = {y: ts_total(timeseries, "13219", y) for y in years}
    assert totals[1985] == 70744 and totals[2016] == 80008  # the real anchors
    for y in years:
        assert f.loc[jan(y), "総人口"] == totals[y]
    for y in range(2017, 2027):  # the time series equals 第7表 (and so the register) from 2017
        assert totals[y] == dai7_totals(demo_data_dir, y)["13219"][0]
        assert f.loc[jan(y), "うち外国人"] == dai7_totals(demo_data_dir, y)["13219"][1]
    assert pd.isna(f.loc[jan(2012), "うち外国人"]) and f.loc[jan(2013), "前年からの増減"] == totals[2013] - totals[2012]
    peak = max(years, key=lambda y: totals[y])
    assert f.loc[jan(2026), "ピーク時との差"] == totals[2026] - totals[peak]
    shibu = ts_total(timeseries, "13200", 2026) / ts_total(timeseries, "13200", 1985) * 100
    shown = Decimal(str(shibu)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert t.formatted().set_index("基準日").loc[jan(2026), "指数（東京都市部）"] == str(shown)
    aged = csv_rows(demo_data_dir / "tokyo_juki_timeseries" / "jy26rv0906.csv")
    komae = dict(zip(aged[0], next(r for r in aged if len(r) > 3 and r[1] == "13219"), strict=False))
    assert t.formatted().set_index("基準日").loc[jan(1985), "高齢化率"] == f"{Decimal(komae['昭和60年／総数(%)']):.2f}"
    text = commentary(built_report, ID)[0]
    assert f"{jan(peak)}の{totals[peak]:,}人をピークに減少に転じています" in text
    assert f"ピーク時（{jan(peak)}）を{totals[peak] - totals[2026]:,}人下回っています" in text


def test_movement_matches_the_first_tables_and_the_register(built_report, demo_data_dir, movement):
    t = table(built_report, ID, "人口動態の推移")
    f = t.frame.set_index("年")
    assert list(f.index) == [year_label(y) for y in range(2016, 2026)]
    for y, r in movement.items():
        # 第1表 columns: 3 当年人口, 4 人口増減, 5 社会増減, 6/7 転入/転出, 8 都内間, 9/10 転入/転出, 11 自然,
        # 12 出生, 13 死亡, 14 その他
        row = f.loc[year_label(y)]
        assert (row["出生数"], row["死亡数"], row["自然増減"]) == (int(r[12]), int(r[13]), int(r[11]))
        assert row["転入数"] == int(r[6]) + int(r[9]) and row["転出数"] == int(r[7]) + int(r[10])
        assert row["社会増減"] == int(r[5]) + int(r[8]) and row["その他の増減"] == int(r[14])
        assert row["人口増減"] == int(r[4]) == row["自然増減"] + row["社会増減"] + row["その他の増減"]
        assert row["出生数"] - row["死亡数"] == row["自然増減"]
        if y >= 2017:  # on the 推計 base the change equals the register's (between two censuses)
            assert row["人口増減"] == dai7_totals(demo_data_dir, y + 1)["13219"][0] - dai7_totals(demo_data_dir, y)["13219"][0]
    text = commentary(built_report, ID)[1]
    last = movement[2025]
    assert f"令和7年は出生数{int(last[12]):,}人、死亡数{int(last[13]):,}人で、{-int(last[11]):,}人の自然減でした" in text
    if all(int(r[11]) < 0 for r in movement.values()):
        assert "平成28年から令和7年まで毎年、死亡数が出生数を上回る「自然減」" in text


def test_family_tables_match_the_census_file(built_report, census):
    t = table(built_report, ID, "世帯の家族類型別一般世帯数")
    f = t.formatted().set_index("家族類型")
    k = census["13219"]
    assert (k["0"], k["3"], k["R3"], k["R2"]) == (42578, 20347, 5196, 3820)  # the real figures
    assert f.loc["一般世帯総数", "世帯数"] == "42,578"
    assert f.loc["単独世帯", "構成比"] == str(shown_pct(k["3"], k["0"])) == "47.8"
    assert f.loc["　うち65歳以上の単独世帯", "構成比"] == str(shown_pct(k["R3"], k["0"])) == "12.2"
    assert f.loc["　　うち夫65歳以上・妻60歳以上の夫婦のみの世帯", "構成比"] == str(shown_pct(k["R2"], k["0"])) == "9.0"
    assert f.loc["　ひとり親と子供から成る世帯", "世帯数"] == f"{k['113'] + k['114']:,}"
    # the exhaustive types add up to 一般世帯
    assert k["3"] + k["11"] + k["12"] + k["2"] + k["4"] == k["0"]
    tops = [shown_pct(k[c], k["0"]) for c in ("3", "11", "12", "2", "4")]
    assert (sum(tops) != Decimal("100.0")) == (SHARE_NOTE in t.notes)
    c = table(built_report, ID, "世帯の家族類型別の割合").formatted().set_index("地域")
    shibu = {code: sum(census[s][code] for s in SHIBU) for code in ("0", "3", "R3")}
    assert c.loc["東京都市部", "一般世帯数"] == f"{shibu['0']:,}"
    assert c.loc["東京都市部", "単独世帯"] == str(shown_pct(shibu["3"], shibu["0"]))
    assert c.loc["東京都", "うち65歳以上の単独世帯"] == str(shown_pct(census["13000"]["R3"], census["13000"]["0"]))
    text = commentary(built_report, ID)[2]
    assert "一般世帯42,578世帯のうち、単独世帯は20,347世帯（47.8％）" in text
    assert "65歳以上の単独世帯が5,196世帯（12.2％）、夫65歳以上・妻60歳以上の夫婦のみの世帯が3,820世帯（9.0％）" in text


def test_foreign_residents_match_dai7(built_report, demo_data_dir):
    t = table(built_report, ID, "外国人住民数と割合の推移")
    f = t.formatted().set_index("基準日")
    for y in range(2017, 2027):
        areas = dai7_totals(demo_data_dir, y)
        total, foreign = areas["13219"]
        assert f.loc[wareki(y), "外国人住民数"] == f"{foreign:,}"
        assert f.loc[wareki(y), "外国人住民の割合（狛江市）"] == str(shown_pct(foreign, total))
        assert f.loc[wareki(y), "外国人住民の割合（東京都市部）"] == str(shown_pct(areas["13200"][1], areas["13200"][0]))
        assert f.loc[wareki(y), "外国人住民の割合（東京都）"] == str(shown_pct(areas["13000"][1], areas["13000"][0]))
    latest = dai7_totals(demo_data_dir, 2026)["13219"]
    assert f"令和8年1月1日現在は{latest[1]:,}人（総人口の{shown_pct(latest[1], latest[0])}％）" in commentary(built_report, ID)[3]


def test_breakdown_by_nationality_matches_the_monthly_tables(built_report, demo_data_dir):
    t = table(built_report, ID, "人口の増減の内訳（日本人・外国人別")
    f = t.frame.set_index("区分")
    folder = demo_data_dir / "tokyo_population_movement"
    year = {}
    for number, label in (("1500", "出生数"), ("1600", "死亡数"), ("1400", "自然増減"), ("1100", "都内間の移動増減"),
                          ("1700", "その他の増減（出入国など）")):
        rows = csv_rows(folder / f"ju25qv{number}.csv")
        for nationality in ("総数", "日本人", "外国人"):
            r = next(r for r in rows if len(r) > 16 and r[0] == nationality and r[2] == "13219")
            assert f.loc[label, nationality] == int(r[16]) == sum(int(c) for c in r[4:16]), (label, nationality)
            year[(label, nationality)] = int(r[16])
    for nationality in ("総数", "日本人", "外国人"):  # 出生 − 死亡 = 自然増減, across the three files
        assert year[("出生数", nationality)] - year[("死亡数", nationality)] == year[("自然増減", nationality)]
    # the year totals are those of 第1表
    first = next(r for r in csv_rows(folder / "ju25qv0100.csv") if len(r) > 3 and r[1] == "13219")
    assert (year[("出生数", "総数")], year[("死亡数", "総数")]) == (int(first[12]), int(first[13]))
    text = commentary(built_report, ID)[4]
    assert text.startswith("令和7年の外国人住民の増減の内訳をみると、")


def test_page_has_no_pipeline_wording(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "params_file", "data_dir", "open_section", "デモデータ："):
        assert word not in text, word
