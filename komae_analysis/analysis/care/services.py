"""サービス受給者数, 保険給付費 by service group and by service, and 受給者1人当たり給付月額
(section 02f, part 4)."""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.care.data import (
    GROUPS,
    CareData,
    estimate_notes,
    short_trend_notes,
    source_line,
    year_label,
)
from komae_analysis.analysis.care.draw import stacked_bars, year_lines
from komae_analysis.analysis.care.insured import _estimate_rows, _int_column, _year_column
from komae_analysis.ingest.care_insurance import (
    COMMUNITY_SERVICES,
    FACILITIES,
    GRAND_TOTAL,
    HOME_SERVICES,
    SUBTOTAL,
    TOTAL,
    service_columns,
)
from komae_analysis.report import numbers
from komae_analysis.report.charts import PALETTE, AppendixFigure
from komae_analysis.report.numbers import count, pct
from komae_analysis.report.tables import AppendixTable

BENEFITS = "給付費"
_COLORS = (PALETTE[0], PALETTE[2], PALETTE[1])
ROUNDING_NOTE = "給付費は千円未満を四捨五入しているため、内訳の合計が計と一致しない場合がある。"
FLOW_NOTE = ("受給者数・給付費は現物給付分の年度累計（前年度3月～当年度2月サービス分）。"
             "受給者数は各月の受給者数の合計（延べ人数）を12で割った1か月平均。")


def lag_note(data: CareData) -> list[str]:
    """The 見込's known bias: a 月報 reports the service month two months earlier, so the months to
    date do not hold the rest of the year's growth."""
    if data.estimate_fy is None:
        return []
    return ["月報の受給者数・給付費は主に2か月前のサービス分のため、見込には年度後半の伸びが含まれない。"]


def _yen(x: float) -> str:
    return count(x, "円")


def _thousand_yen(x: float) -> str:
    return count(x, "千円")


def _people(x: float) -> str:
    return count(x, "人")


def recipients(data: CareData) -> pd.DataFrame:
    """Recipients per year and group: the year's total (persons × months) and the monthly average."""
    out = {}
    for key, _label, table in GROUPS:
        total = data.series(data.city, table, "総数", TOTAL)
        out[key] = total
        out[f"{key}_avg"] = total / 12
    return pd.DataFrame(out)


def benefits(data: CareData) -> pd.DataFrame:
    """給付費 (千円) per year: the group subtotals and the 合計 as the report prints them."""
    out = {key: data.series(data.city, BENEFITS, key, SUBTOTAL) for key, _l, _t in GROUPS}
    out["total"] = data.series(data.city, BENEFITS, GRAND_TOTAL, GRAND_TOTAL)
    return pd.DataFrame(out)


def per_recipient(data: CareData) -> pd.DataFrame:
    """受給者1人当たり給付月額 (円) = 給付費（千円）× 1,000 ÷ 受給者延べ人数, per group."""
    r, b = recipients(data), benefits(data)
    return pd.DataFrame({key: b[key] * 1000 / r[key].where(r[key] > 0) for key, _l, _t in GROUPS})


# --- 受給者 --------------------------------------------------------------------------------
def recipients_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    r = recipients(data)
    frame = pd.DataFrame({"年度": _year_column(data)})
    for key, label, _t in GROUPS:
        frame[label] = _int_column(r[f"{key}_avg"])
    return AppendixTable(
        title=f"介護保険サービス受給者数（1か月平均）の推移（{data.city}）",
        frame=frame,
        unit="単位：人",
        source=source_line(data),
        notes=[
            FLOW_NOTE,
            "居宅サービスは介護予防サービスを、地域密着型サービスは地域密着型介護予防サービスを含む。"
            "複数の区分のサービスを利用した人はそれぞれに数えている。",
            *estimate_notes(data, stock=False),
            *short_trend_notes(data),
        ],
        highlight_rows=_estimate_rows(data),
    )


# --- 給付費 --------------------------------------------------------------------------------
def benefits_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    b = benefits(data)
    frame = pd.DataFrame({"年度": _year_column(data)})
    for key, label, _t in GROUPS:
        frame[label] = _int_column(b[key])
    frame["合計"] = _int_column(b["total"])
    frame["対前年度増減率"] = (b["total"] / b["total"].shift(1) - 1).to_numpy()
    return AppendixTable(
        title=f"保険給付費の推移（サービス区分別、{data.city}）",
        frame=frame,
        unit="単位：千円、％",
        source=source_line(data),
        notes=[
            "介護給付と予防給付の合計（高額介護サービス費、特定入所者介護サービス費等を含まない）。",
            FLOW_NOTE.split("。")[0] + "。",
            ROUNDING_NOTE,
            "対前年度増減率＝当年度の合計÷前年度の合計－1。",
            *estimate_notes(data, stock=False),
            *lag_note(data),
            *short_trend_notes(data),
        ],
        formats={"対前年度増減率": "pct"},
        highlight_rows=_estimate_rows(data),
    )


