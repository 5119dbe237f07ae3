"""The section's commentary: each paragraph reads the series with :mod:`komae_analysis.analysis.trends`
(turning points, runs, largest movers), and prints only numbers that a table of the section prints,
formatted by :mod:`komae_analysis.report.numbers`."""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.disability.data import (
    SHORT,
    DisabilityData,
    by_levels,
    cell,
    children,
    course,
    fy,
    fy_end,
    people,
    totals,
)
from komae_analysis.analysis.disability.tables import (
    AGE_SHARE,
    AI_SEISHIN_GROUPS,
    SHINTAI_GROUPS,
    _areas,
    age_shares,
    composition,
    cross,
    cross_year,
    rates,
)
from komae_analysis.ingest.disability_common import (
    AGE_BANDS,
    JIRITSU,
    NANBYO,
    NANBYO_KINDS,
    SEISHIN,
    SHINTAI,
    SHINTAI_GRADES,
    SHINTAI_KINDS,
    TABLES,
    TECHO,
    TOTAL,
)
from komae_analysis.report import numbers
from komae_analysis.report.numbers import dec, pct


def _share_move(first: float, latest: float) -> str:
    """「44.1％から41.0％に3.1ポイント低下しています」 (the difference of the shown shares)."""
    phrase = trends.rate_change_phrase(latest, first)
    if phrase == "横ばい":
        return f"{pct(latest)}で横ばいとなっています"
    return f"{pct(first)}から{pct(latest)}に{phrase}しています"


def _movers_phrase(data: DisabilityData, frame: pd.DataFrame, noun: str) -> str:
    """The largest increase and decrease among the columns of ``frame`` (first to latest year)."""
    m = trends.movers(frame.astype("float64"))
    up, down = m[0], m[-1]
    a, b = fy(data.first), fy(data.latest)
    parts = []
    if up.change > 0:
        parts.append(f"最も増えたのは{up.key}（{people(up.start)}から{people(up.end)}）")
    if down.change < 0:
        parts.append(f"最も減ったのは{down.key}（{people(down.start)}から{people(down.end)}）")
    if not parts:
        return ""
    return f"{a}から{b}にかけて、{noun}では" + "、".join(parts) + "です。"


def trend_text(data: DisabilityData) -> str:
    """Each 手帳 and 制度's course, then which grew the most (relative)."""
    if not data.has_city:
        return ""
    t = totals(data)
    text = "".join(f"{SHORT[table]}は、{course(data, t[table])}。" for table in TABLES)
    m = trends.movers(t.astype("float64"), relative=True)
    if m[0].change > 0:
        text += (f"{fy(data.first)}からの増加の割合は{SHORT[m[0].key]}が最も大きく、"
                 f"{SHORT[m[-1].key]}が最も{'小さく' if m[-1].change >= 0 else '減少して'}います。")
    return text


def shintai_text(data: DisabilityData) -> str:
    """等級: the largest and the movers; 障害種別: the largest and the shifts of the composition."""
    if not data.has_city:
        return ""
    grades = by_levels(data, SHINTAI, "grade", SHINTAI_GRADES)
    latest = grades.loc[data.latest].astype("float64")
    top = latest.idxmax()
    text = f"{fy_end(data.latest)}の等級別では{top}が{people(latest[top])}で最も多くなっています。"
    text += _movers_phrase(data, grades, "等級別")
    comp = composition(data, SHINTAI_GROUPS)
    kinds = comp[(comp["区分"] == "障害種別") & (comp["内訳"] != TOTAL)].set_index("内訳")
    cols = comp.columns
    s_a, s_b, diff = cols[3], cols[5], cols[6]
    big = kinds[cols[4]].astype("float64").idxmax()
    rise = kinds[diff].astype("float64").idxmax()
    fall = kinds[diff].astype("float64").idxmin()
    text += f"障害種別では{big}が最も多く、構成比は{_share_move(kinds.loc[big, s_a], kinds.loc[big, s_b])}。"
    if rise != big and kinds.loc[rise, diff] > 0:
        text += f"{rise}の構成比は{_share_move(kinds.loc[rise, s_a], kinds.loc[rise, s_b])}。"
    if fall not in (big, rise) and kinds.loc[fall, diff] < 0:
        text += f"{fall}の構成比は{_share_move(kinds.loc[fall, s_a], kinds.loc[fall, s_b])}。"
    return text


def ai_seishin_text(data: DisabilityData) -> str:
    if not data.has_city:
        return ""
    comp = composition(data, AI_SEISHIN_GROUPS)
    cols = comp.columns
    text = ""
    for (heading, table, column, levels), label in zip(AI_SEISHIN_GROUPS, ("程度別", "等級別"), strict=True):
        rows = comp[(comp["区分"] == heading) & (comp["内訳"] != TOTAL)].set_index("内訳")
        big = rows[cols[4]].astype("float64").idxmax()
        text += f"{SHORT[table]}は、{course(data, cell(data, table))}。"
        text += f"{label}では{big}が最も多く、構成比は{_share_move(rows.loc[big, cols[3]], rows.loc[big, cols[5]])}。"
        text += _movers_phrase(data, by_levels(data, table, column, levels), label)
    return text


