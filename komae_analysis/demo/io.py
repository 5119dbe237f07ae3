"""Byte-reproducible writers for the demo data set.

Two runs of the generator must give byte-identical files, so nothing written here may depend on
the clock, the platform or the order of a hash: CSV text is built in memory and encoded once;
xlsx workbooks get fixed document properties and are re-zipped with a fixed timestamp, entry order,
compression and file attributes for every member. Every file is written to a temporary name in
its target folder and renamed into place, so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

#: The date stamped into every workbook's created/modified properties.
FIXED_DATETIME = dt.datetime(2026, 1, 1, 0, 0, 0)
#: The timestamp of every zip member (the zip format cannot store dates before 1980).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Opened with open() rather than mkstemp so the file gets the usual permissions (umask), not 0600.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def csv_bytes(rows: list[list[str]], *, encoding: str = "cp932", newline: str = "\r\n") -> bytes:
    """Rows of already-formatted cells as CSV text (no quoting needed: cells never hold commas,
    quotes or line breaks, which is checked), every line ended by ``newline``."""
    for row in rows:
        for cell in row:
            if any(ch in cell for ch in ',"\r\n'):
                raise ValueError(f"CSV cell needs quoting, which the demo writer does not do: {cell!r}")
    text = "".join(",".join(row) + newline for row in rows)
    return text.encode(encoding)


def normalize_zip(data: bytes) -> bytes:
    """Re-zip an archive with a fixed timestamp, attributes and compression for every member,
    keeping the member order of the original (``[Content_Types].xml`` first, as openpyxl writes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook reproducibly: fixed creator and dates, normalised zip container.

    ``Workbook.save`` stamps the current time into ``docProps/core.xml``; the writer is driven
    directly here so that the fixed ``modified`` date survives.
    """
    wb.properties.creator = "komae_analysis.demo"
    wb.properties.lastModifiedBy = "komae_analysis.demo"
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return normalize_zip(raw.getvalue())
