"""第1節 第2款（4）将来人口推計: the city's own projection from its register (コーホート変化率法), by
日常生活圏域, for the plan's years and the target year, beside the 社人研 projection when supplied,
and checked against what happened (the same method from five years earlier).

- :mod:`.method`: the arithmetic on numpy arrays (yearly ratios, five-year ratios, the open class,
  the child–woman ratio, the five-year steps, interpolation);
- :mod:`.data`: the ``projection:`` parameters, :func:`prepare` and the section's data;
- :mod:`.tables`: the tables and the commentary; :mod:`.figures`: the figures.

Definitions and choices are written out in docs/domain.md (将来人口推計).
"""

from __future__ import annotations

from typing import Any

from komae_analysis.analysis.projection.data import (
    GROUPS,
    PARAMS,
    Backtest,
    ProjectionData,
    ProjectionParams,
    Run,
    available_periods,
    check_settings,
    fiscal_date,
    group_sums,
    make_run,
    prepare,
    rounded_cells,
)
from komae_analysis.analysis.projection.figures import (
    area_figure,
    ipss_figure,
    projection_figure,
    pyramid_figure,
)
from komae_analysis.analysis.projection.tables import (
    age_table,
    age_text,
    area_table,
    area_text,
    backtest_frame,
    backtest_missing_text,
    backtest_table,
    backtest_text,
    ipss_comparison_frame,
    ipss_missing_text,
    ipss_table,
    ipss_text,
    plan_table,
    plan_text,
    projection_table,
    projection_text,
    ratio_table,
)


def ipss_comparison(data: ProjectionData) -> list[Any]:
    """The comparison with the 社人研 projection (table, figure, commentary), or the sentence saying
    it is not shown when the file is not supplied."""
    if data.ipss.empty:
        return [ipss_missing_text(data)]
    return [ipss_table(data), ipss_figure(data), ipss_text(data)]


def backtest(data: ProjectionData) -> list[Any]:
    """The back-test (table and commentary), or the sentence saying why the data do not allow it."""
    if data.backtest is None:
        return [backtest_missing_text(data)]
    return [backtest_table(data), backtest_text(data)]


__all__ = [
    "GROUPS",
    "PARAMS",
    "Backtest",
    "ProjectionData",
    "ProjectionParams",
    "Run",
    "age_table",
    "age_text",
    "area_figure",
    "area_table",
    "area_text",
    "available_periods",
    "backtest",
    "backtest_frame",
    "backtest_table",
    "backtest_text",
    "check_settings",
    "fiscal_date",
    "group_sums",
    "ipss_comparison",
    "ipss_comparison_frame",
    "ipss_figure",
    "ipss_table",
    "ipss_text",
    "make_run",
    "plan_table",
    "plan_text",
    "prepare",
    "projection_figure",
    "projection_table",
    "projection_text",
    "pyramid_figure",
    "ratio_table",
    "rounded_cells",
]
