"""The section's tables and their commentary (the figures are in :mod:`.figures`).

Every number printed comes from the printed cells: the 男女・5歳階級 values of a date rounded half up
(:meth:`Run.cells`), summed into the totals and age groups, so that the parts in a table add up to the
total beside them; rates are computed from those sums; a difference is the difference of two printed
values. The commentary reads the courses with :mod:`komae_analysis.analysis.trends` and cites only
numbers printed in this section's tables.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from komae_analysis import calendar, reference
from komae_analysis.analysis import trends
from komae_analysis.analysis.projection.data import (
    GROUPS,
    STEP_YEARS,
    ProjectionData,
    Run,
    fiscal_date,
    fy_label,
    group_sums,
    label_date,
    source_ipss,
    source_projection,
    source_register,
)
from komae_analysis.report import numbers
from komae_analysis.report.numbers import SHARE_NOTE, count, pct, shares_add_up
from komae_analysis.report.tables import AppendixTable

RATE_COLUMNS = {"高齢化率": "aging_rate", "後期高齢者率": "late_rate"}
ACTUAL, PROJECTED = "実績", "推計"


def people(x: float) -> str:
    return count(x, "人")


def _signed_pct(x: float) -> str:
    """An error rate as the table prints it, with ％: △0.4％ / 1.2％."""
    return numbers.format_value(x, "pct") + "％"


def method_note(run: Run) -> str:
    first, last = run.window[0], run.window[-1]
    return (f"コーホート変化率法による推計。{label_date(first)}～{label_date(last)}の住民基本台帳の"
            f"各年の変化（{run.periods}年分）の平均から求めた5年間の変化率と子ども女性比が続くと仮定した。")


ROUNDING_NOTE = "推計値は男女・5歳階級ごとに四捨五入して合計したもの。"
RATE_NOTE = "高齢化率＝65歳以上人口÷総人口、後期高齢者率＝75歳以上人口÷総人口。"


def _group_row(g: dict[str, float]) -> dict[str, object]:
    row: dict[str, object] = {label: int(g[key]) for key, (label, _lo, _hi) in GROUPS.items()}
    row.update({col: g[key] for col, key in RATE_COLUMNS.items()})
    return row


def _mapping_note() -> str:
    src = reference.SOURCES["komae_choume"]  # the publication and edition of the 町丁目 → 圏域 mapping
    return f"日常生活圏域（地域包括支援センターの担当区域）と町丁目の対応は、{src.source_ja}（{src.as_of_ja}）による。"


def _formats() -> dict[str, str]:
    return {col: "pct" for col in RATE_COLUMNS}


# --- 1 将来推計人口（5年ごと） ------------------------------------------------------------------
def points(data: ProjectionData) -> list[tuple[pd.Timestamp, str]]:
    """The dates of the five-year table and figure: five years before the base (actual, when the
    register has it), the base (actual), and the projected dates."""
    run = data.city
    out = []
    before = data.base - pd.DateOffset(years=STEP_YEARS)
    if before in run.history_dates:
        out.append((before, ACTUAL))
    out.append((data.base, ACTUAL))
    out += [(d, PROJECTED) for d in run.points[1:]]
    return out


def series(data: ProjectionData, run: Run | None = None) -> pd.DataFrame:
    """Totals and age groups of ``run`` (the city by default) on the five-year table's dates."""
    run = run or data.city
    rows = []
    for when, kind in points(data):
        g = data.groups(run, when)
        rows.append({"date": when, "kind": kind, **g})
    return pd.DataFrame(rows).set_index("date")


def projection_table(data: ProjectionData) -> AppendixTable:
    s = series(data)
    frame = pd.DataFrame(
        [{"基準日": f"{label_date(d)}（{r['kind']}）", **_group_row(r)} for d, r in s.iterrows()]
    )
    return AppendixTable(
        title=f"年齢3区分別の将来推計人口（{data.city_name}、5年ごと）",
        frame=frame,
        unit="単位：人、％",
        source=source_projection(),
        notes=[method_note(data.city), "（実績）は住民基本台帳の値、（推計）は各年1月1日現在の推計値。",
               ROUNDING_NOTE, RATE_NOTE],
        formats=_formats(),
    )


