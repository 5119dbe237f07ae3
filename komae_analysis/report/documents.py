"""A section's own workbook: sheets with a print layout that one table per sheet cannot express.

The appendix workbook (:mod:`komae_analysis.report.excel`) gives every :class:`AppendixTable` a sheet
of its own with one header row. Some pages are forms rather than tables — the 実施計画's sheet per
重点施策, with its 施策の方向性, 到達目標 and three year columns, laid out for printing on A4 landscape
as the city publishes it. A section builds such pages as an :class:`AppendixWorkbook`: the HTML that
shows them on the section's page, and a function that makes the openpyxl workbook. The section shows
it like a table (``ctx.show``): the workbook is written to ``tables/<section>/<filename>`` (replaced
with the section's other outputs when the section is rebuilt), recorded in the section's record and
the manifest, and linked from the contents page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from komae_analysis.fileio import atomic_write_bytes, workbook_bytes
from komae_analysis.report.artefact import check_number

#: The creation time written into the workbook, so that the same content gives the same bytes.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)


@dataclass(eq=False, kw_only=True)
class AppendixWorkbook:
    """A workbook a section publishes beside the appendix workbook (see the module docstring).

    ``filename`` ends in ``.xlsx`` and can be a file name on every system (checked like a sheet name);
    ``build`` returns an openpyxl ``Workbook`` (called once, when the section saves it); ``html`` is the
    fragment shown on the page (it carries its own CSS and its 出典 line)."""

    title: str
    filename: str
    html: str
    build: Callable[[], Any]
    section: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError("AppendixWorkbook: 表題が空です")
        if not self.filename.endswith(".xlsx"):
            raise ValueError(f"AppendixWorkbook: ファイル名は .xlsx で終わる必要があります: {self.filename}")
        check_number(self.filename[: -len(".xlsx")], kind="ファイル名")

    def save(self, directory: Path) -> Path:
        """Write the workbook to ``directory/filename`` atomically and return the path."""
        path = Path(directory) / self.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write_bytes(path, workbook_bytes(self.build(), timestamp=FIXED_TIMESTAMP,
                                                       creator="komae_analysis"))

    def to_html(self) -> str:
        return self.html

    def _repr_html_(self) -> str:
        return self.html
