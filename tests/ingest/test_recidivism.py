"""Readers of ``moj_saihan/`` (法務省's 刑法犯検挙者中の再犯者数 by 警察署) and ``kousei_hogo/`` (福祉政策課's
更生保護 workbook).

The 法務省 fixture: two areas (東京都, 調布警察署) × two years (令和5年, 令和6年); 調布警察署 令和6年:
検挙者 凶悪犯 2, 粗暴犯 30, 窃盗犯 50, 知能犯 8, 風俗犯 3, その他 17 → 総数 110; 再犯者 1, 14, 25, 3, 1, 8 → 52.
東京都 is the same × 100. Rows of the 罪種別 sheet: heading 5–6, 東京都 7–20, 調布警察署 21–34 (総数 検挙者 21,
再犯者 22, then 凶悪犯 23/24, 粗暴犯 25/26, 窃盗犯 27/28, 知能犯 29/30, 風俗犯 31/32, その他 33/34); 年齢層別: 東京都
7–22, 調布警察署 23–38 (総数 23/24, 20歳未満 25/26, …, 65歳以上 37/38).
Every other cell of the parts is the same pattern; the 年齢層 rows split the same totals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from komae_analysis.demo.city_yearly import DemoSheet, add_sheet, yearly_sheet
from komae_analysis.errors import InputError
from komae_analysis.ingest import registry
from komae_analysis.ingest.recidivism import read_moj_recidivism, read_rehabilitation_stats

CRIME_ARRESTED = (2, 30, 50, 8, 3, 17)  # 110
CRIME_REPEAT = (1, 14, 25, 3, 1, 8)  # 52
AGE_ARRESTED = (10, 15, 15, 20, 20, 10, 20)  # 110
AGE_REPEAT = (3, 6, 8, 10, 11, 5, 9)  # 52
AGE_LABELS = ("20歳未満", "20～29歳", "30～39歳", "40～49歳", "50～59歳", "60～64歳", "65歳以上")
CRIMES = ("凶悪犯", "粗暴犯", "窃盗犯", "知能犯", "風俗犯", "その他")


def moj_sheet(kind: str, *, unit: str = "人", total_arrested: int = 110, labels=None, extra_line=False,
              years=("令和5年", "令和6年")) -> DemoSheet:
    cats, arrested, repeat = ((CRIMES, CRIME_ARRESTED, CRIME_REPEAT) if kind == "罪種"
                              else (AGE_LABELS, AGE_ARRESTED, AGE_REPEAT))
    n = len(years)
    rows = []
    for area, scale in (("東京都", 100), ("調布警察署", 1)):
        rows.append((area, "総数", "検挙者", *[sum(arrested) * scale] * (n - 1), total_arrested * scale))
        rows.append((None, None, "再犯者", *[sum(repeat) * scale] * n))
        for cat, a, r in zip(cats, arrested, repeat, strict=True):
            rows.append((None, cat, "検挙者", *[a * scale] * n))
            rows.append((None, None, "再犯者", *[r * scale] * n))
    lines = (f"刑法犯検挙者中の再犯者数（{kind}別）", "警察庁の犯罪統計に基づき法務省が作成（令和7年10月提供）",
             f"（単位：{unit}）")
    if extra_line:
        lines = (*lines, "（令和6年は暫定値）")
    return DemoSheet(name=f"{kind}別", lines=lines, labels=labels or ("地域", kind, "区分"), group="年",
                     periods=years, rows=tuple(rows), merge_down=(0, 1))


def save(path: Path, *sheets: DemoSheet) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        add_sheet(wb, s)
    wb.save(path)
    return path


def moj(tmp_path: Path, name: str = "m.xlsx", crime: DemoSheet | None = None, age: DemoSheet | None = None) -> Path:
    return save(tmp_path / name, crime or moj_sheet("罪種"), age or moj_sheet("年齢層"))


def test_moj_good_file(tmp_path):
    frame = read_moj_recidivism(moj(tmp_path))
    assert list(frame.columns) == ["area", "breakdown", "category", "year", "arrested", "repeat"]
    assert frame.attrs["edition"] == "2025-10-01"
    st = frame[(frame["area"] == "調布警察署") & (frame["year"] == 2024)]
    crime = st[st["breakdown"] == "罪種"].set_index("category")
    assert crime.loc["総数", "arrested"] == 110 and crime.loc["総数", "repeat"] == 52
    assert crime.loc["窃盗犯", "arrested"] == 50 and crime.loc["窃盗犯", "repeat"] == 25
    age = st[st["breakdown"] == "年齢層"].set_index("category")
    assert age.loc["14～19歳", "arrested"] == 10  # 「20歳未満」 is the 少年 row
    assert age.drop(index="総数")["repeat"].sum() == age.loc["総数", "repeat"]
    tokyo = frame[(frame["area"] == "東京都") & (frame["breakdown"] == "罪種") & (frame["category"] == "総数")]
    assert tokyo["arrested"].tolist() == [11000, 11000]


def test_moj_heading_shifted_down_still_reads(tmp_path):
    a = read_moj_recidivism(moj(tmp_path, "a.xlsx"))
    b = read_moj_recidivism(moj(tmp_path, "b.xlsx", moj_sheet("罪種", extra_line=True),
                                moj_sheet("年齢層", extra_line=True)))
    pd.testing.assert_frame_equal(a, b)


def test_moj_total_disagrees_with_the_parts(tmp_path):
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(moj(tmp_path, crime=moj_sheet("罪種", total_arrested=112)))
    problems = exc.value.problems
    (p,) = [q for q in problems if q.message.startswith("調布警察署")]
    assert p.message == "調布警察署の検挙者の総数が罪種別の合計と合いません" and p.sheet == "罪種別"
    assert p.expected == "110（凶悪犯＋粗暴犯＋窃盗犯＋知能犯＋風俗犯＋その他）" and p.found == "112"  # both numbers
    assert p.column == "令和6年（E列）" and p.row == 21
    # 東京都's 総数 disagrees as well (11,200 against 11,000), reported on its own row
    assert [(q.row, q.expected, q.found) for q in problems if q.message.startswith("東京都")] == [
        (7, "11000（凶悪犯＋粗暴犯＋窃盗犯＋知能犯＋風俗犯＋その他）", "11200")]


def test_moj_unit_changed(tmp_path):
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(moj(tmp_path, crime=moj_sheet("罪種", unit="千人")))
    (p,) = exc.value.problems
    assert p.message == "単位が様式と違います" and p.found == "単位：千人" and p.expected == "単位：人" and p.row == 3


def test_moj_category_column_missing(tmp_path):
    broken = moj_sheet("罪種", labels=("地域", "罪名", "区分"))
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(moj(tmp_path, crime=broken))
    (p,) = exc.value.problems
    assert p.message == "列『罪種』がありません" and p.sheet == "罪種別" and p.row == 5


def test_moj_year_column_missing(tmp_path):
    years = ("令和3年", "令和5年", "令和6年")
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(moj(tmp_path, crime=moj_sheet("罪種", years=years), age=moj_sheet("年齢層", years=years)))
    p = exc.value.problems[0]
    assert "令和4年の列がありません（令和3年と令和5年の間）" in p.message and p.row == 6


def test_moj_renamed_sheet(tmp_path):
    path = moj(tmp_path)
    wb = load_workbook(path)
    wb["年齢層別"].title = "年齢別"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(path)
    (p,) = exc.value.problems
    assert p.sheet == "年齢層別" and "年齢別" in p.message


def test_moj_suppressed_cells_are_missing_not_zero(tmp_path):
    path = moj(tmp_path)
    wb = load_workbook(path)
    ws = wb["罪種別"]
    # 調布警察署: 凶悪犯 再犯者 (row 24) 令和6年 (E) suppressed; 風俗犯 検挙者 (row 31) 令和5年 (D) 「***」
    assert ws["A21"].value == "調布警察署" and ws["B23"].value == "凶悪犯" and ws["B31"].value == "風俗犯"
    ws["E24"] = "x"
    ws["D31"] = "***"
    ws["D21"] = "１１０"  # full-width digits read as a number
    wb.save(path)
    frame = read_moj_recidivism(path)
    st = frame[(frame["area"] == "調布警察署") & (frame["breakdown"] == "罪種")].set_index(["category", "year"])
    assert pd.isna(st.loc[("凶悪犯", 2024), "repeat"]) and pd.isna(st.loc[("風俗犯", 2023), "arrested"])
    assert st.loc[("総数", 2023), "arrested"] == 110


def test_moj_repeat_above_arrested(tmp_path):
    path = moj(tmp_path)
    wb = load_workbook(path)
    ws = wb["罪種別"]
    ws["E24"] = 3  # 凶悪犯 再犯者 3 against 検挙者 2 (and the parts no longer add up)
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(path)
    messages = [(p.message, p.expected, p.found) for p in exc.value.problems]
    assert ("調布警察署の凶悪犯で再犯者が検挙者を上回っています", "2以下（検挙者）", "3") in messages


def test_moj_sheets_disagree(tmp_path):
    path = moj(tmp_path)
    wb = load_workbook(path)
    ws = wb["年齢層別"]
    assert ws["A23"].value == "調布警察署" and ws["C24"].value == "再犯者" and ws["B37"].value == "65歳以上"
    ws["E24"] = 53
    ws["E38"] = 10  # 65歳以上 再犯者 +1 so that the sheet itself adds up
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_moj_recidivism(path)
    (p,) = exc.value.problems
    assert p.sheet == "年齢層別" and "令和6年の再犯者の総数が罪種別のシートと合いません" in p.message
    assert p.expected == "52（罪種別のシートの総数）" and p.found == "53"


# ---------------------------------------------------------------------------- 更生保護


def rehab_sheets(actual=(20, 19, 18)) -> list[DemoSheet]:
    years, date = (2022, 2023, 2024), "令和8年5月31日現在"
    return [
        yearly_sheet("保護司", "保護司", date, "保護司会", years, [("定数", "人", (21, 21, 21)), ("実数", "人", actual)]),
        yearly_sheet("協力雇用主", "協力雇用主", date, "東京保護観察所", years,
                     [("協力雇用主数", "社", (10, 11, 12)), ("うち雇用実績のある事業主", "社", (1, "－", 2))]),
        yearly_sheet("社会を明るくする運動", "社明", date, "推進委員会", years,
                     [("行事数", "回", (6, 7, 8)), ("参加者数", "人", ("７８０", "９６０", "1,050"))]),
    ]


def test_rehab_good_file(tmp_path):
    frame = read_rehabilitation_stats(save(tmp_path / "r.xlsx", *rehab_sheets()))
    p = frame.pivot_table(index=["topic", "item"], columns="fiscal_year", values="value", aggfunc="first")
    assert p.loc[("保護司", "実数")].tolist() == [20, 19, 18]
    assert p.loc[("社会を明るくする運動", "参加者数")].tolist() == [780, 960, 1050]
    employers = frame[frame["item"] == "うち雇用実績のある事業主"]["value"]
    assert employers.isna().tolist() == [False, True, False]


def test_rehab_more_officers_than_the_quota(tmp_path):
    with pytest.raises(InputError) as exc:
        read_rehabilitation_stats(save(tmp_path / "r.xlsx", *rehab_sheets(actual=(20, 22, 18))))
    (p,) = exc.value.problems
    assert p.message == "実数が定数を上回っています" and p.expected == "21以下（定数）" and p.found == "22"
    assert p.sheet == "保護司" and p.column == "令和5年度（D列）"


def test_bundled_demo_files_read(demo_data_dir):
    frame = registry.load("moj_recidivism", demo_data_dir)
    assert set(frame["area"]) == {"全国", "東京都", "調布警察署"}
    assert sorted(frame["year"].unique()) == list(range(2017, 2025))
    national = frame[(frame["area"] == "全国") & (frame["breakdown"] == "罪種") & (frame["category"] == "総数")]
    rates = (national["repeat"] / national["arrested"] * 100).round(1).tolist()
    assert rates[:7] == [48.7, 48.8, 48.8, 49.1, 48.6, 47.9, 47.0]  # 犯罪白書・再犯防止推進白書 (real)
    rehab = registry.load("rehabilitation_stats", demo_data_dir)
    officers = rehab[(rehab["item"] == "実数") & (rehab["fiscal_year"] == 2024)]["value"]
    assert officers.tolist() == [18]  # 狛江分区保護司会, 2024-10-01 (real)
