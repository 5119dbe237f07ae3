"""第1節 第2款（8）生活困窮・権利擁護・地域の支え手: the formulas on small cases worked out by hand, and
the FY2026 demo build end to end, against values computed here from the raw demo files (openpyxl)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import community
from komae_analysis.pipeline.registry import run_params
from tests.sections import commentary, printed_cells, section, table, tables, unmatched_numbers, visible_text

ID = "02h_community"
FYS = list(range(2017, 2026))


def fy_ja(fy: int) -> str:
    return "令和元年度" if fy == 2019 else f"令和{fy - 2018}年度" if fy > 2019 else f"平成{fy - 1988}年度"


def half_up(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


# --- formulas on hand-made cases ---------------------------------------------------------------
def monthly(fy: int, persons: list, households: list) -> pd.DataFrame:
    months = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3][: len(persons)]
    return pd.DataFrame({"date": pd.Timestamp(fy + 1, 3, 31), "fiscal_year": fy, "month": months,
                         "households": pd.array(households, dtype="Int64"),
                         "persons": pd.array(persons, dtype="Int64")})


def test_protection_rate_per_mille_by_hand():
    # FY2024: 人員 100 × 6 months and 103 × 6 months → mean 101.5 → printed 102 (half up);
    # 世帯 80 every month → 80; population on 2025-01-01 = 6,000 → 保護率 = 102 ÷ 6,000 × 1,000 = 17.0 ‰.
    # FY2023: 人員 120 … (12 months of 120) → 120; population 8,000 → 15.0 ‰.
    frame = pd.concat([monthly(2023, [120] * 12, [100] * 12), monthly(2024, [100] * 6 + [103] * 6, [80] * 12)])
    out = community.yearly_protection(frame, {2023: 8000, 2024: 6000}).set_index("fiscal_year")
    assert out.loc[2024, "persons"] == 102 and out.loc[2024, "households"] == 80
    assert out.loc[2024, "rate"] == pytest.approx(17.0)
    assert out.loc[2023, "rate"] == pytest.approx(15.0)


def test_a_year_with_a_missing_month_has_no_average():
    # 11 months reported, 1 month 「…」: no 月平均 and no 保護率 (「－」), never an average of 11 months as 12
    persons = [120] * 11 + [None]
    out = community.yearly_protection(monthly(2024, persons, [100] * 12), {2024: 8000}).set_index("fiscal_year")
    assert pd.isna(out.loc[2024, "persons"]) and pd.isna(out.loc[2024, "rate"]) and out.loc[2024, "months"] == 11


def test_population_of_a_fiscal_year_is_its_1_january():
    hh = pd.DataFrame({"date": [pd.Timestamp(2026, 1, 1)] * 2 + [pd.Timestamp(2025, 1, 1)],
                       "population": [30, 50, 70]})
    assert community.population_by_fy(hh) == {2025: 80, 2024: 70}  # 令和8年1月1日 → 令和7年度


def _inputs(juusou=(None, 5), quota=(77, 77), members=(70, 69)) -> dict[str, pd.DataFrame]:
    rows = []
    for fy, j, q, m in zip((2024, 2025), juusou, quota, members, strict=True):
        rows += [("重層的支援体制整備事業", "相談件数", "件", fy, j), ("重層的支援体制整備事業", "支援会議の開催回数", "回", fy, None if j is None else 1),
                 ("民生委員・児童委員", "定数", "人", fy, q), ("民生委員・児童委員", "委嘱数", "人", fy, m),
                 ("民生委員・児童委員", "相談・支援件数", "件", fy, 100)]
    stats = pd.DataFrame(rows, columns=["topic", "item", "unit", "fiscal_year", "value"])
    stats["value"] = stats["value"].astype("Int64")
    register = pd.DataFrame({"date": [pd.Timestamp(2025, 1, 1), pd.Timestamp(2026, 1, 1)], "population": [8000, 8000]})
    seiho = pd.concat([monthly(2024, [120] * 12, [100] * 12), monthly(2025, [124] * 12, [100] * 12)])
    return {"seiho_monthly": seiho, "community_stats": stats, "city_register_households": register}


def test_a_year_with_a_missing_month_prints_not_obtainable():
    inputs = _inputs()
    inputs["seiho_monthly"] = pd.concat([monthly(2024, [120] * 11 + [None], [100] * 12),
                                         monthly(2025, [124] * 12, [100] * 12)])
    t = community.seiho_table(community.prepare(run_params(2026), inputs))
    text = t.formatted().set_index("年度")
    assert text.loc["令和6年度", "被保護人員（月平均）"] == "…" and text.loc["令和6年度", "保護率"] == "…"
    assert text.loc["令和6年度", "被保護世帯数（月平均）"] == "…"  # the year's figures are a whole: none of them
    assert text.loc["令和7年度", "保護率"] == "15.5"  # 124 ÷ 8,000 × 1,000
    assert any("「…」" in n for n in t.notes)


def test_fulfilment_rate_and_vacancies_by_hand():
    # 定数 77, 委嘱数 70 → 充足率 70 ÷ 77 = 90.909…％ → 90.9; 欠員 7. 令和7年度: 69 ÷ 77 = 89.61…％ → 89.6
    data = community.prepare(run_params(2026), _inputs())
    t = community.commissioner_table(data)
    text = t.formatted().set_index("年度")
    assert text.loc["令和6年度", "充足率"] == "90.9" and text.loc["令和6年度", "欠員数"] == "7"
    assert text.loc["令和7年度", "充足率"] == "89.6"
    assert "％" in t.unit


def test_juusou_years_before_the_start_are_dashes_with_a_note():
    params = run_params(2026)
    data = community.prepare(params, _inputs(juusou=(None, 5)))
    data = community.CommunityData(params, community.CommunityParams(9, 2025, 0.01), data.years, data.seiho,
                                   data.stats, data.stats_years)
    t = community.juusou_table(data)
    assert t.formatted().set_index("年度").loc["令和6年度", "相談件数"] == "－"  # not 0
    assert any("令和7年度から実施" in n and "「－」" in n for n in t.notes)


def test_no_files_gives_sentences_not_errors():
    empty = {k: v.iloc[0:0] for k, v in _inputs().items()}
    data = community.prepare(run_params(2026), empty)
    assert "データがない" in community.seiho_table(data)
    assert community.seiho_figure(data) == "" and community.commissioner_text(data) == ""


# --- end to end: the FY2026 demo build -----------------------------------------------------------
@pytest.fixture(scope="module")
def raw(demo_data_dir):
    """Everything the section uses, read from the raw demo files with openpyxl."""
    out = {"persons": {}, "households": {}, "population": {}}
    for fy in FYS:
        wb = openpyxl.load_workbook(demo_data_dir / "seikatsu_hogo" / f"hogo_geppo_FY{fy}.xlsx", read_only=True)
        rows = {r[0]: r[1:13] for r in wb["被保護世帯数・人員"].iter_rows(min_row=7, max_row=8, values_only=True)}
        wb.close()
        out["persons"][fy] = list(rows["被保護実人員"])
        out["households"][fy] = list(rows["被保護世帯数"])
        wb = openpyxl.load_workbook(demo_data_dir / "city_register" / f"juki_choume_age_{fy + 1}0101.xlsx",
                                    read_only=True)
        out["population"][fy] = next(r[6] for r in wb["町丁目別世帯数"].iter_rows(min_row=6, values_only=True)
                                     if r[0] == "合計")
        wb.close()
    wb = openpyxl.load_workbook(next((demo_data_dir / "community").glob("*.xlsx")), read_only=True)
    for name in wb.sheetnames:
        out[name] = {str(r[0]).strip("\u3000"): list(r[2:11])
                     for r in wb[name].iter_rows(min_row=7, values_only=True) if r[0] and r[1]}
    wb.close()
    return out


def test_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 6)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 4)]


def test_protection_table_matches_the_raw_files(built_report, raw):
    text = table(built_report, ID, "生活保護の被保護世帯数").formatted().set_index("年度")
    assert list(text.index) == [fy_ja(fy) for fy in FYS]
    for fy in FYS:
        persons = half_up(Decimal(sum(raw["persons"][fy])) / 12, "1")
        households = half_up(Decimal(sum(raw["households"][fy])) / 12, "1")
        rate = half_up(persons / raw["population"][fy] * 1000)
        row = text.loc[fy_ja(fy)]
        assert row["被保護人員（月平均）"] == f"{persons:,}" and row["被保護世帯数（月平均）"] == f"{households:,}"
        assert row["人口（1月1日現在）"] == f"{raw['population'][fy]:,}"
        assert row["保護率"] == str(rate), fy
        assert Decimal("15.0") <= rate <= Decimal("17.0")


def test_protection_commentary_reads_the_peak(built_report, raw):
    rates = {fy: half_up(half_up(Decimal(sum(raw["persons"][fy])) / 12, "1") / raw["population"][fy] * 1000)
             for fy in FYS}
    peak = max(FYS, key=lambda fy: (rates[fy], -fy))
    text = "".join(commentary(built_report, ID))
    assert peak not in (FYS[0], FYS[-1])  # the demo 保護率 turns inside the period
    assert f"保護率は、{fy_ja(peak)}の{rates[peak]}‰をピークに低下に転じています" in text
    assert f"{fy_ja(FYS[-1])}は{rates[FYS[-1]]}‰です" in text


def test_guardianship_parts_add_up_and_match(built_report, raw):
    f = table(built_report, ID, "成年後見制度の申立件数").frame
    parts = f[["後見開始", "保佐開始", "補助開始", "任意後見監督人選任"]].sum(axis=1)
    assert (parts == f["申立件数（計）"]).all()
    assert f["申立件数（計）"].tolist() == raw["成年後見"]["申立件数"]
    assert f["うち市長申立"].tolist() == raw["成年後見"]["うち市長申立"]
    assert (f["うち市長申立"] <= f["申立件数（計）"]).all()


def test_juusou_before_2023_is_missing_not_zero(built_report, raw):
    t = table(built_report, ID, "重層的支援体制整備事業")
    text = t.formatted().set_index("年度")
    for fy in FYS:
        expected = raw["重層的支援体制整備事業"]["相談件数"][fy - 2017]
        assert text.loc[fy_ja(fy), "相談件数"] == ("－" if fy < 2023 else f"{expected:,}")
    assert t.frame["相談件数"].iloc[:6].isna().all()
    assert any("令和5年度から実施" in n for n in t.notes)


def test_commissioners_fulfilment_rate(built_report, raw):
    text = table(built_report, ID, "民生委員・児童委員").formatted().set_index("年度")
    m = raw["民生委員・児童委員"]
    for i, fy in enumerate(FYS):
        rate = half_up(Decimal(m["委嘱数"][i]) * 100 / m["定数"][i])
        assert text.loc[fy_ja(fy), "充足率"] == str(rate)
        assert text.loc[fy_ja(fy), "欠員数"] == str(m["定数"][i] - m["委嘱数"][i])


def test_consultations_match(built_report, raw):
    f = table(built_report, ID, "生活困窮者自立相談支援").frame
    assert f["新規相談受付件数"].tolist() == raw["生活困窮者自立支援"]["新規相談受付件数"]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 5
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_page_has_no_pipeline_wording(built_report):
    text = visible_text(built_report, ID)
    for word in ("入力", "処理", "出力", "自動で作成", "パラメータ", "データフレーム", "params_file", "open_section"):
        assert word not in text, word


def test_fy2023_uses_fiscal_years_up_to_2022(demo_data_dir):
    from komae_analysis.ingest import registry

    frames = registry.load_many(list(section(ID).inputs), demo_data_dir, 2023)
    data = community.prepare(run_params(2023), frames)
    assert data.years == tuple(range(2017, 2023))
    assert set(data.seiho["fiscal_year"]) == set(range(2017, 2023))  # FY2023's file is dated 2024-03-31
