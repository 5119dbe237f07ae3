"""第1節 第2款（9）再犯防止: 再犯者率 and the breakdowns on small cases worked out by hand, and the FY2026
demo build end to end, against values computed here from the raw demo files (openpyxl)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import recidivism
from komae_analysis.pipeline.registry import run_params
from komae_analysis.report.numbers import SHARE_NOTE
from tests.sections import commentary, printed_cells, section, table, tables, unmatched_numbers, visible_text

ID = "02i_recidivism"
YEARS = list(range(2017, 2025))
CRIMES = ["凶悪犯", "粗暴犯", "窃盗犯", "知能犯", "風俗犯", "その他"]
AGES = ["14～19歳", "20～29歳", "30～39歳", "40～49歳", "50～59歳", "60～64歳", "65歳以上"]


def year_ja(y: int) -> str:
    return "令和元年" if y == 2019 else f"令和{y - 2018}年" if y > 2019 else f"平成{y - 1988}年"


def pct(a: int, b: int) -> str:
    return str((Decimal(a) * 100 / b).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- formulas on hand-made cases ---------------------------------------------------------------
def small_moj() -> pd.DataFrame:
    """調布警察署 2023: 検挙者 200, 再犯者 93; 2024: 180, 81 (罪種: 検挙者 4/40/90/16/6/24, 再犯者 3/20/40/8/2/8);
    東京都 2024: 1,000 and 452; 全国 2024: 10,000 and 4,660 (the parts of the other rows: split alike)."""
    rows = []
    crime_2024 = ([4, 40, 90, 16, 6, 24], [3, 20, 40, 8, 2, 8])
    for area, totals in (("調布警察署", {2023: (200, 93), 2024: (180, 81)}),
                         ("東京都", {2023: (1000, 460), 2024: (1000, 452)}),
                         ("全国", {2023: (10000, 4700), 2024: (10000, 4660)})):
        for year, (n, r) in totals.items():
            rows.append((area, "罪種", "総数", year, n, r))
            arrested, repeat = crime_2024 if (area, year) == ("調布警察署", 2024) else (
                [n // 6] * 5 + [n - 5 * (n // 6)], [r // 6] * 5 + [r - 5 * (r // 6)])
            rows += [(area, "罪種", c, year, a, b) for c, a, b in zip(CRIMES, arrested, repeat, strict=True)]
            rows.append((area, "年齢層", "総数", year, n, r))
            rows += [(area, "年齢層", c, year, a, b) for c, a, b in
                     zip(AGES, [n // 7] * 6 + [n - 6 * (n // 7)], [r // 7] * 6 + [r - 6 * (r // 7)], strict=True)]
    frame = pd.DataFrame(rows, columns=["area", "breakdown", "category", "year", "arrested", "repeat"])
    for c in ("arrested", "repeat"):
        frame[c] = frame[c].astype("Int64")
    return frame


def small_data() -> recidivism.RecidivismData:
    rehab = pd.DataFrame({"topic": ["保護司", "保護司"], "item": ["定数", "実数"], "unit": ["人", "人"],
                          "fiscal_year": [2025, 2025], "value": pd.array([21, 17], dtype="Int64")})
    return recidivism.prepare(run_params(2026), {"moj_recidivism": small_moj(), "rehabilitation_stats": rehab})


def test_repeat_offender_rate_by_hand():
    # 93 ÷ 200 = 46.5 ％; 81 ÷ 180 = 45.0 ％; 東京都 452 ÷ 1,000 = 45.2 ％; 全国 4,660 ÷ 10,000 = 46.6 ％;
    # 初犯者 = 180 − 81 = 99
    text = recidivism.trend_table(small_data()).formatted().set_index("年")
    assert text.loc["令和5年", "再犯者率（調布警察署管内）"] == "46.5"
    assert text.loc["令和6年", "再犯者率（調布警察署管内）"] == "45.0"
    assert text.loc["令和6年", "再犯者率（東京都）"] == "45.2" and text.loc["令和6年", "再犯者率（全国）"] == "46.6"
    assert text.loc["令和6年", "初犯者数"] == "99"


def test_breakdown_by_crime_by_hand():
    # 窃盗犯: 40 ÷ 90 = 44.4 ％; share of 再犯者 40 ÷ 81 = 49.38… → 49.4; 凶悪犯 3 ÷ 4 = 75.0
    # shares 3.7 + 24.7 + 49.4 + 9.9 + 2.5 + 9.9 = 100.1 → the 構成比 note
    t = recidivism.crime_latest_table(small_data())
    text = t.formatted().set_index("罪種")
    assert text.loc["窃盗犯", "再犯者率（調布警察署管内）"] == "44.4" and text.loc["窃盗犯", "再犯者の構成比"] == "49.4"
    assert text.loc["凶悪犯", "再犯者率（調布警察署管内）"] == "75.0"
    assert list(text.index)[-1] == "総数" and text.loc["総数", "再犯者数"] == "81"
    assert SHARE_NOTE in t.notes


def test_highest_rate_leaves_out_small_categories():
    # 凶悪犯 (4 arrests) and 風俗犯 (6) are too few to read a rate from: the sentence names them and
    # gives the highest among the rest: 粗暴犯 20 ÷ 40 = 50.0 ％
    text = recidivism.crime_text(small_data())
    assert "検挙者数の少ない凶悪犯・知能犯・風俗犯・その他を除くと、罪種別の再犯者率は粗暴犯が50.0％で最も高く" in text


def test_station_is_named_as_such():
    data = small_data()
    t = recidivism.trend_table(data)
    assert "調布警察署管内" in t.title
    assert any("狛江市には警察署がなく" in n and "調布市と狛江市" in n for n in t.notes)
    assert "調布市と狛江市を合わせた調布警察署管内" in recidivism.trend_text(data)


def test_no_files_gives_sentences_not_errors():
    empty = small_data()
    empty = recidivism.prepare(run_params(2026), {"moj_recidivism": empty.moj.iloc[0:0],
                                                   "rehabilitation_stats": empty.rehab.iloc[0:0]})
    assert "データがない" in recidivism.trend_table(empty)
    assert recidivism.trend_figure(empty) == "" and recidivism.rehab_text(empty) == ""


# --- end to end: the FY2026 demo build -----------------------------------------------------------
@pytest.fixture(scope="module")
def raw(demo_data_dir):
    """(sheet, area, category, 区分) → values 2017–2024, from the 法務省 demo file with openpyxl."""
    wb = openpyxl.load_workbook(next((demo_data_dir / "moj_saihan").glob("*.xlsx")), read_only=True)
    out = {}
    for sheet in ("罪種別", "年齢層別"):
        area = cat = None
        for r in wb[sheet].iter_rows(min_row=7, values_only=True):
            if not r[2]:
                break
            area, cat = r[0] or area, r[1] or cat
            cat = "14～19歳" if cat == "20歳未満" else cat
            out[(sheet, area, cat, r[2])] = list(r[3:11])
    wb.close()
    wb = openpyxl.load_workbook(next((demo_data_dir / "kousei_hogo").glob("*.xlsx")), read_only=True)
    for r in wb["保護司"].iter_rows(min_row=7, values_only=True):
        if r[0] and r[1]:
            out[("保護司", r[0])] = list(r[2:11])
    wb.close()
    return out


def test_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 7)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 4)]


def test_trend_table_matches_the_raw_file(built_report, raw):
    t = table(built_report, ID, "刑法犯検挙者数・再犯者数・再犯者率の推移")
    text = t.formatted().set_index("年")
    assert list(text.index) == [year_ja(y) for y in YEARS]
    for i, y in enumerate(YEARS):
        for area, col in (("調布警察署", "再犯者率（調布警察署管内）"), ("東京都", "再犯者率（東京都）"),
                          ("全国", "再犯者率（全国）")):
            n, r = raw[("罪種別", area, "総数", "検挙者")][i], raw[("罪種別", area, "総数", "再犯者")][i]
            assert text.loc[year_ja(y), col] == pct(r, n), (y, area)
        assert text.loc[year_ja(y), "刑法犯検挙者数"] == f"{raw[('罪種別', '調布警察署', '総数', '検挙者')][i]:,}"
    assert "調布警察署管内" in t.title and any("狛江市には警察署がなく" in n for n in t.notes)
    # the real national 再犯者率 (犯罪白書): 2020 49.1, 2022 47.9, 2023 47.0
    assert [text.loc[year_ja(y), "再犯者率（全国）"] for y in (2020, 2022, 2023)] == ["49.1", "47.9", "47.0"]


@pytest.mark.parametrize(("title", "parts"), [("罪種別の再犯者数の推移", CRIMES), ("年齢層別の再犯者数の推移", AGES)])
def test_parts_sum_to_the_totals(built_report, title, parts):
    f = table(built_report, ID, title).frame
    assert (f[parts].sum(axis=1) == f["総数"]).all()


def test_latest_breakdowns_match_the_raw_file(built_report, raw):
    for title, sheet, label, cats in (("罪種別の刑法犯検挙者数", "罪種別", "罪種", CRIMES),
                                      ("年齢層別の刑法犯検挙者数", "年齢層別", "年齢層", AGES)):
        t = table(built_report, ID, title)
        text = t.formatted().set_index(label)
        assert list(text.index) == [*cats, "総数"]
        total_repeat = raw[(sheet, "調布警察署", "総数", "再犯者")][-1]
        shares = []
        for c in cats:
            n, r = raw[(sheet, "調布警察署", c, "検挙者")][-1], raw[(sheet, "調布警察署", c, "再犯者")][-1]
            assert text.loc[c, "再犯者率（調布警察署管内）"] == pct(r, n)
            assert text.loc[c, "再犯者の構成比"] == pct(r, total_repeat)
            shares.append(Decimal(pct(r, total_repeat)))
            nn, rr = raw[(sheet, "全国", c, "検挙者")][-1], raw[(sheet, "全国", c, "再犯者")][-1]
            assert text.loc[c, "再犯者率（全国）"] == pct(rr, nn)
        assert (sum(shares) != Decimal("100.0")) == (SHARE_NOTE in t.notes)
        assert "令和6年" in t.title


def test_probation_officers(built_report, raw):
    text = table(built_report, ID, "保護司・協力雇用主").formatted().set_index("年度")
    assert text.loc["令和6年度", "保護司の実数"] == "18"
    quota, actual = raw[("保護司", "定数")], raw[("保護司", "実数")]
    assert text.loc["令和7年度", "保護司の充足率"] == pct(actual[-1], quota[-1])


def test_commentary_names_the_station_and_reads_the_peak(built_report, raw):
    text = "".join(commentary(built_report, ID))
    assert "調布警察署が管轄" in text and "調布市と狛江市を合わせた調布警察署管内" in text
    n, r = raw[("罪種別", "調布警察署", "総数", "検挙者")], raw[("罪種別", "調布警察署", "総数", "再犯者")]
    rates = [Decimal(pct(a, b)) for a, b in zip(r, n, strict=True)]
    peak = max(range(len(YEARS)), key=lambda i: (rates[i], -i))
    if 0 < peak < len(YEARS) - 1:
        assert f"再犯者率は、{year_ja(YEARS[peak])}の{rates[peak]}％をピークに低下に転じています" in text


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 4
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_page_has_no_pipeline_wording(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "パラメータ", "データフレーム", "params_file", "open_section"):
        assert word not in text, word