def course_phrase(series: pd.Series, *, when, fmt, tolerance: float = 0.0, up: str = "増加",
                  down: str = "減少") -> str:
    """A projected course as a clause ending in 見込みです: a peak or a bottom inside the period, a
    steady rise or fall, or simply from the first value to the last (values as ``fmt`` prints them)."""
    first_at, last_at = series.index[0], series.index[-1]
    first, last = series.iloc[0], series.iloc[-1]
    p = trends.peak(series, tolerance=tolerance)
    b = trends.trough(series, tolerance=tolerance)
    if not p.is_first and p.reversed_since:
        return (f"{when(p.at)}に{fmt(p.value)}でピークを迎え、その後は{down}に転じて{when(last_at)}には"
                f"{fmt(last)}となる見込みです")
    if not b.is_first and b.reversed_since:
        return (f"{when(b.at)}に{fmt(b.value)}まで{down}した後、{up}に転じて{when(last_at)}には"
                f"{fmt(last)}となる見込みです")
    runs = trends.runs(series, tolerance=tolerance)
    steady = len(runs) == 1 and runs[0].direction != trends.FLAT and runs[0].steps >= 2
    if fmt(first) == fmt(last):
        return f"{when(first_at)}の{fmt(first)}から{when(last_at)}まで横ばいとなる見込みです"
    verb = up if last > first else down
    return (f"{when(first_at)}の{fmt(first)}から{when(last_at)}の{fmt(last)}へ"
            f"{verb}{'を続ける' if steady else 'する'}見込みです")


def projection_text(data: ProjectionData) -> str:
    """The courses of the total and of 65+, 75+ and 85+ from the base date, and 高齢化率."""
    s = series(data)
    s = s[s.index >= data.base]
    share = data.settings.flat_share
    text = ""
    for key, label in (("total", "総人口"), ("age65", "65歳以上人口"), ("age75", "75歳以上人口"),
                       ("age85", "85歳以上人口")):
        col = s[key].astype(float)
        tol = trends.relative_tolerance(col, share)
        text += f"{label}は、{course_phrase(col, when=label_date, fmt=people, tolerance=tol)}。"
    rate = s["aging_rate"].astype(float)
    text += f"高齢化率は、{course_phrase(rate, when=label_date, fmt=pct, up='上昇', down='低下')}。"
    return text


# --- 2 計画期間と目安の年 ------------------------------------------------------------------------
def yearly_dates(data: ProjectionData) -> list[tuple[int, pd.Timestamp]]:
    """The plan's fiscal years and the target year, each on its 1 October."""
    years = list(data.plan_years)
    if data.settings.target_year not in years:
        years.append(data.settings.target_year)
    return [(fy, fiscal_date(fy)) for fy in years]


def plan_table(data: ProjectionData) -> AppendixTable:
    rows = [{"年度": fy_label(fy), **_group_row(data.groups(data.city, when))} for fy, when in yearly_dates(data)]
    term = data.plan_term
    target = data.settings.target_year
    return AppendixTable(
        title=(f"{term.name_ja}の計画期間と{calendar.wareki_year(target)}（{target}年）の推計人口"
               f"（{data.city_name}、各年度10月1日）"),
        frame=pd.DataFrame(rows),
        unit="単位：人、％",
        source=source_projection(),
        notes=[
            f"各年度の10月1日現在の値。5年ごとの推計値（各年1月1日現在）の間を直線で補間した（{label_date(data.base)}は"
            "実績）。",
            ROUNDING_NOTE, RATE_NOTE,
        ],
        formats=_formats(),
    )


def plan_text(data: ProjectionData) -> str:
    dates = yearly_dates(data)
    term = data.plan_term
    first_fy, last_fy = term.years[0], term.years[-1]
    g = {fy: data.groups(data.city, when) for fy, when in dates}
    a, b = g[first_fy], g[last_fy]
    target = data.settings.target_year
    t = g[target]
    text = (f"次期の介護保険事業計画の期間（{term.period_ja}）には、65歳以上人口は{people(a['age65'])}から"
            f"{people(b['age65'])}へ、75歳以上人口は{people(a['age75'])}から{people(b['age75'])}へ推移し、"
            f"高齢化率は{pct(a['aging_rate'])}から{pct(b['aging_rate'])}になる見込みです。")
    text += (f"{calendar.wareki_fy(target)}（{target}年度）には、総人口が{people(t['total'])}、65歳以上人口が"
             f"{people(t['age65'])}（高齢化率{pct(t['aging_rate'])}）、85歳以上人口が{people(t['age85'])}となる見込みです。")
    return text


