"""第1節 第2款（7）障がいのある人: formulas on small cases worked out by hand, the identities of the
tables, and end to end on the FY2026 demo build.

Numbers are checked against the raw demo files read here with openpyxl / csv (never with the
package's readers), and the page's commentary against the section's printed tables (the rule in
tests.sections, with the level labels of this section — 18歳未満, 1級, 4度 — taken as labels when a
table prints them).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import disability
from komae_analysis.ingest import city_disability, registry, tokyo_disability
from komae_analysis.ingest.frames import empty_frame, typed_frame
from komae_analysis.pipeline.registry import run_params
from komae_analysis.report.numbers import SHARE_NOTE
from tests.sections import (
    commentary,
    printed_cells,
    section,
    shown_pct,
    table,
    tables,
    tokyo_areas,
    unmatched_numbers,
    visible_text,
)

ID = "02g_disability"
SHINTAI, AI, SEISHIN, JIRITSU, NANBYO = (
    "身体障害者手帳", "愛の手帳", "精神障害者保健福祉手帳", "自立支援医療（精神通院）", "難病医療費助成")
SHEETS = (SHINTAI, AI, SEISHIN, JIRITSU, NANBYO)
BANDS = ("18歳未満", "18～64歳", "65歳以上")
GRADES = tuple(f"{g}級" for g in range(1, 7))
KINDS = ("視覚障害", "聴覚・平衡機能障害", "音声・言語・そしゃく機能障害", "肢体不自由", "内部障害")
YEARS = tuple(range(2017, 2026))


def fy_label(y: int) -> str:
    """FY → 和暦 年度 (FY2019 is 令和元年度)."""
    return "平成29年度" if y == 2017 else "平成30年度" if y == 2018 else "令和元年度" if y == 2019 else f"令和{y - 2018}年度"


def _fy_of(label: str) -> int:
    m = re.fullmatch(r"(平成|令和)(元|\d+)年度", label)
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return (1988 if m.group(1) == "平成" else 2018) + n


# --- raw demo files, read without the package's readers ----------------------------------------------
def read_city_raw(path: Path) -> dict[tuple[str, str, str, str], dict[int, int | None]]:
    """(sheet, block, level, age) → {fiscal year: count, None for 「…」} from the city's workbook;
    merged cells (block in A, level in B) carried down, 「合計」 rows as (sheet, 合計, 計, age)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for sheet in SHEETS:
        rows = list(wb[sheet].iter_rows(values_only=True))
        h = next(i for i, r in enumerate(rows) if r[0] == "区分")
        years = {j: _fy_of(v) for j, v in enumerate(rows[h + 1]) if isinstance(v, str) and v.endswith("年度")}
        block = level = None
        for r in rows[h + 2:]:
            if r[0] is None and r[1] is None and r[2] is None:
                continue
            if isinstance(r[0], str) and r[0].startswith(("注", "※")):
                break
            if r[0] is not None:
                block, level = r[0], r[1]
            elif r[1] is not None:
                level = r[1]
            key = (sheet, block, "計" if block == "合計" else level, r[2])
            out[key] = {y: (v if isinstance(v, int) else None) for j, y in years.items() for v in [r[j]]}
    wb.close()
    return out


