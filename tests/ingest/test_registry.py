"""The source registry and the processed cache: entries hold their readers, one wording of each
出典, and the inputs of a fiscal year (only files dated on or before the cutoff).

Expected file lists and dates are written out by hand from the demo data set's naming rule
(one file per 1 January, 2017–2026); hashes are recomputed with hashlib.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest import cache, population, registry
from komae_analysis.ingest.city_register import read_city_register_households, read_city_register_population
from komae_analysis.ingest.soumu_juki import read_soumu_juki_municipal
from komae_analysis.ingest.ssdse import read_ssdse_a
from komae_analysis.ingest.tokyo_juki import read_tokyo_juki_age5

FY2023_YEARS = range(2017, 2024)
TOKYO_2023 = [f"tokyo_juki_age5/dai7hyo_age5_{y}01.csv" for y in FY2023_YEARS]
REGISTER_2023 = [f"city_register/juki_choume_age_{y}0101.xlsx" for y in FY2023_YEARS]
DATES_2023 = [pd.Timestamp(y, 1, 1) for y in FY2023_YEARS]


# ------------------------------------------------------------------------------ the entries


def test_entries_hold_their_reader_callables():
    assert registry.source("tokyo_juki_age5").reader is read_tokyo_juki_age5
    assert registry.source("soumu_juki_municipal").reader is read_soumu_juki_municipal
    assert registry.source("ssdse_a").reader is read_ssdse_a
    assert registry.source("city_register_population").reader is read_city_register_population
    assert registry.source("city_register_households").reader is read_city_register_households
    for src in registry.SOURCES:
        # a fiscal year's inputs are those dated on or before its start (1 April), or, for a source
        # whose year-to-date files matter (the 介護保険 月報), a later day within the year
        assert dt.date(2023, 4, 1) <= src.as_of(2023) <= dt.date(2024, 3, 31), src.id
        assert src.as_of is registry.fiscal_year_start or src.id in ("care_annual", "care_monthly"), src.id
        assert not src.source_ja.startswith("出典")


def test_population_module_re_exports_the_public_readers():
    assert population.read_tokyo_juki_age5 is read_tokyo_juki_age5
    assert population.read_soumu_juki_municipal is read_soumu_juki_municipal
    assert population.read_ssdse_a is read_ssdse_a
    assert population.read_city_register_population is read_city_register_population
    assert population.read_city_register_households is read_city_register_households
    assert issubclass(population.ReducedLayoutWarning, UserWarning)


def test_citation_is_the_one_wording_of_each_source():
    assert (
        registry.citation("tokyo_juki_age5", "各年1月1日現在")
        == "出典：東京都総務局統計部「住民基本台帳による東京都の世帯と人口」第7表（各年1月1日現在）"
    )
    assert (
        registry.citation("city_register_population", "各年1月1日現在、外国人住民を含む")
        == "出典：狛江市「住民基本台帳」（各年1月1日現在、外国人住民を含む）"
    )
    assert registry.citation("city_register_households") == "出典：狛江市「住民基本台帳」"
    assert registry.citation("soumu_juki_municipal") == "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」"
    with pytest.raises(KeyError, match="tokyo_juki_age5"):
        registry.citation("nope")


# ------------------------------------------------------------------- a fiscal year's files


def _sorted_dates(frame: pd.DataFrame) -> list[pd.Timestamp]:
    return sorted(pd.Timestamp(d) for d in frame["date"].unique())


def test_registry_load_keeps_only_the_files_up_to_the_cutoff(demo_data_dir):
    tokyo = registry.load("tokyo_juki_age5", demo_data_dir, fy=2023)
    assert _sorted_dates(tokyo) == DATES_2023
    everything = registry.load("tokyo_juki_age5", demo_data_dir)
    assert _sorted_dates(everything) == [pd.Timestamp(y, 1, 1) for y in range(2017, 2027)]
    frames = registry.load_many(["city_register_population", "city_register_households"], demo_data_dir, 2023)
    for frame in frames.values():
        assert _sorted_dates(frame) == DATES_2023
    # a cutoff on 1 January itself keeps that file (on or before)
    assert _sorted_dates(registry.load("tokyo_juki_age5", demo_data_dir, fy=2017)) == [pd.Timestamp(2017, 1, 1)]


def test_a_required_source_with_no_file_before_the_cutoff_is_a_problem(demo_data_dir):
    with pytest.raises(InputError) as excinfo:
        registry.load("tokyo_juki_age5", demo_data_dir, fy=2016)
    (problem,) = excinfo.value.problems
    assert "平成28年度" in problem.message and "平成28年4月1日以前" in problem.message


def _break_title(path: Path) -> None:
    text = path.read_bytes().decode("cp932").replace("住民基本台帳による東京都の世帯と人口　令和8年1月", "（表題なし）")
    path.write_bytes(text.encode("cp932"))


def test_validate_checks_every_file_and_an_unreadable_file_fails_every_year(data_copy):
    _break_title(data_copy / "tokyo_juki_age5" / "dai7hyo_age5_202601.csv")
    problems = registry.validate(data_copy)
    assert [Path(p.file).name for p in problems if "表題行" in p.message] == ["dai7hyo_age5_202601.csv"]
    # A file whose reference date cannot be read might belong to any year: it is never silently dropped.
    with pytest.raises(InputError) as excinfo:
        registry.load("tokyo_juki_age5", data_copy, fy=2023)
    assert [Path(p.file).name for p in excinfo.value.problems] == ["dai7hyo_age5_202601.csv"]


# -------------------------------------------------------------------------------- the cache


def _check_records(records: list[dict], expected_paths: list[str], data_dir: Path) -> None:
    assert [r["path"] for r in records] == expected_paths
    for r in records:
        data = (data_dir / r["path"]).read_bytes()
        assert r["sha256"] == hashlib.sha256(data).hexdigest() and r["size"] == len(data)


def test_fy2023_cache_reads_stamps_and_traces_only_2017_to_2023(demo_data_dir, tmp_path):
    cache.prepare(["city_register_population", "city_register_households", "tokyo_juki_age5"], 2023,
                  demo_data_dir, tmp_path)
    for sid, expected in (
        ("tokyo_juki_age5", TOKYO_2023),
        ("city_register_population", REGISTER_2023),
        ("city_register_households", REGISTER_2023),
    ):
        stamp = json.loads((tmp_path / "FY2023" / f"{sid}.json").read_text(encoding="utf-8"))
        _check_records(stamp["inputs"], expected, demo_data_dir)
        frame, records = cache.load_traced(sid, 2023, demo_data_dir, tmp_path)
        _check_records(records, expected, demo_data_dir)
        assert _sorted_dates(frame) == DATES_2023


def test_a_current_cache_is_used_without_reading_and_later_files_do_not_matter(data_copy, tmp_path, monkeypatch):
    first, _ = cache.load_traced("tokyo_juki_age5", 2023, data_copy, tmp_path)

    def no_read(*args, **kwargs):
        raise AssertionError("raw files read although the cache is current")

    monkeypatch.setattr(registry, "read_sources", no_read)
    again, records = cache.load_traced("tokyo_juki_age5", 2023, data_copy, tmp_path)
    pd.testing.assert_frame_equal(again, first)
    # a file after the cutoff goes away: the FY2023 inputs are the same, the cache stays current
    (data_copy / "tokyo_juki_age5" / "dai7hyo_age5_202501.csv").unlink()
    _, records = cache.load_traced("tokyo_juki_age5", 2023, data_copy, tmp_path)
    _check_records(records, TOKYO_2023, data_copy)
    # a kept file goes away: the cache is stale and the files are read again
    (data_copy / "tokyo_juki_age5" / "dai7hyo_age5_202001.csv").unlink()
    with pytest.raises(AssertionError, match="raw files read"):
        cache.load_traced("tokyo_juki_age5", 2023, data_copy, tmp_path)
    monkeypatch.undo()
    frame, records = cache.load_traced("tokyo_juki_age5", 2023, data_copy, tmp_path)
    assert [r["path"] for r in records] == [p for p in TOKYO_2023 if "2020" not in p]
    assert pd.Timestamp(2020, 1, 1) not in set(frame["date"])


def test_changed_ingest_code_makes_the_cache_stale(demo_data_dir, tmp_path, monkeypatch):
    """A corrected reader (any change to the ingest modules or reference lists) rebuilds the cache."""
    cache.load_traced("tokyo_juki_age5", 2023, demo_data_dir, tmp_path)

    def no_read(*args, **kwargs):
        raise AssertionError("raw files read")

    monkeypatch.setattr(registry, "read_sources", no_read)
    cache.load_traced("tokyo_juki_age5", 2023, demo_data_dir, tmp_path)  # current: not read
    monkeypatch.setattr(cache, "_code_digest", lambda: "another version of the readers")
    with pytest.raises(AssertionError, match="raw files read"):
        cache.load_traced("tokyo_juki_age5", 2023, demo_data_dir, tmp_path)
