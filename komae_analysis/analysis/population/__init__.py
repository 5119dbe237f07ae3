"""第1節 第2款「統計から見る現状」: population and households.

Pure functions from the tidy register frames to appendix tables, figures and generated
commentary. Komae's own figures (by 町丁目, single-year age, households) come from the city's
register export; the comparison with 東京都, 東京都市部 and other municipalities uses 東京都 第7表
for every area alike, so that the rates compared are computed the same way.

Definitions: 年少人口 0–14, 生産年齢人口 15–64, 老年人口 65+,
後期高齢者 75+; 高齢化率 = 65+ / 総人口, 後期高齢者率 = 75+ / 総人口 (総人口 includes 年齢不詳, which
belongs to no age group). Rates are fractions here; tables print them as percentages.

Rules the pages keep (checked by tests/sections):

- every number in the commentary is printed in a table of the same section, formatted by
  :mod:`komae_analysis.report.numbers` (the one rounding rule);
- a difference printed beside two printed values is the difference of the printed values
  (:func:`~komae_analysis.report.numbers.pct_diff`);
- a 構成比 column whose printed shares do not add up to 100.0 carries
  :data:`~komae_analysis.report.numbers.SHARE_NOTE`;
- the comparison municipalities follow the rule in the ``population:`` parameters, and the table's
  注 states it.

Tables and figures are returned without numbers: the section context numbers them in display order.
Figures are drawn with :mod:`komae_analysis.report.charts`; matplotlib itself is imported there, only
when a figure is drawn.
"""

from __future__ import annotations

from komae_analysis.analysis.population.ages import (  # noqa: F401
    _age5,
    _age5_pair,
    _age_label,
    _birth_years,
    _cohort_name,
    _outline,
    age_sex_table,
    pyramid_figure,
    pyramid_text,
)
from komae_analysis.analysis.population.areas import (  # noqa: F401
    _choume_label,
    _unpopulated,
    choume_figure,
    choume_table,
    choume_text,
    daily_life_area_table,
    daily_life_area_text,
)
from komae_analysis.analysis.population.data import (  # noqa: F401
    AGE_GROUPS,
    HOUSEHOLDS,
    NAMED_COHORTS,
    PARAMS,
    REGISTER,
    TOKYO,
    PopulationData,
    PopulationParams,
    _era_year,
    _flat_tolerance,
    _group_sums,
    _mapping_note,
    _rates,
    _short_trend_note,
    _tick_labels,
    _years_before,
    area_of_daily_life_summary,
    area_summary,
    choume_summary,
    city_summary,
    daily_life_areas,
    label_date,
    prepare,
    select_dates,
    source_register,
    source_tokyo,
)
from komae_analysis.analysis.population.municipalities import (  # noqa: F401
    Comparison,
    _adjacent_missing_note,
    _latest_areas,
    _missing_note,
    _rank_heading,
    _reference_name,
    _rule_note,
    _shibu_ranks,
    comparison_municipalities,
    ranking_table,
    ranking_text,
    shibu_ranking_figure,
    shibu_ranking_table,
)
from komae_analysis.analysis.population.trend import (  # noqa: F401
    _people,
    _rate_course,
    _rate_series,
    _reference_areas,
    aging_phrase,
    area_names,
    comparison_figure,
    comparison_text,
    comparison_trend_table,
    household_text,
    trend_figure,
    trend_table,
    trend_text,
)
