"""The demo city workbook of 障害者手帳 holders (demo/city_disability.py): byte-reproducible, marked as
demo data, calibrated on the real figures of data/raw/README.md, plausible, and consistent with the
demo population. Everything is read from the committed file with openpyxl (tests.sections.test_02g_disability's
independent reader) and checked against figures written out here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED, city_disability
from tests.sections import register_by_age
from tests.sections.test_02g_disability import BANDS, SHEETS, YEARS, read_city_raw

PROJECT = Path(__file__).resolve().parents[2]
RAW = PROJECT / "data" / "raw"
FILE = RAW / "city_disability" / "shougai_techo_suii_FY2025.xlsx"
SHINTAI, AI, SEISHIN, JIRITSU, NANBYO = SHEETS
# 東京都, end of October 2023 (福祉局・保健医療局 月報): 身体 487,944; 愛の手帳 102,531; 精神 156,914;
# 難病医療費助成 109,429. 狛江市 is about 0.6 % of 東京都's population.
TOKYO_2023 = {SHINTAI: 487_944, AI: 102_531, SEISHIN: 156_914, NANBYO: 109_429}


@pytest.fixture(scope="module")
def raw():
    return read_city_raw(FILE)


def total(raw, sheet, fy, age="計"):
    return raw[(sheet, "合計", "計", age)][fy]


def test_regenerated_file_is_byte_identical_to_the_committed_one(tmp_path):
    (a,) = city_disability.write(tmp_path / "a", SEED)
    (b,) = city_disability.write(tmp_path / "b", SEED)
    assert a.read_bytes() == b.read_bytes() == FILE.read_bytes()
    assert sorted(p.name for p in FILE.parent.iterdir()) == [FILE.name]


def test_every_sheet_is_marked_as_demo_data():
    wb = openpyxl.load_workbook(FILE, read_only=True)
    for sheet in SHEETS:
        texts = [c for row in wb[sheet].iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert any("デモデータ" in t and "実在の統計ではありません" in t for t in texts), sheet
    wb.close()


def test_calibration_fy2023(raw):
    # 0.6 % of the 東京都 figures: 身体 2,928, 愛の手帳 615, 精神 941, 難病 657 (the task's ~2,900 / ~600 / ~950)
    for sheet, share_of_tokyo, rel in ((SHINTAI, 0.006, 0.05), (AI, 0.006, 0.05), (SEISHIN, 0.006, 0.05),
                                       (NANBYO, 0.006, 0.05)):
        target = TOKYO_2023[sheet] * share_of_tokyo
        assert abs(total(raw, sheet, 2023) - target) <= rel * target, sheet
    assert 1.7 <= total(raw, JIRITSU, 2023) / total(raw, SEISHIN, 2023) <= 2.3


def test_trends_are_plausible(raw):
    shintai = [total(raw, SHINTAI, y) for y in YEARS]
    seishin = [total(raw, SEISHIN, y) for y in YEARS]
    jiritsu = [total(raw, JIRITSU, y) for y in YEARS]
    assert shintai[-1] < shintai[0] and all(abs(b - a) <= 0.01 * a for a, b in zip(shintai, shintai[1:], strict=False))
    assert all(b > a for a, b in zip(seishin, seishin[1:], strict=False))
    assert all(b > a for a, b in zip(jiritsu, jiritsu[1:], strict=False))
    assert 0.05 <= seishin[-1] / seishin[-2] - 1 <= 0.08


def test_age_structure(raw):
    for y in YEARS:
        share = {s: [total(raw, s, y, b) / total(raw, s, y) for b in BANDS] for s in (SHINTAI, AI, SEISHIN)}
        assert share[SHINTAI][2] > 0.65  # 身体: mostly 65+
        assert share[AI][0] > 0.18 and share[AI][2] < 0.12  # 愛の手帳: many children, few 65+
        assert share[SEISHIN][1] > 0.8  # 精神: mostly 18–64


def test_holders_well_below_the_population_of_their_band(raw):
    register = register_by_age(RAW)  # 1 January of each year, from the demo register workbooks
    for y in YEARS:
        cells = register[y + 1]
        pop = [sum(n for (_c, a), n in cells.items() if lo <= a <= hi) for lo, hi in ((0, 17), (18, 64), (65, 200))]
        for b in range(3):
            holders = sum(total(raw, s, y, BANDS[b]) for s in (SHINTAI, AI, SEISHIN))
            assert holders < 0.15 * pop[b], (y, BANDS[b])
        assert total(raw, SHINTAI, y, "65歳以上") / pop[2] < 0.12


def test_nanbyo_ages_not_compiled_in_the_first_two_years(raw):
    for y in YEARS:
        compiled = raw[(NANBYO, "合計", "計", "18歳未満")][y] is not None
        assert compiled == (y >= 2019)
        assert total(raw, NANBYO, y) is not None
