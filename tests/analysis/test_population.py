"""The population section's functions on a tiny hand-made register, checked against hand counts."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from komae_analysis.analysis import population as pop
from komae_analysis.errors import KomaeError
from komae_analysis.params import load_params as load_any_params
from komae_analysis.pipeline.registry import run_params as load_params
from komae_analysis.report.numbers import SHARE_NOTE

DATES = [pd.Timestamp(f"{y}-01-01") for y in range(2019, 2027)]
OFFICIAL = {"あいとぴあ": "あいとぴあ地域包括支援センター", "こまえ正吉苑": "地域包括支援センターこまえ正吉苑",
            "こまえ苑": "地域包括支援センターこまえ苑"}


def _register() -> pd.DataFrame:
    """Three 町丁目. Per date d (0..7):
    0101 (こまえ苑): age 10 → 男 10, 女 10; age 40 → 男 20, 女 20; age 70 → 男 5+d, 女 5; age 80 → 女 10
    0201 (あいとぴあ): age 30 → 男 30, 女 30; age 66 → 男 10, 女 10
    0301 (あいとぴあ): nobody.
    Code order (0101 first) differs from the city's 圏域 order (あいとぴあ first) on purpose."""
    rows = []
    for d, date in enumerate(DATES):
        cells = [
            ("0101", "甲町", 1, "こまえ苑", 10, 10, 10), ("0101", "甲町", 1, "こまえ苑", 40, 20, 20),
            ("0101", "甲町", 1, "こまえ苑", 70, 5 + d, 5), ("0101", "甲町", 1, "こまえ苑", 80, 0, 10),
            ("0201", "乙町", 1, "あいとぴあ", 30, 30, 30), ("0201", "乙町", 1, "あいとぴあ", 66, 10, 10),
            ("0301", "丙町", 1, "あいとぴあ", 50, 0, 0),
        ]
        for code, town, chome, area, age, m, f in cells:
            for sex, n in (("男", m), ("女", f)):
                rows.append({"date": date, "choume_code": code, "town": town, "chome": chome, "area": area,
                             "age_from": age, "age_to": age, "sex": sex, "population": n})
    frame = pd.DataFrame(rows)
    frame["age_from"] = frame["age_from"].astype("Int64")
    frame["age_to"] = frame["age_to"].astype("Int64")
    return frame


