"""近隣・類似自治体との比較 and the 26市 ranking (section 02b, part 3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis import reference
from komae_analysis.analysis.population.data import (
    PopulationData,
    area_summary,
    label_date,
    source_tokyo,
)
from komae_analysis.analysis.population.trend import (
    area_names,
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


# --- 3 近隣・類似自治体との比較 (02b) -----------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """The comparison municipalities chosen by the rule in the parameters, and why."""

    codes: tuple[str, ...]  # in table order: adjacent, similar size, similar 高齢化率
    reasons: dict[str, str]  # code → 隣接 / 人口規模 / 高齢化率
    shibu_codes: tuple[str, ...]  # the 東京都市部 cities found in 第7表 (the ranking's population)
    shibu_missing: tuple[str, ...]  # names of 東京都市部 cities not in 第7表
    adjacent_missing: tuple[str, ...] = ()  # names of adjacent municipalities not in 第7表


def _latest_areas(data: PopulationData) -> pd.DataFrame:
    s = area_summary(data)
    return s[s["date"] == data.latest].set_index("area_code")


def comparison_municipalities(data: PopulationData) -> Comparison:
    """Apply the rule of :class:`PopulationParams` to the latest 第7表."""
    now = _latest_areas(data)
    st = data.settings
    city = data.params.city.area_code
    shibu = [a for a in reference.shibu_cities()]
    present = tuple(a.code for a in shibu if a.code in now.index)
    missing = tuple(a.name for a in shibu if a.code not in now.index)
    reasons: dict[str, str] = {}
    for code in st.adjacent_codes:
        if code in now.index:
            reasons[code] = "隣接"
    adjacent_missing = tuple(_reference_name(c) for c in st.adjacent_codes if c not in now.index)
    base = now.loc[city, "total"]
    candidates = [c for c in present if c != city]
    similar_size = sorted(
        (c for c in candidates if abs(now.loc[c, "total"] / base - 1) <= st.similar_population_band),
        key=lambda c: abs(now.loc[c, "total"] - base),
    )
    for code in similar_size:
        reasons.setdefault(code, "人口規模")
    rate = now.loc[city, "aging_rate"]
    nearest = sorted((c for c in candidates if c not in reasons),
                     key=lambda c: (abs(now.loc[c, "aging_rate"] - rate), c))
    for code in nearest[: st.similar_aging_count]:
        reasons[code] = "高齢化率"
    return Comparison(tuple(reasons), reasons, present, missing, adjacent_missing)


def _reference_name(code: str) -> str:
    area = reference.tokyo_areas().get(code)
    return area.name if area else code


def _rule_note(data: PopulationData, cmp: Comparison) -> str:
    st = data.settings
    names = {**{c: _reference_name(c) for c in st.adjacent_codes}, **area_names(data)}
    adjacent = "・".join(names[c] for c in st.adjacent_codes)
    band = numbers.dec(st.similar_population_band * 100, 0)
    text = f"比較自治体は、隣接する{adjacent}"
    if st.adjacent_outside:
        text += f"（同じく隣接する{'・'.join(st.adjacent_outside)}は東京都の統計に含まれないため除く）"
    text += f"、東京都市部のうち総人口が{data.city_name}の±{band}％以内の市"
    if st.similar_aging_count:
        text += f"、それ以外で高齢化率が{data.city_name}に最も近い{st.similar_aging_count}市"
    return text + "。東京都・東京都市部は参考。"


def _rank_heading(cmp: Comparison) -> str:
    return f"高齢化率の順位（東京都市部{len(cmp.shibu_codes)}市中）"


def _shibu_ranks(data: PopulationData, cmp: Comparison) -> pd.Series:
    now = _latest_areas(data)
    return now.loc[list(cmp.shibu_codes), "aging_rate"].rank(ascending=False, method="min").astype("int64")


def _missing_note(cmp: Comparison) -> list[str]:
    if not cmp.shibu_missing:
        return []
    return [f"東京都 第7表のデータに{'・'.join(cmp.shibu_missing)}がないため、"
            f"東京都市部の{len(cmp.shibu_codes)}市で順位を付けている。"]


def _adjacent_missing_note(cmp: Comparison) -> list[str]:
    if not cmp.adjacent_missing:
        return []
    return [f"{'・'.join(cmp.adjacent_missing)}は東京都 第7表のデータにないため掲載していない。"]


def ranking_table(data: PopulationData) -> AppendixTable:
    """The comparison municipalities (rule in the parameters, stated in the 注) and 東京都・東京都市部."""
    s = area_summary(data)
    now = s[s["date"] == data.latest].set_index("area_code")
    then = s[s["date"] == data.compare].set_index("area_code")
    cmp = comparison_municipalities(data)
    city = data.params.city.area_code
    ranks = _shibu_ranks(data, cmp)
    codes = [city, *cmp.codes, data.settings.tokyo_code, data.settings.shibu_code]
    names = area_names(data)
    names[data.settings.shibu_code] = "東京都市部（26市）"
    reasons = {city: "", **cmp.reasons, data.settings.tokyo_code: "参考", data.settings.shibu_code: "参考"}
    years = data.settings.pyramid_compare_years
    growth_col = f"{years}年間の人口増減率"
    frame = pd.DataFrame(
        {
            "自治体": [names[c] for c in codes],
            "選定の理由": [reasons[c] for c in codes],
            "総人口": [int(now.loc[c, "total"]) for c in codes],
            growth_col: [now.loc[c, "total"] / then.loc[c, "total"] - 1 for c in codes],
            "年少人口割合": [now.loc[c, "young_rate"] for c in codes],
            "高齢化率": [now.loc[c, "aging_rate"] for c in codes],
            "後期高齢者率": [now.loc[c, "late_rate"] for c in codes],
            _rank_heading(cmp): pd.array([ranks.get(c, pd.NA) for c in codes], dtype="Int64"),
        }
    )
    return AppendixTable(
        title=f"近隣・類似自治体との比較（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％、位",
        source=source_tokyo(),
        notes=[
            _rule_note(data, cmp),
            f"人口増減率は{label_date(data.compare)}からの増減率。順位は東京都市部の市の中での高齢化率の高い順"
            "（四捨五入する前の値による。東京都市部でない自治体は「－」）。",
            *_adjacent_missing_note(cmp),
            *_missing_note(cmp),
        ],
        formats={growth_col: "pct", "年少人口割合": "pct", "高齢化率": "pct", "後期高齢者率": "pct",
                 _rank_heading(cmp): "int"},
    )


def ranking_text(data: PopulationData) -> str:
    cmp = comparison_municipalities(data)
    now = _latest_areas(data)
    ranks = _shibu_ranks(data, cmp)
    names = area_names(data)
    city = data.params.city.area_code
    chosen = [c for c in cmp.codes if c in now.index]
    higher = [names[c] for c in chosen if numbers.pct_diff(now.loc[c, "aging_rate"], now.loc[city, "aging_rate"]) > 0]
    text = (f"東京都市部の市の中で、{data.city_name}の高齢化率（{pct(now.loc[city, 'aging_rate'])}）は"
            f"高い方から{int(ranks[city])}番目です。")
    top = ranks.idxmin()
    text += f"最も高いのは{names[top]}（{pct(now.loc[top, 'aging_rate'])}）です。"
    if higher:
        text += f"比較した自治体のうち、{data.city_name}より高齢化率が高いのは{'・'.join(higher)}です。"
    else:
        text += f"比較した自治体の中では、{data.city_name}の高齢化率が最も高くなっています。"
    return text


def shibu_ranking_table(data: PopulationData) -> AppendixTable:
    """The 東京都市部 cities by 高齢化率 (highest first), the city's row emphasised."""
    cmp = comparison_municipalities(data)
    now = _latest_areas(data).loc[list(cmp.shibu_codes)]
    ranks = _shibu_ranks(data, cmp)
    order = sorted(cmp.shibu_codes, key=lambda c: (ranks[c], c))
    names = area_names(data)
    frame = pd.DataFrame(
        {
            "順位": [int(ranks[c]) for c in order],
            "市": [names[c] for c in order],
            "総人口": [int(now.loc[c, "total"]) for c in order],
            "高齢化率": [now.loc[c, "aging_rate"] for c in order],
            "後期高齢者率": [now.loc[c, "late_rate"] for c in order],
        }
    )
    city_row = order.index(data.params.city.area_code)
    return AppendixTable(
        title=f"東京都市部の高齢化率の順位（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：位、人、％",
        source=source_tokyo(),
        notes=[f"高齢化率の高い順（順位は四捨五入する前の値による）。{data.city_name}の行を強調している。",
               *_missing_note(cmp)],
        formats={"順位": "int", "高齢化率": "pct", "後期高齢者率": "pct"},
        highlight_rows=[city_row],
    )


