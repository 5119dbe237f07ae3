"""日常生活圏域 and 町丁目 (section 02b, parts 1 and 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis.population.data import (
    PopulationData,
    _era_year,
    _mapping_note,
    area_of_daily_life_summary,
    choume_summary,
    city_summary,
    daily_life_areas,
    label_date,
    source_register,
)
from komae_analysis.analysis.population.trend import (
    _people,
)
from komae_analysis.report import numbers
from komae_analysis.report.charts import (
    PALETTE,
    AppendixFigure,
    new_figure,
    percent,
)
from komae_analysis.report.numbers import pct
from komae_analysis.report.tables import AppendixTable


# --- 1 日常生活圏域 (02b) --------------------------------------------------------------------
def daily_life_area_table(data: PopulationData) -> AppendixTable:
    now = area_of_daily_life_summary(data, data.latest)
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    areas = {a.key: a for a in daily_life_areas()}
    cmp_label = _era_year(data.compare)
    then_rate = now["area"].map(then["aging_rate"])
    c = city_summary(data, with_compare=True).set_index("date")
    frame = pd.DataFrame(
        {
            "日常生活圏域": [areas[a].official_name for a in now["area"]],
            "町名": ["・".join(areas[a].towns) for a in now["area"]],
            "総人口": now["total"],
            "65歳以上": now["age65"],
            "75歳以上": now["age75"],
            "高齢化率": now["aging_rate"],
            "後期高齢者率": now["late_rate"],
            "世帯数": now["households"],
            f"{cmp_label}の高齢化率": then_rate,
            "高齢化率の差（ポイント）": [float(numbers.pct_diff(a, b)) for a, b in zip(now["aging_rate"], then_rate,
                                                                                 strict=True)],
        }
    )
    latest, compare = c.loc[data.latest], c.loc[data.compare]
    total = {
        "日常生活圏域": "市全体", "町名": "", "総人口": int(latest["total"]), "65歳以上": int(latest["age65"]),
        "75歳以上": int(latest["age75"]), "高齢化率": latest["aging_rate"], "後期高齢者率": latest["late_rate"],
        "世帯数": int(latest["households"]), f"{cmp_label}の高齢化率": compare["aging_rate"],
        "高齢化率の差（ポイント）": float(numbers.pct_diff(latest["aging_rate"], compare["aging_rate"])),
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return AppendixTable(
        title=f"日常生活圏域別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％、ポイント",
        source=source_register(),
        notes=[
            _mapping_note(),
            f"「{cmp_label}の高齢化率」は{label_date(data.compare)}現在。高齢化率の差は、表示した高齢化率の差。",
        ],
        formats={"高齢化率": "pct", "後期高齢者率": "pct", f"{cmp_label}の高齢化率": "pct",
                 "高齢化率の差（ポイント）": "dec1"},
        total_rows=[-1],
    )


def daily_life_area_text(data: PopulationData) -> str:
    now = area_of_daily_life_summary(data, data.latest).set_index("area")
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    names = {a.key: a.official_name for a in daily_life_areas()}
    hi, lo = now["aging_rate"].idxmax(), now["aging_rate"].idxmin()
    diffs = {a: numbers.pct_diff(now.loc[a, "aging_rate"], then.loc[a, "aging_rate"]) for a in now.index}
    fastest = max(diffs, key=lambda a: diffs[a])
    text = (
        f"日常生活圏域別にみると、高齢化率が最も高いのは{names[hi]}の圏域（{pct(now.loc[hi, 'aging_rate'])}）、"
        f"最も低いのは{names[lo]}の圏域（{pct(now.loc[lo, 'aging_rate'])}）です。"
    )
    if diffs[fastest] > 0:
        text += (f"{label_date(data.compare)}からの上昇幅が最も大きいのは{names[fastest]}の圏域"
                 f"（{numbers.points(diffs[fastest])}上昇）です。")
    old = now["age75"].idxmax()
    text += f"75歳以上人口は{names[old]}の圏域が最も多く、{_people(now.loc[old, 'age75'])}です。"
    return text


# --- 2 町丁目 (02b) -------------------------------------------------------------------------
def _choume_label(row: pd.Series) -> str:
    return f"{row['town']}{row['chome']}丁目"


def _unpopulated(ch: pd.DataFrame) -> list[str]:
    """町丁目 without residents (e.g. land used by facilities or parks): they have no 高齢化率."""
    return [_choume_label(r) for _, r in ch[ch["total"] == 0].iterrows()]


def choume_table(data: PopulationData) -> AppendixTable:
    """町丁目 grouped by 日常生活圏域 (the city's order), a 小計 row after each 圏域, 市全体 last."""
    ch = choume_summary(data, data.latest)
    cols = ["total", "age0_14", "age65", "age75", "households"]
    rows: list[dict[str, object]] = []
    total_rows: list[int] = []

    def row(area: str, name: str, r: pd.Series) -> dict[str, object]:
        return {"日常生活圏域": area, "町丁目": name, "総人口": int(r["total"]), "0～14歳": int(r["age0_14"]),
                "65歳以上": int(r["age65"]), "75歳以上": int(r["age75"]),
                "高齢化率": r["age65"] / r["total"] if r["total"] else np.nan, "世帯数": int(r["households"])}

    for area in daily_life_areas(ch):
        group = ch[ch["area"] == area.key]
        if group.empty:
            continue
        for i, (_, r) in enumerate(group.iterrows()):
            rows.append(row(area.official_name if i == 0 else "", _choume_label(r), r))
        total_rows.append(len(rows))
        rows.append(row("", "小計", group[cols].sum()))
    rows.append(row("市全体", "", ch[cols].sum()))
    total_rows.append(len(rows) - 1)
    frame = pd.DataFrame(rows)
    empty = _unpopulated(ch)
    notes = [_mapping_note(), "小計は日常生活圏域ごとの計。"]
    if empty:
        notes.append(f"住民のいない町丁目（{'、'.join(empty)}）の高齢化率は「－」。")
    return AppendixTable(
        title=f"日常生活圏域・町丁目別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=source_register(),
        notes=notes,
        formats={"高齢化率": "pct"},
        total_rows=total_rows,
    )


def choume_figure(data: PopulationData) -> AppendixFigure:
    all_ch = choume_summary(data, data.latest)
    empty = _unpopulated(all_ch)
    ch = all_ch[all_ch["total"] > 0].sort_values(["aging_rate", "choume_code"]).reset_index(drop=True)
    areas = daily_life_areas(all_ch)
    colors = {a.key: PALETTE[i] for i, a in enumerate(areas)}
    fig = new_figure(8, 9)
    ax = fig.add_subplot()
    y = np.arange(len(ch))
    ax.barh(y, ch["aging_rate"], color=[colors[a] for a in ch["area"]], height=0.75)
    ax.set_yticks(y, [_choume_label(r) for _, r in ch.iterrows()], fontsize=8)
    city_rate = city_summary(data).set_index("date").loc[data.latest, "aging_rate"]
    ax.axvline(city_rate, color="#222222", linestyle="--", linewidth=1)
    ax.text(city_rate, len(ch) - 0.3, f" 市全体 {pct(city_rate)}", va="bottom", fontsize=9)
    percent(ax, "x", decimals=0)
    ax.set_xlabel("高齢化率")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch  # matplotlib only when a figure is drawn

    ax.legend(handles=[Patch(color=colors[a.key], label=a.official_name) for a in areas], loc="lower right",
              frameon=False, fontsize=8)
    top, bottom = ch.iloc[-1], ch.iloc[0]
    return AppendixFigure(
        title=f"町丁目別の高齢化率（{label_date(data.latest)}現在）",
        figure=fig,
        alt=(
            f"住民のいる{len(ch)}の町丁目の高齢化率を、上から高い順に並べた横棒グラフ（棒の色は日常生活圏域、"
            f"凡例は{'、'.join(a.official_name for a in areas)}の順）。最も高いのは{_choume_label(top)}の"
            f"{pct(top['aging_rate'])}、最も低いのは{_choume_label(bottom)}の{pct(bottom['aging_rate'])}、"
            f"破線は市全体の{pct(city_rate)}。"
        ),
        source=source_register(),
        notes=[f"住民のいない町丁目（{'、'.join(empty)}）は除いている。"] if empty else [],
    )


def choume_text(data: PopulationData) -> str:
    ch = choume_summary(data, data.latest)
    ch = ch[ch["total"] > 0]
    names = {a.key: a.official_name for a in daily_life_areas()}
    hi = ch.loc[ch["aging_rate"].idxmax()]
    lo = ch.loc[ch["aging_rate"].idxmin()]
    return (
        f"町丁目別の高齢化率は、{_choume_label(lo)}の{pct(lo['aging_rate'])}から"
        f"{_choume_label(hi)}（{names[hi['area']]}の圏域）の{pct(hi['aging_rate'])}まで、地域によって大きな差があります。"
    )
