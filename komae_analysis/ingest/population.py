"""Readers of population inputs in their real published layouts → validated tidy frames.

- :func:`read_tokyo_juki_age5` — 東京都「住民基本台帳による東京都の世帯と人口」第7表 (CSV).
- :func:`read_soumu_juki_municipal` — 総務省「住民基本台帳に基づく人口、人口動態及び世帯数」市区町村別 (CSV),
  including the reduced total-only layout some copies of the 2022 edition have.
- :func:`read_ssdse_a` — 統計センター SSDSE-A (CSV).
- :func:`read_city_register_population` / :func:`read_city_register_households` — the city's own
  住民基本台帳 export by 町丁目 (Excel, the layout fixed in the shared brief).

Every reader checks its file completely before returning, collects every problem it finds (file,
sheet, row, column, expected, found) and raises them together as one InputError. Nothing is
coerced silently: a dash is zero only where the source says so, a missing/suppressed marker is never
zero, and a count that is not a non-negative integer is an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from komae_analysis.calendar import parse_wareki, wareki_date
from komae_analysis.errors import InputError, display_name
from komae_analysis.ingest.common import (
    Problems,
    Sheet,
    cell_text,
    check_header,
    clean_label,
    is_blank_row,
    read_csv_rows,
    read_sheets,
)
from komae_analysis.ingest.schemas import (
    CITY_REGISTER_HOUSEHOLDS,
    CITY_REGISTER_POPULATION,
    DATE_DTYPE,
    SOUMU_JUKI_MUNICIPAL,
    SSDSE_A,
    STRING_DTYPE,
    TOKYO_JUKI_AGE5,
    validate_frame,
)
from komae_analysis.reference import Choume, komae_choume, tokyo_areas


class ReducedLayoutWarning(UserWarning):
    """A file in a known but reduced layout was read: some columns are NA because it lacks them."""


# --------------------------------------------------------------------------- small helpers


def _pad(cells: Sequence[Any], n: int) -> list[Any]:
    out = list(cells)
    return out + [None] * (n - len(out)) if len(out) < n else out


def _timestamp(date: dt.date) -> pd.Timestamp:
    return pd.Timestamp(date).normalize()


def _dates(date: dt.date, n: int) -> pd.Series:
    return pd.Series([_timestamp(date)] * n, dtype=DATE_DTYPE)


def _text_col(values: Sequence[Any]) -> pd.Series:
    return pd.Series(list(values), dtype=STRING_DTYPE)


def _int_col(values: Sequence[Any], nullable: bool = False) -> pd.Series:
    return pd.Series(list(values), dtype="Int64" if nullable else "int64")


# ======================================================================= 東京都 第7表 (5歳階級)

TOKYO_TITLE = "住民基本台帳による東京都の世帯と人口"
TOKYO_HEADER = (
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
)
TOKYO_COUNTS = TOKYO_HEADER[5:]
_TOKYO_SEX_SUMS = (  # (計, 男, 女) per group: 男+女 = 計
    ("総数／計(人)", "総数／男(人)", "総数／女(人)"),
    ("日本人／計(人)", "日本人／男(人)", "日本人／女(人)"),
    ("外国人／計(人)", "外国人／男(人)", "外国人／女(人)"),
)
_TOKYO_NAT_SUMS = (  # (総数, 日本人, 外国人) per sex: 日本人+外国人 = 総数
    ("総数／計(人)", "日本人／計(人)", "外国人／計(人)"),
    ("総数／男(人)", "日本人／男(人)", "外国人／男(人)"),
    ("総数／女(人)", "日本人／女(人)", "外国人／女(人)"),
)
_TOKYO_OUT = (
    ("男", "日本人", "日本人／男(人)"),
    ("女", "日本人", "日本人／女(人)"),
    ("男", "外国人", "外国人／男(人)"),
    ("女", "外国人", "外国人／女(人)"),
)

_AGE_RANGE_RE = re.compile(r"^(\d+)(?:歳)?[~〜～\-](\d+)(?:歳)?$")
_AGE_OPEN_RE = re.compile(r"^(\d+)(?:歳)?以上$")
_AGE_UNKNOWN = ("不詳者", "不詳", "年齢不詳")


@dataclass
class _TokyoRow:
    line: int
    level: int
    code: str
    name: str
    is_total: bool
    age_label: str  # normalised (NFKC): the key
    age_shown: str  # as written in the file: for messages
    age_from: int | None
    age_to: int | None
    counts: dict[str, int]


def _parse_age_class(label: str) -> tuple[int | None, int | None] | None:
    """ "0～4" → (0, 4); "100以上" → (100, None); "不詳者" → (None, None); otherwise None."""
    if label in _AGE_UNKNOWN:
        return (None, None)
    m = _AGE_RANGE_RE.match(label)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if hi >= lo else None
    m = _AGE_OPEN_RE.match(label)
    if m:
        return (int(m.group(1)), None)
    return None


def read_tokyo_juki_age5(path: str | Path) -> pd.DataFrame:
    """東京都 第7表 (区市町村 × 5歳階級 × 日本人/外国人 × 男女) → tidy long frame.

    Columns ``date, area_level, area_code, area_name, age_from, age_to, sex, nationality,
    population``: detail rows only (男/女 × 日本人/外国人; no 総数/計 rows); ``100以上`` has ``age_to``
    NA; 不詳者 is kept only where non-zero, with ``age_from``/``age_to`` NA. ``date`` is the first day
    of the month in the footer title line (令和8年1月 → 2026-01-01). "-" is zero (the table says so).

    Checks: header on line 1; known area code with the matching name and level
    (reference/tokyo_areas.csv); no duplicated (area, age) row; counts are non-negative integers;
    男+女=計 and 日本人+外国人=総数 on every row; each area's age rows cover all ages once and add up
    to its own total row; areas add up to their parent area when all its parts are present; the
    title line with the date is present; a date in the file name (``dai7hyo_age5_YYYYMM.csv``) agrees.
    """
    path = Path(path)
    data = read_csv_rows(path)
    problems = Problems(path)
    rows = data.rows
    mapping = check_header(problems, rows, TOKYO_HEADER, 1)
    problems.raise_if_any()
    assert mapping is not None
    ref = tokyo_areas()

    parsed: list[_TokyoRow] = []
    bad_areas: set[str] = set()
    end = len(rows)
    for idx, (line, cells) in enumerate(rows):
        if line == 1 or idx == 0:
            continue
        if is_blank_row(cells):
            end = idx
            break
        if len(cells) < len(TOKYO_HEADER):
            problems.add(
                f"列の数が足りません（{len(TOKYO_HEADER)}列のはずが{len(cells)}列）",
                row=line,
                expected=f"{len(TOKYO_HEADER)}列",
                found=f"{len(cells)}列",
            )
            bad_areas.add(
                clean_label(cells[mapping["地域コード"]]) if len(cells) > mapping["地域コード"] else ""
            )
            continue
        before = len(problems)

        def at(label: str, cells: list[Any] = cells) -> Any:
            return cells[mapping[label]]

        code = clean_label(at("地域コード"))
        name = clean_label(at("地域"))
        level = problems.count(at("地域階層"), row=line, column="地域階層", dash="error")
        age_level = problems.count(at("年齢階層"), row=line, column="年齢階層", dash="error")
        if level is not None and level not in (0, 1, 2, 3, 4):
            problems.add(
                "地域階層は0～4のいずれかです", row=line, column="地域階層", expected="0～4", found=level
            )
            level = None
        if age_level is not None and age_level not in (0, 1):
            problems.add(
                "年齢階層は0（総数）か1（明細）です",
                row=line,
                column="年齢階層",
                expected="0 または 1",
                found=age_level,
            )
            age_level = None
        if not re.fullmatch(r"\d{5}", code):
            problems.add(
                "地域コードは5桁の数字です",
                row=line,
                column="地域コード",
                expected="5桁の数字（例: 13219）",
                found=cell_text(at("地域コード")),
            )
        elif code not in ref:
            problems.add(
                f"地域コード「{code}」は東京都の地域コードにありません",
                row=line,
                column="地域コード",
                expected="reference/tokyo_areas.csv にある地域コード",
                found=code,
            )
        else:
            area = ref[code]
            if name != area.name:
                problems.add(
                    f"地域名が地域コード「{code}」と合いません",
                    row=line,
                    column="地域",
                    expected=area.name,
                    found=name,
                )
            if level is not None and level != area.level:
                problems.add(
                    f"地域階層が地域コード「{code}」（{area.name}）と合いません",
                    row=line,
                    column="地域階層",
                    expected=area.level,
                    found=level,
                )
        age_label = clean_label(at("年齢"))
        age_from = age_to = None
        if age_level == 0:
            if age_label != "総数":
                problems.add(
                    "年齢階層0（総数）の行の年齢は「総数」です",
                    row=line,
                    column="年齢",
                    expected="総数",
                    found=age_label,
                )
        elif age_level == 1:
            parsed_age = _parse_age_class(age_label)
            if parsed_age is None:
                problems.add(
                    "年齢階級の書き方が違います",
                    row=line,
                    column="年齢",
                    expected="0～4、5～9 … 95～99、100以上、不詳者",
                    found=cell_text(at("年齢")),
                )
            else:
                age_from, age_to = parsed_age
        counts: dict[str, int] = {}
        for col in TOKYO_COUNTS:
            value = problems.count(at(col), row=line, column=col, dash="zero")
            if value is not None:
                counts[col] = int(value)
        if len(problems) > before:
            bad_areas.add(code)
            continue
        assert level is not None and age_level is not None
        for total, male, female in _TOKYO_SEX_SUMS:
            if counts[male] + counts[female] != counts[total]:
                problems.add(
                    "男＋女が計と合いません",
                    row=line,
                    column=total,
                    expected=f"{counts[male] + counts[female]}（男＋女）",
                    found=counts[total],
                )
                bad_areas.add(code)
        for total, jp, fo in _TOKYO_NAT_SUMS:
            if counts[jp] + counts[fo] != counts[total]:
                problems.add(
                    "日本人＋外国人が総数と合いません",
                    row=line,
                    column=total,
                    expected=f"{counts[jp] + counts[fo]}（日本人＋外国人）",
                    found=counts[total],
                )
                bad_areas.add(code)
        age_shown = str(at("年齢")).strip(" \u3000")
        parsed.append(
            _TokyoRow(line, level, code, name, age_level == 0, age_label, age_shown, age_from, age_to, counts)
        )

    # --- the date: footer title line 「住民基本台帳による東京都の世帯と人口　令和8年1月」
    date: dt.date | None = None
    title_seen = False
    for line, cells in rows[end:]:
        for cell in cells:
            text = clean_label(cell)
            if clean_label(TOKYO_TITLE) in text:
                title_seen = True
                try:
                    date = parse_wareki(text)
                except ValueError:
                    problems.add(
                        "表題行に基準年月がありません",
                        row=line,
                        expected=f"{TOKYO_TITLE}　令和8年1月",
                        found=text,
                    )
                break
        if title_seen:
            break
    if not title_seen:
        problems.add(
            f"表題行（{TOKYO_TITLE}　令和N年M月）がありません（基準日が分かりません）",
            expected=f"表の下（空行の後）に「{TOKYO_TITLE}　令和8年1月」の行",
            found="なし",
        )
    if date is not None:
        m = re.search(r"dai7hyo_age5_(\d{4})(\d{2})\.csv$", path.name)
        if m and (int(m.group(1)), int(m.group(2))) != (date.year, date.month):
            problems.add(
                "表題行の基準年月がファイル名と合いません",
                expected=f"{m.group(1)}年{int(m.group(2))}月（ファイル名）",
                found=f"{wareki_date(date, day=False)}（表題行）",
            )

    # --- duplicates, coverage and sums per area
    seen: dict[tuple[str, str], int] = {}
    by_area: dict[str, list[_TokyoRow]] = defaultdict(list)
    for r in parsed:
        key = (r.code, r.age_label)
        if key in seen:
            problems.add(
                f"{r.name}（{r.code}）の年齢「{r.age_shown}」の行が重複しています（{seen[key]}行目と{r.line}行目）",
                row=r.line,
                column="年齢",
                expected="地域・年齢ごとに1行",
                found=f"{seen[key]}行目と同じ",
            )
            bad_areas.add(r.code)
        else:
            seen[key] = r.line
        by_area[r.code].append(r)

    area_totals: dict[str, _TokyoRow] = {}
    for code, area_rows in by_area.items():
        if code in bad_areas:
            continue
        totals = [r for r in area_rows if r.is_total]
        details = [r for r in area_rows if not r.is_total]
        name = area_rows[0].name
        if not totals:
            problems.add(
                f"{name}（{code}）の総数行（年齢階層0）がありません",
                row=area_rows[0].line,
                column="年齢階層",
                expected="地域ごとに年齢階層0の総数行",
                found="なし",
            )
            continue
        total = totals[0]
        area_totals[code] = total
        if not details:
            problems.add(
                f"{name}（{code}）の年齢別の行（年齢階層1）がありません",
                row=total.line,
                column="年齢階層",
                expected="年齢階級ごとの行",
                found="総数行のみ",
            )
            continue
        gap = _age_gap([(r.age_from, r.age_to) for r in details if r.age_from is not None])
        if gap:
            problems.add(
                f"{name}（{code}）の年齢階級がそろっていません（{gap}）",
                row=total.line,
                column="年齢",
                expected="0歳から切れ目なく、最後は「◯以上」",
                found=gap,
            )
        for col in TOKYO_COUNTS:
            detail_sum = sum(r.counts[col] for r in details)
            if detail_sum != total.counts[col]:
                problems.add(
                    f"{name}（{code}）の年齢別の行の合計が総数行と合いません（総数行 {total.counts[col]:,}、"
                    f"年齢別の合計 {detail_sum:,}）",
                    row=total.line,
                    column=col,
                    expected=f"{total.counts[col]}（総数行）",
                    found=f"{detail_sum}（年齢別の合計）",
                )

    # --- parts add up to their parent area, where the parent and all its parts are in the file
    children: dict[str, list[str]] = defaultdict(list)
    for area in ref.values():
        if area.parent:
            children[area.parent].append(area.code)
    for parent, kids in children.items():
        if parent not in area_totals or not all(k in area_totals for k in kids):
            continue
        ptotal = area_totals[parent]
        for col in TOKYO_COUNTS:
            kid_sum = sum(area_totals[k].counts[col] for k in kids)
            if kid_sum != ptotal.counts[col]:
                kid_names = "・".join(ref[k].name for k in kids[:3]) + ("など" if len(kids) > 3 else "")
                problems.add(
                    f"{ptotal.name}（{parent}）の総数行が内訳の地域の合計と合いません",
                    row=ptotal.line,
                    column=col,
                    expected=f"{kid_sum}（{kid_names}の合計）",
                    found=ptotal.counts[col],
                )
    if not parsed and not problems:
        problems.add(
            "データ行がありません", row=2, expected="見出しの次の行から地域・年齢ごとの行", found="なし"
        )

    problems.raise_if_any()
    assert date is not None

    out: dict[str, list[Any]] = {
        k: []
        for k in (
            "area_level",
            "area_code",
            "area_name",
            "age_from",
            "age_to",
            "sex",
            "nationality",
            "population",
        )
    }
    for r in parsed:
        if r.is_total:
            continue
        for sex, nationality, col in _TOKYO_OUT:
            value = r.counts[col]
            if r.age_from is None and value == 0:
                continue  # 不詳者: kept only when non-zero
            out["area_level"].append(r.level)
            out["area_code"].append(r.code)
            out["area_name"].append(r.name)
            out["age_from"].append(r.age_from)
            out["age_to"].append(r.age_to)
            out["sex"].append(sex)
            out["nationality"].append(nationality)
            out["population"].append(value)
    n = len(out["population"])
    frame = pd.DataFrame(
        {
            "date": _dates(date, n),
            "area_level": _int_col(out["area_level"]),
            "area_code": _text_col(out["area_code"]),
            "area_name": _text_col(out["area_name"]),
            "age_from": _int_col(out["age_from"], nullable=True),
            "age_to": _int_col(out["age_to"], nullable=True),
            "sex": _text_col(out["sex"]),
            "nationality": _text_col(out["nationality"]),
            "population": _int_col(out["population"]),
        }
    )
    return validate_frame(TOKYO_JUKI_AGE5, frame, path)


def _age_gap(classes: list[tuple[int | None, int | None]]) -> str | None:
    """Why a set of age classes does not cover 0, 1, 2 … once with an open top class; None if it does."""
    ordered = sorted(classes, key=lambda c: (c[0], -1 if c[1] is None else c[1]))
    expected_from = 0
    for i, (lo, hi) in enumerate(ordered):
        assert lo is not None
        if lo != expected_from:
            if lo > expected_from:
                return f"{expected_from}歳～{lo - 1}歳の行がありません"
            return f"{lo}歳からの階級が重なっています"
        if hi is None:
            if i != len(ordered) - 1:
                return f"「{lo}以上」の後にも階級があります"
            return None
        expected_from = hi + 1
    return f"最後の「{expected_from}以上」の行がありません"


# ===================================================== 総務省 住民基本台帳 市区町村別 (人口・世帯数)

SOUMU_TITLE = "住民基本台帳人口・世帯数"
_MUNICIPAL_SUFFIXES = ("市", "区", "町", "村")


def _check_digit(code5: str) -> str:
    """The check digit of a 地方公共団体コード: 13219 → 5 (132195)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def read_soumu_juki_municipal(path: str | Path) -> pd.DataFrame:
    """総務省 住民基本台帳に基づく人口・世帯数 市区町村別 → ``date, area_code, prefecture, area_name,
    male, female, total, households``.

    One row per municipality: the 合計 row, the prefecture rows (empty 市区町村名) and the subtotal
    rows that are not municipalities (郡 such as 八重山郡, and 東京都 島しょ: names not ending in
    市/区/町/村) are dropped; 政令市 rows and their 区 rows are both kept (do not add them up).
    ``area_code`` is the 6-digit 団体コード without its check digit, which is verified. ``date`` is
    the 和暦 date at the start of the title line (令和2年1月1日 → 2020-01-01).

    The reduced layout (title, then header lines ending in ``団体コード,都道府県名,市区町村名,人``; the
    2022 edition as some copies keep it) is recognised: it gives ``total`` only, with ``male``,
    ``female`` and ``households`` NA (not zero), and a :class:`ReducedLayoutWarning` says so.

    Checks: title line with a date; the header; 6-digit codes with a correct check digit; no
    duplicated code; counts non-negative integers; 男+女=人 per row (full layout); the 合計 row equals
    the sum of the prefecture rows.
    """
    path = Path(path)
    data = read_csv_rows(path)
    problems = Problems(path)
    rows = data.rows
    if not rows:
        problems.add("ファイルが空です")
        problems.raise_if_any()

    first_line, first = rows[0]
    title = clean_label(first[0] if first else "")
    date: dt.date | None = None
    if clean_label(SOUMU_TITLE) not in title:
        problems.add(
            "1行目が表題（…住民基本台帳人口・世帯数…）ではありません",
            row=first_line,
            expected="令和N年1月1日住民基本台帳人口・世帯数、…（市区町村別）",
            found=title or "（空欄）",
        )
    else:
        try:
            date = parse_wareki(title)
        except ValueError:
            problems.add("表題行に基準日がありません", row=first_line, expected="令和N年1月1日…", found=title)

    # The label line: the last header line (within the first 12) whose first cell is 団体コード.
    label_idx = None
    for i, (_line, cells) in enumerate(rows[:12]):
        if cells and clean_label(cells[0]) == "団体コード" and "人" in [clean_label(c) for c in cells]:
            label_idx = i
    if label_idx is None:
        problems.add(
            "見出し行（団体コード … 人）がありません",
            row=2,
            expected="団体コード | 都道府県名 | 市区町村名 | 男 | 女 | 人 …",
            found=" | ".join(clean_label(c) for c in rows[1][1]) if len(rows) > 1 else "なし",
        )
    problems.raise_if_any()
    assert label_idx is not None and date is not None

    label_line, label_cells = rows[label_idx]
    labels = [clean_label(c) for c in label_cells]
    header_cells = [[clean_label(c) for c in cells] for _l, cells in rows[1 : label_idx + 1]]
    reduced = "男" not in labels and "女" not in labels
    idx_total = labels.index("人")
    idx_male = idx_female = idx_households = None
    if not reduced:
        missing = [x for x in ("男", "女") if x not in labels]
        for x in missing:
            problems.add(f"列『{x}』がありません", row=label_line)
        idx_households = next(
            (i for cells in header_cells for i, c in enumerate(cells) if c == "世帯数"), None
        )
        if idx_households is None:
            problems.add("列『世帯数』がありません", row=label_line)
        problems.raise_if_any()
        idx_male, idx_female = labels.index("男"), labels.index("女")
    else:
        extra = [c for c in labels[3:] if c and c != "人"]
        if extra or len([c for c in labels if c == "人"]) != 1:
            problems.add(
                "見出しが想定の様式（全項目版・人口総数のみの簡略版）のどちらとも違います",
                row=label_line,
                expected=(
                    "団体コード | 都道府県名 | 市区町村名 | 男 | 女 | 人 … "
                    "または 団体コード | 都道府県名 | 市区町村名 | 人"
                ),
                found=" | ".join(x for x in labels if x),
            )
            problems.raise_if_any()

    names = {"code": "団体コード", "pref": "都道府県名", "name": "市区町村名"}
    records: list[dict[str, Any]] = []
    grand_total: tuple[int, dict[str, int | None]] | None = None
    pref_rows: list[dict[str, int | None]] = []
    seen: dict[str, int] = {}
    width = 1 + max(i for i in (idx_total, idx_male, idx_female, idx_households) if i is not None)
    for line, cells in rows[label_idx + 1 :]:
        if is_blank_row(cells):
            continue
        cells = _pad(cells, width)
        code6 = clean_label(cells[0])
        pref = clean_label(cells[1])
        name = clean_label(cells[2])
        if name in ("-",):
            name = ""
        is_grand = pref == "合計" or name == "合計"
        if not is_grand and not re.fullmatch(r"\d{6}", code6):
            if code6.startswith(("注", "※", "(注")) or (not pref and not name):
                break  # footer notes
            problems.add(
                "団体コードは6桁の数字です",
                row=line,
                column=names["code"],
                expected="6桁の数字（例: 132195）",
                found=cell_text(cells[0]),
            )
            continue
        before = len(problems)

        def num(idx: int | None, column: str, line: int = line, cells: list[Any] = cells) -> int | None:
            if idx is None:
                return None
            value = problems.count(cells[idx], row=line, column=column, dash="error")
            return None if value is None else int(value)

        total = num(idx_total, "人（計）")
        male = num(idx_male, "男")
        female = num(idx_female, "女")
        households = num(idx_households, "世帯数")
        if len(problems) > before:
            continue
        if male is not None and female is not None and total is not None and male + female != total:
            problems.add(
                "男＋女が人口（計）と合いません",
                row=line,
                column="人（計）",
                expected=f"{male + female}（男＋女）",
                found=total,
            )
        values = {"male": male, "female": female, "total": total, "households": households}
        if is_grand:
            grand_total = (line, values)
            continue
        if code6[5] != _check_digit(code6[:5]):
            problems.add(
                "団体コードの検査数字が合いません",
                row=line,
                column=names["code"],
                expected=code6[:5] + _check_digit(code6[:5]),
                found=code6,
            )
            continue
        if code6[:5] in seen:
            problems.add(
                f"団体コード「{code6}」の行が重複しています（{seen[code6[:5]]}行目と{line}行目）",
                row=line,
                column=names["code"],
                expected="団体コードごとに1行",
                found=code6,
            )
            continue
        seen[code6[:5]] = line
        if not name:
            pref_rows.append(values)
            continue
        if not name.endswith(_MUNICIPAL_SUFFIXES):
            continue  # subtotal row (八重山郡, 島しょ): not a municipality
        records.append({"area_code": code6[:5], "prefecture": pref, "area_name": name, **values})

    if grand_total is not None and pref_rows:
        line, values = grand_total
        for key, column in (
            ("male", "男"),
            ("female", "女"),
            ("total", "人（計）"),
            ("households", "世帯数"),
        ):
            if values[key] is None:
                continue
            pref_sum = sum(int(v[key] or 0) for v in pref_rows)
            if pref_sum != values[key]:
                problems.add(
                    "合計行が都道府県の行の合計と合いません",
                    row=line,
                    column=column,
                    expected=f"{pref_sum}（都道府県の合計）",
                    found=values[key],
                )
    if not records:
        problems.add("市区町村の行がありません")
    problems.raise_if_any()

    if reduced:
        warnings.warn(
            f"「{display_name(path)}」は人口総数のみの簡略版の様式です。"
            "男・女・世帯数は含まれていないため欠測（NA）とします（0ではありません）。",
            ReducedLayoutWarning,
            stacklevel=2,
        )
    n = len(records)
    frame = pd.DataFrame(
        {
            "date": _dates(date, n),
            "area_code": _text_col([r["area_code"] for r in records]),
            "prefecture": _text_col([r["prefecture"] for r in records]),
            "area_name": _text_col([r["area_name"] for r in records]),
            "male": _int_col([r["male"] for r in records], nullable=True),
            "female": _int_col([r["female"] for r in records], nullable=True),
            "total": _int_col([r["total"] for r in records], nullable=True),
            "households": _int_col([r["households"] for r in records], nullable=True),
        }
    )
    frame.attrs["layout"] = "total_only" if reduced else "full"
    return validate_frame(SOUMU_JUKI_MUNICIPAL, frame, path)


