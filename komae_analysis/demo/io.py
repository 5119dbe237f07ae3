"""Byte-reproducible writers for the demo data set.

Two runs of the generator must give byte-identical files, so nothing written here may depend on
the clock, the platform or the order of a hash: CSV text is built in memory and encoded once;
xlsx workbooks get fixed document properties and are re-zipped with a fixed timestamp, entry order,
compression and file attributes for every member. Every file is written to a temporary name in
its target folder and renamed into place, so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from komae_analysis import fileio

if TYPE_CHECKING:
    from openpyxl import Workbook

#: The date stamped into every workbook's created/modified properties.
FIXED_DATETIME = dt.datetime(2026, 1, 1, 0, 0, 0)


def csv_bytes(rows: list[list[str]], *, encoding: str = "cp932", newline: str = "\r\n") -> bytes:
    """Rows of already-formatted cells as CSV text (no quoting needed: cells never hold commas,
    quotes or line breaks, which is checked), every line ended by ``newline``."""
    for row in rows:
        for cell in row:
            if any(ch in cell for ch in ',"\r\n'):
                raise ValueError(f"CSV cell needs quoting, which the demo writer does not do: {cell!r}")
    text = "".join(",".join(row) + newline for row in rows)
    return text.encode(encoding)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise a demo workbook reproducibly (fixed creator and dates, normalised zip container)."""
    return fileio.workbook_bytes(wb, timestamp=FIXED_DATETIME, creator="komae_analysis.demo")


#: Demo files are written like every other file: to a temporary name, then renamed into place.
write_bytes_atomic = fileio.atomic_write_bytes
