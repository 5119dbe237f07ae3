"""第1号被保険者, 要介護（要支援）認定者 and 認定率 (section 02f, parts 1–3)."""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.care.data import (
    UNAVAILABLE,
    CareData,
    area_label,
    comparison_areas,
    estimate_notes,
    month_label,
    short_trend_notes,
    source_line,
    year_end_label,
    year_label,
)
from komae_analysis.analysis.care.draw import stacked_bars, year_lines
from komae_analysis.ingest.care_insurance import LEVELS, TOTAL
from komae_analysis.report import numbers
from komae_analysis.report.charts import PALETTE, AppendixFigure
from komae_analysis.report.numbers import count, pct
from komae_analysis.report.tables import AppendixTable

INSURED = "第1号被保険者"
CERTIFIED = "認定者"
BANDS = (("65～74歳", "65歳以上75歳未満"), ("75歳以上", "75歳以上"))


def _people(x: float) -> str:
    return count(x, "人")


def _int_column(s: pd.Series) -> pd.array:
    """Whole numbers (NA where there is no figure) for an ``int`` column."""
    return pd.array([pd.NA if pd.isna(v) else int(round(v)) for v in s], dtype="Int64")


def _year_column(data: CareData) -> list[str]:
    return [year_label(data, y) for y in data.all_years]


def _estimate_rows(data: CareData) -> list[int]:
    return [len(data.all_years) - 1] if data.estimate_fy is not None else []


def _rise(a: float, b: float) -> str:
    return "増加" if b > a else "減少" if b < a else "横ばいで推移"


# --- 1 第1号被保険者 --------------------------------------------------------------------------
def insured_summary(data: CareData) -> pd.DataFrame:
    """Per year: 65–74, 75+, total, change, 75+ share (the city)."""
    c = data.city
    young = data.series(c, INSURED, "第1号", BANDS[0][1])
    old = data.series(c, INSURED, "第1号", BANDS[1][1])
    total = data.series(c, INSURED, "第1号", TOTAL)
    return pd.DataFrame({"young": young, "old": old, "total": total, "old_share": old / total})


def insured_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return UNAVAILABLE
    s = insured_summary(data)
    change = s["total"].diff()
    frame = pd.DataFrame({
        "年度": _year_column(data),
        "65～74歳": _int_column(s["young"]),
        "75歳以上": _int_column(s["old"]),
        "計": _int_column(s["total"]),
        "前年度からの増減": _int_column(change),
        "75歳以上の割合": s["old_share"].to_numpy(),
    })
    return AppendixTable(
        title=f"第1号被保険者数の推移（{data.city}）",
        frame=frame,
        unit="単位：人、％",
        source=source_line(data),
        notes=[
            "各年度末（3月末）現在。75歳以上の割合＝75歳以上÷第1号被保険者数。",
            "第1号被保険者は65歳以上の人。住所地特例（他の市区町村の施設に入所した人は、入所前の市区町村の被保険者"
            "のままとなる）などのため、住民基本台帳の65歳以上人口とは一致しない。",
            "第2号被保険者（40～64歳の医療保険加入者）の数は介護保険事業状況報告にないため掲載していない。",
            *estimate_notes(data, flow=False),
            *short_trend_notes(data),
        ],
        formats={"前年度からの増減": "int", "75歳以上の割合": "pct"},
        highlight_rows=_estimate_rows(data),
    )


def insured_figure(data: CareData) -> AppendixFigure | str:
    if not data.available:
        return ""
    s = insured_summary(data)
    fig = stacked_bars(
        data,
        [("65～74歳", s["young"], PALETTE[0]), ("75歳以上", s["old"], PALETTE[1])],
        ylabel="第1号被保険者数（人）",
        totals=s["total"],
    )
    first, last = data.all_years[0], data.all_years[-1]
    return AppendixFigure(
        title=f"第1号被保険者数の推移（{data.city}）",
        figure=fig,
        alt=(
            f"{year_label(data, first)}から{year_label(data, last)}までの各年度の第1号被保険者数を、下から65～74歳・"
            f"75歳以上の順に積み上げた棒グラフ。計は{_people(s['total'][first])}から{_people(s['total'][last])}、"
            f"うち75歳以上は{_people(s['old'][first])}から{_people(s['old'][last])}。"
            + ("最後の棒は見込（斜線）。" if data.estimate_fy is not None else "")
        ),
        source=source_line(data),
        notes=[*estimate_notes(data, flow=False), *short_trend_notes(data)],
    )


