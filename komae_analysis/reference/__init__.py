"""Reference lists of areas, from the package's ``reference/`` files.

- :func:`tokyo_areas`: every area code of the 東京都 tables (総数, 区部 … 支庁, 区市町村).
- :func:`komae_choume`: Komae's 41 町丁目 with their 日常生活圏域 (the 地域包括支援センター areas;
  from a 2015 city guide — confirm with 高齢障がい課 before relying on it for planning).

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
    area: str

    @property
    def label(self) -> str:
        return f"{self.code}（{self.town}{self.chome}丁目）"


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


@lru_cache(maxsize=1)
def komae_choume() -> dict[str, Choume]:
    """reference/komae_choume.csv: Komae's 41 町丁目 with their 日常生活圏域, in code order."""
    with open(REFERENCE_DIR / "komae_choume.csv", encoding="utf-8", newline="") as f:
        return {
            r["choume_code"]: Choume(r["choume_code"], r["town"], int(r["chome"]), r["area"])
            for r in csv.DictReader(f)
        }
