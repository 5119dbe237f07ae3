"""The survey sections' analysis functions on the demo data, without a build: weighting to the register,
the absence of a wave for the fiscal year, and parameters naming a question the codebook lacks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from komae_analysis.analysis import survey
from komae_analysis.analysis.survey.data import SurveyParams
from komae_analysis.errors import KomaeError
from komae_analysis.ingest import registry
from komae_analysis.pipeline.registry import get, run_params
from komae_analysis.report.tables import AppendixTable


def _inputs(section_id: str, data_dir, fy: int = 2026):
    return {s: registry.load(s, data_dir, fy=fy) for s in get(section_id).inputs}


def _with(params, **changes):
    """The run parameters with some fields of the ``survey:`` block changed."""
    topics = {k: (dataclasses.replace(v, **changes) if isinstance(v, SurveyParams) else v)
              for k, v in params.topics.items()}
    return dataclasses.replace(params, topics=topics)


@pytest.fixture(scope="module")
def community_inputs(demo_data_dir):
    return _inputs("03a_survey_community", demo_data_dir)


def test_weighting_to_the_register_by_sex_and_age(community_inputs):
    params = _with(run_params(2026), weighting=True)
    data = survey.prepare(params, community_inputs)
    w = data.wave.weights
    assert w is not None and w.mean() == pytest.approx(1.0)
    # weighted sex × age shares of the respondents equal the register's (18+, 1 January 2025)
    reg = community_inputs["city_register_population"]
    reg = reg[reg["date"] == pd.Timestamp("2025-01-01")]
    sex = data.groupings["性別"].index
    age = data.groupings["年代"].index
    known = (sex >= 0) & (sex <= 1) & (age >= 0)
    bounds = [(18, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79), (80, 200)]
    pop = np.array([[reg[(reg["sex"] == s) & (reg["age_from"] >= lo) & (reg["age_from"] <= hi)]["population"].sum()
                     for lo, hi in bounds] for s in ("男", "女")], dtype=float)
    got = np.zeros((2, 7))
    np.add.at(got, (sex[known], age[known]), w[known])
    assert got / got.sum() == pytest.approx(pop / pop.sum(), abs=1e-9)
    overview = survey.overview_table(data)
    assert any("重み付け" in n and "事後層化" in n for n in overview.notes)
    simple = survey.simple_table(data)
    assert any("重み付け後" in n for n in simple.notes)
    # n stays unweighted in the tables
    unweighted = survey.prepare(run_params(2026), community_inputs)
    assert list(simple.frame["回答数"]) == list(survey.simple_table(unweighted).frame["回答数"])


def test_a_fiscal_year_without_the_survey(community_inputs):
    empty = {k: v.iloc[0:0] if k.startswith("survey") else v for k, v in community_inputs.items()}
    data = survey.prepare(run_params(2026), empty)
    assert not data.available
    for f in (survey.overview_table, survey.simple_table, survey.wave_comparison_table, survey.overview_text):
        out = f(data)
        assert isinstance(out, str) and "回答データがありません" in out
    assert survey.cross_tables(data) == [] and survey.chart_figures(data) == []


def test_a_parameter_naming_a_missing_question(community_inputs):
    data = survey.prepare(_with(run_params(2026), community_cross=("Q99",)), community_inputs)
    with pytest.raises(KomaeError, match="Q99"):
        survey.cross_tables(data)


def test_previous_wave_only_before_the_cutoff(demo_data_dir):
    data = survey.prepare(run_params(2023), _inputs("03a_survey_community", demo_data_dir, 2023))
    assert data.wave.date.year == 2022 and data.previous is None
    assert "前回の調査の回答データがない" in survey.wave_comparison_table(data)
    needs = survey.prepare(run_params(2023), _inputs("03b_survey_needs", demo_data_dir, 2023))
    assert isinstance(survey.risk_by_area_table(needs), AppendixTable)
