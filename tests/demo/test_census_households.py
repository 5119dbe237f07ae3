"""Demo 令和2年国勢調査 第10表: byte-reproducible, in the e-Stat layout, 狛江市 calibrated on the real
figures (一般世帯 42,578; 単独世帯 20,347; 65歳以上の単独世帯 5,196; 夫65歳以上・妻60歳以上の夫婦のみ 3,820),
every family-type and 世帯人員 identity exact, and plausible against the demo population.

Read with openpyxl; the anchors are written out here by hand."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import census_households as demo
from tests.conftest import ROOT

RAW = ROOT / "data" / "raw"
FILE = RAW / "census_households" / "census2020_b10_setai_kazokuruikei.xlsx"
LEAVES = ["111", "112", "113", "114", *(f"12{i:02d}" for i in range(1, 11)), "2", "3", "4"]


@pytest.fixture(scope="module")
def sheet() -> dict:
    wb = openpyxl.load_workbook(FILE, read_only=True)
    rows = [tuple(r) for r in wb["b10"].iter_rows(values_only=True)]
    wb.close()
    header = next(r for r in rows if r and "0_総数" in r)
    col = {str(v).split("_")[0]: i for i, v in enumerate(header) if isinstance(v, str) and "_" in v}
    data: dict[str, dict[str, dict[str, int]]] = {}
    for r in rows:
        if len(r) > 3 and isinstance(r[2], str) and r[2][:5].isdigit():
            size = r[3].split("_")[0]
            data.setdefault(r[2][:5], {})[size] = {c: 0 if r[i] == "-" else int(r[i]) for c, i in col.items()}
    return {"rows": rows, "col": col, "data": data}


def test_same_seed_same_bytes_as_committed(tmp_path):
    first = demo.write(tmp_path / "a", SEED)
    second = demo.write(tmp_path / "b", SEED)
    assert first[0].read_bytes() == second[0].read_bytes() == FILE.read_bytes()


def test_layout(sheet):
    rows = sheet["rows"]
    assert rows[0][0] == "令和２年国勢調査　人口等基本集計" and rows[1][0].startswith("第１０表")
    assert "デモデータ" in rows[2][0]
    assert rows[9][:4] == ("地域識別コード", "都道府県", "地域名", "世帯人員の人数")
    assert rows[7][4:7] == ("0_総数", "1_親族のみの世帯", "11_核家族世帯")
    assert set(rows[8][4:]) == {"世帯"}
    assert rows[10][:4] == ("a", "00_全国", "00000_全国", "0_総数")


def test_komae_is_calibrated_on_the_real_figures(sheet):
    k = sheet["data"]["13219"]["0"]
    assert (k["0"], k["3"], k["R3"], k["R2"]) == (42578, 20347, 5196, 3820)


def test_identities(sheet):
    for code, sizes in sheet["data"].items():
        assert sorted(sizes) == [str(s) for s in range(8)], code
        for s, v in sizes.items():
            assert v["0"] == v["1"] + v["2"] + v["3"] + v["4"] == sum(v[c] for c in LEAVES), (code, s)
            assert v["11"] == v["111"] + v["112"] + v["113"] + v["114"]
            assert v["12"] == sum(v[f"12{i:02d}"] for i in range(1, 11))
            assert v["R2"] <= v["111"] and v["R3"] <= v["3"] and v["R1"] <= v["1"] + v["2"]
        for c in sheet["col"]:
            assert sizes["0"][c] == sum(sizes[str(s)][c] for s in range(1, 8)), (code, c)
        assert sizes["1"]["3"] == sizes["0"]["3"] and sizes["2"]["111"] == sizes["0"]["111"]  # structural
    data = sheet["data"]
    shibu = [c for c in data if c.startswith("132")]
    assert len(shibu) == 26
    rest = data["13000"]["0"]["0"] - data["13100"]["0"]["0"] - sum(data[c]["0"]["0"] for c in shibu)
    assert 20000 < rest < 60000  # the 町村 (not listed)


def _population_oct_2020(code: str) -> float:
    totals = []
    for year in (2020, 2021):
        text = (RAW / "tokyo_juki_age5" / f"dai7hyo_age5_{year}01.csv").read_bytes().decode("cp932")
        totals.append(next(int(r[5]) for r in csv.reader(io.StringIO(text, newline=""))
                           if len(r) > 5 and r[1] == code and r[3] == "0"))
    return 0.25 * totals[0] + 0.75 * totals[1]


def test_plausible_against_the_demo_population(sheet):
    for code, sizes in sheet["data"].items():
        if code == "00000":
            continue
        v = sizes["0"]
        people = _population_oct_2020(code)
        assert 1.7 < people / v["0"] < 2.5, code  # persons per household
        assert 0.33 < v["3"] / v["0"] < 0.56 and 0.07 < v["R3"] / v["0"] < 0.14, code
        assert v["R2"] / v["0"] < 0.15
        persons = sum(int(s) * sizes[s]["0"] for s in map(str, range(1, 8)))
        assert persons <= people, code  # household members cannot exceed the residents