def benefits_figure(data: CareData) -> AppendixFigure | str:
    if not data.available:
        return ""
    b = benefits(data)
    fig = stacked_bars(
        data,
        [(label, b[key], color) for (key, label, _t), color in zip(GROUPS, _COLORS, strict=True)],
        ylabel="保険給付費（百万円）",
        totals=b["total"],
        scale=1000,
        total_text=lambda v: count(v / 1000),
    )
    first, last = data.all_years[0], data.all_years[-1]
    return AppendixFigure(
        title=f"保険給付費の推移（サービス区分別、{data.city}）",
        figure=fig,
        alt=(
            f"{year_label(data, first)}から{year_label(data, last)}までの各年度の保険給付費を、下から"
            + "・".join(label for _k, label, _t in GROUPS)
            + f"の順に積み上げた棒グラフ（目盛と棒の上の数値は百万円単位）。合計は{_thousand_yen(b['total'][first])}から"
            f"{_thousand_yen(b['total'][last])}。" + ("最後の棒は見込（斜線）。" if data.estimate_fy is not None else "")
        ),
        source=source_line(data),
        notes=["介護給付と予防給付の合計。", *estimate_notes(data, stock=False), *short_trend_notes(data)],
    )


def benefits_text(data: CareData) -> str:
    if not data.available:
        return ""
    b = benefits(data).loc[list(data.years)]
    r = recipients(data).loc[list(data.years)]
    first, last = data.years[0], data.last_actual
    total = b["total"]
    rise = "増加" if total[last] > total[first] else "減少"
    text = (f"保険給付費は、{year_label(data, first)}の{_thousand_yen(total[first])}から{year_label(data, last)}の"
            f"{_thousand_yen(total[last])}へ{rise}しています。")
    dips = []
    for key, label, _t in GROUPS:
        s = b[key].dropna()
        if len(s) < 3:
            continue
        tol = trends.relative_tolerance(s, data.settings.flat_share)
        turns = [t for t in trends.turning_points(s, tol) if t.kind == "trough"]
        if turns and s.iloc[-1] > turns[-1].value:
            dips.append((label, turns[-1].at))
    if dips:
        text += "サービス区分別では、" + "、".join(
            f"{label}が{year_label(data, at)}にいったん減少した後" for label, at in dips
        ) + "、増加に転じています。"
    grew = [label for key, label, _t in GROUPS if r[f"{key}_avg"][last] > r[f"{key}_avg"][first]]
    if len(grew) == len(GROUPS):
        text += f"1か月平均の受給者数は、{year_label(data, first)}と比べていずれの区分も増えています。"
    elif grew:
        text += f"1か月平均の受給者数は、{year_label(data, first)}と比べて{'・'.join(grew)}で増えています。"
    if data.estimate_fy is not None:
        b_all = benefits(data)
        est, prev = b_all.loc[data.estimate_fy, "total"], b_all.loc[last, "total"]
        if not pd.isna(est) and not pd.isna(prev):
            change = est / prev - 1
            verb = "増加" if numbers.shown_pct(change) > 0 else "減少" if numbers.shown_pct(change) < 0 else "横ばい"
            text += (f"{year_label(data, data.estimate_fy)}は{_thousand_yen(est)}で、前年度から"
                     + (f"{pct(abs(change))}の{verb}" if verb != "横ばい" else "横ばい") + "となる見込みです。")
    return text


# --- 1人当たり給付月額 -------------------------------------------------------------------------
def per_recipient_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    p = per_recipient(data)
    frame = pd.DataFrame({"年度": _year_column(data)})
    for key, label, _t in GROUPS:
        frame[label] = _int_column(p[key])
    return AppendixTable(
        title=f"受給者1人当たり給付月額の推移（サービス区分別、{data.city}）",
        frame=frame,
        unit="単位：円",
        source=source_line(data),
        notes=[
            "受給者1人当たり給付月額＝保険給付費÷受給者の延べ人数（各月の受給者数の合計）。"
            "受給者1人が1か月に受けた給付の平均額にあたる。",
            *estimate_notes(data, stock=False),
            *short_trend_notes(data),
        ],
        highlight_rows=_estimate_rows(data),
    )


def per_recipient_figure(data: CareData) -> AppendixFigure | str:
    if not data.available:
        return ""
    p = per_recipient(data)
    lines = [(label, p[key], color) for (key, label, _t), color in zip(GROUPS, _COLORS, strict=True)]
    fig = year_lines(data, lines, ylabel="1人当たり給付月額（円）", end_text=lambda v: count(v))
    last = data.last_actual
    return AppendixFigure(
        title=f"受給者1人当たり給付月額の推移（サービス区分別、{data.city}）",
        figure=fig,
        alt=(
            f"{year_label(data, data.all_years[0])}から{year_label(data, data.all_years[-1])}までのサービス区分別の"
            f"受給者1人当たり給付月額の折れ線グラフ。{year_label(data, last)}は"
            + "、".join(f"{label}{_yen(p[key][last])}" for key, label, _t in GROUPS)
            + "。" + ("見込の年度は白抜きの点と破線。" if data.estimate_fy is not None else "")
        ),
        source=source_line(data),
        notes=["受給者1人当たり給付月額＝保険給付費÷受給者の延べ人数。", *estimate_notes(data, stock=False)],
    )


