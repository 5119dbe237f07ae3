"""The population section's functions on a tiny hand-made register, checked against hand counts."""

from __future__ import annotations

import pandas as pd
import pytest

from komae_analysis.analysis import population as pop
from komae_analysis.errors import KomaeError
from komae_analysis.pipeline.registry import run_params as load_params

DATES = [pd.Timestamp(f"{y}-01-01") for y in range(2019, 2027)]


def _register() -> pd.DataFrame:
    """Two 町丁目 in two 圏域 and one without residents. Per date d (0..7) and 町丁目:
    0101 (圏域A): age 10 → 男 10, 女 10; age 40 → 男 20, 女 20; age 70 → 男 5+d, 女 5; age 80 → 女 10
    0201 (圏域B): age 30 → 男 30, 女 30; age 66 → 男 10, 女 10
    0301 (圏域B): nobody."""
    rows = []
    for d, date in enumerate(DATES):
        cells = [
            ("0101", "甲町", 1, "圏域A", 10, 10, 10), ("0101", "甲町", 1, "圏域A", 40, 20, 20),
            ("0101", "甲町", 1, "圏域A", 70, 5 + d, 5), ("0101", "甲町", 1, "圏域A", 80, 0, 10),
            ("0201", "乙町", 1, "圏域B", 30, 30, 30), ("0201", "乙町", 1, "圏域B", 66, 10, 10),
            ("0301", "丙町", 1, "圏域B", 50, 0, 0),
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


def _tokyo(codes: list[str]) -> pd.DataFrame:
    """Every area: ages 0, 65 and 75 classes; area i has (100, 20 + i, 10) people per date."""
    rows = []
    for date in DATES:
        for i, code in enumerate(codes):
            name = {"13000": "総数", "13200": "市部", "13219": "狛江市"}.get(code, f"市{code}")
            for age, n in ((0, 100), (65, 20 + i), (75, 10)):
                rows.append({"date": date, "area_level": 4, "area_code": code, "area_name": name,
                             "age_from": age, "age_to": age + 4, "sex": "男", "nationality": "日本人",
                             "population": n})
    frame = pd.DataFrame(rows)
    frame["age_from"] = frame["age_from"].astype("Int64")
    frame["age_to"] = frame["age_to"].astype("Int64")
    return frame


@pytest.fixture()
def data() -> pop.PopulationData:
    params = load_params(2026)
    codes = [params.city.area_code, params.population.tokyo_code, params.population.shibu_code,
             *params.population.comparison_codes]
    reg = _register()
    return pop.prepare(params, reg, _households(reg), _tokyo(codes))


def test_dates_follow_the_fiscal_year():
    reg = _register()
    p23 = load_params(2023)
    assert pop.select_dates(p23, list(reg["date"].unique()))[-1] == pd.Timestamp("2023-01-01")
    assert len(pop.select_dates(p23, list(reg["date"].unique()))) == 5  # 2019 … 2023
    assert pop.select_dates(load_params(2026), DATES)[-1] == pd.Timestamp("2026-01-01")


def test_trend_table_by_hand(data):
    t = pop.trend_table(data).frame.set_index("基準日")
    last = t.loc["令和8年1月1日"]  # d = 7
    # total = 20 + 40 + (12 + 5) + 10 + 60 + 20 = 167
    assert last["総人口"] == 167
    assert last["年少人口（0～14歳）"] == 20
    assert last["生産年齢人口（15～64歳）"] == 100
    assert last["老年人口（65歳以上）"] == 47  # 17 + 10 + 20
    assert last["うち後期高齢者（75歳以上）"] == 10
    assert last["高齢化率"] == pytest.approx(47 / 167)
    assert last["世帯数"] == 83  # 0101: 87 // 2 = 43, 0201: 80 // 2 = 40, 0301: 0
    assert t.loc["平成31年1月1日", "総人口"] == 160


def test_trend_text_reads_the_numbers(data):
    text = pop.trend_text(data)
    assert text.startswith("令和8年1月1日現在の総人口は167人で、前年から1人増加しました。")
    assert "65歳以上人口は47人、高齢化率は28.1％" in text  # 47/167 = 28.14 %


def test_daily_life_areas_and_unpopulated_choume(data):
    t = pop.daily_life_area_table(data).frame.set_index("日常生活圏域")
    # 圏域A (0101) in 2026 (d = 7): 20 + 40 + 17 + 10 = 87, of whom 65+ = 17 + 10 = 27
    assert t.loc["圏域A", "総人口"] == 87 and t.loc["圏域A", "65歳以上"] == 27
    assert t.loc["圏域B", "総人口"] == 80 and t.loc["圏域B", "65歳以上"] == 20
    assert t.loc["市全体", "総人口"] == 167
    # 2021 (d = 2): 圏域A 65+ = 7 + 5 + 10 = 22 of 82 → 差 = (27/87 − 22/82) × 100 ポイント
    assert t.loc["圏域A", "高齢化率の差（ポイント）"] == pytest.approx((27 / 87 - 22 / 82) * 100)
    ch = pop.choume_table(data)
    assert ch.frame.loc[ch.frame["町丁目"] == "丙町1丁目", "高齢化率"].isna().all()
    assert any("丙町1丁目" in n for n in ch.notes)
    fig = pop.choume_figure(data)
    assert "丙町1丁目" in fig.notes[0] and "住民のいる2の町丁目" in fig.alt
    assert "丙町" not in pop.choume_text(data)


def test_ranking_and_comparison(data):
    t = pop.ranking_table(data).frame.set_index("自治体")
    # area i has 20 + i people aged 65–74 of 130 + i: the comparison cities come after 狛江市 (i = 0)
    # in the params, so 狛江市 has the lowest 高齢化率 of the 7 and ranks 7th
    assert t.loc["狛江市", "高齢化率の順位"] == 7
    assert pd.isna(t.loc["東京都", "高齢化率の順位"])
    assert t.loc["東京都", "高齢化率"] == pytest.approx(31 / 131)
    assert "東京都" in pop.comparison_text(data) and "総数" not in pop.comparison_text(data)


def test_missing_tokyo_date_is_a_clear_error():
    params = load_params(2026)
    reg = _register()
    tokyo = _tokyo([params.city.area_code, params.population.tokyo_code, params.population.shibu_code,
                    *params.population.comparison_codes])
    tokyo = tokyo[tokyo["date"] != pd.Timestamp("2024-01-01")]
    with pytest.raises(KomaeError, match="令和6年1月1日"):
        pop.prepare(params, reg, _households(reg), tokyo)


@pytest.mark.parametrize(("diff", "text"), [(0.0004, "ほぼ横ばい"), (0.0125, "1.3ポイント上昇"), (-0.0105, "1.1ポイント低下")])
def test_rate_change_wording(diff, text):
    assert pop._rate_change(diff) == text
