"""Where things are. Importing this module has no side effects (nothing is created)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PARAMS_DIR = PACKAGE_DIR / "params"
REFERENCE_DIR = PACKAGE_DIR / "reference"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_DIR / "reports"


def processed_dir(fy: int, base: Path | None = None) -> Path:
    """``data/processed/<FY>/``: regenerated from raw data, never edited by hand."""
    return (base or PROCESSED_DIR) / f"FY{fy}"


def report_dir(fy: int, base: Path | None = None) -> Path:
    """``reports/FY<YYYY>/``: the published report of one fiscal year."""
    return (base or REPORTS_DIR) / f"FY{fy}"


