"""人口・世帯の推移 and the comparison with 東京都 and 東京都市部 (section 02a, parts 1 and 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.population.data import (
    AGE_GROUPS,
    PopulationData,
    _flat_tolerance,
    _short_trend_note,
    _tick_labels,
    area_summary,
    city_summary,
    label_date,
    source_register,
    source_tokyo,
)
from komae_analysis.report import numbers
from komae_analysis.report.charts import (
    PALETTE,
    AppendixFigure,
    label_ends,
    new_figure,
    percent,
    right_axis,
    thousands,
)
from komae_analysis.report.numbers import count, dec, pct
from komae_analysis.report.tables import AppendixTable


# --- 1 人口・世帯の推移 (02a) -----------------------------------------------------------------
def trend_table(data: PopulationData) -> AppendixTable:
    s = city_summary(data)
    change = s["total"].diff()
    frame = pd.DataFrame(
        {
            "基準日": [label_date(d) for d in s["date"]],
            "総人口": s["total"],
            "前年からの増減": pd.array([pd.NA, *change.iloc[1:].astype("int64")], dtype="Int64"),
            "年少人口（0～14歳）": s["age0_14"],
            "生産年齢人口（15～64歳）": s["age15_64"],
            "老年人口（65歳以上）": s["age65"],
            "うち後期高齢者（75歳以上）": s["age75"],
            "高齢化率": s["aging_rate"],
            "後期高齢者率": s["late_rate"],
            "世帯数": s["households"],
            "1世帯当たり人員": s["persons_per_household"],
        }
    )
    return AppendixTable(
        title=f"総人口・年齢3区分別人口・世帯数の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=source_register(),
        notes=[
            "高齢化率＝65歳以上人口÷総人口、後期高齢者率＝75歳以上人口÷総人口。",
            "1世帯当たり人員＝総人口÷世帯数。",
            *_short_trend_note(data),
        ],
        formats={"前年からの増減": "int", "高齢化率": "pct", "後期高齢者率": "pct", "1世帯当たり人員": "dec2"},
    )


def _people(x: float) -> str:
    return count(x, "人")


def trend_text(data: PopulationData) -> str:
    """The total's course (peak, turning, the latest run), then the 75+ population."""
    s = city_summary(data).set_index("date")
    total = s["total"]
    first, last = data.dates[0], data.latest
    tol = _flat_tolerance(data, total)
    p = trends.peak(total, tolerance=tol)
    run = trends.latest_run(total, tolerance=tol)
    text = f"総人口は、{trends.peak_phrase(p, when=label_date, fmt=_people)}。"
    if not p.is_latest and data.previous is not None:
        streak = trends.run_phrase(run)
        text += (f"{label_date(last)}現在は{_people(total[last])}で、前年から"
                 f"{trends.change_phrase(total[last] - total[data.previous])}しました")
        text += f"（{streak}）。" if streak and run is not None and run.direction == trends.DOWN else "。"
    old = s["age75"]
    old_run = trends.latest_run(old)
    streak = trends.run_phrase(old_run)
    verb = "増加" if old[last] > old[first] else "減少" if old[last] < old[first] else "横ばいで推移"
    text += (
        f"一方、75歳以上の後期高齢者は{label_date(first)}の{_people(old[first])}から{label_date(last)}の"
        f"{_people(old[last])}へ{verb}し"
    )
    if streak and old_run is not None and old_run.start_at == first:
        text += f"（{streak}）"
    text += f"、後期高齢者率は{_rate_course(s.loc[first, 'late_rate'], s.loc[last, 'late_rate'])}。"
    text += aging_phrase(data, s["aging_rate"])
    return text


def aging_phrase(data: PopulationData, rate: pd.Series) -> str:
    """高齢化率's course: a turn (bottom or top) inside the period, else from first to latest."""
    first, last = data.dates[0], data.latest
    low = trends.trough(rate)
    high = trends.peak(rate)
    if not low.is_first and not low.is_latest and numbers.pct_diff(rate[last], low.value) > 0:
        return (f"高齢化率は、{trends.peak_phrase(low, when=label_date, fmt=pct, up='上昇', down='低下')}。"
                f"{label_date(last)}現在は{pct(rate[last])}です。")
    if not high.is_first and not high.is_latest and numbers.pct_diff(rate[last], high.value) < 0:
        return (f"高齢化率は、{trends.peak_phrase(high, when=label_date, fmt=pct, up='上昇', down='低下')}。"
                f"{label_date(last)}現在は{pct(rate[last])}です。")
    return f"高齢化率は{label_date(first)}から{label_date(last)}にかけて{_rate_course(rate[first], rate[last])}。"


