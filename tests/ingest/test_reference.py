"""The reference lists: their source and date, the 日常生活圏域, and the 26 cities of 東京都市部.

Expected values are written out by hand (the city's order and official names; the 26 市 of 東京都),
and the CSV is read independently with the csv module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from komae_analysis import reference

REFERENCE = Path(__file__).resolve().parents[2] / "komae_analysis" / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_source_of_each_reference_list():
    assert reference.source_of("komae_choume") == (
        "狛江市「平成27年度 シルバーガイドブック」（2015年）— 日常生活圏域（地域包括支援センターの担当区域）"
    )
    tokyo = reference.source_of("tokyo_areas")
    assert tokyo.startswith("東京都総務局統計部「住民基本台帳による東京都の世帯と人口」の地域区分（")
    assert "令和8年1月1日現在" in tokyo
    # every CSV under reference/ has a recorded source
    assert {p.stem for p in REFERENCE.glob("*.csv")} == set(reference.SOURCES)
    with pytest.raises(KeyError, match="komae_choume"):
        reference.source_of("nope")


def test_daily_life_areas_in_the_citys_order_with_official_names():
    areas = reference.daily_life_areas()
    assert [(a.key, a.official_name, a.towns) for a in areas] == [
        ("あいとぴあ", "あいとぴあ地域包括支援センター", ("中和泉", "西和泉", "元和泉", "東和泉")),
        ("こまえ正吉苑", "地域包括支援センターこまえ正吉苑", ("和泉本町", "東野川", "西野川")),
        ("こまえ苑", "地域包括支援センターこまえ苑", ("岩戸南", "岩戸北", "猪方", "駒井町")),
    ]


def test_the_choume_csv_agrees_with_the_towns_of_each_area():
    rows = _rows("komae_choume.csv")
    assert len(rows) == 41
    towns_of: dict[str, set[str]] = {}
    for r in rows:
        towns_of.setdefault(r["area"], set()).add(r["town"])
    assert towns_of == {a.key: set(a.towns) for a in reference.daily_life_areas()}
    # each town belongs to one area only
    all_towns = [t for a in reference.daily_life_areas() for t in a.towns]
    assert len(all_towns) == len(set(all_towns)) == 11
    assert {c.area for c in reference.komae_choume().values()} == {"あいとぴあ", "こまえ正吉苑", "こまえ苑"}


def test_shibu_cities_are_the_26_cities_of_tokyo():
    cities = reference.shibu_cities()
    names = [c.name for c in cities]
    assert len(cities) == 26
    assert names[0] == "八王子市" and names[-1] == "西東京市"
    assert {"狛江市", "調布市", "稲城市", "あきる野市", "武蔵村山市"} <= set(names)
    assert all(n.endswith("市") for n in names)
    assert all(c.level == 4 and c.parent == "13200" for c in cities)
    assert [c.code for c in cities] == sorted(c.code for c in cities)
    # 市部 itself and the wards are not among them
    assert "13200" not in {c.code for c in cities} and "世田谷区" not in names


def test_tokyo_areas_and_komae_choume_still_work():
    areas = reference.tokyo_areas()
    assert areas["13219"].name == "狛江市" and areas["13219"].parent == "13200"
    assert len(areas) == len(_rows("tokyo_areas.csv"))
    ch = reference.komae_choume()["0101"]
    assert (ch.town, ch.chome, ch.area, ch.label) == ("和泉本町", 1, "こまえ正吉苑", "0101（和泉本町1丁目）")
