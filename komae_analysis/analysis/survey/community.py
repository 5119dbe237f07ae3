"""第1節 第3款（1）地域福祉に関する市民意識調査: the key questions as charts, the Likert block with
肯定計 / 否定計, cross tabs by 性別・年代・圏域 (参考値 marked, disclosure control always applied), the
coded free-text answers, and the comparison with the previous wave."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from komae_analysis.analysis.survey import charts
from komae_analysis.analysis.survey.common import not_available
from komae_analysis.analysis.survey.data import SurveyData, month_label
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.survey_codebook import Question
from komae_analysis.report import numbers
from komae_analysis.report.charts import AppendixFigure
from komae_analysis.report.tables import AppendixTable
from komae_analysis.survey.summaries import compare_waves, likert_frame, likert_scale
from komae_analysis.survey.tables import (
    INDENT,
    REFERENCE_MARK,
    SUPPRESSION_NOTE,
    by_word,
    cross_suppression,
    cross_table,
    likert_table,
    question_heading,
    reference_note,
    wave_table,
)
from komae_analysis.survey.tabulate import NO_ANSWER, REFERENCE_FLAG

#: A difference between groups smaller than this (ポイント) is not ranked in the commentary: with a few
#: hundred respondents per group it is within the sampling error.
MIN_SPREAD_POINTS = 5.0


def short_text(q: Question) -> str:
    """The question's text without its parenthesised remarks (「（3つまで）」) for a sentence."""
    return re.sub(r"（[^）]*）", "", q.text).split("：", 1)[-1]


def _question(data: SurveyData, qid: str) -> Question:
    cb = data.codebook
    if qid not in cb:
        raise KomaeError(f"パラメータ survey の設問「{qid}」は調査票設計（{cb.file}）にありません")
    return cb.question(qid)


# ====================================================================================== charts


def chart_figures(data: SurveyData) -> list[AppendixFigure]:
    """One bar chart per ``community_charts`` question (SA in option order, MA sorted by share)."""
    if not data.available:
        return []
    out = []
    for qid in data.settings.community_charts:
        q = _question(data, qid)
        part = data.tab.question(q.id)
        labels, shares = list(part["option_label"]), list(part["pct"])
        fig = charts.bars(labels, shares, sort=q.kind == "MA")
        order = sorted(zip(labels[:-1], shares[:-1], strict=True), key=lambda x: -x[1]) if q.kind == "MA" else \
            list(zip(labels, shares, strict=True))
        top = max(order[:len(labels) - 1] if q.kind == "MA" else order, key=lambda x: x[1])
        base = int(part["base"].iloc[0])
        kind = "複数回答の割合の高い順" if q.kind == "MA" else "選択肢の順"
        notes = [f"回答者数は{numbers.count(base)}人。"]
        if q.condition is not None:
            notes.append(f"{data.codebook.describe_condition(q)}が対象。")
        if q.kind == "MA":
            notes.append("複数回答（M.A.）のため、割合の合計は100％を超える。")
        out.append(AppendixFigure(
            title=question_heading(q), figure=fig, source=data.source(), notes=notes,
            alt=(f"{q.text}の回答の割合を{kind}に並べた横棒グラフ。最も多いのは「{top[0]}」の{numbers.pct(top[1])}。"),
        ))
    return out


def chart_text(data: SurveyData) -> str:
    if not data.available:
        return not_available(data)
    parts = []
    for qid in data.settings.community_charts:
        q = _question(data, qid)
        part = data.tab.question(q.id)
        body = part[part["option_code"] != NO_ANSWER]
        top = body.loc[body["pct"].idxmax()]
        parts.append(f"「{short_text(q)}」では「{top['option_label']}」が{numbers.pct(top['pct'])}で最も多くなっています")
    return "。".join(parts) + "。" if parts else ""


# ====================================================================================== Likert


def _groups(data: SurveyData) -> dict[str, list[Question]]:
    return data.codebook.groups()