def _rate_course(then: float, now: float, *, final: bool = True) -> str:
    """Two shares as printed and the move between them: 「12.0％から14.7％に上昇しています」, or
    「26.3％で横ばいとなっています」 when they print alike; ``final=False`` gives the continuing form
    (上昇し / 横ばいとなり) for joining clauses."""
    d = numbers.pct_diff(now, then)
    if d == 0:
        return f"{pct(now)}で横ばいと{'なっています' if final else 'なり'}"
    verb = "上昇" if d > 0 else "低下"
    return f"{pct(then)}から{pct(now)}に{verb}{'しています' if final else 'し'}"


def household_text(data: PopulationData) -> str:
    """Households rising while the population falls: 世帯の小規模化, read from persons per household."""
    s = city_summary(data).set_index("date")
    first, last = data.dates[0], data.latest
    hh = s["households"]
    run = trends.latest_run(hh, tolerance=_flat_tolerance(data, hh))
    streak = trends.run_phrase(run)
    pph_then, pph_now = s.loc[first, "persons_per_household"], s.loc[last, "persons_per_household"]
    text = (f"世帯数は{label_date(first)}の{count(hh[first], '世帯')}から{label_date(last)}の"
            f"{count(hh[last], '世帯')}へ{'増加' if hh[last] > hh[first] else '減少'}しており")
    if streak and run is not None and run.start_at == first:
        text += f"（{streak}）"
    text += f"、1世帯当たり人員は{dec(pph_then, 2)}人から{dec(pph_now, 2)}人に"
    if numbers.diff_of_shown(pph_now, pph_then, 2) < 0:
        text += "減っています。"
        total = s["total"]
        if total[last] < trends.peak(total).value and hh[last] > hh[first]:
            text += "人口が減少に転じた後も世帯数は増え続けており、世帯の小規模化が進んでいます。"
        else:
            text += "世帯の小規模化が進んでいます。"
    else:
        text += "なっています。"
    return text


def trend_figure(data: PopulationData) -> AppendixFigure:
    s = city_summary(data)
    fig = new_figure(8, 4.6)
    ax = fig.add_subplot()
    x = np.arange(len(s))
    bottom = np.zeros(len(s))
    colors = (PALETTE[2], PALETTE[0], PALETTE[1])
    for (label, key), color in zip(AGE_GROUPS, colors, strict=True):
        ax.bar(x, s[key], bottom=bottom, color=color, label=label, width=0.65)
        bottom += s[key].to_numpy()
    ax.set_xticks(x, _tick_labels(list(s["date"])))
    ax.set_ylabel("人口（人）")
    thousands(ax, "y")
    ax2 = right_axis(ax)
    line_label = "高齢化率（右目盛）"
    ax2.plot(x, s["aging_rate"], color=PALETTE[3], marker="o", label=line_label)
    label_ends(ax2, x, s["aging_rate"], pct, color=PALETTE[3])
    percent(ax2, "y", decimals=0)
    # the line runs above the bars: bars in the lower ~60% of the height, the line in the top band
    ax.set_ylim(0, bottom.max() * 1.6)
    lo, hi = float(s["aging_rate"].min()), float(s["aging_rate"].max())
    span = max(hi - lo, 0.01) / 0.22
    ax2.set_ylim(lo - 0.68 * span, lo - 0.68 * span + span)
    ax2.set_ylabel("高齢化率")
    bars, bar_labels = ax.get_legend_handles_labels()
    lines, line_labels = ax2.get_legend_handles_labels()
    # legend top to bottom as the bars are stacked (老年 on top), then the line
    ax.legend(bars[::-1] + lines, bar_labels[::-1] + line_labels, loc="upper left",
              bbox_to_anchor=(1.1, 1.0), frameon=False)
    ax.set_xlabel("各年1月1日")
    first, last = s.iloc[0], s.iloc[-1]
    stacked = "・".join(label for label, _ in AGE_GROUPS[::-1])
    return AppendixFigure(
        title=f"年齢3区分別人口と高齢化率の推移（{data.city_name}）",
        figure=fig,
        alt=(
            f"{label_date(first['date'])}から{label_date(last['date'])}までの各年1月1日の人口を、上から"
            f"{stacked}の順に積み上げた棒グラフと、高齢化率の折れ線グラフ（右目盛）。総人口は"
            f"{_people(first['total'])}から{_people(last['total'])}、高齢化率は{pct(first['aging_rate'])}から"
            f"{pct(last['aging_rate'])}。"
        ),
        source=source_register(),
        notes=_short_trend_note(data),
    )


