"""Appendix tables: one object per published table, rendered identically in HTML and Excel.

An analysis function builds an :class:`AppendixTable` (title, 出典, 注, 単位, a DataFrame, the number
format of each column and the rows that are totals); the section numbers it when its notebook shows
it (表2-1-3), saves it (:meth:`AppendixTable.save`: JSON metadata + Parquet data) and displays it
(:meth:`AppendixTable.to_html`). The build loads the saved tables again (:meth:`AppendixTable.load`)
to assemble the Excel workbook (:mod:`komae_analysis.report.excel`) and the index page.

Every cell is formatted by :mod:`komae_analysis.report.numbers` (the one rounding rule, △ for
negatives, shares printed without ％ because the 単位 line says ％). Number, title, 出典 and 注
checks, and the metadata file, come from :class:`~komae_analysis.report.artefact.Artefact`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from komae_analysis.fileio import atomic_path, sha256
from komae_analysis.report.artefact import (
    RESERVED_SHEET_NAMES,
    Artefact,
    check_number,
    note_line,
    slug,
    source_line,
)
from komae_analysis.report.numbers import FORMATS, MARKS, NUMERIC_FORMATS, default_format, format_value
from komae_analysis.report.numbers import is_missing as _is_missing
from komae_analysis.report.styles import TABLE_CSS

__all__ = [
    "RESERVED_SHEET_NAMES",
    "TABLE_CSS",
    "AppendixTable",
    "check_number",
    "mark_missing",
    "note_line",
    "slug",
    "source_line",
    "table_anchor",
]


def mark_missing(frame: pd.DataFrame, mark: str = "…", columns: list[str] | None = None) -> dict[tuple[int, str], str]:
    """``marks`` for :class:`AppendixTable`: every missing cell of ``frame`` (or of ``columns``)
    shown with ``mark`` (default 「…」, a figure that cannot be obtained) instead of 「－」."""
    out: dict[tuple[int, str], str] = {}
    for c in columns if columns is not None else list(frame.columns):
        for i, v in enumerate(frame[c].tolist()):
            if _is_missing(v):
                out[(i, c)] = mark
    return out


def table_anchor(number: str) -> str:
    """The HTML id :meth:`AppendixTable.to_html` gives a table (表2-1-3 → tbl2-1-3)."""
    return slug(number)


def _write_with(path: Path, writer: Any) -> None:
    with atomic_path(path) as tmp:
        writer(tmp)


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

#: A text cell at most this long (a code like 1-2-1, a mark like 重点) is kept on one line in HTML.
SHORT_TEXT = 8

#: The word a 単位 line uses for shares: ``pct`` cells are printed without a sign.
PCT_UNIT = "％"


@dataclass(eq=False, kw_only=True)
class AppendixTable(Artefact):
    """One appendix table: the same object is shown in the notebook, saved, and written to Excel.

    ``frame``'s columns are the printed column heads; its index is not printed, so row labels must
    be ordinary columns (an index with a name or with text labels is refused). ``formats`` maps a
    column to ``int`` | ``pct`` (a fraction printed as a percentage, 24.3) | ``dec1`` | ``dec2`` |
    ``text``; other columns get :func:`~komae_analysis.report.numbers.default_format`. ``unit`` is
    the 単位 line printed at the top right (「単位：人、％」); a table with a ``pct`` column must say
    ％ there. ``total_rows`` lists the positions of 合計/小計 rows (0-based, negative counts from
    the end: ``[-1]`` is the last row): they are printed bold with a rule above. ``highlight_rows``
    (same positions) marks rows the reader should find at once, e.g. 狛江市 in a ranking: tinted and
    bold, without the rule of a total. ``marks`` maps a missing cell, ``(row position, column)``, to
    the standard mark it shows instead of 「－」 (:data:`~komae_analysis.report.numbers.MARKS`:
    「…」 not available, 「x」 withheld); a marked cell must be missing in ``frame``, so a mark never
    hides a number. The table's 注 should say what its marks mean.
    """

    KIND = "表"
    JSON_KIND = "komae_appendix_table"
    JSON_VERSION = 2

    frame: pd.DataFrame
    unit: str | None = None
    formats: dict[str, str] = field(default_factory=dict)
    total_rows: list[int] = field(default_factory=list)
    highlight_rows: list[int] = field(default_factory=list)
    marks: dict[tuple[int, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.check_common()
        if not isinstance(self.frame, pd.DataFrame):
            raise TypeError(f"{self.where}: frame は pandas.DataFrame にしてください")
        self.formats = dict(self.formats or {})
        self.total_rows = list(self.total_rows or [])
        self.highlight_rows = list(self.highlight_rows or [])
        self.marks = {(int(r), str(c)): m for (r, c), m in (self.marks or {}).items()}
        self.validate()

    # -- checks ----------------------------------------------------------------------------------

    def validate(self) -> None:
        """Check everything the renderers rely on; raise ValueError naming the table.

        Column heads (one level, str, unique), the index (not printed, so no labels in it),
        formats (known, of existing columns), the 単位 line (％ when a column is a share),
        ``total_rows`` (ints within the table, no repeats), and every cell (formattable in its
        column: no inf, no number written as text in a numeric column).
        """
        self.check_common()
        where = self.where
        cols = self.frame.columns
        if isinstance(cols, pd.MultiIndex):
            raise ValueError(f"{where}: 列見出しが多段（MultiIndex）です。1段の見出しにしてください")
        bad = [c for c in cols if not isinstance(c, str)]
        if bad:
            raise ValueError(f"{where}: 列見出しは文字列にしてください（{', '.join(map(repr, bad))}）")
        empty = [c for c in cols if not c.strip()]
        if empty:
            raise ValueError(f"{where}: 空の列見出しがあります")
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
        if self.unit is not None and (not isinstance(self.unit, str) or not self.unit.strip()):
            raise ValueError(f"{where}: 単位は空でない文字列か None にしてください")
        fmts = self.column_formats()
        pct_cols = [c for c in cols if fmts[c] == "pct"]
        if pct_cols and (self.unit is None or PCT_UNIT not in self.unit):
            raise ValueError(
                f"{where}: 列「{'」「'.join(pct_cols)}」は割合（％記号なしで印刷）です。"
                f"単位の行に「{PCT_UNIT}」を書いてください（例: 単位：人、％）"
            )
        self.total_row_positions()
        self.highlight_row_positions()
        self._check_marks()
        for c in cols:
            for i, v in enumerate(self.frame[c].tolist()):
                try:
                    format_value(v, fmts[c])
                except ValueError as exc:
                    raise ValueError(f"{where}: 列「{c}」の{i + 1}行目: {exc}") from exc

    def _check_marks(self) -> None:
        n = len(self.frame)
        for (r, c), mark in self.marks.items():
            where = f"{self.where}: marks の（{r}, {c}）"
            if c not in self.frame.columns:
                raise ValueError(f"{where}: 列「{c}」はありません")
            if not 0 <= r < n:
                raise ValueError(f"{where}: 行の位置は0～{n - 1}で指定してください")
            if mark not in MARKS:
                raise ValueError(f"{where}: 記号「{mark}」は使えません（{'、'.join(MARKS)}）")
            if not _is_missing(self.frame[c].iloc[r]):
                raise ValueError(f"{where}: 記号は値のないセルにだけ付けられます（値: {self.frame[c].iloc[r]!r}）")

    def total_row_positions(self) -> frozenset[int]:
        """``total_rows`` as 0-based positions from the top (checked: ints within the table, unique)."""
        return self._positions(self.total_rows, "total_rows")

    def highlight_row_positions(self) -> frozenset[int]:
        """``highlight_rows`` as 0-based positions from the top (checked like ``total_rows``)."""
        return self._positions(self.highlight_rows, "highlight_rows")

    def _positions(self, rows: list[int], name: str) -> frozenset[int]:
        n = len(self.frame)
        out: set[int] = set()
        for r in rows:
            if isinstance(r, bool) or not isinstance(r, int):
                raise ValueError(f"{self.where}: {name} は行の位置（整数）で指定してください: {r!r}")
            if not -n <= r < n:
                raise ValueError(f"{self.where}: {name} の {r} は表の範囲外です（{n}行）")
            pos = r % n
            if pos in out:
                raise ValueError(f"{self.where}: {name} で同じ行が2回指定されています（{r}）")
            out.add(pos)
        return frozenset(out)

    # -- formats ---------------------------------------------------------------------------------

    def column_formats(self) -> dict[str, str]:
        """The format of every column, in column order (explicit ``formats`` first, else the default)."""
        return {c: self.formats.get(c) or default_format(self.frame[c]) for c in self.frame.columns}

    def formatted(self) -> pd.DataFrame:
        """The frame as the text printed in each cell (the same text Excel displays)."""
        fmts = self.column_formats()
        data = {c: [format_value(v, fmts[c]) for v in self.frame[c].tolist()] for c in self.frame.columns}
        for (r, c), mark in self.marks.items():
            data[c][r] = mark
        return pd.DataFrame(data, columns=list(self.frame.columns), dtype=object)

    # -- HTML ------------------------------------------------------------------------------------

    def to_html(self, *, css: bool = True) -> str:
        """A self-contained HTML fragment: caption (number, title; the 単位 line at the right), the
        table, 出典 and 注 lines. A table not numbered yet has no number and no id.

        Header cells are centred; numeric cells right-aligned, text cells left-aligned; the first
        column is the row header when it is text; 合計/小計 rows (``total_rows``) have class
        ``total``. With ``css=True`` (default) a ``<style>`` block with :data:`TABLE_CSS` is
        included, so the fragment looks right on its own; the report pages, which have the CSS
        once, pass False.
        """
        self.validate()
        esc = html.escape
        fmts = self.column_formats()
        cols = list(self.frame.columns)
        numeric = {c: fmts[c] in NUMERIC_FORMATS for c in cols}
        row_header = bool(cols) and not numeric[cols[0]]
        totals = self.total_row_positions()
        highlights = self.highlight_row_positions()
        parts: list[str] = []
        if css:
            parts.append(f"<style>\n{TABLE_CSS}\n</style>")
        anchor = f' id="{esc(self.slug)}"' if self.number else ""
        parts.append(f'<div class="komae-table-block"{anchor}>')
        parts.append('<div class="komae-table-scroll">')
        parts.append('<table class="komae-table">')
        caption = f'<span class="komae-table-number">{esc(self.number)}</span>' if self.number else ""
        caption += f'<span class="komae-table-title">{esc(self.title)}</span>'
        if self.unit:
            caption += f'<span class="komae-table-unit">{esc(self.unit)}</span>'
        parts.append(f"<caption>{caption}</caption>")
        head = "".join(
            f'<th scope="col" class="{"num" if numeric[c] else "text"}{" short" if len(c) <= SHORT_TEXT else ""}">'
            f"{esc(c)}</th>"
            for c in cols
        )
        parts.append(f"<thead><tr>{head}</tr></thead>")
        parts.append("<tbody>")
        text = self.formatted()
        for i, row in enumerate(text.itertuples(index=False, name=None)):
            cells = []
            for j, (c, value) in enumerate(zip(cols, row, strict=True)):
                cls = "num" if numeric[c] else "text"
                if j == 0 and row_header:
                    cells.append(f'<th scope="row" class="{cls}">{esc(value)}</th>')
                else:
                    if not numeric[c] and len(value) <= SHORT_TEXT and "\n" not in value:
                        cls += " short"  # a code or a mark (1-2-1, 重点) is never broken over lines
                    cells.append(f'<td class="{cls}">{esc(value)}</td>')
            kinds = [k for k, rows in (("total", totals), ("emphasis", highlights)) if i in rows]
            tr = f'<tr class="{" ".join(kinds)}">' if kinds else "<tr>"
            parts.append(tr + "".join(cells) + "</tr>")
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

        Refuses a table without a number. Both writes are atomic; the JSON, written last, records
        the Parquet file's sha256, so a pair left inconsistent by an interruption is detected by
        :meth:`load`. Returns the JSON path.
        """
        number = self.require_number()
        self.validate()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        parquet_path = directory / f"{number}.parquet"
        json_path = directory / f"{number}.json"

        def write_parquet(tmp: Path) -> None:
            try:
                self.frame.to_parquet(tmp, engine="pyarrow")
            except (TypeError, ValueError) as exc:  # pyarrow's ArrowTypeError/ArrowInvalid subclass these
                raise ValueError(
                    f"{self.where}を保存できません（数値と文字列が混在する列などがあります）: {exc}"
                ) from exc

        _write_with(parquet_path, write_parquet)
        return self.write_metadata(
            json_path,
            {
                "unit": self.unit,
                "formats": dict(self.formats),
                "total_rows": list(self.total_rows),
                "highlight_rows": list(self.highlight_rows),
                "marks": [[r, c, m] for (r, c), m in sorted(self.marks.items())],
                "columns": list(self.frame.columns),
                "object_columns": _object_column_info(self.frame),
                "n_rows": len(self.frame),
                "data": parquet_path.name,
                "data_sha256": sha256(parquet_path),
            },
        )

    @classmethod
    def load(cls, json_path: Path) -> AppendixTable:
        """Read a table written by :meth:`save` (dtypes, column order and missing values as saved)."""
        json_path = Path(json_path)
        meta = cls.read_metadata(json_path)
        data_path = json_path.parent / meta["data"]
        if not data_path.exists():
            raise FileNotFoundError(f"表「{meta['number']}」のデータ {data_path} がありません")
        if sha256(data_path) != meta["data_sha256"]:
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
            **cls.common_kwargs(meta),
            frame=frame,
            unit=meta.get("unit"),
            formats=dict(meta.get("formats", {})),
            total_rows=list(meta.get("total_rows", [])),
            highlight_rows=list(meta.get("highlight_rows", [])),
            marks={(r, c): m for r, c, m in meta.get("marks", [])},
        )
