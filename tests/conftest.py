"""Shared fixtures: one real build of the demo report per test session (papermill + nbconvert)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def demo_data_dir() -> Path:
    return ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def built_report(tmp_path_factory, demo_data_dir):
    """The FY2026 report built from the bundled demo data with two workers, into a temp folder."""
    from komae_analysis.pipeline.build import build
    from komae_analysis.pipeline.registry import run_params as load_params

    out = tmp_path_factory.mktemp("reports")
    messages: list[str] = []
    result = build(load_params(2026), data_dir=demo_data_dir, out_base=out, jobs=2, echo=messages.append)
    assert result.ok, messages
    return result.report_dir


@pytest.fixture()
def data_copy(tmp_path, demo_data_dir) -> Path:
    """A writable copy of the demo data, for tests that break an input."""
    dst = tmp_path / "raw"
    shutil.copytree(demo_data_dir, dst)
    return dst
