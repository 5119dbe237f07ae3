"""Reference lists of areas, from the package's ``reference/`` files, with their source and date.

- :func:`tokyo_areas`: every area code of the 東京都 tables (総数, 区部 … 支庁, 区市町村);
  :func:`shibu_cities`: the 26 cities of 東京都市部 among them.
- :func:`komae_choume`: Komae's 41 町丁目 with their 日常生活圏域 (the ``area`` column);
  :func:`daily_life_areas`: the three 日常生活圏域 in the city's order, with the official names of
  their 地域包括支援センター and their towns.
- :func:`source_of`: where each list comes from and as of when (:data:`SOURCES`).

The readers check inputs against these lists, the demo generator builds on them, and the sections
take the 圏域 of each 町丁目 from the tidy frames (the readers attach it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ReferenceSource:
    """Where one reference list comes from: the 出典 wording and the date it is valid for."""

    file: str  # the CSV under reference/
    source_ja: str  # the publication (出典 wording, without 「出典：」)
    as_of_ja: str  # the date or edition the list reflects
    content_ja: str  # what of the publication the list takes

    def text(self) -> str:
        """One line: publication（date）— content."""
        return f"{self.source_ja}（{self.as_of_ja}）— {self.content_ja}"


#: The source and date of every reference list, by name (the CSV's stem).
SOURCES: dict[str, ReferenceSource] = {
    "komae_choume": ReferenceSource(
        file="komae_choume.csv",
        source_ja="狛江市「平成27年度 シルバーガイドブック」",
        as_of_ja="2015年",
        content_ja="日常生活圏域（地域包括支援センターの担当区域）",
    ),
    "tokyo_areas": ReferenceSource(
        file="tokyo_areas.csv",
        source_ja="東京都総務局統計部「住民基本台帳による東京都の世帯と人口」の地域区分",
        as_of_ja="令和8年1月1日現在",
        content_ja="地域階層・地域コード・地域名（総数、区部・市部・町村部、郡部・島部、支庁、区市町村）",
    ),
}


def source_of(name: str) -> str:
    """The source and date of a reference list, e.g. ``source_of("komae_choume")`` →
    「狛江市「平成27年度 シルバーガイドブック」（2015年）— 日常生活圏域（地域包括支援センターの担当区域）」.
    KeyError naming the known lists otherwise."""
    try:
        return SOURCES[name].text()
    except KeyError:
        raise KeyError(f"unknown reference list {name!r}; known: {', '.join(SOURCES)}") from None


@dataclass(frozen=True)
class TokyoArea:
    code: str
    name: str
    level: int
    parent: str | None


@dataclass(frozen=True)
class Choume:
    code: str
    town: str
    chome: int
    area: str  # the 日常生活圏域's key (DailyLifeArea.key)

    @property
    def label(self) -> str:
        return f"{self.code}（{self.town}{self.chome}丁目）"


@dataclass(frozen=True)
class DailyLifeArea:
    """One 日常生活圏域: the area of one 地域包括支援センター."""

    key: str  # short name, as komae_choume.csv's ``area`` column and the tidy frames hold it
    official_name: str  # the 地域包括支援センター's official name
    towns: tuple[str, ...]  # the 町 of the area, in the city's order


#: The three 日常生活圏域 in the city's order (source: :data:`SOURCES` ``["komae_choume"]``).
_DAILY_LIFE_AREAS = (
    DailyLifeArea("あいとぴあ", "あいとぴあ地域包括支援センター", ("中和泉", "西和泉", "元和泉", "東和泉")),
    DailyLifeArea("こまえ正吉苑", "地域包括支援センターこまえ正吉苑", ("和泉本町", "東野川", "西野川")),
    DailyLifeArea("こまえ苑", "地域包括支援センターこまえ苑", ("岩戸南", "岩戸北", "猪方", "駒井町")),
)

SHIBU_CODE = "13200"  # 市部 in tokyo_areas.csv


def daily_life_areas() -> list[DailyLifeArea]:
    """The 日常生活圏域 in the city's order: あいとぴあ, こまえ正吉苑, こまえ苑."""
    return list(_DAILY_LIFE_AREAS)


@lru_cache(maxsize=1)
def tokyo_areas() -> dict[str, TokyoArea]:
    """reference/tokyo_areas.csv: every area code of the 東京都 tables (総数, 区部 … 支庁, 区市町村)."""
    with open(REFERENCE_DIR / "tokyo_areas.csv", encoding="utf-8", newline="") as f:
        return {
            r["area_code"]: TokyoArea(
                r["area_code"], r["area_name"], int(r["area_level"]), r["parent_code"] or None
            )
            for r in csv.DictReader(f)
        }


def shibu_cities() -> list[TokyoArea]:
    """The 26 cities of 東京都市部 (the children of 市部 13200 in tokyo_areas.csv), in code order."""
    return sorted((a for a in tokyo_areas().values() if a.parent == SHIBU_CODE), key=lambda a: a.code)


@lru_cache(maxsize=1)
def komae_choume() -> dict[str, Choume]:
    """reference/komae_choume.csv: Komae's 41 町丁目 with their 日常生活圏域, in code order."""
    with open(REFERENCE_DIR / "komae_choume.csv", encoding="utf-8", newline="") as f:
        return {
            r["choume_code"]: Choume(r["choume_code"], r["town"], int(r["chome"]), r["area"])
            for r in csv.DictReader(f)
        }


__all__ = [
    "SOURCES",
    "Choume",
    "DailyLifeArea",
    "ReferenceSource",
    "TokyoArea",
    "daily_life_areas",
    "komae_choume",
    "shibu_cities",
    "source_of",
    "tokyo_areas",
]
