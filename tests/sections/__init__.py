"""End-to-end checks of each section on the real FY2026 demo build (``built_report`` in conftest).

Shared helpers for the section files: the section's published tables (as saved by the build) and
their printed cells, the commentary paragraphs of its HTML page, the numbers in a sentence, and
readers of the raw demo files that do not use the package's readers (csv / openpyxl), so that
values are compared with an independent computation, never with the code's own earlier output.

The rule for numbers in commentary (:func:`unmatched_numbers`):

- A *commentary paragraph* is text a section's code displayed (a Markdown output of a code cell),
  not the notebook's own Markdown cells (headings and introductions, which hold no data).
- Not data numbers, and removed before checking: 和暦 dates and years (令和2年1月1日, 平成29年,
  昭和22～24年), counts of years (6年連続, 5年間, 5年前), and numbers inside terms: 東京都市部（26市）,
  1世帯当たり（人員）, 年齢3区分, 5歳階級.
- Labels: an age class or boundary (70～74歳, 75歳以上) or a 町丁目 (岩戸北3丁目) must appear as a
  label cell of one of the section's tables, or within one of its column headings
  (「うち後期高齢者（75歳以上）」); it is then removed.
- Every other number (82,257 / 24.2 / 0.8 / 3) must be printed in a numeric cell of one of the
  section's tables: the same digits, after removing the △ of a negative cell (a sentence says
  「113人減少」 where the table prints △113).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from komae_analysis.pipeline import registry
from komae_analysis.report.numbers import NUMERIC_FORMATS
from komae_analysis.report.tables import AppendixTable

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_DATE = re.compile(r"(?:令和|平成|昭和)(?:元|\d+)(?:～\d+)?年(?:\d+月(?:\d+日)?)?")
_YEARS = re.compile(r"\d+年(?:度)?")
_NAMES = re.compile(r"東京都市部（\d+市）|1世帯当たり|1人当たり|1か月|年齢3区分|5歳階級"
                    r"|第[12]号|要支援[12]|要介護[1-5]|第\d+期")
_LABELS = re.compile(r"\d+～\d+歳|\d+歳以上|\d+歳未満|\d+級|\d+度|[一-龥]+\d+丁目")


# --- the build's outputs -----------------------------------------------------------------------
def tables(report: Path, section_id: str) -> list[AppendixTable]:
    """The section's tables as published, in number order (表2-1-1, 表2-1-2, …)."""
    paths = sorted((report / "tables" / "data" / section_id).glob("*.json"),
                   key=lambda p: [int(n) for n in re.findall(r"\d+", p.stem)])
    return [AppendixTable.load(p) for p in paths]


def table(report: Path, section_id: str, title_start: str) -> AppendixTable:
    found = [t for t in tables(report, section_id) if t.title.startswith(title_start)]
    assert len(found) == 1, f"{section_id}: {len(found)} tables titled {title_start}…"
    return found[0]


def printed_cells(tabs: list[AppendixTable]) -> tuple[set[str], set[str]]:
    """(numeric cells as printed, △ removed; label cells as printed, and column headings marked with
    a leading 「¶」 so that :func:`unmatched_numbers` can look inside them) of the given tables."""
    numeric, labels = set(), set()
    for t in tabs:
        labels |= {f"¶{c}" for c in t.frame.columns}
        fmts = t.column_formats()
        text = t.formatted()
        for col in text.columns:
            for value in text[col]:
                if fmts[col] in NUMERIC_FORMATS:
                    numeric.add(str(value).lstrip("△"))
                else:
                    labels.add(str(value))
    return numeric, labels


def page(report: Path, section_id: str) -> str:
    return (report / "html" / f"{section_id}.html").read_text(encoding="utf-8")


