"""The demo 介護保険事業状況報告 workbooks: byte-reproducible, in the published layout, calibrated on the real
figures written out here by hand, consistent with the demo population, plausible.

The files are read with openpyxl here (not with the package's reader); the register's 65+ comes from
狛江市's rows of the demo 第7表 CSVs (equal to its register, tests/demo/test_demo_data.py), read with the
csv module (tests.sections.tokyo_areas).
"""

from __future__ import annotations

import functools
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import care_insurance as demo
from tests.sections import tokyo_areas

PROJECT = Path(__file__).resolve().parents[2]
RAW = PROJECT / "data" / "raw"
FOLDER = RAW / "care_insurance"

LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
# 狛江市 第1号被保険者の要介護（要支援）認定者, end of January 2022 (real).
KOMAE_2022_01 = {"要支援1": 507, "要支援2": 592, "要介護1": 1041, "要介護2": 817, "要介護3": 606,
                 "要介護4": 625, "要介護5": 392}
SHEET_NAMES = ["第１号被保険者数", "要介護（要支援）認定者数", "居宅介護（介護予防）サービス受給者数",
               "地域密着型（介護予防）サービス受給者数", "施設介護サービス受給者数", "保険給付費"]
CITIES = ["八王子市", "立川市", "武蔵野市", "三鷹市", "青梅市", "府中市", "昭島市", "調布市", "町田市", "小金井市",
          "小平市", "日野市", "東村山市", "国分寺市", "国立市", "福生市", "狛江市", "東大和市", "清瀬市", "東久留米市",
          "武蔵村山市", "多摩市", "稲城市", "羽村市", "あきる野市", "西東京市"]
ROWS = ["全国", "東京都計", "区部計", "市部計", *CITIES, "町村部計"]


