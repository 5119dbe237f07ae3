"""Reading series (analysis.trends) on hand-made series whose answers are known by construction."""

from __future__ import annotations

import pandas as pd
import pytest

from komae_analysis.analysis import trends
from komae_analysis.report.numbers import count, pct

YEARS = list(range(2017, 2027))


def _series(values, index=None) -> pd.Series:
    return pd.Series(values, index=index if index is not None else YEARS[: len(values)], dtype="float64")


def _when(year) -> str:
    return f"{year}年"


# --- peak and trough -----------------------------------------------------------------------
def test_peak_inside_the_period_and_fallen_since():
    s = _series([100, 110, 120, 130, 125, 121, 118])
    p = trends.peak(s)
    assert (p.at, p.value, p.latest_at, p.latest) == (2020, 130, 2023, 118)
    assert p.reversed_since and not p.is_latest and not p.is_first
    assert p.since == -12
    text = trends.peak_phrase(p, when=_when, fmt=lambda v: count(v, "人"))
    assert text == "2020年の130人をピークに減少に転じています"


def test_peak_at_the_latest_value_and_at_the_first():
    rising = trends.peak(_series([1, 2, 3, 4]))
    assert rising.is_latest and not rising.reversed_since
    assert trends.peak_phrase(rising, when=_when, fmt=str) == "2020年の4.0が最も多くなっています"
    falling = trends.peak(_series([9, 8, 7]))
    assert falling.is_first and falling.reversed_since
    assert trends.peak_phrase(falling, when=_when, fmt=str) == "2017年の9.0が最も多く、その後は減少しています"


def test_peak_tolerance_treats_a_tiny_dip_as_still_at_the_peak():
    s = _series([100, 120, 119.9])
    assert trends.peak(s).reversed_since
    assert not trends.peak(s, tolerance=0.5).reversed_since


def test_trough_of_a_rate_uses_rate_words():
    rate = _series([0.235, 0.234, 0.233, 0.236, 0.242])
    low = trends.trough(rate)
    assert low.at == 2019 and low.kind == "min" and low.reversed_since
    assert trends.peak_phrase(low, when=_when, fmt=pct, up="上昇", down="低下") == "2019年の23.3％を底に上昇に転じています"


def test_first_of_equal_maxima_is_the_peak():
    assert trends.peak(_series([1, 5, 5, 2])).at == 2018


# --- runs -------------------------------------------------------------------------------------
def test_runs_split_the_series_by_direction():
    s = _series([10, 11, 12, 12, 11, 10, 9, 10])
    r = trends.runs(s)
    assert [(x.start_at, x.end_at, x.direction, x.steps) for x in r] == [
        (2017, 2019, trends.UP, 2), (2019, 2020, trends.FLAT, 1), (2020, 2023, trends.DOWN, 3),
        (2023, 2024, trends.UP, 1)]
    assert r[2].change == -3


def test_latest_run_and_its_phrase():
    s = _series([83, 84, 85, 84, 83, 82, 81])
    run = trends.latest_run(s)
    assert (run.start_at, run.end_at, run.steps, run.direction_ja) == (2019, 2023, 4, "減少")
    assert trends.run_phrase(run) == "4年連続で減少"
    assert trends.run_phrase(run, "年度") == "4年度連続で減少"
    assert trends.run_phrase(trends.latest_run(_series([1, 2, 1]))) == ""  # one step is not a streak
    assert trends.latest_run(_series([5])) is None and trends.run_phrase(None) == ""


def test_tolerance_merges_small_steps_into_flat_runs():
    s = _series([100, 100.2, 100.1, 105])
    assert [x.direction for x in trends.runs(s)] == [trends.UP, trends.DOWN, trends.UP]
    assert [x.direction for x in trends.runs(s, tolerance=0.5)] == [trends.FLAT, trends.UP]


def test_relative_tolerance_scales_with_the_level():
    assert trends.relative_tolerance(_series([80000, 83261, 82000]), 0.001) == pytest.approx(83.261)


# --- turning points -----------------------------------------------------------------------------
def test_turning_points_of_a_wave():
    s = _series([1, 3, 5, 4, 2, 3, 6, 6, 5])
    turns = trends.turning_points(s)
    assert [(t.at, t.value, t.kind) for t in turns] == [(2019, 5, "peak"), (2021, 2, "trough"), (2023, 6, "peak")]


def test_wiggles_within_the_tolerance_are_not_turns():
    s = _series([100, 110, 109.5, 111, 120, 118, 100])
    assert [t.at for t in trends.turning_points(s)] == [2018, 2019, 2021]
    turns = trends.turning_points(s, tolerance=1.0)
    assert [(t.at, t.kind) for t in turns] == [(2021, "peak")]


def test_monotone_and_flat_series_have_no_turns():
    assert trends.turning_points(_series([1, 2, 3, 4])) == []
    assert trends.turning_points(_series([2, 2, 2])) == []


def test_series_must_be_in_time_order():
    with pytest.raises(ValueError, match="時間順"):
        trends.peak(pd.Series([1.0, 2.0], index=[2020, 2019]))
    with pytest.raises(ValueError, match="値のない"):
        trends.peak(pd.Series([None, None], index=[2019, 2020], dtype="float64"))


def test_dates_as_labels():
    idx = pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"])
    p = trends.peak(_series([1, 3, 2], index=idx))
    assert p.at == pd.Timestamp("2020-01-01")


# --- movers ---------------------------------------------------------------------------------------
def test_movers_rank_by_change_and_by_ratio():
    frame = pd.DataFrame({"65～69歳": [100, 90], "70～74歳": [200, 120], "75～79歳": [150, 190], "0～4歳": [0, 5]},
                         index=[2021, 2026])
    by_change = trends.movers(frame)
    assert [m.key for m in by_change] == ["75～79歳", "0～4歳", "65～69歳", "70～74歳"]
    assert by_change[-1].change == -80 and by_change[0].ratio == pytest.approx(40 / 150)
    by_ratio = trends.movers(frame, relative=True)
    assert by_ratio[0].key == "75～79歳" and by_ratio[-1].key == "0～4歳"  # no ratio from 0: last
    mapping = trends.movers({"a": _series([1, 2, 3]), "b": _series([3, 1, 1])}, 2017, 2018)
    assert [(m.key, m.change) for m in mapping] == [("a", 1), ("b", -2)]


# --- phrases -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("diff", "text"), [(1004, "1,004人増加"), (-113, "113人減少"), (0.4, "横ばい"), (0, "横ばい")])
def test_change_phrase(diff, text):
    assert trends.change_phrase(diff) == text


@pytest.mark.parametrize(
    ("now", "then", "text"),
    [
        (0.2425, 0.2345, "0.8ポイント上昇"),  # printed 24.3 − 23.5 (half up on both)
        (0.242, 0.2355, "0.6ポイント上昇"),  # printed 24.2 − 23.6, although the raw difference is 0.65
        (0.23449, 0.23451, "0.1ポイント低下"),  # printed 23.4 − 23.5, although the raw difference is 0.002
        (0.2341, 0.2344, "横ばい"),  # both print as 23.4
    ],
)
def test_rate_change_phrase_is_the_difference_of_printed_values(now, then, text):
    assert trends.rate_change_phrase(now, then) == text