# ================================================================================ SSDSE-A


def _fast_number(value: str) -> float | None:
    """Plain numbers without separators, the overwhelmingly common SSDSE cell; None otherwise."""
    try:
        return float(int(value))
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def read_ssdse_a(path: str | Path) -> pd.DataFrame:
    """SSDSE-A (統計センター 教育用標準データセット, 市区町村) → long frame
    ``area_code, prefecture, area_name, item_code, item_name, year, value``.

    Three header lines: item codes (line 1, starting with the edition ``SSDSE-A-2023``), the year of
    each item (line 2), Japanese labels (line 3); then one line per municipality keyed ``R`` + the
    5-digit code. ``item_name`` is the label NFKC-normalised. ``value`` is a nullable float: explicit
    missing markers ("-", "…", "x", "***") are NA, never zero. The edition is in ``frame.attrs``.
    """
    path = Path(path)
    data = read_csv_rows(path)
    problems = Problems(path)
    rows = data.rows
    if len(rows) < 4:
        problems.add("SSDSE-Aの様式ではありません（見出し3行とデータ行が必要です）", found=f"{len(rows)}行")
        problems.raise_if_any()
    (l1, codes), (l2, years), (l3, labels) = rows[0], rows[1], rows[2]
    edition = clean_label(codes[0]) if codes else ""
    if not edition.startswith("SSDSE-A"):
        problems.add(
            "1行目がSSDSE-Aの項目コード行ではありません",
            row=l1,
            column="A列",
            expected="SSDSE-A-YYYY | Prefecture | Municipality | A1101 …",
            found=edition or "（空欄）",
        )
    if len(labels) < 3 or [clean_label(x) for x in labels[:3]] != ["地域コード", "都道府県", "市区町村"]:
        problems.add(
            "3行目の見出しが違います",
            row=l3,
            expected="地域コード | 都道府県 | 市区町村 | …",
            found=" | ".join(clean_label(x) for x in labels[:3]),
        )
    problems.raise_if_any()

    n_items = len(codes) - 3
    item_codes: list[str] = []
    item_names: list[str] = []
    item_years: list[int] = []
    seen_items: dict[str, int] = {}
    years = _pad(years, len(codes))
    labels = _pad(labels, len(codes))
    for j in range(3, len(codes)):
        code = clean_label(codes[j])
        name = clean_label(labels[j])
        if not re.fullmatch(r"[A-Z]\d+", code):
            problems.add(
                "項目コードの書き方が違います",
                row=l1,
                column=name or f"{j + 1}列目",
                expected="A1101 のような項目コード",
                found=cell_text(codes[j]),
            )
        elif code in seen_items:
            problems.add(f"項目コード「{code}」が2つあります", row=l1, column=name, found=code)
        seen_items[code] = j
        year = clean_label(years[j])
        if not re.fullmatch(r"\d{4}", year):
            problems.add(
                "年度が4桁の西暦ではありません",
                row=l2,
                column=name or code,
                expected="2020 のような西暦年",
                found=cell_text(years[j]),
            )
            year = "0"
        if not name:
            problems.add("項目名が空欄です", row=l3, column=code)
        item_codes.append(code)
        item_names.append(name)
        item_years.append(int(year))
    problems.raise_if_any()

    area_codes: list[str] = []
    prefs: list[str] = []
    names: list[str] = []
    values: list[float | None] = []
    seen_areas: dict[str, int] = {}
    for line, cells in rows[3:]:
        if is_blank_row(cells):
            continue
        key = clean_label(cells[0])
        if not re.fullmatch(r"R\d{5}", key):
            problems.add(
                "地域コードの書き方が違います",
                row=line,
                column="地域コード",
                expected="R + 5桁の数字（例: R13219）",
                found=cell_text(cells[0]),
            )
            continue
        if key in seen_areas:
            problems.add(
                f"地域コード「{key}」の行が重複しています（{seen_areas[key]}行目と{line}行目）",
                row=line,
                column="地域コード",
                expected="地域ごとに1行",
                found=key,
            )
            continue
        seen_areas[key] = line
        if len(cells) != len(codes):
            problems.add("列の数が見出しと違います", row=line, expected=len(codes), found=len(cells))
            continue
        area_codes.append(key[1:])
        prefs.append(clean_label(cells[1]))
        names.append(clean_label(cells[2]))
        for j in range(3, len(codes)):
            raw = cells[j]
            number = _fast_number(raw)
            if number is None:
                parsed = problems.count(
                    raw,
                    row=line,
                    column=item_names[j - 3] or item_codes[j - 3],
                    dash="missing",
                    empty="missing",
                    allow_negative=True,
                    allow_fraction=True,
                    allow_missing=True,
                )
                number = None if parsed is None else float(parsed)
            values.append(number)
    if not area_codes:
        problems.add("データ行がありません")
    problems.raise_if_any()

    n_areas = len(area_codes)
    frame = pd.DataFrame(
        {
            "area_code": _text_col([c for c in area_codes for _ in range(n_items)]),
            "prefecture": _text_col([p for p in prefs for _ in range(n_items)]),
            "area_name": _text_col([a for a in names for _ in range(n_items)]),
            "item_code": _text_col(item_codes * n_areas),
            "item_name": _text_col(item_names * n_areas),
            "year": pd.Series(item_years * n_areas, dtype="int64"),
            "value": pd.array(values, dtype="Float64"),
        }
    )
    frame = validate_frame(SSDSE_A, frame, path)
    frame.attrs["edition"] = edition
    return frame


