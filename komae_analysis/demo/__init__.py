"""The deterministic demo data set (``komae demo-data``).

One generator per source, named like the readers in :mod:`komae_analysis.ingest`: every module of
this package with a ``write(out_dir, seed)`` function (see :func:`generators`). The population
sources (東京都 第7表 CSVs, the city's register workbooks) are written from one run of the shared
cohort simulation (:mod:`~komae_analysis.demo.population_model`), so that 狛江市's 第7表 rows equal
its register.

Everything it writes is INVENTED, calibrated on a few real published figures, and marked as demo
data: ``_demo_data.json`` in the data folder (the build shows a デモデータ banner when it exists) and
a line in every CSV footer. Two runs with the same seed give byte-identical files.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

from komae_analysis.demo.io import write_bytes_atomic

#: The seed of every random draw in the demo data set.
SEED = 20260101
MARKER_NAME = "_demo_data.json"
MARKER_NOTE = (
    "このフォルダのデータは komae_analysis.demo が生成した架空のデモデータです。"
    "実在の統計ではありません（狛江市の総人口・世帯数など一部の公表値に合わせて調整しています）。"
    "実データに差し替えるときは、このファイルを削除してください。"
)

__all__ = ["MARKER_NAME", "SEED", "generate", "marker_payload"]


def marker_payload(seed: int = SEED) -> dict[str, object]:
    """The content of ``_demo_data.json``."""
    return {"demo": True, "generator": "komae_analysis.demo", "seed": seed, "note": MARKER_NOTE}


def generate(out_dir: Path) -> list[Path]:
    """Write the demo data set into ``out_dir`` (the data/raw folder); return the files written,
    in the order written. The marker comes first, so that even an interrupted run is flagged as demo
    data. Existing files of the same names are replaced; nothing else in ``out_dir`` is touched."""
    out_dir = Path(out_dir)
    text = json.dumps(marker_payload(), ensure_ascii=False, indent=2) + "\n"
    written = [write_bytes_atomic(out_dir / MARKER_NAME, text.encode("utf-8"))]
    for module in generators():
        written += module.write(out_dir, SEED)
    return written


def generators() -> list:
    """The demo modules that write a source's files: every module of this package with a
    ``write(out_dir, seed)`` function, by name (a new source's generator needs no registration)."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__))
    modules = [importlib.import_module(f"{__name__}.{n}") for n in names]
    return [m for m in modules if callable(getattr(m, "write", None))]
