"""第1節 第2款（9）再犯防止: 刑法犯検挙者・再犯者・再犯者率 (調布警察署管内, 東京都, 全国), by 罪種 and
年齢層, and the people of 更生保護 (保護司, 協力雇用主, 社会を明るくする運動).

狛江市 has no police station of its own: the city is in 調布警察署's area, so the local figures
法務省 provides are 調布警察署管内 figures (調布市 and 狛江市 together). Every table and figure of the
local figures says so in its title or 注, and so does the commentary.

Definitions (docs/domain.md, 「再犯防止」):

- 再犯者 = a person arrested for a 刑法犯 who had been arrested before for an offence other than a
  道路交通法 violation; 再犯者率 = 再犯者数 ÷ 刑法犯検挙者数; 初犯者数 = 検挙者数 − 再犯者数.
- 罪種 are the police's 包括罪種: 凶悪犯, 粗暴犯, 窃盗犯, 知能犯, 風俗犯, その他 (their sum is 総数);
  年齢層 14～19歳 (少年) … 65歳以上 (their sum is 総数).
- 保護司 充足率 = 実数 ÷ 定数.

A run for fiscal year N shows the calendar years up to N − 1 that the 法務省 table holds (at most
``trend_years``) and the fiscal years up to N − 1 of the 更生保護 workbook (at most ``rehab_years``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.yearly import (
    count_fmt,
    course,
    fy_label,
    fy_ticks,
    last_periods,
    relation,
    short_note,
    year_label,
    year_ticks,
)
from komae_analysis.ingest.recidivism import AGES, CRIMES
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params
from komae_analysis.report import numbers
from komae_analysis.report.charts import PALETTE, AppendixFigure, label_ends, new_figure, percent, right_axis
from komae_analysis.report.numbers import SHARE_NOTE, pct, shares_add_up
from komae_analysis.report.tables import AppendixTable

MOJ = "moj_recidivism"
REHAB = "rehabilitation_stats"
TOTAL = "総数"
MISSING_TEXT = "のデータがないため、この表は作成していません。"


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RecidivismParams:
    """The ``recidivism:`` block of the run parameters."""

    trend_years: int  # calendar years in the 検挙者・再犯者 tables
    station: str  # the police station whose area holds the city (as the 法務省 table names it)
    station_municipalities: tuple[str, ...]  # the municipalities of that area (for the 注)
    prefecture: str  # 東京都, as the 法務省 table names it
    national: str  # 全国
    rehab_years: int  # fiscal years in the 更生保護 table
    flat_points: float  # a 再犯者率 move within this many points reads as 横ばい

    def check(self) -> str | None:
        if self.trend_years < 2 or self.rehab_years < 2:
            return "trend_years と rehab_years は2以上です"
        if not self.station.strip() or not self.station_municipalities:
            return "station と station_municipalities を書いてください"
        if not 0 <= self.flat_points < 5:
            return f"flat_points は0以上5未満のポイント数です（実際: {self.flat_points}）"
        return None


PARAMS = RecidivismParams


# --- the section's data ---------------------------------------------------------------------
@dataclass(frozen=True)
class RecidivismData:
    params: Params
    settings: RecidivismParams
    years: tuple[int, ...]  # calendar years shown
    moj: pd.DataFrame  # area, breakdown, category, year, arrested, repeat (shown years)
    rehab_years: tuple[int, ...]
    rehab: pd.DataFrame  # topic, item, unit, fiscal_year, value (shown years)

    @property
    def city_name(self) -> str:
        return self.params.city.name

    @property
    def station_area(self) -> str:
        """調布警察署管内"""
        return f"{self.settings.station}管内"

    @property
    def latest(self) -> int:
        return self.years[-1]

    def areas(self) -> list[str]:
        """The station, the prefecture and the nation, those the table holds, in that order."""
        present = set(self.moj["area"])
        s = self.settings
        return [a for a in (s.station, s.prefecture, s.national) if a in present]

    def series(self, area: str, breakdown: str, category: str, column: str) -> pd.Series:
        rows = self.moj[(self.moj["area"] == area) & (self.moj["breakdown"] == breakdown)
                        & (self.moj["category"] == category)]
        return rows.set_index("year")[column].astype("Float64").reindex(list(self.years))

    def rehab_item(self, topic: str, item: str) -> pd.Series:
        rows = self.rehab[(self.rehab["topic"] == topic) & (self.rehab["item"] == item)]
        return rows.set_index("fiscal_year")["value"].astype("Float64").reindex(list(self.rehab_years))


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> RecidivismData:
    settings = params.topic(RecidivismParams)
    last = params.fiscal_year - 1
    moj = inputs[MOJ]
    station_years = moj.loc[moj["area"] == settings.station, "year"]
    years = last_periods(station_years, last, settings.trend_years)
    moj = moj[moj["year"].isin(years)].reset_index(drop=True)
    rehab = inputs[REHAB]
    rehab_years = last_periods(rehab["fiscal_year"], last, settings.rehab_years)
    rehab = rehab[rehab["fiscal_year"].isin(rehab_years)].reset_index(drop=True)
    return RecidivismData(params, settings, years, moj, rehab_years, rehab)


def _rate(repeat: pd.Series, arrested: pd.Series) -> pd.Series:
    return (repeat / arrested.where(arrested > 0)).astype("Float64")


def _missing(what: str) -> str:
    return f"{what}{MISSING_TEXT}"


def source_moj() -> str:
    return citation(MOJ, "各年")


def _station_note(data: RecidivismData) -> str:
    s = data.settings
    return (f"{data.city_name}には警察署がなく、市内は{s.station}の管轄。{data.station_area}の値は、"
            f"{'と'.join(s.station_municipalities)}を合わせた区域で{s.station}が検挙した者の数。")


DEFINITION_NOTE = ("再犯者は、刑法犯で検挙された者のうち、前に道路交通法違反を除く犯罪により検挙されたことがある者。"
                   "再犯者率＝再犯者数÷刑法犯検挙者数。")


def _short(data: RecidivismData) -> list[str]:
    return short_note(data.years, data.settings.trend_years, year_label)


# --- 1 検挙者・再犯者・再犯者率の推移 ----------------------------------------------------------------
def trend_frame(data: RecidivismData) -> pd.DataFrame:
    s = data.settings
    arrested = data.series(s.station, "罪種", TOTAL, "arrested")
    repeat = data.series(s.station, "罪種", TOTAL, "repeat")
    frame = pd.DataFrame({
        "年": [year_label(y) for y in data.years],
        "刑法犯検挙者数": arrested.astype("Int64").to_numpy(),
        "うち再犯者数": repeat.astype("Int64").to_numpy(),
        "初犯者数": (arrested - repeat).astype("Int64").to_numpy(),
        f"再犯者率（{data.station_area}）": _rate(repeat, arrested).to_numpy(),
    })
    for area in (s.prefecture, s.national):
        if area in data.areas():
            frame[f"再犯者率（{area}）"] = _rate(data.series(area, "罪種", TOTAL, "repeat"),
                                            data.series(area, "罪種", TOTAL, "arrested")).to_numpy()
    return frame


def trend_table(data: RecidivismData) -> AppendixTable | str:
    if not data.years:
        return _missing("刑法犯検挙者数・再犯者数")
    frame = trend_frame(data)
    return AppendixTable(
        title=f"刑法犯検挙者数・再犯者数・再犯者率の推移（{data.station_area}、東京都・全国との比較）",
        frame=frame,
        unit="単位：人、％",
        source=source_moj(),
        notes=[_station_note(data), DEFINITION_NOTE, "初犯者数＝刑法犯検挙者数－再犯者数。", *_short(data)],
        formats={**{c: "int" for c in ("刑法犯検挙者数", "うち再犯者数", "初犯者数")},
                 **{c: "pct" for c in frame.columns if c.startswith("再犯者率")}},
    )


def trend_figure(data: RecidivismData) -> AppendixFigure | str:
    if not data.years:
        return ""
    f = trend_frame(data)
    x = np.arange(len(data.years))
    fig = new_figure(8, 4.6)
    ax = fig.add_subplot()
    first = f["初犯者数"].astype(float).to_numpy()
    repeat = f["うち再犯者数"].astype(float).to_numpy()
    ax.bar(x, first, width=0.6, color=PALETTE[4], label=f"初犯者数（{data.station_area}）")
    ax.bar(x, repeat, width=0.6, bottom=first, color=PALETTE[0], label=f"再犯者数（{data.station_area}）")
    ax.set_ylim(0, float((first + repeat).max()) * 1.9)
    ax.set_ylabel("検挙者数（人）")
    ax2 = right_axis(ax)
    rates = [c for c in f.columns if c.startswith("再犯者率")]
    styles = (("o", PALETTE[3], 2.4), ("s", PALETTE[1], 1.6), ("^", PALETTE[7], 1.6))
    for col, (marker, color, width) in zip(rates, styles, strict=False):
        y = f[col].astype(float).to_numpy()
        ax2.plot(x, y, marker=marker, color=color, linewidth=width, label=col + "（右目盛）")
    label_ends(ax2, x, f[rates[0]].astype(float).to_numpy(), pct, color=PALETTE[3])
    values = f[rates].astype(float).to_numpy()
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    span = max(hi - lo, 0.02)
    ax2.set_ylim(lo - 1.4 * span, hi + 0.35 * span)
    percent(ax2, "y", decimals=0)
    ax2.set_ylabel("再犯者率")
    ax.set_xticks(x, year_ticks(data.years))
    ax.set_xlabel("年")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h2 + h1[::-1], l2 + l1[::-1], loc="upper left", bbox_to_anchor=(1.1, 1.0), frameon=False)
    station_rate = f[rates[0]].astype(float)
    return AppendixFigure(
        title=f"刑法犯検挙者数（初犯者・再犯者）と再犯者率の推移（{data.station_area}、東京都・全国との比較）",
        figure=fig,
        alt=(f"{year_label(data.years[0])}から{year_label(data.latest)}までの{data.station_area}の刑法犯検挙者数を、"
             f"下から初犯者数・再犯者数の順に積み上げた棒グラフと、{'・'.join(c.removeprefix('再犯者率') for c in rates)}"
             f"の再犯者率の折れ線グラフ（右目盛）。{data.station_area}の再犯者率は{pct(station_rate.iloc[0])}から"
             f"{pct(station_rate.iloc[-1])}。"),
        source=source_moj(),
        notes=[_station_note(data)],
    )


def trend_text(data: RecidivismData) -> str:
    if not data.years:
        return ""
    s = data.settings
    f = trend_frame(data).assign(year=list(data.years)).set_index("year")
    area = data.station_area
    station_col = f"再犯者率（{area}）"
    text = (f"{data.city_name}には警察署がなく、市内は{s.station}が管轄しているため、"
            f"ここでは{'と'.join(s.station_municipalities)}を合わせた{area}の値を示します。")
    arrested = f["刑法犯検挙者数"].astype(float)
    text += course(arrested, name=f"{area}の刑法犯検挙者数", when=year_label, fmt=count_fmt("人"), step="年",
                   tolerance=float(arrested.max()) * 0.01)
    rate = f[station_col].astype(float)
    text += course(rate, name="再犯者率", when=year_label, fmt=pct, step="年", tolerance=s.flat_points / 100,
                   up="上昇", down="低下")
    last = data.latest
    others = [(a, f[f"再犯者率（{a}）"]) for a in (s.prefecture, s.national) if f"再犯者率（{a}）" in f.columns]
    if others:
        parts = [f"{a}（{pct(v[last])}）を{relation(rate[last], v[last], pct)}" for a, v in others if pd.notna(v[last])]
        if parts:
            text += f"{year_label(last)}の{area}の再犯者率は、" + "、".join(parts[:-1])
            text += ("おり、" if len(parts) > 1 else "") + parts[-1] + "います。"
    text += "検挙者のおよそ半数が再犯者であり、立ち直りを地域で支える取組が重要です。" if (
        pd.notna(rate[last]) and rate[last] >= 0.4) else ""
    return text


# --- 2 罪種別 ---------------------------------------------------------------------------------
def _breakdown_trend(data: RecidivismData, breakdown: str, categories: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({"年": [year_label(y) for y in data.years]})
    for cat in categories:
        frame[cat] = data.series(data.settings.station, breakdown, cat, "repeat").astype("Int64").to_numpy()
    return frame


def crime_trend_table(data: RecidivismData) -> AppendixTable | str:
    if not data.years:
        return _missing("罪種別の再犯者数")
    frame = _breakdown_trend(data, "罪種", CRIMES)
    return AppendixTable(
        title=f"罪種別の再犯者数の推移（{data.station_area}）",
        frame=frame,
        unit="単位：人",
        source=source_moj(),
        notes=[_station_note(data), "凶悪犯は殺人・強盗・放火・不同意性交等、粗暴犯は暴行・傷害・脅迫・恐喝等、"
               "知能犯は詐欺・横領・偽造等、風俗犯は賭博・不同意わいせつ等。総数は各罪種の計。", *_short(data)],
        formats={c: "int" for c in frame.columns if c != "年"},
    )


def _latest_frame(data: RecidivismData, breakdown: str, categories: tuple[str, ...], label: str) -> pd.DataFrame:
    s = data.settings
    y = data.latest
    order = [*categories[1:], categories[0]]  # parts first, 総数 last (the total row)

    def at(area: str, cat: str, column: str) -> float:
        return data.series(area, breakdown, cat, column)[y]

    arrested = [at(s.station, c, "arrested") for c in order]
    repeat = [at(s.station, c, "repeat") for c in order]
    total_repeat = at(s.station, TOTAL, "repeat")
    frame = pd.DataFrame({
        label: order,
        "刑法犯検挙者数": pd.array(arrested, dtype="Float64").astype("Int64"),
        "再犯者数": pd.array(repeat, dtype="Float64").astype("Int64"),
        f"再犯者率（{data.station_area}）": [r / a if a else pd.NA for r, a in zip(repeat, arrested, strict=True)],
        "再犯者の構成比": [r / total_repeat if total_repeat else pd.NA for r in repeat],
    })
    for area in (s.prefecture, s.national):
        if area in data.areas():
            frame[f"再犯者率（{area}）"] = [
                at(area, c, "repeat") / at(area, c, "arrested") if at(area, c, "arrested") else pd.NA for c in order]
    for c in frame.columns[3:]:
        frame[c] = pd.array(frame[c], dtype="Float64")
    return frame


def _latest_table(data: RecidivismData, breakdown: str, categories: tuple[str, ...], label: str,
                  extra_notes: list[str]) -> AppendixTable:
    frame = _latest_frame(data, breakdown, categories, label)
    shares = frame["再犯者の構成比"].iloc[:-1].tolist()
    notes = [_station_note(data), DEFINITION_NOTE, *extra_notes]
    if not shares_add_up(shares):
        notes.append(SHARE_NOTE)
    return AppendixTable(
        title=f"{label}別の刑法犯検挙者数・再犯者数・再犯者率（{year_label(data.latest)}、{data.station_area}、"
              "東京都・全国との比較）",
        frame=frame,
        unit="単位：人、％",
        source=source_moj(),
        notes=notes,
        formats={"刑法犯検挙者数": "int", "再犯者数": "int",
                 **{c: "pct" for c in frame.columns if c.startswith(("再犯者率", "再犯者の構成比"))}},
        total_rows=[-1],
    )


def crime_latest_table(data: RecidivismData) -> AppendixTable | str:
    if not data.years:
        return _missing("罪種別の再犯者数")
    return _latest_table(data, "罪種", CRIMES, "罪種", ["再犯者の構成比は、再犯者数の総数に占める各罪種の割合。"])


def crime_figure(data: RecidivismData) -> AppendixFigure | str:
    if not data.years:
        return ""
    frame = _latest_frame(data, "罪種", CRIMES, "罪種")
    rate_cols = [c for c in frame.columns if c.startswith("再犯者率")]
    cats = list(frame["罪種"])
    y = np.arange(len(cats))
    fig = new_figure(8, 4.8)
    ax = fig.add_subplot()
    height = 0.8 / len(rate_cols)
    colors = (PALETTE[3], PALETTE[1], PALETTE[7])
    for i, (col, color) in enumerate(zip(rate_cols, colors, strict=False)):
        values = frame[col].astype(float).fillna(0).to_numpy()
        ax.barh(y + (i - (len(rate_cols) - 1) / 2) * height, values, height=height, color=color,
                label=col.removeprefix("再犯者率（").removesuffix("）"))
    ax.set_yticks(y, cats)
    ax.invert_yaxis()
    percent(ax, "x", decimals=0)
    ax.set_xlabel("再犯者率")
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False)
    station = frame.set_index("罪種")[rate_cols[0]].astype(float)
    return AppendixFigure(
        title=f"罪種別の再犯者率（{year_label(data.latest)}、{data.station_area}・東京都・全国）",
        figure=fig,
        alt=(f"{year_label(data.latest)}の罪種別の再犯者率を、{'・'.join(c.removeprefix('再犯者率（').removesuffix('）') for c in rate_cols)}"
             f"の順に並べた横棒グラフ（上から{'・'.join(cats)}）。{data.station_area}の総数は{pct(station[TOTAL])}。"),
        source=source_moj(),
        notes=[_station_note(data)],
    )


def crime_text(data: RecidivismData) -> str:
    if not data.years:
        return ""
    frame = _latest_frame(data, "罪種", CRIMES, "罪種").set_index("罪種")
    parts = frame.drop(index=TOTAL)
    area = data.station_area
    share = parts["再犯者の構成比"].astype(float)
    top = share.idxmax()
    station_col = f"再犯者率（{area}）"
    rates = parts[station_col].astype(float)
    text = (f"{year_label(data.latest)}の{area}の再犯者を罪種別にみると、{top}が"
            f"{numbers.count(parts.loc[top, '再犯者数'], '人')}（{pct(share[top])}）で最も多くなっています。")
    text += _highest_rate(parts, rates, "罪種")
    trend = _breakdown_trend(data, "罪種", CRIMES).drop(columns=["年", TOTAL]).astype(float)
    trend.index = list(data.years)
    if len(trend) > 1 and trend.notna().all().all():
        moved = trends.movers(trend)
        up, down = moved[0], moved[-1]
        first = data.years[0]
        if down.change < 0:
            text += (f"{year_label(first)}と比べると、再犯者数は{down.key}が{numbers.count(down.start, '人')}から"
                     f"{numbers.count(down.end, '人')}へ最も大きく減っています")
            text += (f"（増えたのは{up.key}の{numbers.count(up.start, '人')}から{numbers.count(up.end, '人')}など）。"
                     if up.change > 0 else "。")
    return text


#: a category with fewer arrests than this in the latest year is left out of "the highest 再犯者率"
#: (a handful of people make its rate jump from year to year)
SMALL_BASE = 30


def _highest_rate(parts: pd.DataFrame, rates: pd.Series, label: str, *, lowest: bool = False) -> str:
    """「再犯者率は窃盗犯が46.7％で最も高く…」 among the categories with enough arrests; the ones left
    out are named (without their size: the sentence prints only what the table prints)."""
    arrested = parts["刑法犯検挙者数"].astype(float)
    counted = rates[(arrested >= SMALL_BASE) & rates.notna()]
    if counted.empty:
        return ""
    small = [c for c in parts.index if arrested[c] < SMALL_BASE]
    lead = f"検挙者数の少ない{'・'.join(small)}を除くと、" if small else ""
    high = counted.idxmax()
    text = f"{lead}{label}別の再犯者率は{high}が{pct(rates[high])}で最も高く"
    if lowest:
        low = counted.idxmin()
        return text + f"、{low}が{pct(rates[low])}で最も低くなっています。"
    return text + "なっています。"


# --- 3 年齢層別 --------------------------------------------------------------------------------
def age_trend_table(data: RecidivismData) -> AppendixTable | str:
    if not data.years:
        return _missing("年齢層別の再犯者数")
    frame = _breakdown_trend(data, "年齢層", AGES)
    return AppendixTable(
        title=f"年齢層別の再犯者数の推移（{data.station_area}）",
        frame=frame,
        unit="単位：人",
        source=source_moj(),
        notes=[_station_note(data), "14～19歳は少年（刑法犯で検挙された20歳未満の者）。総数は各年齢層の計。", *_short(data)],
        formats={c: "int" for c in frame.columns if c != "年"},
    )


def age_latest_table(data: RecidivismData) -> AppendixTable | str:
    if not data.years:
        return _missing("年齢層別の再犯者数")
    return _latest_table(data, "年齢層", AGES, "年齢層",
                         ["14～19歳は少年（刑法犯で検挙された20歳未満の者）。",
                          "再犯者の構成比は、再犯者数の総数に占める各年齢層の割合。"])


def age_text(data: RecidivismData) -> str:
    if not data.years:
        return ""
    area = data.station_area
    frame = _latest_frame(data, "年齢層", AGES, "年齢層").set_index("年齢層")
    old = "65歳以上"
    share = frame.loc[old, "再犯者の構成比"]
    trend = _breakdown_trend(data, "年齢層", AGES).assign(year=list(data.years)).set_index("year")
    older = trend[old].astype(float).dropna()
    text = (f"{year_label(data.latest)}の{area}の再犯者のうち、65歳以上は{numbers.count(frame.loc[old, '再犯者数'], '人')}"
            f"（{pct(share)}）です。")
    text += course(older, name="65歳以上の再犯者数", when=year_label, fmt=count_fmt("人"), step="年",
                   tolerance=float(older.max()) * 0.02 if len(older) else 0.0)
    parts = frame.drop(index=TOTAL)
    rates = parts[f"再犯者率（{area}）"].astype(float)
    text += _highest_rate(parts, rates, "年齢層", lowest=True)
    text += ("高齢の再犯者には、福祉的な支援につなぐことが立ち直りに欠かせません。"
             if pd.notna(share) and share >= 0.2 else "")
    return text


# --- 4 更生保護の担い手と活動 ----------------------------------------------------------------------
REHAB_COLUMNS = (
    ("保護司", "定数", "保護司の定数"),
    ("保護司", "実数", "保護司の実数"),
    ("協力雇用主", "協力雇用主数", "協力雇用主数"),
    ("協力雇用主", "うち雇用実績のある事業主", "うち雇用実績のある事業主"),
    ("社会を明るくする運動", "行事数", "社会を明るくする運動の行事数"),
    ("社会を明るくする運動", "参加者数", "社会を明るくする運動の参加者数"),
)


def rehab_frame(data: RecidivismData) -> pd.DataFrame:
    frame = pd.DataFrame({"年度": [fy_label(y) for y in data.rehab_years]})
    for topic, item, heading in REHAB_COLUMNS:
        frame[heading] = data.rehab_item(topic, item).astype("Int64").to_numpy()
        if heading == "保護司の実数":
            quota = data.rehab_item("保護司", "定数")
            frame["保護司の充足率"] = (data.rehab_item("保護司", "実数") / quota.where(quota > 0)).astype("Float64").to_numpy()
    return frame


def source_rehab() -> str:
    return citation(REHAB, "狛江分区保護司会、東京保護観察所、社会を明るくする運動狛江市推進委員会の資料による")


def rehab_table(data: RecidivismData) -> AppendixTable | str:
    if not data.rehab_years:
        return _missing("保護司・協力雇用主・社会を明るくする運動")
    frame = rehab_frame(data)
    return AppendixTable(
        title=f"保護司・協力雇用主・社会を明るくする運動の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、％、社、回",
        source=source_rehab(),
        notes=["保護司は狛江分区保護司会の各年度10月1日現在。充足率＝実数÷定数。",
               "協力雇用主数は各年度4月1日現在の市内の登録数。雇用実績のある事業主は、前年度中に保護観察対象者等を雇用した事業主。",
               "社会を明るくする運動は、強調月間（7月）を中心とした年度中の行事。",
               *short_note(data.rehab_years, data.settings.rehab_years, fy_label)],
        formats={**{c: "int" for c in frame.columns if c not in ("年度", "保護司の充足率")}, "保護司の充足率": "pct"},
    )


def rehab_figure(data: RecidivismData) -> AppendixFigure | str:
    if not data.rehab_years:
        return ""
    f = rehab_frame(data)
    years = list(data.rehab_years)
    x = np.arange(len(years))
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    participants = f["社会を明るくする運動の参加者数"].astype(float)
    ax.bar(x, participants, width=0.6, color=PALETTE[4], label="社会を明るくする運動の参加者数")
    ax.set_ylabel("参加者数（人）")
    ax.set_ylim(0, float(participants.max()) * 1.6)
    ax2 = right_axis(ax)
    quota, actual = f["保護司の定数"].astype(float), f["保護司の実数"].astype(float)
    ax2.plot(x, quota, color=PALETTE[7], linestyle="--", label="保護司の定数（右目盛）")
    ax2.plot(x, actual, color=PALETTE[3], marker="o", label="保護司の実数（右目盛）")
    label_ends(ax2, x, actual, count_fmt("人"), color=PALETTE[3])
    ax2.set_ylim(0, float(quota.max()) * 1.3)
    ax2.set_ylabel("保護司（人）")
    ax.set_xticks(x, fy_ticks(years))
    ax.set_xlabel("年度")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h2 + h1, l2 + l1, loc="upper left", bbox_to_anchor=(1.1, 1.0), frameon=False)
    return AppendixFigure(
        title=f"保護司の定数・実数と社会を明るくする運動の参加者数の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{fy_label(years[0])}から{fy_label(years[-1])}までの社会を明るくする運動の参加者数の棒グラフと、保護司の定数"
             f"（破線）・実数（実線）の折れ線グラフ（右目盛）。保護司の実数は{numbers.count(actual.iloc[0], '人')}から"
             f"{numbers.count(actual.iloc[-1], '人')}。"),
        source=source_rehab(),
    )


def rehab_text(data: RecidivismData) -> str:
    if not data.rehab_years:
        return ""
    f = rehab_frame(data).assign(fy=list(data.rehab_years)).set_index("fy")
    last = f.index[-1]
    actual = f["保護司の実数"].astype(float).dropna()
    text = course(actual, name="保護司の実数", when=fy_label, fmt=count_fmt("人"), step="年度")
    if pd.notna(f.loc[last, "保護司の充足率"]):
        text += (f"{fy_label(last)}の定数{numbers.count(f.loc[last, '保護司の定数'], '人')}に対する充足率は"
                 f"{pct(f.loc[last, '保護司の充足率'])}で、保護司の確保が課題です。")
    employers = f["協力雇用主数"].astype(float).dropna()
    text += course(employers, name="協力雇用主数", when=fy_label, fmt=count_fmt("社"), step="年度")
    participants = f["社会を明るくする運動の参加者数"].astype(float).dropna()
    text += course(participants, name="社会を明るくする運動の参加者数", when=fy_label, fmt=count_fmt("人"),
                   step="年度", tolerance=float(participants.max()) * 0.02 if len(participants) else 0.0)
    return text


__all__ = [
    "PARAMS",
    "RecidivismData",
    "RecidivismParams",
    "age_latest_table",
    "age_text",
    "age_trend_table",
    "crime_figure",
    "crime_latest_table",
    "crime_text",
    "crime_trend_table",
    "prepare",
    "rehab_figure",
    "rehab_table",
    "rehab_text",
    "trend_figure",
    "trend_table",
    "trend_text",
]
