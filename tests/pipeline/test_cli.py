"""The command line as users meet it: Japanese messages, exit codes, nothing written on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from komae_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "komae_analysis", *args], cwd=cwd, capture_output=True, text=True)


def test_sections_lists_ids_titles_and_parameters():
    res = run("sections")
    assert res.returncode == 0
    from komae_analysis.pipeline.registry import SECTIONS

    for s in SECTIONS:
        assert f"{s.id}\t{s.full_title}" in res.stdout
    assert "    fy: int = 2026　対象年度（西暦）" in res.stdout
    for name in ("params_file", "data_dir", "out_dir"):
        assert f"    {name}: str = " in res.stdout


def test_validate_demo_data_is_clean():
    res = run("validate")
    assert res.returncode == 0, res.stderr
    assert "問題は見つかりませんでした" in res.stdout


def test_unknown_section_is_a_japanese_error(tmp_path, capsys):
    assert main(["build", "--only", "99_nothing", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "セクション「99_nothing」はありません" in err
    assert not any(tmp_path.iterdir())


def test_unknown_fiscal_year_is_a_japanese_error(tmp_path, capsys):
    assert main(["build", "--fy", "1999", "--out", str(tmp_path)]) == 1
    assert "1999年度のパラメータファイルがありません" in capsys.readouterr().err


def test_bad_argument_is_exit_1_in_japanese():
    res = run("build", "--jobs", "abc")
    assert res.returncode == 1
    assert "引数が正しくありません" in res.stderr


def test_missing_data_dir(tmp_path, capsys):
    assert main(["build", "--data-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 1
    assert "データフォルダ" in capsys.readouterr().err


def _break_count(data: Path) -> None:
    """Put text into a count cell of the newest 第7表 CSV (狛江市's first detail row, 総数／男)."""
    path = data / "tokyo_juki_age5" / "dai7hyo_age5_202601.csv"
    raw = path.read_bytes()
    enc = "cp932"
    try:
        text = raw.decode("utf-8-sig")
        enc = "utf-8-sig"
    except UnicodeDecodeError:
        text = raw.decode("cp932")
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    i = next(i for i, line in enumerate(lines) if ",13219," in line and line.split(",")[3] == "1")
    cells = lines[i].split(",")
    cells[6] = "不明"
    lines[i] = ",".join(cells)
    path.write_bytes(("\r\n" if "\r\n" in text else "\n").join(lines).encode(enc))
    return i + 1


@pytest.mark.slow
def test_bad_input_stops_the_build_with_location(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMAE_PROCESSED_DIR", str(tmp_path / "processed"))
    line = _break_count(data_copy)
    out = tmp_path / "reports"
    res = run("build", "--data-dir", str(data_copy), "--out", str(out))
    assert res.returncode == 1
    assert "dai7hyo_age5_202601.csv" in res.stderr and f"{line}行目" in res.stderr and "総数／男" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (out / "FY2026").exists(), "something was published"
    # the sections that read the broken file are named; the others were built for checking
    from komae_analysis.pipeline.registry import SECTIONS

    stopped = [s.id for s in SECTIONS if "tokyo_juki_age5" in s.inputs]
    assert f"{'、'.join(stopped)} を作成しませんでした" in res.stderr
    built = {p.stem for p in (out / "FY2026.failed" / "html").glob("*.html")}
    assert built == {s.id for s in SECTIONS} - set(stopped)
    res = run("validate", "--data-dir", str(data_copy))
    assert res.returncode == 1 and f"{line}行目" in res.stderr


@pytest.mark.slow
def test_failed_section_keeps_notebook_and_leaves_published_report(tmp_path, monkeypatch, demo_data_dir):
    """A section that raises: the others finish, nothing is published, the executed notebook with the
    traceback is kept and its path printed, exit code 2."""
    import nbformat

    from komae_analysis.pipeline import build as build_mod
    from komae_analysis.pipeline import registry as catalogue
    from komae_analysis.pipeline.registry import run_params as load_params

    out = tmp_path / "reports"
    # a published report from an earlier good run
    first = build_mod.build(load_params(2026), data_dir=demo_data_dir, out_base=out, only=["02a_population"],
                            jobs=1, echo=lambda _m: None)
    assert first.ok
    manifest_before = (first.report_dir / "manifest.json").read_bytes()

    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    broken = "02b_population_areas"
    for s in catalogue.SECTIONS:  # every notebook as it is, one of them made to fail
        nb = nbformat.read(s.notebook, as_version=4)
        if s.id == broken:
            nb.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("テスト用の失敗")'))
        nbformat.write(nb, nb_dir / f"{s.id}.ipynb")
    monkeypatch.setattr(catalogue, "NOTEBOOKS_DIR", nb_dir)

    messages: list[str] = []
    result = build_mod.build(load_params(2026), data_dir=demo_data_dir, out_base=out, only=["02a_population", broken],
                             jobs=1, echo=messages.append)
    assert not result.ok and not result.published
    status = {r.id: r.status for r in result.sections}
    assert status == {"02a_population": "ok", broken: "failed"}
    assert (first.report_dir / "manifest.json").read_bytes() == manifest_before
    kept = out / "FY2026.failed" / "notebooks" / "02b_population_areas.ipynb"
    assert kept.is_file()
    assert "テスト用の失敗" in kept.read_text(encoding="utf-8")
    assert any(str(kept) in m for m in messages)
    failed_manifest = json.loads((out / "FY2026.failed" / "manifest.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["status"] for s in failed_manifest["sections"]}["02b_population_areas"] == "failed"


def test_demo_data_command_regenerates_the_bundled_files(tmp_path, demo_data_dir):
    res = run("demo-data", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "デモデータ" in res.stdout
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (demo_data_dir / rel).read_bytes(), rel


def test_notebook_without_an_injected_parameter_is_refused(tmp_path, monkeypatch, capsys):
    import nbformat

    from komae_analysis.pipeline import registry as catalogue

    nb = nbformat.read(catalogue.get("02a_population").notebook, as_version=4)
    params_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params_cell.source = "\n".join(line for line in params_cell.source.splitlines() if not line.startswith("out_dir"))
    nbformat.write(nb, tmp_path / "02a_population.ipynb")
    monkeypatch.setattr(catalogue, "NOTEBOOKS_DIR", tmp_path)
    out = tmp_path / "reports"
    assert main(["build", "--only", "02a_population", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "parametersセルに out_dir がありません" in err
    assert not out.exists()
