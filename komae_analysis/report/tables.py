"""Appendix tables: one object per published table, rendered identically in HTML and Excel.

A section builds an :class:`AppendixTable` (number, title, 出典, 注, unit, a DataFrame and the number
format of each column), displays it in its notebook (``_repr_html_``) and saves it
(:meth:`AppendixTable.save`: JSON metadata + Parquet data). The build loads the saved tables again
(:meth:`AppendixTable.load`) to assemble the Excel workbook (:mod:`komae_analysis.report.excel`) and the
index page.

Numbers are formatted by :func:`format_value`, which reproduces what Excel displays for the number
formats the workbook uses (``#,##0``, ``0.0%``, ``0.0``, ``0.00``): Excel rounds half away from zero
(not to even) after taking the value to 15 significant digits, so 0.0005 shown as a percentage with
one decimal is "0.1%" and 1.005 with two decimals is "1.01".
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from komae_analysis.fileio import atomic_path, atomic_write_bytes
from komae_analysis.report.numbers import (
    EXCEL_FORMATS,
    FORMATS,
    MISSING,
    NUMERIC_FORMATS,
    default_format,
    format_value,
)
from komae_analysis.report.numbers import is_missing as _is_missing

__all__ = [
    "EXCEL_FORMATS",
    "FORMATS",
    "MISSING",
    "TABLE_CSS",
    "AppendixTable",
    "check_number",
    "format_value",
    "note_line",
    "slug",
    "source_line",
    "table_anchor",
]

_FONT_STACK = '"IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'

#: CSS for the HTML fragments of tables and figures (also included by the report template).
TABLE_CSS = f"""
.komae-table-block, .komae-figure {{
  font-family: {_FONT_STACK};
  color: #1a1a1a;
  margin: 1.5em 0;
  max-width: 100%;
}}
.komae-table-scroll {{ overflow-x: auto; max-width: 100%; }}
table.komae-table {{
  border-collapse: collapse;
  font-size: 0.9rem;
  line-height: 1.45;
  margin: 0;
}}
table.komae-table caption {{
  caption-side: top;
  text-align: left;
  padding: 0 0 0.3em 0;
}}
.komae-table-number, .komae-figure-number {{ font-weight: bold; margin-right: 1em; }}
.komae-table-title, .komae-figure-title {{ font-weight: bold; }}
.komae-table-unit {{
  display: block;
  text-align: right;
  font-size: 0.85rem;
  font-weight: normal;
  margin-top: 0.2em;
}}
table.komae-table th, table.komae-table td {{
  border: 1px solid #8c959f;
  padding: 0.25em 0.6em;
  vertical-align: top;
}}
table.komae-table thead th {{
  background: #e3eaf2;
  font-weight: bold;
  text-align: center;
  vertical-align: bottom;
}}
table.komae-table tbody th {{ font-weight: normal; text-align: left; background: #f6f8fa; }}
table.komae-table td.text {{ text-align: left; }}
table.komae-table td.num {{
  text-align: right;
  white-space: nowrap;
  font-variant-numeric: tabular-nums;
}}
table.komae-table tbody tr:nth-child(even) td {{ background: #fafbfc; }}
.komae-table-source, .komae-table-note, .komae-figure-source, .komae-figure-note {{
  font-size: 0.85rem;
  margin: 0.25em 0 0 0;
}}
.komae-figure {{ display: block; }}
.komae-figure figcaption {{ margin-bottom: 0.4em; }}
.komae-figure img {{ max-width: 100%; height: auto; display: block; }}
@media print {{
  .komae-table-block, .komae-figure {{ break-inside: avoid; page-break-inside: avoid; }}
  .komae-table-scroll {{ overflow: visible; }}
  table.komae-table thead {{ display: table-header-group; }}
  table.komae-table thead th, table.komae-table tbody th {{
    -webkit-print-color-adjust: exact;
    print-color-adjust: exact;
  }}
  table.komae-table tbody tr:nth-child(even) td {{ background: none; }}
  table.komae-table {{ font-size: 9pt; }}
}}
""".strip()


# ---------------------------------------------------------------------------------------------
# Names, lines and files
# ---------------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = set("[]:*?/\\")
_FILE_FORBIDDEN = set('<>|"') | {chr(c) for c in range(32)}
RESERVED_SHEET_NAMES = frozenset({"目次", "history"})


def check_number(number: str, *, kind: str = "表") -> str:
    """Check that a table number can be an Excel sheet name and a file name; return it.

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


def table_anchor(number: str) -> str:
    """The HTML id :meth:`AppendixTable.to_html` gives a table (表2-1-3 → tbl2-1-3)."""
    return slug(number)


def source_line(source: str) -> str:
    """The 出典 line as printed: prefixed with 「出典：」 unless it already starts with 出典 or 資料."""
    s = source.strip()
    return s if s.startswith(("出典", "資料")) else f"出典：{s}"


def note_line(note: str) -> str:
    """A 注 line as printed: prefixed with 「注：」 unless it already starts with 注, ※ or *."""
    s = note.strip()
    return s if s.startswith(("注", "※", "*", "＊")) else f"注：{s}"


def _write_with(path: Path, writer: Callable[[Path], None]) -> None:
    with atomic_path(path) as tmp:
        writer(tmp)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Object columns through Parquet
# ---------------------------------------------------------------------------------------------
# Parquet has typed columns with one kind of null. A pandas object column (rare with pandas 3, where
# text is ``str``) comes back typed (``str``, ``float64`` …) and with NaN for every missing value, so
# the JSON records which columns were object, the Python type of their values and the kind of each
# missing value, and :meth:`AppendixTable.load` restores them.

_NA_KINDS = {"nan": float("nan"), "NA": pd.NA, "NaT": pd.NaT}


def _na_kind(value: Any) -> str:
    if value is None:
        return "None"
    if value is pd.NA:
        return "NA"
    if value is pd.NaT:
        return "NaT"
    return "nan"


def _object_column_info(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    info: dict[str, dict[str, Any]] = {}
    for col in frame.columns:
        if frame[col].dtype != object:
            continue
        values = frame[col].tolist()
        types = sorted({type(v).__name__ for v in values if not _is_missing(v)})
        na = {str(i): _na_kind(v) for i, v in enumerate(values) if _is_missing(v) and v is not None}
        info[col] = {"types": types, "na": na}
    return info


def _restore_object_column(series: pd.Series, info: dict[str, Any]) -> pd.Series:
    types = set(info.get("types", []))
    values: list[Any] = []
    for v in series.astype(object).tolist():
        if _is_missing(v):
            values.append(None)
        elif types == {"int"}:
            values.append(int(v))
        elif types == {"bool"}:
            values.append(bool(v))
        else:
            values.append(v)
    for i, kind in info.get("na", {}).items():
        values[int(i)] = _NA_KINDS.get(kind)
    return pd.Series(values, index=series.index, dtype=object, name=series.name)


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

_JSON_KIND = "komae_appendix_table"
_JSON_VERSION = 1


@dataclass(eq=False, kw_only=True)
class AppendixTable:
    """One appendix table: the same object is shown in the notebook, saved, and written to Excel.

    ``frame``'s columns are the printed column heads; its index is not printed, so row labels must
    be ordinary columns (an index with a name or with text labels is refused). ``formats`` maps a
    column to ``int`` | ``pct`` (a fraction shown as 0.0%) | ``dec1`` | ``dec2`` | ``text``;
    other columns get :func:`default_format`.
    """

    title: str
    frame: pd.DataFrame
    source: str
    unit: str | None = None
    notes: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    section: str = ""
    #: 表2-1-3; empty until the section shows the table (numbers follow display order)
    number: str = ""

    def __post_init__(self) -> None:
        if self.number:
            check_number(self.number, kind="表")
        if not isinstance(self.frame, pd.DataFrame):
            raise TypeError(f"表「{self.number}」: frame は pandas.DataFrame にしてください")
        if not self.title or not self.title.strip():
            raise ValueError(f"表「{self.number}」: 表題が空です")
        if not self.source or not self.source.strip():
            raise ValueError(f"表「{self.number}」: 出典が空です（すべての表に出典が必要です）")
        if isinstance(self.notes, str):
            self.notes = [self.notes]
        self.notes = list(self.notes)
        self.formats = dict(self.formats)
        self.validate()

    # -- checks ----------------------------------------------------------------------------------

    def validate(self) -> None:
        """Check the frame's shape against what the renderers need; raise ValueError naming the table."""
        where = f"表「{self.number}」"
        cols = self.frame.columns
        if isinstance(cols, pd.MultiIndex):
            raise ValueError(f"{where}: 列見出しが多段（MultiIndex）です。1段の見出しにしてください")
        bad = [c for c in cols if not isinstance(c, str)]
        if bad:
            raise ValueError(f"{where}: 列見出しは文字列にしてください（{', '.join(map(repr, bad))}）")
        dup = sorted({c for c in cols if list(cols).count(c) > 1})
        if dup:
            raise ValueError(f"{where}: 列見出しが重複しています（{', '.join(dup)}）")
        idx = self.frame.index
        if isinstance(idx, pd.MultiIndex) or any(n is not None for n in idx.names):
            raise ValueError(
                f"{where}: 行ラベルが index にあります。"
                "index は印刷されないので frame.reset_index() で列にしてください"
            )
        if len(idx) and not pd.api.types.is_integer_dtype(idx.dtype):
            raise ValueError(f"{where}: index に文字列などのラベルがあります。列にしてください")
        unknown = [c for c in self.formats if c not in cols]
        if unknown:
            raise ValueError(f"{where}: formats に存在しない列があります（{', '.join(map(str, unknown))}）")
        for col, fmt in self.formats.items():
            if fmt not in FORMATS:
                raise ValueError(
                    f"{where}: 列「{col}」の書式「{fmt}」は使えません（{', '.join(sorted(FORMATS))}）"
                )

    # -- formats ---------------------------------------------------------------------------------

    def column_formats(self) -> dict[str, str]:
        """The format of every column, in column order (explicit ``formats`` first, else the default)."""
        return {c: self.formats.get(c) or default_format(self.frame[c]) for c in self.frame.columns}

    def formatted(self) -> pd.DataFrame:
        """The frame as the text printed in each cell (the same text Excel displays)."""
        fmts = self.column_formats()
        data = {c: [format_value(v, fmts[c]) for v in self.frame[c].tolist()] for c in self.frame.columns}
        return pd.DataFrame(data, columns=list(self.frame.columns), dtype=object)

    @property
    def slug(self) -> str:
        """ASCII id of the table (表2-1-3 → tbl2-1-3), used as HTML anchor."""
        return slug(self.number)

    def source_line(self) -> str:
        return source_line(self.source)

    def note_lines(self) -> list[str]:
        return [note_line(n) for n in self.notes if n and n.strip()]

    # -- HTML ------------------------------------------------------------------------------------

    def to_html(self, *, css: bool = True) -> str:
        """A self-contained HTML fragment: caption (number, title, unit), the table, 出典 and 注 lines.

        With ``css=True`` (default) a ``<style>`` block with :data:`TABLE_CSS` is included, so the
        fragment looks right on its own; the report template, which has the CSS once, passes False.
        """
        self.validate()
        esc = html.escape
        fmts = self.column_formats()
        cols = list(self.frame.columns)
        numeric = {c: fmts[c] in NUMERIC_FORMATS for c in cols}
        row_header = bool(cols) and not numeric[cols[0]]
        parts: list[str] = []
        if css:
            parts.append(f"<style>\n{TABLE_CSS}\n</style>")
        parts.append(f'<div class="komae-table-block" id="{esc(self.slug)}">')
        parts.append('<div class="komae-table-scroll">')
        parts.append('<table class="komae-table">')
        caption = (
            f'<span class="komae-table-number">{esc(self.number)}</span>'
            f'<span class="komae-table-title">{esc(self.title)}</span>'
        )
        if self.unit:
            caption += f'<span class="komae-table-unit">{esc(self.unit)}</span>'
        parts.append(f"<caption>{caption}</caption>")
        head = "".join(
            f'<th scope="col" class="{"num" if numeric[c] else "text"}">{esc(c)}</th>' for c in cols
        )
        parts.append(f"<thead><tr>{head}</tr></thead>")
        parts.append("<tbody>")
        text = self.formatted()
        for row in text.itertuples(index=False, name=None):
            cells = []
            for j, (c, value) in enumerate(zip(cols, row, strict=True)):
                cls = "num" if numeric[c] else "text"
                if j == 0 and row_header:
                    cells.append(f'<th scope="row" class="{cls}">{esc(value)}</th>')
                else:
                    cells.append(f'<td class="{cls}">{esc(value)}</td>')
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody>")
        parts.append("</table>")
        parts.append("</div>")
        parts.append(f'<p class="komae-table-source">{esc(self.source_line())}</p>')
        parts.extend(f'<p class="komae-table-note">{esc(n)}</p>' for n in self.note_lines())
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    # -- files -----------------------------------------------------------------------------------

    def save(self, directory: Path) -> Path:
        """Write ``<directory>/<number>.parquet`` (the frame) and ``<number>.json`` (the rest).

        Both writes are atomic; the JSON, written last, records the Parquet file's sha256, so a
        pair left inconsistent by an interruption is detected by :meth:`load`. Returns the JSON path.
        """
        self.validate()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        parquet_path = directory / f"{self.number}.parquet"
        json_path = directory / f"{self.number}.json"

        def write_parquet(tmp: Path) -> None:
            try:
                self.frame.to_parquet(tmp, engine="pyarrow")
            except (TypeError, ValueError) as exc:  # pyarrow's ArrowTypeError/ArrowInvalid subclass these
                raise ValueError(
                    f"表「{self.number}」を保存できません（数値と文字列が混在する列などがあります）: {exc}"
                ) from exc

        _write_with(parquet_path, write_parquet)
        meta = {
            "kind": _JSON_KIND,
            "version": _JSON_VERSION,
            "number": self.number,
            "title": self.title,
            "source": self.source,
            "unit": self.unit,
            "notes": list(self.notes),
            "formats": dict(self.formats),
            "section": self.section,
            "columns": list(self.frame.columns),
            "object_columns": _object_column_info(self.frame),
            "n_rows": len(self.frame),
            "data": parquet_path.name,
            "data_sha256": _sha256(parquet_path),
        }
        text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        atomic_write_bytes(json_path, text.encode("utf-8"))
        return json_path

    @classmethod
    def load(cls, json_path: Path) -> AppendixTable:
        """Read a table written by :meth:`save` (dtypes, column order and missing values as saved)."""
        json_path = Path(json_path)
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        if meta.get("kind") != _JSON_KIND:
            raise ValueError(f"{json_path} は表のメタデータではありません")
        data_path = json_path.parent / meta["data"]
        if not data_path.exists():
            raise FileNotFoundError(f"表「{meta['number']}」のデータ {data_path} がありません")
        if _sha256(data_path) != meta["data_sha256"]:
            raise ValueError(
                f"表「{meta['number']}」のデータ {data_path.name} がメタデータと一致しません"
                "（保存が途中で中断された可能性があります）"
            )
        frame = pd.read_parquet(data_path, engine="pyarrow")
        if list(frame.columns) != meta["columns"]:
            raise ValueError(f"表「{meta['number']}」の列がメタデータと一致しません")
        for col, info in meta.get("object_columns", {}).items():
            frame[col] = _restore_object_column(frame[col], info)
        return cls(
            number=meta["number"],
            title=meta["title"],
            frame=frame,
            source=meta["source"],
            unit=meta["unit"],
            notes=list(meta["notes"]),
            formats=dict(meta["formats"]),
            section=meta["section"],
        )
