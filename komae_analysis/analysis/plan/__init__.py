"""The plan registry sections: 第4章 施策体系 (``10_policy_framework``), 第1節 第5款 現行計画の進捗状況の評価
(``05_progress``) and the 実施計画 (``11_implementation_plan``), all from the city's three plan workbooks
(施策の台帳, 進捗状況の評価, 実施計画; layouts in data/raw/README.md).

One parameters block, ``plan:`` (:class:`PlanParams`), and one :func:`prepare` for the three sections;
each section's functions live in their own module and are re-exported here for the notebooks.
Definitions (達成率, 進捗率, 総合評価, the rolling window of the 実施計画) are in docs/domain.md.
"""

from __future__ import annotations

from komae_analysis.analysis.plan.data import (  # noqa: F401
    GRADES,
    PARAMS,
    PlanData,
    PlanParams,
    prepare,
)
from komae_analysis.analysis.plan.framework import (  # noqa: F401
    count_table,
    count_text,
    framework_tables,
    measure_lists,
    philosophy_text,
)
from komae_analysis.analysis.plan.implementation import (  # noqa: F401
    Edition,
    cost_table,
    edition,
    edition_workbook,
    overview_text,
)
from komae_analysis.analysis.plan.progress import (  # noqa: F401
    achievement,
    behind_table,
    change_table,
    change_text,
    distribution_figure,
    distribution_table,
    distribution_text,
    grade,
    grade_table,
    grade_text,
    indicator_table,
    indicator_text,
    method_text,
    progress,
)
