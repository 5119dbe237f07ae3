"""和暦 ↔ 西暦, fiscal years and plan terms.

Japanese fiscal years run April–March: 令和N年度 = FY 2018+N (FY2019 is 令和元年度, although
1 April 2019 itself was still 平成31年; 令和 began on 1 May 2019).

Plan terms: care insurance 第N期 covers FY 2018+3(N-7) … +2; the disability
welfare plan 第M期 = care term − 2, the child disability plan 第K期 = care term − 6. Each term is
formulated in the fiscal year before it starts, and at formulation time the last year of the
running term has no full actuals: it is a 見込 (see docs/domain.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# (era name, first day, first Western year). Newest first.
ERAS: tuple[tuple[str, dt.date], ...] = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
)

_ERA_START_YEAR = {name: start.year for name, start in ERAS}
_ERA_ABBREVIATIONS = {"R": "令和", "H": "平成", "S": "昭和"}


def western_year(era: str, n: int | str) -> int:
    """The Western year of 和暦 year ``n`` of ``era`` (the one place this is computed): (昭和, 60) →
    1985, (昭和, 64) → 1989, (平成, 31) → 2019, (令和, "元") → 2019, (R, 8) → 2026. ``era`` is 令和, 平成,
    昭和 or their letters R, H, S (either case); ``n`` an int, a digit string or 「元」."""
    name = _ERA_ABBREVIATIONS.get(era.upper(), era)
    if name not in _ERA_START_YEAR:
        raise ValueError(f"元号「{era}」には対応していません")
    number = 1 if n == "元" else int(n)
    return _ERA_START_YEAR[name] + number - 1


def era_of(date: dt.date) -> tuple[str, int]:
    """The era and era year of a calendar date: 2019-04-30 → (平成, 31); 2019-05-01 → (令和, 1)."""
    for name, start in ERAS:
        if date >= start:
            return name, date.year - start.year + 1
    raise ValueError(f"昭和より前の日付には対応していません: {date}")


def _year_text(n: int) -> str:
    return "元" if n == 1 else str(n)


def wareki_date(date: dt.date, *, day: bool = True) -> str:
    """令和8年1月1日 (or 令和8年1月 with ``day=False``)."""
    era, n = era_of(date)
    text = f"{era}{_year_text(n)}年{date.month}月"
    return text + f"{date.day}日" if day else text


def wareki_year(year: int) -> str:
    """The era name of a calendar year as used for annual figures: the era in force on 1 January,
    except 2019, which is written 令和元年 (the convention for years that changed era)."""
    era, n = era_of(dt.date(year, 12, 31))
    return f"{era}{_year_text(n)}年"


def fiscal_year_of(date: dt.date) -> int:
    """The fiscal year a date belongs to (April–March): 2026-03-31 → 2025."""
    return date.year if date.month >= 4 else date.year - 1


def wareki_fy(fy: int, *, western: bool = False) -> str:
    """令和8年度 for FY2026; FY2019 → 令和元年度; FY2018 → 平成30年度.

    A fiscal year is named after the calendar year it starts in, in the era that year ends in, so
    FY2019 (April 2019 – March 2020) is 令和元年度 although 1 April 2019 was still 平成31年.
    With ``western=True``: 令和8年度（2026年度）.
    """
    era, n = era_of(dt.date(fy, 12, 31))
    text = f"{era}{_year_text(n)}年度"
    return f"{text}（{fy}年度）" if western else text


def short_fy(fy: int) -> str:
    """R8 for FY2026, H30 for FY2018: the compact form used in column heads."""
    era, n = era_of(dt.date(fy, 12, 31))
    return {"令和": "R", "平成": "H", "昭和": "S"}[era] + str(n)


_WAREKI_RE = re.compile(r"(令和|平成|昭和)\s*(元|\d+)\s*年(?:\s*(\d+)\s*月)?(?:\s*(\d+)\s*日)?")


def parse_wareki(text: str) -> dt.date:
    """Parse the first 和暦 date in ``text`` (令和8年1月1日, 令和8年1月, 平成31年1月1日, full-width digits).

    A missing month or day is taken as 1. Raises ValueError if there is no 和暦 date.
    """
    norm = unicodedata.normalize("NFKC", text)
    m = _WAREKI_RE.search(norm)
    if not m:
        raise ValueError(f"和暦の日付が見つかりません: {text!r}")
    era, n_text, month, day = m.groups()
    return dt.date(western_year(era, n_text), int(month or 1), int(day or 1))


@dataclass(frozen=True)
class Term:
    """One plan term: e.g. the 9th care-insurance term, FY2024–2026."""

    kind: str  # "care" | "disability" | "child_disability"
    number: int
    first_fy: int

    @property
    def years(self) -> tuple[int, int, int]:
        return (self.first_fy, self.first_fy + 1, self.first_fy + 2)

    @property
    def last_fy(self) -> int:
        return self.first_fy + 2

    @property
    def formulation_fy(self) -> int:
        """The fiscal year in which this term's plan is drawn up (the year before it starts)."""
        return self.first_fy - 1

    @property
    def name_ja(self) -> str:
        label = {"care": "介護保険事業計画", "disability": "障がい福祉計画", "child_disability": "障がい児福祉計画"}
        return f"第{self.number}期{label[self.kind]}"

    @property
    def period_ja(self) -> str:
        return f"{wareki_fy(self.first_fy)}～{wareki_fy(self.last_fy)}"

    def is_estimate(self, fy: int, as_of_fy: int) -> bool:
        """Whether year ``fy`` of this term only has a 見込 when the work is done in ``as_of_fy``."""
        return fy >= as_of_fy

    def next(self) -> Term:
        return Term(self.kind, self.number + 1, self.first_fy + 3)


