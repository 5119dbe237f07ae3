"""第1節 第2款「統計から見る現状（3）世帯・人口動態と長期の推移」: the long-run population since
1985, births, deaths and migration by year, the census household composition and the foreign
residents.

Pure functions from the tidy frames to appendix tables, figures and commentary:

- 人口の長期推移 — 東京都 時系列 第2表 (population each 1 January since 昭和60年; Japanese residents
  only until 平成24年) and 第9表 (高齢化率 as published), the city against 東京都市部 and 東京都 as an
  index (:mod:`.long_view`);
- 人口動態 — 東京都「人口の動き」第1表 each year: 出生・死亡 (自然増減), 転入・転出 (社会増減: moves
  to and from other prefectures and within 東京都 together), その他の増減 (出入国 …), on the 東京都の
  人口（推計） base (:mod:`.movement`);
- 世帯構成 — 国勢調査 第10表: 一般世帯 by family type, with shares, against 東京都市部 (the 26 市
  summed) and 東京都 (:mod:`.family`);
- 外国人住民 — 東京都 第7表, and the year's change by nationality from 人口の動き's monthly tables
  (第11・14～17表) (:mod:`.foreign`).

The optional sources may be absent: each table function then returns a Japanese sentence saying
so, and the figure and commentary functions return an empty string. Every number in the
commentary is printed in one of the section's tables, formatted by :mod:`komae_analysis.report.numbers`.
Definitions: docs/domain.md (世帯・人口動態).
"""

from __future__ import annotations

from komae_analysis.analysis.households.data import (
    PARAMS,
    HouseholdsData,
    HouseholdsParams,
    label_jan,
    label_year,
    prepare,
)
from komae_analysis.analysis.households.family import (
    family_comparison_table,
    family_figure,
    family_table,
    family_text,
)
from komae_analysis.analysis.households.foreign import (
    foreign_breakdown_table,
    foreign_breakdown_text,
    foreign_figure,
    foreign_table,
    foreign_text,
)
from komae_analysis.analysis.households.long_view import long_view_figure, long_view_table, long_view_text
from komae_analysis.analysis.households.movement import movement_figure, movement_table, movement_text

__all__ = [
    "PARAMS",
    "HouseholdsData",
    "HouseholdsParams",
    "family_comparison_table",
    "family_figure",
    "family_table",
    "family_text",
    "foreign_breakdown_table",
    "foreign_breakdown_text",
    "foreign_figure",
    "foreign_table",
    "foreign_text",
    "label_jan",
    "label_year",
    "long_view_figure",
    "long_view_table",
    "long_view_text",
    "movement_figure",
    "movement_table",
    "movement_text",
    "prepare",
]
