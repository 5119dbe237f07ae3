"""Demo 社人研「日本の地域別将来推計人口（令和5（2023）年推計）」 workbook (``ipss_projection/suikei_kekka.xlsx``),
in the layout :mod:`komae_analysis.ingest.ipss_projection` reads (data/raw/README.md): one sheet
``Sheet1``, title and notes, the two-row header (コード・市などの別・都道府県・市区町村・年; 男女計・男・女 ×
総数 and 0～4歳 … 95歳～; 総人口指数; (再掲); 割合), one row per area and year 2020 … 2050.

Everything in it is INVENTED and the file says so on row 3. Only 5 areas are listed (東京都 and
世田谷区, 調布市, 狛江市 and 三鷹市), not the 1,951 of the real workbook. What is calibrated:

- 狛江市 2020 = 84,772 (the real 2020 census total, which the real workbook gives for 2020); its
  path to 2050 ends near 78,000 (the real R5 projection's order of magnitude), the years between
  are invented;
- the 2020 age and sex structure of each area is the demo register / demo 第7表 population of
  1 January 2020 (:func:`komae_analysis.demo.population_model.simulate`), scaled to the area's 2020
  total, so that the file agrees with the rest of the demo data set;
- the other areas' totals are invented values of the right size.

The later years come from a small cohort model (five-year survival from the demo life table, births
from a child–woman ratio, net migration by age scaled so that each year's total is on the area's
invented path), rounded to integers with 男＋女＝男女計 and the classes adding up to 総数 exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from komae_analysis.demo.io import workbook_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import DEMO_DATES, largest_remainder, simulate, survival

FOLDER = "ipss_projection"
FILE_NAME = "suikei_kekka.xlsx"
SHEET = "Sheet1"
TITLE = "日本の地域別将来推計人口（令和5（2023）年推計）　男女5歳階級別推計結果（市区町村）"
NOTE = "単位：人。2020年は国勢調査による実績値、2025年以降は推計値。"
DEMO_NOTE = "デモデータ：実在の統計ではありません（架空の値。狛江市の2020年の総数のみ国勢調査の公表値に合わせています）"
YEARS = tuple(range(2020, 2051, 5))
CLASS_LABELS = tuple(f"{a}～{a + 4}歳" for a in range(0, 95, 5)) + ("95歳～",)
N = len(CLASS_LABELS)  # 20

#: (code, 市などの別, name, totals 2020 … 2050). 狛江市 2020 is the real census total; the rest invented.
AREAS = (
    ("13000", "a", "東京都", (14_047_594, 14_262_000, 14_401_000, 14_470_000, 14_482_000, 14_437_000, 14_351_000)),
    ("13112", "0", "世田谷区", (943_664, 955_800, 962_400, 964_900, 963_100, 957_600, 949_000)),
    ("13204", "2", "三鷹市", (195_391, 197_600, 198_300, 197_900, 196_200, 193_600, 190_400)),
    ("13208", "2", "調布市", (242_614, 245_900, 247_300, 246_800, 244_700, 241_300, 237_100)),
    ("13219", "2", "狛江市", (84_772, 85_040, 84_480, 83_390, 81_880, 80_020, 78_010)),
)
KOMAE_CODE = "13219"
_INDEX_2020 = DEMO_DATES.index(next(d for d in DEMO_DATES if d.year == 2020))

# Net migration over five years by age at the end of the step: the age shape of a net gain of one
# person (students and young workers move in, families with children move out); scaled to the step.
_MIGRATION_SHAPE = np.array([-0.04, -0.03, -0.01, 0.22, 0.50, 0.22, -0.03, -0.05, -0.03, -0.02,
                             -0.01, -0.01, 0.0, 0.0, 0.0, 0.01, 0.01, 0.01, 0.01, 0.0])
_MIGRATION = _MIGRATION_SHAPE / _MIGRATION_SHAPE.sum()
_CWR = 0.145  # 0～4歳 per woman 15～49歳 (Tokyo-like)
_BOYS = 0.512


def _base_2020(code: str, total: int, seed: int) -> np.ndarray:
    """The area's 2020 classes (20, 2): the demo population of 1 January 2020 (95～99 and 100+
    merged), scaled to ``total`` and rounded (largest remainder)."""
    pop = simulate(seed)
    if code == KOMAE_CODE:
        single = pop.register[_INDEX_2020].sum(axis=0).astype(float)  # (101, 2)
        classes = np.concatenate([single[:95].reshape(19, 5, 2).sum(axis=1), single[95:].sum(axis=0)[None]])
    else:
        age5 = pop.total_age5[code][_INDEX_2020].astype(float)  # (21, 2)
        classes = np.concatenate([age5[:19], age5[19:].sum(axis=0)[None]])
    weights = classes.reshape(1, -1)
    return largest_remainder(np.array([total]), weights).reshape(N, 2)


def _survival_5() -> np.ndarray:
    """Five-year survival of each class to the next (20, 2): the demo life table, ages in the
    middle of the class; the last row closes 95歳～ (90～94 and 95+ together)."""
    s = survival()  # (101, 2)
    out = np.empty((N, 2))
    for i in range(N):
        mid = 5 * i + 2
        ages = np.minimum(np.arange(mid, mid + 5), 100)
        out[i] = s[ages].prod(axis=0)
    return out


def _step(prev: np.ndarray, target: float, surv: np.ndarray) -> np.ndarray:
    """One five-year step whose total is ``target``: aged and thinned, births, and net migration
    scaled so that the total matches (the total is linear in the migration scale)."""
    aged = np.zeros((N, 2))
    aged[1:N - 1] = prev[: N - 2] * surv[: N - 2]
    aged[N - 1] = prev[N - 2] * surv[N - 2] + prev[N - 1] * surv[N - 1]

    def with_scale(k: float) -> np.ndarray:
        out = aged + k * _MIGRATION[:, None] / 2
        births = _CWR * out[3:10, 1].sum()
        out[0] = (births * _BOYS, births * (1 - _BOYS))
        return out

    a, b = with_scale(0.0).sum(), with_scale(1.0).sum()
    k = (target - a) / (b - a)
    out = with_scale(k)
    if (out < 0).any():
        raise AssertionError("the demo projection went negative")
    return out


def area_table(code: str, totals: tuple[int, ...], seed: int) -> np.ndarray:
    """The area's integers by year, class and sex (7, 20, 2); each year sums to its total."""
    surv = _survival_5()
    out = np.empty((len(YEARS), N, 2), dtype=np.int64)
    current = _base_2020(code, totals[0], seed).astype(float)
    out[0] = current.astype(np.int64)
    for i in range(1, len(YEARS)):
        current = _step(current, float(totals[i]), surv)
        out[i] = largest_remainder(np.array([totals[i]]), current.reshape(1, -1)).reshape(N, 2)
    return out


