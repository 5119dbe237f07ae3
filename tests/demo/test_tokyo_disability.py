"""The demo 東京都「福祉・衛生 統計年報」 障害者手帳 tables (demo/tokyo_disability.py): byte-reproducible,
marked as demo data, calibrated on the real 東京都 holders of October 2023, with 総数, 区部 and 市部 the
sums of their areas and 狛江市's row equal to the city's own workbook. Read with openpyxl
(tests.sections.test_02g_disability's independent reader)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED, tokyo_disability
from tests.sections.test_02g_disability import SHEETS, YEARS, read_tokyo_raw

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
FOLDER = RAW / "tokyo_disability"
SHINTAI, AI, SEISHIN = SHEETS[:3]
TOKYO_2023 = {SHINTAI: 487_944, AI: 102_531, SEISHIN: 156_914}  # end of October 2023 (real)
SHIBU = ("八王子市", "立川市", "武蔵野市", "三鷹市", "青梅市", "府中市", "昭島市", "調布市", "町田市", "小金井市", "小平市",
         "日野市", "東村山市", "国分寺市", "国立市", "福生市", "狛江市", "東大和市", "清瀬市", "東久留米市", "武蔵村山市",
         "多摩市", "稲城市", "羽村市", "あきる野市", "西東京市")


@pytest.fixture(scope="module")
def raws():
    return {y: read_tokyo_raw(FOLDER / f"nenpo_shougai_techo_FY{y}.xlsx") for y in YEARS}


def test_regenerated_files_are_byte_identical_to_the_committed_ones(tmp_path):
    written = tokyo_disability.write(tmp_path, SEED)
    assert [p.name for p in written] == [f"nenpo_shougai_techo_FY{y}.xlsx" for y in YEARS]
    assert all(p.read_bytes() == (FOLDER / p.name).read_bytes() for p in written)
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(p.name for p in written)


def test_marked_as_demo_data_and_dated_at_the_year_end():
    wb = openpyxl.load_workbook(FOLDER / "nenpo_shougai_techo_FY2023.xlsx", read_only=True)
    for sheet in SHEETS[:3]:
        texts = [c for row in wb[sheet].iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert "令和6年3月31日現在" in texts and "（単位：人）" in texts
        assert any("デモデータ" in t for t in texts)
    wb.close()


def test_calibration_fy2023(raws):
    for sheet, target in TOKYO_2023.items():
        assert abs(raws[2023][(sheet, "総数", "総数", "計")] - target) <= 0.01 * target, sheet


def test_aggregates_are_sums_of_their_areas(raws):
    for y, raw in raws.items():
        for sheet in SHEETS[:3]:
            keys = {(g, lab) for (s, _a, g, lab) in raw if s == sheet}
            for g, lab in keys:
                v = {a: raw[(sheet, a, g, lab)] for a in ("総数", "区部", "市部", "町村部", *SHIBU)}
                if any(x is None for x in v.values()):
                    continue
                assert v["総数"] == v["区部"] + v["市部"] + v["町村部"], (y, sheet, g, lab)
                assert v["市部"] == sum(v[c] for c in SHIBU), (y, sheet, g, lab)


def test_other_cities_are_plausible(raws):
    from tests.sections import tokyo_areas

    pop = tokyo_areas(RAW / "tokyo_juki_age5" / "dai7hyo_age5_202601.csv")
    names = {a["name"]: a["total"] for a in pop.values()}
    for city in SHIBU:
        per_1000 = raws[2025][(SHINTAI, city, "総数", "計")] / names[city] * 1000
        assert 25 <= per_1000 <= 50, city
        assert 4 <= raws[2025][(AI, city, "総数", "計")] / names[city] * 1000 <= 12, city
