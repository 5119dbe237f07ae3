"""What both survey sections show: the overview with 有効回収率, the respondents' attributes, the
sampling-error table, the 単純集計 of every question, the NUM statistics, and the sentence shown when a
survey is not available for the fiscal year."""

from __future__ import annotations

import pandas as pd

from komae_analysis.analysis.survey.data import SurveyData
from komae_analysis.reference import daily_life_areas
from komae_analysis.report import numbers
from komae_analysis.report.tables import AppendixTable
from komae_analysis.survey.summaries import sampling_error, sampling_error_frame
from komae_analysis.survey.tables import gt_combined_table, numeric_table, sampling_table

NOT_AVAILABLE = "この年度の資料編に使える調査の結果はありません（{what}の回答データがありません）。"
SURVEY_NAMES = {"community": "地域福祉に関する市民意識調査", "needs": "介護予防・日常生活圏域ニーズ調査"}


def not_available(data: SurveyData) -> str:
    return NOT_AVAILABLE.format(what=SURVEY_NAMES[data.kind])


def overview_table(data: SurveyData) -> AppendixTable | str:
    """調査の概要: one row — 調査対象, 抽出方法, 調査期間, 配布数, 有効回収数, 有効回収率."""
    if not data.available:
        return not_available(data)
    cb = data.codebook
    ov = cb.overview
    valid = data.wave.n
    frame = pd.DataFrame([{
        "調査名": ov.title, "調査対象": ov.target, "抽出方法": ov.sampling, "調査期間": ov.period_label,
        "配布数": ov.distributed, "有効回収数": valid,
        "有効回収率": (valid / ov.distributed) if ov.distributed else None,
    }])
    frame["配布数"] = frame["配布数"].astype("Int64")
    notes = ["有効回収率＝有効回収数÷配布数。"]
    if data.weights_note:
        notes.append(data.weights_note)
    return AppendixTable(title="調査の概要", frame=frame, source=data.source(), notes=notes, unit="単位：件、％",
                         formats={"配布数": "int", "有効回収数": "int", "有効回収率": "pct"})


def attributes_table(data: SurveyData) -> AppendixTable | str:
    """回答者の属性: the attribute questions' 単純集計."""
    if not data.available:
        return not_available(data)
    cb = data.codebook
    questions = [cb.question(g.question) for label, g in data.groupings.items() if "×" not in label]
    table = gt_combined_table(data.tab, cb, questions, source=data.source(), title="回答者の属性")
    if "圏域" in data.groupings:
        table.notes.append(area_note())
    return table


def area_note() -> str:
    """The 日常生活圏域 and their towns (the city's mapping, with its source)."""
    areas = "、".join(f"{a.key}圏域＝{'・'.join(a.towns)}（{a.official_name}の担当区域）" for a in daily_life_areas())
    return f"日常生活圏域：{areas}。"


def sampling_sizes(data: SurveyData) -> list[tuple[str, int]]:
    sizes = [("全体", data.wave.n)]
    for label, g in data.groupings.items():
        if "×" in label:
            continue
        counts = pd.Series(g.index[g.index >= 0]).value_counts()
        sizes += [(f"{label}：{name}", int(counts.get(j, 0))) for j, name in enumerate(g.labels) if counts.get(j, 0)]
    return sizes


def sampling_error_table(data: SurveyData) -> AppendixTable | str:
    """標本誤差 at the total n and each group's n, for P = 10 … 50 %."""
    if not data.available:
        return not_available(data)
    frame = sampling_error_frame(sampling_sizes(data), data.codebook.overview.population)
    return sampling_table(frame, data.codebook.overview.population, source=data.source())


def overview_text(data: SurveyData) -> str:
    if not data.available:
        return not_available(data)
    ov = data.codebook.overview
    n = data.wave.n
    text = f"{ov.title}は、{ov.period_label}に実施しました（対象と抽出方法は表のとおり）。"
    if ov.distributed:
        text += (f"配布数{numbers.count(ov.distributed)}件に対して有効回収数は{numbers.count(n)}件、"
                 f"有効回収率は{numbers.pct(n / ov.distributed)}です。")
    else:
        text += f"有効回収数は{numbers.count(n)}件です。"
    error = sampling_error(n, 50, ov.population)
    text += (f"全体の結果の標本誤差は最大で±{numbers.dec(error, 1)}ポイントです。"
             "性別や年代などの区分別の結果は回答者が少ないほど誤差が大きくなるため、幅をもって見る必要があります。")
    return text


def simple_table(data: SurveyData, title: str = "設問ごとの回答（単純集計）") -> AppendixTable | str:
    """Every question but the attributes (and coded free text, in its own table)."""
    if not data.available:
        return not_available(data)
    cb = data.codebook
    attrs = {g.question for g in data.groupings.values()}
    present = set(data.tab.cells["question_id"])
    questions = [q for q in cb.questions if q.id not in attrs and q.id in present and q.kind != "FA"]
    return gt_combined_table(data.tab, cb, questions, source=data.source(), title=title)


def numeric_summary_table(data: SurveyData) -> AppendixTable | str:
    if not data.available:
        return not_available(data)
    qs = [q for q in data.codebook.questions if q.kind == "NUM"]
    if not qs:
        return "数量で回答する設問はありません。"
    return numeric_table(data.tab, data.codebook, qs, source=data.source())


__all__ = ["attributes_table", "not_available", "numeric_summary_table", "overview_table", "overview_text",
           "sampling_error_table", "sampling_sizes", "simple_table"]
