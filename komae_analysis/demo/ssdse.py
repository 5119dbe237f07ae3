"""Demo SSDSE-A files (``ssdse_a/SSDSE-A-2023_demo.csv``, ``ssdse_a/SSDSE-A-2026_demo.csv``): the
layout :mod:`komae_analysis.ingest.ssdse` reads (data/raw/README.md, ``ssdse_a/``) — cp932, three
header lines (the edition and item codes, the year of each item, Japanese labels), one line per
municipality keyed ``R`` + the 5-digit code, in code order.

Everything here is INVENTED demo data, calibrated on a few real figures:

- The rows: every 東京都 市 (codes and names from ``reference.shibu_cities()``), 世田谷区, and a short
  list of real municipalities (:data:`OTHER_AREAS`: 団体コード and names, reference facts as
  総務省「全国地方公共団体コード」 and 統計センター SSDSE-A print them) — cities of 60,000–115,000
  people across Japan, some close to 狛江市 in size and 高齢化率 (so that the nationwide rule has
  candidates), a few 区・町・村 (which the rule must skip).
- 狛江市's census items are the real 令和2年国勢調査 figures (SSDSE-A-2023 and -2026): 総人口 84,772,
  65歳以上 19,961, 75歳以上 11,196, 世帯数 42,616, 一般世帯 42,578, 65歳以上世帯員の単独世帯 5,196 …
  (:data:`KOMAE`), and so are the other items the appendix compares (births, deaths, area, doctors,
  保育所等, 民生費 and 歳出 of both editions' years).
- The other 東京都 市 and 世田谷区 are the demo register (``population_model.simulate(seed)``) on
  1 January 2020 turned into census figures with 狛江市's real census/register ratios (total, 0–14,
  65+, 75+, foreign residents; the census counts people where they usually live on 1 October and
  includes 年齢「不詳」, so it is a little above the register), with a little noise.
- :data:`OTHER_AREAS` carry their real 2020 総人口 (rounded to hundreds) and 高齢化率 as anchors;
  noise is added, and everything else about them is invented.
- Households, vital events, area, finance, schools, doctors …: invented from each area's population
  and age structure with relations like the real 東京都市部 ones (e.g. the 単独世帯 share falls as
  persons per household rise; 65歳以上の単独世帯 rise with the 高齢化率).

Both editions hold the same census items (2020); the items of other years (出生数 2020 → 2023,
医師数 2020 → 2022, 市町村財政 2019 → 2022 …) drift between them. Deterministic: one random stream
per area, numbered by its code, so adding an area changes no other. The files' names say ``_demo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np

from komae_analysis.demo.io import csv_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, DemoPopulation, simulate
from komae_analysis.reference import shibu_cities, tokyo_areas

SSDSE_DIR = "ssdse_a"
EDITIONS = (2023, 2026)
CENSUS_DATE = dt.date(2020, 1, 1)  # the register date nearest the 2020 census (1 October 2020)


def filename(edition: int) -> str:
    return f"SSDSE-A-{edition}_demo.csv"


#: The item columns written: code, label (as SSDSE-A-2026 prints it), year in the 2023 and the 2026
#: edition (the real editions' years). A subset of the real editions' 125 items: every population
#: and household item, and a realistic set of the others.
COLUMNS: tuple[tuple[str, str, int, int], ...] = (
    ("A1101", "総人口", 2020, 2020),
    ("A110101", "総人口（男）", 2020, 2020),
    ("A110102", "総人口（女）", 2020, 2020),
    ("A1102", "日本人人口", 2020, 2020),
    ("A110201", "日本人人口（男）", 2020, 2020),
    ("A110202", "日本人人口（女）", 2020, 2020),
    ("A1301", "15歳未満人口", 2020, 2020),
    ("A130101", "15歳未満人口（男）", 2020, 2020),
    ("A130102", "15歳未満人口（女）", 2020, 2020),
    ("A1302", "15～64歳人口", 2020, 2020),
    ("A130201", "15～64歳人口（男）", 2020, 2020),
    ("A130202", "15～64歳人口（女）", 2020, 2020),
    ("A1303", "65歳以上人口", 2020, 2020),
    ("A130301", "65歳以上人口（男）", 2020, 2020),
    ("A130302", "65歳以上人口（女）", 2020, 2020),
    ("A1419", "75歳以上人口", 2020, 2020),
    ("A141901", "75歳以上人口（男）", 2020, 2020),
    ("A141902", "75歳以上人口（女）", 2020, 2020),
    ("A1700", "外国人人口", 2020, 2020),
    ("A4101", "出生数", 2020, 2023),
    ("A4200", "死亡数", 2020, 2023),
    ("A5101", "転入者数（日本人移動者）", 2021, 2024),
    ("A5102", "転出者数（日本人移動者）", 2021, 2024),
    ("A7101", "世帯数", 2020, 2020),
    ("A710101", "一般世帯数", 2020, 2020),
    ("A710201", "一般世帯人員数", 2020, 2020),
    ("A810102", "核家族世帯数", 2020, 2020),
    ("A810105", "単独世帯数", 2020, 2020),
    ("A811102", "65歳以上の世帯員のいる核家族世帯数", 2020, 2020),
    ("A8201", "夫65歳以上、妻60歳以上の夫婦のみの世帯数", 2020, 2020),
    ("A8301", "65歳以上世帯員の単独世帯数", 2020, 2020),
    ("A9101", "婚姻件数", 2020, 2023),
    ("A9201", "離婚件数", 2020, 2023),
    ("B1101", "総面積（北方地域及び竹島を除く）", 2021, 2024),
    ("B1103", "可住地面積", 2021, 2024),
    ("C2108", "事業所数（民営）", 2016, 2021),
    ("C2208", "従業者数（民営）", 2016, 2021),
    ("D1202", "一般行政部門職員数（市区町村）", 2021, 2024),
    ("D2203", "経常収支比率（市町村財政）", 2019, 2022),
    ("D2211", "実質公債費比率（市町村財政）", 2019, 2022),
    ("D3201", "歳入決算総額（市町村財政）", 2019, 2022),
    ("D320101", "地方税（市町村財政）", 2019, 2022),
    ("D3203", "歳出決算総額（市町村財政）", 2019, 2022),
    ("D320303", "民生費（市町村財政）", 2019, 2022),
    ("D320308", "土木費（市町村財政）", 2019, 2022),
    ("D320310", "教育費（市町村財政）", 2019, 2022),
    ("D320311", "災害復旧費（市町村財政）", 2019, 2022),
    ("E1101", "幼稚園数", 2021, 2024),
    ("E2101", "小学校数", 2021, 2024),
    ("E2501", "小学校児童数", 2021, 2024),
    ("E3101", "中学校数", 2021, 2024),
    ("E3501", "中学校生徒数", 2021, 2024),
    ("F1102", "就業者数", 2020, 2020),
    ("F1107", "完全失業者数", 2020, 2020),
    ("F1108", "非労働力人口", 2020, 2020),
    ("F2201", "第1次産業就業者数", 2020, 2020),
    ("F2211", "第2次産業就業者数", 2020, 2020),
    ("F2221", "第3次産業就業者数", 2020, 2020),
    ("G1201", "公民館数", 2018, 2021),
    ("G1401", "図書館数", 2018, 2021),
    ("I510120", "一般病院数", 2020, 2023),
    ("I5102", "一般診療所数", 2020, 2023),
    ("I5103", "歯科診療所数", 2020, 2023),
    ("I6100", "医師数", 2020, 2022),
    ("I6200", "歯科医師数", 2020, 2022),
    ("I6300", "薬剤師数", 2020, 2022),
    ("J250302", "保育所等数（基本票）", 2020, 2023),
)
#: The 2023 edition writes these digits full width (第１次産業就業者数): kept as published.
_LABELS_2023 = {"F2201": "第１次産業就業者数", "F2211": "第２次産業就業者数", "F2221": "第３次産業就業者数"}
#: Items that are ratios with one decimal (the others are counts, 千円 or ha).
_DECIMAL = frozenset({"D2203", "D2211"})

# --------------------------------------------------------------------------------------------
# Calibration anchors (real published figures)
# --------------------------------------------------------------------------------------------

KOMAE_CODE = "13219"
#: 狛江市, 令和2年国勢調査 items of SSDSE-A (both editions; real).
KOMAE_CENSUS = {
    "A1101": 84772, "A110101": 41043, "A110102": 43729, "A1102": 81557, "A110201": 39335, "A110202": 42222,
    "A1301": 9736, "A130101": 5028, "A130102": 4708, "A1302": 52699, "A130201": 26208, "A130202": 26491,
    "A1303": 19961, "A130301": 8461, "A130302": 11500, "A1419": 11196, "A141901": 4273, "A141902": 6923,
    "A1700": 1159, "A7101": 42616, "A710101": 42578, "A710201": 83588, "A810102": 20705, "A810105": 20347,
    "A811102": 7513, "A8201": 3820, "A8301": 5196,
}
#: 狛江市, the other items the appendix compares, by year (real; SSDSE-A-2023 and SSDSE-A-2026).
KOMAE_BY_YEAR = {
    ("A4101", 2020): 619, ("A4101", 2023): 474, ("A4200", 2020): 763, ("A4200", 2023): 898,
    ("B1101", 2021): 639, ("B1101", 2024): 639, ("B1103", 2021): 638, ("B1103", 2024): 638,
    ("I6100", 2020): 292, ("I6100", 2022): 313, ("J250302", 2020): 21, ("J250302", 2023): 21,
    ("D3203", 2019): 28875637, ("D3203", 2022): 34955048, ("D320303", 2019): 15494486, ("D320303", 2022): 18000880,
}

#: Other municipalities: 団体コード, 都道府県, name (reference facts, as 総務省「全国地方公共団体コード」
#: and 統計センター SSDSE-A print them), and their real 令和2年国勢調査 総人口 (rounded to hundreds) and
#: 高齢化率 (rounded to 3 decimals), the anchors of their invented figures. Cities of 60,000–115,000
#: people (the first such 市 of each 都道府県 in code order, and cities close to 狛江市 in size and
#: 高齢化率), two larger and one smaller 市, and a few 区・町・村.
OTHER_AREAS: tuple[tuple[str, str, str, int, float], ...] = (
    ("01203", "北海道", "小樽市", 111300, 0.408),
    ("01631", "北海道", "音更町", 43600, 0.296),
    ("02206", "青森県", "十和田市", 60400, 0.337),
    ("03205", "岩手県", "花巻市", 93200, 0.346),
    ("04205", "宮城県", "気仙沼市", 61100, 0.383),
    ("04207", "宮城県", "名取市", 78700, 0.227),
    ("05203", "秋田県", "横手市", 85600, 0.390),
    ("06202", "山形県", "米沢市", 81300, 0.311),
    ("07207", "福島県", "須賀川市", 75000, 0.283),
    ("08205", "茨城県", "石岡市", 73100, 0.328),
    ("08232", "茨城県", "神栖市", 95500, 0.232),
    ("09205", "栃木県", "鹿沼市", 94000, 0.303),
    ("10203", "群馬県", "桐生市", 106400, 0.361),
    ("11206", "埼玉県", "行田市", 78600, 0.318),
    ("11223", "埼玉県", "蕨市", 74300, 0.232),
    ("11228", "埼玉県", "志木市", 75300, 0.248),
    ("11234", "埼玉県", "八潮市", 93400, 0.228),
    ("12210", "千葉県", "茂原市", 86800, 0.332),
    ("13101", "東京都", "千代田区", 66700, 0.163),
    ("13303", "東京都", "瑞穂町", 31800, 0.300),
    ("13307", "東京都", "檜原村", 2000, 0.528),
    ("14214", "神奈川県", "伊勢原市", 101800, 0.261),
    ("14217", "神奈川県", "南足柄市", 40800, 0.329),
    ("15204", "新潟県", "三条市", 94600, 0.330),
    ("16211", "富山県", "射水市", 90700, 0.306),
    ("17203", "石川県", "小松市", 106200, 0.287),
    ("18202", "福井県", "敦賀市", 64300, 0.287),
    ("19208", "山梨県", "南アルプス市", 69500, 0.278),
    ("20205", "長野県", "飯田市", 98200, 0.326),
    ("21203", "岐阜県", "高山市", 84400, 0.333),
    ("22206", "静岡県", "三島市", 107800, 0.294),
    ("22216", "静岡県", "袋井市", 87900, 0.243),
    ("23208", "愛知県", "津島市", 60900, 0.300),
    ("23209", "愛知県", "碧南市", 72500, 0.238),
    ("23234", "愛知県", "北名古屋市", 86400, 0.241),
    ("24208", "三重県", "名張市", 76400, 0.325),
    ("25202", "滋賀県", "彦根市", 113600, 0.249),
    ("26201", "京都府", "福知山市", 77300, 0.297),
    ("26211", "京都府", "京田辺市", 73800, 0.235),
    ("26214", "京都府", "木津川市", 77900, 0.246),
    ("27204", "大阪府", "池田市", 105000, 0.265),
    ("27220", "大阪府", "箕面市", 136900, 0.258),
    ("28206", "兵庫県", "芦屋市", 93900, 0.294),
    ("28214", "兵庫県", "宝塚市", 226400, 0.281),
    ("29202", "奈良県", "大和高田市", 61700, 0.313),
    ("29210", "奈良県", "香芝市", 78100, 0.236),
    ("30203", "和歌山県", "橋本市", 60800, 0.331),
    ("33203", "岡山県", "津山市", 99900, 0.306),
    ("34204", "広島県", "三原市", 90600, 0.355),
    ("35206", "山口県", "防府市", 114000, 0.307),
    ("36204", "徳島県", "阿南市", 69500, 0.333),
    ("37202", "香川県", "丸亀市", 109500, 0.287),
    ("38203", "愛媛県", "宇和島市", 70800, 0.398),
    ("40202", "福岡県", "大牟田市", 111300, 0.371),
    ("41203", "佐賀県", "鳥栖市", 74200, 0.242),
    ("42205", "長崎県", "大村市", 95400, 0.252),
    ("43206", "熊本県", "玉名市", 64300, 0.342),
    ("44203", "大分県", "中津市", 82900, 0.300),
    ("46203", "鹿児島県", "鹿屋市", 101100, 0.296),
    ("47205", "沖縄県", "宜野湾市", 100100, 0.189),
    ("47325", "沖縄県", "嘉手納町", 13500, 0.242),
)
SETAGAYA_CODE = "13112"

# --------------------------------------------------------------------------------------------
# The census population of each area
# --------------------------------------------------------------------------------------------


def _groups(age5: np.ndarray) -> dict[str, np.ndarray]:
    """Register 5-year classes (21, 2: 男, 女) → by sex: total, 0–14, 65+, 75+."""
    return {"total": age5.sum(axis=0), "0-14": age5[:3].sum(axis=0), "65+": age5[13:].sum(axis=0),
            "75+": age5[15:].sum(axis=0)}


def _split(total: int, shares: np.ndarray) -> tuple[int, int]:
    male = int(round(total * float(shares[0] / shares.sum())))
    return male, total - male


def _census_from_register(age5: np.ndarray, foreign: int, factors: dict[str, float],
                          rng: np.random.Generator) -> dict[str, int]:
    """A 東京都 area's census items from its demo register on 1 January 2020: each group × 狛江市's
    census/register ratio × a little noise, split by sex like the register; 年齢不詳 and 国籍不詳 as
    small invented shares."""
    g = _groups(age5)
    out: dict[str, int] = {}
    total = int(round(g["total"].sum() * factors["total"] * rng.normal(1, 0.004)))
    young = int(round(g["0-14"].sum() * factors["0-14"] * rng.normal(1, 0.006)))
    aged = int(round(g["65+"].sum() * factors["65+"] * rng.normal(1, 0.006)))
    late = int(round(g["75+"].sum() * factors["75+"] * rng.normal(1, 0.008)))
    unknown_age = int(round(total * rng.uniform(0.01, 0.04)))
    out["A1101"] = total
    out["A110101"], out["A110102"] = _split(total, g["total"])
    out["A1301"] = young
    out["A130101"], out["A130102"] = _split(young, g["0-14"])
    out["A1303"] = aged
    out["A130301"], out["A130302"] = _split(aged, g["65+"])
    out["A1419"] = late
    out["A141901"], out["A141902"] = _split(late, g["75+"])
    out["A1302"] = total - young - aged - unknown_age
    out["A130201"] = out["A110101"] - out["A130101"] - out["A130301"] - int(round(unknown_age * 0.55))
    out["A130202"] = out["A1302"] - out["A130201"]
    out["A1700"] = int(round(foreign * factors["foreign"] * rng.normal(1, 0.02)))
    return out


def _census_invented(pop: int, aging: float, rng: np.random.Generator) -> dict[str, int]:
    """An area of :data:`OTHER_AREAS`: its anchors with noise, the rest invented."""
    total = int(round(pop * rng.normal(1, 0.015)))
    aging = float(np.clip(aging + rng.normal(0, 0.005), 0.1, 0.6))
    aged = int(round(total * aging))
    late = int(round(aged * rng.uniform(0.49, 0.58)))
    young = int(round(total * np.clip(rng.normal(0.125 - 0.15 * (aging - 0.27), 0.01), 0.05, 0.18)))
    unknown_age = int(round(total * rng.uniform(0.002, 0.02)))
    male_share = rng.uniform(0.475, 0.505)
    out = {"A1101": total, "A1303": aged, "A1419": late, "A1301": young}
    out["A110101"] = int(round(total * male_share))
    out["A110102"] = total - out["A110101"]
    out["A130101"] = int(round(young * 0.512))
    out["A130102"] = young - out["A130101"]
    out["A130301"] = int(round(aged * rng.uniform(0.42, 0.46)))
    out["A130302"] = aged - out["A130301"]
    out["A141901"] = int(round(late * rng.uniform(0.37, 0.41)))
    out["A141902"] = late - out["A141901"]
    out["A1302"] = total - young - aged - unknown_age
    out["A130201"] = out["A110101"] - out["A130101"] - out["A130301"] - int(round(unknown_age * 0.55))
    out["A130202"] = out["A1302"] - out["A130201"]
    out["A1700"] = int(round(total * rng.uniform(0.004, 0.03)))
    return out


# --------------------------------------------------------------------------------------------
# The other items
# --------------------------------------------------------------------------------------------


def _invented_items(c: dict[str, int], tokyo: bool, rng: np.random.Generator) -> dict[tuple[str, int], float]:
    """Every non-population item of one area, per (code, year) for both editions' years, invented
    from the area's census population with relations like the real 東京都市部 ones."""
    pop, aged, young = c["A1101"], c["A1303"], c["A1301"]
    aging, youth = aged / pop, young / pop
    out: dict[tuple[str, int], float] = {}

    def both(code: str, value: float, drift: float = 1.0) -> None:
        y23, y26 = _YEARS[code]
        out[(code, y23)] = value
        out[(code, y26)] = value * drift

    # households (census, 2020)
    pph = float(np.clip(rng.normal(2.1 if tokyo else 2.35, 0.11 if tokyo else 0.13), 1.85, 2.9))
    persons = int(round(pop * (1 - rng.uniform(0.008, 0.025))))
    general = int(round(persons / pph))
    single = float(np.clip(0.41 - 0.436 * (pph - 2.12) + rng.normal(0, 0.015), 0.15, 0.6))
    other = rng.uniform(0.03, 0.06) if tokyo else rng.uniform(0.05, 0.12)
    single65 = aging * float(np.clip(0.15 + 0.75 * single + rng.normal(0, 0.03), 0.2, 0.7))
    couple65 = aging * float(np.clip(0.62 - 0.5 * single + rng.normal(0, 0.03), 0.25, 0.7))
    both("A710101", general)
    both("A710201", persons)
    both("A7101", general + int(round(general * rng.uniform(0.0005, 0.002))))
    both("A810105", general * single)
    both("A810102", general * (1 - single - other))
    both("A8301", general * single65)
    both("A8201", general * couple65)
    both("A811102", general * aging * rng.uniform(0.68, 0.8))
    # vital events and movement (2020/2021 → 2023/2024)
    both("A4101", pop * youth * 0.063 * rng.normal(1, 0.06), rng.normal(0.8, 0.04))
    both("A4200", pop * aging * 0.038 * rng.normal(1, 0.05), rng.normal(1.17, 0.03))
    moved_in = pop * rng.uniform(0.035, 0.06)
    both("A5101", moved_in, rng.normal(1.0, 0.03))
    both("A5102", moved_in * rng.normal(1.0, 0.04), rng.normal(1.0, 0.03))
    both("A9101", pop * rng.uniform(0.0035, 0.0045), rng.normal(0.88, 0.03))
    both("A9201", pop * rng.uniform(0.001, 0.0015), rng.normal(0.95, 0.03))
    # area (ha) and 可住地
    density = float(np.exp(rng.normal(np.log(80), 0.5))) if tokyo else float(np.exp(rng.normal(np.log(18), 0.9)))
    area = pop / float(np.clip(density, 2.0, 150.0))
    both("B1101", area)
    both("B1103", area * rng.uniform(0.55, 1.0) if density < 60 else area * rng.uniform(0.95, 1.0))
    # establishments and finance (千円)
    firms = pop * rng.uniform(0.025, 0.045)
    both("C2108", firms, rng.normal(0.97, 0.03))
    both("C2208", firms * rng.uniform(8, 14), rng.normal(1.02, 0.03))
    both("D1202", pop * rng.uniform(0.0035, 0.0055), rng.normal(1.03, 0.02))
    both("D2203", rng.normal(91, 3), rng.normal(0.97, 0.02))
    both("D2211", rng.normal(3, 2), rng.normal(0.8, 0.1))
    spending = pop * rng.uniform(330, 420)
    drift = rng.normal(1.18, 0.04)
    both("D3203", spending, drift)
    both("D3201", spending * rng.uniform(1.02, 1.06), drift)
    both("D320101", pop * (rng.uniform(130, 170) if tokyo else rng.uniform(110, 150)), rng.normal(1.05, 0.02))
    welfare = float(np.clip(rng.normal(0.48 if tokyo else 0.39, 0.03), 0.25, 0.6))
    both("D320303", spending * welfare, drift * rng.normal(1.0, 0.03))
    both("D320308", spending * rng.uniform(0.06, 0.12), drift)
    both("D320310", spending * rng.uniform(0.08, 0.13), drift)
    both("D320311", 0.0 if rng.uniform() < 0.8 else spending * rng.uniform(0.0, 0.004))
    # schools, labour force, facilities
    both("E1101", pop / rng.uniform(8000, 20000), rng.normal(0.9, 0.05))
    both("E2101", pop / rng.uniform(8000, 14000))
    both("E2501", pop * rng.uniform(0.045, 0.055), rng.normal(0.97, 0.02))
    both("E3101", pop / rng.uniform(15000, 25000))
    both("E3501", pop * rng.uniform(0.022, 0.028), rng.normal(1.0, 0.02))
    workers = pop * rng.uniform(0.44, 0.5)
    primary = workers * (rng.uniform(0.002, 0.01) if tokyo else rng.uniform(0.02, 0.08))
    secondary = workers * (rng.uniform(0.12, 0.2) if tokyo else rng.uniform(0.2, 0.32))
    both("F1102", workers)
    both("F1107", workers * rng.uniform(0.03, 0.045))
    both("F1108", pop * rng.uniform(0.24, 0.3))
    both("F2201", primary)
    both("F2211", secondary)
    both("F2221", workers - primary - secondary - workers * rng.uniform(0.02, 0.06))
    both("G1201", rng.integers(0, 6), 1.0)
    both("G1401", rng.integers(1, 6), 1.0)
    both("I510120", pop / rng.uniform(20000, 60000), rng.normal(0.98, 0.03))
    both("I5102", pop / rng.uniform(1100, 1600), rng.normal(1.03, 0.02))
    both("I5103", pop / rng.uniform(1800, 2500), rng.normal(0.99, 0.02))
    doctors = pop * float(np.exp(rng.normal(np.log(190e-5 if tokyo else 160e-5), 0.45)))
    both("I6100", doctors, rng.uniform(1.0, 1.08))
    both("I6200", pop * rng.uniform(55e-5, 90e-5), rng.uniform(0.98, 1.05))
    both("I6300", pop * rng.uniform(150e-5, 250e-5), rng.uniform(1.0, 1.06))
    both("J250302", young * float(np.clip(rng.normal(18e-4 if tokyo else 15e-4, 4e-4), 6e-4, 30e-4)),
         rng.uniform(1.0, 1.1))
    return out