# --- 3 年齢構成（基準日と目安の年） -----------------------------------------------------------------
def _age_label(lo: int, open_age: int) -> str:
    return f"{lo}歳以上" if lo >= open_age else f"{lo}～{lo + 4}歳"


def age_pair(data: ProjectionData) -> tuple[np.ndarray, np.ndarray]:
    """The printed classes (n, 2) on the base date and on the target year's 1 October."""
    return data.city.cells(data.base), data.city.cells(data.target_date)


def age_table(data: ProjectionData) -> AppendixTable:
    now, then = age_pair(data)
    target = data.settings.target_year
    col = f"{calendar.wareki_year(target)}（{target}年）"
    shares = then.sum(axis=1) / then.sum()
    frame = pd.DataFrame({
        "年齢": [_age_label(s, data.settings.open_age) for s in data.starts],
        f"{label_date(data.base)}（実績）": now.sum(axis=1),
        f"{col}の男": then[:, 0],
        f"{col}の女": then[:, 1],
        f"{col}の計": then.sum(axis=1),
        f"{col}の構成比": shares,
        "増減": then.sum(axis=1) - now.sum(axis=1),
    })
    totals = {c: frame[c].sum() for c in frame.columns if c != "年齢"}
    totals["年齢"] = "総数"
    totals[f"{col}の構成比"] = 1.0
    frame = pd.concat([frame, pd.DataFrame([totals])[frame.columns]], ignore_index=True)
    notes = [f"{col}は10月1日現在の推計値。増減は{label_date(data.base)}からの増減。", ROUNDING_NOTE]
    if not shares_add_up(shares):
        notes.append(SHARE_NOTE)
    return AppendixTable(
        title=f"年齢5歳階級別の推計人口（{data.city_name}、{label_date(data.base)}と{col}）",
        frame=frame,
        unit="単位：人、％",
        source=source_projection(),
        notes=notes,
        formats={f"{col}の構成比": "pct"},
        total_rows=[-1],
    )


def age_text(data: ProjectionData) -> str:
    """The classes that grow and shrink most between the base date and the target year."""
    now, then = age_pair(data)
    labels = [_age_label(s, data.settings.open_age) for s in data.starts]
    frame = pd.DataFrame([now.sum(axis=1), then.sum(axis=1)], columns=labels, index=[0, 1])
    ranked = trends.movers(frame)
    up, down = ranked[0], ranked[-1]
    target = data.settings.target_year
    text = f"{label_date(data.base)}と比べて、{calendar.wareki_year(target)}（{target}年）には"
    rise = f"{up.key}が{people(up.start)}から{people(up.end)}へ最も大きく増え" if up.change > 0 else ""
    fall = f"{down.key}が{people(down.start)}から{people(down.end)}へ最も大きく減る" if down.change < 0 else ""
    if not rise and not fall:
        return text + "年齢階級別の人口に大きな増減はない見込みです。"
    if rise and fall:
        text += f"{rise}、{fall}見込みです。"
    else:
        text += f"{rise}る見込みです。" if rise else f"{fall}見込みです。"
    top = then.sum(axis=1)
    peak_i = int(np.argmax(top))
    text += f"人口が最も多い年齢階級は{labels[peak_i]}（{people(top[peak_i])}）となります。"
    return text


# --- 4 日常生活圏域別 --------------------------------------------------------------------------
def area_dates(data: ProjectionData) -> list[tuple[str, pd.Timestamp]]:
    """The base date, the last year of the plan and the target year (labels, dates)."""
    last = data.plan_years[-1]
    out = [(f"{label_date(data.base)}（実績）", data.base), (fy_label(last), fiscal_date(last))]
    target = data.settings.target_year
    if target != last:
        out.append((fy_label(target), fiscal_date(target)))
    return out


