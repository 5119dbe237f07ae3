"""Small valid raw files for the ingest tests, built in tmp_path; tests then break one thing.

- 東京都 第7表: :func:`tokyo_rows` gives the CSV as a list of rows (header, per area a total row and
  the detail rows, a row of empty cells, the footer with the title and date); :func:`write_csv`
  writes rows in UTF-8 or cp932. :func:`tokyo_line` finds the line of an (area, age) row.
- City register: :func:`city_register_workbook` builds the two-sheet workbook of the binding
  layout (all 41 町丁目 × 101 ages, 合計 rows and the household sheet computed from the data);
  :func:`pop_row` / :func:`hh_row` give the spreadsheet row of a 町丁目 (and age).

The numbers are simple on purpose so that tests can check results by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from komae_analysis.errors import InputError, InputProblem

# --------------------------------------------------------------------------- 東京都 第7表

TOKYO_HEADER = [
    "地域階層",
    "地域コード",
    "地域",
    "年齢階層",
    "年齢",
    "総数／計(人)",
    "総数／男(人)",
    "総数／女(人)",
    "日本人／計(人)",
    "日本人／男(人)",
    "日本人／女(人)",
    "外国人／計(人)",
    "外国人／男(人)",
    "外国人／女(人)",
]
TOKYO_AGES = [f"{a}～{a + 4}" for a in range(0, 100, 5)] + ["100以上", "不詳者"]
# area code → (地域階層, name as the file writes it: some names carry a trailing full-width space)
TOKYO_AREAS = {
    "13208": (4, "調布市"),
    "13219": (4, "狛江市"),
    "13116": (4, "豊島区\u3000"),
}


def tokyo_cell(area_index: int, age_index: int) -> tuple[int, int, int, int]:
    """(日本人男, 日本人女, 外国人男, 外国人女) of one detail row: small numbers, some zero.

    日本人男 = 10 + area + age, 日本人女 = 12 + age, 外国人男 = age % 3, 外国人女 = 1 if age is even;
    不詳者 (the last class) is all zero.
    """
    if age_index == len(TOKYO_AGES) - 1:
        return (0, 0, 0, 0)
    return (10 + area_index + age_index, 12 + age_index, age_index % 3, 1 if age_index % 2 == 0 else 0)


def _fmt(n: int) -> str:
    return "-" if n == 0 else str(n)


def _count_cells(jm: int, jf: int, fm: int, ff: int) -> list[str]:
    values = [jm + jf + fm + ff, jm + fm, jf + ff, jm + jf, jm, jf, fm + ff, fm, ff]
    return [_fmt(v) for v in values]


def tokyo_rows(
    areas: Sequence[str] = ("13208", "13219", "13116"),
    *,
    year: int = 2026,
    month: int = 1,
    cell: Callable[[int, int], tuple[int, int, int, int]] = tokyo_cell,
) -> list[list[str]]:
    """A valid 第7表 as rows of text (header, data, empty row, footer)."""
    era_year = year - 2018
    rows: list[list[str]] = [list(TOKYO_HEADER)]
    for i, code in enumerate(areas):
        level, name = TOKYO_AREAS[code]
        details = [cell(i, k) for k in range(len(TOKYO_AGES))]
        total = tuple(sum(d[j] for d in details) for j in range(4))
        rows.append([str(level), code, name, "0", "総数", *_count_cells(*total)])
        for k, age in enumerate(TOKYO_AGES):
            rows.append([str(level), code, name, "1", age, *_count_cells(*details[k])])
    width = len(TOKYO_HEADER)
    rows.append([""] * width)
    rows.append([f"住民基本台帳による東京都の世帯と人口\u3000令和{era_year}年{month}月"] + [""] * (width - 1))
    rows.append(["第７表\u3000区市町村、年齢（５歳階級）、日本人、外国人及び男女別人口"] + [""] * (width - 1))
    rows.append(["年齢階層（0:総数\u30001:明細）"] + [""] * (width - 1))
    return rows


def tokyo_line(rows: Sequence[Sequence[str]], code: str, age: str) -> int:
    """The 1-based line of the row of ``code`` with 年齢 ``age`` ("総数", "0～4", "100以上" …)."""
    for i, r in enumerate(rows):
        if len(r) > 4 and r[1] == code and r[4] == age:
            return i + 1
    raise KeyError((code, age))


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


# ------------------------------------------------------------------------------ city register

POP_SHEET = "町丁目別年齢別人口"
HH_SHEET = "町丁目別世帯数"
CITY_AGES = [f"{a}歳" for a in range(100)] + ["100歳以上"]
REFERENCE = Path(__file__).resolve().parents[2] / "komae_analysis" / "reference" / "komae_choume.csv"


def choume_list() -> list[tuple[str, str, int]]:
    """(code, 町名, 丁目) of Komae's 41 町丁目 in code order, read from the reference file."""
    with open(REFERENCE, encoding="utf-8", newline="") as f:
        return [(r["choume_code"], r["town"], int(r["chome"])) for r in csv.DictReader(f)]