def likert_tables(data: SurveyData) -> list[AppendixTable]:
    if not data.available:
        return []
    return [likert_table(data.tab, data.codebook, qs, source=data.source(), title=f"{name}（肯定計・否定計）")
            for name, qs in _groups(data).items()]


def likert_figures(data: SurveyData) -> list[AppendixFigure]:
    if not data.available:
        return []
    out = []
    for name, qs in _groups(data).items():
        lf = likert_frame(data.tab, data.codebook, qs)
        first = qs[0]
        segments = [o.label for o in first.options] + [NO_ANSWER]
        shares = np.array([[r[f"pct:{o.code}"] for o in first.options] + [r["pct:無回答"]] for _, r in lf.iterrows()])
        rows = [q.text.split("：", 1)[-1] for q in qs]
        fig = charts.stacked(rows, segments, shares, likert=True)
        best = lf.loc[lf["positive_pct"].idxmax()]
        out.append(AppendixFigure(
            title=f"{name}", figure=fig, source=data.source(),
            alt=(f"{name}の{len(qs)}項目について、回答の構成比を100％積み上げ横棒で示した図（左から"
                 f"{'、'.join(segments)}）。肯定計が最も高いのは「{data.codebook.question(best['question_id']).text.split('：', 1)[-1]}」。"),
        ))
    return out


def likert_text(data: SurveyData) -> str:
    if not data.available:
        return not_available(data)
    out = []
    for name, qs in _groups(data).items():
        lf = likert_frame(data.tab, data.codebook, qs).set_index("question_id")
        hi, lo = lf["positive_pct"].idxmax(), lf["positive_pct"].idxmin()
        label = {q.id: q.text.split("：", 1)[-1] for q in qs}
        scale = likert_scale(qs[0])
        out.append(
            f"{name}の{len(qs)}項目のうち、肯定的な回答（「{'」「'.join(scale.labels(qs[0], 'positive'))}」の計）が最も多いのは"
            f"「{label[hi]}」（{numbers.pct(lf.loc[hi, 'positive_pct'])}）、最も少ないのは「{label[lo]}」"
            f"（{numbers.pct(lf.loc[lo, 'positive_pct'])}）です。「{label[lo]}」は否定的な回答が"
            f"{numbers.pct(lf.loc[lo, 'negative_pct'])}あります。")
    return "".join(out)


# ====================================================================================== cross tabs


def cross_tables(data: SurveyData) -> list[AppendixTable]:
    """Each ``community_cross`` question by each ``cross_by`` attribute, with disclosure control."""
    if not data.available:
        return []
    out = []
    for qid in data.settings.community_cross:
        q = _question(data, qid)
        for label, g in data.groupings.items():
            if "×" in label:
                continue
            out.append(cross_table(data.tab, data.codebook, q, g.question, source=data.source(),
                                   min_count=data.settings.suppress_below, likert=bool(q.group)))
    return out


