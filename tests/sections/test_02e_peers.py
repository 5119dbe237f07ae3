"""第1節 第2款（5）類似自治体との比較: formulas on small hand-computed files, the selection rule, the
errors a received file really produces, end to end on the FY2026 demo build, and on the real SSDSE-A
editions (skipped when absent).

Small files are written in the SSDSE-A layout (three header lines) and read with the package's reader,
so that the section sees what a real file gives it. Expected values are worked out by hand (comments)
or computed from the raw CSV text with the csv module.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from komae_analysis import reference
from komae_analysis.analysis import peers
from komae_analysis.errors import InputError
from komae_analysis.ingest.frames import empty_frame
from komae_analysis.ingest.ssdse import SCHEMA, read_ssdse_a
from komae_analysis.pipeline.registry import run_params
from tests.conftest import REALDATA
from tests.sections import commentary, printed_cells, section, table, tables, unmatched_numbers, visible_text

ID = "02e_peers"

# The items the section reads: code, label as published, year (SSDSE-A-2026's years).
ITEMS = [
    ("A1101", "総人口", 2020), ("A1301", "15歳未満人口", 2020), ("A1303", "65歳以上人口", 2020),
    ("A1419", "75歳以上人口", 2020), ("A4101", "出生数", 2023), ("A4200", "死亡数", 2023),
    ("A710101", "一般世帯数", 2020), ("A810102", "核家族世帯数", 2020), ("A810105", "単独世帯数", 2020),
    ("A8201", "夫65歳以上、妻60歳以上の夫婦のみの世帯数", 2020), ("A8301", "65歳以上世帯員の単独世帯数", 2020),
    ("B1101", "総面積（北方地域及び竹島を除く）", 2024), ("I6100", "医師数", 2022),
    ("J250302", "保育所等数（基本票）", 2023), ("D3203", "歳出決算総額（市町村財政）", 2022),
    ("D320303", "民生費（市町村財政）", 2022),
]

# A 狛江市-like area whose indicators are easy to work out by hand:
BASE = {"A1101": 1000, "A1301": 120, "A1303": 250, "A1419": 130, "A4101": 6, "A4200": 11, "A710101": 500,
        "A810102": 230, "A810105": 240, "A8201": 45, "A8301": 60, "B1101": 8, "I6100": 3, "J250302": 2,
        "D3203": 1000, "D320303": 520}
# 高齢化率 250/1000 = 25.0；後期 130/1000 = 13.0；年少 120/1000 = 12.0；65歳以上単独 60/500 = 12.0；
# 高齢夫婦 45/500 = 9.0；単独 240/500 = 48.0；核家族 230/500 = 46.0；出生率 6/1000×1000 = 6.0；
# 死亡率 11.0；人口密度 1000/8 = 125.0；医師 3/1000×100000 = 300.0；保育所 2/120×10000 = 166.666… → 166.7；
# 民生費 520/1000 = 52.0
BASE_EXPECTED = {"aging": 25.0, "late": 13.0, "young": 12.0, "single65": 12.0, "couple65": 9.0, "single": 48.0,
                 "nuclear": 46.0, "births": 6.0, "deaths": 11.0, "density": 125.0, "doctors": 300.0,
                 "nursery": "166.7", "welfare": 52.0}


def ssdse_file(path: Path, areas: list[tuple[str, str, str, dict]], *, items=ITEMS, edition: int = 2026,
               above: list[list[str]] | None = None) -> Path:
    """An SSDSE-A file with ``items`` and one line per area (values: numbers or marker strings)."""
    rows = [
        [f"SSDSE-A-{edition}", "Prefecture", "Municipality", *(c for c, _l, _y in items)],
        ["", "", "年度", *(str(y) for _c, _l, y in items)],
        ["地域コード", "都道府県", "市区町村", *(label for _c, label, _y in items)],
    ]
    for code, pref, name, values in areas:
        rows.append([f"R{code}", pref, name, *(str(values[c]) for c, _l, _y in items)])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="cp932", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows((above or []) + rows)
    return path


def area(pop: int, aging: float, **changes) -> dict:
    """BASE scaled to ``pop`` people with 65歳以上 = pop × aging (other items scaled alike)."""
    k = pop / BASE["A1101"]
    values = {c: round(v * k) for c, v in BASE.items()}
    values["A1101"], values["A1303"] = pop, round(pop * aging)
    values.update(changes)
    return values


def data_of(frame: pd.DataFrame, fy: int = 2026, **settings) -> peers.PeersData:
    params = run_params(fy)
    if settings:
        import dataclasses

        block = dataclasses.replace(params.topic(peers.PeersParams), **settings)
        params = dataclasses.replace(params, topics={**params.topics, "peers": block})
    return peers.prepare(params, {"ssdse_a": frame})


# The rule's small world: 狛江市 1,000 people, 高齢化率 25%.
RULE_AREAS = [
    ("01001", "北海道", "甲市", area(1100, 0.26)),  # +10%, 26% → candidate (1.0 point away)
    ("01002", "北海道", "乙市", area(900, 0.30)),  # −10%, 30% → candidate (5.0 points)
    ("01003", "北海道", "丙市", area(1200, 0.25)),  # +20%: outside the band
    ("01004", "北海道", "丁町", area(1000, 0.25)),  # a 町: not a city
    ("02001", "青森県", "戊市", area(1150, 0.24)),  # exactly +15%: inside; 1.0 point, ties with 甲市 → code order
    ("13101", "東京都", "千代田区", area(1000, 0.25)),  # a 区
    ("13201", "東京都", "八王子市", area(1000, 0.25)),  # 東京都: compared as 東京都市部, not nationwide
    ("13219", "東京都", "狛江市", area(1000, 0.25)),
]


@pytest.fixture()
def rule_frame(tmp_path) -> pd.DataFrame:
    return read_ssdse_a(ssdse_file(tmp_path / "SSDSE-A-2026.csv", RULE_AREAS))


# --------------------------------------------------------------------------------------- formulas


def test_indicators_on_a_hand_computed_area(rule_frame):
    data = data_of(rule_frame)
    komae = data.values.loc["13219"]
    for key, expected in BASE_EXPECTED.items():
        if isinstance(expected, str):
            assert f"{Decimal(komae[key]).quantize(Decimal('0.1'), ROUND_HALF_UP)}" == expected, key
        else:
            assert komae[key] == pytest.approx(expected), key


def test_definition_table_names_each_item_code_and_year(rule_frame):
    t = peers.definition_table(data_of(rule_frame))
    f = t.frame.set_index("指標")
    assert f.loc["65歳以上の単独世帯の割合（％）", "計算式（SSDSE-Aの項目と項目コード）"] == (
        "65歳以上世帯員の単独世帯数（A8301）÷一般世帯数（A710101）×100")
    assert f.loc["高齢化率（％）", "時点"] == "令和2年"
    assert f.loc["出生率（人口千人当たり）", "時点"] == "令和5年（総人口は令和2年）"
    assert f.loc["民生費の割合（歳出決算総額に占める％）", "時点"] == "令和4年度"
    assert any("令和2年国勢調査" in n for n in t.notes) and "令和2年国勢調査" in t.source
    assert t.source.startswith("出典：独立行政法人統計センター")


def test_positions_mean_median_rank_and_shown_difference(rule_frame):
    data = data_of(rule_frame)
    group = ["01001", "01002", "02001", "13219"]  # 高齢化率 26, 30, 24, 25
    p = peers.position(data, group, "aging")
    # ranks (highest first): 乙 30 → 1, 甲 26 → 2, 狛江 25 → 3, 戊 24 → 4
    assert (p.rank, p.n) == (3, 4)
    assert p.mean == pytest.approx(26.25)  # (26 + 30 + 24 + 25) / 4
    assert p.median == pytest.approx(25.5)  # (25 + 26) / 2
    assert p.diff == Decimal("-0.5")  # 25.0 − 25.5 as printed
    assert (p.top, p.bottom) == ("01002", "02001")


def test_ties_share_the_better_rank(rule_frame):
    data = data_of(rule_frame)
    r = peers.ranks(data, ["01003", "01004", "13219", "01001"], "aging")  # 25, 25, 25, 26
    assert dict(r) == {"01001": 1, "01003": 2, "01004": 2, "13219": 2}


# ---------------------------------------------------------------------------------------- the rule


def test_nationwide_rule_cities_only_band_nearest_and_home_prefecture_left_out(rule_frame):
    data = data_of(rule_frame, similar_count=2)
    assert data.similar == ("01001", "02001")  # both 1.0 point away: code order
    assert data.candidates == 3  # 甲市, 乙市, 戊市
    data = data_of(rule_frame, similar_count=10)
    assert data.similar == ("01001", "02001", "01002")
    data = data_of(rule_frame, similar_count=10, exclude_home_prefecture=False)
    assert "13201" in data.similar and "13101" not in data.similar and "01004" not in data.similar
    data = data_of(rule_frame, similar_count=10, population_band=0.05)
    assert data.similar == ()
    assert "条件に合う市がない" in peers.similar_table(data)


def test_rule_note_states_the_rule(rule_frame):
    t = peers.similar_table(data_of(rule_frame))
    assert any(n.startswith("全国の類似市は、東京都以外の全国の市（特別区・町村を除く）のうち、総人口が狛江市の±15％以内")
               and "近い順に10市" in n for n in t.notes)
    assert t.highlight_rows == [list(t.frame["市"]).index("狛江市")]


def test_shibu_group_is_the_tokyo_cities_in_the_file(rule_frame):
    data = data_of(rule_frame)
    assert data.shibu == ("13201", "13219")
    assert len(data.shibu_missing) == 24
    t = peers.shibu_position_table(data)
    assert any("東京都市部の2市で比べている" in n for n in t.notes)


# --------------------------------------------------------------------------------- received files


def test_header_shifted_by_a_row_still_builds_the_same_tables(tmp_path, rule_frame):
    shifted = read_ssdse_a(ssdse_file(tmp_path / "s.csv", RULE_AREAS, above=[["SSDSE-A 市区町村"], []]))
    a, b = data_of(rule_frame), data_of(shifted)
    pd.testing.assert_frame_equal(a.values, b.values)
    assert a.similar == b.similar


def test_full_width_digits_and_commas_read_as_numbers(tmp_path, rule_frame):
    changed = [(c, p, n, dict(v)) for c, p, n, v in RULE_AREAS]
    changed[-1][3]["A1101"] = "１，０００"
    changed[-1][3]["A1303"] = "２５０"
    frame = read_ssdse_a(ssdse_file(tmp_path / "w.csv", changed))
    assert data_of(frame).values.loc["13219", "aging"] == pytest.approx(25.0)


@pytest.mark.parametrize("marker", ["－", "…", "x", "***"])
def test_a_suppressed_component_is_missing_and_left_out_of_ranks(tmp_path, marker):
    changed = [(c, p, n, dict(v)) for c, p, n, v in RULE_AREAS]
    changed[1][3]["A8301"] = marker  # 乙市's 65歳以上の単独世帯
    changed[-1][3]["B1101"] = marker  # 狛江市's 総面積
    data = data_of(read_ssdse_a(ssdse_file(tmp_path / "m.csv", changed)))
    assert pd.isna(data.values.loc["01002", "single65"]) and pd.isna(data.values.loc["13219", "density"])
    assert data.values.loc["01002", "aging"] == pytest.approx(30.0)  # the other indicators stay
    group = [data.city, *data.similar]
    p = peers.position(data, group, "single65")
    assert p.n == len(group) - 1
    t = peers.similar_position_table(data)
    row = t.formatted().set_index("指標")
    assert row.loc["65歳以上の単独世帯の割合（％）", "市数"] == str(len(group) - 1)
    assert row.loc["人口密度（1ha当たり人）", "狛江市"] == "…"  # not obtainable, not 「－」 (none)
    assert row.loc["人口密度（1ha当たり人）", "順位（高い方から）"] == "…"
    assert any(n.startswith("乙市の65歳以上の単独世帯の割合は、計算に使う項目が秘匿・欠測") for n in t.notes)
    assert any(n.startswith("狛江市の人口密度は") for n in t.notes)
    # never read as zero: 乙市 would otherwise be the lowest, and 狛江市's density 0
    assert "01002" not in peers.ranks(data, group, "single65").index


def test_missing_item_code_names_the_code_and_its_label(tmp_path):
    items = [i for i in ITEMS if i[0] != "A8301"]
    frame = read_ssdse_a(ssdse_file(tmp_path / "SSDSE-A-2026.csv", RULE_AREAS, items=items))
    with pytest.raises(InputError) as e:
        data_of(frame)
    [p] = e.value.problems
    assert p.message == "この款で使う項目コード「A8301」（65歳以上世帯員の単独世帯数）の列が、SSDSE-Aのどの版にもありません"
    assert (p.file, p.row, p.column, p.found) == ("ssdse_a/", 1, "A8301", "なし")
    assert "項目コード" in p.format_ja() and "A8301" in p.format_ja()


def test_item_code_with_another_label_is_an_error(tmp_path):
    items = [(c, "65歳以上人口（男）" if c == "A1303" else label, y) for c, label, y in ITEMS]
    frame = read_ssdse_a(ssdse_file(tmp_path / "SSDSE-A-2026.csv", RULE_AREAS, items=items))
    with pytest.raises(InputError) as e:
        data_of(frame)
    [p] = e.value.problems
    assert (p.column, p.expected, p.found) == ("A1303", "65歳以上人口", "65歳以上人口(男)")


def test_missing_city_row_is_an_error(tmp_path):
    frame = read_ssdse_a(ssdse_file(tmp_path / "SSDSE-A-2026.csv", RULE_AREAS[:-1]))
    with pytest.raises(InputError) as e:
        data_of(frame)
    [p] = e.value.problems
    assert p.message == "狛江市（地域コード R13219）の行が、SSDSE-Aのどの版にもありません"
    assert (p.column, p.expected) == ("地域コード", "R13219（狛江市）の行")


def test_no_file_gives_a_sentence_everywhere():
    data = data_of(empty_frame(SCHEMA))
    assert not data.available
    first = peers.definition_table(data)
    assert first == "統計センター「教育用標準データセット（SSDSE-A）」のデータがないため、狛江市と類似自治体との比較は掲載していません。"
    for fn in (peers.shibu_position_table, peers.similar_table):  # the first call under each heading
        assert fn(data) == "データがないため掲載していません。"
    for fn in (peers.shibu_list_table, peers.shibu_figure, peers.overview_figure, peers.shibu_text,
               peers.similar_position_table, peers.similar_text):
        assert fn(data) == ""


def test_items_of_later_years_are_not_used_for_an_earlier_plan_year(tmp_path):
    """FY2023 uses items of 令和3年（度） or before: with only the 2026 edition, births (2023),
    doctors (2022) … are not available and shown as 「…」 with a 注; the census items are."""
    frame = read_ssdse_a(ssdse_file(tmp_path / "SSDSE-A-2026.csv", RULE_AREAS))
    data = data_of(frame, fy=2023)
    assert data.years["A1101"] == 2020 and data.years["A4101"] is None
    assert pd.isna(data.values.loc["13219", "births"]) and data.values.loc["13219", "aging"] == pytest.approx(25.0)
    t = peers.shibu_position_table(data)
    births = t.frame.index[t.frame.iloc[:, 0].astype(str).str.startswith("出生率")][0]
    assert "…" in t.formatted().iloc[births].tolist() and "－" not in t.formatted().iloc[births].tolist()
    assert any(n.startswith("出生率・死亡率・人口密度・医師数・保育所等数・民生費の割合は、令和3年（度）以前の値がない")
               for n in t.notes)
    older = ssdse_file(tmp_path / "SSDSE-A-2023.csv", RULE_AREAS, edition=2023,
                       items=[(c, label, {2023: 2020, 2024: 2021, 2022: 2020}.get(y, y)) for c, label, y in ITEMS])
    both = pd.concat([read_ssdse_a(older), frame], ignore_index=True)
    data = data_of(both, fy=2023)
    assert data.years["A4101"] == 2020 and data.years["B1101"] == 2021
    assert data.values.loc["13219", "births"] == pytest.approx(6.0)


# ------------------------------------------------------------------------------ the demo build


def _raw_demo(demo_data_dir: Path) -> dict[str, dict[str, str]]:
    """The 2026 demo edition: {area code: {item code: cell, 'name': …, 'pref': …}} (csv module)."""
    text = (demo_data_dir / "ssdse_a" / "SSDSE-A-2026_demo.csv").read_bytes().decode("cp932")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return {r[0][1:]: {"pref": r[1], "name": r[2], **dict(zip(rows[0][3:], r[3:], strict=True))} for r in rows[3:]}


def _pct(num: str, den: str) -> Decimal:
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_tables_and_figures_are_numbered_from_the_registry(built_report):
    rec = json.loads((built_report / "sections" / f"{ID}.json").read_text(encoding="utf-8"))
    prefix = section(ID).numbering
    assert [t["number"] for t in rec["tables"]] == [f"表{prefix}-{i}" for i in range(1, 6)]
    assert [f["number"] for f in rec["figures"]] == [f"図{prefix}-{i}" for i in range(1, 3)]
    assert rec["inputs"]["ssdse_a"]


def test_every_commentary_number_is_printed_in_a_table(built_report):
    paragraphs = commentary(built_report, ID)
    assert len(paragraphs) >= 3
    numeric, labels = printed_cells(tables(built_report, ID))
    for text in paragraphs:
        assert unmatched_numbers(text, numeric, labels) == [], text


def test_demo_aging_and_single65_and_ranks_from_the_raw_file(built_report, demo_data_dir):
    raw = _raw_demo(demo_data_dir)
    shibu = [a.code for a in reference.shibu_cities()]
    aging = {c: Decimal(raw[c]["A1303"]) / Decimal(raw[c]["A1101"]) for c in shibu}
    single = {c: Decimal(raw[c]["A8301"]) / Decimal(raw[c]["A710101"]) for c in shibu}
    rank_aging = 1 + sum(v > aging["13219"] for v in aging.values())
    rank_single = 1 + sum(v > single["13219"] for v in single.values())

    t = table(built_report, ID, "東京都市部（26市）の中での狛江市の位置").formatted().set_index("指標")
    assert t.loc["高齢化率（％）", "狛江市"] == str(_pct(raw["13219"]["A1303"], raw["13219"]["A1101"])) == "23.5"
    assert t.loc["65歳以上の単独世帯の割合（％）", "狛江市"] == "12.2"
    assert t.loc["高齢化率（％）", "順位（高い方から）"] == str(rank_aging)
    assert t.loc["65歳以上の単独世帯の割合（％）", "順位（高い方から）"] == str(rank_single)
    assert t.loc["高齢化率（％）", "市数"] == "26"
    values = sorted(aging.values())
    median = (values[12] + values[13]) / 2 * 100
    assert t.loc["高齢化率（％）", "26市の中央値"] == str(median.quantize(Decimal("0.1"), ROUND_HALF_UP))
    shown = Decimal(t.loc["高齢化率（％）", "狛江市"]) - Decimal(t.loc["高齢化率（％）", "26市の中央値"])
    assert t.loc["高齢化率（％）", "中央値との差"] == (f"△{-shown}" if shown < 0 else str(shown))

    lst = table(built_report, ID, "東京都市部（26市）の高齢化率と65歳以上の単独世帯の割合")
    f = lst.formatted()
    assert list(f["市"]) == [raw[c]["name"] for c in sorted(shibu, key=lambda c: (-single[c], c))]
    row = list(f["市"]).index("狛江市")
    assert lst.highlight_rows == [row] and f.loc[row, "高齢化率の順位"] == str(rank_aging)


def test_demo_similar_cities_follow_the_rule_from_the_raw_file(built_report, demo_data_dir):
    raw = _raw_demo(demo_data_dir)
    base_pop = Decimal(raw["13219"]["A1101"])
    base = Decimal(raw["13219"]["A1303"]) / base_pop
    pool = [c for c, a in raw.items() if a["name"].endswith("市") and a["pref"] != "東京都"
            and abs(Decimal(a["A1101"]) / base_pop - 1) <= Decimal("0.15")]
    near = sorted(pool, key=lambda c: (abs(Decimal(raw[c]["A1303"]) / Decimal(raw[c]["A1101"]) - base), c))[:10]
    t = table(built_report, ID, "狛江市と全国の類似市の比較")
    assert sorted(t.frame["市"]) == sorted([raw[c]["name"] for c in near] + ["狛江市"])
    assert any(f"条件に合う市は{len(pool)}市" in n for n in t.notes)
    f = t.formatted().set_index("市")
    for c in near:
        assert f.loc[raw[c]["name"], "高齢化率"] == str(_pct(raw[c]["A1303"], raw[c]["A1101"]))
        assert f.loc[raw[c]["name"], "総人口"] == f"{int(raw[c]['A1101']):,}"
    pos = table(built_report, ID, "全国の類似市の中での狛江市の位置").formatted().set_index("指標")
    assert pos.loc["高齢化率（％）", "市数"] == "11"


def test_page_says_census_and_states_the_rule(built_report):
    text = visible_text(built_report, ID)
    assert "令和2年国勢調査" in text
    assert "総人口が狛江市の±15％以内" in text
    for word in ("入力", "処理", "パラメータ", "データフレーム", "デモデータで"):
        assert word not in text.replace("デモデータ　この資料はデモデータ", ""), word


# --------------------------------------------------------------------------------- real editions

SSDSE_DIR = REALDATA / "ssdse_a"


@pytest.fixture(scope="module")
def real():
    path = SSDSE_DIR / "SSDSE-A-2026_cp932.csv"
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    with open(path, encoding="cp932", newline="") as f:
        rows = list(csv.reader(f))
    raw = {r[0][1:]: {"pref": r[1], "name": r[2], **dict(zip(rows[0][3:], r[3:], strict=True))} for r in rows[3:]}
    return raw, data_of(read_ssdse_a(path))


@pytest.mark.realdata
def test_real_komae_aging_rate_and_rank_among_the_26_cities(real):
    raw, data = real
    # 19,961 / 84,772 = 23.546…％ → 23.5
    assert (raw["13219"]["A1303"], raw["13219"]["A1101"]) == ("19961", "84772")
    t = peers.shibu_position_table(data).formatted().set_index("指標")
    assert t.loc["高齢化率（％）", "狛江市"] == str(_pct("19961", "84772")) == "23.5"
    shibu = [a.code for a in reference.shibu_cities()]
    assert len(shibu) == 26 and all(c in raw for c in shibu)
    aging = {c: Decimal(raw[c]["A1303"]) / Decimal(raw[c]["A1101"]) for c in shibu}
    assert t.loc["高齢化率（％）", "順位（高い方から）"] == str(1 + sum(v > aging["13219"] for v in aging.values()))
    single = {c: Decimal(raw[c]["A8301"]) / Decimal(raw[c]["A710101"]) for c in shibu}
    assert t.loc["65歳以上の単独世帯の割合（％）", "狛江市"] == str(_pct("5196", "42578")) == "12.2"
    assert t.loc["65歳以上の単独世帯の割合（％）", "順位（高い方から）"] == str(
        1 + sum(v > single["13219"] for v in single.values()))


@pytest.mark.realdata
def test_real_rule_picks_a_sensible_set(real):
    raw, data = real
    assert len(data.similar) == 10
    base_pop = int(raw["13219"]["A1101"])
    base = 19961 / 84772
    worst = 0.0
    for c in data.similar:
        a = raw[c]
        assert a["name"].endswith("市") and a["pref"] != "東京都", a["name"]
        assert abs(int(a["A1101"]) / base_pop - 1) <= 0.15, a["name"]
        worst = max(worst, abs(int(a["A1303"]) / int(a["A1101"]) - base))
    # nearest: every city in the band but not chosen is at least as far in 高齢化率 as the farthest chosen
    band = [c for c, a in raw.items() if a["name"].endswith("市") and a["pref"] != "東京都"
            and abs(int(a["A1101"]) / base_pop - 1) <= 0.15]
    assert data.candidates == len(band) > 50
    for c in set(band) - set(data.similar):
        assert abs(int(raw[c]["A1303"]) / int(raw[c]["A1101"]) - base) >= worst - 1e-12
    assert worst < 0.02  # similar 高齢化率: within 2 points of 狛江市's 23.5％
    t = peers.similar_table(data)
    assert len(t.frame) == 11 and "狛江市" in set(t.frame["市"])
