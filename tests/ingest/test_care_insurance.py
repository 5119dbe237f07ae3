"""介護保険事業状況報告 保険者別 workbooks (年報 / 月報): a small valid workbook read to the expected tidy
frame, the fiscal-year cutoff, and one broken copy per failure that really happens.

The valid workbook (built here with openpyxl, every sheet in the published layout) has the rows
全国, 東京都計, 区部計, 市部計, 町村部計 and 狛江市. Each row's numbers are one pattern times the row's
factor k (狛江市 1, 市部計 3, 町村部計 2, 区部計 10, 東京都計 15 = 10 + 3 + 2, 全国 100):

- 第1号被保険者: 65歳以上75歳未満 100k, 75歳以上 120k, 計 220k;
- 認定者 (要支援1 … 要介護5): 65～74歳 1…7 × k (計 28k), 75歳以上 10…70 × k (計 280k), so 第1号
  11, 22 … 77 × k (計 308k); 第2号 1 each × k (計 7k); 総数 12, 23 … 78 × k (計 315k);
- 居宅 受給者: 第1号 5…11 × k (計 56k), 第2号 1 each (計 7k), 総数 6…12 (計 63k); 地域密着型: 第1号
  0, 0, 1, 2, 3, 2, 1 × k (計 9k), 第2号 0, 総数 = 第1号; 施設 (福祉, 保健, 療養型, 医療院): 第1号
  10, 6, －, 2 × k (計 18k), 第2号 1, 0, －, 0 (計 1k), 総数 11, 6, －, 2 (計 19k);
- 給付費 (千円): the 26 居宅 services 10, 20 … 260 × k (小計 3,510k), the 12 地域密着型 services 5, 10 … 60
  × k (小計 390k), 施設 100, 80, －, 20 × k (小計 200k), 合計 4,100k.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from komae_analysis.errors import InputError, InputProblem
from komae_analysis.ingest import registry
from komae_analysis.ingest.care_insurance import (
    FACILITIES,
    LEVELS,
    SHEETS,
    care_as_of,
    read_care_annual,
    read_care_monthly,
)
from tests.conftest import REALDATA

FACTORS = {"全国": 100, "東京都計": 15, "区部計": 10, "市部計": 3, "町村部計": 2, "狛江市": 1}
ROWS = list(FACTORS)


def pattern(table: str, cat: str, item: str) -> int | None:
    """The value of one cell at k = 1 (None: 「－」)."""
    lv = LEVELS.index(item) if item in LEVELS else None
    if table == "第1号被保険者":
        return {"65歳以上75歳未満": 100, "75歳以上": 120, "計": 220}[item]
    if table == "認定者":
        young = [1, 2, 3, 4, 5, 6, 7]
        old = [10, 20, 30, 40, 50, 60, 70]
        second = [1] * 7
        parts = {"第1号65～74歳": young, "第1号75歳以上": old, "第2号": second,
                 "第1号": [a + b for a, b in zip(young, old, strict=True)],
                 "総数": [a + b + c for a, b, c in zip(young, old, second, strict=True)]}[cat]
        return sum(parts) if item == "計" else parts[lv]
    if table in ("居宅サービス受給者", "地域密着型サービス受給者"):
        first = [5, 6, 7, 8, 9, 10, 11] if table.startswith("居宅") else [0, 0, 1, 2, 3, 2, 1]
        second = [1] * 7 if table.startswith("居宅") else [0] * 7
        parts = {"第1号": first, "第2号": second, "総数": [a + b for a, b in zip(first, second, strict=True)]}[cat]
        return sum(parts) if item == "計" else parts[lv]
    if table == "施設サービス受給者":
        parts = {"第1号": [10, 6, None, 2], "第2号": [1, 0, None, 0], "総数": [11, 6, None, 2]}[cat]
        return sum(p or 0 for p in parts) if item == "計" else parts[FACILITIES.index(item)]
    assert table == "給付費"
    if cat == "合計":
        return 4100
    items = next(b.items for s in SHEETS if s.table == "給付費" for b in s.blocks if b.key == cat)
    if item == "小計":
        return {"居宅": 3510, "地域密着型": 390, "施設": 200}[cat]
    i = items.index(item)
    if cat == "居宅":
        return 10 * (i + 1)
    if cat == "地域密着型":
        return 5 * (i + 1)
    return [100, 80, None, 20][i]


def cell_values() -> dict[tuple[str, str, str, str], object]:
    out: dict[tuple[str, str, str, str], object] = {}
    for spec in SHEETS:
        for block in spec.blocks:
            for item in block.items:
                for row in ROWS:
                    v = pattern(spec.table, block.key, item)
                    out[(row, spec.table, block.key, item)] = None if v is None else v * FACTORS[row]
    return out


def write_workbook(
    path: Path,
    kind: str = "年報",
    period: str = "令和4年度",
    *,
    values: dict | None = None,
    shift: dict[str, int] | None = None,
    rename: dict[str, str] | None = None,
    drop: tuple[str, str, str] | None = None,
    unit: dict[str, str] | None = None,
    title: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> Path:
    """The valid workbook, or a copy broken as asked: ``shift`` (sheet → extra empty rows above the
    header), ``rename`` (sheet → new name), ``drop`` (sheet, block label, item: a column left out),
    ``unit`` / ``title`` (sheet → text), ``names`` (row → name as written)."""
    values = cell_values() if values is None else values
    wb = Workbook()
    wb.remove(wb.active)
    for spec in SHEETS:
        ws = wb.create_sheet((rename or {}).get(spec.name, spec.name))
        ws["A1"] = (title or {}).get(spec.name, f"介護保険事業状況報告（{kind}）　{period}")
        ws["A2"] = spec.title
        top = 4 + (shift or {}).get(spec.name, 0)
        columns = [(b, i) for b in spec.blocks for i in b.items
                   if (spec.name, b.label, i) != drop]
        ws.cell(row=3, column=len(columns) + 1, value=(unit or {}).get(spec.name, f"（単位：{spec.unit}）"))
        ws.cell(row=top, column=1, value="保険者名")
        ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
        col = 2
        for block in spec.blocks:
            mine = [c for c in columns if c[0] is block]
            ws.cell(row=top, column=col, value=block.label)
            if block.items == (block.label,):
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
            else:
                if len(mine) > 1:
                    ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(mine) - 1)
                for k, (_b, item) in enumerate(mine):
                    ws.cell(row=top + 1, column=col + k, value=item)
            col += len(mine)
        for r, row in enumerate(ROWS):
            ws.cell(row=top + 2 + r, column=1, value=(names or {}).get(row, row))
            for c, (block, item) in enumerate(columns):
                v = values[(row, spec.table, block.key, item)]
                ws.cell(row=top + 2 + r, column=2 + c, value="－" if v is None else v)
        ws.cell(row=top + 3 + len(ROWS), column=1, value="注：テスト用の表")
    wb.save(path)
    return path


def annual(tmp_path: Path, name: str = "kaigo_nenpo_2022.xlsx", **kw) -> Path:
    return write_workbook(tmp_path / name, **kw)


def problems_of(excinfo: pytest.ExceptionInfo[InputError]) -> list[InputProblem]:
    return excinfo.value.problems


def only(excinfo: pytest.ExceptionInfo[InputError], message_part: str) -> InputProblem:
    hits = [p for p in problems_of(excinfo) if message_part in p.message]
    assert len(hits) == 1, [p.format_ja() for p in problems_of(excinfo)]
    return hits[0]


def value(frame: pd.DataFrame, area: str, table: str, cat: str, item: str):
    hit = frame[(frame["area"] == area) & (frame["table"] == table) & (frame["category"] == cat)
                & (frame["item"] == item)]
    assert len(hit) == 1
    return hit["value"].iloc[0]


# ------------------------------------------------------------------------------ a valid file


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> pd.DataFrame:
    return read_care_annual(annual(tmp_path_factory.mktemp("care")))


def test_columns_dtypes_and_period(good):
    assert list(good.columns) == ["date", "report", "fiscal_year", "months", "area", "area_kind", "table",
                                  "category", "item", "unit", "value"]
    assert set(good["date"]) == {pd.Timestamp(2023, 3, 31)}  # 令和4年度 → its last day
    assert set(good["report"]) == {"年報"} and set(good["fiscal_year"]) == {2022} and set(good["months"]) == {12}
    assert str(good["value"].dtype) == "Int64"
    for col in ("area", "area_kind", "table", "category", "item", "unit"):
        assert isinstance(good[col].dtype, pd.StringDtype), col
    # 6 rows × (3 + 40 + 24 + 24 + 15 + 46) cells
    assert len(good) == 6 * (3 + 40 + 24 + 24 + 15 + 46)
    kinds = good.drop_duplicates("area").set_index("area")["area_kind"].to_dict()
    assert kinds == {"全国": "全国", "東京都計": "都道府県", "区部計": "地域計", "市部計": "地域計",
                     "町村部計": "地域計", "狛江市": "保険者"}


def test_values_by_hand(good):
    assert value(good, "狛江市", "第1号被保険者", "第1号", "計") == 220
    assert value(good, "東京都計", "第1号被保険者", "第1号", "75歳以上") == 120 * 15
    assert value(good, "狛江市", "認定者", "第1号", "要介護3") == 55  # 5 + 50
    assert value(good, "全国", "認定者", "総数", "計") == 31_500
    assert value(good, "市部計", "居宅サービス受給者", "総数", "要支援1") == 18  # 6 × 3
    assert value(good, "狛江市", "給付費", "居宅", "訪問介護") == 10
    assert value(good, "狛江市", "給付費", "居宅", "介護予防支援") == 260  # the 26th 居宅 column
    assert value(good, "狛江市", "給付費", "合計", "合計") == 4100
    assert set(good.loc[good["table"] == "給付費", "unit"]) == {"千円"}


def test_a_dash_is_missing_not_zero(good):
    v = value(good, "狛江市", "施設サービス受給者", "第1号", "介護療養型医療施設")
    assert v is pd.NA
    assert value(good, "狛江市", "給付費", "施設", "介護療養型医療施設") is pd.NA
    assert value(good, "狛江市", "地域密着型サービス受給者", "第1号", "要支援1") == 0  # a real 0 stays 0


def test_levels_and_age_bands_add_up_in_the_frame(good):
    cert = good[(good["table"] == "認定者") & (good["area"] == "狛江市")].set_index(["category", "item"])["value"]
    for cat in ("総数", "第1号", "第1号65～74歳", "第1号75歳以上", "第2号"):
        assert sum(cert[(cat, lv)] for lv in LEVELS) == cert[(cat, "計")]
    for item in (*LEVELS, "計"):
        assert cert[("第1号65～74歳", item)] + cert[("第1号75歳以上", item)] == cert[("第1号", item)]


def test_a_monthly_file(tmp_path):
    path = write_workbook(tmp_path / "kaigo_geppo_202606.xlsx", kind="月報", period="令和8年6月分")
    frame = read_care_monthly(path)
    assert set(frame["date"]) == {pd.Timestamp(2026, 6, 30)}
    assert set(frame["fiscal_year"]) == {2026} and set(frame["months"]) == {1} and set(frame["report"]) == {"月報"}
    jan = read_care_monthly(write_workbook(tmp_path / "kaigo_geppo_202701.xlsx", kind="月報", period="令和9年1月分"))
    assert set(jan["fiscal_year"]) == {2026}  # January 2027 belongs to fiscal year 2026


def test_the_cutoff_keeps_the_years_annual_reports_and_its_first_half(tmp_path):
    folder = tmp_path / "care_insurance"
    folder.mkdir()
    write_workbook(folder / "kaigo_nenpo_2022.xlsx", period="令和4年度")
    write_workbook(folder / "kaigo_nenpo_2023.xlsx", period="令和5年度")
    write_workbook(folder / "kaigo_geppo_202309.xlsx", kind="月報", period="令和5年9月分")
    write_workbook(folder / "kaigo_geppo_202310.xlsx", kind="月報", period="令和5年10月分")
    assert care_as_of(2023) == dt.date(2023, 9, 30)
    annual_2023 = registry.load("care_annual", tmp_path, fy=2023)
    assert sorted(set(annual_2023["fiscal_year"])) == [2022]  # 令和5年度's 年報 is dated 2024-03-31
    monthly_2023 = registry.load("care_monthly", tmp_path, fy=2023)
    assert sorted(set(monthly_2023["date"])) == [pd.Timestamp(2023, 9, 30)]
    assert sorted(set(registry.load("care_annual", tmp_path, fy=2024)["fiscal_year"])) == [2022, 2023]


def test_no_folder_gives_an_empty_frame(tmp_path):
    frame = registry.load("care_annual", tmp_path, fy=2026)
    assert frame.empty and list(frame.columns)[:2] == ["date", "report"]


# --------------------------------------------------------------------------- broken copies


def test_a_header_shifted_by_a_row_still_reads(tmp_path, good):
    shifted = read_care_annual(annual(tmp_path, shift={s.name: 1 for s in SHEETS}))
    pd.testing.assert_frame_equal(shifted, good)


def test_a_renamed_sheet(tmp_path):
    path = annual(tmp_path, rename={"要介護（要支援）認定者数": "要介護認定者数"})
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "シート『要介護（要支援）認定者数』がありません")
    assert "要介護認定者数" in p.message and p.sheet == "要介護（要支援）認定者数"
    assert p.file.endswith("kaigo_nenpo_2022.xlsx")


def test_full_width_digits_and_commas_read_as_numbers(tmp_path, good):
    values = cell_values()
    values[("全国", "第1号被保険者", "第1号", "計")] = "２２，０００"
    values[("全国", "認定者", "総数", "計")] = "３１，５００"
    values[("狛江市", "給付費", "合計", "合計")] = "４,１００"
    frame = read_care_annual(annual(tmp_path, values=values))
    assert value(frame, "全国", "第1号被保険者", "第1号", "計") == 22_000
    assert value(frame, "全国", "認定者", "総数", "計") == 31_500
    assert value(frame, "狛江市", "給付費", "合計", "合計") == 4100
    pd.testing.assert_frame_equal(frame, good)


@pytest.mark.parametrize("marker", ["…", "x", "***", "－", "-", "X"])
def test_suppression_markers_are_missing_never_zero(tmp_path, marker):
    values = cell_values()
    values[("狛江市", "認定者", "第2号", "要介護5")] = marker
    values[("狛江市", "給付費", "居宅", "訪問入浴介護")] = marker
    frame = read_care_annual(annual(tmp_path, values=values))
    assert value(frame, "狛江市", "認定者", "第2号", "要介護5") is pd.NA
    assert value(frame, "狛江市", "給付費", "居宅", "訪問入浴介護") is pd.NA
    assert value(frame, "狛江市", "認定者", "第2号", "計") == 7  # the printed total stays
    # the 4 介護療養型医療施設 「－」 cells of each of the 6 rows, and these 2
    assert frame["value"].isna().sum() == 6 * 4 + 2
    # a marker where the known parts exceed the total is still caught
    values[("狛江市", "認定者", "第2号", "計")] = 5  # 6 known parts of 1 each
    with pytest.raises(InputError) as excinfo:
        read_care_annual(annual(tmp_path, name="kaigo_nenpo_2022.xlsx", values=values))
    assert "数値のある要支援1～要介護5の合計（6）より小さく" in only(excinfo, "狛江市の「第２号被保険者」の計").message


def test_the_fiscal_year_missing_from_the_title(tmp_path):
    path = annual(tmp_path, title={"第１号被保険者数": "介護保険事業状況報告（年報）"})
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "表題に年度がありません")
    assert (p.sheet, p.row, p.column) == ("第１号被保険者数", 1, "A")
    assert p.expected == "介護保険事業状況報告（年報）　令和4年度"


def test_sheets_disagreeing_on_the_year_and_the_file_name(tmp_path):
    path = annual(tmp_path, title={"保険給付費": "介護保険事業状況報告（年報）　令和3年度"})
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "表題の期間がシート『第１号被保険者数』（令和4年度）と違います")
    assert p.sheet == "保険給付費" and p.found == "令和3年度"
    wrong_name = annual(tmp_path, name="kaigo_nenpo_2021.xlsx")
    with pytest.raises(InputError) as excinfo:
        read_care_annual(wrong_name)
    assert only(excinfo, "ファイル名と合いません").expected == "kaigo_nenpo_2022.xlsx"


def test_a_monthly_report_among_the_annual_ones(tmp_path):
    path = write_workbook(tmp_path / "kaigo_nenpo_2026.xlsx", kind="月報", period="令和8年6月分")
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    assert len([p for p in problems_of(excinfo) if "月報のファイルです" in p.message]) == len(SHEETS)


def test_a_level_column_missing(tmp_path):
    path = annual(tmp_path, drop=("要介護（要支援）認定者数", "第１号被保険者", "要介護3"))
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "列『第１号被保険者／要介護3』がありません")
    assert p.sheet == "要介護（要支援）認定者数" and p.row == 5
    assert "要介護3" not in p.found and "要介護2" in p.found


def test_a_whole_column_group_missing(tmp_path):
    from openpyxl import load_workbook

    path = annual(tmp_path)
    wb = load_workbook(path)
    for cell in wb["要介護（要支援）認定者数"][4]:
        if cell.value == "うち75歳以上":
            cell.value = "うち後期高齢者"  # the group printed under another name
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "列のまとまり『うち75歳以上』がありません")
    assert "うち後期高齢者" in p.found and p.row == 4


def test_a_total_that_disagrees_with_its_parts(tmp_path):
    values = cell_values()
    values[("狛江市", "認定者", "第1号", "計")] = 309  # the levels add up to 308
    with pytest.raises(InputError) as excinfo:
        read_care_annual(annual(tmp_path, values=values))
    p = only(excinfo, "要支援1～要介護5の合計（308）と合いません")
    assert "狛江市の「第１号被保険者」の計（309）" in p.message
    assert p.sheet == "要介護（要支援）認定者数" and p.row == 11 and p.column.endswith("（第１号被保険者／計）")
    # 第1号 + 第2号 = 総数 fails as well (309 + 7 ≠ 315), with both numbers
    q = only(excinfo, "狛江市の「総数」の計（315）")
    assert "「第１号被保険者」・「第２号被保険者」の合計（316）" in q.message


def test_an_age_band_that_disagrees_with_the_first_insured(tmp_path):
    values = cell_values()
    values[("狛江市", "認定者", "第1号75歳以上", "要介護1")] = 31  # and its 計 281 keeps the block consistent
    values[("狛江市", "認定者", "第1号75歳以上", "計")] = 281
    with pytest.raises(InputError) as excinfo:
        read_care_annual(annual(tmp_path, values=values))
    p = only(excinfo, "狛江市の「第１号被保険者」の要介護1（33）")
    assert "「うち65歳以上75歳未満」・「うち75歳以上」の合計（34）" in p.message


def test_area_totals_are_checked(tmp_path):
    values = cell_values()
    values[("東京都計", "第1号被保険者", "第1号", "65歳以上75歳未満")] = 1501  # 区部 1000 + 市部 300 + 町村部 200
    values[("東京都計", "第1号被保険者", "第1号", "計")] = 3301
    with pytest.raises(InputError) as excinfo:
        read_care_annual(annual(tmp_path, values=values))
    p = only(excinfo, "東京都計の「第１号被保険者数」の65歳以上75歳未満（1,501）")
    assert "区部計・市部計・町村部計の合計（1,500）" in p.message


def test_amounts_in_thousand_yen_allow_the_rounding_of_each_part(tmp_path):
    values = cell_values()
    values[("狛江市", "給付費", "居宅", "小計")] = 3510 + 20  # 26 parts: within their rounding
    values[("狛江市", "給付費", "合計", "合計")] = 4100 + 20
    read_care_annual(annual(tmp_path, values=values))
    values[("狛江市", "給付費", "居宅", "小計")] = 3510 + 40  # beyond it
    values[("狛江市", "給付費", "合計", "合計")] = 4100 + 40
    with pytest.raises(InputError) as excinfo:
        read_care_annual(annual(tmp_path, name="kaigo_nenpo_2022.xlsx", values=values))
    p = only(excinfo, "訪問介護～介護予防支援の合計（3,510）")
    assert "狛江市の「居宅（介護予防）サービス」の小計（3,550）" in p.message


def test_the_unit_changed_to_yen(tmp_path):
    path = annual(tmp_path, unit={"保険給付費": "（単位：円）"})
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    p = only(excinfo, "単位が様式と違います（この表は千円単位のはずが円単位）")
    assert (p.sheet, p.row) == ("保険給付費", 3) and p.found == "（単位：円）" and p.expected == "（単位：千円）"


def test_an_unknown_insurer_an_empty_cell_and_a_negative_number(tmp_path):
    values = cell_values()
    values[("狛江市", "第1号被保険者", "第1号", "75歳以上")] = None
    values[("市部計", "第1号被保険者", "第1号", "計")] = -660
    path = annual(tmp_path, values=values, names={"町村部計": "郡部計"})
    # None is written as 「－」 by the builder: write an empty cell instead
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["第１号被保険者数"]["C11"] = None
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_care_annual(path)
    unknown = [p for p in problems_of(excinfo) if "保険者名『郡部計』" in p.message]
    assert [p.sheet for p in unknown] == [s.name for s in SHEETS] and {p.row for p in unknown} == {10}
    empty = only(excinfo, "値が空欄です")
    assert (empty.row, empty.column) == (11, "C（第１号被保険者数／75歳以上）")
    assert only(excinfo, "負の数は使えません").found == "-660"


def test_a_name_spaced_with_full_width_spaces_is_the_insurer(tmp_path):
    frame = read_care_annual(annual(tmp_path, names={"狛江市": "狛　江　市"}))
    assert "狛江市" in set(frame["area"])


# ----------------------------------------------------------------------------- real files


def test_real_published_workbooks_when_available():
    folder = REALDATA / "care_insurance"
    files = sorted(folder.glob("*.xls*")) if folder.is_dir() else []
    if not files:
        pytest.skip("no real 介護保険事業状況報告 workbook in ../shared/realdata (none was available)")
    for path in files:
        reader = read_care_monthly if "geppo" in path.name else read_care_annual
        frame = reader(path)
        assert "狛江市" in set(frame["area"])
