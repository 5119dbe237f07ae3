"""Demo 地域福祉・権利擁護 files: byte-reproducible, calibrated, consistent with the demo population.

Read back with openpyxl (not the package's readers); the calibration figures are written out here.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import community as demo

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
FYS = list(range(2017, 2026))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    return demo.write(a, SEED), demo.write(b, SEED), a


def test_deterministic_and_equal_to_the_committed_files(written):
    first, second, out = written
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    for path in first:
        assert (RAW / path.relative_to(out)).read_bytes() == path.read_bytes(), path.name
    assert sorted(p.name for p in (RAW / "seikatsu_hogo").iterdir()) == [f"hogo_geppo_FY{y}.xlsx" for y in FYS]


def _register_population(year: int) -> int:
    wb = openpyxl.load_workbook(RAW / "city_register" / f"juki_choume_age_{year}0101.xlsx", read_only=True)
    rows = list(wb["町丁目別世帯数"].iter_rows(min_row=6, values_only=True))
    wb.close()
    return next(r[6] for r in rows if r[0] == "合計")


def _monthly(fy: int) -> tuple[list[int], list[int], tuple[int, int]]:
    wb = openpyxl.load_workbook(RAW / "seikatsu_hogo" / f"hogo_geppo_FY{fy}.xlsx", read_only=True)
    ws = wb["被保護世帯数・人員"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=7, max_row=8, values_only=True)}
    wb.close()
    hh, persons = rows["被保護世帯数"], rows["被保護実人員"]
    return list(hh[1:13]), list(persons[1:13]), (hh[13], persons[13])


def test_protection_rate_is_that_of_a_tokyo_city():
    """保護率 15–17 ‰ of the register population on the 1 January inside each fiscal year."""
    for fy in FYS:
        hh, persons, _avg = _monthly(fy)
        rate = sum(persons) / 12 / _register_population(fy + 1) * 1000
        assert 15.0 <= rate <= 17.0, (fy, rate)
        assert all(1.1 < p / h < 1.3 for p, h in zip(persons, hh, strict=True))


def test_monthly_average_column_is_the_rounded_mean():
    for fy in FYS:
        hh, persons, (avg_hh, avg_p) = _monthly(fy)
        assert avg_hh == int(sum(hh) / 12 + 0.5) and avg_p == int(sum(persons) / 12 + 0.5)


def _sheet(name: str) -> dict[str, list]:
    wb = openpyxl.load_workbook(RAW / "community" / "chiiki_fukushi_toukei_20260531.xlsx", read_only=True)
    rows = list(wb[name].iter_rows(min_row=7, values_only=True))
    wb.close()
    return {str(r[0]).strip("\u3000"): list(r[2:11]) for r in rows if r[0] and r[1]}


def test_community_workbook_calibration_and_consistency():
    guard = _sheet("成年後見")
    for i in range(len(FYS)):
        parts = sum(guard[k][i] for k in ("後見開始", "保佐開始", "補助開始", "任意後見監督人選任"))
        assert guard["申立件数"][i] == parts and guard["うち市長申立"][i] <= parts
        # about 0.3 petitions per 1,000 residents a year (the national level)
        assert 0.2 <= guard["申立件数"][i] / _register_population(FYS[i] + 1) * 1000 <= 0.45
    juusou = _sheet("重層的支援体制整備事業")
    assert juusou["相談件数"][:6] == ["－"] * 6  # before FY2023: 「－」, not 0
    assert all(isinstance(v, int) and v > 0 for v in juusou["相談件数"][6:])
    members = _sheet("民生委員・児童委員")
    assert all(70 <= q <= 80 for q in members["定数"])
    assert all(m <= q for m, q in zip(members["委嘱数"], members["定数"], strict=True))
    consult = _sheet("生活困窮者自立支援")
    peak = max(range(len(FYS)), key=lambda i: consult["新規相談受付件数"][i])
    assert FYS[peak] == 2020  # the pandemic surge