def cross_figures(data: SurveyData) -> list[AppendixFigure]:
    """One 100 % stacked bar chart per ``community_cross`` question: 全体, then the groups of each attribute
    (※ 参考値), suppressed cells merged into a grey segment."""
    if not data.available:
        return []
    out = []
    min_count = data.settings.suppress_below
    for qid in data.settings.community_cross:
        q = _question(data, qid)
        if q.kind == "MA":
            continue  # multiple answers do not stack to 100 %: their cross tabs are tables only
        total = data.tab.question(q.id)
        segments = list(total["option_label"])
        rows, shares, hidden = ["全体"], [list(total["pct"])], [[False] * len(segments)]
        any_ref = False
        for label, g in data.groupings.items():
            if "×" in label:
                continue
            part = data.tab.question(q.id, g.question)
            sup = cross_suppression(data.tab, q, g.question, min_count)
            for j, ((_code, name), gp) in enumerate(part.groupby(["by_code", "group_label"], sort=False)):
                ref = gp["flag"].iloc[0] == REFERENCE_FLAG
                any_ref |= ref
                rows.append(f"{name}{REFERENCE_MARK if ref else ''}")
                shares.append(list(gp["pct"]))
                hidden.append(list(sup.mask[j]))
        mask = np.array(hidden)
        fig = charts.stacked(rows, segments, np.array(shares, dtype=float), likert=bool(q.group), suppressed=mask)
        notes = ["性別・年代・圏域が無回答の人は、それぞれの区分から除いている。"]
        if any_ref:
            notes.append(reference_note(data.settings.reference_threshold))
        if mask.any():
            notes.append(SUPPRESSION_NOTE.format(m=min_count - 1) + "図では秘匿したセルをまとめて灰色の斜線で示す。")
        out.append(AppendixFigure(
            title=f"{question_heading(q)}【属性別】", figure=fig, source=data.source(), notes=notes,
            alt=(f"{q.text}の回答の構成比を、全体と{'・'.join(k for k in data.groupings if '×' not in k)}の区分ごとに"
                 f"100％積み上げ横棒で示した図（左から{'、'.join(segments)}）。"),
        ))
    return out


def cross_text(data: SurveyData) -> str:
    """For each cross question, the attribute whose groups differ most on the first option (groups with
    a printed, unsuppressed share and no 参考値 mark only)."""
    if not data.available:
        return not_available(data)
    out = []
    for qid in data.settings.community_cross:
        q = _question(data, qid)
        if q.kind == "MA":
            continue
        first = q.options[0]
        best = None
        for label, g in data.groupings.items():
            if "×" in label:
                continue
            t = cross_table(data.tab, data.codebook, q, g.question, source=data.source(),
                            min_count=data.settings.suppress_below, likert=bool(q.group))
            col = first.label
            if t.column_formats()[col] != "pct":
                continue  # a column with 「x」 is printed as text: the sentence does not quote it
            body = t.frame.iloc[1:]
            body = body[~body[label].str.endswith(REFERENCE_MARK) & body[col].notna()]
            if len(body) < 2:
                continue
            hi = body.loc[body[col].astype(float).idxmax()]
            lo = body.loc[body[col].astype(float).idxmin()]
            spread = float(numbers.pct_diff(hi[col], lo[col]))
            if best is None or spread > best[0]:
                best = (spread, label, hi[label], hi[col], lo[label], lo[col])
        if best is None:
            continue
        _spread, label, hi_name, hi_v, lo_name, lo_v = best
        if _spread < MIN_SPREAD_POINTS:  # within what sampling error explains: no ranking
            out.append(f"「{short_text(q)}」で「{first.label}」と答えた人の割合は、"
                       f"{'・'.join(k for k in data.groupings if '×' not in k)}の区分による大きな差はみられません。")
            continue
        out.append(f"「{short_text(q)}」で「{first.label}」と答えた人の割合は、{by_word(label)}にみると{hi_name}が{numbers.pct(hi_v)}と最も高く、"
                   f"{lo_name}が{numbers.pct(lo_v)}と最も低くなっています。")
    return "".join(out)


# ====================================================================================== free text


def free_text_table(data: SurveyData) -> AppendixTable | str:
    """Counts of the coded free-text answers by category (never the text itself)."""
    if not data.available:
        return not_available(data)
    coded = [q for q in data.codebook.questions if q.kind == "FA" and q.id in data.wave.responses.fa_coded]
    if not coded:
        return "自由記述の回答は、分類した件数のみを掲載します（この調査では分類を行っていません）。"
    rows = []
    headings = []
    totals = []
    for q in coded:
        part = data.tab.question(q.id).sort_values("n", ascending=False, kind="stable")
        base = int(part["base"].iloc[0])
        headings.append(len(rows))
        rows.append({"設問・分類": f"{q.id} {q.text}", "件数": None, "割合": None})
        for r in part.itertuples(index=False):
            rows.append({"設問・分類": INDENT + r.option_label, "件数": None if r.n == 0 else int(r.n),
                         "割合": None if r.n == 0 else r.pct})
        totals.append(len(rows))
        rows.append({"設問・分類": INDENT + "記入のあった人", "件数": base, "割合": 1.0 if base else None})
    frame = pd.DataFrame(rows)
    frame["件数"] = frame["件数"].astype("Int64")
    return AppendixTable(
        title="自由記述の分類別件数", frame=frame, source=data.source(), unit="単位：件、％",
        notes=["自由記述は、内容を確認したうえで分類した件数のみを掲載し、記述そのものは掲載していない。",
               "1つの記述を主な内容で1つの分類に数えている。"],
        formats={"件数": "int", "割合": "pct"}, total_rows=totals, highlight_rows=headings)