def _header(ws) -> list[int]:
    """Rows 4 and 5 (the two-row header); returns the 1-based column of each block's 総数."""
    ws.append([TITLE])
    ws.append([NOTE])
    ws.append([DEMO_NOTE])
    upper: list[object] = ["コード", "市などの別", "都道府県", "市区町村", "年"]
    lower: list[object] = [None] * 5
    starts = []
    for name in ("男女計", "男", "女"):
        starts.append(len(upper) + 1)
        upper += [name] + [None] * N + [None]
        lower += ["総数", *CLASS_LABELS, None]
    upper += ["総人口指数（2020年＝100）", None, "（再掲）", None, None, None, None, None, "割合（％）", None, None, None, None]
    lower += [None, None, "0～14歳", "15～64歳", "65歳以上", "65～74歳", "75歳以上", None,
              "0～14歳", "15～64歳", "65歳以上", "65～74歳", "75歳以上"]
    ws.append(upper)
    ws.append(lower)
    for start in starts:
        ws.merge_cells(start_row=4, start_column=start, end_row=4, end_column=start + N)
    for col in range(1, 6):
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    first_extra = starts[-1] + N + 2
    ws.merge_cells(start_row=4, start_column=first_extra, end_row=5, end_column=first_extra)
    ws.merge_cells(start_row=4, start_column=first_extra + 2, end_row=4, end_column=first_extra + 6)
    ws.merge_cells(start_row=4, start_column=first_extra + 8, end_row=4, end_column=first_extra + 12)
    return starts


def _row(code: str, kind: str, name: str, year: int, cells: np.ndarray, total_2020: int) -> list[object]:
    both = cells.sum(axis=1)
    row: list[object] = [int(code), kind if kind == "a" else int(kind), "東京都", name, f"{year}年"]
    for block in (both, cells[:, 0], cells[:, 1]):
        row += [int(block.sum()), *(int(x) for x in block), None]
    total = int(both.sum())
    young, working, old, old75 = (int(both[a:b].sum()) for a, b in ((0, 3), (3, 13), (13, N), (15, N)))
    groups = (young, working, old, old - old75, old75)
    row += [round(100 * total / total_2020, 1), None, *groups, None, *(round(100 * g / total, 1) for g in groups)]
    return row


def ipss_workbook(seed: int) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _header(ws)
    for code, kind, name, totals in AREAS:
        table = area_table(code, totals, seed)
        for i, year in enumerate(YEARS):
            ws.append(_row(code, kind, name, year, table[i], totals[0]))
    ws.freeze_panes = "F6"
    widths = {1: 8, 2: 6, 3: 8, 4: 10, 5: 8}
    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 9)
    return wb


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo file of this source (``komae demo-data`` calls every demo module's ``write``)."""
    data = workbook_bytes(ipss_workbook(seed))
    return [write_bytes_atomic(Path(out_dir) / FOLDER / FILE_NAME, data)]


__all__ = ["AREAS", "FILE_NAME", "FOLDER", "YEARS", "area_table", "ipss_workbook", "write"]
