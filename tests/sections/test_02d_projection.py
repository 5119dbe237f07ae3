"""第1節 第2款（4）将来人口推計: the method on hand-worked cases, its identities, and the section end to end on
the FY2026 demo build.

The end-to-end numbers are checked against an independent computation: the register workbooks and the
社人研 workbook are read here with openpyxl, and the method (docs/domain.md, 将来人口推計) is written out
again below in plain Python (dicts and loops, no numpy, no package code) — the yearly ratios, their
five-year chain, the child–woman ratio, the five-year step, the 1 October interpolation and the
rounding of each 男女・5歳階級 cell.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import projection as P
from komae_analysis.analysis.projection import method
from komae_analysis.errors import KomaeError
from komae_analysis.ingest import registry as sources
from komae_analysis.pipeline.registry import run_params
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

ID = "02d_projection"
ROOT = Path(__file__).resolve().parents[2]
CENTRES = {"あいとぴあ": "あいとぴあ地域包括支援センター", "こまえ正吉苑": "地域包括支援センターこまえ正吉苑",
           "こまえ苑": "地域包括支援センターこまえ苑"}


# =====================================================================================================
# The method on hand-worked cases
# =====================================================================================================


def test_three_cohort_projection_by_hand():
    """Three classes 0～4, 5～9, 10歳以上 (open), mothers = the women of 5～9, ratio 0.4, half boys.

    Base:           男 [100, 90, 80]         女 [100, 100, 60]
    Ratios:         男 0→5: 0.9, 5+→10+: 0.5  女 0.95, 0.6
    Step 1:  男 5～9 = 0.9·100 = 90;  10+ = 0.5·(90 + 80) = 85
             女 5～9 = 0.95·100 = 95; 10+ = 0.6·(100 + 60) = 96
             0～4 = 0.4 · 95 (women 5～9 at t+5) = 38 → 男 19, 女 19          total 404
    Step 2:  男 5～9 = 0.9·19 = 17.1;  10+ = 0.5·(90 + 85) = 87.5
             女 5～9 = 0.95·19 = 18.05; 10+ = 0.6·(95 + 96) = 114.6
             0～4 = 0.4 · 18.05 = 7.22 → 3.61 each                          total 244.47
    """
    base = np.array([[100, 100], [90, 100], [80, 60]], dtype=float)
    ratios = np.array([[0.9, 0.95], [0.5, 0.6]])
    out = method.project(base, ratios, cwr=0.4, male_share=0.5, mothers=slice(1, 2), steps=2)
    assert out.shape == (3, 3, 2)
    np.testing.assert_allclose(out[0], base)
    np.testing.assert_allclose(out[1], [[19, 19], [90, 95], [85, 96]])
    np.testing.assert_allclose(out[2], [[3.61, 3.61], [17.1, 18.05], [87.5, 114.6]])
    assert out[1].sum() == pytest.approx(404) and out[2].sum() == pytest.approx(244.47)


def test_child_woman_ratio_by_hand():
    """Two dates, classes 0～4 … 50歳以上 (open_age 50), women 15～49 = classes 3 … 9.

    date 1: 0～4 男 30 女 20; each women's class 15～49: 10 → 70 women
    date 2: 0～4 男 26 女 24; each women's class: 20 → 140 women
    ratio = (30 + 20 + 26 + 24) / (70 + 140) = 100 / 210 = 0.476190…;  boys = 56 / 100 = 0.56
    """
    classes = np.zeros((2, 11, 2))
    classes[0, 0] = (30, 20)
    classes[1, 0] = (26, 24)
    classes[0, 3:10, 1] = 10
    classes[1, 3:10, 1] = 20
    classes[:, 3:10, 0] = 999  # men do not count
    mothers = method.mother_rows(50, (15, 49))
    assert mothers == slice(3, 10)
    assert method.child_woman_ratio(classes, mothers) == pytest.approx(100 / 210)
    assert method.boys_share(classes) == pytest.approx(0.56)


def test_open_class_closing_by_hand():
    """open_age 10 (classes 0～4, 5～9, 10歳以上). Yearly ratios: 1.0 below 5, 0.9 for ages 5～9, 0.8 from 10
    (the open group too). Base: 10 people at each age 5…9, 20 aged 10, nobody older.

    Carried five years: a=5: 0.9^5 = 0.59049; a=6: 0.9^4·0.8 = 0.52488; a=7: 0.9^3·0.8^2 = 0.46656;
    a=8: 0.9^2·0.8^3 = 0.41472; a=9: 0.9·0.8^4 = 0.36864; a=10: 0.8^5 = 0.32768.
    R = (10·(0.59049+0.52488+0.46656+0.41472+0.36864) + 20·0.32768) / 70 = 30.2065 / 70 = 0.43152…
    and (10歳以上 five years on) = R · (5～9 + 10歳以上 now) = R · 70 = 30.2065.
    Nobody is aged 0～4: that class gets the plain mean of its ages' carried ratios,
    (1 + 0.9 + 0.9^2 + 0.9^3 + 0.9^4) / 5 = 4.0951 / 5 = 0.81902 (age a passes a+k ≥ 5 for k ≥ 5 − a).
    """
    yearly = np.ones((101, 2))
    yearly[5:10] = 0.9
    yearly[10:] = 0.8
    base = np.zeros((101, 2))
    base[5:10] = 10
    base[10] = 20
    ratios = method.five_year_ratios(yearly, base, open_age=10)
    assert ratios.shape == (2, 2)
    assert ratios[1, 0] == pytest.approx(30.2065 / 70)
    assert ratios[0, 0] == pytest.approx(0.81902)
    classes = method.to_classes(base, 10)
    np.testing.assert_allclose(classes, [[0, 0], [50, 50], [20, 20]])
    out = method.project(classes, ratios, cwr=0.0, male_share=0.5, mothers=slice(1, 2), steps=1)
    assert out[1, 2, 0] == pytest.approx(30.2065)


def test_yearly_ratios_are_pooled_by_hand():
    """Three dates, 2 steps. Age 0 → 1: (t1 age1 = 45, t2 age1 = 55) / (t0 age0 = 50, t1 age0 = 50) = 100/100 = 1.0;
    age 1 → 2: (40 + 36) / (40 + 45) = 76/85; open 99+ → 100+: (3 + 4) / ((5+2) + (6+3)) = 7/16.
    With one step only: age 1 → 2 = 36 / 45 = 0.8."""
    single = np.zeros((3, 101, 2))
    single[0, 0], single[1, 0] = 50, 50
    single[1, 1], single[2, 1] = 45, 55
    single[0, 1] = 40
    single[1, 2], single[2, 2] = 40, 36
    single[0, 99], single[0, 100] = 5, 2
    single[1, 99], single[1, 100] = 6, 3
    single[2, 100] = 4
    single[1, 100] += 0  # (t1 100+ = 3 is both a numerator of step 1 and a denominator of step 2)
    r = method.yearly_ratios(single, 2)
    assert r[0, 0] == pytest.approx(1.0)
    assert r[1, 0] == pytest.approx(76 / 85)
    assert r[99, 0] == r[100, 0] == pytest.approx(7 / 16)
    assert method.yearly_ratios(single, 1)[1, 0] == pytest.approx(0.8)
    assert r[50, 0] == 0.0  # nobody: 0, unless a fallback is given
    assert method.yearly_ratios(single, 2, fallback=np.full((101, 2), 0.7))[50, 0] == pytest.approx(0.7)


def test_five_year_ratio_of_a_class_weights_its_ages_by_hand():
    """Class 0～4 → 5～9 with yearly ratios 1 except r[2] = 0.5 (each cohort crossing age 2→3 halves):
    ages 0, 1, 2 cross it within five years (factor 0.5), ages 3 and 4 do not (factor 1).
    Base 0～4 = [10, 10, 10, 30, 40] → (0.5·30 + 70) / 100 = 0.85."""
    yearly = np.ones((101, 2))
    yearly[2] = 0.5
    base = np.zeros((101, 2))
    base[0:5, 0] = [10, 10, 10, 30, 40]
    base[0:5, 1] = [20, 0, 0, 0, 0]
    ratios = method.five_year_ratios(yearly, base, open_age=90)
    assert ratios[0, 0] == pytest.approx(0.85)
    assert ratios[0, 1] == pytest.approx(0.5)


def test_interpolation_on_1_october_by_hand():
    """2027-10-01 lies 21 of 60 months from 2026-01-01 to 2031-01-01: 100 + 0.35·(90 − 100) = 96.5."""
    at = P.data.years_of(pd.Timestamp("2027-10-01"))
    assert at == pytest.approx(2027.75)
    assert method.interpolate([2026.0, 2031.0], np.array([100.0, 90.0]), at) == pytest.approx(96.5)
    assert method.interpolate([2026.0, 2031.0], np.array([100.0, 90.0]), 2031.0) == pytest.approx(90.0)
    with pytest.raises(ValueError):
        method.interpolate([2026.0, 2031.0], np.array([100.0, 90.0]), 2032.0)


def test_cells_round_half_up_and_the_groups_add_up():
    cells = P.rounded_cells(np.array([[2.5, 3.5], [0.49, 1.5]]))
    assert cells.tolist() == [[3, 4], [0, 2]]  # half up, not to even
    rng = np.random.default_rng(1)
    starts = method.class_starts(90)
    values = P.rounded_cells(rng.uniform(0, 3000, size=(len(starts), 2)))
    g = P.group_sums(values, starts)
    assert g["age0_14"] + g["age15_64"] + g["age65"] == g["total"] == values.sum()
    assert g["age65"] >= g["age75"] >= g["age85"]
    assert g["aging_rate"] == g["age65"] / g["total"]


def test_course_phrases_read_the_projected_course():
    from komae_analysis.analysis.projection.tables import course_phrase, people

    def when(y):
        return f"{y}年"

    idx = [2026, 2031, 2036, 2041]
    assert course_phrase(pd.Series([100, 90, 80, 70], index=idx), when=when, fmt=people) == \
        "2026年の100人から2041年の70人へ減少を続ける見込みです"
    assert course_phrase(pd.Series([100, 120, 110, 90], index=idx), when=when, fmt=people) == \
        "2031年に120人でピークを迎え、その後は減少に転じて2041年には90人となる見込みです"
    assert course_phrase(pd.Series([100, 80, 90, 95], index=idx), when=when, fmt=people) == \
        "2031年に80人まで減少した後、増加に転じて2041年には95人となる見込みです"
    assert course_phrase(pd.Series([100, 100, 100, 100], index=idx), when=when, fmt=people) == \
        "2026年の100人から2041年まで横ばいとなる見込みです"


# =====================================================================================================
# Parameters and data against each other
# =====================================================================================================


@pytest.fixture(scope="module")
def inputs(demo_data_dir):
    return sources.load_many(["city_register_population", "ipss_projection"], demo_data_dir, fy=2026)


@pytest.fixture(scope="module")
def params():
    return run_params(2026)


@pytest.fixture(scope="module")
def data(params, inputs):
    return P.prepare(params, inputs)


def with_settings(params, **changes):
    block = dataclasses.replace(params.topic(P.ProjectionParams), **changes)
    return dataclasses.replace(params, topics={**params.topics, "projection": block})


def test_more_averaging_periods_than_the_data_allow_is_a_clear_error(params, inputs):
    with pytest.raises(KomaeError) as e:
        P.prepare(with_settings(params, ratio_periods=12), inputs)
    assert str(e.value) == ("変化率を平均する年数（projection.ratio_periods: 12）が、使える住民基本台帳のデータ"
                            "（平成29年1月1日～令和8年1月1日の9年分の変化）より多くなっています。9以下にしてください")


def test_end_year_before_the_base_is_a_clear_error(params, inputs):
    with pytest.raises(KomaeError) as e:
        P.prepare(with_settings(params, end_year=2025, target_year=2025), inputs)
    assert "推計する年（projection.end_year: 2025）が基準日（令和8年1月1日）より前です" in str(e.value)


def test_parameter_checks():
    ok = P.ProjectionParams(ratio_periods=5, end_year=2050, target_year=2040, open_age=90, mother_ages=(15, 49),
                            observed_sex_ratio=True, male_share_0_4=0.512, flat_share=0.001)
    assert ok.check() is None
    assert "target_year（2045）は end_year（2040）以前" in dataclasses.replace(ok, target_year=2045,
                                                                           end_year=2040).check()
    assert "open_age" in dataclasses.replace(ok, open_age=80).check()
    assert "mother_ages" in dataclasses.replace(ok, mother_ages=(15, 50)).check()
    assert "ratio_periods は1以上" in dataclasses.replace(ok, ratio_periods=0).check()
    assert "male_share_0_4" in dataclasses.replace(ok, male_share_0_4=1.2).check()


def test_projection_years_reach_the_end_year(data):
    assert data.base == pd.Timestamp("2026-01-01")
    assert data.city.points[-1] == pd.Timestamp("2051-01-01")  # covers 1 October 2050
    assert data.plan_years == (2027, 2028, 2029) and data.plan_term.number == 10


def test_the_base_equals_the_register_and_the_areas_add_up(data):
    np.testing.assert_array_equal(data.city.projected[0], data.city.history[-1])
    assert data.city.cells(data.base).sum() == 82257
    parts = sum(run.cells(data.base) for run in data.areas)
    np.testing.assert_array_equal(parts, data.city.cells(data.base))
    # later the 圏域, projected separately, add up to nearly but not exactly the city's projection
    later = sum(run.at(data.city.points[-1]) for run in data.areas).sum()
    assert later == pytest.approx(data.city.at(data.city.points[-1]).sum(), rel=0.01)


def test_without_the_ipss_file_the_comparison_is_a_sentence(params, inputs):
    empty = sources.load("ipss_projection", ROOT / "no_such_folder")
    d = P.prepare(params, {**inputs, "ipss_projection": empty})
    out = P.ipss_comparison(d)
    assert len(out) == 1 and "推計結果のファイルがないため" in out[0]


def test_an_ipss_file_without_the_city_is_a_clear_error(params, inputs):
    other = inputs["ipss_projection"][inputs["ipss_projection"]["area_code"] != "13219"]
    with pytest.raises(KomaeError) as e:
        P.prepare(params, {**inputs, "ipss_projection": other})
    assert "狛江市（地域コード 13219）の行がありません" in str(e.value)


def test_missing_cells_in_the_ipss_file_are_shown_as_missing(params, inputs):
    """A marker (NA) in the city's 2050 row: that year's 社人研 total, 75+ and 高齢化率 print 「－」 and the
    commentary takes 2045, the last year with a total; nothing is read as 0."""
    ip = inputs["ipss_projection"].copy()
    cell = (ip["area_code"] == "13219") & (ip["year"] == 2050) & (ip["age_from"] == 95) & (ip["sex"] == "男")
    ip.loc[cell, "population"] = pd.NA
    d = P.prepare(params, {**inputs, "ipss_projection": ip})
    tab, fig, text = P.ipss_comparison(d)
    row = tab.formatted().iloc[-1]
    assert row["年"] == "令和32年（2050年）"
    assert (row["総人口（社人研）"], row["75歳以上（社人研）"], row["高齢化率（社人研）"], row["差（社人研－市）"]) == \
        ("－", "－", "－", "－")
    assert row["総人口（市の推計）"] != "－"
    assert "令和27年（2045年）には" in text and "令和32年" not in text
    fig.png_bytes()


def test_no_backtest_when_the_data_start_at_its_base(params, inputs):
    reg = inputs["city_register_population"]
    late = reg[reg["date"] >= pd.Timestamp("2021-01-01")]
    d = P.prepare(with_settings(params, ratio_periods=3), {**inputs, "city_register_population": late})
    assert d.backtest is None
    assert P.backtest(d) == ["令和3年1月1日より前のデータがないため、令和3年1月1日を基準にした推計ができず、推計の検証はできません。"]


def test_fy2023_uses_its_own_dates_and_the_data_before_2018_for_the_backtest(demo_data_dir):
    p = run_params(2023)
    d = P.prepare(p, sources.load_many(["city_register_population", "ipss_projection"], demo_data_dir, fy=2023))
    assert d.base == pd.Timestamp("2023-01-01") and d.plan_years == (2024, 2025, 2026)
    assert d.backtest is not None and d.backtest.base == pd.Timestamp("2018-01-01") and d.backtest.periods == 1


# =====================================================================================================
# The method written out again, independently, on the raw files
# =====================================================================================================


def half_up(x: float) -> int:
    return int(Decimal(repr(x)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def raw(demo_data_dir) -> dict[int, dict[str, dict[tuple[int, int], int]]]:
    """year → area ("" = city, else the 圏域 key) → {(age, sex 0 男 / 1 女): people} from the xlsx files."""
    with open(ROOT / "komae_analysis" / "reference" / "komae_choume.csv", encoding="utf-8") as f:
        area_of = {r["choume_code"]: r["area"] for r in csv.DictReader(f)}
    out: dict[int, dict[str, dict[tuple[int, int], int]]] = {}
    for path in sorted((demo_data_dir / "city_register").glob("juki_choume_age_*.xlsx")):
        year = int(path.stem.rsplit("_", 1)[1][:4])
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells: dict[str, dict[tuple[int, int], int]] = {"": {}}
        for row in wb["町丁目別年齢別人口"].iter_rows(min_row=6, values_only=True):
            if not row[0] or row[0] == "合計":
                continue
            age = int(re.match(r"\d+", str(row[3])).group())
            for key in ("", area_of[str(row[0])]):
                d = cells.setdefault(key, {})
                for sex, n in ((0, int(row[4])), (1, int(row[5]))):
                    d[(age, sex)] = d.get((age, sex), 0) + n
        wb.close()
        out[year] = cells
    return out


OPEN = 90
STARTS = list(range(0, OPEN + 1, 5))


def yearly(raw, years, area, fallback=None):
    """{(age, sex): ratio} pooled over the steps between consecutive ``years``."""
    r = {}
    for s in (0, 1):
        for a in range(99):
            num = sum(raw[y + 1][area].get((a + 1, s), 0) for y in years[:-1])
            den = sum(raw[y][area].get((a, s), 0) for y in years[:-1])
            r[(a, s)] = num / den if den else (fallback[(a, s)] if fallback else 0.0)
        num = sum(raw[y + 1][area].get((100, s), 0) for y in years[:-1])
        den = sum(raw[y][area].get((99, s), 0) + raw[y][area].get((100, s), 0) for y in years[:-1])
        r[(99, s)] = r[(100, s)] = num / den if den else (fallback[(99, s)] if fallback else 0.0)
    return r


def classes_of(cells):
    out = {}
    for s in (0, 1):
        for c in STARTS:
            ages = range(c, c + 5) if c < OPEN else range(OPEN, 101)
            out[(c, s)] = sum(cells.get((a, s), 0) for a in ages)
    return out


def run(raw, base_year, periods, area, fallback=None):
    """(yearly ratios, the classes at the base and five years on) by the method written out in full."""
    years = list(range(base_year - periods, base_year + 1))
    r = yearly(raw, years, area, fallback)
    base = raw[base_year][area]
    now = classes_of(base)
    nxt = {}
    for s in (0, 1):
        for i, c in enumerate(STARTS[:-1]):
            ages = range(c, c + 5) if i < len(STARTS) - 2 else range(c, 101)
            num = den = 0.0
            for a in ages:
                carried = 1.0
                for k in range(5):
                    carried *= r[(min(a + k, 100), s)]
                num += base.get((a, s), 0) * carried
                den += base.get((a, s), 0)
            ratio = num / den
            if i < len(STARTS) - 2:
                nxt[(STARTS[i + 1], s)] = ratio * now[(c, s)]
            else:
                nxt[(OPEN, s)] = ratio * (now[(c, s)] + now[(OPEN, s)])
    window = [classes_of(raw[y][area]) for y in years]
    children = sum(w[(0, 0)] + w[(0, 1)] for w in window)
    women = sum(w[(c, 1)] for w in window for c in range(15, 50, 5))
    boys = sum(w[(0, 0)] for w in window) / children
    births = children / women * sum(nxt[(c, 1)] for c in range(15, 50, 5))
    nxt[(0, 0)], nxt[(0, 1)] = births * boys, births * (1 - boys)
    return r, now, nxt


def printed(cls) -> dict[str, int]:
    """The groups of a class dict as the tables print them: each cell rounded half up, then summed."""
    cells = {k: half_up(v) for k, v in cls.items()}

    def total(lo, hi=200):
        return sum(n for (c, _s), n in cells.items() if c >= lo and c + 4 <= hi)

    return {"総人口": total(0), "年少人口（0～14歳）": total(0, 14), "生産年齢人口（15～64歳）": total(15, 64),
            "老年人口（65歳以上）": total(65), "うち75歳以上": total(75), "うち85歳以上": total(85)}


def between(a, b, w):
    return {k: (1 - w) * a[k] + w * b[k] for k in a}


# =====================================================================================================
# End to end on the FY2026 build
# =====================================================================================================


def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 8)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 5)]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) == 6  # projection, plan years, ages, 圏域, 社人研, back-test
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_five_year_table_starts_from_the_register_and_matches_the_method(built_report, raw):
    t = table(built_report, ID, "年齢3区分別の将来推計人口")
    f = t.frame.set_index("基準日")
    shown = t.formatted().set_index("基準日")
    for year in (2021, 2026):
        want = printed(classes_of(raw[year][""]))
        row = f.loc[f"{wareki(year)}（実績）"]
        assert {k: int(row[k]) for k in want} == want
    _r, _now, nxt = run(raw, 2026, 5, "")
    row = f.loc["令和13年1月1日（推計）"]
    want = printed(nxt)
    assert {k: int(row[k]) for k in want} == want
    for label, row in f.iterrows():  # the parts add up to the total on every row
        assert row["年少人口（0～14歳）"] + row["生産年齢人口（15～64歳）"] + row["老年人口（65歳以上）"] == row["総人口"]
        assert shown.loc[label, "高齢化率"] == str(shown_pct(int(row["老年人口（65歳以上）"]), int(row["総人口"])))
    assert list(f.index)[-1] == "令和33年1月1日（推計）"


def test_plan_years_are_1_october_between_the_five_year_points(built_report, raw):
    f = table(built_report, ID, "第10期介護保険事業計画の計画期間").frame.set_index("年度")
    assert list(f.index) == ["令和9年度（2027年度）", "令和10年度（2028年度）", "令和11年度（2029年度）",
                             "令和22年度（2040年度）"]
    _r, now, nxt = run(raw, 2026, 5, "")
    for fy, label in ((2027, "令和9年度（2027年度）"), (2029, "令和11年度（2029年度）")):
        w = ((fy - 2026) * 12 + 9) / 60  # months from 1 January 2026 to 1 October, over five years
        want = printed(between(now, nxt, w))
        assert {k: int(f.loc[label, k]) for k in want} == want


def test_backtest_is_the_method_from_2021_with_the_four_years_before_it(built_report, raw):
    t = table(built_report, ID, "推計の検証")
    assert t.title == "推計の検証（令和3年1月1日を基準とした推計と令和8年1月1日の実績）"
    assert any("平成29年1月1日からの4年分しかないため" in n for n in t.notes)
    f = t.frame
    f["地域"] = f["地域"].replace("", np.nan).ffill()
    city_r, _now, city_next = run(raw, 2021, 4, "")
    expected = {"市全体": (printed(city_next), printed(classes_of(raw[2026][""])))}
    for key, name in CENTRES.items():
        _r, _n, nxt = run(raw, 2021, 4, key, fallback=city_r)
        expected[name] = (printed(nxt), printed(classes_of(raw[2026][key])))
    assert list(dict.fromkeys(f["地域"])) == list(expected)
    for _i, row in f.iterrows():
        est, act = expected[row["地域"]]
        e, a = est[row["区分"]], act[row["区分"]]
        assert (row["推計"], row["実績"], row["差"]) == (e, a, e - a), (row["地域"], row["区分"])
        assert t.formatted().loc[_i, "誤差率"] == (f"{'△' if e < a else ''}"
                                                 f"{abs((Decimal(e - a) * 100 / a).quantize(Decimal('0.1'), ROUND_HALF_UP))}")
    e, a = expected["市全体"][0]["総人口"], expected["市全体"][1]["総人口"]
    error = (Decimal(e - a) * 100 / a).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = "".join(commentary(built_report, ID))
    assert f"総人口の誤差は{'△' if error < 0 else ''}{abs(error)}％" in text
    assert f"令和8年1月1日の総人口は{e:,}人となり、実績（{a:,}人）" in text


def test_area_table_sums_and_differences(built_report, raw):
    f = table(built_report, ID, "日常生活圏域別の将来推計人口").frame
    f["時点"] = f["時点"].replace("", np.nan).ffill()
    base = f[f["時点"] == "令和8年1月1日（実績）"].set_index("日常生活圏域")
    for key, name in CENTRES.items():
        assert int(base.loc[name, "総人口"]) == sum(raw[2026][key].values())
    cols = ["総人口", "年少人口（0～14歳）", "老年人口（65歳以上）", "うち75歳以上"]
    for when, block in f.groupby("時点", sort=False):
        b = block.set_index("日常生活圏域")
        for c in cols:
            assert b.loc["圏域の合計", c] == sum(b.loc[n, c] for n in CENTRES.values()), (when, c)
            assert b.loc["差（圏域の合計－市全体の推計）", c] == b.loc["圏域の合計", c] - b.loc["市全体の推計", c]
    assert (base.loc["差（圏域の合計－市全体の推計）", cols] == 0).all()


def test_ipss_columns_are_the_workbook(built_report, demo_data_dir):
    wb = openpyxl.load_workbook(demo_data_dir / "ipss_projection" / "suikei_kekka.xlsx", read_only=True,
                                data_only=True)
    komae = {int(r[4].rstrip("年")): r for r in wb["Sheet1"].iter_rows(min_row=6, values_only=True) if r[0] == 13219}
    wb.close()
    t = table(built_report, ID, "国立社会保障・人口問題研究所の推計との比較")
    f = t.frame
    assert len(f) == 7 and f["年"].iloc[0] == "令和2年（2020年）※" and f["年"].iloc[-1] == "令和32年（2050年）"
    for i, year in enumerate(range(2020, 2051, 5)):
        r = komae[year]
        classes = r[6:26]
        assert f.loc[i, "総人口（社人研）"] == r[5]
        assert f.loc[i, "75歳以上（社人研）"] == sum(classes[15:])
        assert t.formatted().loc[i, "高齢化率（社人研）"] == str(shown_pct(sum(classes[13:]), r[5]))
        assert f.loc[i, "差（社人研－市）"] == f.loc[i, "総人口（社人研）"] - f.loc[i, "総人口（市の推計）"]
    assert "出典：国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5（2023）年推計）」、狛江市" in t.source


def test_ratio_table_is_the_chained_yearly_change(built_report, raw):
    f = table(built_report, ID, "推計に用いたコーホート変化率").frame.set_index("年齢（基準日 → 5年後）")
    r, now, nxt = run(raw, 2026, 5, "")
    for lo, label in ((65, "65～69歳 → 70～74歳"), (85, "85歳以上 → 90歳以上")):
        for s, col in ((0, "男"), (1, "女")):
            base = now[(lo, s)] + (now[(OPEN, s)] if lo == 85 else 0)
            assert f.loc[label, col] == pytest.approx(nxt[(lo + 5, s)] / base, rel=1e-9)


def test_figures_alt_text(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    alts = [f["alt"] for f in rec["figures"]]
    assert "斜線の棒が推計" in alts[0] and "右目盛" in alts[0]
    assert alts[1].index("棒が") < alts[1].index("黒い線が")
    assert "破線は市全体" in alts[2]
    assert "国立社会保障・人口問題研究所の推計は84,772人から" in alts[3]


def test_page_has_no_pipeline_wording_or_parameters(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "パラメータ", "params_file", "data_dir", "out_dir", "fy:",
                 "open_section", "ratio_periods"):
        assert word not in text, word