def insured_text(data: CareData) -> str:
    if not data.available:
        return ""
    s = insured_summary(data).loc[list(data.years)]
    first, last = data.years[0], data.last_actual
    total, old, young = s["total"], s["old"], s["young"]
    tol = trends.relative_tolerance(total, data.settings.flat_share)
    text = (f"第1号被保険者数は、{year_end_label(data, first)}の{_people(total[first])}から"
            f"{year_end_label(data, last)}の{_people(total[last])}へ{_rise(total[first], total[last])}しています")
    streak = trends.run_phrase(trends.latest_run(total, tol), "年度")
    run = trends.latest_run(total, tol)
    text += f"（{streak}）。" if streak and run is not None and run.start_at == first else "。"
    text += (f"年齢別にみると、75歳以上は{_people(old[first])}から{_people(old[last])}へ{_rise(old[first], old[last])}し、"
             f"65～74歳は{trends.peak_phrase(trends.peak(young, trends.relative_tolerance(young, data.settings.flat_share)), when=lambda y: year_end_label(data, y), fmt=_people)}。")
    share_then, share_now = s.loc[first, "old_share"], s.loc[last, "old_share"]
    d = numbers.pct_diff(share_now, share_then)
    if d != 0:
        text += (f"第1号被保険者に占める75歳以上の割合は{pct(share_then)}から{pct(share_now)}に"
                 f"{'上昇' if d > 0 else '低下'}しています。")
    if data.estimate_fy is not None:
        est = insured_summary(data).loc[data.estimate_fy, "total"]
        text += (f"{year_label(data, data.estimate_fy)}は{_people(est)}"
                 f"（{month_label(data.latest_month)}末現在）です。")
    return text


# --- 2 要介護（要支援）認定者 -----------------------------------------------------------------
def certified_summary(data: CareData) -> pd.DataFrame:
    c = data.city
    cols = {lv: data.series(c, CERTIFIED, "総数", lv) for lv in LEVELS}
    cols["total"] = data.series(c, CERTIFIED, "総数", TOTAL)
    cols["first"] = data.series(c, CERTIFIED, "第1号", TOTAL)
    cols["first_young"] = data.series(c, CERTIFIED, "第1号65～74歳", TOTAL)
    cols["first_old"] = data.series(c, CERTIFIED, "第1号75歳以上", TOTAL)
    cols["second"] = data.series(c, CERTIFIED, "第2号", TOTAL)
    return pd.DataFrame(cols)


def certified_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    s = certified_summary(data)
    frame = pd.DataFrame({"年度": _year_column(data)})
    for lv in LEVELS:
        frame[lv] = _int_column(s[lv])
    frame["計"] = _int_column(s["total"])
    frame["うち第1号被保険者"] = _int_column(s["first"])
    frame["第1号のうち65～74歳"] = _int_column(s["first_young"])
    frame["第1号のうち75歳以上"] = _int_column(s["first_old"])
    frame["うち第2号被保険者"] = _int_column(s["second"])
    return AppendixTable(
        title=f"要介護（要支援）認定者数の推移（{data.city}）",
        frame=frame,
        unit="単位：人",
        source=source_line(data),
        notes=[
            "各年度末（3月末）現在。要介護度別の人数と計は第1号被保険者と第2号被保険者（40～64歳で特定疾病による"
            "認定を受けた人）の合計。",
            *estimate_notes(data, flow=False),
            *short_trend_notes(data),
        ],
        highlight_rows=_estimate_rows(data),
    )


