"""狛江市「住民基本台帳」町丁目別・年齢（各歳）別人口と町丁目別世帯数 (the city's Excel export, two
sheets) → the tidy frames ``city_register_population`` and ``city_register_households``: their
schemas and their readers.

The layout is described in data/raw/README.md (``city_register/``). Both readers check the whole
workbook (a cross-sheet rule needs both sheets), so the parsed result of one workbook is kept
briefly, keyed by path and content hash, and shared. The parse runs in named steps: the title and
date lines of each sheet, each sheet's rows (町丁目 and values), the checks across rows (every
町丁目 with every age once; the household sheet's 男/女/計 equal the age sheet's sums), the frames.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from komae_analysis.calendar import parse_wareki, wareki_date
from komae_analysis.fileio import sha256
from komae_analysis.ingest.common import (
    Problems,
    Sheet,
    cell_text,
    check_header,
    clean_label,
    is_blank_row,
    pad,
    read_sheets,
)
from komae_analysis.ingest.frames import (
    AREAS,
    SEXES,
    LazySchema,
    age_order,
    count_column,
    date_column,
    text_column,
    typed_frame,
    validate_frame,
)
from komae_analysis.reference import Choume, komae_choume

if TYPE_CHECKING:
    import pandera.pandas as pa


# ------------------------------------------------------------------------------------ schemas


def _population_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "choume_code": text_column(pa.Check.str_matches(r"^\d{4}$")),
            "town": text_column(pa.Check.str_length(min_value=1)),
            "chome": pa.Column("int64", checks=pa.Check.ge(1)),
            "area": text_column(pa.Check.isin(AREAS)),
            "age_from": pa.Column("Int64", checks=pa.Check.in_range(0, 100), nullable=False),
            "age_to": pa.Column("Int64", checks=pa.Check.in_range(0, 99), nullable=True),
            "sex": text_column(pa.Check.isin(SEXES)),
            "population": count_column(),
        },
        checks=[pa.Check(age_order, error="age_to < age_from")],
        strict=True,
        ordered=True,
        unique=["date", "choume_code", "age_from", "sex"],
        name="city_register_population",
    )


POPULATION_SCHEMA = LazySchema(_population_schema)


def _households_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "choume_code": text_column(pa.Check.str_matches(r"^\d{4}$")),
            "town": text_column(pa.Check.str_length(min_value=1)),
            "chome": pa.Column("int64", checks=pa.Check.ge(1)),
            "area": text_column(pa.Check.isin(AREAS)),
            "households": count_column(),
            "population": count_column(),
        },
        strict=True,
        ordered=True,
        unique=["date", "choume_code"],
        name="city_register_households",
    )


HOUSEHOLDS_SCHEMA = LazySchema(_households_schema)


# ------------------------------------------------------------------------------------- layout

CITY_POP_SHEET = "町丁目別年齢別人口"
CITY_HH_SHEET = "町丁目別世帯数"
CITY_POP_TITLE = "住民基本台帳　町丁目別・年齢（各歳）別人口"
CITY_HH_TITLE = "住民基本台帳　町丁目別世帯数・人口"
CITY_HEADER_ROW = 5
CITY_POP_HEADER = ("町丁目コード", "町名", "丁目", "年齢", "男", "女", "計")
CITY_HH_HEADER = ("町丁目コード", "町名", "丁目", "世帯数", "男", "女", "計")
CITY_AGES = tuple(f"{a}歳" for a in range(100)) + ("100歳以上",)
_CITY_AGE_RE = re.compile(r"^(\d+)歳(以上)?$")
# ------------------------------------------------------- step 1: title and date of each sheet


def _file_date(path: Path) -> dt.date | None:
    m = re.search(r"(\d{8})", path.stem)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _check_title_and_date(
    sheet: Sheet, title: str, file_date: dt.date | None, problems: Problems
) -> dt.date | None:
    """A1 is the title; A2 the reference date (令和8年1月1日現在), which must agree with the file name."""
    a1 = sheet.cell(1, 0)
    if clean_label(a1) != clean_label(title):
        problems.add(
            "1行目（A1）の表題が様式と違います",
            sheet=sheet.name,
            row=1,
            column="A",
            expected=title,
            found=cell_text(a1),
        )
    a2 = sheet.cell(2, 0)
    try:
        date = parse_wareki(clean_label(a2)) if isinstance(a2, str) else None
    except ValueError:
        date = None
    if date is None or "日" not in str(a2):
        problems.add(
            "2行目（A2）に基準日がありません",
            sheet=sheet.name,
            row=2,
            column="A",
            expected="令和8年1月1日現在 のような和暦の日付",
            found=cell_text(a2),
        )
        return None
    if file_date is not None and date != file_date:
        problems.add(
            "基準日（A2）がファイル名の日付と合いません",
            sheet=sheet.name,
            row=2,
            column="A",
            expected=f"{wareki_date(file_date)}現在（ファイル名 {file_date:%Y%m%d}）",
            found=cell_text(a2),
        )
    return date


# ------------------------------------------------- step 2: each sheet's rows (町丁目, values)


@dataclass
class _CityRow:
    row: int
    choume: Choume
    values: dict[str, int]  # the count columns of the sheet
    age: str | None = None


def _check_choume(
    sheet: Sheet, problems: Problems, row: int, cells: list[Any], mapping: dict[str, int]
) -> Choume | None:
    raw_code = cells[mapping["町丁目コード"]]
    ref = komae_choume()
    code = raw_code.strip() if isinstance(raw_code, str) else None
    if code is None or not re.fullmatch(r"\d{4}", code):
        problems.add(
            "町丁目コードは4桁の文字列です",
            row=row,
            column="町丁目コード",
            expected="4桁の文字列（例: 0101）",
            found=cell_text(raw_code),
        )
        return None
    if code not in ref:
        problems.add(
            f"町丁目コード「{code}」は狛江市の町丁目にありません",
            row=row,
            column="町丁目コード",
            expected="reference/komae_choume.csv にある町丁目コード",
            found=code,
        )
        return None
    choume = ref[code]
    ok = True
    town = clean_label(cells[mapping["町名"]])
    if town != choume.town:
        problems.add(
            f"町名が町丁目コード「{code}」と合いません",
            row=row,
            column="町名",
            expected=choume.town,
            found=cell_text(cells[mapping["町名"]]),
        )
        ok = False
    chome_raw = cells[mapping["丁目"]]
    chome = problems.count(chome_raw, row=row, column="丁目", dash="error")
    if chome is not None and chome != choume.chome:
        problems.add(
            f"丁目が町丁目コード「{code}」と合いません",
            row=row,
            column="丁目",
            expected=choume.chome,
            found=cell_text(chome_raw),
        )
        ok = False
    return choume if ok and chome is not None else None


def _read_city_sheet(
    sheet: Sheet, header: Sequence[str], problems: Problems
) -> tuple[list[_CityRow], tuple[int, dict[str, int]] | None, bool]:
    """Data rows, the 合計 row and whether every row was read cleanly, for one city-register sheet."""
    mapping = check_header(problems, sheet.rows, header, CITY_HEADER_ROW, exact=True)
    if mapping is None:
        return [], None, False
    counts = [h for h in header if h in ("世帯数", "男", "女", "計")]
    data: list[_CityRow] = []
    total_row: tuple[int, dict[str, int]] | None = None
    clean = True
    for row, values in sheet.rows[CITY_HEADER_ROW:]:
        cells = pad(values, len(header))
        if total_row is not None:
            if (
                not is_blank_row(cells)
                and isinstance(cells[0], str)
                and re.fullmatch(r"\d{4}", cells[0].strip())
            ):
                problems.add(
                    "合計行の後に町丁目の行があります",
                    row=row,
                    column="町丁目コード",
                    expected=f"合計行（{total_row[0]}行目）が最後",
                    found=cells[0],
                )
                clean = False
            continue
        if is_blank_row(cells):
            continue
        before = len(problems)
        if clean_label(cells[0]) == "合計":
            for c in ("町名", "丁目", "年齢"):
                if c in mapping and not is_blank_row([cells[mapping[c]]]):
                    problems.add(
                        "合計行のこの列は空欄です",
                        row=row,
                        column=c,
                        expected="空欄",
                        found=cell_text(cells[mapping[c]]),
                    )
            got = {c: problems.count(cells[mapping[c]], row=row, column=c) for c in counts}
            total_row = (row, {c: int(v) for c, v in got.items() if v is not None})
            if len(problems) > before:
                clean = False
            continue
        choume = _check_choume(sheet, problems, row, cells, mapping)
        age = None
        if header[3] == "年齢":
            age = clean_label(cells[mapping["年齢"]])
            if age not in CITY_AGES:
                problems.add(
                    "年齢の書き方が違います",
                    row=row,
                    column="年齢",
                    expected="0歳 … 99歳、100歳以上",
                    found=cell_text(cells[mapping["年齢"]]),
                )
        got = {c: problems.count(cells[mapping[c]], row=row, column=c) for c in counts}
        if len(problems) > before or choume is None:
            clean = False
            continue
        vals = {c: int(v) for c, v in got.items() if v is not None}
        if vals["男"] + vals["女"] != vals["計"]:
            problems.add(
                "男＋女が計と合いません",
                row=row,
                column="計",
                expected=f"{vals['男'] + vals['女']}（男＋女）",
                found=vals["計"],
            )
            clean = False
        data.append(_CityRow(row, choume, vals, age))
    if total_row is None:
        problems.add(
            "合計行（A列「合計」）がありません",
            column="町丁目コード",
            expected="データの次の行に「合計」",
            found="なし",
        )
        clean = False
    elif clean:
        row, found = total_row
        for c in counts:
            column_sum = sum(r.values[c] for r in data)
            if found[c] != column_sum:
                problems.add(
                    f"合計行が列『{c}』の合計と合いません",
                    row=row,
                    column=c,
                    expected=f"{column_sum}（列の合計）",
                    found=found[c],
                )
    return data, total_row, clean


# -------------------------------------------------------------------------------- the readers


def read_city_register_population(path: str | Path) -> pd.DataFrame:
    """The city's 住民基本台帳 export, sheet 「町丁目別年齢別人口」 → ``date, choume_code, town, chome,
    area, age_from, age_to, sex, population`` (男/女 only; ``100歳以上`` has ``age_to`` NA; ``area`` is
    the 日常生活圏域 from reference/komae_choume.csv).

    The whole workbook is checked (both sheets; see :func:`read_city_register_households`): title and
    date lines (the date agrees with the file name), header on row 5, known 町丁目 codes with their 町名
    and 丁目, every 町丁目 with every age exactly once, 男+女=計 on every row, the 合計 row equal to the
    column sums, and each 町丁目's 男/女/計 on the household sheet equal to its sums over ages.
    """
    return _read_city_register(path)[0]


def read_city_register_households(path: str | Path) -> pd.DataFrame:
    """The city's 住民基本台帳 export, sheet 「町丁目別世帯数」 → ``date, choume_code, town, chome, area,
    households, population`` (population = 計). Checks the whole workbook, as
    :func:`read_city_register_population` does: the cross-sheet rule needs both sheets."""
    return _read_city_register(path)[1]


def _read_city_register(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tidy frames of one city-register workbook (copies: the parsed result is cached briefly,
    keyed by path and content hash, because both readers need the whole workbook)."""
    p = Path(path)
    digest = sha256(p) if p.is_file() else ""
    population, households = _read_city_register_cached(str(p), digest)
    return population.copy(), households.copy()


