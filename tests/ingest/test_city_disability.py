"""The city's 障害者手帳 workbook (ingest/city_disability.py): a valid workbook built here in the
layout of data/raw/README.md (``city_disability/``) reads to the expected frame, and each failure that
really happens gives a Japanese problem naming file, sheet, row and column.

The workbook built here (two 年度, FY2023 and FY2024 unless a test asks otherwise; j = 0, 1 for them),
with f = 1, 10, 100 for 18歳未満, 18～64歳, 65歳以上:

- 身体 等級 n級 (n = 1 … 6): n·f + j; 障害種別 k-th of five: w·f + c·j with w = 1, 2, 3, 4, 11 and
  c = 1, 1, 1, 1, 2, so that both blocks add up to the same 合計 per band: 21·f + 6j
  (合計 計 = 21 + 210 + 2,100 + 18j = 2,331 in FY2023, 2,349 in FY2024);
- 愛の手帳 n度 (n = 1 … 4): n·f + j (合計 計 = 10·111 + 12j = 1,110 / 1,122);
- 精神 n級 (n = 1 … 3): n·f + j (合計 計 = 6·111 + 9j = 666 / 675);
- 自立支援医療: 5·f + j (計 = 555 / 558);
- 難病 指定難病 f + j, 都単独疾病 2·f + j (合計 計 = 333 / 339).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest import registry
from komae_analysis.ingest.city_disability import read_city_disability

SHINTAI, AI, SEISHIN, JIRITSU, NANBYO = (
    "身体障害者手帳", "愛の手帳", "精神障害者保健福祉手帳", "自立支援医療（精神通院）", "難病医療費助成")
BANDS = ("18歳未満", "18～64歳", "65歳以上")
F = (1, 10, 100)
KIND_W, KIND_C = (1, 2, 3, 4, 11), (1, 1, 1, 1, 2)
KINDS = ("視覚障害", "聴覚・平衡機能障害", "音声・言語・そしゃく機能障害", "肢体不自由", "内部障害")
WAREKI = {2020: "令和2年度", 2021: "令和3年度", 2022: "令和4年度", 2023: "令和5年度", 2024: "令和6年度"}


def _blocks(table: str) -> list[tuple[str, list[tuple[str, object]]]]:
    """(block label, [(level, value(band, j))]) of a sheet, 合計 excluded."""
    if table == SHINTAI:
        return [("等級", [(f"{n}級", lambda b, j, n=n: n * F[b] + j) for n in range(1, 7)]),
                ("障害種別", [(k, lambda b, j, w=w, c=c: w * F[b] + c * j) for k, w, c in zip(KINDS, KIND_W, KIND_C,
                                                                                              strict=True)])]
    if table == AI:
        return [("程度", [(f"{n}度", lambda b, j, n=n: n * F[b] + j) for n in range(1, 5)])]
    if table == SEISHIN:
        return [("等級", [(f"{n}級", lambda b, j, n=n: n * F[b] + j) for n in range(1, 4)])]
    if table == JIRITSU:
        return []
    return [("疾病区分", [("指定難病", lambda b, j: F[b] + j), ("都単独疾病", lambda b, j: 2 * F[b] + j)])]


def _grand(table: str, b: int, j: int) -> int:
    if table == JIRITSU:
        return 5 * F[b] + j
    block = _blocks(table)[0][1]
    return sum(v(b, j) for _lv, v in block)


def build(path: Path, *, years=(2023, 2024), offset: int = 0, overrides=None, drop=(), date_line="各年度3月31日現在",
          unit_line="（単位：人）", rename=None, text_years: dict[int, str] | None = None) -> Path:
    """Write a workbook in the city's layout. ``overrides``: {(sheet, block, level, age, fy): cell value}
    (block 「合計」 with level 「計」 for the 合計 rows); ``drop``: (sheet, block, level) row groups left out;
    ``offset``: extra rows above the table (the header moves down)."""
    overrides = overrides or {}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in (SHINTAI, AI, SEISHIN, JIRITSU, NANBYO):
        ws = wb.create_sheet(table)
        top = 1 + offset
        if offset:
            ws.cell(1, 1, "（参考）この表は担当課の集計です")
        ws.cell(top, 1, f"{table}　所持者数の推移")
        ws.cell(top + 1, 1, date_line)
        ws.cell(top + 2, 3 + len(years), unit_line)
        h = top + 4
        ws.cell(h, 1, "区分")
        ws.cell(h, 3, "年齢区分")
        ws.cell(h, 4, "年度")
        ws.merge_cells(start_row=h, start_column=1, end_row=h + 1, end_column=2)
        ws.merge_cells(start_row=h, start_column=3, end_row=h + 1, end_column=3)
        ws.merge_cells(start_row=h, start_column=4, end_row=h, end_column=3 + len(years))
        for i, fy in enumerate(years):
            ws.cell(h + 1, 4 + i, (text_years or WAREKI).get(fy, WAREKI.get(fy)))
        row = h + 2
        groups = [(blk, lv, v) for blk, levels in _blocks(table) for lv, v in levels]
        groups.append(("合計", "計", lambda b, j, t=table: _grand(t, b, j)))
        for g, (block, level, value) in enumerate(groups):
            if (table, block, level) in drop:
                continue
            first_of_block = g == 0 or groups[g - 1][0] != block
            if first_of_block:
                ws.cell(row, 1, block)
            ws.cell(row, 2, None if block == "合計" else level)
            for a, age in enumerate((*BANDS, "計")):
                ws.cell(row + a, 3, age)
                for i, fy in enumerate(years):
                    j = years.index(fy)
                    v = sum(value(b, j) for b in range(3)) if age == "計" else value(a, j)
                    ws.cell(row + a, 4 + i, overrides.get((table, block, level, age, fy), v))
            ws.merge_cells(start_row=row, start_column=2, end_row=row + 3, end_column=2)
            row += 4
        ws.cell(row + 1, 1, "注：テスト用の表")
    if rename:
        wb[rename[0]].title = rename[1]
    wb.save(path)
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(InputError) as exc:
        read_city_disability(path)
    return exc.value.problems


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("city_disability") / "techo.xlsx")


@pytest.fixture(scope="module")
def frame(good) -> pd.DataFrame:
    return read_city_disability(good)


def value(frame, table, fy, kind="計", grade="計", age="計"):
    hit = frame[(frame["table"] == table) & (frame["fiscal_year"] == fy) & (frame["kind"] == kind)
                & (frame["grade"] == grade) & (frame["age_band"] == age)]
    assert len(hit) == 1, (table, fy, kind, grade, age)
    return hit.iloc[0]["holders"]


# ------------------------------------------------------------------------------- a good file


def test_columns_dtypes_and_shape(frame):
    assert list(frame.columns) == ["edition", "fiscal_year", "date", "table", "kind", "grade", "age_band", "holders"]
    assert str(frame["holders"].dtype) == "Int64" and str(frame["date"].dtype) == "datetime64[ns]"
    # row groups: 身体 6 等級 + 5 種別 + 合計 = 12; 愛 5; 精神 4; 自立 1; 難病 3 → 25 groups × 4 ages × 2 years
    assert len(frame) == 25 * 4 * 2
    assert set(frame["edition"]) == {2024} and frame.attrs["edition"] == "令和6年度末"
    assert set(frame["date"]) == {pd.Timestamp("2024-03-31"), pd.Timestamp("2025-03-31")}


def test_values_by_hand(frame):
    assert value(frame, SHINTAI, 2023) == 2331
    assert value(frame, SHINTAI, 2024) == 2349
    assert value(frame, SHINTAI, 2023, grade="3級", age="65歳以上") == 300  # 3 × 100 + 0
    assert value(frame, SHINTAI, 2024, grade="3級") == 3 + 30 + 300 + 3  # 336
    assert value(frame, SHINTAI, 2024, kind="内部障害", age="18歳未満") == 11 + 2  # 13
    assert value(frame, AI, 2024) == 1122
    assert value(frame, SEISHIN, 2023, grade="1級", age="18～64歳") == 10
    assert value(frame, JIRITSU, 2024) == 558
    assert value(frame, NANBYO, 2023, kind="都単独疾病") == 222


def test_levels_and_ages_add_up_in_the_frame(frame):
    # the reader's identities, seen from the frame: per table and year, levels → 計 and bands → 計
    for (table, fy), rows in frame.groupby(["table", "fiscal_year"]):
        total = rows[(rows["kind"] == "計") & (rows["grade"] == "計") & (rows["age_band"] == "計")]["holders"].iloc[0]
        for col in ("kind", "grade"):
            parts = rows[(rows[col] != "計") & (rows["age_band"] == "計")]
            if len(parts):
                assert parts["holders"].sum() == total, (table, fy, col)
        bands = rows[(rows["kind"] == "計") & (rows["grade"] == "計") & (rows["age_band"] != "計")]
        assert bands["holders"].sum() == total


def test_registry_entry_reads_the_folder(good, tmp_path):
    folder = tmp_path / "city_disability"
    folder.mkdir()
    (folder / good.name).write_bytes(good.read_bytes())
    src = registry.source("city_disability")
    assert src.reader is read_city_disability and not src.required
    assert len(registry.load("city_disability", tmp_path)) == 200


# ------------------------------------------------------------------------- quirks that read


def test_header_moved_down_a_row_still_reads(tmp_path, frame):
    moved = read_city_disability(build(tmp_path / "moved.xlsx", offset=1))
    pd.testing.assert_frame_equal(moved, frame)


def test_full_width_digits_commas_and_years_read(tmp_path):
    path = build(tmp_path / "zenkaku.xlsx", overrides={
        (SHINTAI, "等級", "1級", "65歳以上", 2023): "１００",
        (SHINTAI, "合計", "計", "計", 2023): "２，３３１",
        (AI, "合計", "計", "計", 2024): "1,122",
    }, text_years={2023: "令和５年度", 2024: "令和６年度"})
    f = read_city_disability(path)
    assert value(f, SHINTAI, 2023, grade="1級", age="65歳以上") == 100
    assert value(f, SHINTAI, 2023) == 2331
    assert value(f, AI, 2024) == 1122
    assert sorted(set(f["fiscal_year"])) == [2023, 2024]


def test_suppression_markers_are_missing_never_zero(tmp_path):
    marks = {"1級": "－", "2級": "…", "3級": "x", "4級": "***"}
    path = build(tmp_path / "marks.xlsx", overrides={
        (SEISHIN, "等級", lv, "18歳未満", 2023): m for lv, m in marks.items() if lv != "4級"
    } | {(SHINTAI, "等級", "4級", "18歳未満", 2024): "***"})
    f = read_city_disability(path)
    for lv in ("1級", "2級", "3級"):
        assert pd.isna(value(f, SEISHIN, 2023, grade=lv, age="18歳未満"))
    assert pd.isna(value(f, SHINTAI, 2024, grade="4級", age="18歳未満"))
    assert value(f, SEISHIN, 2023) == 666  # the 計 is kept; the sums with a missing part are not checked
    assert value(f, SHINTAI, 2024, grade="4級", age="計") == 4 + 40 + 400 + 3


# ---------------------------------------------------------------------------- broken files


def test_renamed_sheet(tmp_path):
    (p,) = problems_of(build(tmp_path / "renamed.xlsx", rename=(AI, "愛の手帳 (2)")))
    assert p.sheet == AI and "シート『愛の手帳』がありません" in p.message and "愛の手帳 (2)" in p.message
    assert p.file.endswith("renamed.xlsx")


def test_missing_year_column(tmp_path):
    problems = problems_of(build(tmp_path / "gap.xlsx", years=(2020, 2021, 2023)))
    p = problems[0]
    assert "年度の列が足りません（令和4年度の列がありません）" in p.message
    assert p.sheet == SHINTAI and p.row == 6 and p.column == "F（令和5年度）"
    assert p.expected == "令和3年度の次は令和4年度" and p.found == "令和5年度"
    assert {q.sheet for q in problems} == {SHINTAI, AI, SEISHIN, JIRITSU, NANBYO}


def test_missing_level_rows(tmp_path):
    problems = problems_of(build(tmp_path / "nolevel.xlsx", drop=[(SHINTAI, "等級", "3級"), (AI, "程度", "4度")]))
    texts = {(p.sheet, p.message) for p in problems}
    assert (SHINTAI, "等級「3級」の行がありません") in texts
    assert (AI, "程度「4度」の行がありません") in texts
    p = next(p for p in problems if p.sheet == AI)
    assert p.column == "B" and "18歳未満、18～64歳、65歳以上、計" in p.expected


def test_total_that_disagrees_with_its_parts(tmp_path):
    path = build(tmp_path / "sum.xlsx", overrides={(SHINTAI, "合計", "計", "計", 2023): 2330,
                                                  (AI, "程度", "2度", "計", 2024): 226})
    problems = problems_of(path)
    by_sheet = {p.sheet: p for p in problems if "年齢区分の合計が計と合いません" in p.message}
    p = by_sheet[SHINTAI]
    # 合計 row group: rows 7 + 11 groups × 4 = 51 … 54; 計 on row 54, FY2023 in column D
    assert p.message == "合計の年齢区分の合計が計と合いません（計 2,330人、年齢区分の合計 2,331人）"
    assert (p.row, p.column, p.expected, p.found) == (54, "D（令和5年度）", "2331（年齢区分の合計）", "2330")
    q = by_sheet[AI]
    # 2度 in FY2024: (2 + 1) + (20 + 1) + (200 + 1) = 225, written 226
    assert q.message == "程度「2度」の年齢区分の合計が計と合いません（計 226人、年齢区分の合計 225人）"
    assert q.row == 14 and q.column == "E（令和6年度）"
    # and the levels no longer add up to the 合計 either: both numbers named
    assert any(p.sheet == AI and "程度別の合計（計）が「合計」と合いません（計 1,122人、程度別の合計 1,123人）" in p.message
               for p in problems)


def test_reference_date_line_changed(tmp_path):
    problems = problems_of(build(tmp_path / "date.xlsx", date_line="各年度4月1日現在"))
    p = problems[0]
    assert "基準日の行が様式と違います" in p.message and (p.row, p.column) == (2, "A")
    assert p.expected == "各年度3月31日現在" and p.found == "各年度4月1日現在"


def test_unit_line_changed(tmp_path):
    problems = problems_of(build(tmp_path / "unit.xlsx", unit_line="（単位：件）"))
    p = problems[0]
    assert p.message == "単位が「人」ではありません" and (p.row, p.column) == (3, "E")
    assert (p.expected, p.found) == ("（単位：人）", "（単位：件）")


def test_text_in_a_count_cell(tmp_path):
    (p,) = problems_of(build(tmp_path / "text.xlsx", overrides={(JIRITSU, "合計", "計", "65歳以上", 2024): "約500"}))
    assert p.sheet == JIRITSU and p.message == "数値ではありません" and p.column == "E（令和6年度）"
    assert p.row == 9 and p.found == "約500"
