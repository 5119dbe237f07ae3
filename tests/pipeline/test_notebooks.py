"""The notebooks as analysts use them: stored without outputs, thin, and runnable top to bottom in
JupyterLab with their parameter defaults (no injected parameters)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from komae_analysis.pipeline import registry as sections

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_section_has_its_notebook_and_back():
    assert {p.stem for p in NOTEBOOKS} == {s.id for s in sections.SECTIONS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    section = sections.get(path.stem)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {section.full_title}")
    assert "parameters" in code[0].metadata.get("tags", [])
    # the notebook opens the section named like its file
    opened = re.findall(r"open_section\(\s*['\"]([^'\"]+)['\"]", "\n".join(c.source for c in code))
    assert opened == [path.stem]
    for c in code[1:]:
        assert "def " not in c.source and "class " not in c.source
        assert not re.search(r"['\"][^'\"]*\.(csv|xlsx|parquet)['\"]", c.source), "file path in a notebook"
        assert not re.search(r"\b\d{3,}\b", c.source), "hand-typed number in a notebook"
    headings = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert not any(re.search(r"入力|処理|出力|自動で作成|パラメータ", h) for h in headings), "pipeline words on a committee page"


def _snapshot() -> dict[str, float]:
    """Every file outside the folders a notebook may write to, with its mtime."""
    skip = {".git", ".venv", "reports", ".pytest_cache", ".ruff_cache", "__pycache__"}
    out = {}
    for dirpath, dirnames, filenames in os.walk(ROOT):
        rel = Path(dirpath).relative_to(ROOT)
        dirnames[:] = [d for d in dirnames if d not in skip and not d.endswith(".egg-info")]
        if rel.parts[:2] == ("data", "processed"):
            continue
        for f in filenames:
            p = Path(dirpath) / f
            out[str(p.relative_to(ROOT))] = p.stat().st_mtime_ns
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_like_in_jupyterlab(path):
    before = _snapshot()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    after = _snapshot()
    assert before == after, "the notebook wrote outside reports/ and data/processed/"
    scratch = ROOT / "reports" / "scratch" / "FY2026"
    assert (scratch / "sections" / f"{path.stem}.json").is_file()
    assert list((scratch / "tables" / "data" / path.stem).glob("*.json"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_annotated_and_listed(path):
    """Each injected parameter is declared with its type and a help comment (``komae sections`` shows them)."""
    from komae_analysis.pipeline.notebooks import notebook_parameters

    info = notebook_parameters(sections.get(path.stem))
    for name in sections.INJECTED_PARAMETERS:
        assert info[name]["type"] in ("int", "str"), (name, info[name])
        assert info[name]["help"], name
    assert info["fy"]["type"] == "int"