def area_groups(data: ProjectionData) -> dict[str, dict[pd.Timestamp, dict[str, float]]]:
    """圏域 key → date → printed groups; also "sum" (the 圏域 added up, from their printed cells) and
    "city" (the city's own projection)."""
    out: dict[str, dict[pd.Timestamp, dict[str, float]]] = {}
    dates = [d for _l, d in area_dates(data)]
    for run in data.areas:
        out[run.key] = {d: data.groups(run, d) for d in dates}
    out["sum"] = {d: group_sums(sum(run.cells(d) for run in data.areas), data.starts) for d in dates}
    out["city"] = {d: data.groups(data.city, d) for d in dates}
    return out


def area_table(data: ProjectionData) -> AppendixTable:
    """Per date: the three 圏域, their sum (a total row), the city's own projection and the difference."""
    g = area_groups(data)
    rows: list[dict[str, object]] = []
    total_rows: list[int] = []
    for label, d in area_dates(data):
        for i, run in enumerate(data.areas):
            rows.append({"時点": label if i == 0 else "", "日常生活圏域": run.name, **_group_row(g[run.key][d])})
        total_rows.append(len(rows))
        rows.append({"時点": "", "日常生活圏域": "圏域の合計", **_group_row(g["sum"][d])})
        rows.append({"時点": "", "日常生活圏域": "市全体の推計", **_group_row(g["city"][d])})
        a, b = g["sum"][d], g["city"][d]
        row: dict[str, object] = {"時点": "", "日常生活圏域": "差（圏域の合計－市全体の推計）"}
        row.update({lab: int(a[key] - b[key]) for key, (lab, _lo, _hi) in GROUPS.items()})
        row.update({col: math.nan for col in RATE_COLUMNS})
        rows.append(row)
    return AppendixTable(
        title="日常生活圏域別の将来推計人口（" + "、".join(label.replace("（実績）", "") for label, _d in area_dates(data))
        + "）",
        frame=pd.DataFrame(rows),
        unit="単位：人、％",
        source=source_projection(),
        notes=[
            "各圏域の住民基本台帳の人口から、市全体と同じ方法（同じ年の変化の平均）で圏域ごとに推計した。"
            "圏域ごとに変化率が異なるため、推計では圏域の合計と市全体の推計は一致しない（差の行）。",
            "年度の値は10月1日現在（5年ごとの推計値の間を直線で補間）。",
            ROUNDING_NOTE, RATE_NOTE,
            _mapping_note(),
        ],
        formats=_formats(),
        total_rows=total_rows,
    )


def area_text(data: ProjectionData) -> str:
    g = area_groups(data)
    dates = area_dates(data)
    target_label, target = dates[-1]
    base = data.base
    runs = list(data.areas)
    rates = {r.key: g[r.key][target]["aging_rate"] for r in runs}
    hi = max(runs, key=lambda r: rates[r.key])
    lo = min(runs, key=lambda r: rates[r.key])
    growth = {r.key: g[r.key][target]["age75"] - g[r.key][base]["age75"] for r in runs}
    most = max(runs, key=lambda r: growth[r.key])
    text = (f"{target_label}の高齢化率は、{hi.name}の圏域が{pct(rates[hi.key])}で最も高く、"
            f"{lo.name}の圏域が{pct(rates[lo.key])}で最も低くなる見込みです。")
    if growth[most.key] > 0:
        text += (f"75歳以上人口の増加が最も大きいのは{most.name}の圏域で、{label_date(base)}の"
                 f"{people(g[most.key][base]['age75'])}から{people(g[most.key][target]['age75'])}になります。")
    diff = g["sum"][target]["total"] - g["city"][target]["total"]
    if diff:
        text += (f"圏域ごとの推計の合計は、市全体の推計を{target_label}に{people(abs(diff))}"
                 f"{'上回ります' if diff > 0 else '下回ります'}（圏域ごとの変化率の違いによるもの）。")
    return text


