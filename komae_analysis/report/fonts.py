"""Where the Japanese font is: IPAex Gothic, shipped inside the ``matplotlib-fontja`` wheel.

Charts register it with matplotlib; the build copies it into the report so that the HTML pages
render the same everywhere, offline. Kept apart from :mod:`komae_analysis.report.charts` so that finding
the file does not import matplotlib.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from komae_analysis.errors import KomaeError

FONT_FILE = "ipaexg.ttf"


def font_path() -> Path:
    """The IPAex Gothic font file inside the installed ``matplotlib-fontja`` package.

    Located without importing the package (importing it changes rcParams as a side effect).
    """
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise KomaeError("日本語フォントのパッケージ matplotlib-fontja がインストールされていません")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "fonts" / FONT_FILE
        if candidate.is_file():
            return candidate
    raise KomaeError(f"matplotlib-fontja のフォントファイル {FONT_FILE} が見つかりません")
