"""Where things are. Importing this module has no side effects (nothing is created)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PARAMS_DIR = PACKAGE_DIR / "params"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_DIR / "reports"


def processed_dir(fy: int, base: Path | None = None) -> Path:
    """``data/processed/FY<YYYY>/``: regenerated from raw data, never edited by hand.

    The environment variable ``KOMAE_PROCESSED_DIR`` moves the whole cache (it reaches the worker
    processes and kernels of a build too), e.g. for tests or a read-only project folder."""
    default = Path(os.environ["KOMAE_PROCESSED_DIR"]) if os.environ.get("KOMAE_PROCESSED_DIR") else PROCESSED_DIR
    return (base or default) / f"FY{fy}"


def report_dir(fy: int, base: Path | None = None) -> Path:
    """``reports/FY<YYYY>/``: the published report of one fiscal year."""
    return (base or REPORTS_DIR) / f"FY{fy}"


