"""Writing files safely and reproducibly: every module that writes goes through here.

- :func:`atomic_path` / :func:`atomic_write_bytes`: write to a temporary file in the target folder,
  then rename it into place, so a reader never sees a half-written file and a failed write leaves
  the old file as it was.
- :func:`workbook_bytes`: an openpyxl workbook serialised reproducibly (fixed document dates, a
  normalised zip container), so identical content gives identical bytes.
- :func:`sha256`: the hex digest of a file's content, read in chunks (the one hash of inputs and
  outputs: cache stamps, provenance, the manifest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

#: The timestamp of every zip member (the zip format cannot store dates before 1980).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 hex digest of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: changing the umask is process-wide and not thread-safe


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path in the same folder as ``path``; on success rename it onto ``path``.

    On failure the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:40]}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the permissions a normal write would.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + rename)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


#: Members already compressed: stored as they are (deflating a PNG again costs time and saves nothing).
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg")


def normalize_zip(data: bytes) -> bytes:
    """Re-zip an archive with a fixed timestamp, attributes and compression for every member,
    keeping the member order of the original."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            stored = info.filename.lower().endswith(_STORED_SUFFIXES)
            member.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info.filename), compresslevel=None if stored else 6)
    return out.getvalue()


def workbook_bytes(wb: Workbook, *, timestamp: dt.datetime, creator: str | None = None) -> bytes:
    """Serialise a workbook reproducibly: fixed created/modified dates (and creator), normalised zip.

    ``Workbook.save`` stamps the current time into ``docProps/core.xml``; the writer is driven
    directly here so that the fixed ``modified`` date survives.
    """
    from openpyxl.writer.excel import ExcelWriter

    if creator is not None:
        wb.properties.creator = creator
        wb.properties.lastModifiedBy = creator
    wb.properties.created = timestamp
    wb.properties.modified = timestamp
    raw = io.BytesIO()
    # uncompressed here: normalize_zip compresses each member once, in its final form
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return normalize_zip(raw.getvalue())
