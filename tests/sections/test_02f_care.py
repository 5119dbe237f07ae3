"""第1節 第2款（6）介護保険: formulas on small hand-made cases, and end to end on the FY2026 demo build.

End-to-end numbers are compared with values computed here from the raw demo workbooks read with
openpyxl (not with the package's reader), and the page's commentary with the section's printed
tables (the rule in tests.sections).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from komae_analysis.analysis import care
from komae_analysis.ingest.care_insurance import SCHEMA, annual_date, month_end
from komae_analysis.ingest.frames import typed_frame
from komae_analysis.pipeline.registry import run_params
from tests.sections import (
    commentary,
    printed_cells,
    section,
    shown_pct,
    table,
    tables,
    unmatched_numbers,
    visible_text,
)

ID = "02f_care"
LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5"]
WAREKI_FY = {2017: "平成29年度", 2018: "平成30年度", 2019: "令和元年度", 2020: "令和2年度", 2021: "令和3年度",
             2022: "令和4年度", 2023: "令和5年度", 2024: "令和6年度", 2025: "令和7年度"}
ESTIMATE = "令和8年度（見込）"


# ============================================================== formulas on hand-made cases

def frame(rows: list[tuple], *, report: str, date: dt.date, fy: int) -> pd.DataFrame:
    """A tidy care frame from (area, table, category, item, value) rows."""
    cols = list(zip(*rows, strict=True))
    unit = ["千円" if t == "給付費" else "人" for t in cols[1]]
    return typed_frame(SCHEMA, {
        "date": date, "report": report, "fiscal_year": fy, "months": 12 if report == "年報" else 1,
        "area": list(cols[0]), "area_kind": ["保険者" if a == "狛江市" else "全国" if a == "全国" else "都道府県"
                                             for a in cols[0]],
        "table": list(cols[1]), "category": list(cols[2]), "item": list(cols[3]), "unit": unit,
        "value": list(cols[4]),
    })


def rows_of(area: str, *, young: int, old: int, cert_young: int, cert_old: int, users: int | None = 120,
            money: int | None = 1000) -> list[tuple]:
    """One area's cells a hand case needs: 被保険者 by band, 第1号 認定者 by band (all in 要介護1),
    居宅 受給者 and 給付費 (居宅 小計 and 合計)."""
    cert = cert_young + cert_old
    out = [
        (area, "第1号被保険者", "第1号", "65歳以上75歳未満", young),
        (area, "第1号被保険者", "第1号", "75歳以上", old),
        (area, "第1号被保険者", "第1号", "計", young + old),
        (area, "認定者", "第1号65～74歳", "計", cert_young),
        (area, "認定者", "第1号75歳以上", "計", cert_old),
        (area, "認定者", "第1号", "計", cert),
        (area, "認定者", "総数", "計", cert + 10),
        (area, "認定者", "第2号", "計", 10),
        (area, "居宅サービス受給者", "総数", "計", users),
        (area, "給付費", "居宅", "小計", money),
        (area, "給付費", "合計", "合計", money),
    ]
    return out


def params(fy: int = 2026):
    return run_params(fy)


def test_certification_rate_on_a_hand_case():
    # 狛江市 FY2024: 被保険者 800 (65–74) + 1,200 (75+) = 2,000; 第1号 認定者 40 + 360 = 400
    #   認定率 = 400 / 2,000 = 20.0 %; 65–74: 40 / 800 = 5.0 %; 75+: 360 / 1,200 = 30.0 %
    # 東京都計: 3,000 + 3,000 = 6,000, 認定者 150 + 1,050 = 1,200 → 20.0 %; 全国 absent.
    annual = frame(rows_of("狛江市", young=800, old=1200, cert_young=40, cert_old=360)
                   + rows_of("東京都計", young=3000, old=3000, cert_young=150, cert_old=1050),
                   report="年報", date=annual_date(2024), fy=2024)
    data = care.prepare(params(), {"care_annual": annual, "care_monthly": annual.iloc[0:0]})
    assert data.years == (2024,) and data.estimate_fy is None
    assert care.certification_rate(data, "狛江市")[2024] == pytest.approx(0.20)
    assert care.certification_rate(data, "狛江市", "65～74歳")[2024] == pytest.approx(0.05)
    assert care.certification_rate(data, "狛江市", "75歳以上")[2024] == pytest.approx(0.30)
    t = care.rate_table(data)
    assert t.formatted().iloc[0].tolist() == ["令和6年度", "20.0", "20.0", "5.0", "30.0"]
    assert any("全国の行（全国）がないため" in n for n in t.notes)  # the missing comparison is said
    assert any("令和8年度の月報がないため" in n for n in t.notes)


def _monthly(values: dict[int, tuple[int, int | None, int]]) -> pd.DataFrame:
    """月報 of FY2026 months: month → (被保険者 75+, 給付費 合計, 居宅 受給者)."""
    parts = []
    for m, (old, money, users) in values.items():
        rows = rows_of("狛江市", young=800, old=old, cert_young=40, cert_old=360, users=users, money=money)
        parts.append(frame(rows, report="月報", date=month_end(2026, m), fy=2026))
    return pd.concat(parts, ignore_index=True)


def _annual_2025() -> pd.DataFrame:
    return frame(rows_of("狛江市", young=800, old=1200, cert_young=40, cert_old=360, users=1200, money=12_000),
                 report="年報", date=annual_date(2025), fy=2025)


def test_estimate_on_a_hand_case():
    # April–June 2026: 被保険者 75+ 1,210 / 1,220 / 1,230 (stock: June's, so 計 800 + 1,230 = 2,030);
    # 給付費 100 / 110 / 120 千円 (flow: 330 × 12 / 3 = 1,320); 居宅 受給者 10 / 11 / 12 (flow: 33 × 4 = 132
    # persons × months, 1か月平均 132 / 12 = 11; per recipient 1,320 × 1,000 / 132 = 10,000 円)
    monthly = _monthly({4: (1210, 100, 10), 5: (1220, 110, 11), 6: (1230, 120, 12)})
    data = care.prepare(params(), {"care_annual": _annual_2025(), "care_monthly": monthly})
    assert data.estimate_fy == 2026 and len(data.estimate_months) == 3
    assert data.series("狛江市", "第1号被保険者", "第1号", "計")[2026] == 2030
    assert care.benefits(data).loc[2026, "total"] == pytest.approx(1320)
    assert care.recipients(data).loc[2026, "居宅_avg"] == pytest.approx(11)
    assert care.per_recipient(data).loc[2026, "居宅"] == pytest.approx(10_000)
    t = care.benefits_table(data)
    assert t.formatted()["年度"].tolist() == ["令和7年度", ESTIMATE]
    assert t.formatted()["合計"].tolist() == ["12,000", "1,320"]
    assert any(n.startswith("令和8年度（見込）は令和8年4月分～6月分の月報による。") and "3か月分の合計を12／3倍" in n
               for n in t.notes)


def test_no_estimate_from_too_few_months_or_a_gap():
    two = _monthly({4: (1210, 100, 10), 5: (1220, 110, 11)})
    data = care.prepare(params(), {"care_annual": _annual_2025(), "care_monthly": two})
    assert data.estimate_fy is None and len(data.months_found) == 2
    assert "月報が2か月分しかないため" in care.estimate_notes(data)[0]
    # a month whose 給付費 is a marker (NA): the flow has no 見込, the stocks still have one
    gap = _monthly({4: (1210, 100, 10), 5: (1220, None, 11), 7: (1230, 120, 12)})
    data = care.prepare(params(), {"care_annual": _annual_2025(), "care_monthly": gap})
    assert pd.isna(care.benefits(data).loc[2026, "total"])
    assert care.recipients(data).loc[2026, "居宅_avg"] == pytest.approx(11)
    assert care.months_text(data) == "令和8年4月分・5月分・7月分"


def test_without_files_the_section_says_so():
    empty = frame(rows_of("狛江市", young=1, old=1, cert_young=0, cert_old=0), report="年報",
                  date=annual_date(2024), fy=2024).iloc[0:0]
    data = care.prepare(params(), {"care_annual": empty, "care_monthly": empty})
    assert not data.available
    assert "ファイルがないため" in care.insured_table(data)
    for fn in (care.insured_figure, care.insured_text, care.certified_table, care.rate_figure, care.rate_text,
               care.benefits_table, care.benefits_text, care.service_table, care.service_text):
        assert fn(data) == ""


# ==================================================================== end to end (FY2026 demo)

RAW_CARE = Path(__file__).resolve().parents[2] / "data" / "raw" / "care_insurance"


@functools.lru_cache(maxsize=32)
def sheet(name: str, sheet_name: str) -> dict[str, dict[tuple[str, str], object]]:
    """area → {(upper header, lower header): value} of one sheet of a raw demo workbook (openpyxl)."""
    wb = openpyxl.load_workbook(RAW_CARE / name, read_only=True, data_only=True)
    rows = list(wb[sheet_name].iter_rows(values_only=True))
    wb.close()
    top = next(i for i, r in enumerate(rows) if r[0] == "保険者名")
    labels, current = [], None
    for c in range(1, len(rows[top])):
        current = rows[top][c] or current
        labels.append((current, rows[top + 1][c] or rows[top][c]))
    out = {}
    for r in rows[top + 2:]:
        if not r[0]:
            break
        out[str(r[0]).replace("\u3000", "")] = dict(zip(labels, r[1:], strict=False))
    return out


def annual_cell(fy: int, sheet_name: str, area: str, key: tuple[str, str]):
    return sheet(f"kaigo_nenpo_{fy}.xlsx", sheet_name)[area][key]


MONTHS = [f"kaigo_geppo_2026{m:02d}.xlsx" for m in range(4, 10)]


def half_up(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert prefix == "2-6"
    assert [t["number"] for t in rec["tables"]] == [f"表2-6-{i}" for i in range(1, 8)]
    assert [f["number"] for f in rec["figures"]] == [f"図2-6-{i}" for i in range(1, 6)]
    assert {Path(i["path"]).name for i in rec["inputs"]["care_annual"]} == \
        {f"kaigo_nenpo_{fy}.xlsx" for fy in range(2017, 2026)}
    assert [Path(i["path"]).name for i in rec["inputs"]["care_monthly"]] == MONTHS


def test_insured_table_matches_the_workbooks(built_report):
    f = table(built_report, ID, "第1号被保険者数の推移").frame.set_index("年度")
    key = ("第１号被保険者数", "計")
    assert list(f.index) == [WAREKI_FY[y] for y in range(2017, 2026)] + [ESTIMATE]
    for fy in range(2017, 2026):
        assert f.loc[WAREKI_FY[fy], "計"] == annual_cell(fy, "第１号被保険者数", "狛江市", key)
        assert f.loc[WAREKI_FY[fy], "75歳以上"] == annual_cell(fy, "第１号被保険者数", "狛江市",
                                                             ("第１号被保険者数", "75歳以上"))
    # the 見込 of a stock: the September 2026 月報
    assert f.loc[ESTIMATE, "計"] == sheet(MONTHS[-1], "第１号被保険者数")["狛江市"][key]


def test_certified_levels_and_age_bands_add_up(built_report):
    t = table(built_report, ID, "要介護（要支援）認定者数の推移")
    f = t.frame.set_index("年度")
    for label, row in f.iterrows():
        assert sum(row[lv] for lv in LEVELS) == row["計"], label
        assert row["うち第1号被保険者"] + row["うち第2号被保険者"] == row["計"], label
        assert row["第1号のうち65～74歳"] + row["第1号のうち75歳以上"] == row["うち第1号被保険者"], label
    for lv in LEVELS:
        assert f.loc["令和3年度", lv] == annual_cell(2021, "要介護（要支援）認定者数", "狛江市", ("総数", lv))


def test_rates_match_the_workbooks(built_report):
    text = table(built_report, ID, "第1号被保険者の認定率の推移").formatted().set_index("年度")
    for fy in (2017, 2021, 2025):
        for area, col in (("狛江市", "狛江市"), ("東京都計", "東京都"), ("全国", "全国")):
            cert = annual_cell(fy, "要介護（要支援）認定者数", area, ("第１号被保険者", "計"))
            insured = annual_cell(fy, "第１号被保険者数", area, ("第１号被保険者数", "計"))
            assert text.loc[WAREKI_FY[fy], col] == str(shown_pct(cert, insured)), (fy, area)
        old = annual_cell(fy, "要介護（要支援）認定者数", "狛江市", ("うち75歳以上", "計"))
        insured_old = annual_cell(fy, "第１号被保険者数", "狛江市", ("第１号被保険者数", "75歳以上"))
        assert text.loc[WAREKI_FY[fy], "狛江市（75歳以上）"] == str(shown_pct(old, insured_old))
    sep = sheet(MONTHS[-1], "要介護（要支援）認定者数")["狛江市"][("第１号被保険者", "計")]
    sep_insured = sheet(MONTHS[-1], "第１号被保険者数")["狛江市"][("第１号被保険者数", "計")]
    assert text.loc[ESTIMATE, "狛江市"] == str(shown_pct(sep, sep_insured))
    # commentary: the latest actual rate, as printed, compared with 東京都 and 全国
    c = shown_pct(annual_cell(2025, "要介護（要支援）認定者数", "狛江市", ("第１号被保険者", "計")),
                  annual_cell(2025, "第１号被保険者数", "狛江市", ("第１号被保険者数", "計")))
    paragraphs = "".join(commentary(built_report, ID))
    assert f"令和7年度末の狛江市の認定率は{c}％で、東京都（{text.loc['令和7年度', '東京都']}％）を上回っており" in paragraphs


def test_benefits_and_the_estimate_match_the_workbooks(built_report):
    t = table(built_report, ID, "保険給付費の推移")
    f = t.frame.set_index("年度")
    for fy in range(2017, 2026):
        assert f.loc[WAREKI_FY[fy], "合計"] == annual_cell(fy, "保険給付費", "狛江市", ("合計", "合計"))
        assert f.loc[WAREKI_FY[fy], "施設サービス"] == annual_cell(fy, "保険給付費", "狛江市", ("施設サービス", "小計"))
    months = [sheet(m, "保険給付費")["狛江市"][("合計", "合計")] for m in MONTHS]
    assert f.loc[ESTIMATE, "合計"] == half_up(Decimal(sum(months)) * 12 / len(months))
    assert t.formatted().set_index("年度").loc[ESTIMATE, "対前年度増減率"] == \
        str(((Decimal(sum(months)) * 2 / Decimal(int(f.loc["令和7年度", "合計"])) - 1) * 100).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert any("6か月分の合計を12／6倍した値" in n for n in t.notes)
    assert any("2か月前のサービス分" in n for n in t.notes)


def test_recipients_and_amount_per_recipient(built_report):
    users = table(built_report, ID, "介護保険サービス受給者数").frame.set_index("年度")
    per = table(built_report, ID, "受給者1人当たり給付月額").frame.set_index("年度")
    for fy in (2017, 2025):
        home = annual_cell(fy, "居宅介護（介護予防）サービス受給者数", "狛江市", ("総数", "計"))
        money = annual_cell(fy, "保険給付費", "狛江市", ("居宅（介護予防）サービス", "小計"))
        assert users.loc[WAREKI_FY[fy], "居宅サービス"] == half_up(Decimal(int(home)) / 12)
        assert per.loc[WAREKI_FY[fy], "居宅サービス"] == half_up(Decimal(int(money)) * 1000 / Decimal(int(home)))
    facility = [sheet(m, "施設介護サービス受給者数")["狛江市"][("総数", "計")] for m in MONTHS]
    assert users.loc[ESTIMATE, "施設サービス"] == half_up(Decimal(int(sum(facility))) / len(facility))


def test_service_table_is_the_term_and_adds_up(built_report):
    t = table(built_report, ID, "サービス別保険給付費")
    assert "第9期" in t.title
    f = t.frame.set_index("サービス")
    assert list(f.columns) == ["令和6年度", "令和7年度", ESTIMATE]
    assert f.loc["訪問介護", "令和7年度"] == annual_cell(2025, "保険給付費", "狛江市", ("居宅（介護予防）サービス", "訪問介護"))
    assert pd.isna(f.loc["介護療養型医療施設", "令和6年度"])  # 「－」 in the workbook, never 0
    assert "－" in t.formatted().set_index("サービス").loc["介護療養型医療施設"].tolist()
    rows = list(f.index)
    for label in ("居宅サービス 計", "地域密着型サービス 計", "施設サービス 計"):
        end = rows.index(label)
        start = max([0] + [rows.index(x) + 1 for x in rows[:end] if x.endswith(" 計")])
        parts = f.iloc[start:end]["令和7年度"].dropna()
        assert abs(parts.sum() - f.loc[label, "令和7年度"]) <= len(parts)  # each part rounded to 千円
    assert t.total_rows == [rows.index(x) for x in rows if x.endswith(" 計") or x == "合計"]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 6
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text
    # the rule still catches a stray number
    assert unmatched_numbers("要介護1の認定者は12,345,678人です。", numeric, labels) == ["12,345,678"]


def test_commentary_reads_the_trend(built_report):
    text = "".join(commentary(built_report, ID))
    totals = {fy: annual_cell(fy, "第１号被保険者数", "狛江市", ("第１号被保険者数", "計")) for fy in range(2017, 2026)}
    if all(totals[y] > totals[y - 1] for y in range(2018, 2026)):
        assert f"平成29年度末の{totals[2017]:,}人から令和7年度末の{totals[2025]:,}人へ増加しています（8年度連続で増加）" in text
    cert = {fy: annual_cell(fy, "要介護（要支援）認定者数", "狛江市", ("総数", "計")) for fy in range(2017, 2026)}
    if max(cert, key=cert.get) == 2025:
        assert f"令和7年度末の{cert[2025]:,}人が最も多くなっています" in text
    home = {fy: annual_cell(fy, "保険給付費", "狛江市", ("居宅（介護予防）サービス", "小計")) for fy in range(2017, 2026)}
    dip = [y for y in range(2018, 2025) if home[y] < home[y - 1] and home[y + 1] > home[y]]
    if dip:  # the demo's 2020 pandemic year
        assert f"居宅サービスが{WAREKI_FY[dip[-1]]}にいったん減少した後" in text
    assert "令和8年度（見込）" in text


def test_page_labels_the_estimate_and_has_no_pipeline_wording(built_report):
    text = visible_text(built_report, ID)
    assert ESTIMATE in text and "令和8年4月分～9月分の月報による" in text
    for word in ("入力", "処理", "出力", "自動で作成", "params_file", "data_dir", "out_dir", "fy:", "open_section"):
        assert word not in text, word


def test_fy2023_build_uses_data_up_to_its_cutoff(tmp_path, demo_data_dir):
    from komae_analysis.pipeline.build import build

    result = build(run_params(2023), data_dir=demo_data_dir, out_base=tmp_path, only=[ID], jobs=1,
                   echo=lambda _m: None)
    assert result.ok
    report = result.report_dir
    f = table(report, ID, "第1号被保険者数の推移").frame
    assert list(f["年度"]) == [WAREKI_FY[y] for y in range(2017, 2023)]  # 令和5年度's 年報 is dated 2024-03-31
    rec = json.loads((report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    assert rec["inputs"]["care_monthly"] == []  # the 2026 月報 are after 2023-09-30
    t = table(report, ID, "サービス別保険給付費")
    assert "第8期" in t.title and list(t.frame.columns) == ["サービス", "令和3年度", "令和4年度"]
    assert any("令和5年度の月報がないため" in n for n in t.notes)
    html = (report / "html" / f"{ID}.html").read_text(encoding="utf-8")
    assert "令和8年" not in html and "見込）" not in html