_YEARS = {code: (y23, y26) for code, _label, y23, y26 in COLUMNS}


# --------------------------------------------------------------------------------------------
# Areas and files
# --------------------------------------------------------------------------------------------


def _register_2020(pop: DemoPopulation) -> tuple[int, Callable[[str], tuple[np.ndarray, int]]]:
    i = DEMO_DATES.index(CENSUS_DATE)

    def of(code: str) -> tuple[np.ndarray, int]:
        return pop.total_age5[code][i], int(pop.foreign_age5[code][i].sum())

    return i, of


def _komae_factors(pop: DemoPopulation) -> dict[str, float]:
    """狛江市's real census figures over its demo register on 1 January 2020, per group."""
    _i, of = _register_2020(pop)
    age5, foreign = of(KOMAE_CODE)
    g = _groups(age5)
    return {
        "total": KOMAE_CENSUS["A1101"] / g["total"].sum(),
        "0-14": KOMAE_CENSUS["A1301"] / g["0-14"].sum(),
        "65+": KOMAE_CENSUS["A1303"] / g["65+"].sum(),
        "75+": KOMAE_CENSUS["A1419"] / g["75+"].sum(),
        "foreign": KOMAE_CENSUS["A1700"] / foreign,
    }


def _japanese(c: dict[str, int], rng: np.random.Generator) -> None:
    """日本人人口: total − foreign − 国籍不詳 (a small invented share), split by sex like the total."""
    japanese = c["A1101"] - c["A1700"] - int(round(c["A1101"] * rng.uniform(0.005, 0.025)))
    c["A1102"] = japanese
    c["A110201"] = int(round(japanese * c["A110101"] / c["A1101"]))
    c["A110202"] = japanese - c["A110201"]


