"""Demo 再犯防止 files: byte-reproducible, calibrated on the real national figures and 保護司 count,
consistent (parts add up to 総数, 再犯者 ≤ 検挙者). Read back with openpyxl."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from komae_analysis.demo import SEED
from komae_analysis.demo import recidivism as demo

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
#: 全国 刑法犯 再犯者率 2017–2023 (犯罪白書 平成30年版～令和6年版, 再犯防止推進白書): real
NATIONAL_RATES = ["48.7", "48.8", "48.8", "49.1", "48.6", "47.9", "47.0"]
#: 全国 刑法犯検挙人員 2017, 2018, 2019 and 2024 (犯罪白書): real
NATIONAL_ARRESTED = {2017: 215003, 2018: 206094, 2019: 192607, 2024: 191826}
#: 全国 再犯者数 2020, 2022, 2023 (再犯防止推進白書): real
NATIONAL_REPEAT = {2020: 89667, 2022: 81183, 2023: 86099}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    return demo.write(a, SEED), demo.write(b, SEED), a


def test_deterministic_and_equal_to_the_committed_files(written):
    first, second, out = written
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    for path in first:
        assert (RAW / path.relative_to(out)).read_bytes() == path.read_bytes(), path.name


def _moj(sheet: str) -> dict[tuple[str, str, str], list[int]]:
    wb = openpyxl.load_workbook(RAW / "moj_saihan" / "saihansha_keisatsusho_202510.xlsx", read_only=True)
    out, area, cat = {}, None, None
    for r in wb[sheet].iter_rows(min_row=7, values_only=True):
        if not r[2]:
            break
        area, cat = r[0] or area, r[1] or cat
        out[(area, cat, r[2])] = list(r[3:11])
    wb.close()
    return out


def test_national_figures_are_the_published_ones():
    m = _moj("罪種別")
    arrested, repeat = m[("全国", "総数", "検挙者")], m[("全国", "総数", "再犯者")]
    for i, expected in enumerate(NATIONAL_RATES):
        rate = (Decimal(repeat[i]) * 100 / arrested[i]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert str(rate) == expected, 2017 + i
    for year, n in NATIONAL_ARRESTED.items():
        assert arrested[year - 2017] == n
    for year, n in NATIONAL_REPEAT.items():
        assert repeat[year - 2017] == n


@pytest.mark.parametrize("sheet", ["罪種別", "年齢層別"])
def test_parts_add_up_and_repeat_within_arrested(sheet):
    m = _moj(sheet)
    for area in ("全国", "東京都", "調布警察署"):
        for kind in ("検挙者", "再犯者"):
            parts = [v for (a, c, k), v in m.items() if a == area and k == kind and c != "総数"]
            assert [sum(col) for col in zip(*parts, strict=True)] == m[(area, "総数", kind)]
        for (a, c, k), v in m.items():
            if a == area and k == "再犯者":
                assert all(r <= n for r, n in zip(v, m[(a, c, "検挙者")], strict=True))


def test_station_is_plausible_for_chofu_and_komae():
    """調布市 + 狛江市 (about 320,000 residents): a few hundred arrests a year, 再犯者率 near 45–51 %."""
    m = _moj("罪種別")
    arrested, repeat = m[("調布警察署", "総数", "検挙者")], m[("調布警察署", "総数", "再犯者")]
    assert all(350 <= n <= 600 for n in arrested)
    assert all(0.43 <= r / n <= 0.52 for r, n in zip(repeat, arrested, strict=True))


def test_probation_officers_on_2024_10_01():
    wb = openpyxl.load_workbook(RAW / "kousei_hogo" / "kousei_hogo_toukei_20260531.xlsx", read_only=True)
    rows = {r[0]: r for r in wb["保護司"].iter_rows(min_row=7, values_only=True) if r[0]}
    wb.close()
    assert rows["実数"][2 + 2024 - 2017] == 18  # 狛江分区保護司会 (real)
    assert all(a <= q for a, q in zip(rows["実数"][2:11], rows["定数"][2:11], strict=True))
