"""Processed data: raw inputs read once, validated, and kept as parquet under ``data/processed/FY<YYYY>/``.

``load(source_id, fy, data_dir)`` returns the tidy frame of one raw source. It reuses
``<source_id>.parquet`` when the sidecar ``<source_id>.json`` records exactly the current input
files (path, size, sha256); otherwise it reads the raw files again with the source's reader and
rewrites the cache atomically. The cache is never edited by hand and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from komae_analysis import paths
from komae_analysis.errors import KomaeError
from komae_analysis.ingest import registry


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_record(path: Path, data_dir: Path) -> dict[str, object]:
    """path (relative to the data dir, POSIX), size and sha256 of one input file."""
    try:
        rel = path.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        rel = str(path)
    return {"path": rel, "size": path.stat().st_size, "sha256": sha256(path)}


def input_records(source_id: str, data_dir: Path) -> list[dict[str, object]]:
    src = registry.source(source_id)
    return [file_record(p, data_dir) for p in registry.files(src, data_dir)]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(source_id: str, fy: int, data_dir: Path | None = None, processed_base: Path | None = None) -> pd.DataFrame:
    """The tidy frame of one raw source, from the processed cache when it is current."""
    data_dir = Path(data_dir or paths.RAW_DIR)
    if not data_dir.is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    records = input_records(source_id, data_dir)
    cache_dir = paths.processed_dir(fy, processed_base)
    parquet = cache_dir / f"{source_id}.parquet"
    sidecar = cache_dir / f"{source_id}.json"
    stamp = {"source": source_id, "data_dir": str(data_dir.resolve()), "inputs": records}
    if parquet.exists() and sidecar.exists():
        try:
            if json.loads(sidecar.read_text(encoding="utf-8")) == stamp:
                return pd.read_parquet(parquet)
        except (json.JSONDecodeError, OSError):
            pass
    frame = registry.load(source_id, data_dir)
    _write_parquet(frame, parquet)
    atomic_write_bytes(sidecar, json.dumps(stamp, ensure_ascii=False, indent=1).encode("utf-8"))
    return frame


def is_demo(data_dir: Path | None = None) -> bool:
    """Whether the data dir holds the generated demo data set (marker file written by ``komae demo-data``)."""
    return (Path(data_dir or paths.RAW_DIR) / "_demo_data.json").exists()