# --- 5 社人研の推計との比較 ----------------------------------------------------------------------
def ipss_groups(data: ProjectionData) -> pd.DataFrame:
    """社人研's totals and groups per year (NA where a class is missing in the file)."""
    f = data.ipss
    rows = []
    for year, part in f.groupby("year", sort=True):
        both = part.groupby("age_from")["population"].sum(min_count=1)
        has_na = part.groupby("age_from")["population"].apply(lambda s: s.isna().any())
        row: dict[str, object] = {"year": int(year)}
        for key, (_label, lo, hi) in GROUPS.items():
            pick = [a for a in both.index if a >= lo and (hi is None or a + 4 <= hi)]
            row[key] = pd.NA if has_na[pick].any() else int(both[pick].sum())
        rows.append(row)
    out = pd.DataFrame(rows).set_index("year")
    for key, num in (("aging_rate", "age65"), ("late_rate", "age75")):
        out[key] = [
            (a / t if not (pd.isna(a) or pd.isna(t)) and t else math.nan)
            for a, t in zip(out[num], out["total"], strict=True)
        ]
    return out


def ipss_comparison_frame(data: ProjectionData) -> pd.DataFrame:
    """Per 社人研 year: both totals, 75+ and 高齢化率, and the city's value on 1 October of that year
    (register before the base, projection after; NaN outside)."""
    ip = ipss_groups(data)
    rows = []
    for year, r in ip.iterrows():
        when = pd.Timestamp(int(year), 10, 1)
        own = data.groups(data.city, when) if data.city.covers(when) else None
        rows.append({
            "year": int(year), "when": when, "actual": bool(own is not None and when <= data.base),
            "ipss_total": r["total"], "own_total": own["total"] if own else pd.NA,
            "ipss_age75": r["age75"], "own_age75": own["age75"] if own else pd.NA,
            "ipss_rate": r["aging_rate"], "own_rate": own["aging_rate"] if own else math.nan,
        })
    return pd.DataFrame(rows)


def _int_or_na(v: object) -> object:
    return pd.NA if pd.isna(v) else int(v)  # type: ignore[arg-type]


def ipss_source() -> str:
    """Both 出典 in one line: 「出典：社人研…、狛江市「住民基本台帳」…をもとに…推計」."""
    return f"{source_ipss()}、{source_projection().removeprefix('出典：')}"


def ipss_table(data: ProjectionData) -> AppendixTable:
    c = ipss_comparison_frame(data)
    first_year = int(c["year"].min())
    frame = pd.DataFrame({
        "年": [f"{calendar.wareki_year(y)}（{y}年）{'※' if a else ''}" for y, a in zip(c["year"], c["actual"], strict=True)],
        "総人口（社人研）": pd.array([_int_or_na(v) for v in c["ipss_total"]], dtype="Int64"),
        "総人口（市の推計）": pd.array([_int_or_na(v) for v in c["own_total"]], dtype="Int64"),
        "差（社人研－市）": pd.array([
            pd.NA if pd.isna(a) or pd.isna(b) else int(a) - int(b) for a, b in zip(c["ipss_total"], c["own_total"],
                                                                                   strict=True)], dtype="Int64"),
        "75歳以上（社人研）": pd.array([_int_or_na(v) for v in c["ipss_age75"]], dtype="Int64"),
        "75歳以上（市の推計）": pd.array([_int_or_na(v) for v in c["own_age75"]], dtype="Int64"),
        "高齢化率（社人研）": c["ipss_rate"].astype(float),
        "高齢化率（市の推計）": c["own_rate"].astype(float),
    })
    return AppendixTable(
        title=f"国立社会保障・人口問題研究所の推計との比較（{data.city_name}、各年10月1日）",
        frame=frame,
        unit="単位：人、％",
        source=ipss_source(),
        notes=[
            f"社人研＝国立社会保障・人口問題研究所。社人研の推計（{data.ipss_edition}）は国勢調査の人口を基準とし、"
            f"{first_year}年は国勢調査による実績値。",
            "市の推計は住民基本台帳（外国人住民を含む）による。※は住民基本台帳の実績（各年1月1日の値の間を直線で補間）。",
            "国勢調査と住民基本台帳は調査の方法と対象が異なるため、同じ年でも人口は一致しない。",
            ROUNDING_NOTE,
        ],
        formats={"高齢化率（社人研）": "pct", "高齢化率（市の推計）": "pct"},
    )


