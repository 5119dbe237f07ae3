"""The section's tables (returned unnumbered; the section numbers them in display order). Each
returns a short sentence instead when its figures are not available."""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis.disability.data import (
    NOTE_NANBYO,
    NOTE_NOT_SHOWN,
    NOTE_TECHO_SUM,
    SHORT,
    TECHO_SUM,
    DisabilityData,
    by_age,
    by_levels,
    cell,
    children,
    fy,
    fy_end,
    short_trend_note,
    source_city,
    source_tokyo,
    totals,
    unavailable,
)
from komae_analysis.calendar import wareki_date
from komae_analysis.ingest.disability_common import (
    AGE_BANDS,
    AI,
    AI_GRADES,
    JIRITSU,
    NANBYO,
    NANBYO_KINDS,
    NOT_APPLICABLE,
    SEISHIN,
    SEISHIN_GRADES,
    SHINTAI,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
    TABLES,
    TECHO,
    TOTAL,
    year_end,
)
from komae_analysis.ingest.registry import citation
from komae_analysis.report import numbers
from komae_analysis.report.tables import AppendixTable

YEAR = "年度"


def _years(data: DisabilityData) -> list[str]:
    return [fy(y) for y in data.years]


def _ints(series: pd.Series) -> pd.array:
    return pd.array(series.tolist(), dtype="Int64")


def _year_table(data: DisabilityData, frame: pd.DataFrame, title: str, notes: list[str]) -> AppendixTable:
    """A table with one row per fiscal year: 年度 and the columns of ``frame`` (counts)."""
    out = pd.DataFrame({YEAR: _years(data), **{c: _ints(frame[c]) for c in frame.columns}})
    return AppendixTable(title=title, frame=out, unit="単位：人", source=source_city(),
                         notes=[*notes, *short_trend_note(data)])


# --- 1 推移 -------------------------------------------------------------------------------------
def trend_table(data: DisabilityData) -> AppendixTable | str:
    """Holders of each 手帳 and recipients of each 制度, every 年度末."""
    if not data.has_city:
        return unavailable()
    t = totals(data)
    frame = pd.DataFrame({SHORT[SHINTAI]: t[SHINTAI], SHORT[AI]: t[AI], SHORT[SEISHIN]: t[SEISHIN]})
    frame[TECHO_SUM] = t[list(TECHO)].sum(axis=1, min_count=3, skipna=False)
    frame[SHORT[JIRITSU]] = t[JIRITSU]
    frame[SHORT[NANBYO]] = t[NANBYO]
    return _year_table(data, frame, f"障害者手帳所持者数等の推移（{data.city_name}）",
                       [NOTE_TECHO_SUM, NOTE_NANBYO])


# --- 2 身体障害者手帳 ---------------------------------------------------------------------------
def shintai_grade_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = by_levels(data, SHINTAI, "grade", SHINTAI_GRADES)
    frame[TOTAL] = cell(data, SHINTAI)
    return _year_table(data, frame, f"身体障害者手帳所持者数の推移（等級別、{data.city_name}）",
                       ["1級が最も重い。"])


def shintai_kind_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = by_levels(data, SHINTAI, "kind", SHINTAI_KINDS)
    frame[TOTAL] = cell(data, SHINTAI)
    return _year_table(data, frame, f"身体障害者手帳所持者数の推移（障害種別、{data.city_name}）",
                       ["障害種別は主たる障害による。"])


COMPOSITION_COLUMNS = ("区分", "内訳")


def _share_cols(data: DisabilityData) -> tuple[str, str, str, str, str]:
    a, b = fy(data.first), fy(data.latest)
    return (f"人数（{a}）", f"構成比（{a}）", f"人数（{b}）", f"構成比（{b}）", "構成比の差（ポイント）")