def shibu_ranking_figure(data: PopulationData) -> AppendixFigure:
    cmp = comparison_municipalities(data)
    now = _latest_areas(data)
    ranks = _shibu_ranks(data, cmp)
    order = sorted(cmp.shibu_codes, key=lambda c: (ranks[c], c))
    names = area_names(data)
    city = data.params.city.area_code
    shibu_rate = now.loc[data.settings.shibu_code, "aging_rate"]
    fig = new_figure(8, max(4.0, 0.28 * len(order) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(order))[::-1]  # the highest at the top
    rates = [now.loc[c, "aging_rate"] for c in order]
    colors = [PALETTE[3] if c == city else "#9a9a9a" for c in order]
    ax.barh(y, rates, color=colors, height=0.7)
    ax.set_yticks(y, [names[c] for c in order])
    for yy, c, r in zip(y, order, rates, strict=True):
        if c == city:
            ax.text(r, yy, f" {pct(r)}（{int(ranks[c])}位）", va="center", fontsize=9, color=PALETTE[3])
    ax.axvline(shibu_rate, color="#222222", linestyle="--", linewidth=1)
    ax.text(shibu_rate, y[0] + 0.6, f" 東京都市部 {pct(shibu_rate)}", va="bottom", fontsize=9)
    ax.set_ylim(-0.7, len(order) - 0.1)
    percent(ax, "x", decimals=0)
    ax.set_xlim(0, max(rates) * 1.18)
    ax.set_xlabel("高齢化率")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    return AppendixFigure(
        title=f"東京都市部の高齢化率（{label_date(data.latest)}現在）",
        figure=fig,
        alt=(
            f"東京都市部の{len(order)}市の高齢化率を、上から高い順に並べた横棒グラフ。最も高いのは"
            f"{names[order[0]]}の{pct(rates[0])}、最も低いのは{names[order[-1]]}の{pct(rates[-1])}。"
            f"{data.city_name}（強調した棒）は{pct(now.loc[city, 'aging_rate'])}で{int(ranks[city])}位。"
            f"破線は東京都市部全体の{pct(shibu_rate)}。"
        ),
        source=source_tokyo(),
        notes=_missing_note(cmp),
    )