def _households(register: pd.DataFrame) -> pd.DataFrame:
    g = register.groupby(["date", "choume_code", "town", "chome", "area"], as_index=False)["population"].sum()
    g["households"] = (g["population"] // 2).astype("int64")
    return g


#: 第7表 areas: code → (name, people aged 0, 65, 75) on every date. 狛江市: 950 people, 高齢化率 250/950 = 26.3%.
AREAS = {
    "13000": ("総数", 8000, 1000, 1000),
    "13200": ("市部", 4000, 800, 700),
    "13219": ("狛江市", 700, 150, 100),
    "13208": ("調布市", 2000, 300, 200),  # adjacent (a 市部 city), 高齢化率 20.0%
    "13112": ("世田谷区", 7000, 1000, 600),  # adjacent, not a 市部 city
    "13225": ("稲城市", 700, 100, 100),  # 900 people: −5.3% → similar size, the nearest in size
    "13203": ("武蔵野市", 800, 160, 120),  # 1,080 people: +13.7% → similar size
    "13204": ("三鷹市", 2200, 450, 350),  # 3,000 people, 高齢化率 26.7%: the nearest in 高齢化率
    "13215": ("国立市", 3500, 900, 600),  # 5,000 people, 30.0%: the second nearest
    "13221": ("清瀬市", 3200, 400, 400),  # 4,000 people, 20.0%: farther
}


def _tokyo(areas: dict[str, tuple[str, int, int, int]] = AREAS) -> pd.DataFrame:
    rows = []
    for date in DATES:
        for code, (name, young, old, older) in areas.items():
            for age, n in ((0, young), (65, old), (75, older)):
                rows.append({"date": date, "area_level": 4, "area_code": code, "area_name": name,
                             "age_from": age, "age_to": age + 4, "sex": "男", "nationality": "日本人",
                             "population": n})
    frame = pd.DataFrame(rows)
    frame["age_from"] = frame["age_from"].astype("Int64")
    frame["age_to"] = frame["age_to"].astype("Int64")
    return frame


def _inputs(tokyo: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    reg = _register()
    return {"city_register_population": reg, "city_register_households": _households(reg),
            "tokyo_juki_age5": _tokyo() if tokyo is None else tokyo}


@pytest.fixture()
def data() -> pop.PopulationData:
    return pop.prepare(load_params(2026), _inputs())


def _settings(fy: int = 2026) -> pop.PopulationParams:
    return load_params(fy).topic(pop.PopulationParams)


# --- parameters and dates ---------------------------------------------------------------------
def test_params_blocks_of_both_years_load_and_check():
    for fy in (2023, 2026):
        st = _settings(fy)
        assert st.adjacent_codes == ("13208", "13112") and st.adjacent_outside == ("川崎市",)
        assert 0 < st.similar_population_band < 1 and st.similar_aging_count >= 0
        assert st.check() is None
    bad = dataclasses.replace(_settings(), similar_population_band=1.5)
    assert "similar_population_band" in bad.check()
    assert "5桁" in dataclasses.replace(_settings(), adjacent_codes=("1320",)).check()


def test_a_params_file_with_a_bad_population_block_is_refused(tmp_path):
    from komae_analysis.params import params_path
    from komae_analysis.pipeline.registry import topics

    text = params_path(2026).read_text(encoding="utf-8").replace("similar_aging_count: 2", "similar_aging_count: -1")
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(KomaeError, match="similar_aging_count"):
        load_any_params(path=f, topics=topics())


def test_dates_follow_the_fiscal_year():
    avail = list(_register()["date"].unique())
    p23 = load_params(2023)
    dates = pop.select_dates(p23, _settings(2023), avail)
    assert dates[-1] == pd.Timestamp("2023-01-01") and len(dates) == 5  # 2019 … 2023
    assert pop.select_dates(load_params(2026), _settings(), DATES)[-1] == pd.Timestamp("2026-01-01")


def test_a_short_trend_still_compares_with_five_years_earlier():
    params = load_params(2026)
    short = dataclasses.replace(params, topics={**params.topics,
                                                "population": dataclasses.replace(_settings(), trend_years=3)})
    data = pop.prepare(short, _inputs())
    assert data.dates == tuple(DATES[-3:]) and data.compare == pd.Timestamp("2021-01-01")
    assert list(pop.trend_table(data).frame["基準日"]) == ["令和6年1月1日", "令和7年1月1日", "令和8年1月1日"]
    assert not any("時点を掲載" in n for n in pop.trend_table(data).notes)  # shorter by choice, not for lack of data
    assert pop.age_sex_table(data).frame.columns[5] == "令和3年の計"
    assert "令和3年の高齢化率" in pop.daily_life_area_table(data).frame.columns


def test_missing_comparison_date_is_a_clear_error():
    inputs = _inputs()
    reg = inputs["city_register_population"]
    inputs["city_register_population"] = reg[reg["date"] != pd.Timestamp("2021-01-01")]
    with pytest.raises(KomaeError, match="5年前（令和3年1月1日）"):
        pop.prepare(load_params(2026), inputs)


def test_missing_tokyo_date_is_a_clear_error():
    tokyo = _tokyo()
    tokyo = tokyo[tokyo["date"] != pd.Timestamp("2024-01-01")]
    with pytest.raises(KomaeError, match="令和6年1月1日"):
        pop.prepare(load_params(2026), _inputs(tokyo))


def test_a_comparison_municipality_missing_from_the_data_is_left_out_with_a_note():
    tokyo = _tokyo({k: v for k, v in AREAS.items() if k != "13112"})
    data = pop.prepare(load_params(2026), _inputs(tokyo))
    table = pop.ranking_table(data)
    assert "世田谷区" not in set(table.frame["自治体"])
    assert "隣接する調布市・世田谷区" in table.notes[0]  # the rule as stated
    assert "世田谷区は東京都 第7表のデータにないため掲載していない。" in table.notes


def test_missing_city_row_is_a_clear_error():
    tokyo = _tokyo({k: v for k, v in AREAS.items() if k != "13219"})
    with pytest.raises(KomaeError, match="13219"):
        pop.prepare(load_params(2026), _inputs(tokyo))


# --- 人口・世帯の推移 ---------------------------------------------------------------------------
def test_trend_table_by_hand(data):
    table = pop.trend_table(data)
    t = table.frame.set_index("基準日")
    last = t.loc["令和8年1月1日"]  # d = 7
    # total = 20 + 40 + (12 + 5) + 10 + 60 + 20 = 167
    assert last["総人口"] == 167 and last["前年からの増減"] == 1
    assert pd.isna(t.loc["平成31年1月1日", "前年からの増減"])
    assert last["年少人口（0～14歳）"] == 20
    assert last["生産年齢人口（15～64歳）"] == 100
    assert last["老年人口（65歳以上）"] == 47  # 17 + 10 + 20
    assert last["うち後期高齢者（75歳以上）"] == 10
    assert last["高齢化率"] == pytest.approx(47 / 167)
    assert last["世帯数"] == 83  # 0101: 87 // 2 = 43, 0201: 80 // 2 = 40, 0301: 0
    assert t.loc["平成31年1月1日", "総人口"] == 160
    assert table.formatted().loc[0, "前年からの増減"] == "－"
    # 2019 … 2026 is 8 dates of the 10 asked: the 注 says so
    assert any("平成31年1月1日より前のデータがないため、8時点を掲載" in n for n in table.notes)


def test_trend_text_reads_the_course(data):
    text = pop.trend_text(data)
    # the total rises every year: its maximum is the latest value
    assert text.startswith("総人口は、令和8年1月1日の167人が最も多くなっています。")
    assert "75歳以上の後期高齢者は平成31年1月1日の10人から令和8年1月1日の10人へ横ばいで推移し" in text


def test_peak_then_decline_is_told_with_the_peak_date():
    """A register whose total peaks on 令和3年1月1日 (d = 2) and falls for five years."""
    reg = _register()
    d = reg["date"].map({date: i for i, date in enumerate(DATES)})
    extra = (reg["choume_code"] == "0201") & (reg["age_from"] == 30) & (reg["sex"] == "男")
    reg.loc[extra, "population"] += (d.where(d <= 2, 2 - 3 * (d - 2)) * 3)[extra]
    inputs = {"city_register_population": reg, "city_register_households": _households(reg),
              "tokyo_juki_age5": _tokyo()}
    text = pop.trend_text(pop.prepare(load_params(2026), inputs))
    s = reg.groupby("date")["population"].sum()
    assert s.idxmax() == pd.Timestamp("2021-01-01")
    assert f"令和3年1月1日の{s.max():,}人をピークに減少に転じています" in text
    assert "（5年連続で減少）" in text


def test_household_text(data):
    text = pop.household_text(data)
    # households 80 (2019: 0101 80 // 2 = 40, 0201 40) → 83; persons per household 160/80 = 2.00 → 167/83 = 2.01
    assert "平成31年1月1日の80世帯から令和8年1月1日の83世帯へ増加" in text
    assert "2.00人から2.01人" in text and "小規模化" not in text


# --- 年齢構成 --------------------------------------------------------------------------------------
def test_age_sex_table_totals_and_share_note(data):
    table = pop.age_sex_table(data)
    f = table.frame.set_index("年齢")
    assert f.loc["総数", "計"] == 167 and f.loc["総数", "増減"] == 5  # 2021: 162
    assert f.loc["70～74歳", "増減"] == 5 and f.loc["70～74歳", "令和3年の計"] == 12
    assert table.total_rows == [-1]
    shares = [round(v * 100, 1) for v in f.drop(index="総数")["構成比"]]
    assert (abs(sum(shares) - 100.0) > 1e-9) == (SHARE_NOTE in table.notes)


def test_cohort_moving_up_explains_a_decrease():
    """70～74 holds a big cohort in 2021 that is 75～79 in 2026: 70～74 falls, 75～79 rises."""
    reg = _register()
    big = (reg["date"] == pd.Timestamp("2021-01-01")) & (reg["age_from"] == 70)
    reg.loc[big, "population"] += 100
    later = (reg["date"] == pd.Timestamp("2026-01-01")) & (reg["age_from"] == 80)  # 80 is in 80～84
    reg.loc[later & (reg["choume_code"] == "0101") & (reg["sex"] == "女"), "age_from"] = 76  # 10 people
    inputs = {"city_register_population": reg, "city_register_households": _households(reg),
              "tokyo_juki_age5": _tokyo()}
    text = pop.pyramid_text(pop.prepare(load_params(2026), inputs))
    assert "最も減ったのは70～74歳" in text
    assert "令和3年1月1日に70～74歳だった人口の多い世代（団塊の世代を含む）が75～79歳に移ったため" in text


def test_pyramid_outline_stops_at_the_bar_edges():
    xs, ys = pop._outline(pd.Series([5, 7, 6]).to_numpy(), pd.Series([0, 1, 2]).to_numpy(), 0.4)
    assert ys[0] == pytest.approx(-0.4) and ys[-1] == pytest.approx(2.4)
    assert list(xs) == [5, 5, 7, 7, 6, 6]


# --- 日常生活圏域 and 町丁目 -------------------------------------------------------------------------
def test_daily_life_areas_in_the_citys_order_with_official_names(data):
    table = pop.daily_life_area_table(data)
    t = table.frame.set_index("日常生活圏域")
    assert list(t.index) == [OFFICIAL["あいとぴあ"], OFFICIAL["こまえ苑"], "市全体"]  # no こまえ正吉苑 町丁目 here
    a, k = t.loc[OFFICIAL["あいとぴあ"]], t.loc[OFFICIAL["こまえ苑"]]
    # こまえ苑 (0101) in 2026 (d = 7): 20 + 40 + 17 + 10 = 87, of whom 65+ = 17 + 10 = 27
    assert k["総人口"] == 87 and k["65歳以上"] == 27
    assert a["総人口"] == 80 and a["65歳以上"] == 20
    assert t.loc["市全体", "総人口"] == 167
    assert table.total_rows == [-1]
    # 2021 (d = 2): こまえ苑 65+ = 7 + 5 + 10 = 22 of 82; the 差 is printed 31.0 − 26.8 = 4.2
    assert round(27 / 87 * 100, 1) == 31.0 and round(22 / 82 * 100, 1) == 26.8
    assert k["高齢化率の差（ポイント）"] == pytest.approx(4.2)
    assert any("シルバーガイドブック" in n for n in table.notes)
    text = pop.daily_life_area_text(data)
    assert f"高齢化率が最も高いのは{OFFICIAL['こまえ苑']}の圏域（31.0％）" in text


def test_choume_table_grouped_with_subtotals(data):
    table = pop.choume_table(data)
    f = table.frame
    assert list(f["町丁目"]) == ["乙町1丁目", "丙町1丁目", "小計", "甲町1丁目", "小計", ""]
    assert list(f["日常生活圏域"]) == [OFFICIAL["あいとぴあ"], "", "", OFFICIAL["こまえ苑"], "", "市全体"]
    assert table.total_rows == [2, 4, 5]
    assert f.loc[2, "総人口"] == 80 and f.loc[4, "総人口"] == 87 and f.loc[5, "総人口"] == 167
    assert f.loc[5, "65歳以上"] == 47 and f.loc[5, "高齢化率"] == pytest.approx(47 / 167)
    assert pd.isna(f.loc[1, "高齢化率"]) and any("丙町1丁目" in n for n in table.notes)
    fig = pop.choume_figure(data)
    assert "丙町1丁目" in fig.notes[0] and "住民のいる2の町丁目" in fig.alt
    assert "丙町" not in pop.choume_text(data)


# --- comparison municipalities --------------------------------------------------------------------
def test_comparison_municipalities_follow_the_rule(data):
    cmp = pop.comparison_municipalities(data)
    assert cmp.codes == ("13208", "13112", "13225", "13203", "13204", "13215")
    assert cmp.reasons == {"13208": "隣接", "13112": "隣接", "13225": "人口規模", "13203": "人口規模",
                           "13204": "高齢化率", "13215": "高齢化率"}
    assert set(cmp.shibu_codes) == {"13219", "13208", "13225", "13203", "13204", "13215", "13221"}
    assert len(cmp.shibu_missing) == 26 - 7


def test_ranking_table_states_the_rule_and_ranks_among_shibu(data):
    table = pop.ranking_table(data)
    t = table.frame.set_index("自治体")
    rank_col = "高齢化率の順位（東京都市部7市中）"
    # 高齢化率: 国立 30.0, 三鷹 26.7, 狛江 26.3, 武蔵野 25.9, 稲城 22.2, 調布 20.0, 清瀬 20.0
    assert t.loc["狛江市", rank_col] == 3 and t.loc["国立市", rank_col] == 1
    assert pd.isna(t.loc["世田谷区", rank_col]) and pd.isna(t.loc["東京都", rank_col])
    assert list(t.index[-2:]) == ["東京都", "東京都市部（26市）"]
    assert t.loc["東京都", "高齢化率"] == pytest.approx(2000 / 10000)
    rule = table.notes[0]
    assert "隣接する調布市・世田谷区" in rule and "川崎市" in rule and "±15％以内" in rule and "最も近い2市" in rule
    assert any("7市で順位" in n for n in table.notes)
    text = pop.ranking_text(data)
    assert "狛江市の高齢化率（26.3％）は高い方から3番目" in text and "国立市（30.0％）" in text
    ranking = pop.shibu_ranking_table(data)
    assert list(ranking.frame["市"])[:3] == ["国立市", "三鷹市", "狛江市"] and ranking.highlight_rows == [2]


def test_comparison_text_uses_page_names(data):
    text = pop.comparison_text(data)
    # 東京都 2,000 / 10,000; 東京都市部 1,500 / 5,500 = 27.27 %
    assert "東京都（20.0％）を上回っており、東京都市部（27.3％）を下回っています" in text and "総数" not in text
    assert "狛江市は26.3％で横ばいとなり、東京都は20.0％で横ばいとなり、東京都市部は27.3％で横ばいとなっています" in text
