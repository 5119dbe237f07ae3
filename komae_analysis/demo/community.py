"""Demo 地域福祉・権利擁護 figures, in the layouts :mod:`komae_analysis.ingest.community` reads:

- ``seikatsu_hogo/hogo_geppo_FY<年度>.xlsx``: 生活福祉課's monthly 被保護世帯数・被保護実人員, one
  workbook per fiscal year 2017–2025 (months 4月 … 3月 and 月平均);
- ``community/chiiki_fukushi_toukei_<YYYYMMDD>.xlsx``: 福祉政策課's yearly workbook (生活困窮者自立支援,
  成年後見, 重層的支援体制整備事業, 民生委員・児童委員), 年度 2017–2025.

Everything is INVENTED. It is sized on the demo population (the register totals of
:func:`komae_analysis.demo.population_model.simulate`): 保護率 (月平均被保護実人員 ÷ the 1 January
register population inside the fiscal year × 1000) between 15 and 17 ‰ as in Tokyo's 市部, new
自立相談 consultations per 1,000 residents with the FY2020 surge of the pandemic (住居確保給付金,
特例貸付), 成年後見 petitions of about 0.3 per 1,000 residents a year (the national level), 民生委員
定数 75 raised to 77 at the 令和元年12月 一斉改選. 重層的支援体制整備事業 starts in FY2023: the
earlier years are 「－」 (not carried out), never zero. The calibration figures are listed in
data/raw/README.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from komae_analysis.calendar import wareki_date, wareki_fy, wareki_year
from komae_analysis.demo.city_yearly import DemoSheet, add_sheet, yearly_sheet
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, simulate

SEIHO_DIR = "seikatsu_hogo"
COMMUNITY_DIR = "community"
FISCAL_YEARS = tuple(range(2017, 2026))  # FY2017 … FY2025
EDITION = dt.date(2026, 5, 31)  # 福祉政策課's compilation after the FY2025 figures are in
MONTH_LABELS = tuple(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))

#: 保護率 (‰) by fiscal year: a slow rise to FY2022, then a slow fall (invented; 市部 level 15–17 ‰).
PROTECTION_RATE = (15.6, 15.8, 15.9, 16.2, 16.5, 16.6, 16.4, 16.3, 16.1)
#: 被保護実人員 per 被保護世帯 (single-person households grow: the ratio falls).
PERSONS_PER_HOUSEHOLD = (1.24, 1.23, 1.22, 1.21, 1.2, 1.19, 1.18, 1.18, 1.17)
#: 自立相談支援 per 1,000 residents: 新規相談受付件数, プラン作成件数 (the FY2020 surge).
NEW_CONSULTATIONS = (3.05, 3.2, 3.4, 10.9, 7.1, 4.9, 4.45, 4.3, 4.5)
PLANS = (0.75, 0.85, 0.9, 1.9, 1.6, 1.35, 1.3, 1.4, 1.45)
#: 成年後見 申立 by 類型 (件, 狛江市民), 市長申立, 報酬助成.
GUARDIANSHIP = {
    "後見開始": (17, 18, 16, 15, 18, 19, 18, 20, 19),
    "保佐開始": (4, 5, 5, 4, 5, 6, 6, 7, 8),
    "補助開始": (1, 1, 2, 1, 2, 2, 3, 2, 3),
    "任意後見監督人選任": (1, 0, 1, 1, 0, 1, 1, 1, 1),
}
MAYOR_PETITIONS = (4, 5, 5, 6, 6, 7, 8, 8, 9)
FEE_SUBSIDIES = (6, 8, 9, 11, 13, 15, 17, 19, 22)
#: 重層的支援体制整備事業 (from FY2023): 相談件数, 支援会議の開催回数.
JUUSOU_START = 2023
JUUSOU_CONSULTATIONS = (184, 263, 318)
JUUSOU_MEETINGS = (10, 16, 21)
#: 民生委員・児童委員 (各年度4月1日現在): 定数, 委嘱数, 相談・支援件数.
COMMISSIONERS_QUOTA = (75, 75, 75, 77, 77, 77, 77, 77, 77)
COMMISSIONERS = (72, 71, 70, 72, 73, 71, 69, 70, 68)
COMMISSIONER_CASES = (6120, 5980, 5870, 4210, 4650, 5120, 5340, 5260, 5410)


def register_population(seed: int) -> dict[int, int]:
    """Fiscal year → the demo register population on the 1 January inside it (FY2025 → 2026-01-01)."""
    pop = simulate(seed).register.sum(axis=(1, 2, 3))
    by_date = {d: int(n) for d, n in zip(DEMO_DATES, pop, strict=True)}
    return {fy: by_date[dt.date(fy + 1, 1, 1)] for fy in FISCAL_YEARS}


def _half_up(x: float) -> int:
    return int(Decimal(repr(x)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def monthly_protection(seed: int) -> dict[int, tuple[list[int], list[int]]]:
    """Fiscal year → (被保護世帯数, 被保護実人員) for 4月 … 3月: the monthly persons move around the
    level of the year's 保護率 × population (a small drift through the year and noise)."""
    rng = np.random.default_rng([seed, 801])
    pop = register_population(seed)
    out = {}
    for i, fy in enumerate(FISCAL_YEARS):
        level = PROTECTION_RATE[i] * pop[fy] / 1000
        nxt = PROTECTION_RATE[min(i + 1, len(FISCAL_YEARS) - 1)] * pop[fy] / 1000
        persons = [_half_up(level + (nxt - level) * (m - 5.5) / 12 + rng.normal(0, 3.0)) for m in range(12)]
        households = [_half_up(p / (PERSONS_PER_HOUSEHOLD[i] + rng.normal(0, 0.004))) for p in persons]
        out[fy] = (households, persons)
    return out