def jiritsu_nanbyo_text(data: DisabilityData) -> str:
    if not data.has_city:
        return ""
    text = f"自立支援医療（精神通院）の受給者は、{course(data, cell(data, JIRITSU))}。"
    text += f"難病医療費助成の受給者は、{course(data, cell(data, NANBYO))}。"
    tokyo_only = cell(data, NANBYO, kind=NANBYO_KINDS[1]).dropna()
    if len(tokyo_only) >= 2:
        a, b = tokyo_only.iloc[0], tokyo_only.iloc[-1]
        verb = "横ばいです" if a == b else f"{'増加' if b > a else '減少'}しています"
        text += (f"このうち都単独疾病は{fy(tokyo_only.index[0])}の{people(a)}から{fy(tokyo_only.index[-1])}の"
                 f"{people(b)}へ{verb}。")
    return text


def age_text(data: DisabilityData) -> str:
    """The band each 手帳/制度 is mostly in, and where children weigh most."""
    if not data.has_city:
        return ""
    frame = age_shares(data).set_index("区分")
    shares = frame[[AGE_SHARE.format(a) for a in AGE_BANDS]].astype("float64")
    clauses = []
    for name, row in shares.iterrows():
        if row.isna().all():
            continue
        top = row.idxmax()
        band = AGE_BANDS[list(shares.columns).index(top)]
        clauses.append(f"{name}は{band}が{pct(row[top])}")
    text = f"{fy_end(data.latest)}の年齢区分別の構成比をみると、" + "、".join(clauses) + "を占めています。"
    child = shares[AGE_SHARE.format(AGE_BANDS[0])].dropna()
    if not child.empty:
        name = child.idxmax()
        text += f"18歳未満の割合は{name}が{pct(child[name])}と最も高くなっています。"
    return text


def child_text(data: DisabilityData) -> str:
    if not data.has_city:
        return ""
    c = children(data)
    techo = c[list(TECHO)]
    total = techo.sum(axis=1, min_count=len(TECHO), skipna=False)
    text = f"18歳未満の障害者手帳所持者（延べ）は、{course(data, total)}。"
    latest = techo.loc[data.latest].astype("float64")
    big = latest.idxmax()
    text += f"{fy_end(data.latest)}は{SHORT[big]}が{people(latest[big])}で最も多く、"
    m = trends.movers(techo.astype("float64"), relative=True)
    up = m[0]
    if up.change > 0:
        text += f"増加の割合が最も大きいのは{SHORT[up.key]}（{people(up.start)}から{people(up.end)}）です。"
    else:
        text = text.removesuffix("、") + "。"
    return text


def tokyo_text(data: DisabilityData) -> str:
    """The city's holders per 1,000 residents beside 東京都 and 東京都市部 (shown values compared)."""
    if not data.has_tokyo:
        return ""
    r = rates(data)
    (city, city_name), (shibu, shibu_name), (tokyo, tokyo_name) = _areas(data)
    y = data.latest

    def rel(a: float, b: float) -> str:
        d = numbers.diff_of_shown(a, b, 1)
        return "を上回って" if d > 0 else "を下回って" if d < 0 else "と同じ水準となって"

    clauses = []
    for table in TECHO:
        k, t, s = (r[(table, code, name)][y] for code, name in ((city, city_name), (tokyo, tokyo_name),
                                                               (shibu, shibu_name)))
        if any(numbers.is_missing(v) for v in (k, t, s)):
            continue
        if dec(t) == dec(s) and rel(k, t) == rel(k, s):
            clauses.append(f"{SHORT[table]}は{dec(k)}人で、{tokyo_name}・{shibu_name}（いずれも{dec(t)}人）"
                           f"{rel(k, t)}います")
        else:
            clauses.append(f"{SHORT[table]}は{dec(k)}人で、{tokyo_name}（{dec(t)}人）{rel(k, t)}おり、"
                           f"{shibu_name}（{dec(s)}人）{rel(k, s)}います")
    if not clauses:
        return ""
    text = f"{fy_end(y)}の人口千人当たりの所持者数をみると、" + "。".join(clauses) + "。"
    seishin = r[(SEISHIN, city, city_name)].dropna()
    if len(seishin) >= 2:
        text += (f"{city_name}の精神障害者保健福祉手帳は{fy(seishin.index[0])}の{dec(seishin.iloc[0])}人から"
                 f"{fy(seishin.index[-1])}の{dec(seishin.iloc[-1])}人へ"
                 f"{'増加' if seishin.iloc[-1] > seishin.iloc[0] else '減少'}しています。")
    return text


def cross_text(data: DisabilityData) -> str:
    year = cross_year(data) if data.has_tokyo else None
    if year is None:
        return ""
    frame = cross(data).set_index("障害種別")
    cells = frame.loc[list(SHINTAI_KINDS), list(SHINTAI_GRADES)].astype("float64")
    kind, grade = cells.stack().idxmax()
    text = (f"{fy_end(year)}の身体障害者手帳所持者を障害種別・等級別にみると、{kind}の{grade}が"
            f"{people(cells.loc[kind, grade])}で最も多くなっています。")
    first = cells[SHINTAI_GRADES[0]]
    top = first.idxmax()
    if top != kind or grade != SHINTAI_GRADES[0]:
        text += f"1級では{top}が{people(first[top])}で最も多くなっています。"
    return text
