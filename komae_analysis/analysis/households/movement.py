"""2 人口動態: 自然増減 (出生・死亡) and 社会増減 (転入・転出) by year, from 東京都「人口の動き」第1表.

社会増減 here is the city's net migration as a municipality sees it: 他県との移動 and 都内の区市町村
間の移動 together (第1表 calls only the first 社会増減). その他の増減 (出入国, 職権 …) stays apart, so
that 人口増減＝自然増減＋社会増減＋その他の増減 on every row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.households.data import (
    MOVEMENT,
    HouseholdsData,
    label_year,
    missing_sentence,
    short_year,
)
from komae_analysis.ingest.registry import citation
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure, thousands
from komae_analysis.report.numbers import count, format_value
from komae_analysis.report.tables import AppendixTable

_WHAT = "人口動態（出生・死亡、転入・転出）の推移"
NOTES = (
    "自然増減＝出生数－死亡数。転入数・転出数は他県との移動と都内の区市町村間の移動の計で、社会増減＝転入数－転出数。",
    "その他の増減は、国外との転出入（出入国）や職権による住民票の記載・消除など。人口増減＝自然増減＋社会増減＋その他の増減。",
    "東京都の人口（推計）（国勢調査人口を基準に、毎月の住民基本台帳の増減を加えた推計人口）の増減。"
    "住民基本台帳の人口とは基準が異なり、増減が一致しない年がある。",
)


def _source() -> str:
    return citation(MOVEMENT, "各年1月1日～12月31日")


def _short_note(data: HouseholdsData) -> list[str]:
    n = len(data.movement)
    if n >= data.settings.movement_years:
        return []
    first = int(data.movement["year"].iloc[0])
    return [f"{label_year(first)}より前のデータがないため、{n}年を掲載。"]


def movement_table(data: HouseholdsData) -> AppendixTable | str:
    m = data.movement
    if m.empty:
        return missing_sentence(_WHAT, MOVEMENT)
    frame = pd.DataFrame({
        "年": [label_year(y) for y in m["year"]],
        "出生数": m["births"].astype("Int64"),
        "死亡数": m["deaths"].astype("Int64"),
        "自然増減": m["natural"].astype("Int64"),
        "転入数": m["in_total"].astype("Int64"),
        "転出数": m["out_total"].astype("Int64"),
        "社会増減": m["social_total"].astype("Int64"),
        "その他の増減": m["other"].astype("Int64"),
        "人口増減": m["change"].astype("Int64"),
    })
    return AppendixTable(
        title=f"人口動態の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人",
        source=_source(),
        notes=[*NOTES, *_short_note(data)],
        formats={c: "int" for c in frame.columns if c != "年"},
    )


def _people(x: float) -> str:
    return count(abs(x), "人")


def _move(then: float, now: float) -> str:
    return "増加" if now > then else "減少" if now < then else "横ばいで推移"


def _natural_phrase(nat: pd.Series) -> str:
    years = list(nat.index)
    first, last = years[0], years[-1]
    neg = [y for y in years if nat[y] < 0]
    if len(neg) == len(years):
        return (f"自然増減は、{label_year(first)}から{label_year(last)}まで毎年、死亡数が出生数を上回る"
                "「自然減」となっています。")
    if not neg:
        return f"自然増減は、{label_year(first)}から{label_year(last)}まで毎年、出生数が死亡数を上回る「自然増」です。"
    # the year the series turned from 自然増 to 自然減 for good, if it did
    tail = 0
    for y in reversed(years):
        if nat[y] >= 0:
            break
        tail += 1
    if tail and tail < len(years):
        start = years[len(years) - tail]
        streak = f"{tail}年連続で" if tail >= 2 else ""
        return (f"自然増減は、{label_year(start)}に自然増から自然減に転じ、{label_year(last)}まで{streak}"
                "死亡数が出生数を上回る「自然減」となっています。")
    return f"自然増減は、{len(years)}年のうち{len(neg)}年が自然減（死亡数が出生数を上回る）となっています。"


def movement_text(data: HouseholdsData) -> str:
    """自然増減 (its sign over the years and the turn to 自然減, births and deaths first to last, the
    largest decrease), 社会増減 (sign, its largest year), and how the total changed lately."""
    m = data.movement
    if m.empty:
        return ""
    s = m.set_index("year")
    years = list(s.index)
    first, last = years[0], years[-1]
    nat = s["natural"].astype("float64")
    births, deaths = s["births"].astype("float64"), s["deaths"].astype("float64")
    text = _natural_phrase(nat)
    text += (f"{label_year(last)}は出生数{_people(births[last])}、死亡数{_people(deaths[last])}で、"
             f"{_people(nat[last])}の自然{'減' if nat[last] < 0 else '増'}でした。")
    if len(years) > 1:
        text += (f"{label_year(first)}からの推移をみると、死亡数は{_people(deaths[first])}から{_people(deaths[last])}に"
                 f"{_move(deaths[first], deaths[last])}し、出生数は{_people(births[first])}から"
                 f"{_people(births[last])}に{_move(births[first], births[last])}しています。")
        low = trends.trough(nat)
        if low.value < 0 and low.is_latest:
            text += f"自然減の幅は{label_year(last)}が最も大きくなっています。"
        elif low.value < 0:
            text += f"自然減の幅が最も大きかったのは{label_year(low.at)}（{_people(low.value)}）です。"
    text += _social_phrase(s)
    text += _total_phrase(s)
    return text


def _social_phrase(s: pd.DataFrame) -> str:
    soc = s["social_total"].astype("float64")
    years = list(soc.index)
    last = years[-1]
    positive = [y for y in years if soc[y] > 0]
    if len(positive) == len(years):
        text = "社会増減は、毎年、転入数が転出数を上回る「社会増（転入超過）」"
    elif not positive:
        text = "社会増減は、毎年、転出数が転入数を上回る「社会減（転出超過）」"
    else:
        text = f"社会増減は、{len(years)}年のうち{len(positive)}年が社会増（転入超過）"
    high = trends.peak(soc)
    if high.value > 0:
        text += f"で、最も多かったのは{label_year(high.at)}の{_people(high.value)}の社会増です。"
    else:
        text += "です。"
    if high.at != last:
        kind = "社会増" if soc[last] > 0 else "社会減" if soc[last] < 0 else "転入と転出が同数"
        amount = f"{_people(soc[last])}の" if soc[last] != 0 else ""
        text += f"{label_year(last)}は{amount}{kind}でした。"
    return text


def _total_phrase(s: pd.DataFrame) -> str:
    change = s["change"].astype("float64")
    years = list(change.index)
    tail = 0
    for y in reversed(years):
        if change[y] >= 0:
            break
        tail += 1
    if tail < 2:
        return ""
    start = years[len(years) - tail]
    recent = s.loc[start:]
    if (recent["natural"] < 0).all() and (recent["social_total"] > 0).all():
        return (f"人口増減は、{label_year(start)}から{tail}年連続で減少しており、自然減を社会増で補いきれない状況が"
                "続いています。")
    return f"人口増減は、{label_year(start)}から{tail}年連続で減少しています。"


def movement_figure(data: HouseholdsData) -> AppendixFigure | str:
    m = data.movement
    if m.empty:
        return ""
    years = m["year"].astype(int).to_numpy()
    x = np.arange(len(years))
    fig = new_figure(8, 4.4)
    ax = fig.add_subplot()
    bars = (("自然増減", "natural", PALETTE[3]), ("社会増減", "social_total", PALETTE[0]),
            ("その他の増減", "other", "#aaaaaa"))
    width = 0.26
    for i, (label, col, color) in enumerate(bars):
        ax.bar(x + (i - 1) * width, m[col].astype("float64"), width=width, color=color, label=label)
    ax.plot(x, m["change"].astype("float64"), color="#222222", marker="o", linewidth=1.8, label="人口増減")
    ax.axhline(0, color="#444444", linewidth=0.8)
    thousands(ax, "y")
    ax.set_xticks(x, [short_year(y) for y in years])
    ax.set_ylabel("人")
    ax.set_xlabel("各年1月～12月")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    last = m.iloc[-1]
    return AppendixFigure(
        title=f"自然増減・社会増減・人口増減の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{label_year(int(years[0]))}から{label_year(int(years[-1]))}までの各年の自然増減・社会増減・その他の増減の"
             f"棒グラフ（左から順）と、人口増減の折れ線グラフ。{label_year(int(years[-1]))}は自然増減"
             f"{format_value(last['natural'], 'int')}人、社会増減{format_value(last['social_total'], 'int')}人、"
             f"人口増減{format_value(last['change'], 'int')}人。"),
        source=_source(),
        notes=["社会増減は他県との移動と都内の区市町村間の移動の計。", *_short_note(data)],
    )