def pop_row(code: str, age: int) -> int:
    """Spreadsheet row of (町丁目, age index 0…100) on the population sheet of a built workbook."""
    codes = [c for c, _t, _n in choume_list()]
    return 6 + codes.index(code) * len(CITY_AGES) + age


def hh_row(code: str) -> int:
    codes = [c for c, _t, _n in choume_list()]
    return 6 + codes.index(code)


POP_TOTAL_ROW = 6 + 41 * 101  # 4147: the 合計 row of the population sheet
HH_TOTAL_ROW = 6 + 41  # 47


def wareki_line(date: dt.date) -> str:
    era, n = ("令和", date.year - 2018) if date >= dt.date(2019, 5, 1) else ("平成", date.year - 1988)
    return f"{era}{'元' if n == 1 else n}年{date.month}月{date.day}日現在"


def city_register_workbook(
    date: dt.date = dt.date(2026, 1, 1),
    *,
    overrides: Mapping[tuple[str, int], tuple[int, int]] | None = None,
    households: Mapping[str, int] | None = None,
    default: tuple[int, int] = (1, 2),
    default_households: int = 100,
) -> Workbook:
    """A valid city-register workbook: every (町丁目, age) has 男, 女 = ``default`` unless
    ``overrides[(code, age_index)]`` says otherwise; every 町丁目 has ``default_households`` households
    unless ``households[code]`` says otherwise. Totals and the household sheet are computed."""
    overrides = overrides or {}
    households = households or {}
    wb = Workbook()
    ws = wb.active
    ws.title = POP_SHEET
    date_line = wareki_line(date)
    for r, text in enumerate(
        ["住民基本台帳\u3000町丁目別・年齢（各歳）別人口", date_line, "狛江市 市民課"], 1
    ):
        ws.cell(r, 1, text)
    for c, text in enumerate(["町丁目コード", "町名", "丁目", "年齢", "男", "女", "計"], 1):
        ws.cell(5, c, text)
    row = 6
    sums: dict[str, list[int]] = {}
    for code, town, chome in choume_list():
        sums[code] = [0, 0]
        for a, label in enumerate(CITY_AGES):
            m, f = overrides.get((code, a), default)
            for c, value in enumerate([code, town, chome, label, m, f, m + f], 1):
                ws.cell(row, c, value)
            sums[code][0] += m
            sums[code][1] += f
            row += 1
    tm = sum(v[0] for v in sums.values())
    tf = sum(v[1] for v in sums.values())
    for c, value in enumerate(["合計", None, None, None, tm, tf, tm + tf], 1):
        ws.cell(row, c, value)

    hs = wb.create_sheet(HH_SHEET)
    for r, text in enumerate(["住民基本台帳\u3000町丁目別世帯数・人口", date_line, "狛江市 市民課"], 1):
        hs.cell(r, 1, text)
    for c, text in enumerate(["町丁目コード", "町名", "丁目", "世帯数", "男", "女", "計"], 1):
        hs.cell(5, c, text)
    row = 6
    total_h = 0
    for code, town, chome in choume_list():
        h = households.get(code, default_households)
        m, f = sums[code]
        for c, value in enumerate([code, town, chome, h, m, f, m + f], 1):
            hs.cell(row, c, value)
        total_h += h
        row += 1
    for c, value in enumerate(["合計", None, None, total_h, tm, tf, tm + tf], 1):
        hs.cell(row, c, value)
    return wb


def city_register_path(folder: Path, date: dt.date = dt.date(2026, 1, 1)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"juki_choume_age_{date:%Y%m%d}.xlsx"


def write_city_register(folder: Path, date: dt.date = dt.date(2026, 1, 1), **kwargs: object) -> Path:
    """Build a valid workbook (see :func:`city_register_workbook`) and save it under its layout name."""
    path = city_register_path(folder, date)
    city_register_workbook(date, **kwargs).save(path)  # type: ignore[arg-type]
    return path


# --------------------------------------------------------------------------------------- SSDSE-A


def ssdse_rows() -> list[list[str]]:
    """A tiny SSDSE-A: three header lines (item codes, years, labels) and two municipalities."""
    return [
        ["SSDSE-A-2026", "Prefecture", "Municipality", "A1101", "A1303", "D2201"],
        ["", "", "年度", "2020", "2020", "2022"],
        ["地域コード", "都道府県", "市区町村", "総人口", "65歳以上人口", "経常収支比率（市町村財政）"],
        ["R13208", "東京都", "調布市", "237939", "48790", "91.3"],
        ["R13219", "東京都", "狛江市", "84772", "19961", "85.4"],
    ]


# --- reading and breaking 東京都 CSVs as published (UTF-8 with BOM) -----------------------------------


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    """Write CSV rows as the 東京都 files come (CRLF, UTF-8 with BOM unless told)."""
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


def problems(excinfo: pytest.ExceptionInfo[InputError]) -> list[InputProblem]:
    return excinfo.value.problems


def only(excinfo: pytest.ExceptionInfo[InputError], part: str) -> InputProblem:
    """The one problem whose message contains ``part`` (fails showing every problem otherwise)."""
    hits = [p for p in problems(excinfo) if part in p.message]
    assert len(hits) == 1, [p.format_ja() for p in problems(excinfo)]
    return hits[0]