def seiho_workbook(fy: int, households: list[int], persons: list[int]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)

    def average(values: list[int]) -> int:
        return int((Decimal(sum(values)) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    add_sheet(wb, DemoSheet(
        name="被保護世帯数・人員",
        lines=(f"生活保護 月別被保護世帯数・被保護実人員（{wareki_fy(fy)}）", "狛江市 福祉保健部 生活福祉課",
               "（単位：世帯、人）"),
        labels=("区分",),
        group="",
        groups=((wareki_year(fy), 9), (wareki_year(fy + 1), 3)),
        periods=MONTH_LABELS,
        extra=("月平均",),
        rows=(("被保護世帯数", *households, average(households)),
              ("被保護実人員", *persons, average(persons))),
        notes=("注：被保護者調査（月次調査）の各月末日現在の値（保護停止中を含む）。月平均は4月～3月の平均（四捨五入）。",),
    ))
    return wb


def community_workbook(seed: int) -> Workbook:
    pop = register_population(seed)
    years = FISCAL_YEARS
    date_line = f"{wareki_date(EDITION)}現在"
    n = len(years)

    def per_thousand(rates: tuple[float, ...]) -> list[int]:
        return [_half_up(r * pop[fy] / 1000) for r, fy in zip(rates, years, strict=True)]

    petitions = [sum(GUARDIANSHIP[k][i] for k in GUARDIANSHIP) for i in range(n)]
    before = years.index(JUUSOU_START)
    dash = "－"  # full-width: the city writes 「－」 for a year the project did not run
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in (
        yearly_sheet(
            "生活困窮者自立支援", "生活困窮者自立相談支援事業の実績", date_line,
            "生活福祉課（自立相談支援機関の支援状況調査）", years,
            [("新規相談受付件数", "件", per_thousand(NEW_CONSULTATIONS)),
             ("プラン作成件数", "件", per_thousand(PLANS))],
            notes=("注：新規相談受付件数・プラン作成件数は生活困窮者自立支援制度の支援状況調査による年度の計。",),
        ),
        yearly_sheet(
            "成年後見", "成年後見制度の申立件数・市長申立・報酬助成", date_line,
            "福祉相談課・高齢障がい課（申立件数は東京家庭裁判所の資料による狛江市民分）", years,
            [("申立件数", "件", petitions),
             *((f"\u3000{k}", "件", v) for k, v in GUARDIANSHIP.items()),
             ("うち市長申立", "件", MAYOR_PETITIONS),
             ("報酬助成件数", "件", FEE_SUBSIDIES)],
            notes=("注：申立件数は後見開始・保佐開始・補助開始・任意後見監督人選任の申立ての合計（年度）。",),
        ),
        yearly_sheet(
            "重層的支援体制整備事業", "重層的支援体制整備事業の実績", date_line, "福祉相談課", years,
            [("相談件数", "件", [dash] * before + list(JUUSOU_CONSULTATIONS)),
             ("支援会議の開催回数", "回", [dash] * before + list(JUUSOU_MEETINGS))],
            notes=("注：令和5年度から実施。令和4年度以前は「－」（事業なし）。",),
        ),
        yearly_sheet(
            "民生委員・児童委員", "民生委員・児童委員の定数・委嘱数・活動件数", date_line,
            "福祉政策課（民生委員・児童委員協議会の活動記録）", years,
            [("定数", "人", COMMISSIONERS_QUOTA), ("委嘱数", "人", COMMISSIONERS),
             ("相談・支援件数", "件", COMMISSIONER_CASES)],
            notes=("注：定数・委嘱数は各年度4月1日現在（主任児童委員を含む）。相談・支援件数は年度の計。",),
        ),
    ):
        add_sheet(wb, sheet)
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of ``seikatsu_hogo/`` and ``community/`` (``komae demo-data`` calls this)."""
    written = []
    for fy, (households, persons) in monthly_protection(seed).items():
        data = workbook_bytes(seiho_workbook(fy, households, persons))
        written.append(write_bytes_atomic(out_dir / SEIHO_DIR / f"hogo_geppo_FY{fy}.xlsx", data))
    data = workbook_bytes(community_workbook(seed))
    written.append(write_bytes_atomic(out_dir / COMMUNITY_DIR / f"chiiki_fukushi_toukei_{EDITION:%Y%m%d}.xlsx", data))
    return written