def commentary(report: Path, section_id: str) -> list[str]:
    """The commentary paragraphs of the section's page: Markdown displayed by code cells."""
    from bs4 import BeautifulSoup  # installed with nbconvert

    soup = BeautifulSoup(page(report, section_id), "html.parser")
    out = []
    for div in soup.select('.jp-OutputArea-output[data-mime-type="text/markdown"]'):
        out.extend(p.get_text() for p in div.find_all("p"))
    return [t for t in out if t.strip()]


def visible_text(report: Path, section_id: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page(report, section_id), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup.get_text(" ")


def unmatched_numbers(text: str, numeric: set[str], labels: set[str]) -> list[str]:
    """The numbers of ``text`` that break the rule in the module docstring (empty when all match)."""
    bad = []
    headings = [h[1:] for h in labels if h.startswith("¶")]
    for label in _LABELS.findall(text):
        if label not in labels and not any(label in h for h in headings):
            bad.append(label)
    for pattern in (_LABELS, _DATE, _NAMES, _YEARS):
        text = pattern.sub(" ", text)
    bad += [n for n in NUMBER.findall(text) if n not in numeric]
    return bad


# --- independent arithmetic ----------------------------------------------------------------------
def shown_pct(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator as a percentage with one decimal, half up (as tables print it)."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def wareki(year: int) -> str:
    """1 January of ``year`` in 和暦 (the dates of these files: 2017 … 2026)."""
    if year >= 2020:
        return f"令和{year - 2018}年1月1日"
    return f"平成{year - 1988}年1月1日"


# --- raw demo files, read without the package's readers -----------------------------------------------
def register_by_age(data_dir: Path) -> dict[int, dict[tuple[str, int], int]]:
    """year → {(町丁目 code, age): population (男+女)} from the city's xlsx files (age 100 = 100歳以上)."""
    import openpyxl

    out = {}
    for path in sorted((data_dir / "city_register").glob("juki_choume_age_*.xlsx")):
        year = int(path.stem.rsplit("_", 1)[1][:4])
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb["町丁目別年齢別人口"]
        cells: dict[tuple[str, int], int] = {}
        for row in ws.iter_rows(min_row=6, values_only=True):
            if not row[0] or row[0] == "合計":
                continue
            age = int(re.match(r"\d+", str(row[3])).group())
            cells[(str(row[0]), age)] = int(row[6])
        wb.close()
        out[year] = cells
    return out


def register_households(data_dir: Path) -> dict[int, dict[str, int]]:
    """year → {町丁目 code: households} from the xlsx files' 世帯数 sheet."""
    import openpyxl

    out = {}
    for path in sorted((data_dir / "city_register").glob("juki_choume_age_*.xlsx")):
        year = int(path.stem.rsplit("_", 1)[1][:4])
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb["町丁目別世帯数"]
        out[year] = {str(r[0]): int(r[3]) for r in ws.iter_rows(min_row=6, values_only=True)
                     if r[0] and r[0] != "合計"}
        wb.close()
    return out


def tokyo_areas(csv_path: Path) -> dict[str, dict[str, object]]:
    """area code → {name, level, total, age0_14, age65, age75} from a 第7表 CSV's detail rows."""
    raw = csv_path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp932")
    out: dict[str, dict[str, object]] = defaultdict(lambda: {"total": 0, "age0_14": 0, "age65": 0, "age75": 0})
    for row in csv.reader(text.splitlines()):
        if len(row) < 6 or row[3] != "1":
            continue
        n = 0 if row[5].strip() in ("-", "") else int(row[5].replace(",", ""))
        m = re.match(r"(\d+)", row[4])
        age = int(m.group(1)) if m else None
        a = out[row[1]]
        a["name"], a["level"] = row[2].strip(), int(row[0])
        a["total"] += n
        if age is not None and age < 15:
            a["age0_14"] += n
        if age is not None and age >= 65:
            a["age65"] += n
        if age is not None and age >= 75:
            a["age75"] += n
    return dict(out)


def section(section_id: str) -> registry.Section:
    return registry.get(section_id)
