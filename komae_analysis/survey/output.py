"""What ``komae survey tabulate`` writes: ``集計表.xlsx`` and the tidy CSVs.

- ``集計表.xlsx``: a 目次 sheet (every table, linked), then 調査概要, 単純集計 (one table per question),
  クロス集計 (per question and attribute: a share row and a count row per group), 数量回答, 標本誤差 and,
  with a previous wave, 前回比較. Tables are stacked down each sheet and styled like the appendix
  workbook (the cell styles, number formats, column widths and page set-up of
  :mod:`komae_analysis.report.excel`).
- ``tabulation.csv``: question_id, by_question, by_code, option_code (a code or 無回答), option_label, n,
  base, pct (％, one decimal, half up), flag (参考値; with disclosure control 秘匿 / 秘匿（二次）, whose n
  and pct are left empty); with weights also w_n and w_base (pct is then weighted).
- ``numeric.csv``: question_id, by_question, by_code, n, mean, median, min, max (two decimals).
- ``sampling_error.csv``: n, p, error (± ポイント, one decimal).

CSV files are UTF-8 with a BOM (Excel opens them with the Japanese intact). Everything is built in memory
first; the files are written only when all of them are ready (each atomically), so a failure leaves
nothing half-written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from komae_analysis.fileio import atomic_write_bytes, workbook_bytes
from komae_analysis.report.tables import AppendixTable

WORKBOOK_NAME = "集計表.xlsx"
CSV_NAMES = ("tabulation.csv", "numeric.csv", "sampling_error.csv")
TABULATION_COLUMNS = ["question_id", "by_question", "by_code", "option_code", "option_label", "n", "base", "pct",
                      "flag"]
NUMERIC_COLUMNS = ["question_id", "by_question", "by_code", "n", "mean", "median", "min", "max"]
SAMPLING_COLUMNS = ["n", "p", "error"]
SUPPRESSED = "秘匿"
SUPPRESSED_SECONDARY = "秘匿（二次）"


@dataclass
class SheetSpec:
    name: str
    tables: list[AppendixTable]


# ==================================================================================== CSV


def _half_up(value: float, places: int) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    d = Decimal(f"{float(value):.15g}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(d, "f")


def _pct_tenths(n: np.ndarray, base: np.ndarray) -> list[str]:
    """n / base as a percentage with one decimal, half up, in exact integer arithmetic."""
    out = []
    for a, b in zip(n.tolist(), base.tolist(), strict=True):
        if b == 0:
            out.append("")
            continue
        tenths = (2 * 1000 * a + b) // (2 * b)
        out.append(f"{tenths // 10}.{tenths % 10}")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        w.writerow(["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


def tabulation_csv(cells: pd.DataFrame, suppressed: pd.Series | None = None) -> pd.DataFrame:
    """The tidy tabulation as written to tabulation.csv (``suppressed``: per cell "", 秘匿 or 秘匿（二次））."""
    out = cells[["question_id", "by_question", "by_code", "option_code", "option_label", "n", "base"]].copy()
    if "w_n" in cells:
        out["pct"] = [_half_up(100 * a / b, 1) if b else "" for a, b in zip(cells["w_n"], cells["w_base"], strict=True)]
    else:
        out["pct"] = _pct_tenths(cells["n"].to_numpy(), cells["base"].to_numpy())
    flag = cells["flag"].astype(object).tolist()
    if suppressed is not None:
        hide = suppressed.to_numpy() != ""
        out["n"] = out["n"].astype(object)
        out.loc[hide, "n"] = ""
        out.loc[hide, "pct"] = ""
        flag = [";".join(x for x in (f, s) if x) for f, s in zip(flag, suppressed.tolist(), strict=True)]
    out["flag"] = flag
    if "w_n" in cells:
        out["w_n"] = [_half_up(v, 2) for v in cells["w_n"]]
        out["w_base"] = [_half_up(v, 2) for v in cells["w_base"]]
        if suppressed is not None:
            out.loc[suppressed.to_numpy() != "", "w_n"] = ""
    return out


def numeric_csv(numeric: pd.DataFrame) -> pd.DataFrame:
    out = numeric[["question_id", "by_question", "by_code", "n"]].copy()
    for col in ("mean", "median", "min", "max"):
        out[col] = [_half_up(v, 2) for v in numeric[col]]
    return out


def sampling_csv(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop_duplicates(["n", "p"])[["n", "p"]].copy()
    out["error"] = [_half_up(v, 1) for v in frame.drop_duplicates(["n", "p"])["error"]]
    return out


# ==================================================================================== workbook


def _stacked_sheet(wb, spec: SheetSpec, prefix: str, styles) -> list[tuple[str, str, int]]:
    """Write the tables of one sheet one under another; return (number, title, row) of each."""
    from komae_analysis.report import excel as rx

    s = rx.table_styles()
    ws = wb.create_sheet(title=spec.name)
    widths: list[float] = []
    for t in spec.tables:
        fmts = t.column_formats()
        cols = list(t.frame.columns)
        printed = t.formatted()
        w = rx.column_widths(cols, [printed[c].tolist() for c in cols], [fmts[c] in rx.NUMERIC_FORMATS for c in cols])
        for j, x in enumerate(w):
            if j < len(widths):
                widths[j] = max(widths[j], x)
            else:
                widths.append(x)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[rx._letter(j)].width = w
    total_width = sum(widths) or 40
    row = 1
    index: list[tuple[str, str, int]] = []
    for k, t in enumerate(spec.tables, start=1):
        number = f"{prefix}-{k}"
        index.append((number, t.title, row))
        cols = list(t.frame.columns)
        fmts = t.column_formats()
        numeric = [fmts[c] in rx.NUMERIC_FORMATS for c in cols]
        title = ws.cell(row=row, column=1, value=f"{number}　{t.title}")
        title.font = s.title
        ws.row_dimensions[row].height = rx.TITLE_LINE_HEIGHT
        if t.unit:
            unit = ws.cell(row=row + 1, column=max(len(cols), 1), value=t.unit)
            unit.font = s.small
            unit.alignment = s.Alignment(horizontal="right")
        row += 2
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=row, column=j, value=col)
            cell.font = s.header
            cell.fill = s.header_fill
            cell.border = s.border
            cell.alignment = s.Alignment(horizontal="center", vertical="center", wrap_text=True)
        row += 1
        totals = t.total_row_positions()
        for i, values in enumerate(t.frame.itertuples(index=False, name=None)):
            is_total = i in totals
            for j, (col, value) in enumerate(zip(cols, values, strict=True), start=1):
                fmt = fmts[col]
                cell = ws.cell(row=row, column=j, value=rx.cell_value(value, fmt))

                def style(cell, fmt=fmt, num=numeric[j - 1], is_total=is_total):
                    cell.number_format = rx.EXCEL_FORMATS[fmt]
                    cell.border = s.total_border if is_total else s.border
                    cell.font = s.total if is_total else s.body
                    if is_total:
                        cell.fill = s.total_fill
                    cell.alignment = s.Alignment(horizontal="right" if num else "left", vertical="top",
                                                 wrap_text=not num)

                styles.apply(cell, ("cell", fmt, numeric[j - 1], is_total), style)
            row += 1
        row += 1
        for line in [t.source_line(), *t.note_lines()]:
            cell = ws.cell(row=row, column=1, value=line)
            cell.font = s.small
            row += 1
        row += 2
    ws.freeze_panes = None
    rx.page_setup(ws, landscape=total_width > rx.PAGE_WIDTH_PORTRAIT)
    return index


def workbook(sheets: Sequence[SheetSpec], *, title: str, subtitle: str = "") -> bytes:
    """集計表.xlsx as bytes: 目次 (linked) and one sheet per :class:`SheetSpec`."""
    from openpyxl import Workbook

    from komae_analysis.report import excel as rx

    wb = Workbook()
    wb.remove(wb.active)
    toc = wb.create_sheet(title=rx.TOC_SHEET)
    styles = rx.StyleCache()
    entries: list[tuple[str, str, str, int]] = []
    for k, spec in enumerate(sheets, start=1):
        if not spec.tables:
            continue
        for number, t_title, row in _stacked_sheet(wb, spec, f"表{k}", styles):
            entries.append((spec.name, number, t_title, row))
    s = rx.table_styles()
    toc.column_dimensions["A"].width = 14
    toc.column_dimensions["B"].width = 12
    toc.column_dimensions["C"].width = 90
    toc["A1"] = title
    toc["A1"].font = s.toc_title
    if subtitle:
        toc["A2"] = subtitle
        toc["A2"].font = s.subtitle
    row = 4
    for col, head in enumerate(["シート", "番号", "表題"], start=1):
        cell = toc.cell(row=row, column=col, value=head)
        cell.font = s.header
        cell.fill = s.header_fill
        cell.border = s.border
    from openpyxl.worksheet.hyperlink import Hyperlink

    for sheet, number, t_title, trow in entries:
        row += 1
        for col, value in enumerate([sheet, number, t_title], start=1):
            cell = toc.cell(row=row, column=col, value=value)
            cell.border = s.border
            cell.font = s.link if col == 3 else s.body
        link = toc.cell(row=row, column=3)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!A{trow}", display=t_title)
    wb.active = 0
    wb.properties.title = title
    wb.properties.language = "ja-JP"
    return workbook_bytes(wb, timestamp=rx.FIXED_TIMESTAMP, creator="komae_analysis")


def write_all(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file (each atomically) once all are built."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [atomic_write_bytes(out_dir / name, data) for name, data in files.items()]


__all__ = ["CSV_NAMES", "SUPPRESSED", "SUPPRESSED_SECONDARY", "WORKBOOK_NAME", "SheetSpec", "csv_bytes",
           "numeric_csv", "sampling_csv", "tabulation_csv", "workbook", "write_all"]