def ipss_text(data: ProjectionData) -> str:
    """社人研's first and last totals (the years whose total is present in the file) and 高齢化率, set
    beside the city's own projection; the difference of the starting points."""
    c = ipss_comparison_frame(data).set_index("year")
    known = c[c["ipss_total"].notna()]
    if known.empty:
        return "国立社会保障・人口問題研究所の推計の総人口が欠測（秘匿など）のため、比較の文章は省略します。"
    first, last = int(known.index.min()), int(known.index.max())
    r = known.loc[last]
    text = (f"国立社会保障・人口問題研究所の推計では、{data.city_name}の総人口は{calendar.wareki_year(first)}"
            f"（{first}年）の{people(known.loc[first, 'ipss_total'])}から{calendar.wareki_year(last)}（{last}年）には"
            f"{people(r['ipss_total'])}となり")
    text += f"、高齢化率は{pct(r['ipss_rate'])}となる見込みです。" if not pd.isna(r["ipss_rate"]) else "となる見込みです。"
    if not pd.isna(r["own_total"]):
        d = int(r["ipss_total"]) - int(r["own_total"])
        more = f"{people(abs(d))}{'多く' if d > 0 else '少なく'}なっています" if d else "同じ水準です"
        text += (f"市の推計（総人口{people(r['own_total'])}、高齢化率{pct(r['own_rate'])}）と比べると、"
                 f"社人研の総人口は{more}。")
    if not pd.isna(known.loc[first, "own_total"]):
        text += (f"{first}年の人口は、国勢調査（{people(known.loc[first, 'ipss_total'])}）と住民基本台帳"
                 f"（{people(known.loc[first, 'own_total'])}）とで違いがあり、推計の出発点の違いも差に含まれます。")
    return text


def ipss_missing_text(data: ProjectionData) -> str:
    return ("国立社会保障・人口問題研究所「日本の地域別将来推計人口」の推計結果のファイルがないため、"
            "同研究所の推計との比較は掲載していません。")


# --- 6 推計の検証 ----------------------------------------------------------------------------
BACKTEST_GROUPS = ("total", "age0_14", "age15_64", "age65", "age75")


def backtest_frame(data: ProjectionData) -> pd.DataFrame:
    """Per area ("" = city) and group: projected (printed), actual, difference, error rate."""
    bt = data.backtest
    assert bt is not None
    rows = []
    for run in (bt.city, *bt.areas):
        est = group_sums(run.cells(bt.target), data.starts)
        act = group_sums(bt.actual[run.key], data.starts)
        for key in BACKTEST_GROUPS:
            e, a = int(est[key]), int(act[key])
            rows.append({"key": run.key, "name": run.name, "group": key, "estimate": e, "actual": a,
                         "diff": e - a, "error": (e - a) / a if a else math.nan})
    return pd.DataFrame(rows)


def backtest_table(data: ProjectionData) -> AppendixTable:
    bt = data.backtest
    assert bt is not None
    f = backtest_frame(data)
    labels = {k: GROUPS[k][0] for k in BACKTEST_GROUPS}
    frame = pd.DataFrame({
        "地域": [n if g == "total" else "" for n, g in zip(f["name"], f["group"], strict=True)],
        "区分": [labels[g] for g in f["group"]],
        "推計": f["estimate"].astype("int64"),
        "実績": f["actual"].astype("int64"),
        "差": f["diff"].astype("int64"),
        "誤差率": f["error"].astype(float),
    })
    wanted = data.settings.ratio_periods
    first = bt.city.window[0]
    notes = [
        f"{label_date(bt.base)}を基準に、その日までの住民基本台帳だけを使って本推計と同じ方法で推計した"
        f"{label_date(bt.target)}の人口と、同日の実績との比較。",
    ]
    if bt.periods < wanted:
        notes.append(f"本推計は直近{wanted}年分の変化の平均を用いるが、{label_date(bt.base)}以前のデータは"
                     f"{label_date(first)}からの{bt.periods}年分しかないため、その平均を用いた。")
    else:
        notes.append(f"変化率は{label_date(first)}～{label_date(bt.base)}の{bt.periods}年分の変化の平均。")
    notes += ["差＝推計－実績、誤差率＝差÷実績。", ROUNDING_NOTE]
    return AppendixTable(
        title=f"推計の検証（{label_date(bt.base)}を基準とした推計と{label_date(bt.target)}の実績）",
        frame=frame,
        unit="単位：人、％",
        source=source_register(),
        notes=notes,
        formats={"誤差率": "pct"},
        total_rows=[i for i in range(len(frame)) if i % len(BACKTEST_GROUPS) == 0],
    )