def composition(data: DisabilityData, groups: list[tuple[str, str, str, tuple[str, ...]]]) -> pd.DataFrame:
    """Rows of a composition table: for each (heading, table, column, levels) the levels and a 計 row,
    with the counts and shares of the first and latest years and the difference of the shown shares."""
    n_a, s_a, n_b, s_b, diff = _share_cols(data)
    rows: list[dict[str, object]] = []
    for heading, table, column, levels in groups:
        counts = by_levels(data, table, column, levels)
        total = cell(data, table)
        for level in (*levels, TOTAL):
            a = total[data.first] if level == TOTAL else counts.loc[data.first, level]
            b = total[data.latest] if level == TOTAL else counts.loc[data.latest, level]
            sa = a / total[data.first] if not numbers.is_missing(a) else None
            sb = b / total[data.latest] if not numbers.is_missing(b) else None
            rows.append({
                COMPOSITION_COLUMNS[0]: heading, COMPOSITION_COLUMNS[1]: level, n_a: a, s_a: sa, n_b: b, s_b: sb,
                diff: None if sa is None or sb is None else float(numbers.pct_diff(sb, sa)),
            })
    frame = pd.DataFrame(rows)
    for c in (n_a, n_b):
        frame[c] = pd.array(frame[c].tolist(), dtype="Int64")
    for c in (s_a, s_b, diff):
        frame[c] = pd.array(frame[c].tolist(), dtype="Float64")
    return frame


def _composition_table(data: DisabilityData, title: str, groups, notes: list[str]) -> AppendixTable:
    frame = composition(data, groups)
    n_a, s_a, n_b, s_b, diff = _share_cols(data)
    sums_ok = all(
        numbers.shares_add_up(frame.loc[(frame["区分"] == g[0]) & (frame["内訳"] != TOTAL), col].tolist())
        for g in groups for col in (s_a, s_b)
    )
    total_rows = [i for i, v in enumerate(frame["内訳"]) if v == TOTAL]
    return AppendixTable(
        title=title, frame=frame, unit="単位：人、％、ポイント", source=source_city(),
        notes=["構成比の差は、表示した構成比どうしの差。", *([] if sums_ok else [numbers.SHARE_NOTE])],
        formats={s_a: "pct", s_b: "pct", diff: "dec1"}, total_rows=total_rows,
    )


SHINTAI_GROUPS = [("等級", SHINTAI, "grade", SHINTAI_GRADES), ("障害種別", SHINTAI, "kind", SHINTAI_KINDS)]
AI_SEISHIN_GROUPS = [("愛の手帳（程度）", AI, "grade", AI_GRADES), ("精神障害者保健福祉手帳（等級）", SEISHIN, "grade",
                                                                 SEISHIN_GRADES)]


def shintai_composition_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    return _composition_table(
        data, f"身体障害者手帳所持者の等級別・障害種別の構成比（{fy_end(data.first)}と{fy_end(data.latest)}、"
        f"{data.city_name}）", SHINTAI_GROUPS, [])


# --- 3 愛の手帳・精神障害者保健福祉手帳 ---------------------------------------------------------------
def ai_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = by_levels(data, AI, "grade", AI_GRADES)
    frame[TOTAL] = cell(data, AI)
    frame["うち18歳未満"] = cell(data, AI, age=AGE_BANDS[0])
    return _year_table(data, frame, f"愛の手帳所持者数の推移（程度別、{data.city_name}）",
                       ["愛の手帳は東京都の療育手帳。1度（最重度）から4度（軽度）まで。"])


def seishin_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = by_levels(data, SEISHIN, "grade", SEISHIN_GRADES)
    frame[TOTAL] = cell(data, SEISHIN)
    return _year_table(data, frame, f"精神障害者保健福祉手帳所持者数の推移（等級別、{data.city_name}）",
                       ["1級が最も重い。"])


def ai_seishin_composition_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    return _composition_table(
        data, f"愛の手帳（程度別）・精神障害者保健福祉手帳（等級別）所持者の構成比（{fy_end(data.first)}と"
        f"{fy_end(data.latest)}、{data.city_name}）", AI_SEISHIN_GROUPS, [])