def read_tokyo_raw(path: Path) -> dict[tuple[str, str, str, str], int | None]:
    """(sheet, area name, group, label) → count (None for 「－」) from one 年報 workbook."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for sheet in (SHINTAI, AI, SEISHIN):
        rows = list(wb[sheet].iter_rows(values_only=True))
        h = next(i for i, r in enumerate(rows) if r[0] == "区市町村")
        group, heads = None, {}
        for j in range(1, len(rows[h])):
            group = rows[h][j] or group
            heads[j] = (group, rows[h + 1][j] or "計")
        for r in rows[h + 2:]:
            if r[0] is None:
                continue
            if r[0].startswith(("資料", "注", "※")):
                break
            for j, (g, lab) in heads.items():
                out[(sheet, r[0], g, lab)] = r[j] if isinstance(r[j], int) else None
    wb.close()
    return out


@pytest.fixture(scope="module")
def city(demo_data_dir):
    (path,) = sorted((demo_data_dir / "city_disability").glob("*.xlsx"))
    return read_city_raw(path)


def tokyo_file(data_dir: Path, fy: int) -> Path:
    return data_dir / "tokyo_disability" / f"nenpo_shougai_techo_FY{fy}.xlsx"


def total(city, sheet, fy, age="計"):
    return city[(sheet, "合計", "計", age)][fy]


def section_numbers(report: Path) -> tuple[set[str], set[str]]:
    return printed_cells(tables(report, ID))


# --- small cases by hand (no build) ----------------------------------------------------------------
def _city_frame(cells: dict[tuple[str, str, str, str, int], int | None]) -> pd.DataFrame:
    rows = sorted(cells)
    return typed_frame(city_disability.SCHEMA, {
        "edition": max(r[4] for r in rows),
        "fiscal_year": [r[4] for r in rows],
        "date": [pd.Timestamp(r[4] + 1, 3, 31) for r in rows],
        "table": [r[0] for r in rows], "kind": [r[1] for r in rows], "grade": [r[2] for r in rows],
        "age_band": [r[3] for r in rows], "holders": [cells[r] for r in rows],
    })


def _data(cells, fy: int = 2026):
    params = run_params(fy)
    inputs = {"city_disability": _city_frame(cells), "tokyo_disability": empty_frame(tokyo_disability.SCHEMA),
              "tokyo_juki_age5": empty_frame(registry.source("tokyo_juki_age5").schema)}
    return disability.prepare(params, inputs)


def test_composition_by_hand():
    # 身体 by 等級: FY2024 1級 1, 2級 1, 3級 1 (計 3); FY2025 1級 2, 2級 1, 3級 1 (計 4); 4～6級 0.
    # Shares: FY2024 33.3 / 33.3 / 33.3 (adding up to 99.9: the 注 is needed); FY2025 50.0 / 25.0 / 25.0.
    # Differences of the shown shares: 1級 50.0 − 33.3 = 16.7; 2級 and 3級 25.0 − 33.3 = △8.3.
    first = {"1級": 1, "2級": 1, "3級": 1, "4級": 0, "5級": 0, "6級": 0}
    latest = {"1級": 2, "2級": 1, "3級": 1, "4級": 0, "5級": 0, "6級": 0}
    cells = {(SHINTAI, "計", g, "計", 2024): n for g, n in first.items()}
    cells |= {(SHINTAI, "計", g, "計", 2025): n for g, n in latest.items()}
    cells |= {(SHINTAI, "計", "計", "計", 2024): 3, (SHINTAI, "計", "計", "計", 2025): 4}
    data = _data(cells)
    assert data.years == (2024, 2025)
    frame = disability.composition(data, [("等級", SHINTAI, "grade", GRADES)])
    t = disability.shintai_composition_table(data)
    text = t.formatted()
    assert list(text.columns) == ["区分", "内訳", "人数（令和6年度）", "構成比（令和6年度）", "人数（令和7年度）",
                                  "構成比（令和7年度）", "構成比の差（ポイント）"]
    rows = text.iloc[:7].set_index("内訳")
    assert rows.loc["1級"].tolist()[1:] == ["1", "33.3", "2", "50.0", "16.7"]
    assert rows.loc["2級"].tolist()[1:] == ["1", "33.3", "1", "25.0", "△8.3"]
    assert rows.loc["6級"].tolist()[1:] == ["0", "0.0", "0", "0.0", "0.0"]
    assert rows.loc["計"].tolist()[1:] == ["3", "100.0", "4", "100.0", "0.0"]
    assert frame["構成比の差（ポイント）"].iloc[0] == pytest.approx(16.7)
    assert SHARE_NOTE in t.notes
    assert 6 in t.total_rows  # the 計 row of the 等級 block is a total row


def test_course_reads_turning_points_by_hand():
    # 難病-like series; turn_share 0.02 of its maximum 691 = 13.82: the fall 668 → 640 (28) is a turn,
    # the rise 640 → 651 (11) alone is not, 640 → 664 (24) is. Latest 691 is the maximum.
    values = (588, 603, 621, 668, 640, 651, 664, 677, 691)
    data = _data({(NANBYO, "計", "計", "計", y): v for y, v in zip(YEARS, values, strict=True)})
    assert disability.course(data, disability.cell(data, NANBYO)) == (
        "平成29年度の588人から令和2年度の668人まで増加し、令和3年度の640人まで減少した後、増加に転じ、"
        "令和7年度は691人と最も多くなっています")
    # a monotone series: the run from the first year is named (8 steps up)
    data = _data({(SEISHIN, "計", "計", "計", y): 100 + 10 * i for i, y in enumerate(YEARS)})
    assert disability.course(data, disability.cell(data, SEISHIN)) == (
        "平成29年度の100人から令和7年度の180人へ増加しています（8年度連続で増加）")


def test_the_fiscal_year_cutoff_and_the_newest_edition():
    # two editions hold FY2022: the newer one (a corrected figure) wins; FY2023 ends on 2024-03-31,
    # after the FY2023 build's cutoff (2023-04-01), so that build ends with FY2022
    old = _city_frame({(SEISHIN, "計", "計", "計", 2021): 10, (SEISHIN, "計", "計", "計", 2022): 11})
    new = _city_frame({(SEISHIN, "計", "計", "計", 2022): 12, (SEISHIN, "計", "計", "計", 2023): 13})
    frame = pd.concat([old, new], ignore_index=True)
    empty_pop = empty_frame(registry.source("tokyo_juki_age5").schema)
    inputs = {"city_disability": frame, "tokyo_disability": empty_frame(tokyo_disability.SCHEMA),
              "tokyo_juki_age5": empty_pop}
    d2023 = disability.prepare(run_params(2023), inputs)
    assert d2023.years == (2021, 2022)
    assert disability.cell(d2023, SEISHIN).tolist() == [10, 12]
    assert disability.prepare(run_params(2026), inputs).years == (2021, 2022, 2023)


def test_no_data_gives_sentences_not_errors():
    params = run_params(2026)
    inputs = {"city_disability": empty_frame(city_disability.SCHEMA),
              "tokyo_disability": empty_frame(tokyo_disability.SCHEMA),
              "tokyo_juki_age5": empty_frame(registry.source("tokyo_juki_age5").schema)}
    data = disability.prepare(params, inputs)
    assert disability.trend_table(data) == "障害者手帳所持者数等のデータがないため、掲載していません。"
    for name in ("shintai_grade_table", "shintai_composition_figure", "age_table", "tokyo_rate_table", "cross_table",
                 "trend_text", "tokyo_text", "child_text", "trend_figure", "age_figure"):
        assert getattr(disability, name)(data) == "", name


def test_without_the_tokyo_tables_only_the_comparison_is_missing(demo_data_dir):
    inputs = registry.load_many(["city_disability", "tokyo_juki_age5"], demo_data_dir, fy=2026)
    inputs["tokyo_disability"] = empty_frame(tokyo_disability.SCHEMA)
    data = disability.prepare(run_params(2026), inputs)
    assert disability.tokyo_rate_table(data) == "東京都の障害者手帳の統計のデータがないため、掲載していません。"
    assert disability.cross_table(data) == "" and disability.tokyo_text(data) == ""
    assert len(disability.trend_table(data).frame) == 9


def test_fy2023_uses_the_years_up_to_fy2022(demo_data_dir):
    ids = ["city_disability", "tokyo_disability", "tokyo_juki_age5"]
    data = disability.prepare(run_params(2023), registry.load_many(ids, demo_data_dir, fy=2023))
    assert data.years == tuple(range(2017, 2023))
    assert disability.tokyo_rate_table(data).frame["年度"].tolist()[-1] == "令和4年度"
    assert "令和4年度末" in disability.cross_table(data).title


# --- end to end on the demo build -------------------------------------------------------------------
def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 14)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 4)]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 8
    numeric, labels = section_numbers(built_report)
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_the_number_rule_catches_strays(built_report):
    numeric, labels = section_numbers(built_report)
    assert unmatched_numbers("精神障害者保健福祉手帳は12,345人で、7級が最も多い。", numeric, labels) == ["7級", "12,345"]


def test_trend_table_matches_the_city_workbook(built_report, city):
    f = table(built_report, ID, "障害者手帳所持者数等の推移").frame.set_index("年度")
    assert list(f.index) == [fy_label(y) for y in YEARS]
    for y in YEARS:
        row = f.loc[fy_label(y)]
        for sheet, col in ((SHINTAI, SHINTAI), (AI, AI), (SEISHIN, SEISHIN), (JIRITSU, JIRITSU), (NANBYO, NANBYO)):
            assert row[col] == total(city, sheet, y), (sheet, y)
        assert row["手帳所持者 計（延べ）"] == sum(total(city, s, y) for s in (SHINTAI, AI, SEISHIN))


def test_levels_sum_to_totals_and_match_the_workbook(built_report, city):
    grades = table(built_report, ID, "身体障害者手帳所持者数の推移（等級別").frame.set_index("年度")
    kinds = table(built_report, ID, "身体障害者手帳所持者数の推移（障害種別").frame.set_index("年度")
    ai = table(built_report, ID, "愛の手帳所持者数の推移").frame.set_index("年度")
    seishin = table(built_report, ID, "精神障害者保健福祉手帳所持者数の推移").frame.set_index("年度")
    for y in YEARS:
        label = fy_label(y)
        assert grades.loc[label, list(GRADES)].sum() == grades.loc[label, "計"] == total(city, SHINTAI, y)
        assert kinds.loc[label, list(KINDS)].sum() == kinds.loc[label, "計"]
        assert ai.loc[label, ["1度", "2度", "3度", "4度"]].sum() == ai.loc[label, "計"]
        assert seishin.loc[label, ["1級", "2級", "3級"]].sum() == seishin.loc[label, "計"]
        for g in GRADES:
            assert grades.loc[label, g] == city[(SHINTAI, "等級", g, "計")][y]
        for k in KINDS:
            assert kinds.loc[label, k] == city[(SHINTAI, "障害種別", k, "計")][y]
        assert ai.loc[label, "うち18歳未満"] == total(city, AI, y, "18歳未満")


def test_age_bands_sum_to_totals(built_report, city):
    jiritsu = table(built_report, ID, "自立支援医療（精神通院）受給者数の推移").frame.set_index("年度")
    for y in YEARS:
        row = jiritsu.loc[fy_label(y)]
        assert row[list(BANDS)].sum() == row["計"] == total(city, JIRITSU, y)
    ages = table(built_report, ID, "年齢区分別の障害者手帳所持者数等")
    f = ages.frame.set_index("区分")
    shares_add = True
    for sheet in SHEETS:
        row = f.loc[sheet]
        assert row[list(BANDS)].sum() == row["計"] == total(city, sheet, 2025)
        shown = [shown_pct(total(city, sheet, 2025, b), total(city, sheet, 2025)) for b in BANDS]
        text = ages.formatted().set_index("区分").loc[sheet]
        assert [text[f"構成比（{b}）"] for b in BANDS] == [str(s) for s in shown]
        shares_add &= sum(shown) == Decimal("100.0")
    assert (SHARE_NOTE in ages.notes) == (not shares_add)


def test_nanbyo_ages_not_compiled_are_shown_as_missing(built_report, city):
    t = table(built_report, ID, "難病医療費助成の受給者数の推移")
    text = t.formatted().set_index("年度")
    for y in YEARS:
        for b in BANDS:
            raw = total(city, NANBYO, y, b)
            assert text.loc[fy_label(y), f"うち{b}"] == ("－" if raw is None else f"{raw:,}")
    assert city[(NANBYO, "合計", "計", "18歳未満")][2017] is None  # the demo leaves FY2017 by age 「…」
    assert "「－」は集計していない値。" in t.notes
    assert text.loc["令和7年度", "都単独疾病"] == f"{city[(NANBYO, '疾病区分', '都単独疾病', '計')][2025]:,}"


def test_composition_table_is_shares_of_the_shown_values(built_report, city):
    t = table(built_report, ID, "身体障害者手帳所持者の等級別・障害種別の構成比")
    text = t.formatted()
    adds = True
    for block, levels in (("等級", GRADES), ("障害種別", KINDS)):
        rows = text[text["区分"] == block].set_index("内訳")
        for y in (2017, 2025):
            shares = [shown_pct(city[(SHINTAI, block, lv, "計")][y], total(city, SHINTAI, y)) for lv in levels]
            assert [rows.loc[lv, f"構成比（{fy_label(y)}）"] for lv in levels] == [str(s) for s in shares]
            adds &= sum(shares) == Decimal("100.0")
        for lv in levels:
            a = shown_pct(city[(SHINTAI, block, lv, "計")][2017], total(city, SHINTAI, 2017))
            b = shown_pct(city[(SHINTAI, block, lv, "計")][2025], total(city, SHINTAI, 2025))
            d = b - a
            assert rows.loc[lv, "構成比の差（ポイント）"] == (f"△{-d}" if d < 0 else str(d))
    assert (SHARE_NOTE in t.notes) == (not adds)


def test_children_table(built_report, city):
    f = table(built_report, ID, "18歳未満の障害者手帳所持者数等の推移").frame.set_index("年度")
    for y in YEARS:
        kids = [total(city, s, y, "18歳未満") for s in (SHINTAI, AI, SEISHIN)]
        assert f.loc[fy_label(y), [SHINTAI, AI, SEISHIN]].tolist() == kids
        assert f.loc[fy_label(y), "手帳所持者 計（延べ）"] == sum(kids)


def test_rates_per_1000_against_the_tokyo_tables_and_the_population(built_report, demo_data_dir):
    text = table(built_report, ID, "人口千人当たりの障害者手帳所持者数の推移").formatted().set_index("年度")
    for y in (2017, 2025):
        raw = read_tokyo_raw(tokyo_file(demo_data_dir, y))
        pop = tokyo_areas(demo_data_dir / "tokyo_juki_age5" / f"dai7hyo_age5_{y + 1}01.csv")
        for sheet in (SHINTAI, AI, SEISHIN):
            for name, tokyo_name, code in (("狛江市", "狛江市", "13219"), ("東京都市部", "市部", "13200"),
                                          ("東京都", "総数", "13000")):
                holders = raw[(sheet, tokyo_name, "総数", "計")]
                expected = (Decimal(holders) * 1000 / Decimal(pop[code]["total"])).quantize(
                    Decimal("0.1"), rounding="ROUND_HALF_UP")
                assert text.loc[fy_label(y), f"{sheet}（{name}）"] == str(expected), (y, sheet, name)


def test_komae_in_the_tokyo_tables_equals_the_city_workbook(demo_data_dir, city):
    for y in YEARS:
        raw = read_tokyo_raw(tokyo_file(demo_data_dir, y))
        assert raw[(SHINTAI, "狛江市", "総数", "計")] == total(city, SHINTAI, y)
        assert raw[(SEISHIN, "狛江市", "総数", "計")] == total(city, SEISHIN, y)
        assert raw[(AI, "狛江市", "総数", "18歳未満")] == total(city, AI, y, "18歳未満")


def test_cross_table_matches_the_tokyo_table(built_report, demo_data_dir):
    t = table(built_report, ID, "身体障害者手帳所持者数（障害種別・等級別")
    text = t.formatted().set_index("障害種別")
    raw = read_tokyo_raw(tokyo_file(demo_data_dir, 2025))
    for kind in KINDS:
        for g in GRADES:
            v = raw[(SHINTAI, "狛江市", kind, g)]
            assert text.loc[kind, g] == ("－" if v is None else f"{v:,}")
    assert text.loc["計", "計"] == f"{raw[(SHINTAI, '狛江市', '総数', '計')]:,}"
    assert "令和8年3月31日現在" in t.source


def test_commentary_reads_the_courses(built_report, city):
    text = "".join(commentary(built_report, ID))
    seishin = [total(city, SEISHIN, y) for y in YEARS]
    assert all(b > a for a, b in zip(seishin, seishin[1:], strict=False))  # the demo rises every year
    assert (f"精神障害者保健福祉手帳は、平成29年度の{seishin[0]:,}人から令和7年度の{seishin[-1]:,}人へ増加しています"
            f"（8年度連続で増加）") in text
    nanbyo = {y: total(city, NANBYO, y) for y in YEARS}
    peak = max(YEARS[:6], key=nanbyo.get)  # the pandemic-year bump
    assert f"{fy_label(peak)}の{nanbyo[peak]:,}人まで増加し" in text
    assert "増加の割合は精神障害者保健福祉手帳が最も大きく" in text
    assert "を占めています" in text and "18歳未満の割合は愛の手帳が" in text


def test_figures_alt_text_follows_the_drawing(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    alts = [f["alt"] for f in rec["figures"]]
    assert "多い順に身体障害者手帳" in alts[0]
    assert "下から視覚障害・聴覚・平衡機能障害" in alts[1] and "100％の棒グラフ" in alts[1]
    assert "左から18歳未満・18～64歳・65歳以上の順" in alts[2]


def test_page_has_no_pipeline_wording_or_parameters(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "パラメータ", "データフレーム", "params_file", "data_dir", "fy:",
                 "open_section", "nan", "NaN", "<NA>"):
        assert word not in text, word
