"""第1節 第3款（2）介護予防・日常生活圏域ニーズ調査: the risk indicators computed by the national
scoring rules (:mod:`komae_analysis.survey.needs`), in total, by 性別 × 年代 and by 日常生活圏域, with
disclosure control on every group × indicator cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis.survey.common import not_available
from komae_analysis.analysis.survey.data import SurveyData
from komae_analysis.report import numbers
from komae_analysis.report.charts import OKABE_ITO, PALETTE, AppendixFigure, new_figure, percent
from komae_analysis.report.tables import AppendixTable
from komae_analysis.survey.disclosure import MARK, suppress
from komae_analysis.survey.needs import HIT, RULES, risk_status
from komae_analysis.survey.tables import REFERENCE_MARK, SUPPRESSION_NOTE, reference_note

DENOMINATOR_NOTE = ("該当率の分母は、その項目の判定ができた人（判定に使う設問に無回答があり該当・非該当が決まらない人を除く）。"
                    "回答者数は区分の回答者の数。")
RULE_SOURCE = ("判定方法：厚生労働省「介護予防・日常生活圏域ニーズ調査 実施の手引き」の評価項目、基本チェックリスト"
               "（「介護予防マニュアル（改訂版）」）の基準、老研式活動能力指標（手段的自立）による。")


def _status(data: SurveyData) -> dict[str, np.ndarray]:
    cache = data.__dict__.setdefault("_risk", {})
    if "status" not in cache:
        cache["status"] = risk_status(data.wave)
    return cache["status"]


def rules_table(data: SurveyData) -> AppendixTable | str:
    """How each indicator is judged (the national rules, in words)."""
    if not data.available:
        return not_available(data)
    frame = pd.DataFrame([{"指標": r.name, "該当とする基準": r.definition} for r in RULES])
    return AppendixTable(title="リスク判定の方法", frame=frame, source=RULE_SOURCE.replace("判定方法：", ""),
                         notes=["問番号は国の調査票の番号。"], formats={"指標": "text", "該当とする基準": "text"})


def _counts(data: SurveyData, label: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(group labels, group n, hits (groups × indicators), judged (groups × indicators), hidden hits)."""
    g = data.groupings[label]
    status = _status(data)
    size = g.size
    known = g.index >= 0
    n = np.bincount(g.index[known], minlength=size)
    hits = np.zeros((size, len(RULES)), dtype=np.int64)
    judged = np.zeros((size, len(RULES)), dtype=np.int64)
    total_hits = np.zeros(len(RULES), dtype=np.int64)
    for k, rule in enumerate(RULES):
        s = status[rule.name]
        hits[:, k] = np.bincount(g.index[known & (s == HIT)], minlength=size)
        judged[:, k] = np.bincount(g.index[known & (s >= 0)], minlength=size)
        total_hits[k] = int((s == HIT).sum())
    return list(g.labels), n, hits, judged, total_hits - hits.sum(axis=0)


def _totals(data: SurveyData) -> tuple[int, np.ndarray, np.ndarray]:
    status = _status(data)
    hits = np.array([(status[r.name] == HIT).sum() for r in RULES])
    judged = np.array([(status[r.name] >= 0).sum() for r in RULES])
    return data.wave.n, hits, judged


def risk_table(data: SurveyData, label: str) -> AppendixTable | str:
    """該当率 of every indicator: 全体 and the groups of ``label`` (性別×年代 or 圏域)."""
    if not data.available:
        return not_available(data)
    names, n, hits, judged, hidden = _counts(data, label)
    sup = suppress(hits, min_count=data.settings.suppress_below, additive_rows=False, hidden=hidden)
    total_n, total_hits, total_judged = _totals(data)
    threshold = data.settings.reference_threshold
    head = label.replace("×", "・")
    rows = [{head: "全体", "回答者数": total_n,
             **{r.name: (total_hits[k] / total_judged[k]) if total_judged[k] else None for k, r in enumerate(RULES)}}]
    refs = False
    for j, name in enumerate(names):
        ref = n[j] < threshold
        refs |= bool(ref)
        rows.append({head: f"{name}{REFERENCE_MARK if ref else ''}", "回答者数": int(n[j]),
                     **{r.name: (None if judged[j, k] == 0 or hits[j, k] == 0 else hits[j, k] / judged[j, k])
                        for k, r in enumerate(RULES)}})
    frame = pd.DataFrame(rows)
    formats = {"回答者数": "int", **{r.name: "pct" for r in RULES}}
    notes = [DENOMINATOR_NOTE, f"{head}が無回答の人は区分別の集計から除いている。「－」は該当者のいないもの。"]
    if refs:
        notes.append(reference_note(threshold))
    if sup.any:
        for k, r in enumerate(RULES):
            if sup.mask[:, k].any():
                frame[r.name] = [numbers.format_value(v, "pct") for v in frame[r.name]]
                formats[r.name] = "text"
                for j in np.flatnonzero(sup.mask[:, k]):
                    frame.iat[j + 1, frame.columns.get_loc(r.name)] = MARK
        notes.append(SUPPRESSION_NOTE.format(m=data.settings.suppress_below - 1))
    notes.append(RULE_SOURCE)
    return AppendixTable(title=f"リスク該当者の割合（{head}別）", frame=frame, source=data.source(), notes=notes,
                         unit="単位：人、％", formats=formats, total_rows=[0])


