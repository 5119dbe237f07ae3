"""Readers of ``seikatsu_hogo/`` (生活保護 monthly) and ``community/`` (福祉政策課's yearly workbook),
and the wide-table reader they share (:mod:`komae_analysis.ingest.city_yearly`).

Each fixture is built here with openpyxl in the layout of data/raw/README.md, from small numbers
written out below; each broken file breaks one thing that really happens to such files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from komae_analysis.demo.city_yearly import DemoSheet, add_sheet, yearly_sheet
from komae_analysis.errors import InputError
from komae_analysis.ingest import registry
from komae_analysis.ingest.city_yearly import FY, MONTH, YEAR, parse_period
from komae_analysis.ingest.community import read_community_stats, read_seiho_monthly

YEARS = (2021, 2022, 2023)
MONTHS = tuple(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))
# 生活保護 FY2023: 世帯 100 … 111 (4月 100, 5月 101, …), 人員 = 世帯 + 20; 月平均: 105.5 → 106, 125.5 → 126
HH = list(range(100, 112))
PERSONS = [h + 20 for h in HH]


def seiho_sheet(*, lines=None, households=None, persons=None, average=(106, 126), months=MONTHS,
                name="被保護世帯数・人員") -> DemoSheet:
    households = list(HH if households is None else households)
    persons = list(PERSONS if persons is None else persons)
    return DemoSheet(
        name=name,
        lines=lines or ("生活保護 月別被保護世帯数・被保護実人員（令和5年度）", "狛江市 福祉保健部 生活福祉課",
                        "（単位：世帯、人）"),
        labels=("区分",),
        group="",
        groups=(("令和5年", 9), ("令和6年", len(months) - 9)),
        periods=tuple(months),
        extra=("月平均",),
        rows=(("被保護世帯数", *households, average[0]), ("被保護実人員", *persons, average[1])),
    )


def save(path: Path, *sheets: DemoSheet) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        add_sheet(wb, s)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# 成年後見 by 年度 2021, 2022, 2023: 後見 10/11/12, 保佐 3/4/5, 補助 1/1/2, 任意 0/1/0 → 申立 14/17/19
GUARD = {"後見開始": (10, 11, 12), "保佐開始": (3, 4, 5), "補助開始": (1, 1, 2), "任意後見監督人選任": (0, 1, 0)}


def community_sheets(*, guard_total=(14, 17, 19), mayor=(2, 3, 4), juusou=("－", "－", 120),
                     quota=(75, 77, 77), members=(72, 73, 70), extra_line: bool = False,
                     years=YEARS, consult_unit="件") -> list[DemoSheet]:
    date = "令和8年5月31日現在"
    sheets = [
        yearly_sheet("生活困窮者自立支援", "生活困窮者自立相談支援事業の実績", date, "生活福祉課", years,
                     [("新規相談受付件数", consult_unit, (300, 280, 250)[: len(years)]),
                      ("プラン作成件数", "件", (60, 55, 50)[: len(years)])]),
        yearly_sheet("成年後見", "成年後見", date, "福祉相談課", years,
                     [("申立件数", "件", guard_total[: len(years)]),
                      *((f"\u3000{k}", "件", v[: len(years)]) for k, v in GUARD.items()),
                      ("うち市長申立", "件", mayor[: len(years)]), ("報酬助成件数", "件", (5, 6, 7)[: len(years)])]),
        yearly_sheet("重層的支援体制整備事業", "重層", date, "福祉相談課", years,
                     [("相談件数", "件", juusou[: len(years)]), ("支援会議の開催回数", "回", ("－", "－", 8)[: len(years)])]),
        yearly_sheet("民生委員・児童委員", "民生委員", date, "福祉政策課", years,
                     [("定数", "人", quota[: len(years)]), ("委嘱数", "人", members[: len(years)]),
                      ("相談・支援件数", "件", (5000, 5100, 5200)[: len(years)])]),
    ]
    if extra_line:  # a line inserted above the heading: the merged heading moves down a row
        sheets = [DemoSheet(**{**s.__dict__, "lines": (*s.lines, "（前年度の数値は確定値）")}) for s in sheets]
    return sheets


def problems_of(exc: pytest.ExceptionInfo) -> list:
    return exc.value.problems


# ------------------------------------------------------------------------------- periods


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("令和5年度", FY, 2023), ("令和元年度", FY, 2019), ("平成29年度", FY, 2017), ("令和５年度", FY, 2023),
    ("令和5年度（2023年度）", FY, 2023), ("2023年度", FY, 2023), ("令和5年度（2024年度）", FY, None),
    ("令和元年", YEAR, 2019), ("平成31年", YEAR, 2019), ("令和6年", YEAR, 2024), (2024, YEAR, 2024),
    ("４月", MONTH, 4), ("13月", MONTH, None), ("年度", FY, None), ("平成33年度", FY, None),
])
def test_parse_period(text, kind, value):
    assert parse_period(text, kind) == value


# ------------------------------------------------------------------------------- 生活保護


def test_seiho_good_file(tmp_path):
    frame = read_seiho_monthly(save(tmp_path / "g.xlsx", seiho_sheet()))
    assert list(frame.columns) == ["date", "fiscal_year", "month", "households", "persons"]
    assert list(frame["month"]) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert frame["fiscal_year"].unique().tolist() == [2023]
    assert frame["date"].iloc[0] == pd.Timestamp(2024, 3, 31)  # the figures are complete at the year's end
    assert frame["households"].tolist() == HH and frame["persons"].tolist() == PERSONS


def test_seiho_full_width_digits_commas_and_markers(tmp_path):
    persons = list(PERSONS)
    persons[0] = "１，１２０"  # 全角 digits and comma: 1,120
    persons[1] = "…"  # not yet reported: explicit missing
    persons[2] = "x"
    households = list(HH)
    households[3] = "－"
    frame = read_seiho_monthly(save(tmp_path / "m.xlsx", seiho_sheet(persons=persons, households=households)))
    assert frame.loc[0, "persons"] == 1120
    assert frame["persons"].isna().tolist()[:3] == [False, True, True]
    assert pd.isna(frame.loc[3, "households"])
    assert (frame["persons"].fillna(-1) != 0).all()  # never read as zero


def test_seiho_heading_shifted_down_still_reads(tmp_path):
    lines = ("生活保護 月別被保護世帯数・被保護実人員（令和5年度）", "狛江市 福祉保健部 生活福祉課", "（単位：世帯、人）",
             "（令和6年4月 確定）")
    frame = read_seiho_monthly(save(tmp_path / "s.xlsx", seiho_sheet(lines=lines)))
    assert frame["persons"].tolist() == PERSONS


def test_seiho_renamed_sheet(tmp_path):
    path = save(tmp_path / "r.xlsx", seiho_sheet(name="生活保護"))
    with pytest.raises(InputError) as exc:
        read_seiho_monthly(path)
    p = problems_of(exc)[0]
    assert p.sheet == "被保護世帯数・人員" and "あるシート: 生活保護" in p.message
    assert "r.xlsx" in p.file


def test_seiho_missing_month(tmp_path):
    months = [m for m in MONTHS if m != "10月"]
    sheet = seiho_sheet(months=months, households=HH[:11], persons=PERSONS[:11])
    with pytest.raises(InputError) as exc:
        read_seiho_monthly(save(tmp_path / "mm.xlsx", sheet))
    p = problems_of(exc)[0]
    assert "10月" in p.message and p.row == 6 and p.sheet == "被保護世帯数・人員"


def test_seiho_average_disagrees_with_the_months(tmp_path):
    with pytest.raises(InputError) as exc:
        read_seiho_monthly(save(tmp_path / "a.xlsx", seiho_sheet(average=(106, 130))))
    (p,) = problems_of(exc)
    assert "被保護実人員の月平均" in p.message
    assert p.row == 8 and p.column == "月平均（N列）"
    assert p.expected.startswith("126") and p.found == "130"  # both numbers


def test_seiho_unit_changed(tmp_path):
    lines = ("生活保護 月別被保護世帯数・被保護実人員（令和5年度）", "狛江市", "（単位：千世帯、千人）")
    with pytest.raises(InputError) as exc:
        read_seiho_monthly(save(tmp_path / "u.xlsx", seiho_sheet(lines=lines)))
    (p,) = problems_of(exc)
    assert p.message == "単位が様式と違います" and p.found == "単位：千世帯、千人" and p.row == 3


def test_seiho_empty_cell_is_a_problem_not_zero(tmp_path):
    persons = list(PERSONS)
    persons[5] = None
    with pytest.raises(InputError) as exc:
        read_seiho_monthly(save(tmp_path / "e.xlsx", seiho_sheet(persons=persons)))
    (p,) = problems_of(exc)
    assert p.row == 8 and p.column == "9月（G列）" and "空欄" in p.message


# ---------------------------------------------------------------------- 福祉政策課の取りまとめ


def test_community_good_file(tmp_path):
    frame = read_community_stats(save(tmp_path / "c.xlsx", *community_sheets()))
    assert frame.attrs["edition"] == "2026-05-31"
    g = frame[frame["topic"] == "成年後見"].pivot(index="item", columns="fiscal_year", values="value")
    assert g.loc["申立件数"].tolist() == [14, 17, 19]
    assert g.loc["後見開始"].tolist() == [10, 11, 12]  # the indented 「　後見開始」 row
    j = frame[(frame["topic"] == "重層的支援体制整備事業") & (frame["item"] == "相談件数")]
    assert j["value"].isna().tolist() == [True, True, False]  # 「－」 before the project began: NA, not 0
    assert j["value"].iloc[2] == 120


def test_community_heading_shifted_down_still_reads(tmp_path):
    a = read_community_stats(save(tmp_path / "a.xlsx", *community_sheets()))
    b = read_community_stats(save(tmp_path / "b.xlsx", *community_sheets(extra_line=True)))
    pd.testing.assert_frame_equal(a, b)


def test_community_renamed_sheet(tmp_path):
    path = save(tmp_path / "r.xlsx", *community_sheets())
    wb = load_workbook(path)
    wb["成年後見"].title = "成年後見制度"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_community_stats(path)
    (p,) = problems_of(exc)
    assert p.sheet == "成年後見" and "シート『成年後見』がありません" in p.message and "成年後見制度" in p.message


def test_community_year_column_missing(tmp_path):
    sheets = community_sheets(years=(2021, 2023))
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "y.xlsx", *sheets))
    p = problems_of(exc)[0]
    assert "令和4年度の列がありません（令和3年度と令和5年度の間）" in p.message
    assert p.sheet == "生活困窮者自立支援" and p.row == 6 and p.column == "D列"


def test_community_category_column_missing(tmp_path):
    sheets = community_sheets()
    broken = DemoSheet(**{**sheets[0].__dict__, "labels": ("区分", "単位")})
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "c.xlsx", broken, *sheets[1:]))
    (p,) = problems_of(exc)
    assert p.message == "列『項目』がありません" and p.sheet == "生活困窮者自立支援" and p.row == 5


def test_community_total_disagrees_with_its_parts(tmp_path):
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "t.xlsx", *community_sheets(guard_total=(14, 18, 19))))
    (p,) = problems_of(exc)
    assert "申立件数が内訳" in p.message and p.sheet == "成年後見"
    assert p.expected == "17（内訳の合計）" and p.found == "18"  # both numbers
    assert p.row == 7 and p.column == "令和4年度（D列）"


def test_community_part_larger_than_whole(tmp_path):
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "w.xlsx", *community_sheets(members=(72, 78, 70))))
    (p,) = problems_of(exc)
    assert p.message == "委嘱数が定数を上回っています" and p.expected == "77以下（定数）" and p.found == "78"


def test_community_unit_changed(tmp_path):
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "u.xlsx", *community_sheets(consult_unit="千件")))
    (p,) = problems_of(exc)
    assert "単位が様式と違います" in p.message and p.expected == "件" and p.found == "千件" and p.column == "単位"


def test_community_markers_and_full_width_numbers(tmp_path):
    sheets = community_sheets(quota=("７５", "７７", "***"), members=("72", "…", "x"))
    frame = read_community_stats(save(tmp_path / "f.xlsx", *sheets))
    m = frame[frame["topic"] == "民生委員・児童委員"].pivot(index="item", columns="fiscal_year", values="value")
    assert m.loc["定数", 2021] == 75 and m.loc["定数", 2022] == 77 and pd.isna(m.loc["定数", 2023])
    assert pd.isna(m.loc["委嘱数", 2022]) and pd.isna(m.loc["委嘱数", 2023])


def test_community_unknown_and_missing_items(tmp_path):
    sheets = community_sheets()
    rows = list(sheets[0].rows)
    rows[1] = ("支援プラン作成件数", "件", 1, 2, 3)
    broken = DemoSheet(**{**sheets[0].__dict__, "rows": tuple(rows)})
    with pytest.raises(InputError) as exc:
        read_community_stats(save(tmp_path / "i.xlsx", broken, *sheets[1:]))
    messages = [p.message for p in problems_of(exc)]
    assert "項目『支援プラン作成件数』は様式にありません" in messages
    assert "項目『プラン作成件数』の行がありません" in messages


# ------------------------------------------------------------------------ the bundled demo files


def test_bundled_demo_files_read(demo_data_dir):
    seiho = registry.load("seiho_monthly", demo_data_dir)
    assert sorted(seiho["fiscal_year"].unique()) == list(range(2017, 2026))
    assert len(seiho) == 9 * 12 and seiho["persons"].notna().all()
    stats = registry.load("community_stats", demo_data_dir)
    assert set(stats["topic"]) == {"生活困窮者自立支援", "成年後見", "重層的支援体制整備事業", "民生委員・児童委員"}
    # FY2023 cutoff: the 生活保護 files of FY2017–FY2022 only (dated at each year's end)
    assert sorted(registry.load("seiho_monthly", demo_data_dir, fy=2023)["fiscal_year"].unique()) == list(
        range(2017, 2023))