# --- 2 東京都・東京都市部との比較 (02a) ---------------------------------------------------------
def area_names(data: PopulationData) -> dict[str, str]:
    """area code → the name used on the pages: 第7表 calls the prefecture 総数 and the 26 cities 市部."""
    names = data.tokyo.drop_duplicates("area_code").set_index("area_code")["area_name"].astype(str).str.strip()
    out = names.to_dict()
    out[data.settings.tokyo_code] = "東京都"
    out[data.settings.shibu_code] = "東京都市部"
    return out


def _reference_areas(data: PopulationData) -> list[tuple[str, str]]:
    names = area_names(data)
    return [(c, names[c]) for c in (data.params.city.area_code, data.settings.tokyo_code, data.settings.shibu_code)]


def _rate_series(s: pd.DataFrame, code: str, rate: str) -> pd.Series:
    return s[s["area_code"] == code].set_index("date")[rate]


def comparison_trend_table(data: PopulationData) -> AppendixTable:
    s = area_summary(data)
    areas = _reference_areas(data)
    cols: dict[str, object] = {"基準日": [label_date(d) for d in data.dates]}
    for rate, label in (("aging_rate", "高齢化率"), ("late_rate", "後期高齢者率")):
        for code, name in areas:
            series = _rate_series(s, code, rate)
            cols[f"{label}（{name}）"] = [series[d] for d in data.dates]
    frame = pd.DataFrame(cols)
    return AppendixTable(
        title="高齢化率・後期高齢者率の推移（" + "・".join(n for _, n in areas) + "）",
        frame=frame,
        unit="単位：％",
        source=source_tokyo(),
        notes=["東京都市部は都内26市の合計。総人口には年齢不詳を含む。", *_short_trend_note(data)],
        formats={c: "pct" for c in frame.columns if c != "基準日"},
    )


def comparison_text(data: PopulationData) -> str:
    s = area_summary(data)
    (city, city_name), (tokyo, tokyo_name), (shibu, shibu_name) = _reference_areas(data)
    first, last = data.dates[0], data.latest
    rate = {code: _rate_series(s, code, "aging_rate") for code in (city, tokyo, shibu)}
    c, t, sh = rate[city][last], rate[tokyo][last], rate[shibu][last]

    def rel(a: float, b: float) -> str:
        d = numbers.pct_diff(a, b)
        return "上回って" if d > 0 else "下回って" if d < 0 else "同じ水準となって"

    text = (
        f"{label_date(last)}現在の{city_name}の高齢化率は{pct(c)}で、{tokyo_name}（{pct(t)}）を{rel(c, t)}おり、"
        f"{shibu_name}（{pct(sh)}）を{rel(c, sh)}います。"
    )
    areas = ((city, city_name), (tokyo, tokyo_name), (shibu, shibu_name))
    moves = [f"{name}は{_rate_course(rate[code][first], rate[code][last], final=i == len(areas) - 1)}"
             for i, (code, name) in enumerate(areas)]
    text += f"{label_date(first)}からの推移をみると、" + "、".join(moves) + "。"
    return text


def comparison_figure(data: PopulationData) -> AppendixFigure:
    s = area_summary(data)
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(data.dates))
    markers = ("o", "s", "^")
    areas = _reference_areas(data)
    latest = {}
    for i, (code, name) in enumerate(areas):
        series = _rate_series(s, code, "aging_rate")
        y = [series[d] for d in data.dates]
        latest[code] = y[-1]
        ax.plot(x, y, marker=markers[i], color=PALETTE[i], label=name, linewidth=2.4 if i == 0 else 1.6)
        label_ends(ax, x, y, pct, color=PALETTE[i])
    ax.set_xticks(x, _tick_labels(data.dates))
    percent(ax, "y", decimals=0)
    plotted = s[s["area_code"].isin([c for c, _ in areas]) & s["date"].isin(data.dates)]["aging_rate"]
    lo, hi = plotted.min(), plotted.max()
    ax.set_ylim(lo - 0.01, hi + 0.015)
    ax.set_ylabel("高齢化率")
    ax.set_xlabel("各年1月1日")
    # legend from the highest line to the lowest on the latest date, as the lines are stacked
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(areas)), key=lambda i: -latest[areas[i][0]])
    ax.legend([handles[i] for i in order], [labels[i] for i in order], frameon=False, loc="upper left")
    shown = [areas[i] for i in order]
    return AppendixFigure(
        title="高齢化率の推移（" + "・".join(n for _, n in areas) + "）",
        figure=fig,
        alt=(
            f"{label_date(data.dates[0])}から{label_date(data.latest)}までの高齢化率の折れ線グラフ。"
            f"{label_date(data.latest)}の値の高い順に"
            + "、".join(f"{n}{pct(latest[c])}" for c, n in shown)
            + "。"
        ),
        source=source_tokyo(),
        notes=["東京都市部は都内26市の合計。", *_short_trend_note(data)],
    )