def areas(seed: int) -> list[tuple[str, str, str, dict[tuple[str, int], float]]]:
    """Every demo area in code order: (code, 都道府県, name, {(item code, year): value})."""
    pop = simulate(seed)
    factors = _komae_factors(pop)
    _i, register = _register_2020(pop)
    ref = tokyo_areas()
    specs: list[tuple[str, str, str, Callable[[np.random.Generator], dict[str, int]], bool]] = []
    for city in shibu_cities():
        if city.code == KOMAE_CODE:
            specs.append((city.code, "東京都", city.name, lambda rng: dict(KOMAE_CENSUS), True))
        else:
            specs.append((city.code, "東京都", city.name,
                          lambda rng, code=city.code: _census_from_register(*register(code), factors, rng), True))
    specs.append((SETAGAYA_CODE, "東京都", ref[SETAGAYA_CODE].name,
                  lambda rng: _census_from_register(*register(SETAGAYA_CODE), factors, rng), True))
    for code, pref, name, anchor_pop, anchor_aging in OTHER_AREAS:
        specs.append((code, pref, name,
                      lambda rng, p=anchor_pop, a=anchor_aging: _census_invented(p, a, rng),
                      pref == "東京都" and name.endswith(("市", "区"))))
    out = []
    for code, pref, name, census, tokyo in sorted(specs, key=lambda s: s[0]):
        rng = np.random.default_rng([seed, 7_7, int(code)])
        c = census(rng)
        if code != KOMAE_CODE:
            _japanese(c, rng)
        values: dict[tuple[str, int], float] = {}
        for item, (y23, y26) in _YEARS.items():
            if item in c:
                values[(item, y23)] = values[(item, y26)] = c[item]
        invented = _invented_items(c, tokyo, rng)
        if code == KOMAE_CODE:
            invented = {k: v for k, v in invented.items() if k[0] not in KOMAE_CENSUS}
            invented.update(KOMAE_BY_YEAR)
        else:
            invented = {k: v for k, v in invented.items() if k[0] not in c}
        values.update(invented)
        out.append((code, pref, name, values))
    return out


