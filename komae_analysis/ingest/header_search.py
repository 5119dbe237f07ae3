"""Layout helpers of the 東京都 and e-Stat readers: 和暦 era years written without 年
(``昭和60／総数(人)``), the check of an area against the 東京都 area reference, and its parent areas.
A header is found by its labels with :func:`komae_analysis.ingest.common.find_row`.
"""

from __future__ import annotations

import re

from komae_analysis.calendar import western_year
from komae_analysis.ingest.common import Problems, clean_label
from komae_analysis.reference import TokyoArea, tokyo_areas

ERA_YEAR_RE = re.compile(r"(昭和|平成|令和)\s*(元|\d+)")


def era_year(era: str, n: int) -> int:
    """The Western year of era year ``n``: (昭和, 64) → 1989, (平成, 2) → 1990, (令和, 8) → 2026."""
    return western_year(era, n)


def parse_era_year(text: str) -> int | None:
    """The Western year of the first 和暦 era year in ``text`` (NFKC: full-width digits work), or None."""
    m = ERA_YEAR_RE.search(clean_label(text))
    if not m:
        return None
    return era_year(m.group(1), 1 if m.group(2) == "元" else int(m.group(2)))




def check_tokyo_area(
    problems: Problems,
    *,
    row: int,
    code: str,
    name: str,
    level: int | None,
    columns: tuple[str, str, str] = ("地域コード", "地域", "地域階層"),
) -> TokyoArea | None:
    """A known 5-digit 東京都 area code, with the name (and level, when given) the reference list
    (reference/tokyo_areas.csv) gives it. Returns the area, or None after recording the problem."""
    code_col, name_col, level_col = columns
    if not re.fullmatch(r"\d{5}", code):
        problems.add("地域コードは5桁の数字です", row=row, column=code_col,
                     expected="5桁の数字（例: 13219）", found=code or "（空欄）")
        return None
    ref = tokyo_areas()
    if code not in ref:
        problems.add(f"地域コード「{code}」は東京都の地域コードにありません", row=row, column=code_col,
                     expected="reference/tokyo_areas.csv にある地域コード", found=code)
        return None
    area = ref[code]
    ok = True
    if name != area.name:
        problems.add(f"地域名が地域コード「{code}」と合いません", row=row, column=name_col,
                     expected=area.name, found=name or "（空欄）")
        ok = False
    if level is not None and level != area.level:
        problems.add(f"地域階層が地域コード「{code}」（{area.name}）と合いません", row=row, column=level_col,
                     expected=area.level, found=level)
        ok = False
    return area if ok else None


def tokyo_children() -> dict[str, list[str]]:
    """Parent area code → the codes of its parts (reference/tokyo_areas.csv)."""
    out: dict[str, list[str]] = {}
    for area in tokyo_areas().values():
        if area.parent:
            out.setdefault(area.parent, []).append(area.code)
    return out


__all__ = ["ERA_YEAR_RE", "check_tokyo_area", "era_year", "parse_era_year", "tokyo_children"]