def risk_by_sex_age_table(data: SurveyData) -> AppendixTable | str:
    return risk_table(data, "性別×年代")


def risk_by_area_table(data: SurveyData) -> AppendixTable | str:
    return risk_table(data, "圏域")


def risk_overview_figure(data: SurveyData) -> AppendixFigure | str:
    """該当率 of each indicator in total (horizontal bars, highest first)."""
    if not data.available:
        return ""
    _n, hits, judged = _totals(data)
    rates = hits / np.where(judged > 0, judged, 1)
    order = np.argsort(-rates, kind="stable")
    fig = new_figure(6.4, 3.6)
    ax = fig.add_subplot()
    y = np.arange(len(RULES))
    ax.barh(y, rates[order], color=PALETTE[0], height=0.6)
    ax.set_yticks(y, [RULES[i].name for i in order], fontsize=9)
    ax.invert_yaxis()
    for yi, v in zip(y, rates[order], strict=True):
        ax.text(v + 0.005, yi, numbers.pct(v), va="center", fontsize=8.5)
    ax.set_xlim(0, min(1, float(rates.max()) * 1.2 + 0.02))
    percent(ax, "x")
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    top, bottom = order[0], order[-1]
    return AppendixFigure(
        title="リスク該当者の割合（全体）", figure=fig, source=data.source(), notes=[DENOMINATOR_NOTE.split("。")[0] + "。"],
        alt=(f"8つのリスク指標の該当率を高い順に並べた横棒グラフ。最も高いのは{RULES[top].name}の{numbers.pct(rates[top])}、"
             f"最も低いのは{RULES[bottom].name}の{numbers.pct(rates[bottom])}。"))


def risk_by_age_figure(data: SurveyData) -> AppendixFigure | str:
    """該当率 by 年代, one line per 性別, one panel per indicator; suppressed cells left out."""
    if not data.available:
        return ""
    attrs = data.codebook.attributes()
    sex, age = data.groupings["性別"], data.groupings["年代"]
    _names, _n, hits, judged, hidden = _counts(data, "性別×年代")
    sup = suppress(hits, min_count=data.settings.suppress_below, additive_rows=False, hidden=hidden)
    fig = new_figure(7.6, 4.6)
    axes = fig.subplots(2, 4, sharey=True)
    colors = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    x = np.arange(age.size)
    for k, (ax, rule) in enumerate(zip(axes.ravel(), RULES, strict=True)):
        for s in range(sex.size):
            rows = slice(s * age.size, (s + 1) * age.size)
            rate = np.where(judged[rows, k] > 0, hits[rows, k] / np.where(judged[rows, k] > 0, judged[rows, k], 1), np.nan)
            rate = np.where(sup.mask[rows, k], np.nan, rate)
            ax.plot(x, rate, marker="o", markersize=3, color=colors[s % 2], label=sex.labels[s])
        ax.set_title(rule.name, fontsize=9)
        ax.set_xticks(x, [lab.replace("歳以上", "+").replace("～", "-").replace("歳", "") for lab in age.labels],
                      fontsize=6.5, rotation=45)
        percent(ax, "y")
        ax.tick_params(axis="y", labelsize=7)
    axes[0, 0].legend(fontsize=7, frameon=False)
    notes = [DENOMINATOR_NOTE.split("。")[0] + "。"]
    if sup.any:
        notes.append("回答数が少なく秘匿した区分は点を描いていない。")
    return AppendixFigure(
        title="リスク該当者の割合（性別・年代別）", figure=fig, source=data.source(), notes=notes,
        alt=(f"8つのリスク指標ごとに、{attrs['年代'].text}の区分（横軸）別の該当率を性別の折れ線で示した図。"
             "多くの指標で年齢が上がるほど該当率が高い。"))