def certified_figure(data: CareData) -> AppendixFigure | str:
    if not data.available:
        return ""
    s = certified_summary(data)
    colors = [PALETTE[4], PALETTE[0], PALETTE[6], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[5]]
    fig = stacked_bars(data, [(lv, s[lv], col) for lv, col in zip(LEVELS, colors, strict=True)],
                       ylabel="認定者数（人）", totals=s["total"], height=4.8)
    first, last = data.all_years[0], data.all_years[-1]
    return AppendixFigure(
        title=f"要介護度別認定者数の推移（{data.city}）",
        figure=fig,
        alt=(
            f"{year_label(data, first)}から{year_label(data, last)}までの各年度の要介護（要支援）認定者数を、下から"
            f"{'・'.join(LEVELS)}の順に積み上げた棒グラフ。計は{_people(s['total'][first])}から"
            f"{_people(s['total'][last])}。" + ("最後の棒は見込（斜線）。" if data.estimate_fy is not None else "")
        ),
        source=source_line(data),
        notes=["第1号被保険者と第2号被保険者の合計。", *estimate_notes(data, flow=False), *short_trend_notes(data)],
    )


def certified_text(data: CareData) -> str:
    if not data.available:
        return ""
    s = certified_summary(data).loc[list(data.years)]
    first, last = data.years[0], data.last_actual
    total = s["total"]
    tol = trends.relative_tolerance(total, data.settings.flat_share)
    p = trends.peak(total, tol)
    when = lambda y: year_end_label(data, y)  # noqa: E731
    text = f"要介護（要支援）認定者数（第2号被保険者を含む）は、{trends.peak_phrase(p, when=when, fmt=_people)}"
    run = trends.latest_run(total, tol)
    streak = trends.run_phrase(run, "年度")
    if p.is_latest and streak:
        text += f"（{streak}）"
    text += "。"
    if not p.is_latest:
        text += f"{when(last)}は{_people(total[last])}です。"
    movers = [m for m in trends.movers(s[list(LEVELS)], first, last)]
    up = [m for m in movers if numbers.rounded(m.change) > 0]
    if up:
        text += f"要介護度別にみると、{when(first)}からの増加が最も大きいのは{up[0].key}"
        text += f"で、次いで{up[1].key}です。" if len(up) > 1 else "です。"
    down = [m for m in movers if numbers.rounded(m.change) < 0]
    if down:
        text += f"{'・'.join(str(m.key) for m in down[::-1])}は減少しています。"
    text += (f"{when(last)}の第1号被保険者の認定者{_people(s.loc[last, 'first'])}のうち、75歳以上は"
             f"{_people(s.loc[last, 'first_old'])}です。第2号被保険者の認定者は{_people(s.loc[last, 'second'])}です。")
    return text


# --- 3 認定率 --------------------------------------------------------------------------------
def certification_rate(data: CareData, area: str, band: str | None = None) -> pd.Series:
    """第1号 認定者 ÷ 第1号被保険者 of an area (``band``: 65～74歳 or 75歳以上 for the age band's rate)."""
    if band is None:
        cert = data.series(area, CERTIFIED, "第1号", TOTAL)
        insured = data.series(area, INSURED, "第1号", TOTAL)
    else:
        cat = "第1号65～74歳" if band == BANDS[0][0] else "第1号75歳以上"
        cert = data.series(area, CERTIFIED, cat, TOTAL)
        insured = data.series(area, INSURED, "第1号", dict(BANDS)[band])
    return cert / insured.where(insured > 0)


def rate_table(data: CareData) -> AppendixTable | str:
    if not data.available:
        return ""
    others, missing = comparison_areas(data)
    frame = pd.DataFrame({"年度": _year_column(data)})
    frame[data.city] = certification_rate(data, data.city).to_numpy()
    for area in others:
        frame[area_label(data, area)] = certification_rate(data, area).to_numpy()
    for band, _ in BANDS:
        frame[f"{data.city}（{band}）"] = certification_rate(data, data.city, band).to_numpy()
    return AppendixTable(
        title="第1号被保険者の認定率の推移（" + "・".join([data.city, *(area_label(data, a) for a in others)]) + "）",
        frame=frame,
        unit="単位：％",
        source=source_line(data),
        notes=[
            "認定率＝第1号被保険者の要介護（要支援）認定者数÷第1号被保険者数（各年度末現在）。"
            "年齢別の認定率は、その年齢の第1号被保険者の認定者数÷その年齢の第1号被保険者数。",
            *missing,
            *estimate_notes(data, flow=False),
            *short_trend_notes(data),
        ],
        formats={c: "pct" for c in frame.columns if c != "年度"},
        highlight_rows=_estimate_rows(data),
    )


