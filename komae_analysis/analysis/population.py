"""第2款「統計から見る現状」: population and households.

Pure functions from the tidy register frames to appendix tables, figures and generated
commentary. Komae's own figures (by 町丁目, single-year age, households) come from the city's
register export; the comparison with 東京都, 市部 and other municipalities uses 東京都 第7表 for
every area alike, so that the rates compared are computed the same way.

Definitions (DOMAIN.md §3): 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+, 後期高齢者 75+;
高齢化率 = 65+ / 総人口, 後期高齢者率 = 75+ / 総人口 (総人口 includes 年齢不詳, which belongs to
no age group). Rates are fractions here; tables format them as percentages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from komae_analysis import calendar
from komae_analysis.errors import KomaeError
from komae_analysis.params import Params
from komae_analysis.report.charts import PALETTE, AppendixFigure, percent, thousands
from komae_analysis.report.tables import AppendixTable

SOURCE_REGISTER = "出典：狛江市「住民基本台帳」（各年1月1日現在、外国人住民を含む）"
SOURCE_TOKYO = "出典：東京都総務局統計部「住民基本台帳による東京都の世帯と人口」第7表（各年1月1日現在）"
AGE_GROUPS = (("年少人口（0～14歳）", 0, 14), ("生産年齢人口（15～64歳）", 15, 64), ("老年人口（65歳以上）", 65, None))


@dataclass(frozen=True)
class PopulationParams:
    """The ``population:`` block of the run parameters."""

    trend_years: int  # reference dates in the trend tables
    pyramid_compare_years: int  # the pyramid and 圏域 tables compare with this many years earlier
    tokyo_code: str  # 東京都 in 第7表
    shibu_code: str  # 東京都市部 in 第7表
    comparison_codes: tuple[str, ...]  # the comparison municipalities

    def check(self) -> str | None:
        for code in (self.tokyo_code, self.shibu_code, *self.comparison_codes):
            if not (len(code) == 5 and code.isdigit()):
                return f"地域コードは5桁の数字です（実際: {code!r}）"
        if self.trend_years < 2 or self.pyramid_compare_years < 1:
            return "trend_years は2以上、pyramid_compare_years は1以上です"
        return None


#: The parameters block of this topic (``population:`` in params/FY*.yaml).
PARAMS = PopulationParams


@dataclass(frozen=True)
class PopulationData:
    """The register frames a section uses, restricted to the reference dates of the run."""

    params: Params
    settings: PopulationParams
    register: pd.DataFrame  # city register: date, choume_code, town, chome, area, age_from, age_to, sex, population
    households: pd.DataFrame  # date, choume_code, town, chome, area, households, population
    tokyo: pd.DataFrame  # 第7表: date, area_level, area_code, area_name, age_from, age_to, sex, nationality, population
    dates: tuple[pd.Timestamp, ...]  # the trend's reference dates, oldest first

    @property
    def latest(self) -> pd.Timestamp:
        return self.dates[-1]

    @property
    def compare(self) -> pd.Timestamp:
        """The date the pyramid and 圏域 tables compare with (``pyramid_compare_years`` earlier)."""
        return _years_before(self.latest, self.settings.pyramid_compare_years, self.dates)

    @property
    def previous(self) -> pd.Timestamp | None:
        return self.dates[-2] if len(self.dates) > 1 else None


def _years_before(date: pd.Timestamp, years: int, dates: tuple[pd.Timestamp, ...]) -> pd.Timestamp:
    target = date - pd.DateOffset(years=years)
    if target not in dates:
        raise KomaeError(f"{label_date(date)}の{years}年前（{label_date(target)}）のデータがありません")
    return target


def label_date(date: pd.Timestamp | dt.date) -> str:
    """令和8年1月1日"""
    return calendar.wareki_date(pd.Timestamp(date).date())


def _era_year(date: pd.Timestamp) -> str:
    """令和3年 for 2021-01-01, 平成31年 for 2019-01-01 (the era of the date itself): column heads."""
    era, n = calendar.era_of(pd.Timestamp(date).date())
    return f"{era}{'元' if n == 1 else n}年"


def select_dates(
    params: Params, settings: PopulationParams, available: list[pd.Timestamp]
) -> tuple[pd.Timestamp, ...]:
    """The reference dates of a run: the latest on or before the fiscal year's 1 April and up to
    ``trend_years`` dates before it."""
    avail = sorted({pd.Timestamp(d) for d in available})
    try:
        latest = calendar.latest_register_date(params.fiscal_year, [d.date() for d in avail])
    except ValueError as exc:
        raise KomaeError(str(exc)) from None
    eligible = [d for d in avail if d.date() <= latest]
    return tuple(eligible[-settings.trend_years :])


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> PopulationData:
    """The section's data from its declared inputs (source id → tidy frame), restricted to the run's
    dates. The register's dates decide; 第7表 must cover them."""
    register = inputs["city_register_population"]
    households = inputs["city_register_households"]
    tokyo = inputs["tokyo_juki_age5"]
    settings = params.topic(PopulationParams)
    dates = select_dates(params, settings, list(register["date"].unique()))
    missing = [d for d in dates if d not in set(tokyo["date"])]
    if missing:
        raise KomaeError(
            "東京都 第7表に次の基準日のファイルがありません: " + "、".join(label_date(d) for d in missing)
        )
    for code in (params.city.area_code, settings.tokyo_code, settings.shibu_code, *settings.comparison_codes):
        if code not in set(tokyo["area_code"]):
            raise KomaeError(f"東京都 第7表に地域コード {code} の行がありません")
    keep = set(dates)
    return PopulationData(
        params=params,
        settings=settings,
        register=register[register["date"].isin(keep)].reset_index(drop=True),
        households=households[households["date"].isin(keep)].reset_index(drop=True),
        tokyo=tokyo[tokyo["date"].isin(keep)].reset_index(drop=True),
        dates=dates,
    )


