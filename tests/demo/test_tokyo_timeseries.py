"""Demo 時系列 第2表・第9表: byte-reproducible, in the release's layout, calibrated on the real 1985 and
2016 anchors, and equal to the demo 第7表 (hence to the register for 狛江市) from 2017 to 2026.

Everything is read from the files with the csv module; anchors are written out here by hand."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import tokyo_timeseries as demo
from tests.conftest import ROOT

RAW = ROOT / "data" / "raw"
FOLDER = RAW / "tokyo_juki_timeseries"
ERA = {**{y: f"昭和{y - 1925}" for y in range(1985, 1990)}, **{y: f"平成{y - 1988}" for y in range(1990, 2020)},
       **{y: f"令和{y - 2018}" for y in range(2020, 2027)}}
SHIBU = ["13201", "13202", "13203", "13204", "13205", "13206", "13207", "13208", "13209", "13210", "13211",
         "13212", "13213", "13214", "13215", "13218", "13219", "13220", "13221", "13222", "13223", "13224",
         "13225", "13227", "13228", "13229"]


def read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def table(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """area code → {column label: cell}."""
    header = rows[0]
    return {r[1]: dict(zip(header[3:], r[3:], strict=True)) for r in rows[1:] if len(r) > 3 and r[1].isdigit()}


def n(cell: str) -> int:
    return 0 if cell == "-" else int(cell)


def dai7(year: int) -> dict[str, dict[str, int]]:
    """area code → total, male, female, foreign, 65+ (and 65+ by sex) from a demo 第7表 CSV."""
    text = (RAW / "tokyo_juki_age5" / f"dai7hyo_age5_{year}01.csv").read_bytes().decode("cp932")
    out: dict[str, dict[str, int]] = {}
    for r in csv.reader(io.StringIO(text, newline="")):
        if len(r) < 14 or not r[1].isdigit():
            continue
        a = out.setdefault(r[1], {"aged": 0, "aged_m": 0, "aged_f": 0, "aged_jp": 0})
        if r[3] == "0":
            a.update(total=n(r[5]), male=n(r[6]), female=n(r[7]), jp=n(r[8]), foreign=n(r[11]),
                     foreign_m=n(r[12]), foreign_f=n(r[13]))
        elif r[4][:2].isdigit() and int(r[4].split("～")[0].removesuffix("以上")) >= 65:
            a["aged"] += n(r[5])
            a["aged_m"] += n(r[6])
            a["aged_f"] += n(r[7])
            a["aged_jp"] += n(r[8])
    return out


@pytest.fixture(scope="module")
def population() -> dict[str, dict[str, str]]:
    return table(read(FOLDER / "jy26rv0200.csv"))


@pytest.fixture(scope="module")
def aged() -> dict[str, dict[str, str]]:
    return table(read(FOLDER / "jy26rv0906.csv"))


def total(pop: dict[str, dict[str, str]], code: str, year: int) -> int:
    key = f"{ERA[year]}／総数(人)" if year < 2013 else f"{ERA[year]}／人口総数／総数(人)"
    return n(pop[code][key])


def test_same_seed_same_bytes_as_committed(tmp_path):
    first = demo.write(tmp_path / "a", SEED)
    second = demo.write(tmp_path / "b", SEED)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes() == (FOLDER / a.name).read_bytes()
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(p.name for p in first)


def test_layout_and_demo_marker():
    for name, first_head in (("jy26rv0200.csv", "地域"), ("jy26rv0906.csv", "地域階層")):
        rows = read(FOLDER / name)
        assert rows[0][:3] == [first_head, "地域コード", "地域"]
        assert any("デモデータ" in r[0] for r in rows if r)
        assert any(r and r[0] == "住民基本台帳による東京都の世帯と人口　令和8年1月" for r in rows)
    assert read(FOLDER / "jy26rv0200.csv")[1] == []  # the real 第2表's empty line after the header


def test_calibrated_on_the_real_anchors(population, aged):
    assert total(population, "13219", 1985) == 70744
    assert total(population, "13219", 2016) == 80008
    assert aged["13219"]["昭和60年／総数(%)"] == "7.15"
    assert total(population, "13100", 1985) == 8223199 and total(population, "13208", 2016) == 226413


def test_2017_to_2026_equal_the_demo_dai7(population, aged):
    for year in range(2017, 2027):
        d7 = dai7(year)
        assert set(d7) == set(population)  # the same areas as the demo 第7表
        for code, a in d7.items():
            p = population[code]
            assert n(p[f"{ERA[year]}／人口総数／総数(人)"]) == a["total"], (code, year)
            assert n(p[f"{ERA[year]}／人口総数／男(人)"]) == a["male"]
            assert n(p[f"{ERA[year]}／外国人／総数(人)"]) == a["foreign"]
            assert n(p[f"{ERA[year]}／外国人／女(人)"]) == a["foreign_f"]
            shown = (Decimal(a["aged"]) * 100 / a["total"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert Decimal(aged[code][f"{ERA[year]}年／人口総計／総数(%)"]) == shown
            jp = (Decimal(a["aged_jp"]) * 100 / a["jp"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert Decimal(aged[code][f"{ERA[year]}年／人口総計／人口総数のうち日本人（再掲）／総数(%)"]) == jp


def test_sums_and_a_plausible_path(population, aged):
    for year in range(1985, 2027):
        shibu = sum(total(population, c, year) for c in SHIBU)
        assert total(population, "13200", year) == shibu
        assert total(population, "13000", year) == sum(total(population, c, year) for c in ("13100", "13200", "13550"))
        if year > 1985:  # no jump larger than 3% a year but the 2013 inclusion of foreign residents
            change = total(population, "13219", year) / total(population, "13219", year - 1) - 1
            assert abs(change) < (0.03 if year != 2013 else 0.035), year
        key = f"{ERA[year]}年／総数(%)" if year < 2013 else f"{ERA[year]}年／人口総計／総数(%)"
        share = float(aged["13219"][key])
        assert 5 < share < 30
    # Japanese-only before 平成25: no 日本人/外国人 columns
    assert "平成24／外国人／総数(人)" not in population["13219"] and "平成25／外国人／総数(人)" in population["13219"]