@functools.lru_cache(maxsize=32)
def _book(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    wb.close()
    return out


def read_sheet(path: Path, sheet: str) -> dict[str, dict[tuple[str, str], object]]:
    """area → {(upper header, lower header): cell} of one sheet, from its merged two-row header."""
    rows = _book(path)[sheet]
    top = next(i for i, r in enumerate(rows) if r[0] == "保険者名")
    groups, items = rows[top], rows[top + 1]
    labels, current = [], None
    for c in range(1, len(groups)):
        current = groups[c] or current
        labels.append((current, items[c] or groups[c]))
    out = {}
    for r in rows[top + 2:]:
        if not r[0]:
            break
        out[str(r[0]).replace("\u3000", "")] = dict(zip(labels, r[1:], strict=False))
    return out


@pytest.fixture(scope="module")
def files() -> list[Path]:
    return sorted(FOLDER.glob("*.xlsx"))


@pytest.fixture(scope="module")
def annual() -> dict[int, Path]:
    return {fy: FOLDER / f"kaigo_nenpo_{fy}.xlsx" for fy in range(2017, 2026)}


def test_the_files_of_the_demo_set(files):
    names = [p.name for p in files]
    assert names == [f"kaigo_geppo_2026{m:02d}.xlsx" for m in range(4, 10)] + \
        [f"kaigo_nenpo_{fy}.xlsx" for fy in range(2017, 2026)]


def test_a_new_run_gives_the_committed_bytes(tmp_path):
    """Deterministic: a run in this process writes the bytes an earlier run committed."""
    written = demo.write(tmp_path, SEED)
    assert [p.name for p in written] == [f"kaigo_nenpo_{fy}.xlsx" for fy in range(2017, 2026)] + \
        [f"kaigo_geppo_2026{m:02d}.xlsx" for m in range(4, 10)]
    for p in written:
        assert p.read_bytes() == (FOLDER / p.name).read_bytes(), p.name


def test_layout_titles_units_and_demo_line(annual):
    wb = openpyxl.load_workbook(annual[2022], read_only=True)
    assert wb.sheetnames == SHEET_NAMES
    for name in SHEET_NAMES:
        rows = list(wb[name].iter_rows(values_only=True))
        assert rows[0][0] == "介護保険事業状況報告（年報）　令和4年度"
        unit = next(v for v in rows[2] if v)
        assert unit == ("（単位：千円）" if name == "保険給付費" else "（単位：人）")
        assert rows[3][0] == "保険者名"
        names = [str(r[0]).replace("\u3000", "") for r in rows[5:5 + len(ROWS)]]
        assert names == ROWS
        assert any(r[0] and str(r[0]).startswith("デモデータ：実在の統計ではありません") for r in rows)
    wb.close()
    wb = openpyxl.load_workbook(FOLDER / "kaigo_geppo_202606.xlsx", read_only=True)
    assert next(wb["保険給付費"].iter_rows(values_only=True))[0] == "介護保険事業状況報告（月報）　令和8年6月分"
    wb.close()


def test_calibration_on_the_real_january_2022_figures(annual):
    # the model at the end of January 2022 is the real figure exactly
    st = demo.model(SEED).stocks("狛江市", (2022, 1))
    assert [int(x) for x in st.cert1.sum(axis=0)] == [KOMAE_2022_01[lv] for lv in LEVELS]
    assert int(st.cert1.sum()) == 4580
    # the 令和3年度 年報 (end of March 2022, two months later) is within 2 % of it, level by level
    komae = read_sheet(annual[2021], "要介護（要支援）認定者数")["狛江市"]
    for lv in LEVELS:
        assert abs(komae[("第１号被保険者", lv)] - KOMAE_2022_01[lv]) <= 0.02 * KOMAE_2022_01[lv], lv
    assert abs(komae[("第１号被保険者", "計")] - 4580) <= 0.01 * 4580


def test_insured_follow_the_demo_register(annual):
    """第1号被保険者 at each year's end are close to the register's 65–74 and 75+ on the 1 January
    before it (within 1.5 %: three months of change and the 住所地特例 adjustment)."""
    for fy, path in annual.items():
        komae_register = tokyo_areas(RAW / "tokyo_juki_age5" / f"dai7hyo_age5_{fy + 1}01.csv")["13219"]
        young = komae_register["age65"] - komae_register["age75"]
        old = komae_register["age75"]
        komae = read_sheet(path, "第１号被保険者数")["狛江市"]
        assert abs(komae[("第１号被保険者数", "65歳以上75歳未満")] - young) <= 0.015 * young, fy
        assert abs(komae[("第１号被保険者数", "75歳以上")] - old) <= 0.015 * old, fy
        # 75+: 住所地特例 counts slightly more insured than residents
        assert komae[("第１号被保険者数", "75歳以上")] > old * 0.999


def _rate(sheets: dict, area: str) -> float:
    cert = sheets["認定"][area][("第１号被保険者", "計")]
    return cert / sheets["被保険者"][area][("第１号被保険者数", "計")]


def test_rates_and_amounts_are_plausible(annual):
    for fy, path in annual.items():
        sheets = {"認定": read_sheet(path, "要介護（要支援）認定者数"), "被保険者": read_sheet(path, "第１号被保険者数")}
        # 狛江市 about 23 % (its real January 2022 figure over its 65+), 東京都 about 20–21 %, 全国 about 19 %
        assert 0.215 <= _rate(sheets, "狛江市") <= 0.255, fy
        assert 0.185 <= _rate(sheets, "東京都計") <= 0.22, fy
        assert 0.18 <= _rate(sheets, "全国") <= 0.205, fy
        assert _rate(sheets, "全国") < _rate(sheets, "東京都計") < _rate(sheets, "狛江市")
        money = read_sheet(path, "保険給付費")["狛江市"]
        for group, sheet, low, high in (("居宅（介護予防）サービス", "居宅介護（介護予防）サービス受給者数", 90_000, 140_000),
                                        ("地域密着型（介護予防）サービス", "地域密着型（介護予防）サービス受給者数",
                                         140_000, 210_000),
                                        ("施設サービス", "施設介護サービス受給者数", 260_000, 380_000)):
            users = read_sheet(path, sheet)["狛江市"][("総数", "計")]
            per_month = money[(group, "小計")] * 1000 / users
            assert low <= per_month <= high, (fy, group, per_month)


def test_aggregates_are_the_sums_of_their_rows(annual):
    for path in (annual[2017], annual[2025], FOLDER / "kaigo_geppo_202609.xlsx"):
        for sheet in SHEET_NAMES[:5]:  # counts of people add up exactly
            rows = read_sheet(path, sheet)
            for key, total in rows["市部計"].items():
                parts = [rows[c][key] for c in CITIES]
                if total == "－":
                    assert set(parts) == {"－"}
                    continue
                assert total == sum(p for p in parts if p != "－"), (path.name, sheet, key)
                assert rows["東京都計"][key] == sum(rows[a][key] for a in ("区部計", "市部計", "町村部計"))


def test_services_that_did_not_exist_are_marked(annual):
    first = read_sheet(annual[2017], "施設介護サービス受給者数")["狛江市"]
    assert first[("総数", "介護医療院")] == "－" and first[("総数", "介護療養型医療施設")] > 0
    last = read_sheet(annual[2025], "保険給付費")["狛江市"]
    assert last[("施設サービス", "介護療養型医療施設")] == "－" and last[("施設サービス", "介護医療院")] > 0


def test_monthly_flows_are_about_a_twelfth_of_the_year(annual):
    year = read_sheet(annual[2025], "保険給付費")["狛江市"][("合計", "合計")]
    for m in range(4, 10):
        month = read_sheet(FOLDER / f"kaigo_geppo_2026{m:02d}.xlsx", "保険給付費")["狛江市"][("合計", "合計")]
        assert 0.95 * year / 12 <= month <= 1.06 * year / 12