# --- summaries --------------------------------------------------------------------------
def _group_sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Total, age groups and 75+ of a long frame with age_from, summed by ``keys``."""
    age = frame["age_from"]
    pop = frame["population"].astype("int64")
    parts = {
        "total": pop,
        "age0_14": pop.where(age.lt(15).fillna(False), 0),
        "age15_64": pop.where((age.ge(15) & age.lt(65)).fillna(False), 0),
        "age65": pop.where(age.ge(65).fillna(False), 0),
        "age75": pop.where(age.ge(75).fillna(False), 0),
    }
    df = pd.DataFrame({**{k: frame[k] for k in keys}, **parts})
    out = df.groupby(keys, sort=True, observed=True).sum().reset_index()
    out["aging_rate"] = out["age65"] / out["total"]
    out["late_rate"] = out["age75"] / out["total"]
    out["young_rate"] = out["age0_14"] / out["total"]
    return out


def city_summary(data: PopulationData) -> pd.DataFrame:
    """Komae per reference date: total, age groups, 75+, rates, households, persons per household."""
    s = _group_sums(data.register, ["date"])
    hh = data.households.groupby("date")["households"].sum()
    s["households"] = s["date"].map(hh).astype("int64")
    s["persons_per_household"] = s["total"] / s["households"]
    return s


def area_summary(data: PopulationData) -> pd.DataFrame:
    """Every 第7表 area per reference date (both sexes and nationalities, 不詳 in the total)."""
    return _group_sums(data.tokyo, ["date", "area_code", "area_name"])


def choume_summary(data: PopulationData, date: pd.Timestamp) -> pd.DataFrame:
    reg = data.register[data.register["date"] == date]
    s = _group_sums(reg, ["area", "choume_code", "town", "chome"])
    hh = data.households[data.households["date"] == date].set_index("choume_code")["households"]
    s["households"] = s["choume_code"].map(hh).astype("int64")
    return s.sort_values("choume_code").reset_index(drop=True)


def area_of_daily_life_summary(data: PopulationData, date: pd.Timestamp) -> pd.DataFrame:
    ch = choume_summary(data, date)
    cols = ["total", "age0_14", "age15_64", "age65", "age75", "households"]
    s = ch.groupby("area", sort=False)[cols].sum()
    s = s.loc[_area_order(ch)].reset_index()
    s["aging_rate"] = s["age65"] / s["total"]
    s["late_rate"] = s["age75"] / s["total"]
    return s


def _area_order(ch: pd.DataFrame) -> list[str]:
    """圏域 in the order of their first 町丁目 code."""
    return list(dict.fromkeys(ch.sort_values("choume_code")["area"]))


# --- number formatting for commentary ---------------------------------------------------
def _n(x: float) -> str:
    return f"{int(round(x)):,}"


def _pct(x: float) -> str:
    return f"{_round_half_up(x * 100, 1):.1f}％"


def _pt(x: float) -> str:
    return f"{_round_half_up(abs(x) * 100, 1):.1f}ポイント"


def _round_half_up(x: float, digits: int) -> float:
    q = 10**digits
    return float(np.floor(abs(x) * q + 0.5) / q) * (1 if x >= 0 else -1)


def _change(diff: float, unit: str = "人") -> str:
    if diff > 0:
        return f"{_n(diff)}{unit}増加"
    if diff < 0:
        return f"{_n(-diff)}{unit}減少"
    return "横ばい"


def _rate_change(diff: float) -> str:
    if round(diff * 1000) == 0:
        return "ほぼ横ばい"
    return f"{_pt(diff)}{'上昇' if diff > 0 else '低下'}"


# --- 表2-1-1 / 図2-1-1: trend -----------------------------------------------------------
def trend_table(data: PopulationData) -> AppendixTable:
    s = city_summary(data)
    frame = pd.DataFrame(
        {
            "基準日": [label_date(d) for d in s["date"]],
            "総人口": s["total"],
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
        title=f"総人口・年齢3区分別人口・世帯数の推移（{data.params.city.name}）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=SOURCE_REGISTER,
        notes=["高齢化率＝65歳以上人口÷総人口、後期高齢者率＝75歳以上人口÷総人口。"],
        formats={"高齢化率": "pct", "後期高齢者率": "pct", "1世帯当たり人員": "dec2"},
    )


def trend_text(data: PopulationData) -> str:
    s = city_summary(data).set_index("date")
    last = s.loc[data.latest]
    first_date = data.dates[0]
    first = s.loc[first_date]
    text = f"{label_date(data.latest)}現在の総人口は{_n(last['total'])}人"
    if data.previous is not None:
        prev = s.loc[data.previous]
        text += f"で、前年から{_change(last['total'] - prev['total'])}しました"
    text += (
        f"。{label_date(first_date)}（{_n(first['total'])}人）と比べると{_change(last['total'] - first['total'])}"
        f"しています。65歳以上人口は{_n(last['age65'])}人、高齢化率は{_pct(last['aging_rate'])}で、"
        f"{label_date(first_date)}の{_pct(first['aging_rate'])}から{_rate_change(last['aging_rate'] - first['aging_rate'])}"
        f"しました。75歳以上の後期高齢者は{_n(last['age75'])}人（後期高齢者率{_pct(last['late_rate'])}）です。"
        f"世帯数は{_n(last['households'])}世帯、1世帯当たり人員は{last['persons_per_household']:.2f}人です。"
    )
    return text


def trend_figure(data: PopulationData) -> AppendixFigure:
    s = city_summary(data)
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(s))
    bottom = np.zeros(len(s))
    for (label, _, _), key, color in zip(
        AGE_GROUPS, ("age0_14", "age15_64", "age65"), (PALETTE[2], PALETTE[0], PALETTE[1]), strict=True
    ):
        ax.bar(x, s[key], bottom=bottom, color=color, label=label, width=0.65)
        bottom += s[key].to_numpy()
    ax.set_xticks(x, [f"{calendar.short_wareki(d.date())}\n{d.year}" for d in s["date"]])
    ax.set_ylabel("人口（人）")
    thousands(ax, "y")
    ax.set_ylim(0, bottom.max() * 1.15)
    ax2 = ax.twinx()
    ax2.plot(x, s["aging_rate"], color=PALETTE[5], marker="o", label="高齢化率（右目盛）")
    percent(ax2, "y", decimals=0)
    lo, hi = s["aging_rate"].min(), s["aging_rate"].max()
    ax2.set_ylim(max(0.0, lo - 0.05), hi + 0.03)
    handles = ax.get_legend_handles_labels()
    handles2 = ax2.get_legend_handles_labels()
    ax.legend(handles[0][::-1] + handles2[0], handles[1][::-1] + handles2[1], loc="upper left",
              bbox_to_anchor=(1.08, 1.0), frameon=False)
    ax.set_xlabel("各年1月1日")
    last = s.iloc[-1]
    return AppendixFigure(
        title=f"年齢3区分別人口と高齢化率の推移（{data.params.city.name}）",
        figure=fig,
        alt=(
            f"{label_date(s['date'].iloc[0])}から{label_date(data.latest)}までの年齢3区分別人口の積み上げ棒グラフと"
            f"高齢化率の折れ線グラフ。最新の総人口は{_n(last['total'])}人、高齢化率は{_pct(last['aging_rate'])}。"
        ),
        source=SOURCE_REGISTER,
    )


# --- 表2-1-2 / 図2-1-3: comparison with 東京都 and 市部 ------------------------------------
def area_names(data: PopulationData) -> dict[str, str]:
    """area code → the name used in tables: 第7表 calls the whole prefecture 総数; tables say 東京都."""
    names = data.tokyo.drop_duplicates("area_code").set_index("area_code")["area_name"].astype(str).to_dict()
    names[data.settings.tokyo_code] = "東京都"
    return names


def _comparison_areas(data: PopulationData) -> list[tuple[str, str]]:
    p = data.params
    names = area_names(data)
    return [(c, names[c]) for c in (p.city.area_code, data.settings.tokyo_code, data.settings.shibu_code)]


def comparison_trend_table(data: PopulationData) -> AppendixTable:
    s = area_summary(data)
    areas = _comparison_areas(data)
    cols: dict[str, object] = {"基準日": [label_date(d) for d in data.dates]}
    for rate, label in (("aging_rate", "高齢化率"), ("late_rate", "後期高齢者率")):
        for code, name in areas:
            series = s[s["area_code"] == code].set_index("date")[rate]
            cols[f"{label}（{name}）"] = [series[d] for d in data.dates]
    frame = pd.DataFrame(cols)
    return AppendixTable(
        title="高齢化率・後期高齢者率の推移（" + "・".join(n for _, n in areas) + "）",
        frame=frame,
        unit="単位：％",
        source=SOURCE_TOKYO,
        notes=["総人口には年齢不詳を含む。"],
        formats={c: "pct" for c in frame.columns if c != "基準日"},
    )


def comparison_text(data: PopulationData) -> str:
    s = area_summary(data)
    latest = s[s["date"] == data.latest].set_index("area_code")
    first = s[s["date"] == data.dates[0]].set_index("area_code")
    (city, city_name), (tokyo, tokyo_name), (shibu, shibu_name) = _comparison_areas(data)
    c, t, sh = latest.loc[city], latest.loc[tokyo], latest.loc[shibu]
    rel_t = "高く" if c["aging_rate"] > t["aging_rate"] else "低く"
    rel_s = "高く" if c["aging_rate"] > sh["aging_rate"] else "低く"
    return (
        f"{label_date(data.latest)}現在の{city_name}の高齢化率は{_pct(c['aging_rate'])}で、"
        f"{tokyo_name}（{_pct(t['aging_rate'])}）より{_pt(c['aging_rate'] - t['aging_rate'])}{rel_t}、"
        f"{shibu_name}（{_pct(sh['aging_rate'])}）より{_pt(c['aging_rate'] - sh['aging_rate'])}{rel_s}なっています。"
        f"{label_date(data.dates[0])}からの変化は、{city_name}が"
        f"{_rate_change(c['aging_rate'] - first.loc[city, 'aging_rate'])}、{tokyo_name}が"
        f"{_rate_change(t['aging_rate'] - first.loc[tokyo, 'aging_rate'])}、{shibu_name}が"
        f"{_rate_change(sh['aging_rate'] - first.loc[shibu, 'aging_rate'])}です。"
    )


def comparison_figure(data: PopulationData) -> AppendixFigure:
    s = area_summary(data)
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(data.dates))
    markers = ("o", "s", "^")
    areas = _comparison_areas(data)
    for i, (code, name) in enumerate(areas):
        series = s[s["area_code"] == code].set_index("date")["aging_rate"]
        ax.plot(x, [series[d] for d in data.dates], marker=markers[i], color=PALETTE[i], label=name,
                linewidth=2.4 if i == 0 else 1.6)
    ax.set_xticks(x, [f"{calendar.short_wareki(d.date())}\n{d.year}" for d in data.dates])
    percent(ax, "y", decimals=1)
    ax.set_ylabel("高齢化率")
    ax.set_xlabel("各年1月1日")
    ax.legend(frameon=False)
    ax.grid(axis="y", color="#dddddd")
    latest = s[s["date"] == data.latest].set_index("area_code")["aging_rate"]
    return AppendixFigure(
        title="高齢化率の推移（" + "・".join(n for _, n in areas) + "）",
        figure=fig,
        alt="高齢化率の推移を比べる折れ線グラフ。最新値は"
        + "、".join(f"{n}{_pct(latest[c])}" for c, n in areas)
        + "。",
        source=SOURCE_TOKYO,
    )


# --- 表2-1-3 / 図2-1-2: 5-year age classes by sex and the pyramid ------------------------
def _age5(frame: pd.DataFrame) -> pd.DataFrame:
    """Single-year register rows → 5-year classes (0～4 … 95～99, 100歳以上) by sex."""
    age = frame["age_from"].astype("int64")
    cls = np.minimum(age // 5 * 5, 100)
    df = pd.DataFrame({"cls": cls, "sex": frame["sex"].astype(str), "population": frame["population"]})
    out = df.pivot_table(index="cls", columns="sex", values="population", aggfunc="sum", fill_value=0)
    return out.reindex(columns=["男", "女"], fill_value=0).astype("int64")


def _age_label(cls: int) -> str:
    return "100歳以上" if cls >= 100 else f"{cls}～{cls + 4}歳"


def age_sex_table(data: PopulationData) -> AppendixTable:
    now = _age5(data.register[data.register["date"] == data.latest])
    then = _age5(data.register[data.register["date"] == data.compare])
    then = then.reindex(now.index, fill_value=0)
    total_now = now.sum(axis=1)
    total_then = then.sum(axis=1)
    frame = pd.DataFrame(
        {
            "年齢": [_age_label(c) for c in now.index],
            "男": now["男"].to_numpy(),
            "女": now["女"].to_numpy(),
            "計": total_now.to_numpy(),
            "構成比": (total_now / total_now.sum()).to_numpy(),
            f"{_era_year(data.compare)}の計": total_then.to_numpy(),
            "増減": (total_now - total_then).to_numpy(),
        }
    )
    totals = {
        "年齢": "総数", "男": frame["男"].sum(), "女": frame["女"].sum(), "計": frame["計"].sum(), "構成比": 1.0,
        f"{_era_year(data.compare)}の計": total_then.sum(), "増減": frame["増減"].sum(),
    }
    frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    return AppendixTable(
        title=f"年齢5歳階級別・男女別人口（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％",
        source=SOURCE_REGISTER,
        notes=[f"「{_era_year(data.compare)}の計」は{label_date(data.compare)}現在、"
               "増減はそこからの増減。"],
        formats={"構成比": "pct"},
    )


def pyramid_figure(data: PopulationData) -> AppendixFigure:
    now = _age5(data.register[data.register["date"] == data.latest])
    then = _age5(data.register[data.register["date"] == data.compare]).reindex(now.index, fill_value=0)
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(now))
    ax.barh(y, -now["男"], color=PALETTE[0], height=0.8, label=f"男（{label_date(data.latest)}）")
    ax.barh(y, now["女"], color=PALETTE[1], height=0.8, label=f"女（{label_date(data.latest)}）")
    ax.step(-then["男"].to_numpy(), y, where="mid", color="#222222", linewidth=1.2,
            label=f"{label_date(data.compare)}")
    ax.step(then["女"].to_numpy(), y, where="mid", color="#222222", linewidth=1.2)
    ax.set_yticks(y, [_age_label(c) for c in now.index])
    ax.axvline(0, color="#444444", linewidth=0.8)
    lim = max(now.to_numpy().max(), then.to_numpy().max()) * 1.1
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ax.set_xlabel("人口（人）　←男　　女→")
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    peak = int(now.sum(axis=1).idxmax())
    return AppendixFigure(
        title=f"人口ピラミッド（{label_date(data.latest)}と{label_date(data.compare)}の比較）",
        figure=fig,
        alt=(
            f"5歳階級別・男女別の人口ピラミッド。棒が{label_date(data.latest)}、線が{label_date(data.compare)}。"
            f"最も人口が多い階級は{_age_label(peak)}。"
        ),
        source=SOURCE_REGISTER,
    )


def pyramid_text(data: PopulationData) -> str:
    now = _age5(data.register[data.register["date"] == data.latest]).sum(axis=1)
    then = _age5(data.register[data.register["date"] == data.compare]).sum(axis=1).reindex(now.index, fill_value=0)
    diff = now - then
    up, down = int(diff.idxmax()), int(diff.idxmin())
    peak = int(now.idxmax())
    return (
        f"{label_date(data.latest)}現在、人口が最も多い年齢階級は{_age_label(peak)}（{_n(now[peak])}人）です。"
        f"{label_date(data.compare)}と比べて最も増えたのは{_age_label(up)}（{_change(diff[up])}）、"
        f"最も減ったのは{_age_label(down)}（{_change(diff[down])}）です。"
    )


# --- 表2-1-4 / 表2-1-5 / 図2-1-4: 日常生活圏域 and 町丁目 ---------------------------------------
def daily_life_area_table(data: PopulationData) -> AppendixTable:
    now = area_of_daily_life_summary(data, data.latest)
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    ch = choume_summary(data, data.latest)
    towns = ch.groupby("area", sort=False)["town"].apply(lambda s: "・".join(dict.fromkeys(s)))
    cmp_label = _era_year(data.compare)
    frame = pd.DataFrame(
        {
            "日常生活圏域": now["area"],
            "町名": now["area"].map(towns),
            "総人口": now["total"],
            "65歳以上": now["age65"],
            "75歳以上": now["age75"],
            "高齢化率": now["aging_rate"],
            "後期高齢者率": now["late_rate"],
            "世帯数": now["households"],
            f"{cmp_label}の高齢化率": now["area"].map(then["aging_rate"]),
            "高齢化率の差（ポイント）": (now["aging_rate"] - now["area"].map(then["aging_rate"])) * 100,
        }
    )
    c = city_summary(data).set_index("date")
    total = {
        "日常生活圏域": "市全体", "町名": "", "総人口": c.loc[data.latest, "total"],
        "65歳以上": c.loc[data.latest, "age65"], "75歳以上": c.loc[data.latest, "age75"],
        "高齢化率": c.loc[data.latest, "aging_rate"], "後期高齢者率": c.loc[data.latest, "late_rate"],
        "世帯数": c.loc[data.latest, "households"], f"{cmp_label}の高齢化率": c.loc[data.compare, "aging_rate"],
        "高齢化率の差（ポイント）": (c.loc[data.latest, "aging_rate"] - c.loc[data.compare, "aging_rate"]) * 100,
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return AppendixTable(
        title=f"日常生活圏域別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％、ポイント",
        source=SOURCE_REGISTER,
        notes=[
            "日常生活圏域は地域包括支援センター（" + "・".join(now["area"]) + "）の担当区域。",
            f"「{cmp_label}の高齢化率」は{label_date(data.compare)}現在。",
        ],
        formats={"高齢化率": "pct", "後期高齢者率": "pct", f"{cmp_label}の高齢化率": "pct",
                 "高齢化率の差（ポイント）": "dec1"},
    )


def daily_life_area_text(data: PopulationData) -> str:
    now = area_of_daily_life_summary(data, data.latest).set_index("area")
    hi, lo = now["aging_rate"].idxmax(), now["aging_rate"].idxmin()
    then = area_of_daily_life_summary(data, data.compare).set_index("area")
    diff = now["aging_rate"] - then["aging_rate"]
    fastest = diff.idxmax()
    return (
        f"日常生活圏域別にみると、高齢化率が最も高いのは{hi}圏域（{_pct(now.loc[hi, 'aging_rate'])}）、"
        f"最も低いのは{lo}圏域（{_pct(now.loc[lo, 'aging_rate'])}）です。"
        f"{label_date(data.compare)}からの上昇幅が最も大きいのは{fastest}圏域（{_rate_change(diff[fastest])}）です。"
    )


def choume_table(data: PopulationData) -> AppendixTable:
    ch = choume_summary(data, data.latest)
    frame = pd.DataFrame(
        {
            "日常生活圏域": ch["area"],
            "町丁目": [_choume_label(r) for _, r in ch.iterrows()],
            "総人口": ch["total"],
            "0～14歳": ch["age0_14"],
            "65歳以上": ch["age65"],
            "75歳以上": ch["age75"],
            "高齢化率": ch["aging_rate"],
            "世帯数": ch["households"],
        }
    )
    empty = _unpopulated(ch)
    return AppendixTable(
        title=f"町丁目別の人口と高齢化率（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、世帯、％",
        source=SOURCE_REGISTER,
        notes=[f"住民のいない町丁目（{'、'.join(empty)}）の高齢化率は「－」。"] if empty else [],
        formats={"高齢化率": "pct"},
    )


def _choume_label(row: pd.Series) -> str:
    return f"{row['town']}{row['chome']}丁目"


def _unpopulated(ch: pd.DataFrame) -> list[str]:
    """町丁目 without residents (e.g. land used by facilities or parks): they have no 高齢化率."""
    return [_choume_label(r) for _, r in ch[ch["total"] == 0].iterrows()]


def choume_figure(data: PopulationData) -> AppendixFigure:
    all_ch = choume_summary(data, data.latest)
    empty = _unpopulated(all_ch)
    ch = all_ch[all_ch["total"] > 0].sort_values("aging_rate").reset_index(drop=True)
    areas = _area_order(choume_summary(data, data.latest))
    colors = {a: PALETTE[i] for i, a in enumerate(areas)}
    fig = Figure(figsize=(8, 9), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(ch))
    ax.barh(y, ch["aging_rate"], color=[colors[a] for a in ch["area"]], height=0.75)
    ax.set_yticks(y, [_choume_label(r) for _, r in ch.iterrows()], fontsize=8)
    city_rate = city_summary(data).set_index("date").loc[data.latest, "aging_rate"]
    ax.axvline(city_rate, color="#222222", linestyle="--", linewidth=1)
    ax.text(city_rate, len(ch) - 0.3, f" 市全体 {_pct(city_rate)}", va="bottom", fontsize=9)
    percent(ax, "x", decimals=0)
    ax.set_xlabel("高齢化率")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colors[a], label=f"{a}圏域") for a in areas], loc="lower right", frameon=False)
    top = ch.iloc[-1]
    return AppendixFigure(
        title=f"町丁目別の高齢化率（{label_date(data.latest)}現在）",
        figure=fig,
        alt=(
            f"住民のいる{len(ch)}の町丁目の高齢化率を低い順に並べた横棒グラフ（色は日常生活圏域）。最も高いのは"
            f"{_choume_label(top)}の{_pct(top['aging_rate'])}、市全体は{_pct(city_rate)}。"
        ),
        source=SOURCE_REGISTER,
        notes=[f"住民のいない町丁目（{'、'.join(empty)}）は除いている。"] if empty else [],
    )


def choume_text(data: PopulationData) -> str:
    ch = choume_summary(data, data.latest)
    ch = ch[ch["total"] > 0]
    hi = ch.loc[ch["aging_rate"].idxmax()]
    lo = ch.loc[ch["aging_rate"].idxmin()]
    above = int((ch["aging_rate"] >= 0.3).sum())
    text = (
        f"町丁目別の高齢化率は、{_choume_label(lo)}の{_pct(lo['aging_rate'])}から"
        f"{_choume_label(hi)}の{_pct(hi['aging_rate'])}まで差があります。"
    )
    if above:
        text += f"高齢化率が30％以上の町丁目は{above}か所です。"
    return text


# --- 表2-1-6: ranking among the comparison municipalities --------------------------------
def ranking_table(data: PopulationData) -> AppendixTable:
    p = data.params
    s = area_summary(data)
    now = s[s["date"] == data.latest].set_index("area_code")
    then = s[s["date"] == data.compare].set_index("area_code")
    cities = [p.city.area_code, *data.settings.comparison_codes]
    cmp = now.loc[cities].copy()
    cmp["growth"] = cmp["total"] / then.loc[cities, "total"] - 1
    cmp["rank"] = cmp["aging_rate"].rank(ascending=False, method="min").astype("int64")
    cmp = cmp.sort_values("rank")
    ref = now.loc[[data.settings.tokyo_code, data.settings.shibu_code]].copy()
    ref["growth"] = ref["total"] / then.loc[ref.index, "total"] - 1
    rows = pd.concat([cmp, ref])
    years = data.settings.pyramid_compare_years
    frame = pd.DataFrame(
        {
            "自治体": [area_names(data)[c] for c in rows.index],
            "総人口": rows["total"].to_numpy(),
            f"{years}年間の人口増減率": rows["growth"].to_numpy(),
            "年少人口割合": rows["young_rate"].to_numpy(),
            "高齢化率": rows["aging_rate"].to_numpy(),
            "後期高齢者率": rows["late_rate"].to_numpy(),
            "高齢化率の順位": pd.array(list(cmp["rank"]) + [pd.NA] * len(ref), dtype="Int64"),
        }
    )
    return AppendixTable(
        title=f"近隣・類似自治体との比較（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％、位",
        source=SOURCE_TOKYO,
        notes=[
            f"順位は比較した{len(cities)}市の中での高齢化率の高い順。東京都・市部は参考。",
            f"人口増減率は{label_date(data.compare)}からの増減率。",
        ],
        formats={f"{years}年間の人口増減率": "pct", "年少人口割合": "pct", "高齢化率": "pct", "後期高齢者率": "pct",
                 "高齢化率の順位": "int"},
    )


def ranking_text(data: PopulationData) -> str:
    t = ranking_table(data).frame
    n = int(t["高齢化率の順位"].notna().sum())
    city = data.params.city.name
    row = t[t["自治体"] == city].iloc[0]
    top = t.iloc[0]
    return (
        f"比較した{n}市の中で、{city}の高齢化率（{_pct(row['高齢化率'])}）は高い方から{int(row['高齢化率の順位'])}番目です。"
        f"最も高いのは{top['自治体']}（{_pct(top['高齢化率'])}）です。"
    )
