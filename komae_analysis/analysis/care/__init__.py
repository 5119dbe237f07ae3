"""第1節 第2款「統計から見る現状（6）介護保険」: 第1号被保険者, 要介護（要支援）認定者, 認定率,
サービス受給者, 保険給付費.

Pure functions from the tidy 介護保険事業状況報告 frames (年報 per fiscal year, 月報 per month) to
appendix tables, figures and generated commentary. The years shown are the 年報 of the latest
``trend_years`` fiscal years before the run's year, and the run's year as a 見込 computed from its
月報 (stocks: the latest month; flows: the months' sum × 12 ÷ months; docs/domain.md).

Definitions (docs/domain.md): 認定率 = 第1号被保険者の認定者 ÷ 第1号被保険者 (by age band: the band's
認定者 ÷ the band's 被保険者); サービス受給者（1か月平均）= the year's recipients (persons × months)
÷ 12; 受給者1人当たり給付月額 = 給付費 (yen) ÷ the recipients (persons × months) of the same group.

Rules the pages keep (checked by tests/sections/test_02f_care.py): every number in the commentary is
printed in a table of the section, formatted by :mod:`komae_analysis.report.numbers`; the 見込 year is
labelled 「令和N年度（見込）」 with a 注 on how it is computed; a missing value (a marker in the report)
is printed 「－」, never 0. Without a 年報 file, every function returns a short sentence (the first
table) or nothing.
"""

from komae_analysis.analysis.care.data import (  # noqa: F401
    GROUPS,
    PARAMS,
    CareData,
    CareParams,
    estimate_notes,
    months_text,
    prepare,
    year_label,
)
from komae_analysis.analysis.care.insured import (  # noqa: F401
    certification_rate,
    certified_figure,
    certified_summary,
    certified_table,
    certified_text,
    insured_figure,
    insured_summary,
    insured_table,
    insured_text,
    rate_figure,
    rate_table,
    rate_text,
)
from komae_analysis.analysis.care.services import (  # noqa: F401
    benefits,
    benefits_figure,
    benefits_table,
    benefits_text,
    per_recipient,
    per_recipient_figure,
    per_recipient_table,
    per_recipient_text,
    recipients,
    recipients_table,
    service_rows,
    service_table,
    service_text,
    term_years,
)
