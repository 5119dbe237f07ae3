"""``komae registry check|template`` as an editor meets it: Japanese messages with file, sheet, row
and column, exit 1 on any problem, templates that check clean and are never overwritten."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from komae_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
FOLDERS = ("plan_registry", "plan_progress", "implementation_plan")


def _data(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    for folder in FOLDERS:
        shutil.copytree(RAW / folder, d / folder)
    return d


def test_check_on_the_demo_data_passes(tmp_path, capsys):
    assert main(["registry", "check", "--data-dir", str(_data(tmp_path)), "--fy", "2026"]) == 0
    assert "問題は見つかりませんでした" in capsys.readouterr().out


def test_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    d = _data(tmp_path)
    path = d / "plan_registry" / "plan_registry.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["施策"].append([c.value for c in wb["施策"][4]])  # row 40 repeats row 4's 施策コード
    wb["事業"].cell(6, 2).value = "5-9-9"
    wb.save(path)
    assert main(["registry", "check", "--data-dir", str(d), "--fy", "2026"]) == 1
    err = capsys.readouterr().err
    assert "シート「施策」 40行目 列「施策コード（A列）」: 施策コード「1-2-1」が重複しています" in err
    assert "シート「事業」 6行目 列「施策コード（B列）」: 施策コード「5-9-9」は「施策」シートにありません" in err
    assert "2件の問題が見つかりました。" in err


def test_check_names_a_missing_workbook(tmp_path, capsys):
    d = _data(tmp_path)
    shutil.rmtree(d / "plan_progress")
    assert main(["registry", "check", "--data-dir", str(d), "--fy", "2026"]) == 1
    assert "進捗状況の評価のファイルがありません" in capsys.readouterr().err


def test_template_then_check(tmp_path, capsys):
    out = tmp_path / "tpl"
    assert main(["registry", "template", "--out", str(out)]) == 0
    assert "ひな形を3ファイル作成しました" in capsys.readouterr().out
    assert main(["registry", "check", "--data-dir", str(out), "--fy", "2025"]) == 0
    assert main(["registry", "template", "--out", str(out)]) == 1
    assert "上書きしません" in capsys.readouterr().err


def test_registry_needs_a_subcommand():
    res = subprocess.run([sys.executable, "-m", "komae_analysis", "registry"], cwd=ROOT, capture_output=True,
                         text=True)
    assert res.returncode == 1
    assert "エラー: 引数が正しくありません" in res.stderr
