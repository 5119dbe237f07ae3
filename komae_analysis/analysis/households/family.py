"""3 世帯構成: 一般世帯 by family type from the census (国勢調査 第10表), with the city's shares and
the comparison with 東京都市部 (the 26 市 summed) and 東京都.

Categories (all of 一般世帯, so that the top level is exhaustive): 単独世帯 (うち65歳以上), 核家族世帯
(夫婦のみ (うち夫65歳以上・妻60歳以上), 夫婦と子供, ひとり親と子供 = 男親と子供 + 女親と子供),
核家族以外の世帯, 非親族を含む世帯, 家族類型「不詳」. ひとり親と子供から成る世帯 counts parents
living with children of any age; it is not the census's 母子世帯・父子世帯 (children under 20, not
married), which 第10表 does not carry."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis.households.data import (
    CENSUS,
    HouseholdsData,
    compare_phrase,
    label_date,
    missing_sentence,
)
from komae_analysis.calendar import wareki_year
from komae_analysis.ingest.registry import citation
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure, percent
from komae_analysis.report.numbers import SHARE_NOTE, count, pct, shares_add_up
from komae_analysis.report.tables import AppendixTable

_WHAT = "世帯の家族類型"
_INDENT = "　"
#: (label, family type codes summed, indent level, is a top-level part of 一般世帯総数)
ROWS: tuple[tuple[str, tuple[str, ...], int, bool], ...] = (
    ("一般世帯総数", ("0",), 0, False),
    ("単独世帯", ("3",), 0, True),
    ("うち65歳以上の単独世帯", ("R3",), 1, False),
    ("核家族世帯", ("11",), 0, True),
    ("夫婦のみの世帯", ("111",), 1, False),
    ("うち夫65歳以上・妻60歳以上の夫婦のみの世帯", ("R2",), 2, False),
    ("夫婦と子供から成る世帯", ("112",), 1, False),
    ("ひとり親と子供から成る世帯", ("113", "114"), 1, False),
    ("男親と子供から成る世帯", ("113",), 2, False),
    ("女親と子供から成る世帯", ("114",), 2, False),
    ("核家族以外の世帯", ("12",), 0, True),
    ("非親族を含む世帯", ("2",), 0, True),
    ("家族類型「不詳」", ("4",), 0, True),
)
#: The comparison's columns: heading → codes summed.
COMPARED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("単独世帯", ("3",)),
    ("うち65歳以上の単独世帯", ("R3",)),
    ("夫婦のみの世帯", ("111",)),
    ("うち夫65歳以上・妻60歳以上の夫婦のみの世帯", ("R2",)),
    ("夫婦と子供から成る世帯", ("112",)),
    ("ひとり親と子供から成る世帯", ("113", "114")),
)
ONE_PARENT_NOTE = ("ひとり親と子供から成る世帯は、男親と子供から成る世帯と女親と子供から成る世帯の計（子供の年齢を問わない。"
                   "20歳未満の未婚の子供のいる母子世帯・父子世帯とは異なる）。")
GENERAL_NOTE = "一般世帯は、寮・寄宿舎の学生、病院・療養所の入院者、社会施設の入所者などの「施設等の世帯」を除いた世帯。"


def _census_year(data: HouseholdsData) -> str:
    assert data.census_date is not None
    return f"{wareki_year(data.census_date.year)}国勢調査"


def _source(data: HouseholdsData) -> str:
    assert data.census_date is not None
    return citation(CENSUS, f"{label_date(data.census_date)}現在")


def _value(row: pd.Series, codes: tuple[str, ...]) -> float:
    values = [row[c] for c in codes]
    return float("nan") if any(pd.isna(v) for v in values) else float(sum(int(v) for v in values))


def family_table(data: HouseholdsData) -> AppendixTable | str:
    if data.census.empty:
        return missing_sentence(_WHAT, CENSUS)
    row = data.census.loc[data.city_code]
    total = _value(row, ("0",))
    counts = [_value(row, codes) for _label, codes, _lvl, _top in ROWS]
    shares = [c / total for c in counts]
    frame = pd.DataFrame({
        "家族類型": [_INDENT * lvl + label for label, _c, lvl, _top in ROWS],
        "世帯数": pd.array([None if np.isnan(c) else int(c) for c in counts], dtype="Int64"),
        "構成比": shares,
    })
    tops = [s for s, (_l, _c, _lvl, top) in zip(shares, ROWS, strict=True) if top]
    notes = ["構成比は一般世帯総数に対する割合。「うち」の行は上の行の内数（再掲）。", ONE_PARENT_NOTE, GENERAL_NOTE]
    if not shares_add_up(tops):
        notes.append(SHARE_NOTE)
    return AppendixTable(
        title=f"世帯の家族類型別一般世帯数（{data.city_name}、{_census_year(data)}）",
        frame=frame,
        unit="単位：世帯、％",
        source=_source(data),
        notes=notes,
        formats={"構成比": "pct"},
        total_rows=[0],
    )


def _areas(data: HouseholdsData) -> list[tuple[str, str]]:
    """(code, printed name) of the compared areas present: the city, 東京都市部, 東京都."""
    names = {data.city_code: data.city_name, "13200": "東京都市部", "13000": "東京都"}
    return [(code, names[code]) for code in names if code in data.census.index]


def _shares(data: HouseholdsData, code: str) -> dict[str, float]:
    row = data.census.loc[code]
    total = _value(row, ("0",))
    return {head: _value(row, codes) / total for head, codes in COMPARED}


def family_comparison_table(data: HouseholdsData) -> AppendixTable | str:
    if data.census.empty:
        return missing_sentence("東京都市部・東京都との世帯構成の比較", CENSUS)
    areas = _areas(data)
    frame = pd.DataFrame({
        "地域": [name for _c, name in areas],
        "一般世帯数": pd.array([int(_value(data.census.loc[c], ("0",))) for c, _n in areas], dtype="Int64"),
        **{head: [_shares(data, c)[head] for c, _n in areas] for head, _codes in COMPARED},
    })
    notes = ["一般世帯総数に対する割合。東京都市部は都内26市の計。", ONE_PARENT_NOTE]
    if "13200" not in data.census.index:
        notes.append("東京都市部は、26市の一部が国勢調査の表にないため掲載していない。")
    return AppendixTable(
        title=f"世帯の家族類型別の割合（{'・'.join(n for _c, n in areas)}、{_census_year(data)}）",
        frame=frame,
        unit="単位：世帯、％",
        source=_source(data),
        notes=notes,
        formats={head: "pct" for head, _codes in COMPARED},
        highlight_rows=[0],
    )


def family_text(data: HouseholdsData) -> str:
    if data.census.empty:
        return ""
    row = data.census.loc[data.city_code]
    total = _value(row, ("0",))

    def part(codes: tuple[str, ...]) -> str:
        n = _value(row, codes)
        return f"{count(n, '世帯')}（{pct(n / total)}）"

    text = (f"{_census_year(data)}（{label_date(data.census_date)}現在）によると、{data.city_name}の一般世帯"
            f"{count(total, '世帯')}のうち、単独世帯は{part(('3',))}、核家族世帯は{part(('11',))}です。"
            f"高齢者のみの世帯をみると、65歳以上の単独世帯が{part(('R3',))}、夫65歳以上・妻60歳以上の夫婦のみの世帯が"
            f"{part(('R2',))}あります。ひとり親と子供から成る世帯は{part(('113', '114'))}です。")
    others = [(c, n) for c, n in _areas(data) if c != data.city_code]
    if others:
        city = _shares(data, data.city_code)
        for head, subject in (("単独世帯", "単独世帯"), ("うち65歳以上の単独世帯", "65歳以上の単独世帯"),
                              ("うち夫65歳以上・妻60歳以上の夫婦のみの世帯", "夫65歳以上・妻60歳以上の夫婦のみの世帯")):
            text += (f"{subject}の割合は、"
                     + compare_phrase(city[head], [(name, _shares(data, c)[head]) for c, name in others], pct) + "。")
    return text


def family_figure(data: HouseholdsData) -> AppendixFigure | str:
    if data.census.empty:
        return ""
    areas = _areas(data)
    heads = [h for h, _c in COMPARED]
    fig = new_figure(8, 5.2)
    ax = fig.add_subplot()
    y = np.arange(len(heads))
    height = 0.8 / len(areas)
    for i, (code, name) in enumerate(areas):
        values = [_shares(data, code)[h] for h in heads]
        pos = y + (i - (len(areas) - 1) / 2) * height
        ax.barh(pos, values, height=height, color=PALETTE[i], label=name)
        for p, v in zip(pos, values, strict=True):
            ax.text(v, p, f" {pct(v, '')}", va="center", fontsize=7.5)
    ax.set_yticks(y, [h.replace("うち夫65歳以上・妻60歳以上の", "うち高齢の") for h in heads])
    ax.invert_yaxis()
    percent(ax, "x", decimals=0)
    ax.set_xlim(0, max(_shares(data, c)[heads[0]] for c, _n in areas) * 1.15)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("一般世帯総数に対する割合")
    ax.legend(loc="lower right", frameon=False)
    city = _shares(data, data.city_code)
    return AppendixFigure(
        title=f"世帯の家族類型別の割合（{'・'.join(n for _c, n in areas)}、{_census_year(data)}）",
        figure=fig,
        alt=(f"家族類型ごとに{'・'.join(n for _c, n in areas)}の割合を並べた横棒グラフ（上から" + "、".join(heads)
             + f"）。{data.city_name}は単独世帯{pct(city['単独世帯'])}、65歳以上の単独世帯{pct(city['うち65歳以上の単独世帯'])}。"),
        source=_source(data),
        notes=["「うち高齢の夫婦のみの世帯」は夫65歳以上・妻60歳以上の夫婦のみの世帯。東京都市部は都内26市の計。"],
    )