# --- 4 自立支援医療・難病 ------------------------------------------------------------------------
def jiritsu_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = by_age(data, JIRITSU)
    return _year_table(data, frame, f"自立支援医療（精神通院）受給者数の推移（年齢区分別、{data.city_name}）",
                       ["精神疾患の通院医療費の自己負担を軽減する制度（障害者総合支援法）の受給者証の所持者。"])


def nanbyo_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    kinds = by_levels(data, NANBYO, "kind", NANBYO_KINDS)
    ages = by_age(data, NANBYO)
    frame = pd.DataFrame({**{k: kinds[k] for k in NANBYO_KINDS}, TOTAL: ages[TOTAL],
                          **{f"うち{a}": ages[a] for a in AGE_BANDS}})
    notes = [NOTE_NANBYO, "都単独疾病は、国の指定難病以外で東京都が医療費を助成している疾病。"]
    if frame.isna().any().any():
        notes.append(NOTE_NOT_SHOWN)
    return _year_table(data, frame, f"難病医療費助成の受給者数の推移（疾病区分別・年齢区分別、{data.city_name}）", notes)


# --- 5 年齢区分・障害児 --------------------------------------------------------------------------
AGE_SHARE = "構成比（{}）"


def age_shares(data: DisabilityData) -> pd.DataFrame:
    """The latest year by 手帳/制度 × 年齢区分: counts and shares (of the 計)."""
    rows = []
    for t in TABLES:
        ages = by_age(data, t).loc[data.latest]
        row: dict[str, object] = {"区分": SHORT[t], **{a: ages[a] for a in (*AGE_BANDS, TOTAL)}}
        for a in AGE_BANDS:
            row[AGE_SHARE.format(a)] = None if numbers.is_missing(ages[a]) else ages[a] / ages[TOTAL]
        rows.append(row)
    frame = pd.DataFrame(rows)
    for a in (*AGE_BANDS, TOTAL):
        frame[a] = pd.array(frame[a].tolist(), dtype="Int64")
    for a in AGE_BANDS:
        frame[AGE_SHARE.format(a)] = pd.array(frame[AGE_SHARE.format(a)].tolist(), dtype="Float64")
    return frame


def age_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    frame = age_shares(data)
    shares = [AGE_SHARE.format(a) for a in AGE_BANDS]
    ok = all(numbers.shares_add_up(frame.loc[i, shares].tolist()) for i in frame.index)
    return AppendixTable(
        title=f"年齢区分別の障害者手帳所持者数等（{fy_end(data.latest)}、{data.city_name}）",
        frame=frame, unit="単位：人、％", source=source_city(),
        notes=["構成比は各手帳・制度の計に対する割合。", *([] if ok else [numbers.SHARE_NOTE])],
        formats={c: "pct" for c in shares},
    )


def child_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_city:
        return ""
    c = children(data)
    frame = pd.DataFrame({SHORT[t]: c[t] for t in TECHO})
    frame["手帳所持者 計（延べ）"] = c[list(TECHO)].sum(axis=1, min_count=3, skipna=False)
    frame[SHORT[JIRITSU]] = c[JIRITSU]
    frame[SHORT[NANBYO]] = c[NANBYO]
    notes = [NOTE_TECHO_SUM]
    if frame.isna().any().any():
        notes.append(NOTE_NOT_SHOWN)
    return _year_table(data, frame, f"18歳未満の障害者手帳所持者数等の推移（{data.city_name}）", notes)


# --- 6 東京都との比較 ---------------------------------------------------------------------------
def _areas(data: DisabilityData) -> list[tuple[str, str]]:
    s = data.settings
    return [(data.params.city.area_code, data.city_name), (s.shibu_code, "東京都市部"), (s.tokyo_code, "東京都")]


def rates(data: DisabilityData) -> pd.DataFrame:
    """Fiscal year × (手帳, area): holders per 1,000 residents (NA where a figure is missing)."""
    t = data.tokyo
    total = t[(t["kind"] == TOTAL) & (t["grade"] == TOTAL) & (t["age_band"] == TOTAL)]
    holders = total.set_index(["fiscal_year", "table", "area_code"])["holders"]
    pop = data.population.set_index(["fiscal_year", "area_code"])["population"]
    out = {}
    for table in TECHO:
        for code, name in _areas(data):
            values = []
            for y in data.years:
                h = holders.get((y, table, code), pd.NA)
                p = pop.get((y, code), pd.NA)
                values.append(None if numbers.is_missing(h) or numbers.is_missing(p) or p == 0 else h / p * 1000)
            out[(table, code, name)] = pd.array(values, dtype="Float64")
    return pd.DataFrame(out, index=list(data.years))


