"""第1節 第3款「市民意識調査から見る現状」: the city's 地域福祉に関する市民意識調査 (section 03a) and the
介護予防・日常生活圏域ニーズ調査 (section 03b), tabulated from their codebook and responses by the survey
engine (:mod:`komae_analysis.survey`).

Rules the pages keep (DOMAIN §4, docs/domain.md): the base includes 無回答 and is printed; a
conditional question's base is its eligible respondents, said in a 注; MA shares are over respondents
(M.T. printed); shares to one decimal, half up; cross tabs drop unknown attributes and mark groups below
the 参考値 threshold with ※; every cross-tab cell with 1–4 respondents (the ``suppress_below``
parameter) is suppressed as 「x」 with secondary suppression, in tables and charts alike; free text is
never shown, only counts of a reviewed coding; respondent-level data stays in ``data/processed``.

Tables and figures are returned without numbers (the section numbers them); a function returns a short
sentence instead when the fiscal year has no wave of the survey.
"""

from __future__ import annotations

from komae_analysis.analysis.survey.common import (  # noqa: F401
    attributes_table,
    not_available,
    numeric_summary_table,
    overview_table,
    overview_text,
    sampling_error_table,
    simple_table,
)
from komae_analysis.analysis.survey.community import (  # noqa: F401
    chart_figures,
    chart_text,
    cross_figures,
    cross_tables,
    cross_text,
    free_text_table,
    likert_figures,
    likert_tables,
    likert_text,
    wave_comparison_table,
    wave_figure,
    wave_text,
)
from komae_analysis.analysis.survey.data import PARAMS, SurveyData, SurveyParams, prepare  # noqa: F401
from komae_analysis.analysis.survey.needs import (  # noqa: F401
    risk_by_age_figure,
    risk_by_area_table,
    risk_by_sex_age_table,
    risk_overview_figure,
    risk_text,
    risk_wave_table,
    risk_wave_text,
    rules_table,
)