def _previous_rates(data: SurveyData) -> tuple[np.ndarray, np.ndarray] | None:
    if data.previous is None:
        return None
    try:
        status = risk_status(data.previous)
    except Exception:  # a previous questionnaire without the national items: no comparison
        return None
    hits = np.array([(status[r.name] == HIT).sum() for r in RULES])
    judged = np.array([(status[r.name] >= 0).sum() for r in RULES])
    return hits, judged


def risk_wave_table(data: SurveyData) -> AppendixTable | str:
    """該当率 of each indicator in the previous and the current survey, and the difference (ポイント) of
    the printed rates."""
    if not data.available:
        return not_available(data)
    prev = _previous_rates(data)
    if prev is None:
        return "前回の調査の回答データがないため、前回との比較は掲載していません。"
    from komae_analysis.analysis.survey.data import month_label

    _n, hits, judged = _totals(data)
    p_hits, p_judged = prev
    before, after = f"前回（{month_label(data.previous)}）", f"今回（{month_label(data.wave)}）"
    rows = []
    for k, r in enumerate(RULES):
        a = hits[k] / judged[k] if judged[k] else None
        b = p_hits[k] / p_judged[k] if p_judged[k] else None
        rows.append({"指標": r.name, before: b, after: a,
                     "差（ポイント）": float(numbers.pct_diff(a, b)) if a is not None and b is not None else None})
    return AppendixTable(
        title="リスク該当者の割合の前回調査との比較", frame=pd.DataFrame(rows), source=data.both_sources(),
        notes=["差は今回と前回の割合（表示した値）の差。", DENOMINATOR_NOTE.split("。")[0] + "。",
               f"前回の回答者数は{numbers.count(data.previous.n)}人、今回は{numbers.count(data.wave.n)}人。"],
        unit="単位：％、ポイント", formats={before: "pct", after: "pct", "差（ポイント）": "dec1"})


def risk_wave_text(data: SurveyData) -> str:
    table = risk_wave_table(data)
    if not isinstance(table, AppendixTable):
        return ""
    f = table.frame.dropna(subset=["差（ポイント）"])
    up = f.loc[f["差（ポイント）"].idxmax()]
    down = f.loc[f["差（ポイント）"].idxmin()]
    parts = []
    if up["差（ポイント）"] > 0:
        parts.append(f"上昇が最も大きいのは{up['指標']}（{numbers.points(up['差（ポイント）'])}）")
    if down["差（ポイント）"] < 0:
        parts.append(f"低下が最も大きいのは{down['指標']}（{numbers.points(down['差（ポイント）'])}）")
    if not parts:
        return "前回の調査と比べ、該当者の割合はどの指標も同じか上昇しています。"
    return "前回の調査と比べると、" + "、".join(parts) + "です。"


def risk_text(data: SurveyData) -> str:
    if not data.available:
        return not_available(data)
    _n, hits, judged = _totals(data)
    rates = hits / np.where(judged > 0, judged, 1)
    hi, lo = int(np.argmax(rates)), int(np.argmin(rates))
    text = (f"国の判定方法で見ると、該当者の割合が最も高いのは{RULES[hi].name}（{numbers.pct(rates[hi])}）、"
            f"最も低いのは{RULES[lo].name}（{numbers.pct(rates[lo])}）です。")
    table = risk_by_sex_age_table(data)
    if isinstance(table, AppendixTable):
        name = RULES[0].name
        if table.column_formats()[name] == "pct":
            f = table.frame.iloc[1:]
            f = f[~f.iloc[:, 0].str.endswith(REFERENCE_MARK) & f[name].notna()]
            if len(f) >= 2:
                hi_row = f.loc[f[name].astype(float).idxmax()]
                lo_row = f.loc[f[name].astype(float).idxmin()]
                text += (f"{name}は、性別・年代別では{hi_row.iloc[0]}が{numbers.pct(hi_row[name])}と最も高く、"
                         f"{lo_row.iloc[0]}（{numbers.pct(lo_row[name])}）との差が大きくなっています。")
    return text


__all__ = ["risk_wave_table", "risk_wave_text", "risk_by_age_figure", "risk_by_area_table", "risk_by_sex_age_table", "risk_overview_figure",
           "risk_table", "risk_text", "rules_table"]
