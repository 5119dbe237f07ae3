"""A valid city-register workbook (built by tests/ingest_builders.py) reads to the expected tidy frames.

The workbook: 41 町丁目 × 101 ages, every cell 男 1 / 女 2 (so 計 3), except
  0101 和泉本町1丁目, 0歳:      男 5, 女 4
  0101 和泉本町1丁目, 100歳以上: 男 0, 女 3
  1104 西野川4丁目,   65歳:     男 7, 女 0
and 100 households per 町丁目 except 0101 (150) and 0501 (0).
Expected figures below are worked out by hand from that description.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from komae_analysis.errors import display_name
from komae_analysis.ingest import registry
from komae_analysis.ingest.city_register import read_city_register_households, read_city_register_population
from tests.ingest.ingest_builders import write_city_register

OVERRIDES = {("0101", 0): (5, 4), ("0101", 100): (0, 3), ("1104", 65): (7, 0)}
HOUSEHOLDS = {"0101": 150, "0501": 0}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city_register")
    return write_city_register(folder, dt.date(2026, 1, 1), overrides=OVERRIDES, households=HOUSEHOLDS)


@pytest.fixture(scope="module")
def pop(workbook):
    return read_city_register_population(workbook)


@pytest.fixture(scope="module")
def hh(workbook):
    return read_city_register_households(workbook)


def test_population_columns_and_dtypes(pop):
    assert list(pop.columns) == [
        "date",
        "choume_code",
        "town",
        "chome",
        "area",
        "age_from",
        "age_to",
        "sex",
        "population",
    ]
    assert str(pop["date"].dtype) == "datetime64[ns]"
    for col in ("choume_code", "town", "area", "sex"):
        assert isinstance(pop[col].dtype, pd.StringDtype), col
    assert str(pop["chome"].dtype) == "int64"
    assert str(pop["age_from"].dtype) == "Int64" and str(pop["age_to"].dtype) == "Int64"
    assert str(pop["population"].dtype) == "int64"


def test_population_shape(pop):
    # 41 町丁目 × 101 ages × 2 sexes; no 計 rows
    assert len(pop) == 8282
    assert set(pop["sex"]) == {"男", "女"}
    assert set(pop["date"]) == {pd.Timestamp("2026-01-01")}
    assert pop["choume_code"].nunique() == 41
    assert pop["choume_code"].iloc[0] == "0101" and pop["choume_code"].iloc[-1] == "1104"


def test_population_totals_by_hand(pop):
    # base: 41 × 101 = 4,141 rows; 男 4,141 and 女 8,282
    # 0101/0歳: 男 1→5 (+4), 女 2→4 (+2); 0101/100歳以上: 男 1→0 (−1), 女 2→3 (+1);
    # 1104/65歳: 男 1→7 (+6), 女 2→0 (−2)
    by_sex = pop.groupby("sex")["population"].sum()
    assert by_sex["男"] == 4150
    assert by_sex["女"] == 8283
    assert pop["population"].sum() == 12433


def test_individual_cells(pop):
    def value(code, age, sex):
        hit = pop[(pop["choume_code"] == code) & (pop["age_from"] == age) & (pop["sex"] == sex)]
        assert len(hit) == 1
        return hit.iloc[0]

    assert value("0101", 0, "男")["population"] == 5
    assert value("0101", 0, "女")["population"] == 4
    top = value("0101", 100, "女")
    assert top["population"] == 3 and pd.isna(top["age_to"])
    assert value("0101", 100, "男")["population"] == 0  # a zero stays a row with 0
    r = value("1104", 65, "男")
    assert (r["population"], r["age_to"], r["town"], r["chome"], r["area"]) == (
        7,
        65,
        "西野川",
        4,
        "こまえ正吉苑",
    )
    assert value("0602", 30, "女")["population"] == 2


def test_areas_from_reference(pop):
    areas = pop.drop_duplicates("choume_code").set_index("choume_code")["area"]
    assert areas["0201"] == "あいとぴあ"  # 中和泉
    assert areas["0701"] == "こまえ苑"  # 駒井町
    assert areas["1001"] == "こまえ正吉苑"  # 東野川
    # 圏域 sizes: あいとぴあ = 中和泉5+西和泉2+元和泉3+東和泉4 = 14 町丁目; こまえ苑 = 猪方4+駒井町3+岩戸南4+岩戸北4 = 15;
    # こまえ正吉苑 = 和泉本町4+東野川4+西野川4 = 12
    assert areas.value_counts().to_dict() == {"こまえ苑": 15, "あいとぴあ": 14, "こまえ正吉苑": 12}


def test_households_frame(hh):
    assert list(hh.columns) == ["date", "choume_code", "town", "chome", "area", "households", "population"]
    assert len(hh) == 41
    row = hh.set_index("choume_code").loc["0101"]
    # 0101: 101 ages × 3 = 303, +6 (0歳: 9 instead of 3), ±0 (100歳以上: 3 instead of 3) = 309
    assert (row["town"], row["chome"], row["households"], row["population"]) == ("和泉本町", 1, 150, 309)
    assert hh.set_index("choume_code").loc["0501", "households"] == 0
    # 1104: 303 + 6 − 2 = 307
    assert hh.set_index("choume_code").loc["1104", "population"] == 307
    # households: 39 × 100 + 150 + 0
    assert hh["households"].sum() == 4050
    assert hh["population"].sum() == 12433


def test_reading_twice_gives_independent_copies(workbook):
    a = read_city_register_population(workbook)
    a.loc[0, "population"] = 999
    assert read_city_register_population(workbook).loc[0, "population"] == 5


def test_registry_loads_both_sources_from_one_folder(tmp_path):
    folder = tmp_path / "city_register"
    write_city_register(folder, dt.date(2026, 1, 1))
    write_city_register(folder, dt.date(2025, 1, 1), default=(2, 2))
    src = registry.source("city_register_population")
    assert [p.name for p in registry.files(src, tmp_path)] == [
        "juki_choume_age_20250101.xlsx",
        "juki_choume_age_20260101.xlsx",
    ]
    pop = registry.load("city_register_population", tmp_path)
    assert list(pop["date"].drop_duplicates()) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01")]
    # 2025: 4,141 × (2 + 2) = 16,564; 2026: 4,141 × 3 = 12,423
    assert pop.groupby("date")["population"].sum().tolist() == [16564, 12423]
    hh = registry.load("city_register_households", tmp_path)
    assert len(hh) == 82 and hh["households"].sum() == 8200
    # the city files are fine: the only problem is the absent (required) 東京都 folder
    problems = registry.validate(tmp_path)
    assert [(p.file, p.message.split("（")[0]) for p in problems] == [
        (display_name(tmp_path / "tokyo_juki_age5"), "入力フォルダがありません")
    ]
