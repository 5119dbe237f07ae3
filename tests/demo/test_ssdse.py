"""The demo SSDSE-A files: byte-reproducible, in the published layout, calibrated on 狛江市's real
令和2年国勢調査 figures, consistent with the demo register, and giving the nationwide rule candidates.

Everything is read from the files with the csv module and compared with figures written out here by
hand (the calibration anchors of data/raw/README.md) or with the demo register workbooks read with
openpyxl (tests.sections.register_by_age), never with the generator's own helpers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from komae_analysis import reference
from komae_analysis.demo import SEED
from komae_analysis.demo import ssdse as demo_ssdse
from tests.sections import register_by_age

PROJECT = Path(__file__).resolve().parents[2]
RAW = PROJECT / "data" / "raw"
FILES = {2023: RAW / "ssdse_a" / "SSDSE-A-2023_demo.csv", 2026: RAW / "ssdse_a" / "SSDSE-A-2026_demo.csv"}

# 狛江市, 令和2年国勢調査 (SSDSE-A-2023 and -2026, real): the anchors the demo matches exactly.
KOMAE_2020 = {"A1101": 84772, "A1303": 19961, "A1419": 11196, "A1301": 9736, "A7101": 42616, "A710101": 42578,
              "A8301": 5196, "A810105": 20347, "A810102": 20705, "A8201": 3820}
# items of other years, per edition (real)
KOMAE_BY_EDITION = {2023: {"A4101": 619, "A4200": 763, "B1101": 639, "I6100": 292, "J250302": 21},
                    2026: {"A4101": 474, "A4200": 898, "B1101": 639, "I6100": 313, "J250302": 21}}
YEARS = {2023: {"A1101": "2020", "A4101": "2020", "B1101": "2021", "I6100": "2020", "D3203": "2019"},
         2026: {"A1101": "2020", "A4101": "2023", "B1101": "2024", "I6100": "2022", "D3203": "2022"}}


def read(path: Path) -> tuple[list[list[str]], dict[str, dict[str, str]]]:
    """(the three header lines, {area code: {item code or 都道府県/name: cell}}) with the csv module."""
    raw = path.read_bytes()
    text = raw.decode("cp932")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[:3]
    out = {}
    for r in rows[3:]:
        assert len(r) == len(header[0]), r[:3]
        out[r[0]] = {"pref": r[1], "name": r[2], **dict(zip(header[0][3:], r[3:], strict=True))}
    return header, out


@pytest.fixture(scope="module")
def files():
    return {e: read(p) for e, p in FILES.items()}


def num(cell: str) -> float:
    return float(cell)


# ------------------------------------------------------------------------------ reproducibility


def test_regenerated_files_are_byte_identical_to_the_committed_ones(tmp_path):
    written = demo_ssdse.write(tmp_path, SEED)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "ssdse_a/SSDSE-A-2023_demo.csv", "ssdse_a/SSDSE-A-2026_demo.csv"]
    for p in written:
        assert p.read_bytes() == (RAW / p.relative_to(tmp_path)).read_bytes(), p.name
    assert sorted(x.name for x in (RAW / "ssdse_a").iterdir()) == sorted(p.name for p in written)
    again = demo_ssdse.write(tmp_path / "again", SEED)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


# ----------------------------------------------------------------------------------- the layout


def test_three_header_lines_as_published(files):
    for edition, (header, _areas) in files.items():
        codes, years, labels = header
        assert codes[:3] == [f"SSDSE-A-{edition}", "Prefecture", "Municipality"]
        assert years[:3] == ["", "", "年度"]
        assert labels[:3] == ["地域コード", "都道府県", "市区町村"]
        assert codes[3] == "A1101" and labels[3] == "総人口"
        assert labels[codes.index("A8301")] == "65歳以上世帯員の単独世帯数"
        for code, year in YEARS[edition].items():
            assert years[codes.index(code)] == year, (edition, code)
        assert len(codes) == 3 + 67
    assert files[2023][0][2][files[2023][0][0].index("F2201")] == "第１次産業就業者数"  # as the 2023 edition prints it


def test_file_is_cp932_with_lf_lines():
    for path in FILES.values():
        raw = path.read_bytes()
        assert b"\r\n" not in raw and raw.endswith(b"\n")
        raw.decode("cp932")


def test_rows_every_tokyo_city_and_cities_nationwide(files):
    _h, areas = files[2026]
    keys = list(areas)
    assert keys == sorted(keys) and all(k.startswith("R") and len(k) == 6 for k in keys)
    for city in reference.shibu_cities():
        row = areas[f"R{city.code}"]
        assert (row["pref"], row["name"]) == ("東京都", city.name)
    assert areas["R13112"]["name"] == "世田谷区"
    nationwide = [a for a in areas.values() if a["pref"] != "東京都" and a["name"].endswith("市")]
    assert len(nationwide) >= 50
    # the nationwide rule has candidates: 市 outside 東京都 within ±15% of 狛江市's population
    base = num(areas["R13219"]["A1101"])
    in_band = [a for a in nationwide if abs(num(a["A1101"]) / base - 1) <= 0.15]
    assert len(in_band) >= 15
    # and there are 区・町・村 for the rule to skip
    assert {a["name"][-1] for a in areas.values()} >= {"市", "区", "町", "村"}


# ----------------------------------------------------------------------------------- calibration


def test_komae_matches_the_real_census_figures(files):
    for edition, (_h, areas) in files.items():
        komae = areas["R13219"]
        assert (komae["pref"], komae["name"]) == ("東京都", "狛江市")
        for code, value in {**KOMAE_2020, **KOMAE_BY_EDITION[edition]}.items():
            assert num(komae[code]) == value, (edition, code)
    # 19,961 / 84,772 = 23.546…％; 5,196 / 42,578 = 12.203…％
    assert round(19961 / 84772 * 100, 1) == 23.5 and round(5196 / 42578 * 100, 1) == 12.2


def test_census_items_are_the_same_in_both_editions(files):
    (_h23, a23), (h26, a26) = files[2023], files[2026]
    census = [c for c, y in zip(h26[0][3:], h26[1][3:], strict=True) if y == "2020"]
    assert "A8301" in census and "A1101" in census
    for key in a26:
        assert [a23[key][c] for c in census] == [a26[key][c] for c in census], key


def test_tokyo_cities_are_close_to_the_demo_register(files, demo_data_dir):
    """Census 2020 vs the demo register on 1 January 2020: within a few percent (the census counts
    residents on 1 October including 年齢不詳; 狛江市's real ratio is 84,772 / 83,257 = 1.018)."""
    reg = register_by_age(demo_data_dir)[2020]
    komae_reg = sum(reg.values())
    komae_reg65 = sum(n for (_c, age), n in reg.items() if age >= 65)
    _h, areas = files[2026]
    assert 1.0 < 84772 / komae_reg < 1.03
    assert 1.0 < 19961 / komae_reg65 < 1.05
    from tests.sections import tokyo_areas

    dai7 = tokyo_areas(demo_data_dir / "tokyo_juki_age5" / "dai7hyo_age5_202001.csv")
    for city in reference.shibu_cities():
        row, reg_city = areas[f"R{city.code}"], dai7[city.code]
        ratio = num(row["A1101"]) / reg_city["total"]
        assert 1.0 < ratio < 1.04, city.name
        assert abs(num(row["A1303"]) / reg_city["age65"] - 19961 / komae_reg65) < 0.03, city.name
        aging_census, aging_reg = num(row["A1303"]) / num(row["A1101"]), reg_city["age65"] / reg_city["total"]
        assert abs(aging_census - aging_reg) < 0.01, city.name


def test_parts_add_up_and_shares_are_plausible(files):
    for _edition, (_h, areas) in files.items():
        for key, a in areas.items():
            v = {c: num(x) for c, x in a.items() if c not in ("pref", "name")}
            assert v["A110101"] + v["A110102"] == v["A1101"], key
            assert v["A130101"] + v["A130102"] == v["A1301"], key
            assert v["A130301"] + v["A130302"] == v["A1303"], key
            assert v["A1301"] + v["A1302"] + v["A1303"] <= v["A1101"], key
            assert v["A1419"] < v["A1303"], key
            assert v["A1102"] + v["A1700"] <= v["A1101"], key
            assert v["A810105"] + v["A810102"] < v["A710101"] <= v["A7101"], key
            assert 0.05 < v["A8301"] / v["A710101"] < 0.25, key
            assert 0.1 < v["A1303"] / v["A1101"] < 0.6, key
            assert 0.25 < v["D320303"] / v["D3203"] < 0.65, key
            assert v["B1101"] > 0 and v["I6100"] > 0, key
