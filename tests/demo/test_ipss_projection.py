"""The demo 社人研 workbook (data/raw/ipss_projection/suikei_kekka.xlsx): byte-reproducible, marked as demo
data, in the layout the reader takes, calibrated (狛江市 2020 = 84,772, the 2020 census total; 2050 near
78,000), internally consistent, and consistent with the demo register (its 2020 age structure).

Everything is checked from the file itself with openpyxl, against figures written out here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import ipss_projection as demo

PROJECT = Path(__file__).resolve().parents[2]
COMMITTED = PROJECT / "data" / "raw" / "ipss_projection" / "suikei_kekka.xlsx"
REGISTER_2020 = PROJECT / "data" / "raw" / "city_register" / "juki_choume_age_20200101.xlsx"
CLASSES = [f"{a}～{a + 4}歳" for a in range(0, 95, 5)] + ["95歳～"]


@pytest.fixture(scope="module")
def sheet() -> list[tuple]:
    wb = openpyxl.load_workbook(COMMITTED, read_only=True, data_only=True)
    assert wb.sheetnames == ["Sheet1"]
    out = [tuple(r) for r in wb["Sheet1"].iter_rows(values_only=True)]
    wb.close()
    return out


@pytest.fixture(scope="module")
def areas(sheet) -> dict[tuple[int, int], dict[str, list[int]]]:
    """(code, year) → {男女計, 男, 女: [総数, 20 classes]} from the data rows."""
    out = {}
    for r in sheet[5:]:
        if not isinstance(r[0], int):
            continue
        year = int(r[4].rstrip("年"))
        out[(r[0], year)] = {"男女計": list(r[5:26]), "男": list(r[27:48]), "女": list(r[49:70]), "row": r}
    return out


def test_two_runs_give_the_committed_bytes(tmp_path):
    a = demo.write(tmp_path / "a", SEED)[0].read_bytes()
    b = demo.write(tmp_path / "b", SEED)[0].read_bytes()
    assert a == b == COMMITTED.read_bytes()


def test_marked_as_demo_data_with_the_layout_the_reader_takes(sheet):
    assert "デモデータ" in sheet[2][0] and "実在の統計ではありません" in sheet[2][0]
    assert "令和5（2023）年推計" in sheet[0][0]
    assert sheet[3][:6] == ("コード", "市などの別", "都道府県", "市区町村", "年", "男女計")
    assert sheet[3][27] == "男" and sheet[3][49] == "女"
    assert list(sheet[4][5:26]) == ["総数", *CLASSES] == list(sheet[4][27:48]) == list(sheet[4][49:70])


def test_areas_and_years(areas):
    assert sorted({c for c, _y in areas}) == [13000, 13112, 13204, 13208, 13219]
    assert all(sorted(y for c2, y in areas if c2 == c) == list(range(2020, 2051, 5)) for c in (13000, 13219))


def test_calibration_komae(areas):
    assert areas[(13219, 2020)]["男女計"][0] == 84772  # 令和2年国勢調査
    assert abs(areas[(13219, 2050)]["男女計"][0] - 78000) <= 0.01 * 78000
    totals = [areas[(13219, y)]["男女計"][0] for y in range(2020, 2051, 5)]
    assert totals[1] >= totals[0] and all(b < a for a, b in zip(totals[1:], totals[2:], strict=False))
    rates = [sum(areas[(13219, y)]["男女計"][14:]) / areas[(13219, y)]["男女計"][0] for y in range(2020, 2051, 5)]
    assert all(b > a for a, b in zip(rates, rates[1:], strict=False))  # 高齢化率 rises
    assert 0.22 < rates[0] < 0.26 and 0.28 < rates[-1] < 0.38


def test_every_row_adds_up(areas):
    for (code, year), a in areas.items():
        for block in ("男女計", "男", "女"):
            assert a[block][0] == sum(a[block][1:]), (code, year, block)
        assert [m + f for m, f in zip(a["男"], a["女"], strict=True)] == a["男女計"], (code, year)
        r = a["row"]
        both = a["男女計"][1:]
        assert r[73:78] == (sum(both[:3]), sum(both[3:13]), sum(both[13:]), sum(both[13:15]), sum(both[15:]))
        assert r[71] == round(100 * a["男女計"][0] / areas[(code, 2020)]["男女計"][0], 1)


def test_2020_age_structure_is_the_demo_register_of_1_january_2020(areas):
    """The demo 2020 classes are the register's of 2020-01-01, scaled to the census total: the shares by
    class and sex agree within rounding."""
    wb = openpyxl.load_workbook(REGISTER_2020, read_only=True, data_only=True)
    classes = [[0, 0] for _ in range(20)]
    for r in wb["町丁目別年齢別人口"].iter_rows(min_row=6, values_only=True):
        if not r[0] or r[0] == "合計":
            continue
        age = int(str(r[3]).rstrip("歳以上"))
        i = min(age // 5, 19)
        classes[i][0] += int(r[4])
        classes[i][1] += int(r[5])
    wb.close()
    total = sum(m + f for m, f in classes)
    k = areas[(13219, 2020)]
    for i in range(20):
        for s, sex in enumerate(("男", "女")):
            assert abs(k[sex][i + 1] / 84772 - classes[i][s] / total) < 2e-5, (i, sex)


def test_the_reader_reads_it():
    from komae_analysis.ingest.ipss_projection import read_ipss_projection

    f = read_ipss_projection(COMMITTED)
    assert len(f) == 5 * 7 * 2 * 20 and f.attrs["edition"] == "令和5（2023）年推計"