def rate_figure(data: CareData) -> AppendixFigure | str:
    if not data.available:
        return ""
    others, missing = comparison_areas(data)
    areas = [data.city, *others]
    lines = [(area_label(data, a), certification_rate(data, a), PALETTE[i]) for i, a in enumerate(areas)]
    fig = year_lines(data, lines, ylabel="認定率", percent_axis=True)
    last_actual = data.last_actual
    latest = {name: s[last_actual] for name, s, _ in lines}
    order = sorted(latest, key=lambda n: -latest[n])
    return AppendixFigure(
        title="第1号被保険者の認定率の推移（" + "・".join(area_label(data, a) for a in areas) + "）",
        figure=fig,
        alt=(
            f"{year_label(data, data.all_years[0])}から{year_label(data, data.all_years[-1])}までの認定率の折れ線グラフ。"
            f"{year_end_label(data, last_actual)}の値の高い順に"
            + "、".join(f"{n}{pct(latest[n])}" for n in order)
            + "。" + ("見込の年度は白抜きの点と破線。" if data.estimate_fy is not None else "")
        ),
        source=source_line(data),
        notes=["認定率＝第1号被保険者の認定者数÷第1号被保険者数。", *missing, *estimate_notes(data, flow=False)],
    )


def _rel(a: float, b: float) -> str:
    d = numbers.pct_diff(a, b)
    return "上回って" if d > 0 else "下回って" if d < 0 else "同じ水準となって"


def _course(then: float, now: float, *, final: bool) -> str:
    d = numbers.pct_diff(now, then)
    if d == 0:
        return f"{pct(now)}で横ばいと{'なっています' if final else 'なり'}"
    return f"{pct(then)}から{pct(now)}に{'上昇' if d > 0 else '低下'}{'しています' if final else 'し'}"


def rate_text(data: CareData) -> str:
    if not data.available:
        return ""
    others, _missing = comparison_areas(data)
    first, last = data.years[0], data.last_actual
    when = lambda y: year_end_label(data, y)  # noqa: E731
    rate = {a: certification_rate(data, a) for a in [data.city, *others]}
    c = rate[data.city][last]
    text = f"{when(last)}の{data.city}の認定率は{pct(c)}で"
    if others:
        comps = [f"{area_label(data, a)}（{pct(rate[a][last])}）を{_rel(c, rate[a][last])}" for a in others]
        text += "、" + "おり、".join(comps) + "います。"
    else:
        text += "す。"
    areas = [data.city, *others]
    moves = [f"{area_label(data, a)}は{_course(rate[a][first], rate[a][last], final=i == len(areas) - 1)}"
             for i, a in enumerate(areas)]
    text += f"{when(first)}からの推移をみると、" + "、".join(moves) + "。"
    young = certification_rate(data, data.city, BANDS[0][0])[last]
    old = certification_rate(data, data.city, BANDS[1][0])[last]
    if numbers.pct_diff(old, young) > 0:
        text += f"年齢別では、{data.city}の75歳以上の認定率が{pct(old)}で、65～74歳（{pct(young)}）を大きく上回っています。"
    share = insured_summary(data)["old_share"]
    if numbers.pct_diff(rate[data.city][last], rate[data.city][first]) > 0 and \
            numbers.pct_diff(share[last], share[first]) > 0:
        text += "認定率の高い75歳以上の被保険者が増えていることが、全体の認定率を押し上げています。"
    if data.estimate_fy is not None:
        text += (f"{year_label(data, data.estimate_fy)}は{pct(rate[data.city][data.estimate_fy])}"
                 f"（{month_label(data.latest_month)}末現在）です。")
    return text


__all__ = [
    "certification_rate",
    "certified_figure",
    "certified_summary",
    "certified_table",
    "certified_text",
    "insured_figure",
    "insured_summary",
    "insured_table",
    "insured_text",
    "rate_figure",
    "rate_table",
    "rate_text",
]
