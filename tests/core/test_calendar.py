import datetime as dt

import pytest

from komae_analysis import calendar as cal


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2019, 4, 1), ("平成", 31)),
        (dt.date(2019, 4, 30), ("平成", 31)),
        (dt.date(2019, 5, 1), ("令和", 1)),
        (dt.date(2026, 1, 1), ("令和", 8)),
        (dt.date(1989, 1, 7), ("昭和", 64)),
        (dt.date(1989, 1, 8), ("平成", 1)),
    ],
)
def test_era_boundaries(date, expected):
    assert cal.era_of(date) == expected


def test_wareki_date_uses_gannen():
    assert cal.wareki_date(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert cal.wareki_date(dt.date(2019, 4, 1)) == "平成31年4月1日"
    assert cal.wareki_date(dt.date(2026, 1, 1)) == "令和8年1月1日"
    assert cal.wareki_date(dt.date(2026, 1, 1), day=False) == "令和8年1月"


@pytest.mark.parametrize(
    ("fy", "label"),
    [(2018, "平成30年度"), (2019, "令和元年度"), (2020, "令和2年度"), (2026, "令和8年度"), (1988, "昭和63年度"),
     (1989, "平成元年度")],
)
def test_fiscal_year_labels(fy, label):
    assert cal.wareki_fy(fy) == label


def test_fiscal_year_with_western_year_and_short_form():
    assert cal.wareki_fy(2026, western=True) == "令和8年度（2026年度）"
    assert cal.short_fy(2018) == "H30"
    assert cal.short_fy(2019) == "R1"
    assert cal.short_wareki(dt.date(2019, 1, 1)) == "H31"
    assert cal.short_wareki(dt.date(2020, 1, 1)) == "R2"


def test_fiscal_year_of_date():
    assert cal.fiscal_year_of(dt.date(2026, 3, 31)) == 2025
    assert cal.fiscal_year_of(dt.date(2026, 4, 1)) == 2026


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("令和8年1月1日現在", dt.date(2026, 1, 1)),
        ("住民基本台帳による東京都の世帯と人口　令和８年１月", dt.date(2026, 1, 1)),
        ("平成31年1月1日", dt.date(2019, 1, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和2年1月1日住民基本台帳人口・世帯数", dt.date(2020, 1, 1)),
    ],
)
def test_parse_wareki(text, date):
    assert cal.parse_wareki(text) == date


def test_parse_wareki_rejects_text_without_a_date():
    with pytest.raises(ValueError):
        cal.parse_wareki("2026年1月1日")


@pytest.mark.parametrize(
    ("kind", "number", "years"),
    [
        ("care", 7, (2018, 2019, 2020)),
        ("care", 8, (2021, 2022, 2023)),
        ("care", 9, (2024, 2025, 2026)),
        ("care", 10, (2027, 2028, 2029)),
        ("disability", 6, (2021, 2022, 2023)),
        ("disability", 8, (2027, 2028, 2029)),
        ("child_disability", 2, (2021, 2022, 2023)),
        ("child_disability", 4, (2027, 2028, 2029)),
    ],
)
def test_terms_follow_domain_table(kind, number, years):
    assert cal.term(kind, number).years == years


def test_term_containing_and_formulation():
    t = cal.term_containing("care", 2026)
    assert t.number == 9
    assert t.next().number == 10 and t.next().first_fy == 2027
    assert t.next().formulation_fy == 2026
    assert cal.term_containing("disability", 2023).name_ja == "第6期障がい福祉計画"
    assert cal.term_containing("child_disability", 2020).number == 1
    assert t.period_ja == "令和6年度～令和8年度"
    # formulating in FY2026, the last year of the 9th term has no full actuals yet
    assert [t.is_estimate(y, 2026) for y in t.years] == [False, False, True]


def test_latest_register_date():
    assert cal.latest_register_date(2026) == dt.date(2026, 1, 1)
    avail = [dt.date(y, 1, 1) for y in range(2017, 2027)]
    assert cal.latest_register_date(2023, avail) == dt.date(2023, 1, 1)
    assert cal.latest_register_date(2026, avail + [dt.date(2026, 4, 1), dt.date(2026, 4, 2)]) == dt.date(2026, 4, 1)
    with pytest.raises(ValueError):
        cal.latest_register_date(2016, avail)


def test_western_year_of_an_era_year():
    from komae_analysis.calendar import western_year

    assert western_year("昭和", 60) == 1985 and western_year("昭和", 64) == 1989
    assert western_year("平成", "元") == 1989 and western_year("平成", 31) == 2019
    assert western_year("令和", "元") == 2019 and western_year("令和", "8") == 2026
    assert western_year("R", 6) == 2024 and western_year("h", 30) == 2018
    with pytest.raises(ValueError, match="元号「大正」"):
        western_year("大正", 1)
