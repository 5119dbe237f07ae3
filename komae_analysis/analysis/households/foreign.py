"""4 外国人住民: the city's foreign residents and their share of the population each 1 January, with
the shares of 東京都市部 and 東京都 (東京都 第7表, the same table for every area)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.households.data import (
    MONTHLY,
    TOKYO,
    HouseholdsData,
    compare_phrase,
    label_date,
    label_year,
    missing_sentence,
)
from komae_analysis.calendar import short_wareki
from komae_analysis.ingest.registry import citation
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure, percent, thousands
from komae_analysis.report.numbers import count, pct
from komae_analysis.report.tables import AppendixTable


def _source() -> str:
    return citation(TOKYO, "各年1月1日現在")


def _wide(data: HouseholdsData) -> pd.DataFrame:
    """One row per reference date: the city's count and the three shares."""
    f = data.foreign
    s = data.settings
    out = f[f["area_code"] == data.city_code].set_index("date")[["total", "foreign", "share"]]
    for code, key in ((s.shibu_code, "shibu_share"), (s.tokyo_code, "tokyo_share")):
        out[key] = f[f["area_code"] == code].set_index("date")["share"].reindex(out.index)
    return out.sort_index()


def foreign_table(data: HouseholdsData) -> AppendixTable:
    w = _wide(data)
    change = w["foreign"].diff()
    frame = pd.DataFrame({
        "基準日": [label_date(d) for d in w.index],
        "外国人住民数": w["foreign"].astype("int64").to_numpy(),
        "前年からの増減": pd.array([pd.NA, *change.iloc[1:].astype("int64")], dtype="Int64"),
        f"外国人住民の割合（{data.city_name}）": w["share"].to_numpy(),
        "外国人住民の割合（東京都市部）": w["shibu_share"].to_numpy(),
        "外国人住民の割合（東京都）": w["tokyo_share"].to_numpy(),
    })
    return AppendixTable(
        title=f"外国人住民数と割合の推移（{data.city_name}）",
        frame=frame,
        unit="単位：人、％",
        source=_source(),
        notes=["外国人住民の割合＝外国人住民数÷総人口（日本人＋外国人）。東京都市部は都内26市の計。", *_short_note(data, w)],
        formats={"前年からの増減": "int", **{c: "pct" for c in frame.columns if c.startswith("外国人住民の割合")}},
    )


def _short_note(data: HouseholdsData, w: pd.DataFrame) -> list[str]:
    if len(w) >= data.settings.foreign_years:
        return []
    return [f"{label_date(w.index[0])}より前のデータがないため、{len(w)}時点を掲載。"]


def _people(x: float) -> str:
    return count(x, "人")


def foreign_text(data: HouseholdsData) -> str:
    """The course (turning points: the dip of the pandemic years), the latest count and share, and
    the share against 東京都市部 and 東京都."""
    w = _wide(data)
    n = w["foreign"].astype("float64")
    first, last = w.index[0], w.index[-1]
    tol = trends.relative_tolerance(n, 0.01)
    turns = trends.turning_points(n, tolerance=tol)
    text = f"{data.city_name}の外国人住民数は、{label_date(first)}の{_people(n[first])}から"
    if turns:
        clauses = []
        for i, t in enumerate(turns):
            if t.kind == "peak":
                clauses.append(f"{label_date(t.at)}の{_people(t.value)}をピークに{'減少し' if i < len(turns) - 1 else '減少に転じ'}")
            else:
                clauses.append(f"{label_date(t.at)}の{_people(t.value)}を底に{'再び増加し' if i < len(turns) - 1 else '再び増加に転じ'}")
        first_verb = "増加した後" if turns[0].kind == "peak" else "減少した後"
        text += f"{first_verb}、" + "、".join(clauses) + "、"
    else:
        text += f"{'増加' if n[last] > n[first] else '減少'}を続け、"
    p = trends.peak(n)
    run = trends.latest_run(n, tolerance=tol)
    streak = trends.run_phrase(run)
    tail = f"（{streak}）" if streak and run is not None and run.direction == trends.UP else ""
    now = f"{label_date(last)}現在は{_people(n[last])}（総人口の{pct(w.loc[last, 'share'])}）"
    text += f"{now}で、この間で最も多くなっています{tail}。" if p.is_latest else f"{now}です{tail}。"
    others = [("東京都市部", w.loc[last, "shibu_share"]), ("東京都", w.loc[last, "tokyo_share"])]
    text += "外国人住民の割合は、" + compare_phrase(w.loc[last, "share"], others, pct) + "。"
    return text