def backtest_text(data: ProjectionData) -> str:
    bt = data.backtest
    assert bt is not None
    f = backtest_frame(data)
    city = f[f["key"] == ""].set_index("group")
    t = city.loc["total"]
    text = (f"{label_date(bt.base)}の時点で同じ方法により推計すると、{label_date(bt.target)}の総人口は"
            f"{people(t['estimate'])}となり、実績（{people(t['actual'])}）との差は{numbers.format_value(t['diff'], 'int')}人、"
            f"総人口の誤差は{_signed_pct(t['error'])}でした。")
    groups = city.drop(index="total")
    worst = groups["error"].abs().idxmax()
    w = groups.loc[worst]
    text += (f"年齢区分別では{GROUPS[worst][0]}の誤差が最も大きく{_signed_pct(w['error'])}"
             f"（推計{people(w['estimate'])}、実績{people(w['actual'])}）です。")
    areas = f[(f["key"] != "") & (f["group"] == "total")]
    a = areas.loc[areas["error"].abs().idxmax()]
    text += f"日常生活圏域別の総人口の誤差は、最も大きい{a['name']}の圏域で{_signed_pct(a['error'])}です。"
    shown = numbers.shown_pct(t["error"])
    if shown > 0:
        text += ("推計は基準日までの傾向が続くと仮定するため、その後に人口の動きが変わると差が生じます。"
                 "この期間は実績が推計を下回りました。")
    elif shown < 0:
        text += ("推計は基準日までの傾向が続くと仮定するため、その後に人口の動きが変わると差が生じます。"
                 "この期間は実績が推計を上回りました。")
    return text


def backtest_missing_text(data: ProjectionData) -> str:
    return data.backtest_reason


# --- 7 推計に用いた変化率 ---------------------------------------------------------------------
def ratio_table(data: ProjectionData) -> AppendixTable:
    run = data.city
    open_age = data.settings.open_age
    labels = []
    for i, s in enumerate(data.starts[:-1]):
        if i == len(data.starts) - 2:
            labels.append(f"{s}歳以上 → {open_age}歳以上")
        else:
            labels.append(f"{s}～{s + 4}歳 → {s + 5}～{s + 9}歳")
    frame = pd.DataFrame({"年齢（基準日 → 5年後）": labels, "男": run.ratios[:, 0], "女": run.ratios[:, 1]})
    lo, hi = data.settings.mother_ages
    share = (f"0～4歳の男女の割合は、同じ期間の0～4歳の男の割合（{pct(run.male_share)}）による。"
             if data.settings.observed_sex_ratio else
             f"0～4歳の男女の割合は、男{pct(run.male_share)}とした。")
    return AppendixTable(
        title=f"推計に用いたコーホート変化率（{data.city_name}、5年間）",
        frame=frame,
        unit="単位：％",
        source=source_register(),
        notes=[
            "コーホート変化率＝5年後のその年齢階級の人口÷基準日の1つ下の年齢階級の人口（死亡と転出入を合わせた変化）。",
            f"{label_date(run.window[0])}～{label_date(run.window[-1])}の各年の1歳ごとの変化率（{run.periods}年分の平均）を"
            f"5年分つないで求めた。最上位の{open_age}歳以上は、{open_age - 5}歳以上の人口に対する5年後の{open_age}歳以上の人口の比。",
            f"0～4歳は子ども女性比（0～4歳の人口÷{lo}～{hi}歳の女性の人口、同じ期間の平均で{numbers.dec(run.cwr, 3)}）"
            f"で推計した。{share}",
        ],
        formats={"男": "pct", "女": "pct"},
    )
