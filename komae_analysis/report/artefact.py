"""The common base of appendix tables and figures: number, title, 出典, 注, and JSON metadata.

An appendix artefact (:class:`~komae_analysis.report.tables.AppendixTable`,
:class:`~komae_analysis.report.charts.AppendixFigure`) is built by an analysis function without a
number; the section gives it one (表2-1-3, 図2-1-1) when the notebook shows it, in display order,
and only then saves it. This module holds what both kinds share:

- the checks on number, title, 出典 and 注 (every artefact has a title and a 出典);
- how the 出典 and 注 lines are printed (:func:`source_line`, :func:`note_line`);
- the names made from a number: the Excel sheet name (:func:`check_number`) and the ASCII file stem
  and HTML id (:func:`slug`);
- the JSON metadata file written beside the data (:meth:`Artefact.write_metadata`,
  :meth:`Artefact.read_metadata`), atomically, with a kind tag and a version.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from komae_analysis.fileio import atomic_write_bytes

__all__ = [
    "RESERVED_SHEET_NAMES",
    "Artefact",
    "check_number",
    "note_line",
    "slug",
    "source_line",
]

_SHEET_FORBIDDEN = set("[]:*?/\\")
_FILE_FORBIDDEN = set('<>|"') | {chr(c) for c in range(32)}
#: Sheet names the workbook uses itself (compared case-insensitively, as Excel does).
RESERVED_SHEET_NAMES = frozenset({"目次", "history"})


def check_number(number: str, *, kind: str = "表") -> str:
    """Check that a 表/図 number can be an Excel sheet name and a file name; return it.

    Excel sheet names have at most 31 characters, cannot contain ``[]:*?/\\``, cannot start or end
    with an apostrophe, and "History" and our 「目次」 are taken.
    """
    if not isinstance(number, str) or not number.strip():
        raise ValueError(f"{kind}番号が空です")
    problems = []
    if number != number.strip():
        problems.append("前後に空白があります")
    if len(number) > 31:
        problems.append(f"31文字を超えています（{len(number)}文字）")
    bad = sorted({c for c in number if c in _SHEET_FORBIDDEN or c in _FILE_FORBIDDEN})
    if bad:
        problems.append("使えない文字 " + " ".join(repr(c) for c in bad) + " を含みます")
    if number.startswith("'") or number.endswith("'"):
        problems.append("先頭または末尾がアポストロフィです")
    if number.lower() in RESERVED_SHEET_NAMES:
        problems.append("予約された名前です")
    if number in {".", ".."}:
        problems.append("ファイル名にできません")
    if problems:
        raise ValueError(
            f"{kind}番号「{number}」はExcelのシート名・ファイル名に使えません: " + "、".join(problems)
        )
    return number


def slug(number: str) -> str:
    """An ASCII-safe name for a table or figure number: 表2-1-3 → tbl2-1-3, 図2-1-1 → fig2-1-1."""
    text = unicodedata.normalize("NFKC", number).strip()
    prefix = ""
    if text.startswith("表"):
        prefix, text = "tbl", text[1:]
    elif text.startswith("図"):
        prefix, text = "fig", text[1:]
    body = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    if not body:
        raise ValueError(f"番号「{number}」から英数字のファイル名を作れません（例: 図2-1-1）")
    return prefix + body


def source_line(source: str) -> str:
    """The 出典 line as printed: prefixed with 「出典：」 unless it already starts with 出典 or 資料."""
    s = source.strip()
    return s if s.startswith(("出典", "資料")) else f"出典：{s}"


def note_line(note: str) -> str:
    """A 注 line as printed: prefixed with 「注：」 unless it already starts with 注, ※ or *."""
    s = note.strip()
    return s if s.startswith(("注", "※", "*", "＊")) else f"注：{s}"


@dataclass(eq=False, kw_only=True)
class Artefact:
    """What a table and a figure share. Subclasses set :attr:`KIND` (表 / 図) and :attr:`JSON_KIND`,
    and call :meth:`check_common` from ``__post_init__``."""

    KIND: ClassVar[str] = ""
    JSON_KIND: ClassVar[str] = ""
    JSON_VERSION: ClassVar[int] = 1

    title: str
    source: str
    notes: list[str] = field(default_factory=list)
    #: the section id (02a_population); set by the section when it shows the artefact
    section: str = ""
    #: 表2-1-3 / 図2-1-1; empty until the section shows the artefact (numbers follow display order)
    number: str = ""

    # -- checks ----------------------------------------------------------------------------------

    @property
    def where(self) -> str:
        """How error messages name this artefact: by number once it has one, else by title."""
        if self.number:
            return f"{self.KIND}「{self.number}」"
        return f"{self.KIND}（{self.title}）" if isinstance(self.title, str) and self.title.strip() else self.KIND

    def check_common(self) -> None:
        """Check number (if set), title, 出典 and 注; normalise ``notes`` to a list of str."""
        if self.number:
            check_number(self.number, kind=self.KIND)
        if not isinstance(self.title, str) or not self.title.strip():
            raise ValueError(f"{self.where}: 表題が空です")
        if not isinstance(self.source, str) or not self.source.strip():
            raise ValueError(f"{self.where}: 出典が空です（すべての{self.KIND}に出典が必要です）")
        notes = [self.notes] if isinstance(self.notes, str) else list(self.notes or [])
        bad = [n for n in notes if not isinstance(n, str)]
        if bad:
            raise TypeError(f"{self.where}: 注は文字列にしてください（{', '.join(map(repr, bad))}）")
        self.notes = notes
        if not isinstance(self.section, str):
            raise TypeError(f"{self.where}: section は文字列にしてください")

    def require_number(self) -> str:
        """The number; refuses an artefact that has none yet (it is numbered when the section shows it)."""
        if not self.number:
            raise ValueError(
                f"{self.where}: 番号がありません。番号は節のノートブックで表示したとき"
                "（ctx.show）に付きます"
            )
        return check_number(self.number, kind=self.KIND)

    # -- printed lines and names -----------------------------------------------------------------

    @property
    def slug(self) -> str:
        """ASCII file stem and HTML id: 表2-1-3 → tbl2-1-3, 図2-1-1 → fig2-1-1."""
        return slug(self.require_number())

    def source_line(self) -> str:
        return source_line(self.source)

    def note_lines(self) -> list[str]:
        return [note_line(n) for n in self.notes if n and n.strip()]

    # -- JSON metadata ---------------------------------------------------------------------------

    def common_metadata(self) -> dict[str, Any]:
        return {
            "kind": self.JSON_KIND,
            "version": self.JSON_VERSION,
            "number": self.require_number(),
            "title": self.title,
            "source": self.source,
            "notes": list(self.notes),
            "section": self.section,
        }

    def write_metadata(self, path: Path, extra: dict[str, Any]) -> Path:
        """Write the common fields and ``extra`` as JSON to ``path`` (atomically); return the path."""
        meta = {**self.common_metadata(), **extra}
        text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        return atomic_write_bytes(Path(path), text.encode("utf-8"))

    @classmethod
    def read_metadata(cls, path: Path) -> dict[str, Any]:
        """The JSON written by :meth:`write_metadata`; refuses another kind or a newer version."""
        path = Path(path)
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} を読めません（JSONが壊れています）: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("kind") != cls.JSON_KIND:
            raise ValueError(f"{path} は{cls.KIND}のメタデータではありません")
        if int(meta.get("version", 0)) > cls.JSON_VERSION:
            raise ValueError(f"{path} は新しい形式（version {meta['version']}）で、このプログラムでは読めません")
        return meta

    @staticmethod
    def common_kwargs(meta: dict[str, Any]) -> dict[str, Any]:
        """The constructor arguments of the common fields, from metadata."""
        return {
            "number": meta["number"],
            "title": meta["title"],
            "source": meta["source"],
            "notes": list(meta.get("notes", [])),
            "section": meta.get("section", ""),
        }
