"""The survey sections' parameters and data: the latest wave before the fiscal year's cutoff (and the
one before it), prepared, optionally weighted, and tabulated in total and by the cross-tab attributes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from komae_analysis.calendar import era_of
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation
from komae_analysis.ingest.survey import codebooks_from_frame, responses_from_frame
from komae_analysis.params import Params
from komae_analysis.survey.prepare import Wave, prepare_wave
from komae_analysis.survey.tabulate import Grouping, Tabulation, cross_grouping, grouping, tabulate
from komae_analysis.survey.weights import poststratify

COMMUNITY = "community"
NEEDS = "needs"
SOURCES = {
    COMMUNITY: ("survey_community_codebook", "survey_community_responses"),
    NEEDS: ("survey_needs_codebook", "survey_needs_responses"),
}
REGISTER = "city_register_population"


@dataclass(frozen=True)
class SurveyParams:
    """The ``survey:`` block of the run parameters (both survey sections).

    ``cross_by`` names the codebook's 属性 by which results are cross-tabulated (性別, 年代, 圏域); a group
    with fewer respondents than ``reference_threshold`` is marked 参考値; cross-tab cells with 1 to
    ``suppress_below`` − 1 respondents are suppressed (「x」, with secondary suppression). ``weighting``
    post-stratifies the respondents to the register's 性別 × 年代 population. The ``community_*`` lists
    name the 市民意識調査's questions drawn as charts, cross-tabulated, and compared with the previous
    wave in a chart (every question with a 前回設問ID is in the comparison table).
    """

    cross_by: tuple[str, ...]
    reference_threshold: int
    suppress_below: int
    weighting: bool
    community_charts: tuple[str, ...]
    community_cross: tuple[str, ...]
    community_wave_charts: tuple[str, ...]

    def check(self) -> str | None:
        if self.reference_threshold < 1:
            return "reference_threshold は1以上です"
        if self.suppress_below < 2:
            return "suppress_below は2以上です（1人の区分を秘匿するには2）"
        if not self.cross_by:
            return "cross_by に1つ以上の属性を書いてください"
        return None


PARAMS = SurveyParams


@dataclass
class SurveyData:
    params: Params
    settings: SurveyParams
    kind: str  # community | needs
    wave: Wave | None = None
    tab: Tabulation | None = None
    previous: Wave | None = None
    previous_tab: Tabulation | None = None
    groupings: dict[str, Grouping] = field(default_factory=dict)  # 属性 label → grouping
    weights_note: str = ""

    @property
    def available(self) -> bool:
        return self.wave is not None

    @property
    def source_id(self) -> str:
        return SOURCES[self.kind][1]

    @property
    def codebook(self):
        assert self.wave is not None
        return self.wave.codebook

    def source(self) -> str:
        return survey_source(self.kind, self.wave)

    def previous_source(self) -> str:
        return survey_source(self.kind, self.previous)

    def both_sources(self) -> str:
        if self.previous is None:
            return self.source()
        return citation(self.source_id, f"{month_label(self.previous)}・{month_label(self.wave)}実施")


def month_label(wave: Wave | None) -> str:
    """令和7年11月"""
    assert wave is not None
    era, n = era_of(wave.date)
    return f"{era}{'元' if n == 1 else n}年{wave.date.month}月"


def survey_source(kind: str, wave: Wave | None) -> str:
    return citation(SOURCES[kind][1], f"{month_label(wave)}実施")


def _latest_two(codebook_frame: pd.DataFrame, responses_frame: pd.DataFrame) -> tuple[Wave | None, Wave | None]:
    if codebook_frame.empty:
        return None, None
    codebooks = codebooks_from_frame(codebook_frame)
    dates = sorted(codebooks)
    waves: list[Wave] = []
    for date in dates[-2:]:
        cb = codebooks[date]
        part = responses_frame[responses_frame["date"] == date]
        if part.empty:
            continue
        waves.append(prepare_wave(cb, responses_from_frame(part, cb)))
    if not waves:
        return None, None
    return waves[-1], (waves[-2] if len(waves) > 1 else None)


# ====================================================================================== weights

_AGE = re.compile(r"(\d+)")


def _age_bounds(labels: tuple[str, ...]) -> list[tuple[int, int | None]]:
    """18～29歳 → (18, 29); 80歳以上 → (80, None)."""
    out = []
    for label in labels:
        nums = [int(x) for x in _AGE.findall(label)]
        if not nums:
            raise KomaeError(f"年代の選択肢「{label}」から年齢の範囲が読めません")
        out.append((nums[0], nums[1] if len(nums) > 1 else None))
    return out


def register_weights(wave: Wave, register: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Post-stratification weights to the register's 性別 × 年代 population on the last register date
    before the survey (男性/女性 and the 年代 options' age ranges)."""
    attrs = wave.codebook.attributes()
    if "性別" not in attrs or "年代" not in attrs:
        raise KomaeError("重み付けには調査票設計の属性「性別」「年代」が必要です")
    if register.empty:
        raise KomaeError("重み付けに使う住民基本台帳の人口がありません")
    sex_q, age_q = attrs["性別"], attrs["年代"]
    dates = sorted(d for d in register["date"].unique() if pd.Timestamp(d).date() <= wave.date)
    if not dates:
        raise KomaeError("調査日より前の住民基本台帳の人口がありません")
    reg = register[register["date"] == dates[-1]]
    sexes = {"男性": "男", "女性": "女"}
    bounds = _age_bounds(tuple(o.label for o in age_q.options))
    cells = []
    for s in sex_q.options:
        for lo, hi in bounds:
            if s.label not in sexes:
                cells.append(0.0)
                continue
            part = reg[(reg["sex"] == sexes[s.label]) & (reg["age_from"] >= lo)]
            if hi is not None:
                part = part[part["age_from"] <= hi]
            cells.append(float(part["population"].sum()))
    g = cross_grouping(wave, sex_q.id, age_q.id)
    index = np.where(np.isin(g.index, [i for i, c in enumerate(cells) if c > 0]), g.index, -1)
    weights = poststratify(index, cells, g.labels)
    note = (f"割合は、回答者の性別・年代の構成を{pd.Timestamp(dates[-1]).year}年1月1日現在の住民基本台帳人口に合わせる重み付け"
            "（事後層化）をした値。性別・年代が無回答などの人の重みは1。")
    return weights, note


