"""Processed data: raw inputs read once, validated, and kept as parquet under ``data/processed/FY<YYYY>/``.

``load(source_id, fy, data_dir)`` returns the tidy frame of one raw source for a fiscal year: only
the files dated on or before the source's cutoff for that year (``RawSource.as_of(fy)``, by default
1 April of the year) are read into it, so a FY2023 build neither reads nor lists the 令和6–8 files.

It reuses ``<source_id>.parquet`` when the sidecar ``<source_id>.json`` (the stamp) records exactly
the files the year would use now (path, size, sha256); otherwise it reads the raw files again with
the source's reader and rewrites the cache atomically. The stamp lists only the files kept. To tell
which files a year keeps without reading them, ``_reference_dates.json`` beside it remembers the
reference date found in every file read (keyed by path and sha256); a file it does not know is read.
The cache is never edited by hand and can be deleted at any time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from komae_analysis import paths
from komae_analysis.errors import KomaeError
from komae_analysis.fileio import atomic_path, atomic_write_bytes, sha256
from komae_analysis.ingest.common import list_files

if TYPE_CHECKING:
    import pandas as pd

    from komae_analysis.ingest.registry import SourceRead

# The registry is imported lazily, only when raw files must be read: its entries hold the readers,
# so importing it imports pandera and the readers. A notebook that finds the processed cache current
# needs none of them; it finds the source's folder, pattern and cutoff in the stamp, which is trusted
# only while the code that made the frames is unchanged: the sha256 of the ingest modules and the
# reference lists is part of the stamp, so a corrected reader rebuilds every cache it touches.

REFERENCE_DATES = "_reference_dates.json"
_INGEST_DIR = Path(__file__).resolve().parent
_REFERENCE_DIR = _INGEST_DIR.parent / "reference"

Record = dict[str, Any]


def file_record(path: Path, data_dir: Path) -> Record:
    """path (relative to the data dir, POSIX), size and sha256 of one input file."""
    try:
        rel = path.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        rel = str(path)
    return {"path": rel, "size": path.stat().st_size, "sha256": sha256(path)}


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def _cache_paths(source_id: str, fy: int, processed_base: Path | None) -> tuple[Path, Path]:
    cache_dir = paths.processed_dir(fy, processed_base)
    return cache_dir / f"{source_id}.parquet", cache_dir / f"{source_id}.json"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------- reference dates


def _dates_path(fy: int, processed_base: Path | None) -> Path:
    return paths.processed_dir(fy, processed_base) / REFERENCE_DATES


def _known_dates(fy: int, processed_base: Path | None) -> dict[str, list[str | None]]:
    """relative path → [sha256, reference date (ISO) or None] of every file read so far."""
    known = _read_json(_dates_path(fy, processed_base))
    return known if isinstance(known, dict) else {}


def _remember_dates(
    dates: dict[Path, dt.date | None], records: dict[Path, Record], fy: int, processed_base: Path | None
) -> None:
    known = _known_dates(fy, processed_base)
    for path, day in dates.items():
        rec = records[path]
        known[rec["path"]] = [rec["sha256"], None if day is None else day.isoformat()]
    text = json.dumps(dict(sorted(known.items())), ensure_ascii=False, indent=1)
    atomic_write_bytes(_dates_path(fy, processed_base), text.encode("utf-8"))


# ------------------------------------------------------------------------------- stamps


@functools.cache
def _code_digest() -> str:
    """One sha256 over the ingest modules and the reference lists (a few small files: milliseconds)."""
    h = hashlib.sha256()
    for path in sorted([*_INGEST_DIR.glob("*.py"), *_REFERENCE_DIR.glob("*")]):
        if path.is_file():
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _stamp(
    source_id: str, data_dir: Path, folder: str, pattern: str, as_of: str, kept: list[Record]
) -> dict[str, Any]:
    return {
        "source": source_id,
        "data_dir": str(data_dir.resolve()),
        "code": _code_digest(),
        "folder": folder,
        "pattern": pattern,
        "as_of": as_of,
        "inputs": kept,
    }


def _current_stamp(source_id: str, fy: int, data_dir: Path, processed_base: Path | None) -> dict[str, Any] | None:
    """The stamp the cache of one source would carry now, found without the registry (from the
    previous stamp's folder, pattern and cutoff, and the remembered reference dates); None when it
    cannot be told without reading a file (no stamp, registry changed, a file not read before)."""
    _parquet, sidecar = _cache_paths(source_id, fy, processed_base)
    old = _read_json(sidecar)
    if not isinstance(old, dict) or old.get("code") != _code_digest():
        return None
    try:
        folder, pattern, as_of = str(old["folder"]), str(old["pattern"]), str(old["as_of"])
    except KeyError:
        return None
    known = _known_dates(fy, processed_base)
    kept: list[Record] = []
    for path in list_files(data_dir / folder, pattern):
        rec = file_record(path, data_dir)
        memo = known.get(rec["path"])
        if not memo or memo[0] != rec["sha256"]:
            return None
        if memo[1] is None or memo[1] <= as_of:
            kept.append(rec)
    return _stamp(source_id, data_dir, folder, pattern, as_of, kept)


def _cached(source_id: str, fy: int, stamp: dict[str, Any] | None, processed_base: Path | None) -> pd.DataFrame | None:
    if stamp is None:
        return None
    parquet, sidecar = _cache_paths(source_id, fy, processed_base)
    if parquet.exists() and _read_json(sidecar) == stamp:
        import pandas as pd

        return pd.read_parquet(parquet)
    return None


def _store(
    source_id: str, fy: int, data_dir: Path, read: SourceRead, processed_base: Path | None
) -> dict[str, Any]:
    """Write the frame read and its stamp (only the files kept); remember every file's date."""
    from komae_analysis.ingest import registry

    src = registry.source(source_id)
    records = {p: file_record(p, data_dir) for p in dict.fromkeys([*read.dates, *read.kept])}
    _remember_dates(read.dates, records, fy, processed_base)
    kept = [records[p] for p in read.kept]
    stamp = _stamp(source_id, data_dir, src.folder, src.pattern, src.as_of(fy).isoformat(), kept)
    parquet, sidecar = _cache_paths(source_id, fy, processed_base)
    _write_parquet(read.frame, parquet)
    atomic_write_bytes(sidecar, json.dumps(stamp, ensure_ascii=False, indent=1).encode("utf-8"))
    return stamp


def _data_dir(data_dir: Path | None) -> Path:
    data_dir = Path(data_dir or paths.RAW_DIR)
    if not data_dir.is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    return data_dir


# ---------------------------------------------------------------------------- the API


def load(source_id: str, fy: int, data_dir: Path | None = None, processed_base: Path | None = None) -> pd.DataFrame:
    """The tidy frame of one raw source for fiscal year ``fy``, from the processed cache when it is current."""
    return load_traced(source_id, fy, data_dir, processed_base)[0]


def load_traced(
    source_id: str, fy: int, data_dir: Path | None = None, processed_base: Path | None = None
) -> tuple[pd.DataFrame, list[Record]]:
    """:func:`load`, plus the records (path, size, sha256) of the input files the frame comes from —
    only the files the fiscal year keeps — hashed once for both the cache check and the caller's
    provenance."""
    data_dir = _data_dir(data_dir)
    stamp = _current_stamp(source_id, fy, data_dir, processed_base)
    frame = _cached(source_id, fy, stamp, processed_base)
    if frame is None or stamp is None:
        from komae_analysis.ingest import registry

        read = registry.read_sources([source_id], data_dir, fy)[source_id]
        stamp = _store(source_id, fy, data_dir, read, processed_base)
        frame = read.frame
    return frame, stamp["inputs"]


def prepare(
    source_ids: list[str],
    fy: int,
    data_dir: Path | None = None,
    processed_base: Path | None = None,
    map_fn: Callable[..., Iterable] = map,
) -> None:
    """Bring the cache of several sources for fiscal year ``fy`` up to date at once, reading each raw
    file once for all the sources that use it; ``map_fn`` (a process pool's ``map``) may read files
    in parallel. Raises one :class:`~komae_analysis.ingest.registry.SourcesError` (an InputError)
    listing every problem of every source and which source each belongs to; the sources read
    cleanly are cached all the same."""
    data_dir = _data_dir(data_dir)
    stale = [
        sid
        for sid in source_ids
        if _cached(sid, fy, _current_stamp(sid, fy, data_dir, processed_base), processed_base) is None
    ]
    if not stale:
        return
    from komae_analysis.ingest import registry

    # build the schemas (pandera) and import the Excel reader here, once, before ``map_fn`` may fork
    # reading processes: they inherit them instead of importing them each
    for sid in stale:
        registry.source(sid).schema.get()
    import python_calamine  # noqa: F401

    try:
        reads = registry.read_sources(stale, data_dir, fy, map_fn)
    except registry.SourcesError as exc:
        for sid, read in exc.reads.items():
            _store(sid, fy, data_dir, read, processed_base)
        raise
    for sid, read in reads.items():
        _store(sid, fy, data_dir, read, processed_base)


def is_demo(data_dir: Path | None = None) -> bool:
    """Whether the data dir holds the generated demo data set (marker file written by ``komae demo-data``)."""
    return (Path(data_dir or paths.RAW_DIR) / "_demo_data.json").exists()
