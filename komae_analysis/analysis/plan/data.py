"""The plan registry's data and parameters, shared by 第4章 施策体系, 第5款 進捗状況の評価 and the 実施計画.

:func:`prepare` takes whichever of the registry, progress and 実施計画 frames a section declares
(a missing optional source arrives as an empty frame) and checks them against each other: every
事業 rated or measured is a 事業 of the registry, every 実施計画 施策 is a 重点施策 of it. The editor's
tool for the same checks, with rows and columns, is ``komae registry check``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from komae_analysis.calendar import short_fy, wareki_fy
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params

OUTLINE = "plan_registry_outline"
MEASURES = "plan_registry_measures"
PROJECTS = "plan_registry_projects"
SCALE = "plan_progress_scale"
RATINGS = "plan_progress_ratings"
INDICATORS = "plan_progress_indicators"
LINES = "implementation_plan_lines"
BUDGET = "implementation_plan_budget"

#: The 基本目標 summary grades, best first.
GRADES = ("順調", "おおむね順調", "やや遅れ", "遅れ")


@dataclass(frozen=True)
class PlanParams:
    """The ``plan:`` block of the run parameters.

    - ``plan_first_fy`` / ``plan_last_fy``: the 基本計画's period (令和6～11年度); the 実施計画's 到達目標 is
      for its last year.
    - ``revision_fy``: the 実施計画 edition to print (drawn up in July of that fiscal year: its year, the
      next two as 見込, and the previous year's 取組状況).
    - ``evaluation_first_fy`` / ``evaluation_last_fy``: the fiscal years 第5款 evaluates (the running
      plans' years; the last one, when it is the run's fiscal year, is a 見込).
    - ``grade_thresholds``: three shares, descending: a 基本目標 whose share of 事業 not rated 遅れ is at
      least the first is 順調, at least the second おおむね順調, at least the third やや遅れ, else 遅れ.
    - ``indicator_behind_below``: an indicator whose 達成率 is below this share is 遅れ.
    """

    plan_first_fy: int
    plan_last_fy: int
    revision_fy: int
    evaluation_first_fy: int
    evaluation_last_fy: int
    grade_thresholds: tuple[float, ...]
    indicator_behind_below: float

    def check(self) -> str | None:
        if not 2000 <= self.plan_first_fy <= self.plan_last_fy <= 2100:
            return "plan_first_fy ≦ plan_last_fy の年度（西暦）にしてください"
        if not self.plan_first_fy <= self.revision_fy <= self.plan_last_fy:
            return f"revision_fy（{self.revision_fy}）は計画期間（{self.plan_first_fy}～{self.plan_last_fy}）の年度です"
        if not self.evaluation_first_fy <= self.evaluation_last_fy:
            return "evaluation_first_fy ≦ evaluation_last_fy にしてください"
        t = self.grade_thresholds
        if len(t) != 3 or not all(0 < x <= 1 for x in t) or not t[0] > t[1] > t[2]:
            return f"grade_thresholds は0より大きく1以下の割合を大きい順に3つです（実際: {list(t)}）"
        if not 0 < self.indicator_behind_below <= 1:
            return f"indicator_behind_below は0より大きく1以下の割合です（実際: {self.indicator_behind_below}）"
        return None


#: The parameters block of this topic (``plan:`` in params/FY*.yaml).
PARAMS = PlanParams


@dataclass(frozen=True)
class PlanData:
    """The frames of the plan workbooks a section declared (empty where the section does not read
    one, or where the file is absent), with the run's parameters."""

    params: Params
    settings: PlanParams
    outline: pd.DataFrame
    measures: pd.DataFrame
    projects: pd.DataFrame
    scale: pd.DataFrame
    ratings: pd.DataFrame
    indicators: pd.DataFrame
    lines: pd.DataFrame
    budget: pd.DataFrame

    @property
    def goals(self) -> list[tuple[int, str]]:
        """The 基本目標 (number, name) in order: from the registry's 基本目標 sheet."""
        g = self.outline[self.outline["kind"] == "基本目標"]
        if len(g):
            return [(int(n), str(name)) for n, name in zip(g["number"], g["name"], strict=True)]
        pairs = self.measures[["goal_no", "goal"]].drop_duplicates().sort_values("goal_no")
        return [(int(n), str(name)) for n, name in pairs.itertuples(index=False)]

    @property
    def plans(self) -> list[tuple[int, str, str, str]]:
        """The plans (number, 略称, 計画名, 補足) in the order of the 施策体系."""
        p = self.outline[self.outline["kind"] == "計画"]
        if len(p):
            return [(int(n), str(s), str(name), "" if pd.isna(note) else str(note))
                    for n, s, name, note in zip(p["number"], p["short_name"], p["name"], p["note"], strict=True)]
        cols = ["plan_no", "plan", "plan_name", "plan_note"]
        pairs = self.measures[cols].drop_duplicates().sort_values("plan_no")
        return [(int(n), str(s), str(name), "" if pd.isna(note) else str(note))
                for n, s, name, note in pairs.itertuples(index=False)]

    @property
    def philosophy(self) -> list[str]:
        return [str(x) for x in self.outline.loc[self.outline["kind"] == "基本理念", "name"]]

    @property
    def has_registry(self) -> bool:
        return len(self.measures) > 0


def plan_heading(short: str, note: str) -> str:
    """「重層計画の施策（分野横断・制度の狭間）」, as the 施策体系 heads each plan's 施策."""
    return f"{short}の施策" + (f"（{note}）" if note else "")


def fy_heading(fy: int, *, estimate: bool = False) -> str:
    """令和8年度 (令和8年度（見込）)."""
    return wareki_fy(fy) + ("（見込）" if estimate else "")


def fy_short(fy: int) -> str:
    return short_fy(fy)


def source_registry() -> str:
    return citation(MEASURES)


def source_progress(detail: str = "") -> str:
    return citation(RATINGS, detail)


def source_plan(detail: str = "") -> str:
    return citation(LINES, detail)


def code_key(code: str) -> tuple[int, ...]:
    return tuple(int(x) for x in str(code).split("-"))


def _frame(inputs: Mapping[str, pd.DataFrame], key: str) -> pd.DataFrame:
    if key in inputs:
        return inputs[key]
    from komae_analysis.ingest import registry
    from komae_analysis.ingest.frames import empty_frame

    return empty_frame(registry.source(key).schema)


def _check_across(measures: pd.DataFrame, projects: pd.DataFrame, ratings: pd.DataFrame,
                  indicators: pd.DataFrame, lines: pd.DataFrame, budget: pd.DataFrame) -> None:
    problems = []
    if measures["code"].duplicated().any():
        dup = "、".join(sorted(set(measures.loc[measures["code"].duplicated(), "code"])))
        problems.append(f"施策コード {dup} が2回以上あります（施策の台帳のファイルが2つ以上ある可能性があります）")
    if len(projects):
        known = set(projects["project_id"])
        for frame, what in ((ratings, "進捗状況の評価（事業評価）"), (indicators, "進捗状況の評価（指標）")):
            unknown = sorted(set(frame["project_id"]) - known) if len(frame) else []
            if unknown:
                problems.append(f"{what}の事業ID {'、'.join(unknown)} が施策の台帳の「事業」シートにありません")
    if len(measures) and (len(lines) or len(budget)):
        priority = set(measures.loc[measures["priority"], "code"])
        codes = set(lines["measure_code"]) | set(budget["measure_code"])
        wrong = sorted(codes - priority, key=code_key)
        if wrong:
            problems.append(f"実施計画の施策コード {'、'.join(wrong)} が施策の台帳の重点施策にありません")
    if problems:
        raise KomaeError("施策の台帳・進捗状況の評価・実施計画が互いに合いません（komae registry check で行と列を確認できます）: "
                         + "／".join(problems))


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> PlanData:
    """The section's data from its declared inputs (source id → tidy frame); the sources it does not
    declare are empty frames."""
    settings = params.topic(PlanParams)
    frames = {k: _frame(inputs, k) for k in (OUTLINE, MEASURES, PROJECTS, SCALE, RATINGS, INDICATORS, LINES, BUDGET)}
    measures = frames[MEASURES]
    if len(measures):
        measures = measures.assign(_key=measures["code"].map(code_key)).sort_values(
            ["goal_no", "plan_no", "_key"], kind="stable").drop(columns="_key").reset_index(drop=True)
    _check_across(measures, frames[PROJECTS], frames[RATINGS], frames[INDICATORS], frames[LINES], frames[BUDGET])
    return PlanData(params=params, settings=settings, outline=frames[OUTLINE], measures=measures,
                    projects=frames[PROJECTS], scale=frames[SCALE], ratings=frames[RATINGS],
                    indicators=frames[INDICATORS], lines=frames[LINES], budget=frames[BUDGET])