# ====================================================================================== prepare


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> SurveyData:
    """The section's survey: the latest wave conducted before the fiscal year's cutoff (and the previous
    wave), prepared by the codebook's rules and tabulated by the ``cross_by`` attributes."""
    kind = COMMUNITY if SOURCES[COMMUNITY][0] in inputs else NEEDS
    settings = params.topic(SurveyParams)
    cb_id, resp_id = SOURCES[kind]
    wave, previous = _latest_two(inputs[cb_id], inputs[resp_id])
    data = SurveyData(params, settings, kind)
    if wave is None:
        return data
    if settings.weighting:
        weights, note = register_weights(wave, inputs.get(REGISTER, pd.DataFrame()))
        wave = wave.with_weights(weights)
        data.weights_note = note
    attrs = wave.codebook.attributes()
    missing = [a for a in settings.cross_by if a not in attrs]
    if missing:
        raise KomaeError(f"調査票設計（{wave.codebook.file}）に属性「{'」「'.join(missing)}」の設問がありません"
                         f"（パラメータ survey.cross_by）")
    data.groupings = {a: grouping(wave, attrs[a].id, a) for a in settings.cross_by}
    by = list(data.groupings.values())
    if kind == NEEDS and "性別" in attrs and "年代" in attrs:
        data.groupings["性別×年代"] = cross_grouping(wave, attrs["性別"].id, attrs["年代"].id)
        by.append(data.groupings["性別×年代"])
    data.wave = wave
    data.tab = tabulate(wave, by, settings.reference_threshold)
    if previous is not None:
        data.previous = previous
        data.previous_tab = tabulate(previous, [], settings.reference_threshold)
    return data


__all__ = ["COMMUNITY", "NEEDS", "PARAMS", "SOURCES", "SurveyData", "SurveyParams", "month_label", "prepare",
           "register_weights", "survey_source"]
