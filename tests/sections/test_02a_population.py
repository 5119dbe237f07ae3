"""第1節 第2款（1）人口・世帯の推移と年齢構成, end to end on the FY2026 demo build.

Numbers are checked against the raw demo files read with openpyxl / csv (tests.sections helpers),
and the page's commentary against the section's printed tables (the rule in tests.sections).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from komae_analysis.report.numbers import SHARE_NOTE
from tests.sections import (
    commentary,
    page,
    printed_cells,
    register_by_age,
    register_households,
    section,
    shown_pct,
    table,
    tables,
    tokyo_areas,
    unmatched_numbers,
    visible_text,
    wareki,
)

ID = "02a_population"


@pytest.fixture(scope="module")
def raw(demo_data_dir):
    return register_by_age(demo_data_dir)


def _totals(raw) -> dict[int, int]:
    return {y: sum(cells.values()) for y, cells in raw.items()}


def _aged(raw, year: int, low: int, high: int = 200) -> int:
    return sum(n for (_, age), n in raw[year].items() if low <= age <= high)


def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, len(rec["tables"]) + 1)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, len(rec["figures"]) + 1)]
    assert [t.number for t in tables(built_report, ID)] == [t["number"] for t in rec["tables"]]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 4  # trend, households, comparison, age structure
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_the_number_rule_catches_a_stray_number(built_report):
    numeric, labels = printed_cells(tables(built_report, ID))
    assert unmatched_numbers("総人口は12,345,678人で、令和2年1月1日から6年連続で減少しています。", numeric, labels) \
        == ["12,345,678"]
    assert unmatched_numbers("最も減ったのは105～109歳です。", numeric, labels) == ["105～109歳"]


def test_trend_table_matches_the_register_files(built_report, demo_data_dir, raw):
    t = table(built_report, ID, "総人口・年齢3区分別人口・世帯数の推移")
    f = t.frame.set_index("基準日")
    totals = _totals(raw)
    households = {y: sum(v.values()) for y, v in register_households(demo_data_dir).items()}
    years = sorted(totals)
    assert list(f.index) == [wareki(y) for y in years]  # FY2026: all ten files, oldest first
    for prev, year in zip(years, years[1:], strict=False):
        assert f.loc[wareki(year), "総人口"] == totals[year]
        assert f.loc[wareki(year), "前年からの増減"] == totals[year] - totals[prev]
        assert f.loc[wareki(year), "うち後期高齢者（75歳以上）"] == _aged(raw, year, 75)
    assert all(f.loc[wareki(y), "世帯数"] == households[y] for y in years)
    # a decrease is printed with △ in the HTML page
    worst = min(years[1:], key=lambda y: totals[y] - totals[years[years.index(y) - 1]])
    drop = totals[years[years.index(worst) - 1]] - totals[worst]
    if drop > 0:
        assert f"△{drop:,}" in page(built_report, ID)
    assert not any("時点を掲載" in n for n in t.notes)  # ten dates, as asked


def test_commentary_reads_the_peak_and_the_75_plus_increase(built_report, raw):
    text = "".join(commentary(built_report, ID))
    totals = _totals(raw)
    years = sorted(totals)
    peak = max(years, key=lambda y: totals[y])
    assert peak not in (years[0], years[-1])  # the demo data peak inside the period (令和2年)
    assert f"総人口は、{wareki(peak)}の{totals[peak]:,}人をピークに減少に転じています" in text
    falling = len(years) - 1 - years.index(peak)
    if all(totals[y] < totals[p] for p, y in zip(years[years.index(peak):], years[years.index(peak) + 1:],
                                                   strict=False)):
        assert f"（{falling}年連続で減少）" in text
    first, last = years[0], years[-1]
    assert f"75歳以上の後期高齢者は{wareki(first)}の{_aged(raw, first, 75):,}人から{wareki(last)}の" \
           f"{_aged(raw, last, 75):,}人へ増加" in text


def test_commentary_reads_households_rising_while_population_falls(built_report, demo_data_dir, raw):
    text = "".join(commentary(built_report, ID))
    hh = {y: sum(v.values()) for y, v in register_households(demo_data_dir).items()}
    totals = _totals(raw)
    first, last = min(hh), max(hh)
    assert f"世帯数は{wareki(first)}の{hh[first]:,}世帯から{wareki(last)}の{hh[last]:,}世帯へ増加" in text
    pph = {y: (Decimal(totals[y]) / hh[y]).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") for y in (first, last)}
    assert f"1世帯当たり人員は{pph[first]}人から{pph[last]}人に減っています" in text
    assert "世帯の小規模化" in text


def test_age_table_shares_and_changes(built_report, raw):
    t = table(built_report, ID, "年齢5歳階級別・男女別人口")
    f = t.frame.set_index("年齢")
    latest = max(raw)
    then = latest - 5
    by_class = {y: {} for y in (latest, then)}
    for y in by_class:
        for (_, age), n in raw[y].items():
            cls = min(age // 5 * 5, 100)
            by_class[y][cls] = by_class[y].get(cls, 0) + n
    total = sum(by_class[latest].values())
    label = {c: ("100歳以上" if c == 100 else f"{c}～{c + 4}歳") for c in by_class[latest]}
    for c, n in by_class[latest].items():
        assert f.loc[label[c], "計"] == n
        assert f.loc[label[c], "増減"] == n - by_class[then][c]
    shares = [shown_pct(n, total) for n in by_class[latest].values()]
    assert (sum(shares) != Decimal("100.0")) == (SHARE_NOTE in t.notes)
    # the largest decrease, printed with △, is the one the commentary explains as a cohort moving up
    down = min(by_class[latest], key=lambda c: by_class[latest][c] - by_class[then][c])
    loss = by_class[then][down] - by_class[latest][down]
    assert f"△{loss:,}" in t.formatted()["増減"].tolist()
    text = "".join(commentary(built_report, ID))
    assert f"最も減ったのは{label[down]}（{loss:,}人減少）" in text
    if by_class[then][down - 5] < by_class[then][down] and by_class[latest][down + 5] > by_class[then][down + 5]:
        assert f"{label[down]}だった人口の多い世代" in text and f"が{label[down + 5]}に移ったため" in text
    if down == 70:  # born 1946–1950 on 1 January 2026: the 団塊の世代 (1947–1949)
        assert "団塊の世代" in text


def test_comparison_with_tokyo_matches_the_csv(built_report, demo_data_dir):
    t = table(built_report, ID, "高齢化率・後期高齢者率の推移")
    text = t.formatted().set_index("基準日")
    for year in (2017, 2026):
        areas = tokyo_areas(demo_data_dir / "tokyo_juki_age5" / f"dai7hyo_age5_{year}01.csv")
        for code, name in (("13219", "狛江市"), ("13000", "東京都"), ("13200", "東京都市部")):
            a = areas[code]
            assert text.loc[wareki(year), f"高齢化率（{name}）"] == str(shown_pct(a["age65"], a["total"]))
            assert text.loc[wareki(year), f"後期高齢者率（{name}）"] == str(shown_pct(a["age75"], a["total"]))


def test_figures_alt_text_follows_the_drawing(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    alts = {f["title"]: f["alt"] for f in rec["figures"]}
    trend = next(a for title, a in alts.items() if title.startswith("年齢3区分別人口と高齢化率の推移"))
    assert "上から老年人口（65歳以上）・生産年齢人口（15～64歳）・年少人口（0～14歳）の順" in trend
    assert "右目盛" in trend
    pyramid = next(a for title, a in alts.items() if title.startswith("人口ピラミッド"))
    assert pyramid.index("棒が") < pyramid.index("線が")


def test_page_has_no_pipeline_wording_or_parameters(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "params_file", "data_dir", "out_dir", "fy:", "open_section"):
        assert word not in text, word