def per_recipient_text(data: CareData) -> str:
    if not data.available:
        return ""
    p = per_recipient(data).loc[list(data.years)]
    first, last = data.years[0], data.last_actual
    text = (f"受給者1人当たり給付月額は、{year_label(data, last)}で"
            + "、".join(f"{label}{_yen(p[key][last])}" for key, label, _t in GROUPS) + "です。")
    up = [label for key, label, _t in GROUPS if numbers.rounded(p[key][last]) > numbers.rounded(p[key][first])]
    if len(up) == len(GROUPS):
        text += f"{year_label(data, first)}と比べると、いずれの区分も増えています。"
    elif up:
        text += f"{year_label(data, first)}と比べると、{'・'.join(up)}で増えています。"
    return text


# --- サービス別給付費 -------------------------------------------------------------------------
_SERVICE_GROUPS = (
    ("居宅", "居宅サービス", service_columns(HOME_SERVICES)),
    ("地域密着型", "地域密着型サービス", service_columns(COMMUNITY_SERVICES)),
    ("施設", "施設サービス", FACILITIES),
)


def term_years(data: CareData) -> list[int]:
    """The years of the verified care-insurance term that the tables have (actual or 見込)."""
    return [y for y in data.params.care_term.years if y in data.all_years]


def service_rows(data: CareData, years: list[int]) -> list[tuple[str, str, bool, dict[int, float]]]:
    """(label, group, is_total, {year: 千円}) for every service, each group's 計 and the 合計."""
    rows = []
    for key, label, items in _SERVICE_GROUPS:
        for item in items:
            s = data.series(data.city, BENEFITS, key, item)
            rows.append((item, key, False, {y: s[y] for y in years}))
        s = data.series(data.city, BENEFITS, key, SUBTOTAL)
        rows.append((f"{label} 計", key, True, {y: s[y] for y in years}))
    s = data.series(data.city, BENEFITS, GRAND_TOTAL, GRAND_TOTAL)
    rows.append(("合計", GRAND_TOTAL, True, {y: s[y] for y in years}))
    return rows


def service_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    years = term_years(data)
    if not years:
        return ""
    rows = service_rows(data, years)
    frame = pd.DataFrame({"サービス": [r[0] for r in rows]})
    for y in years:
        frame[year_label(data, y)] = _int_column(pd.Series([r[3][y] for r in rows]))
    term = data.params.care_term
    return AppendixTable(
        title=f"サービス別保険給付費（{term.name_ja.replace('介護保険事業計画', '')}の各年度、{data.city}）",
        frame=frame,
        unit="単位：千円",
        source=source_line(data),
        notes=[
            f"{term.name_ja}の計画期間（{term.period_ja}）の各年度。年度累計（前年度3月～当年度2月サービス分）。",
            "名称に「介護予防」を含むサービスは予防給付、それ以外は介護給付。",
            *(["「－」は該当する給付がない（介護医療院は平成30年4月創設、介護療養型医療施設は令和6年3月末で廃止）。"]
              if frame.drop(columns="サービス").isna().any().any() else []),
            ROUNDING_NOTE,
            *estimate_notes(data, stock=False),
        ],
        total_rows=[i for i, r in enumerate(rows) if r[2]],
    )


def service_text(data: CareData) -> str:
    if not data.available:
        return ""
    years = term_years(data)
    actual = [y for y in years if y != data.estimate_fy]
    if not actual:
        return ""
    last = actual[-1]
    rows = [r for r in service_rows(data, years) if not r[2]]
    ranked = sorted((r for r in rows if not pd.isna(r[3][last])), key=lambda r: -r[3][last])[:3]
    text = (f"{year_label(data, last)}の給付費が最も多いサービスは{ranked[0][0]}（{_thousand_yen(ranked[0][3][last])}）で、"
            f"次いで{ranked[1][0]}（{_thousand_yen(ranked[1][3][last])}）、"
            f"{ranked[2][0]}（{_thousand_yen(ranked[2][3][last])}）です。")
    if len(years) > 1:
        a, b = years[0], years[-1]
        frame = pd.DataFrame({r[0]: pd.Series({a: r[3][a], b: r[3][b]}) for r in rows
                              if not pd.isna(r[3][a]) and not pd.isna(r[3][b])})
        movers = trends.movers(frame, a, b)
        if movers and movers[0].change > 0:
            text += (f"{year_label(data, a)}から{year_label(data, b)}にかけての増加が最も大きいのは"
                     f"{movers[0].key}、次いで{movers[1].key}です。")
        if movers and movers[-1].change < 0:
            text += f"減少が最も大きいのは{movers[-1].key}です。"
    return text


__all__ = [
    "benefits",
    "benefits_figure",
    "benefits_table",
    "benefits_text",
    "per_recipient",
    "per_recipient_figure",
    "per_recipient_table",
    "per_recipient_text",
    "recipients",
    "recipients_table",
    "service_rows",
    "service_table",
    "service_text",
    "term_years",
]
