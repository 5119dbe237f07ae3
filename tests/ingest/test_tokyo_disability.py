"""東京都「福祉・衛生 統計年報」 障害者手帳 tables (ingest/tokyo_disability.py): a valid workbook built
here in the layout of data/raw/README.md (``tokyo_disability/``) reads to the expected frame, and each
failure that really happens gives a Japanese problem naming file, sheet, row and column.

The workbook built here (令和7年3月31日現在) has the rows 総数, 区部, 市部, 狛江市, 調布市, 町村部 with a
size n = 142, 100, 40, 3, 5, 2 (総数 = 区部 + 市部 + 町村部, so the parent check applies there; 市部's
26 市 are not all present, so it is not checked) and the cells

- 身体: (k + 1)(g + 1)·n for the k-th 障害種別 and the g-th 等級 where the 種別 has it, else 「－」. Per n:
  視覚 1·(1+…+6) = 21, 聴覚・平衡 2·(2+…+6) = 40, 音声 3·(3+4) = 21, 肢体 4·21 = 84, 内部 5·(1+3+4) = 40,
  総数 計 = 206 (狛江市 618);
- 愛の手帳: (i + 1)(a + 1)·n for the i-th 程度 and a = 0 (18歳未満), 1 (18歳以上): 総数 計 = 10·3·n
  (狛江市 90);
- 精神: 10(i + 1)·n for the i-th 等級: 総数 = 60·n (狛江市 180).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest.tokyo_disability import read_tokyo_disability

SHINTAI, AI, SEISHIN = "身体障害者手帳", "愛の手帳", "精神障害者保健福祉手帳"
KINDS = ("視覚障害", "聴覚・平衡機能障害", "音声・言語・そしゃく機能障害", "肢体不自由", "内部障害")
GRADES = tuple(f"{g}級" for g in range(1, 7))
HAS = {"視覚障害": GRADES, "聴覚・平衡機能障害": GRADES[1:], "音声・言語・そしゃく機能障害": ("3級", "4級"),
       "肢体不自由": GRADES, "内部障害": ("1級", "3級", "4級")}
AREAS = (("総数", 142), ("区部", 100), ("市部", 40), ("狛江市", 3), ("調布市", 5), ("町村部", 2))
TITLES = {SHINTAI: "身体障害者手帳交付台帳登載数（障害の種類・等級・区市町村別）",
          AI: "愛の手帳交付台帳登載数（程度・年齢・区市町村別）", SEISHIN: "精神障害者保健福祉手帳所持者数（等級・区市町村別）"}


def _columns(table: str) -> list[tuple[str, str, object]]:
    """(group, label, value(n) — int or 「－」) for every column of a table."""
    if table == SHINTAI:
        def kind_cell(k, g):
            return lambda n: (k + 1) * (g + 1) * n if GRADES[g] in HAS[KINDS[k]] else "－"

        def kind_total(k):
            return lambda n: sum((k + 1) * (GRADES.index(x) + 1) * n for x in HAS[KINDS[k]])

        def grade_total(g):
            return lambda n: sum((k + 1) * (g + 1) * n for k in range(5) if GRADES[g] in HAS[KINDS[k]])

        cols = [("総数", "計", lambda n: 206 * n)] + [("総数", GRADES[g], grade_total(g)) for g in range(6)]
        for k, kind in enumerate(KINDS):
            cols += [(kind, "計", kind_total(k))] + [(kind, GRADES[g], kind_cell(k, g)) for g in range(6)]
        return cols
    if table == AI:
        cols = [("総数", "計", lambda n: 30 * n), ("総数", "18歳未満", lambda n: 10 * n), ("総数", "18歳以上", lambda n: 20 * n)]
        for i in range(4):
            cols += [(f"{i + 1}度", "計", lambda n, i=i: 3 * (i + 1) * n),
                     (f"{i + 1}度", "18歳未満", lambda n, i=i: (i + 1) * n),
                     (f"{i + 1}度", "18歳以上", lambda n, i=i: 2 * (i + 1) * n)]
        return cols
    return [("総数", "", lambda n: 60 * n)] + [("等級", f"{i + 1}級", lambda n, i=i: 10 * (i + 1) * n) for i in range(3)]


def build(path: Path, *, offset: int = 0, overrides=None, drop=(), dates=None, unit="（単位：人）", rename=None,
          extra_area=None) -> Path:
    """``overrides``: {(sheet, area, group, label): value}; ``drop``: (sheet, group, label) columns left out;
    ``dates``: {sheet: date line}."""
    overrides = overrides or {}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in (SHINTAI, AI, SEISHIN):
        ws = wb.create_sheet(table)
        top = 1 + offset
        ws.cell(top, 1, TITLES[table])
        ws.cell(top + 1, 1, (dates or {}).get(table, "令和7年3月31日現在"))
        cols = [c for c in _columns(table) if (table, c[0], c[1]) not in drop]
        ws.cell(top + 2, 1 + len(cols), unit)
        h = top + 3
        ws.cell(h, 1, "区市町村")
        ws.merge_cells(start_row=h, start_column=1, end_row=h + 1, end_column=1)
        prev = None
        start = 2
        for i, (group, label, _v) in enumerate(cols, start=2):
            if group != prev:
                ws.cell(h, i, group)
                if prev is not None and i - 1 > start:
                    ws.merge_cells(start_row=h, start_column=start, end_row=h, end_column=i - 1)
                prev, start = group, i
            if label:
                ws.cell(h + 1, i, label)
        areas = list(AREAS) + ([extra_area] if extra_area else [])
        for r, (name, n) in enumerate(areas, start=h + 2):
            ws.cell(r, 1, name)
            for i, (group, label, v) in enumerate(cols, start=2):
                ws.cell(r, i, overrides.get((table, name, group, label), v(n)))
        ws.cell(h + 2 + len(areas) + 1, 1, "資料：テスト用の表")
    if rename:
        wb[rename[0]].title = rename[1]
    wb.save(path)
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(InputError) as exc:
        read_tokyo_disability(path)
    return exc.value.problems


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> pd.DataFrame:
    return read_tokyo_disability(build(tmp_path_factory.mktemp("tokyo_disability") / "nenpo.xlsx"))


def value(frame, table, area, kind="計", grade="計", age="計"):
    hit = frame[(frame["table"] == table) & (frame["area_name"] == area) & (frame["kind"] == kind)
                & (frame["grade"] == grade) & (frame["age_band"] == age)]
    assert len(hit) == 1
    return hit.iloc[0]["holders"]


def test_shape_and_values_by_hand(frame):
    assert list(frame.columns) == ["date", "table", "area_code", "area_name", "kind", "grade", "age_band", "holders"]
    assert set(frame["date"]) == {pd.Timestamp("2025-03-31")}
    # columns: 身体 6 × 7 = 42, 愛 5 × 3 = 15, 精神 4 → 61 per area, 6 areas
    assert len(frame) == 61 * 6
    assert value(frame, SHINTAI, "狛江市") == 618
    assert value(frame, SHINTAI, "狛江市", kind="内部障害", grade="1級") == 15  # 5 · 1 · 3
    assert pd.isna(value(frame, SHINTAI, "狛江市", kind="内部障害", grade="2級"))  # 「－」: no such 等級
    assert value(frame, SHINTAI, "総数", grade="4級") == (1 + 2 + 3 + 4 + 5) * 4 * 142  # every 種別 has 4級
    assert value(frame, AI, "狛江市") == 90
    assert value(frame, AI, "調布市", grade="4度", age="18歳以上") == 40  # 4 · 2 · 5
    assert value(frame, SEISHIN, "狛江市", grade="3級") == 90
    assert frame.set_index("area_name")["area_code"].to_dict()["狛江市"] == "13219"
    assert frame.set_index("area_name")["area_code"].to_dict()["総数"] == "13000"


def test_header_moved_down_a_row_still_reads(tmp_path, frame):
    pd.testing.assert_frame_equal(read_tokyo_disability(build(tmp_path / "moved.xlsx", offset=1)), frame)


def test_full_width_digits_and_markers(tmp_path):
    path = build(tmp_path / "marks.xlsx", overrides={
        (SHINTAI, "狛江市", "総数", "計"): "６１８",
        (SEISHIN, "調布市", "等級", "1級"): "x",
        (AI, "総数", "総数", "計"): "４，２６０",
        (AI, "狛江市", "1度", "18歳未満"): "…",
    })
    f = read_tokyo_disability(path)
    assert value(f, SHINTAI, "狛江市") == 618
    assert value(f, AI, "総数") == 4260
    assert pd.isna(value(f, SEISHIN, "調布市", grade="1級"))
    assert pd.isna(value(f, AI, "狛江市", grade="1度", age="18歳未満"))


def test_renamed_sheet(tmp_path):
    (p,) = problems_of(build(tmp_path / "renamed.xlsx", rename=(SEISHIN, "精神")))
    assert p.sheet == SEISHIN and "シート『精神障害者保健福祉手帳』がありません" in p.message and "精神" in p.message


def test_missing_level_column(tmp_path):
    (p,) = problems_of(build(tmp_path / "nocol.xlsx", drop=[(SHINTAI, "視覚障害", "2級")]))
    assert p.sheet == SHINTAI and p.message == "列「2級」（視覚障害）がありません" and p.row == 5


def test_total_that_disagrees_with_its_parts(tmp_path):
    problems = problems_of(build(tmp_path / "sum.xlsx", overrides={(SEISHIN, "狛江市", "総数", ""): 181}))
    (p,) = problems
    assert p.sheet == SEISHIN and p.row == 9 and p.column == "B（総数）"
    assert p.message == "狛江市の総数が等級の合計と合いません（総数 181人、等級の合計 180人）"


def test_parent_that_disagrees_with_its_areas(tmp_path):
    problems = problems_of(build(tmp_path / "parent.xlsx", overrides={(AI, "区部", "4度", "18歳未満"): 401,
                                                                     (AI, "区部", "4度", "計"): 1201,
                                                                     (AI, "区部", "総数", "18歳未満"): 1001,
                                                                     (AI, "区部", "総数", "計"): 3001}))
    # 区部 itself adds up (its 4度 and 総数 moved by one together), but 総数 (142 n) is no longer 区部 + 市部 + 町村部
    texts = [p.message for p in problems]
    assert "総数の4度／18歳未満が内訳の地域の合計と合いません（総数 568人、区部・市部・町村部の合計 569人）" in texts
    assert all(p.row == 6 for p in problems)


def test_grade_a_kind_does_not_have(tmp_path):
    (p,) = problems_of(build(tmp_path / "na.xlsx", overrides={(SHINTAI, "調布市", "聴覚・平衡機能障害", "1級"): 3}))
    assert p.message == "聴覚・平衡機能障害に1級はありません（「－」のはずです）" and p.row == 10


def test_reference_date_not_a_year_end(tmp_path):
    (p,) = problems_of(build(tmp_path / "date.xlsx", dates={AI: "令和7年4月1日現在"}))
    assert p.sheet == AI and p.message == "基準日が年度末（3月31日）ではありません" and p.row == 2


def test_sheets_of_different_dates(tmp_path):
    (p,) = problems_of(build(tmp_path / "dates.xlsx", dates={SEISHIN: "令和6年3月31日現在"}))
    assert p.sheet == SEISHIN and "基準日がシート「身体障害者手帳」と違います" in p.message
    assert (p.expected, p.found) == ("令和7年3月31日現在", "令和6年3月31日現在")


def test_unit_changed(tmp_path):
    problems = problems_of(build(tmp_path / "unit.xlsx", unit="（単位：千人）"))
    assert {p.sheet for p in problems} == {SHINTAI, AI, SEISHIN}
    assert all(p.message == "単位が「人」ではありません" and p.found == "（単位：千人）" for p in problems)


def test_unknown_area(tmp_path):
    problems = problems_of(build(tmp_path / "area.xlsx", extra_area=("川崎市", 1)))
    assert [p.sheet for p in problems] == [SHINTAI, AI, SEISHIN]
    assert all(p.message == "地域名「川崎市」は東京都の区市町村にありません" and p.row == 12 and p.column == "A（区市町村）"
               for p in problems)
