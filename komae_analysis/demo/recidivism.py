"""Demo 再犯防止 figures, in the layouts :mod:`komae_analysis.ingest.recidivism` reads:

- ``moj_saihan/saihansha_keisatsusho_<YYYYMM>.xlsx``: the 法務省 table of 刑法犯検挙者 and 再犯者 by
  罪種 and by 年齢層, 全国・東京都・調布警察署, 2017–2024 (sheets 罪種別, 年齢層別);
- ``kousei_hogo/kousei_hogo_toukei_<YYYYMMDD>.xlsx``: 福祉政策課's 更生保護 workbook (保護司,
  協力雇用主, 社会を明るくする運動), 年度 2017–2025.

The 全国 totals are REAL where they could be checked (data/raw/README.md lists each figure and where
it comes from: 犯罪白書, 再犯防止推進白書): 検挙者 2017–2019 and 2024, 再犯者 2020, 2022 and 2023, and
the 再犯者率 of 2017–2023 (48.7, 48.8, 48.8, 49.1, 48.6, 47.9, 47.0 ％); the other 全国 totals are
derived from them, the 2024 再犯者率 is invented. Everything else is INVENTED: 東京都 and
調布警察署管内 (調布市 + 狛江市) arrests per 1,000 residents of the demo population
(:func:`~komae_analysis.demo.population_model.simulate`), 再犯者率 near the national level, and the
parts by 罪種 and 年齢層 from typical shares, allocated so that they add up to the totals. 保護司 実数
is 18 on 2024-10-01 (real: 狛江分区保護司会).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from komae_analysis.calendar import wareki_date, wareki_year
from komae_analysis.demo.city_yearly import DemoSheet, add_sheet, yearly_sheet
from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, largest_remainder, simulate

MOJ_DIR = "moj_saihan"
REHAB_DIR = "kousei_hogo"
YEARS = tuple(range(2017, 2025))  # calendar years 2017 … 2024
FISCAL_YEARS = tuple(range(2017, 2026))
MOJ_EDITION = dt.date(2025, 10, 1)  # 「令和7年10月提供」
REHAB_EDITION = dt.date(2026, 5, 31)
STATION = "調布警察署"
AREAS = ("全国", "東京都", STATION)

# --- 全国 (real where checked; see the module docstring and data/raw/README.md)
NATIONAL_ARRESTED = (215003, 206094, 192607, 182582, 175041, 169409, 183269, 191826)
NATIONAL_RATE = (48.7, 48.8, 48.8, 49.1, 48.6, 47.9, 47.0, 46.6)  # 2024: invented
NATIONAL_REPEAT_REAL = {2020: 89667, 2022: 81183, 2023: 86099}

# --- invented: arrests per 1,000 residents and 再犯者率 (％)
TOKYO_PER_THOUSAND = (2.2, 2.12, 2.0, 1.9, 1.84, 1.8, 1.88, 1.95)
TOKYO_RATE = (45.9, 46.2, 46.5, 46.9, 46.3, 45.8, 45.1, 44.7)
STATION_PER_THOUSAND = (1.66, 1.6, 1.5, 1.42, 1.33, 1.28, 1.38, 1.44)
STATION_RATE = (46.3, 47.8, 45.5, 49.6, 50.8, 47.2, 44.9, 46.1)

CRIMES = ("凶悪犯", "粗暴犯", "窃盗犯", "知能犯", "風俗犯", "その他")
CRIME_SHARE = (0.022, 0.25, 0.48, 0.065, 0.028, 0.155)  # of 検挙者
CRIME_REPEAT = (0.52, 0.48, 0.5, 0.42, 0.4, 0.47)  # relative 再犯者率 by 罪種
AGES = ("20歳未満", "20～29歳", "30～39歳", "40～49歳", "50～59歳", "60～64歳", "65歳以上")
AGE_SHARE_2017 = (0.1, 0.16, 0.14, 0.16, 0.13, 0.07, 0.24)
AGE_SHARE_2024 = (0.09, 0.16, 0.12, 0.15, 0.15, 0.06, 0.27)  # older arrestees over time
AGE_REPEAT = (0.33, 0.4, 0.53, 0.57, 0.58, 0.55, 0.5)

#: 更生保護 (年度): 保護司 定数・実数 (各年度10月1日現在; 18 on 2024-10-01 is real), 協力雇用主,
#: 社会を明るくする運動 (the pandemic years held few events).
PROBATION_QUOTA = (21,) * 9
PROBATION_OFFICERS = (21, 20, 20, 19, 19, 19, 18, 18, 17)
EMPLOYERS = (7, 8, 8, 9, 10, 10, 11, 12, 13)
EMPLOYERS_HIRING = (1, 1, 2, 1, 1, 2, 2, 3, 2)
CAMPAIGN_EVENTS = (8, 8, 7, 2, 3, 6, 7, 8, 8)
CAMPAIGN_PARTICIPANTS = (1320, 1280, 1190, 140, 260, 780, 960, 1050, 1110)


def _population(seed: int, codes: tuple[str, ...]) -> dict[int, int]:
    pop = simulate(seed).total_age5
    years = [d.year for d in DEMO_DATES]
    totals = sum(pop[c].sum(axis=(1, 2)) for c in codes)
    return {y: int(totals[years.index(y)]) for y in YEARS}


def _national_repeat() -> tuple[int, ...]:
    out = []
    for year, n, rate in zip(YEARS, NATIONAL_ARRESTED, NATIONAL_RATE, strict=True):
        out.append(NATIONAL_REPEAT_REAL.get(year) or int(round(n * rate / 100)))
    return tuple(out)


def totals(seed: int) -> dict[str, list[tuple[int, int]]]:
    """Area → per year (検挙者, 再犯者)."""
    out = {"全国": list(zip(NATIONAL_ARRESTED, _national_repeat(), strict=True))}
    tokyo = _population(seed, ("13000",))
    station = _population(seed, ("13208", "13219"))
    for area, pop, per, rate in (("東京都", tokyo, TOKYO_PER_THOUSAND, TOKYO_RATE),
                                 (STATION, station, STATION_PER_THOUSAND, STATION_RATE)):
        rows = []
        for i, y in enumerate(YEARS):
            n = int(round(pop[y] * per[i] / 1000))
            rows.append((n, int(round(n * rate[i] / 100))))
        out[area] = rows
    return out


def _split(total: int, weights: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    w = weights * np.exp(rng.normal(0, noise, len(weights)))
    return largest_remainder(np.array([total]), w[None, :])[0]


def breakdown(seed: int) -> dict[str, dict[str, list[tuple[list[int], list[int]]]]]:
    """Area → {"罪種": per year (検挙者 by 罪種, 再犯者 by 罪種), "年齢層": the same by 年齢層}: parts that
    add up to the totals, 再犯者 ≤ 検挙者 in every cell."""
    rng = np.random.default_rng([seed, 901])
    out: dict[str, dict[str, list[tuple[list[int], list[int]]]]] = {}
    for area, rows in totals(seed).items():
        noise = 0.04 if area == "全国" else 0.1 if area == "東京都" else 0.18
        out[area] = {"罪種": [], "年齢層": []}
        for i, (n, r) in enumerate(rows):
            t = i / (len(YEARS) - 1)
            age_share = (1 - t) * np.array(AGE_SHARE_2017) + t * np.array(AGE_SHARE_2024)
            for key, share, repeat in (("罪種", np.array(CRIME_SHARE), np.array(CRIME_REPEAT)),
                                       ("年齢層", age_share, np.array(AGE_REPEAT))):
                while True:
                    arrested = _split(n, share, rng, noise)
                    repeated = _split(r, arrested * repeat, rng, noise / 2)
                    if (repeated <= arrested).all():
                        break
                out[area][key].append(([int(x) for x in arrested], [int(x) for x in repeated]))
    return out


def moj_workbook(seed: int) -> Workbook:
    tot = totals(seed)
    parts = breakdown(seed)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, key, label, categories in (("罪種別", "罪種", "罪種", CRIMES), ("年齢層別", "年齢層", "年齢層", AGES)):
        rows = []
        for area in AREAS:
            first = True
            for c_index, cat in enumerate(("総数", *categories)):
                for k_index, kind in enumerate(("検挙者", "再犯者")):
                    if c_index == 0:
                        values = [tot[area][i][k_index] for i in range(len(YEARS))]
                    else:
                        values = [parts[area][key][i][k_index][c_index - 1] for i in range(len(YEARS))]
                    rows.append((area if first else None, cat if k_index == 0 else None, kind, *values))
                    first = False
        add_sheet(wb, DemoSheet(
            name=sheet,
            lines=(f"刑法犯検挙者中の再犯者数（{label}別）",
                   f"警察庁の犯罪統計に基づき法務省が作成（{wareki_date(MOJ_EDITION, day=False)}提供）",
                   "（単位：人）"),
            labels=("地域", label, "区分"),
            group="年",
            periods=tuple(wareki_year(y) for y in YEARS),
            rows=tuple(rows),
            notes=("注：「再犯者」は、前に道路交通法違反を除く犯罪により検挙されたことがあり、再び検挙された者。",
                   "注：警察署の値は、その警察署が検挙した者の数（検挙地による）。"),
            merge_down=(0, 1),
        ))
    return wb


def rehab_workbook() -> Workbook:
    date_line = f"{wareki_date(REHAB_EDITION)}現在"
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in (
        yearly_sheet("保護司", "保護司の定数・実数（狛江分区保護司会）", date_line,
                     "狛江分区保護司会（東京保護観察所の資料による）", FISCAL_YEARS,
                     [("定数", "人", PROBATION_QUOTA), ("実数", "人", PROBATION_OFFICERS)],
                     notes=("注：各年度10月1日現在。",)),
        yearly_sheet("協力雇用主", "協力雇用主数（狛江市内の事業主）", date_line, "東京保護観察所", FISCAL_YEARS,
                     [("協力雇用主数", "社", EMPLOYERS), ("うち雇用実績のある事業主", "社", EMPLOYERS_HIRING)],
                     notes=("注：各年度4月1日現在の登録数。雇用実績は前年度中に保護観察対象者等を雇用した事業主。",)),
        yearly_sheet("社会を明るくする運動", "“社会を明るくする運動”の行事数・参加者数", date_line,
                     "社会を明るくする運動狛江市推進委員会（事務局：福祉政策課）", FISCAL_YEARS,
                     [("行事数", "回", CAMPAIGN_EVENTS), ("参加者数", "人", CAMPAIGN_PARTICIPANTS)],
                     notes=("注：強調月間（7月）を中心とした年度中の行事。",)),
    ):
        add_sheet(wb, sheet)
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of ``moj_saihan/`` and ``kousei_hogo/`` (``komae demo-data`` calls this)."""
    return [
        write_bytes_atomic(out_dir / MOJ_DIR / f"saihansha_keisatsusho_{MOJ_EDITION:%Y%m}.xlsx",
                           workbook_bytes(moj_workbook(seed))),
        write_bytes_atomic(out_dir / REHAB_DIR / f"kousei_hogo_toukei_{REHAB_EDITION:%Y%m%d}.xlsx",
                           workbook_bytes(rehab_workbook())),
    ]
