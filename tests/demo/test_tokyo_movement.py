"""Demo 人口の動き 第1表 (2016–2025): byte-reproducible, every identity of the table exact, and the
year's change equal to the change of the demo register totals (第7表 / 時系列 第2表) — the 推計人口
base being the register total plus a constant (狛江市: 1,412, the real difference).

Read with the csv module; expected figures are computed here from the other demo files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import tokyo_movement as demo
from tests.conftest import ROOT

RAW = ROOT / "data" / "raw"
FOLDER = RAW / "tokyo_population_movement"
YEARS = range(2016, 2026)
FW = str.maketrans("０１２３４５６７８９", "0123456789")


def read(path: Path) -> tuple[list[str], dict[str, list[int]]]:
    """(header, area code → the 16 numbers after the name, the first occurrence of each area)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    out: dict[str, list[int]] = {}
    for r in rows[1:]:
        if len(r) > 3 and r[1].isdigit():
            values = [int(c) for c in r[3:16]] + [int(r[18])]
            assert out.setdefault(r[1], values) == values  # a repeated aggregate is identical
    return rows[0], out


COLS = ("end", "change", "social", "social_in", "social_out", "intra", "intra_in", "intra_out", "natural",
        "births", "deaths", "other", "japanese", "start")


@pytest.fixture(scope="module")
def years() -> dict[int, dict[str, dict[str, int]]]:
    out = {}
    for y in YEARS:
        _header, values = read(FOLDER / f"ju{y % 100:02d}qv0100.csv")
        out[y] = {code: dict(zip(COLS, v, strict=True)) for code, v in values.items()}
    return out


def register_total(year: int, code: str = "13219") -> int:
    text = (RAW / "tokyo_juki_age5" / f"dai7hyo_age5_{year}01.csv").read_bytes().decode("cp932")
    return next(int(r[5]) for r in csv.reader(io.StringIO(text, newline="")) if len(r) > 5 and r[1] == code
                and r[3] == "0")


def test_same_seed_same_bytes_as_committed(tmp_path):
    first = demo.write(tmp_path / "a", SEED)
    second = demo.write(tmp_path / "b", SEED)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes() == (FOLDER / a.name).read_bytes()
    assert sorted(p.name for p in FOLDER.glob("ju*qv0100.csv")) == sorted(p.name for p in first)


def test_header_years_and_demo_marker():
    header, _ = read(FOLDER / "ju24qv0100.csv")
    assert header[3] == "令和7年1月1日現在人口" and header[-1] == "令和６年1月1日現在人口"
    assert header[4] == "令和６年中の動き／人口増減"
    header, _ = read(FOLDER / "ju19qv0100.csv")
    assert header[4] == "令和元年中の動き／人口増減" and header[3] == "令和2年1月1日現在人口"
    text = (FOLDER / "ju24qv0100.csv").read_text(encoding="utf-8-sig")
    assert "デモデータ" in text and "人口の動き（令和６年中）".translate(FW) in text.translate(FW)


def test_every_identity_holds(years):
    for y, areas in years.items():
        for code, v in areas.items():
            assert v["end"] - v["start"] == v["change"], (y, code)
            assert v["social"] + v["intra"] + v["natural"] + v["other"] == v["change"], (y, code)
            assert v["social_in"] - v["social_out"] == v["social"]
            assert v["intra_in"] - v["intra_out"] == v["intra"]
            assert v["births"] - v["deaths"] == v["natural"]
            assert min(v["social_in"], v["social_out"], v["intra_in"], v["intra_out"], v["births"], v["deaths"]) >= 0
        if y < max(years):
            assert {c: v["end"] for c, v in areas.items()} == {c: v["start"] for c, v in years[y + 1].items()}


def test_change_equals_the_register_change_on_a_constant_base(years):
    for y in range(2017, 2026):
        for code in ("13219", "13208", "13200", "13000"):
            assert years[y][code]["change"] == register_total(y + 1, code) - register_total(y, code), (y, code)
    assert all(years[y]["13219"]["end"] - register_total(y + 1) == 1412 for y in range(2017, 2026))
    # 2016 starts from the 時系列's 平成28 (80,008, the real figure)
    assert years[2016]["13219"]["start"] - 1412 == 80008


def test_plausible_for_the_city(years):
    for y, areas in years.items():
        k = areas["13219"]
        assert 400 <= k["births"] <= 700 and 600 <= k["deaths"] <= 1000, y
        assert k["natural"] < 0  # 自然減, as in the real city
        assert 1500 < k["social_in"] < 4500 and 1500 < k["intra_in"] < 4500
    # deaths rise as the population ages
    assert years[2025]["13219"]["deaths"] > years[2016]["13219"]["deaths"]
    # 東京都's 都内間 nets out nearly (a time lag remains)
    assert all(abs(years[y]["13000"]["intra"]) < 5000 for y in years)
