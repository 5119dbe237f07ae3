"""Demo 人口の動き monthly tables (第11・14～17表, 2016–2025): byte-reproducible, the months adding up
to the year, 日本人＋外国人＝総数, 出生数－死亡数＝自然増減, and the year totals (総数) equal to the
demo 第1表 of the same year. Read with the csv module."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from komae_analysis.demo import SEED
from komae_analysis.demo import tokyo_movement_monthly as demo
from tests.conftest import ROOT

FOLDER = ROOT / "data" / "raw" / "tokyo_population_movement"
YEARS = range(2016, 2026)
FIRST_TABLE = {"1100": 8, "1400": 11, "1500": 12, "1600": 13, "1700": 14}  # column of the item in 第1表


def read(path: Path) -> dict[tuple[str, str], list[int]]:
    """(国籍区分, 地域コード) → 12 months and the year (the first occurrence of each area)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    out: dict[tuple[str, str], list[int]] = {}
    for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")):
        if len(r) > 16 and r[2].isdigit():
            values = [int(c) for c in r[4:17]]
            assert out.setdefault((r[0], r[2]), values) == values
    return out


def first_table(year: int) -> dict[str, list[str]]:
    text = (FOLDER / f"ju{year % 100:02d}qv0100.csv").read_bytes().decode("utf-8-sig")
    return {r[1]: r for r in csv.reader(io.StringIO(text, newline="")) if len(r) > 3 and r[1].isdigit()}


def test_same_seed_same_bytes_as_committed(tmp_path):
    first = demo.write(tmp_path / "a", SEED)
    second = demo.write(tmp_path / "b", SEED)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes() == (FOLDER / a.name).read_bytes()
    assert sorted(p.name for p in FOLDER.glob("ju*qv1*00.csv")) == sorted(p.name for p in first)
    assert len(first) == 50


def test_identities_and_the_first_table():
    for year in YEARS:
        tables = {n: read(FOLDER / f"ju{year % 100:02d}qv{n}.csv") for n in FIRST_TABLE}
        first = first_table(year)
        for n, cells in tables.items():
            for (nationality, code), v in cells.items():
                assert sum(v[:12]) == v[12], (year, n, nationality, code)
                if nationality == "総数":
                    jp, fo = cells[("日本人", code)], cells[("外国人", code)]
                    assert [a + b for a, b in zip(jp, fo, strict=True)] == v
                    assert v[12] == int(first[code][FIRST_TABLE[n]]), (year, n, code)
        for key, v in tables["1400"].items():
            assert [b - d for b, d in zip(tables["1500"][key], tables["1600"][key], strict=True)] == v


def test_plausible_split_for_the_city():
    for year in YEARS:
        births = read(FOLDER / f"ju{year % 100:02d}qv1500.csv")
        deaths = read(FOLDER / f"ju{year % 100:02d}qv1600.csv")
        assert births[("外国人", "13219")][12] < 0.06 * births[("総数", "13219")][12]
        assert deaths[("外国人", "13219")][12] <= 10
        winter = deaths[("総数", "13219")][0]
        assert winter >= min(deaths[("総数", "13219")][3:9])  # January above the summer's lowest month
