"""The survey folders as raw sources of the appendix: one wave = a codebook + responses pair (and an
optional coding file), read into the codebook and long responses frames; the fiscal year's cutoff keeps
the waves conducted before 1 April; problems of a pair are reported by ``komae validate`` with file,
sheet, row and column."""

from __future__ import annotations

import shutil

import numpy as np
import openpyxl
import pandas as pd

from komae_analysis.ingest import registry, survey
from komae_analysis.ingest.survey_codebook import read_codebook
from komae_analysis.ingest.survey_responses import read_fa_coding, read_responses

SOURCES = ["survey_community_codebook", "survey_community_responses", "survey_needs_codebook",
           "survey_needs_responses"]


def test_sources_are_optional_and_cited():
    for sid in SOURCES:
        src = registry.source(sid)
        assert not src.required
    assert registry.citation("survey_community_responses", "令和7年11月実施") == \
        "出典：狛江市「地域福祉に関する市民意識調査」（令和7年11月実施）"


def test_fiscal_year_keeps_the_waves_before_its_cutoff(demo_data_dir):
    now = registry.load("survey_community_responses", demo_data_dir, fy=2026)
    then = registry.load("survey_community_responses", demo_data_dir, fy=2023)
    assert sorted(pd.Timestamp(d).year for d in now["date"].unique()) == [2022, 2025]
    assert [pd.Timestamp(d).year for d in then["date"].unique()] == [2022]
    assert not (then["respondent_id"].str.startswith("KC25")).any()


def test_frames_round_trip_to_the_direct_read(demo_data_dir):
    folder = demo_data_dir / "survey_community"
    cbs = survey.codebooks_from_frame(registry.load("survey_community_codebook", demo_data_dir, fy=2026))
    frame = registry.load("survey_community_responses", demo_data_dir, fy=2026)
    date = max(cbs)
    cb = cbs[date]
    direct = read_codebook(folder / "2025_codebook.xlsx")
    assert cb.questions == direct.questions and cb.overview == direct.overview
    back = survey.responses_from_frame(frame[frame["date"] == date], cb)
    r = read_responses(folder / "2025_responses.csv", direct)
    r.fa_coded = read_fa_coding(folder / "2025_fa_coding.csv", direct, r)
    assert list(back.ids) == list(r.ids)
    for qid in r.sa:
        assert (back.sa[qid] == r.sa[qid]).all()
    for qid in r.ma:
        assert (back.ma[qid] == r.ma[qid]).all()
    for qid in r.num:
        assert np.array_equal(back.num[qid], r.num[qid], equal_nan=True)
    assert "text" not in frame.columns and frame["category"].dropna().isin(
        {"地域のつながり", "福祉サービス", "情報提供", "交通・買い物", "防災", "その他"}).all()


def test_validate_reports_a_previous_code_that_does_not_exist(data_copy):
    path = data_copy / "survey_community" / "2025_codebook.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["選択肢"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Q2" and r[1].value == 2)
    row[3].value = "3,7"
    wb.save(path)
    problems = registry.validate(data_copy)
    p = next(p for p in problems if "前回コード" in p.message)
    assert p.file.endswith("2025_codebook.xlsx") and (p.sheet, p.row, p.column) == ("選択肢", row[0].row, "前回コード")
    assert "前回コード7は前回設問「Q2」" in p.message


def test_a_wave_missing_its_codebook_or_responses(data_copy):
    folder = data_copy / "survey_needs"
    (folder / "2022_codebook.xlsx").unlink()
    shutil.copy(folder / "2025_codebook.xlsx", folder / "2019_codebook.xlsx")
    (folder / "notes.txt").write_text("memo", encoding="utf-8")
    messages = [p.format_ja() for p in registry.validate(data_copy)]
    assert any("2022_responses.csv" in m and "調査回「2022」の調査票設計（2022_codebook.xlsx）がありません" in m
               for m in messages)
    assert any("2019_codebook.xlsx" in m and "調査回「2019」の回答データ" in m for m in messages)
    assert any("notes.txt" in m and "ファイル名は" in m for m in messages)


def test_a_corrected_codebook_rereads_the_responses(demo_data_dir):
    src = registry.source("survey_community_responses")
    names = {p.name for p in registry.files(src, demo_data_dir)}
    # the responses source takes every file of the folder: a new codebook changes the cache stamp
    assert {"2025_codebook.xlsx", "2025_responses.csv", "2025_fa_coding.csv"} <= names