def foreign_figure(data: HouseholdsData) -> AppendixFigure:
    w = _wide(data)
    x = np.arange(len(w))
    fig = new_figure(8, 5.4)
    ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1]})
    ax.bar(x, w["foreign"], color=PALETTE[4], width=0.6)
    for xi, v in zip(x, w["foreign"], strict=True):
        ax.text(xi, v, count(v), ha="center", va="bottom", fontsize=8)
    thousands(ax, "y")
    ax.set_ylabel("人")
    ax.set_ylim(0, float(w["foreign"].max()) * 1.18)
    ax.set_title(f"外国人住民数（{data.city_name}）", loc="left", fontsize=10)
    lines = (("share", data.city_name, PALETTE[0], "o"), ("shibu_share", "東京都市部", PALETTE[1], "s"),
             ("tokyo_share", "東京都", PALETTE[2], "^"))
    for key, label, color, marker in lines:
        ax2.plot(x, w[key], color=color, marker=marker, linewidth=2.0 if key == "share" else 1.4, label=label)
        ax2.annotate(pct(w[key].iloc[-1]), (x[-1], w[key].iloc[-1]), textcoords="offset points", xytext=(6, 0),
                     va="center", fontsize=8, color=color)
    percent(ax2, "y", decimals=0)
    ax2.set_ylim(0, float(w[["share", "shibu_share", "tokyo_share"]].max().max()) * 1.25)
    ax2.set_xlim(-0.6, len(x) - 0.1)
    ax2.set_title("外国人住民の割合（総人口に占める割合）", loc="left", fontsize=10)
    handles, labels = ax2.get_legend_handles_labels()
    order = sorted(range(len(lines)), key=lambda i: -w[lines[i][0]].iloc[-1])
    ax2.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", frameon=False,
               fontsize=8, ncol=3)
    ax2.set_xticks(x, [f"{short_wareki(pd.Timestamp(d).date())}\n{pd.Timestamp(d).year}" for d in w.index])
    ax2.set_xlabel("各年1月1日")
    first, last = w.index[0], w.index[-1]
    return AppendixFigure(
        title=f"外国人住民数と割合の推移（{data.city_name}）",
        figure=fig,
        alt=(f"{label_date(first)}から{label_date(last)}までの各年1月1日の値。上段は{data.city_name}の外国人住民数の棒グラフで、"
             f"{_people(w.loc[first, 'foreign'])}から{_people(w.loc[last, 'foreign'])}。下段は外国人住民の割合の折れ線グラフで、"
             f"{label_date(last)}は" + "、".join(f"{lines[i][1]}{pct(w[lines[i][0]].iloc[-1])}" for i in order) + "。"),
        source=_source(),
        notes=["東京都市部は都内26市の計。"],
    )


# --- the year's change by nationality (人口の動き, monthly tables) ------------------------------
#: (row label, item in the monthly tables)
BREAKDOWN_ROWS = (
    ("出生数", "出生数"),
    ("死亡数", "死亡数"),
    ("自然増減", "自然増減"),
    ("都内間の移動増減", "都内間移動増減"),
    ("その他の増減（出入国など）", "その他の増減"),
)


def foreign_breakdown_table(data: HouseholdsData) -> AppendixTable | str:
    b = data.breakdown
    if b.empty:
        return missing_sentence("日本人・外国人別の人口の増減の内訳", MONTHLY)
    assert data.breakdown_year is not None
    frame = pd.DataFrame({
        "区分": [label for label, _item in BREAKDOWN_ROWS],
        **{col: pd.array([b.loc[item, col] if item in b.index else pd.NA for _l, item in BREAKDOWN_ROWS],
                         dtype="Int64") for col in ("総数", "日本人", "外国人")},
    })
    missing = [label for label, item in BREAKDOWN_ROWS if item not in b.index]
    notes = [
        "人口の動きの月別の表（日本人・外国人別）の年計。他県との移動（転入・転出）の日本人・外国人別の内訳は含めていない。",
        "その他の増減は、国外との転出入（出入国）や職権による住民票の記載・消除など。",
    ]
    if missing:
        notes.append(f"{'・'.join(missing)}は、その月別の表がないため掲載していない。")
    return AppendixTable(
        title=f"人口の増減の内訳（日本人・外国人別、{data.city_name}、{label_year(data.breakdown_year)}）",
        frame=frame,
        unit="単位：人",
        source=citation(MONTHLY, f"{label_year(data.breakdown_year)}1月～12月"),
        notes=notes,
        formats={c: "int" for c in ("総数", "日本人", "外国人")},
    )


def _signed(value: float) -> str:
    if value > 0:
        return f"{_people(value)}の増加"
    if value < 0:
        return f"{_people(-value)}の減少"
    return "増減なし"


def foreign_breakdown_text(data: HouseholdsData) -> str:
    """Which component moved the foreign residents most in the latest year, against the Japanese."""
    b = data.breakdown
    parts = [("自然増減", "自然増減"), ("都内間の移動増減", "都内間移動増減"), ("その他の増減（国外との出入国など）", "その他の増減")]
    parts = [(label, item) for label, item in parts if item in b.index and pd.notna(b.loc[item, "外国人"])]
    if b.empty or not parts:
        return ""
    assert data.breakdown_year is not None
    year = label_year(data.breakdown_year)
    fo = {label: float(b.loc[item, "外国人"]) for label, item in parts}
    text = f"{year}の外国人住民の増減の内訳をみると、" + "、".join(f"{label}が{_signed(v)}" for label, v in fo.items())
    top = max(fo, key=lambda k: fo[k])
    if fo[top] > 0 and sum(v > 0 for v in fo.values()) > 1:
        text += f"で、{top.split('（')[0]}による増加が最も大きくなっています。"
    else:
        text += "です。"
    if "自然増減" in b.index and pd.notna(b.loc["自然増減", "日本人"]):
        text += f"日本人は自然増減が{_signed(float(b.loc['自然増減', '日本人']))}となっています。"
    return text
