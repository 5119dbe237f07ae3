"""Processed data: raw inputs read once, validated, and kept as parquet under ``data/processed/FY<YYYY>/``.

``load(source_id, fy, data_dir)`` returns the tidy frame of one raw source. It reuses
``<source_id>.parquet`` when the sidecar ``<source_id>.json`` records exactly the current input
files (path, size, sha256); otherwise it reads the raw files again with the source's reader and
rewrites the cache atomically. The cache is never edited by hand and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from komae_analysis import paths
from komae_analysis.errors import KomaeError
from komae_analysis.fileio import atomic_path, atomic_write_bytes

if TYPE_CHECKING:
    import pandas as pd

# The ingest package (pandera schemas, readers) is imported only when raw files must be read, so a
# notebook that finds the processed cache current starts faster.


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
    from komae_analysis.ingest import registry

    src = registry.source(source_id)
    return [file_record(p, data_dir) for p in registry.files(src, data_dir)]


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def _cache_paths(source_id: str, fy: int, processed_base: Path | None) -> tuple[Path, Path]:
    cache_dir = paths.processed_dir(fy, processed_base)
    return cache_dir / f"{source_id}.parquet", cache_dir / f"{source_id}.json"


def _stamp(source_id: str, data_dir: Path) -> dict[str, object]:
    return {"source": source_id, "data_dir": str(data_dir.resolve()), "inputs": input_records(source_id, data_dir)}


def _cached(source_id: str, fy: int, stamp: dict[str, object], processed_base: Path | None) -> pd.DataFrame | None:
    parquet, sidecar = _cache_paths(source_id, fy, processed_base)
    if parquet.exists() and sidecar.exists():
        try:
            if json.loads(sidecar.read_text(encoding="utf-8")) == stamp:
                import pandas as pd

                return pd.read_parquet(parquet)
        except (json.JSONDecodeError, OSError):
            pass
    return None


def _store(
    source_id: str, frame: pd.DataFrame, fy: int, stamp: dict[str, object], processed_base: Path | None
) -> None:
    parquet, sidecar = _cache_paths(source_id, fy, processed_base)
    _write_parquet(frame, parquet)
    atomic_write_bytes(sidecar, json.dumps(stamp, ensure_ascii=False, indent=1).encode("utf-8"))


def _data_dir(data_dir: Path | None) -> Path:
    data_dir = Path(data_dir or paths.RAW_DIR)
    if not data_dir.is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    return data_dir


def load(source_id: str, fy: int, data_dir: Path | None = None, processed_base: Path | None = None) -> pd.DataFrame:
    """The tidy frame of one raw source, from the processed cache when it is current."""
    return load_traced(source_id, fy, data_dir, processed_base)[0]


def load_traced(
    source_id: str, fy: int, data_dir: Path | None = None, processed_base: Path | None = None
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """:func:`load`, plus the records (path, size, sha256) of the input files the frame comes from,
    hashed once for both the cache check and the caller's provenance."""
    data_dir = _data_dir(data_dir)
    stamp = _stamp(source_id, data_dir)
    frame = _cached(source_id, fy, stamp, processed_base)
    if frame is None:
        from komae_analysis.ingest import registry

        frame = registry.load(source_id, data_dir)
        _store(source_id, frame, fy, stamp, processed_base)
    return frame, stamp["inputs"]  # type: ignore[return-value]


def prepare(
    source_ids: list[str],
    fy: int,
    data_dir: Path | None = None,
    processed_base: Path | None = None,
    map_fn: Callable[..., Iterable] = map,
) -> None:
    """Bring the cache of several sources up to date at once, reading each raw file once for all the
    sources that use it; ``map_fn`` (a process pool's ``map``) may read files in parallel. Raises one
    InputError listing every problem of every source."""
    data_dir = _data_dir(data_dir)
    stamps = {sid: _stamp(sid, data_dir) for sid in source_ids}
    stale = [sid for sid in source_ids if _cached(sid, fy, stamps[sid], processed_base) is None]
    if not stale:
        return
    from komae_analysis.ingest import registry

    for sid, frame in registry.load_many(stale, data_dir, map_fn).items():
        _store(sid, frame, fy, stamps[sid], processed_base)


def is_demo(data_dir: Path | None = None) -> bool:
    """Whether the data dir holds the generated demo data set (marker file written by ``komae demo-data``)."""
    return (Path(data_dir or paths.RAW_DIR) / "_demo_data.json").exists()