# ================================================================ 狛江市 住民基本台帳 町丁目別 (Excel)

CITY_POP_SHEET = "町丁目別年齢別人口"
CITY_HH_SHEET = "町丁目別世帯数"
CITY_POP_TITLE = "住民基本台帳　町丁目別・年齢（各歳）別人口"
CITY_HH_TITLE = "住民基本台帳　町丁目別世帯数・人口"
CITY_HEADER_ROW = 5
CITY_POP_HEADER = ("町丁目コード", "町名", "丁目", "年齢", "男", "女", "計")
CITY_HH_HEADER = ("町丁目コード", "町名", "丁目", "世帯数", "男", "女", "計")
CITY_AGES = tuple(f"{a}歳" for a in range(100)) + ("100歳以上",)
_CITY_AGE_RE = re.compile(r"^(\d+)歳(以上)?$")


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
        cells = _pad(values, len(header))
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


def _read_city_register(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tidy frames of one city-register workbook (copies: the parsed result is cached briefly,
    keyed by path and content hash, because both readers need the whole workbook)."""
    p = Path(path)
    digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
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
    file_date = _file_date(path)
    if file_date is None:
        problems.add(
            "ファイル名に基準日（YYYYMMDD）がありません",
            sheet=None,
            expected="juki_choume_age_YYYYMMDD.xlsx",
            found=path.name,
        )

    pop_problems = Problems(path, sheet=CITY_POP_SHEET)
    hh_problems = Problems(path, sheet=CITY_HH_SHEET)
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
    pop_rows, _pop_total, pop_clean = _read_city_sheet(pop_sheet, CITY_POP_HEADER, pop_problems)
    hh_rows, _hh_total, hh_clean = _read_city_sheet(hh_sheet, CITY_HH_HEADER, hh_problems)

    ref = komae_choume()
    # population sheet: each 町丁目 has each age exactly once
    ages_of: dict[str, dict[str, int]] = defaultdict(dict)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: {"男": 0, "女": 0, "計": 0})
    for r in pop_rows:
        code = r.choume.code
        assert r.age is not None
        if r.age in ages_of[code]:
            pop_problems.add(
                f"{r.choume.label}の年齢「{r.age}」の行が重複しています（{ages_of[code][r.age]}行目と{r.row}行目）",
                row=r.row,
                column="年齢",
                expected="町丁目・年齢ごとに1行",
                found=f"{ages_of[code][r.age]}行目と同じ",
            )
            pop_clean = False
            continue
        ages_of[code][r.age] = r.row
        for c in ("男", "女", "計"):
            sums[code][c] += r.values[c]
    if pop_clean:
        for code, choume in ref.items():
            if code not in ages_of:
                pop_problems.add(
                    f"町丁目「{choume.label}」の行がありません",
                    column="町丁目コード",
                    expected="狛江市の41町丁目すべて",
                    found="なし",
                )
                pop_clean = False
                continue
            missing = [a for a in CITY_AGES if a not in ages_of[code]]
            if missing:
                shown = "、".join(missing[:5]) + ("ほか" if len(missing) > 5 else "")
                pop_problems.add(
                    f"{choume.label}に年齢「{shown}」の行がありません",
                    column="年齢",
                    expected="0歳～99歳、100歳以上の各1行",
                    found=f"{len(missing)}歳分の行がない",
                )
                pop_clean = False
    # household sheet: each 町丁目 once, and its 男/女/計 equal the population sheet's sums
    seen_hh: dict[str, int] = {}
    for r in hh_rows:
        code = r.choume.code
        if code in seen_hh:
            hh_problems.add(
                f"{r.choume.label}の行が重複しています（{seen_hh[code]}行目と{r.row}行目）",
                row=r.row,
                column="町丁目コード",
                expected="町丁目ごとに1行",
                found=code,
            )
            hh_clean = False
            continue
        seen_hh[code] = r.row
        if pop_clean:
            for c in ("男", "女", "計"):
                if r.values[c] != sums[code][c]:
                    hh_problems.add(
                        f"{r.choume.label}の{c}が町丁目別年齢別人口の年齢別の合計と合いません",
                        row=r.row,
                        column=c,
                        expected=f"{sums[code][c]}（{CITY_POP_SHEET}の合計）",
                        found=r.values[c],
                    )
    if hh_clean:
        for code, choume in ref.items():
            if code not in seen_hh:
                hh_problems.add(
                    f"町丁目「{choume.label}」の行がありません",
                    column="町丁目コード",
                    expected="狛江市の41町丁目すべて",
                    found="なし",
                )

    problems.extend(pop_problems.all())
    problems.extend(hh_problems.all())
    problems.raise_if_any()
    date = date_pop
    assert date is not None

    pop_rows.sort(key=lambda r: (r.choume.code, CITY_AGES.index(r.age or "")))
    pop_out: dict[str, list[Any]] = defaultdict(list)
    for r in pop_rows:
        m = _CITY_AGE_RE.match(r.age or "")
        assert m is not None
        age_from = int(m.group(1))
        age_to = None if m.group(2) else age_from
        for sex in ("男", "女"):
            pop_out["choume_code"].append(r.choume.code)
            pop_out["town"].append(r.choume.town)
            pop_out["chome"].append(r.choume.chome)
            pop_out["area"].append(r.choume.area)
            pop_out["age_from"].append(age_from)
            pop_out["age_to"].append(age_to)
            pop_out["sex"].append(sex)
            pop_out["population"].append(r.values[sex])
    n = len(pop_out["population"])
    population = pd.DataFrame(
        {
            "date": _dates(date, n),
            "choume_code": _text_col(pop_out["choume_code"]),
            "town": _text_col(pop_out["town"]),
            "chome": _int_col(pop_out["chome"]),
            "area": _text_col(pop_out["area"]),
            "age_from": _int_col(pop_out["age_from"], nullable=True),
            "age_to": _int_col(pop_out["age_to"], nullable=True),
            "sex": _text_col(pop_out["sex"]),
            "population": _int_col(pop_out["population"]),
        }
    )
    hh_rows.sort(key=lambda r: r.choume.code)
    households = pd.DataFrame(
        {
            "date": _dates(date, len(hh_rows)),
            "choume_code": _text_col([r.choume.code for r in hh_rows]),
            "town": _text_col([r.choume.town for r in hh_rows]),
            "chome": _int_col([r.choume.chome for r in hh_rows]),
            "area": _text_col([r.choume.area for r in hh_rows]),
            "households": _int_col([r.values["世帯数"] for r in hh_rows]),
            "population": _int_col([r.values["計"] for r in hh_rows]),
        }
    )
    return (
        validate_frame(CITY_REGISTER_POPULATION, population, path),
        validate_frame(CITY_REGISTER_HOUSEHOLDS, households, path),
    )


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


__all__ = [
    "InputError",
    "ReducedLayoutWarning",
    "komae_choume",
    "read_city_register_households",
    "read_city_register_population",
    "read_soumu_juki_municipal",
    "read_ssdse_a",
    "read_tokyo_juki_age5",
    "tokyo_areas",
]