_OFFSETS = {"care": 0, "disability": 2, "child_disability": 6}


def term(kind: str, number: int) -> Term:
    """The term ``number`` of a plan kind: term("care", 9) → FY2024–2026."""
    if kind not in _OFFSETS:
        raise ValueError(f"unknown plan kind {kind!r}")
    care_number = number + _OFFSETS[kind]
    return Term(kind, number, 2018 + 3 * (care_number - 7))


def term_containing(kind: str, fy: int) -> Term:
    """The term of ``kind`` running in fiscal year ``fy``: ("care", 2026) → 第9期."""
    care_number = 7 + (fy - 2018) // 3
    return term(kind, care_number - _OFFSETS[kind])


def latest_register_date(fy: int, available: list[dt.date] | None = None) -> dt.date:
    """The reference date of the register figures a fiscal year's work uses: the last 1 January on
    or before the fiscal year's 1 April (FY2026 → 2026-01-01), or the latest of ``available`` on or
    before 1 April of ``fy``."""
    limit = dt.date(fy, 4, 1)
    if available is None:
        return dt.date(fy, 1, 1)
    eligible = [d for d in available if d <= limit]
    if not eligible:
        raise ValueError(f"{wareki_fy(fy)}の4月1日以前の基準日のデータがありません")
    return max(eligible)


def short_wareki(date: dt.date) -> str:
    """The compact era year of a date, for axis ticks: 2019-01-01 → H31, 2019-05-01 → R1, 2026-01-01 → R8."""
    era, n = era_of(date)
    return {"令和": "R", "平成": "H", "昭和": "S"}[era] + str(n)


#: Japan Standard Time (fixed offset: Japan has no daylight saving time, and no tz database is needed).
JST = dt.timezone(dt.timedelta(hours=9), "JST")


def now_jst() -> dt.datetime:
    """The current time in Japan (build facts are read by Japanese users, wherever the build ran)."""
    return dt.datetime.now(JST)


def wareki_datetime(moment: dt.datetime) -> str:
    """A moment in 日本時間 with its 和暦 date: 2026-11-30T19:07Z → 令和8年12月1日 04:07（日本時間）."""
    local = moment.astimezone(JST) if moment.tzinfo else moment.replace(tzinfo=JST)
    return f"{wareki_date(local.date())} {local:%H:%M}（日本時間）"