@lru_cache(maxsize=64)  # the build reads every file of both sheets: keep all of them
def _read_city_register_cached(path_text: str, _digest: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _parse_city_register(Path(path_text))


def _parse_city_register(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and check both sheets of one city-register workbook; every rule of the layout."""
    problems = Problems(path)
    sheets = read_sheets(path, [CITY_POP_SHEET, CITY_HH_SHEET])
    pop_sheet, hh_sheet = sheets[CITY_POP_SHEET], sheets[CITY_HH_SHEET]
    pop_problems = Problems(path, sheet=CITY_POP_SHEET)
    hh_problems = Problems(path, sheet=CITY_HH_SHEET)
    date = _dates(path, pop_sheet, hh_sheet, problems, pop_problems, hh_problems)
    pop_rows, _pop_total, pop_clean = _read_city_sheet(pop_sheet, CITY_POP_HEADER, pop_problems)
    hh_rows, _hh_total, hh_clean = _read_city_sheet(hh_sheet, CITY_HH_HEADER, hh_problems)
    sums, pop_clean = _check_population_rows(pop_rows, pop_clean, pop_problems)
    _check_household_rows(hh_rows, hh_clean, sums if pop_clean else None, hh_problems)
    problems.extend(pop_problems.all())
    problems.extend(hh_problems.all())
    problems.raise_if_any()
    assert date is not None
    return (
        validate_frame(POPULATION_SCHEMA, _population_frame(pop_rows, date), path),
        validate_frame(HOUSEHOLDS_SCHEMA, _households_frame(hh_rows, date), path),
    )


# ------------------------------------------------------- step 1: the reference date


def _dates(
    path: Path,
    pop_sheet: Sheet,
    hh_sheet: Sheet,
    problems: Problems,
    pop_problems: Problems,
    hh_problems: Problems,
) -> dt.date | None:
    """The reference date: A2 of both sheets, agreeing with the file name (and with each other)."""
    file_date = _file_date(path)
    if file_date is None:
        problems.add(
            "ファイル名に基準日（YYYYMMDD）がありません",
            sheet=None,
            expected="juki_choume_age_YYYYMMDD.xlsx",
            found=path.name,
        )
    date_pop = _check_title_and_date(pop_sheet, CITY_POP_TITLE, file_date, pop_problems)
    date_hh = _check_title_and_date(hh_sheet, CITY_HH_TITLE, file_date, hh_problems)
    if date_pop and date_hh and date_pop != date_hh and file_date is None:
        hh_problems.add(
            "基準日（A2）が町丁目別年齢別人口のシートと合いません",
            row=2,
            column="A",
            expected=wareki_date(date_pop),
            found=wareki_date(date_hh),
        )
    return date_pop


# ------------------------------------------------------------ step 3: checks across rows


def _check_population_rows(
    pop_rows: list[_CityRow], clean: bool, problems: Problems
) -> tuple[dict[str, dict[str, int]], bool]:
    """The age sheet: each 町丁目 has each age exactly once. Returns each 町丁目's 男/女/計 summed
    over ages, and whether the sheet is still clean."""
    ages_of: dict[str, dict[str, int]] = defaultdict(dict)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: {"男": 0, "女": 0, "計": 0})
    for r in pop_rows:
        code = r.choume.code
        assert r.age is not None
        if r.age in ages_of[code]:
            problems.add(
                f"{r.choume.label}の年齢「{r.age}」の行が重複しています（{ages_of[code][r.age]}行目と{r.row}行目）",
                row=r.row,
                column="年齢",
                expected="町丁目・年齢ごとに1行",
                found=f"{ages_of[code][r.age]}行目と同じ",
            )
            clean = False
            continue
        ages_of[code][r.age] = r.row
        for c in ("男", "女", "計"):
            sums[code][c] += r.values[c]
    if clean:
        for code, choume in komae_choume().items():
            if code not in ages_of:
                problems.add(
                    f"町丁目「{choume.label}」の行がありません",
                    column="町丁目コード",
                    expected="狛江市の41町丁目すべて",
                    found="なし",
                )
                clean = False
                continue
            missing = [a for a in CITY_AGES if a not in ages_of[code]]
            if missing:
                shown = "、".join(missing[:5]) + ("ほか" if len(missing) > 5 else "")
                problems.add(
                    f"{choume.label}に年齢「{shown}」の行がありません",
                    column="年齢",
                    expected="0歳～99歳、100歳以上の各1行",
                    found=f"{len(missing)}歳分の行がない",
                )
                clean = False
    return sums, clean


def _check_household_rows(
    hh_rows: list[_CityRow],
    clean: bool,
    sums: dict[str, dict[str, int]] | None,
    problems: Problems,
) -> None:
    """The household sheet: each 町丁目 once, and (when the age sheet is clean, ``sums`` given) its
    男/女/計 equal the age sheet's sums."""
    seen: dict[str, int] = {}
    for r in hh_rows:
        code = r.choume.code
        if code in seen:
            problems.add(
                f"{r.choume.label}の行が重複しています（{seen[code]}行目と{r.row}行目）",
                row=r.row,
                column="町丁目コード",
                expected="町丁目ごとに1行",
                found=code,
            )
            clean = False
            continue
        seen[code] = r.row
        if sums is not None:
            for c in ("男", "女", "計"):
                if r.values[c] != sums[code][c]:
                    problems.add(
                        f"{r.choume.label}の{c}が町丁目別年齢別人口の年齢別の合計と合いません",
                        row=r.row,
                        column=c,
                        expected=f"{sums[code][c]}（{CITY_POP_SHEET}の合計）",
                        found=r.values[c],
                    )
    if clean:
        for code, choume in komae_choume().items():
            if code not in seen:
                problems.add(
                    f"町丁目「{choume.label}」の行がありません",
                    column="町丁目コード",
                    expected="狛江市の41町丁目すべて",
                    found="なし",
                )


# ------------------------------------------------------------------ step 4: the tidy frames


def _population_frame(pop_rows: list[_CityRow], date: dt.date) -> pd.DataFrame:
    """One row per 町丁目 × age × sex, in 町丁目 code and age order."""
    pop_rows = sorted(pop_rows, key=lambda r: (r.choume.code, CITY_AGES.index(r.age or "")))
    out: dict[str, list[Any]] = {k: [] for k in POPULATION_SCHEMA.columns if k != "date"}
    for r in pop_rows:
        m = _CITY_AGE_RE.match(r.age or "")
        assert m is not None
        age_from = int(m.group(1))
        age_to = None if m.group(2) else age_from
        for sex in SEXES:
            out["choume_code"].append(r.choume.code)
            out["town"].append(r.choume.town)
            out["chome"].append(r.choume.chome)
            out["area"].append(r.choume.area)
            out["age_from"].append(age_from)
            out["age_to"].append(age_to)
            out["sex"].append(sex)
            out["population"].append(r.values[sex])
    return typed_frame(POPULATION_SCHEMA, {"date": date, **out})


def _households_frame(hh_rows: list[_CityRow], date: dt.date) -> pd.DataFrame:
    """One row per 町丁目, in code order."""
    hh_rows = sorted(hh_rows, key=lambda r: r.choume.code)
    return typed_frame(
        HOUSEHOLDS_SCHEMA,
        {
            "date": date,
            "choume_code": [r.choume.code for r in hh_rows],
            "town": [r.choume.town for r in hh_rows],
            "chome": [r.choume.chome for r in hh_rows],
            "area": [r.choume.area for r in hh_rows],
            "households": [r.values["世帯数"] for r in hh_rows],
            "population": [r.values["計"] for r in hh_rows],
        },
    )


__all__ = [
    "HOUSEHOLDS_SCHEMA",
    "POPULATION_SCHEMA",
    "read_city_register_households",
    "read_city_register_population",
]