def rate_column(table: str, name: str) -> str:
    return f"{SHORT[table]}（{name}）"


def tokyo_rate_table(data: DisabilityData) -> AppendixTable | str:
    if not data.has_tokyo:
        return unavailable("東京都の障害者手帳の統計") if data.has_city else ""
    r = rates(data)
    frame = pd.DataFrame({YEAR: _years(data)})
    for (table, _code, name), values in r.items():
        frame[rate_column(table, name)] = values.to_numpy()
    notes = ["人口千人当たり＝各年度末（3月31日）現在の手帳所持者数÷その年度の1月1日現在の住民基本台帳人口×1,000。",
             "東京都市部は都内26市の合計。"]
    if frame.isna().any().any():
        notes.append("「－」は所持者数または人口の値がない年度。")
    return AppendixTable(
        title="人口千人当たりの障害者手帳所持者数の推移（" + "・".join(n for _c, n in _areas(data)) + "）",
        frame=frame, unit="単位：人", formats={c: "dec1" for c in frame.columns if c != YEAR},
        source=source_tokyo() + "、" + citation("tokyo_juki_age5", "各年1月1日現在").removeprefix("出典："),
        notes=notes + short_trend_note(data),
    )


def cross_year(data: DisabilityData) -> int | None:
    """The latest fiscal year of the 東京都 tables that holds the city's 身体障害者手帳 row."""
    t = data.tokyo
    years = t.loc[(t["table"] == SHINTAI) & (t["area_code"] == data.params.city.area_code), "fiscal_year"]
    return int(years.max()) if len(years) else None


def cross(data: DisabilityData) -> pd.DataFrame:
    """The city's 身体障害者手帳 holders by 障害種別 × 等級 in the latest 東京都 table (NA: no such 等級)."""
    t = data.tokyo
    rows = t[(t["table"] == SHINTAI) & (t["area_code"] == data.params.city.area_code)
             & (t["fiscal_year"] == cross_year(data))]
    values = rows.set_index(["kind", "grade"])["holders"]
    out = []
    for kind in (*SHINTAI_KINDS, TOTAL):
        row: dict[str, object] = {"障害種別": kind if kind != TOTAL else "計"}
        for grade in (*SHINTAI_GRADES, TOTAL):
            row[grade] = values.get((kind, grade), pd.NA)
        out.append(row)
    frame = pd.DataFrame(out)
    for g in (*SHINTAI_GRADES, TOTAL):
        frame[g] = pd.array(frame[g].tolist(), dtype="Int64")
    frame["構成比"] = pd.array((frame[TOTAL] / frame[TOTAL].iloc[-1]).tolist(), dtype="Float64")
    return frame


def cross_table(data: DisabilityData) -> AppendixTable | str:
    year = cross_year(data) if data.has_tokyo else None
    if year is None:
        return ""
    frame = cross(data)
    na = "、".join(f"{k}の{'・'.join(sorted(g))}" for k, g in NOT_APPLICABLE.items())
    notes = [f"「－」は該当する等級のない障害の種類（{na}）。", "構成比は障害種別ごとの計の、総数に対する割合。"]
    if not numbers.shares_add_up(frame["構成比"].iloc[:-1].tolist()):
        notes.append(numbers.SHARE_NOTE)
    return AppendixTable(
        title=f"身体障害者手帳所持者数（障害種別・等級別、{fy_end(year)}、{data.city_name}）",
        frame=frame, unit="単位：人、％", formats={"構成比": "pct"}, total_rows=[-1],
        source=citation("tokyo_disability", f"{wareki_date(year_end(year))}現在"), notes=notes,
    )
