"""The ``komae survey …`` commands: ``validate``, ``tabulate`` and ``codebook-from-sav``.

These are the analysts' own tools for any survey they hold (codebook + responses in the documented
layout): ``tabulate`` shows every count unless asked to suppress (``--suppress``); the appendix build
always applies disclosure control. ``validate`` reports every problem without tabulating: errors
(which stop ``tabulate``) and the validation report (answers outside a question's 対象条件, marks over an
MA's 上限), whose lines may list respondent IDs — printed on the analyst's terminal only, never written
into the 集計表 or under reports/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from komae_analysis.calendar import now_jst, wareki_datetime
from komae_analysis.errors import InputError, InputProblem, KomaeError, display_name
from komae_analysis.ingest.survey_codebook import check_previous, read_codebook
from komae_analysis.ingest.survey_responses import read_fa_coding, read_responses, read_table
from komae_analysis.survey import output
from komae_analysis.survey.disclosure import MIN_COUNT
from komae_analysis.survey.prepare import Wave, prepare_wave
from komae_analysis.survey.summaries import compare_waves, sampling_error_frame
from komae_analysis.survey.tables import (
    cross_suppression,
    cross_table,
    gt_table,
    numeric_table,
    overview_table,
    sampling_table,
    wave_table,
)
from komae_analysis.survey.tabulate import Grouping, cross_grouping, grouping, tabulate
from komae_analysis.survey.weights import poststratify, rake


@dataclass
class SurveyFiles:
    codebook: Path
    responses: Path
    fa_coding: Path | None = None


def load(files: SurveyFiles) -> Wave:
    """Codebook, responses (and a reviewed FA coding) read and checked; the wave prepared. One
    InputError with every problem of every file."""
    problems: list[InputProblem] = []
    codebook = responses = None
    try:
        codebook = read_codebook(files.codebook)
    except InputError as e:
        problems += e.problems
    if codebook is not None:
        try:
            responses = read_responses(files.responses, codebook)
        except InputError as e:
            problems += e.problems
    else:
        try:
            read_table(files.responses)
        except InputError as e:
            problems += e.problems
    if responses is not None and codebook is not None and files.fa_coding is not None:
        try:
            responses.fa_coded = read_fa_coding(files.fa_coding, codebook, responses)
        except InputError as e:
            problems += e.problems
    if problems:
        raise InputError(problems)
    assert codebook is not None and responses is not None
    return prepare_wave(codebook, responses)


def load_pair(current: SurveyFiles, previous: SurveyFiles | None) -> tuple[Wave, Wave | None]:
    problems: list[InputProblem] = []
    waves: list[Wave | None] = [None, None]
    for i, files in enumerate((current, previous)):
        if files is None:
            continue
        try:
            waves[i] = load(files)
        except InputError as e:
            problems += e.problems
    cur, prev = waves
    if cur is not None and prev is not None:
        problems += check_previous(cur.codebook, prev.codebook)
    if problems:
        raise InputError(problems)
    assert cur is not None
    return cur, prev


# ==================================================================================== validate


def validate(current: SurveyFiles, previous: SurveyFiles | None = None) -> tuple[Wave, Wave | None]:
    """Every problem raised as one InputError; otherwise the waves (whose ``report`` lists the warnings)."""
    return load_pair(current, previous)


# ==================================================================================== groupings


def groupings_for(wave: Wave, by: Sequence[str] | None) -> list[Grouping]:
    """The cross-tab axes: each ``by`` item is an SA 設問ID, or two joined by ×/*/x (性別×年代). None:
    every question marked 属性 in the codebook."""
    cb = wave.codebook
    if by is None:
        return [grouping(wave, q.id) for q in cb.attributes().values()]
    out = []
    for item in by:
        parts = [p for p in item.replace("*", "×").split("×") if p]
        for p in parts:
            if p not in cb:
                raise KomaeError(f"--by の「{p}」は調査票設計（{cb.file}）の設問にありません")
            if cb.question(p).kind != "SA":
                raise KomaeError(f"--by の「{p}」は単数回答（SA）の設問ではありません（{cb.question(p).kind}）")
        if len(parts) == 1:
            out.append(grouping(wave, parts[0]))
        elif len(parts) == 2:
            out.append(cross_grouping(wave, parts[0], parts[1]))
        else:
            raise KomaeError(f"--by の「{item}」: 掛け合わせは2つの設問までです")
    return out


# ==================================================================================== weights


def weights_from_file(wave: Wave, path: Path) -> np.ndarray:
    """Weights from a margins file (CSV or Excel: 設問ID | コード | 母集団): one 設問ID → post-stratification
    on it; several → raking to their margins; a 設問ID written 「F1×F2」 with codes 「1×2」 → post-stratification
    on the cells of the two crossed."""
    table = read_table_with(path, ("設問ID", "コード", "母集団"))
    cb = wave.codebook
    rows: dict[str, dict[str, float]] = {}
    for k in range(len(table.rows)):
        qid = str(table.columns[table.header.index("設問ID")][k]).strip()
        code = str(table.columns[table.header.index("コード")][k]).strip().replace(".0", "")
        value = float(str(table.columns[table.header.index("母集団")][k]).replace(",", ""))
        rows.setdefault(qid, {})[code] = value
    groupings = []
    margins = []
    for qid, pop in rows.items():
        parts = qid.replace("*", "×").split("×")
        if any(p not in cb for p in parts):
            raise KomaeError(f"重みのファイル（{display_name(path)}）の設問ID「{qid}」は調査票設計にありません")
        g = grouping(wave, parts[0]) if len(parts) == 1 else cross_grouping(wave, parts[0], parts[1])
        missing = [c for c in g.codes if c not in pop]
        if missing:
            raise KomaeError(f"重みのファイル（{display_name(path)}）に設問「{qid}」のコード{'、'.join(missing)}の母集団がありません")
        groupings.append(g)
        margins.append([pop[c] for c in g.codes])
    if len(groupings) == 1:
        return poststratify(groupings[0].index, margins[0], groupings[0].labels)
    return rake([g.index for g in groupings], margins)


def read_table_with(path: Path, header: Sequence[str]):
    from komae_analysis.ingest.survey_responses import Table

    p = Path(path)
    if p.suffix.lower() in (".csv", ".txt", ".xlsx", ".xls", ".xlsm"):
        from komae_analysis.ingest.common import read_csv_rows

        if p.suffix.lower() in (".csv", ".txt"):
            records = read_csv_rows(p).rows
        else:
            from python_calamine import CalamineWorkbook

            values = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()
            records = [(i, tuple(v)) for i, v in enumerate(values, start=1)]
        head_row, head = records[0]
        labels = [str(h).strip() for h in head]
        missing = [h for h in header if h not in labels]
        if missing:
            raise InputError.single(p, f"見出し行に列『{'』『'.join(missing)}』がありません", row=head_row,
                                    expected=" | ".join(header), found=" | ".join(labels))
        data = [r for r in records[1:] if any(str(v).strip() for v in r[1] if v is not None)]
        cols = [list(c) for c in zip(*[list(r[1]) + [None] * (len(labels) - len(r[1])) for r in data], strict=False)]
        return Table(display_name(p), head_row, labels, [r[0] for r in data], cols)
    raise KomaeError(f"重みのファイルは CSV か Excel です（{display_name(p)}）")


# ==================================================================================== tabulate


@dataclass
class Options:
    by: Sequence[str] | None = None
    suppress: bool = False
    min_count: int = MIN_COUNT
    threshold: int = 30
    weights: Path | None = None


def _suppression_flags(tab, wave: Wave, groupings: list[Grouping], min_count: int) -> pd.Series:
    """Per cell of ``tab.cells``: "", 秘匿 or 秘匿（二次） (cross-tab cells only; totals are not suppressed)."""
    flags = pd.Series([""] * len(tab.cells), index=tab.cells.index, dtype=object)
    cells = tab.cells
    for q in wave.codebook.questions:
        for g in groupings:
            if g.question in (q.id,) or q.id not in set(cells["question_id"]):
                continue
            sel = (cells["question_id"] == q.id) & (cells["by_question"] == g.question)
            if not sel.any():
                continue
            sup = cross_suppression(tab, q, g.question, min_count)
            idx = cells.index[sel]
            flat_p = sup.primary.reshape(-1)
            flat_s = sup.secondary.reshape(-1)
            flags.loc[idx[flat_p]] = output.SUPPRESSED
            flags.loc[idx[flat_s]] = output.SUPPRESSED_SECONDARY
    return flags


def tabulate_files(current: SurveyFiles, out_dir: Path, options: Options, previous: SurveyFiles | None = None
                   ) -> tuple[list[Path], Wave]:
    """Read, check, tabulate and write 集計表.xlsx and the CSVs into ``out_dir``; nothing is written
    when anything fails."""
    wave, prev = load_pair(current, previous)
    if options.weights is not None:
        wave = wave.with_weights(weights_from_file(wave, options.weights))
    groupings = groupings_for(wave, options.by)
    tab = tabulate(wave, groupings, options.threshold)
    cb = wave.codebook
    source = f"{cb.overview.title}（{cb.overview.period_label}）"
    min_count = options.min_count if options.suppress else None
    sizes = [("全体", wave.n)]
    for g in groupings:
        counts = np.bincount(g.index[g.index >= 0], minlength=g.size)
        sizes += [(f"{g.label}：{lab}", int(n)) for lab, n in zip(g.labels, counts, strict=True) if n > 0]
    se = sampling_error_frame(sizes, cb.overview.population)
    gt = [gt_table(tab, cb, q, source=source) for q in cb.questions if q.kind in ("SA", "MA")
          or (q.kind == "NUM" and q.id in set(tab.cells["question_id"]))
          or (q.kind == "FA" and q.id in wave.responses.fa_coded)]
    cross = []
    for q in cb.questions:
        if q.id not in set(tab.cells["question_id"]):
            continue
        for g in groupings:
            if q.id in g.question.split("×"):
                continue
            cross.append(cross_table(tab, cb, q, g.question, source=source, min_count=min_count))
            cross.append(cross_table(tab, cb, q, g.question, source=source, min_count=min_count, counts=True))
    sheets = [
        output.SheetSpec("調査概要", [overview_table(cb, wave.n, source=source)]),
        output.SheetSpec("単純集計", gt),
        output.SheetSpec("クロス集計", cross),
        output.SheetSpec("数量回答", [numeric_table(tab, cb, [q for q in cb.questions if q.kind == "NUM"], source=source)]
                         if any(q.kind == "NUM" for q in cb.questions) else []),
        output.SheetSpec("標本誤差", [sampling_table(se, cb.overview.population, source=source)]),
    ]
    if prev is not None:
        ptab = tabulate(prev, [], options.threshold)
        cmp = compare_waves(tab, cb, ptab, prev.codebook)
        if len(cmp):
            sheets.append(output.SheetSpec("前回比較", [wave_table(cmp, cb, prev.codebook, source=source)]))
    flags = _suppression_flags(tab, wave, groupings, options.min_count) if options.suppress else None
    files = {
        output.WORKBOOK_NAME: output.workbook(sheets, title=f"{cb.overview.title} 集計表",
                                              subtitle=f"作成: {wareki_datetime(now_jst())}"),
        "tabulation.csv": output.csv_bytes(output.tabulation_csv(tab.cells, flags)),
        "numeric.csv": output.csv_bytes(output.numeric_csv(tab.numeric)),
        "sampling_error.csv": output.csv_bytes(output.sampling_csv(se)),
    }
    return output.write_all(out_dir, files), wave


# ==================================================================================== codebook from .sav


def codebook_from_sav(sav: Path, out: Path) -> Path:
    """A codebook draft from an SPSS file: 設問 from the variables and their labels, 選択肢 from the
    value labels; 0/1 variables named <ID>_<code> become one MA question. The analyst completes 調査概要,
    形式, 対象条件 and 属性 by hand."""
    import pyreadstat
    from openpyxl import Workbook

    try:
        frame, meta = pyreadstat.read_sav(str(sav), metadataonly=True)
    except Exception as e:
        raise InputError.single(sav, "SPSS（.sav）ファイルとして開けません", found=f"{type(e).__name__}: {e}") from None
    del frame
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    value_labels = meta.variable_value_labels
    types = meta.readstat_variable_types
    import re
    names = [n for n in meta.column_names if n != "回答者ID"]
    ma: dict[str, list[tuple[int, str]]] = {}
    for n in names:
        m = re.fullmatch(r"(.+)_(\d+)", n)
        if m and set(value_labels.get(n, {})) <= {0, 1}:
            ma.setdefault(m.group(1), []).append((int(m.group(2)), labels.get(n) or f"選択肢{m.group(2)}"))
    questions: list[list[object]] = []
    options: list[list[object]] = []
    done: set[str] = set()
    for n in names:
        # an MA question is two or more 0/1 variables <ID>_<code>
        m = re.fullmatch(r"(.+)_(\d+)", n)
        if m and m.group(1) in ma and len(ma[m.group(1)]) > 1:
            qid = m.group(1)
            if qid in done:
                continue
            done.add(qid)
            questions.append([qid, labels.get(n) or qid, "MA", None, None, None, None, None, None])
            options += [[qid, c, lab, None] for c, lab in ma[qid]]
            continue
        if n in value_labels and value_labels[n]:
            questions.append([n, labels.get(n) or n, "SA", None, None, None, None, None, None])
            options += [[n, int(c), lab, None] for c, lab in sorted(value_labels[n].items())]
        elif types.get(n) == "string":
            questions.append([n, labels.get(n) or n, "FA", None, None, None, None, None, None])
        else:
            questions.append([n, labels.get(n) or n, "NUM", None, None, None, None, None, None])
    wb = Workbook()
    wb.remove(wb.active)
    over = wb.create_sheet("調査概要")
    over.append(["項目", "値"])
    for item in ("調査名", "調査対象", "抽出方法", "調査期間", "配布数", "母集団数", "上限超過の扱い"):
        over.append([item, None])
    q = wb.create_sheet("設問")
    q.append(["設問ID", "設問文", "形式", "上限", "対象条件", "無回答コード", "属性", "設問グループ", "前回設問ID"])
    for row in questions:
        q.append(row)
    o = wb.create_sheet("選択肢")
    o.append(["設問ID", "コード", "ラベル", "前回コード"])
    for row in options:
        o.append(row)
    from komae_analysis.fileio import atomic_write_bytes, workbook_bytes

    return atomic_write_bytes(Path(out), workbook_bytes(wb, timestamp=dt.datetime(2000, 1, 1)))


__all__ = ["Options", "SurveyFiles", "codebook_from_sav", "groupings_for", "load", "load_pair", "tabulate_files",
           "validate", "weights_from_file"]
