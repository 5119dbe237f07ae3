"""Privacy (issue 7): the demo data put a unique marker string in one free-text answer and give every
respondent a unique ID; after a build of the whole report (``make report``: the ``built_report``
fixture), no file under the report folder contains either — workbooks and parquet tables are opened and
read, not only scanned as bytes — and no published table holds respondent-level rows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from komae_analysis.demo.survey import PRIVACY_MARKER
from tests.demo.test_survey import COMMUNITY, NEEDS, read_csv, read_xlsx

ID_PATTERN = re.compile(r"K[CN]\d{2}-\d{5}")


def _texts(path: Path) -> list[str]:
    """Every piece of text a file holds, decoded: zip members (xlsx), parquet cells and column names, or
    the bytes themselves."""
    data = path.read_bytes()
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return [" ".join(map(str, frame.columns)), frame.astype(str).to_csv(index=False)]
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as zf:
            return [zf.read(name).decode("utf-8", errors="ignore") for name in zf.namelist()]
    return [data.decode("utf-8", errors="ignore"), data.decode("cp932", errors="ignore")]


def _respondents() -> dict[str, int]:
    counts = {"2025c": len(read_csv(COMMUNITY / "2025_responses.csv")),
              "2022c": len(read_xlsx(COMMUNITY / "2022_responses.xlsx"))}
    for p in NEEDS.glob("*_responses.csv"):
        counts[p.stem] = len(read_csv(p))
    return counts


def test_the_demo_data_hold_the_marker_and_the_ids():
    raw = (COMMUNITY / "2025_responses.csv").read_bytes().decode("cp932")
    assert PRIVACY_MARKER in raw
    assert len(ID_PATTERN.findall(raw)) == len(read_csv(COMMUNITY / "2025_responses.csv"))


def test_no_marker_no_respondent_id_and_no_respondent_rows_under_the_report(built_report):
    files = [p for p in Path(built_report).rglob("*") if p.is_file()]
    assert any(p.suffix == ".xlsx" for p in files) and any(p.suffix == ".parquet" for p in files)
    assert any("03a_survey_community" in str(p) for p in files)
    leaks = []
    for path in files:
        for text in _texts(path):
            if PRIVACY_MARKER in text:
                leaks.append(f"{path}: marker")
            found = ID_PATTERN.findall(text)
            if found:
                leaks.append(f"{path}: respondent IDs {found[:3]}")
    assert leaks == []
    fewest = min(_respondents().values())
    for table in Path(built_report).rglob("tables/data/03*/*.parquet"):
        assert len(pd.read_parquet(table)) < fewest, f"{table} has as many rows as respondents"


def test_free_text_is_never_printed(built_report):
    coded = read_csv(COMMUNITY / "2025_fa_coding.csv")
    answers = [r["Q40"] for r in read_csv(COMMUNITY / "2025_responses.csv") if r["Q40"]]
    assert coded and answers
    page = (Path(built_report) / "html" / "03a_survey_community.html").read_text(encoding="utf-8")
    for text in set(answers):
        assert text not in page
    # only counts by category
    for category in {r["分類"] for r in coded}:
        assert category in page
