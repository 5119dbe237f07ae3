"""The survey benchmark (``komae_analysis.survey.bench.run``) on a small synthetic survey: it runs, both
ways count the same cells, and the report line says so (the full size runs in ``make bench``)."""

from __future__ import annotations

from komae_analysis.survey import bench


def test_bench_runs_and_both_ways_agree():
    result = bench.run(n=3000, questions=40, repeat=1)
    assert result["agree"] is True and result["cells"] == result["naive_cells"]
    assert result["engine_s"] < bench.TARGET_SECONDS
    assert "集計結果は一致" in bench.report(result)