def _cell(code: str, value: float) -> str:
    if code in _DECIMAL:
        return f"{value:.1f}"
    return str(int(round(value)))


def edition_rows(edition: int, all_areas: list[tuple[str, str, str, dict[tuple[str, int], float]]]) -> list[list[str]]:
    """The rows of one edition's file: three header lines, then one line per area."""
    col = 0 if edition == 2023 else 1
    codes = [c for c, *_ in COLUMNS]
    years = [(y23, y26)[col] for _c, _l, y23, y26 in COLUMNS]
    labels = [_LABELS_2023.get(c, label) if edition == 2023 else label for c, label, *_ in COLUMNS]
    rows = [
        [f"SSDSE-A-{edition}", "Prefecture", "Municipality", *codes],
        ["", "", "年度", *map(str, years)],
        ["地域コード", "都道府県", "市区町村", *labels],
    ]
    for code, pref, name, values in all_areas:
        rows.append([f"R{code}", pref, name, *(_cell(c, values[(c, y)]) for c, y in zip(codes, years, strict=True))])
    return rows


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source, oldest edition first (``komae demo-data`` calls every demo
    module's ``write``)."""
    all_areas = areas(seed)
    written = []
    for edition in EDITIONS:
        data = csv_bytes(edition_rows(edition, all_areas), encoding="cp932", newline="\n")
        written.append(write_bytes_atomic(Path(out_dir) / SSDSE_DIR / filename(edition), data))
    return written
