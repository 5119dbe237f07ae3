"""第1節 第2款「統計から見る現状」（7）障がいのある人: 障害者手帳 holders and the recipients of
自立支援医療（精神通院） and 難病医療費助成.

Pure functions from the tidy frames to appendix tables, figures and commentary. The city's own
workbook (:mod:`komae_analysis.ingest.city_disability`) gives every figure of 狛江市 by level and
年齢区分 at each 年度末 (31 March); the 東京都「福祉・衛生 統計年報」 tables
(:mod:`komae_analysis.ingest.tokyo_disability`) give 東京都, 東京都市部 and 狛江市 alike, for the
comparison per 1,000 residents (population: 東京都 第7表, 1 January of the same fiscal year) and the
身体障害者手帳 cross table by 障害種別 × 等級. Definitions: docs/domain.md (障がいのある人).

Rules the pages keep (checked by tests/sections/test_02g_disability.py): every number in the
commentary is printed in a table of the section; 構成比 are shares of the 計 with
:data:`~komae_analysis.report.numbers.SHARE_NOTE` where the printed shares do not add up to 100.0,
and a difference of shares is the difference of the printed shares; a figure the source does not
show (「－」「…」) stays missing and is printed 「－」.

Without the city's workbook the section says its figures are not available; without the 東京都
tables, only the comparison does.
"""

from __future__ import annotations

from komae_analysis.analysis.disability.data import (  # noqa: F401
    PARAMS,
    DisabilityData,
    DisabilityParams,
    by_age,
    by_levels,
    cell,
    children,
    course,
    prepare,
    totals,
)
from komae_analysis.analysis.disability.figures import (  # noqa: F401
    age_figure,
    shintai_composition_figure,
    trend_figure,
)
from komae_analysis.analysis.disability.tables import (  # noqa: F401
    age_shares,
    age_table,
    ai_seishin_composition_table,
    ai_table,
    child_table,
    composition,
    cross,
    cross_table,
    cross_year,
    jiritsu_table,
    nanbyo_table,
    rates,
    seishin_table,
    shintai_composition_table,
    shintai_grade_table,
    shintai_kind_table,
    tokyo_rate_table,
    trend_table,
)
from komae_analysis.analysis.disability.text import (  # noqa: F401
    age_text,
    ai_seishin_text,
    child_text,
    cross_text,
    jiritsu_nanbyo_text,
    shintai_text,
    tokyo_text,
    trend_text,
)