# ====================================================================================== waves


def _compare(data: SurveyData) -> pd.DataFrame:
    return compare_waves(data.tab, data.codebook, data.previous_tab, data.previous.codebook)


def wave_comparison_table(data: SurveyData) -> AppendixTable | str:
    if not data.available:
        return not_available(data)
    if data.previous is None:
        return "前回の調査の回答データがないため、前回との比較は掲載していません。"
    cmp = _compare(data)
    if cmp.empty:
        return "前回の調査と比べられる設問はありません。"
    return wave_table(cmp, data.codebook, data.previous.codebook, source=data.both_sources(),
                      title=f"前回調査（{month_label(data.previous)}）との比較")


def wave_figure(data: SurveyData) -> AppendixFigure | str:
    if not data.available or data.previous is None:
        return ""
    cmp = _compare(data)
    wanted = [q for q in data.settings.community_wave_charts if q in set(cmp["question_id"])]
    if not wanted:
        return ""
    rows = cmp[cmp["question_id"].isin(wanted)].groupby("question_id", sort=False).head(1)
    labels = [f"{data.codebook.question(r.question_id).text}：{r.option_label}" for r in rows.itertuples()]
    fig = charts.paired(labels, list(rows["prev_pct"]), list(rows["cur_pct"]),
                        before_label=f"前回（{month_label(data.previous)}）", after_label=f"今回（{month_label(data.wave)}）")
    return AppendixFigure(
        title="前回調査との比較（主な設問）", figure=fig, source=data.both_sources(),
        notes=["各設問の1つ目の選択肢の割合。"],
        alt=f"{len(labels)}つの設問について、1つ目の選択肢を選んだ人の割合を前回と今回で並べた横棒グラフ。",
    )


def wave_text(data: SurveyData) -> str:
    if not data.available or data.previous is None:
        return ""
    cmp = _compare(data).dropna(subset=["diff"])
    asked_all = {q.id for q in data.codebook.questions if q.condition is None}
    cmp = cmp[cmp["question_id"].isin(asked_all)]  # conditional questions have small bases
    if cmp.empty:
        return ""
    up = cmp.loc[cmp["diff"].idxmax()]
    down = cmp.loc[cmp["diff"].idxmin()]
    cb = data.codebook
    text = (f"前回の調査（{month_label(data.previous)}）と比べると、上昇が最も大きいのは「{short_text(cb.question(up['question_id']))}」の「{up['option_label']}」"
            f"（{numbers.pct(up['prev_pct'])}→{numbers.pct(up['cur_pct'])}、{numbers.points(up['diff'])}上昇）")
    if down["diff"] < 0:
        text += (f"、低下が最も大きいのは「{short_text(cb.question(down['question_id']))}」の「{down['option_label']}」"
                 f"（{numbers.pct(down['prev_pct'])}→{numbers.pct(down['cur_pct'])}、{numbers.points(down['diff'])}低下）")
    return text + "です。"


__all__ = ["chart_figures", "chart_text", "cross_figures", "cross_tables", "cross_text", "free_text_table",
           "likert_figures", "likert_tables", "likert_text", "wave_comparison_table", "wave_figure", "wave_text"]
