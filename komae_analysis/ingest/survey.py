"""Survey folders for the appendix (``survey_community/``, ``survey_needs/``): each wave of a survey is
a pair of files named by the wave — ``<調査回>_codebook.xlsx`` and ``<調査回>_responses.csv`` (or .xlsx /
.sav) — with, optionally, a reviewed coding of its free-text answers ``<調査回>_fa_coding.csv`` (or .xlsx).
``<調査回>`` is any name without 「_」, e.g. 2025 or R7.

Two raw sources per folder read them (the registry's one-folder-one-reader model, with the pair kept
together):

- ``…_codebook`` (pattern ``*_codebook.xlsx``): :func:`read_codebook_frame`, the codebook as a tidy
  frame (one row per option, the question's and the overview's fields repeated), checked against the
  previous wave's codebook in the same folder (前回設問ID, 前回コード).
- ``…_responses`` (pattern ``*``: every file of the folder): :func:`read_responses_frame`. A responses
  file is read against its wave's codebook (and coding file) into a long frame (one row per respondent
  × question; an MA question one row per mark); a codebook or coding file gives an empty frame, because
  its contents belong to the codebook source and to the responses read. The pattern takes the whole
  folder so that the processed-data cache of the responses is stamped with the codebook and coding files
  too (a corrected codebook re-reads the responses), and the manifest lists all three files.

Both frames carry the wave's reference date (the first day of 調査期間), so a fiscal year's build keeps
the waves conducted before its cutoff (1 April). Free text is never in a frame: an FA answer is
"answered" (code 1) and, with a coding file, its category. The long frame holds respondent IDs: it
lives in ``data/processed/`` on the analysts' machine and is never written under ``reports/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from komae_analysis.errors import InputError, display_name
from komae_analysis.ingest.frames import LazySchema, date_column, text_column, typed_frame, validate_frame
from komae_analysis.ingest.survey_codebook import (
    Codebook,
    Option,
    Overview,
    Question,
    check_previous,
    parse_condition,
    read_codebook,
)
from komae_analysis.ingest.survey_responses import SUFFIXES, Responses, read_fa_coding, read_responses

if TYPE_CHECKING:
    import pandera.pandas as pa

CODEBOOK_SUFFIX = "_codebook"
RESPONSES_SUFFIX = "_responses"
CODING_SUFFIX = "_fa_coding"
_NAME = re.compile(r"^(?P<wave>[^_]+)(?P<kind>_codebook|_responses|_fa_coding)$")


# ==================================================================================== schemas


def _codebook_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "wave": text_column(),
            "title": text_column(),
            "target": text_column(),
            "sampling": text_column(),
            "period_text": text_column(),
            "period_end": date_column(),
            "distributed": pa.Column("Int64", checks=pa.Check.ge(1), nullable=True),
            "population": pa.Column("Int64", checks=pa.Check.ge(1), nullable=True),
            "overflow": text_column(pa.Check.isin(["先頭から採用", "無効", "すべて採用"])),
            "question_order": pa.Column("int64", checks=pa.Check.ge(1)),
            "question_id": text_column(),
            "question_text": text_column(),
            "kind": text_column(pa.Check.isin(["SA", "MA", "NUM", "FA"])),
            "limit": pa.Column("Int64", checks=pa.Check.ge(1), nullable=True),
            "condition": text_column(nullable=True),
            "missing_code": pa.Column("Int64", nullable=True),
            "attribute": text_column(nullable=True),
            "group": text_column(nullable=True),
            "previous_id": text_column(nullable=True),
            "question_row": pa.Column("int64"),
            "option_code": pa.Column("Int64", nullable=True),
            "option_label": text_column(nullable=True),
            "previous_codes": text_column(nullable=True),
            "option_row": pa.Column("Int64", nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["date", "question_id", "option_code"],
        name="survey_codebook",
    )


CODEBOOK_SCHEMA = LazySchema(_codebook_schema)


def _responses_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "date": date_column(),
            "row": pa.Column("int64", checks=pa.Check.ge(1)),
            "respondent_id": text_column(),
            "question_id": text_column(),
            "code": pa.Column("Int64", nullable=True),
            "value": pa.Column("Float64", nullable=True),
            "category": text_column(nullable=True),
        },
        strict=True,
        ordered=True,
        name="survey_responses",
    )


RESPONSES_SCHEMA = LazySchema(_responses_schema)


# ==================================================================================== files of a wave


def wave_of(path: Path) -> tuple[str, str] | None:
    """(wave, kind) from a file name: 2025_codebook.xlsx → ("2025", "_codebook"); None otherwise."""
    m = _NAME.match(path.stem)
    return (m.group("wave"), m.group("kind")) if m else None


def _sibling(path: Path, wave: str, suffix: str, exts: tuple[str, ...]) -> Path | None:
    for ext in exts:
        for candidate in (path.parent / f"{wave}{suffix}{ext}", path.parent / f"{wave}{suffix}{ext.upper()}"):
            if candidate.is_file():
                return candidate
    return None


def _previous_codebook(path: Path, codebook: Codebook) -> Codebook | None:
    """The codebook of the latest wave before ``codebook``'s in the same folder (None when none)."""
    best: tuple[object, Codebook] | None = None
    for other in sorted(path.parent.glob(f"*{CODEBOOK_SUFFIX}.xlsx")):
        if other == path or other.name.startswith(("~$", ".")):
            continue
        try:
            cb = read_codebook(other)
        except InputError:
            continue  # its own read reports it
        if cb.date < codebook.date and (best is None or cb.date > best[0]):  # type: ignore[operator]
            best = (cb.date, cb)
    return None if best is None else best[1]


# ==================================================================================== codebook frame


def read_codebook_frame(path: str | Path) -> pd.DataFrame:
    """One wave's codebook as the tidy frame of :data:`CODEBOOK_SCHEMA`; its 前回設問ID and 前回コード
    checked against the previous wave's codebook in the folder."""
    p = Path(path)
    named = wave_of(p)
    if named is None or named[1] != CODEBOOK_SUFFIX:
        raise InputError.single(p, "調査票設計のファイル名は「<調査回>_codebook.xlsx」です", expected="例: 2025_codebook.xlsx",
                                found=p.name)
    cb = read_codebook(p)
    previous = _previous_codebook(p, cb)
    if previous is not None:
        problems = check_previous(cb, previous)
        if problems:
            raise InputError(problems)
    return validate_frame(CODEBOOK_SCHEMA, codebook_frame(cb, named[0]), p)


def codebook_frame(cb: Codebook, wave: str) -> pd.DataFrame:
    ov = cb.overview
    rows: list[dict[str, object]] = []
    for order, q in enumerate(cb.questions, start=1):
        common = {
            "question_order": order, "question_id": q.id, "question_text": q.text, "kind": q.kind,
            "limit": q.limit, "condition": q.condition_text or None, "missing_code": q.missing_code,
            "attribute": q.attribute or None, "group": q.group or None, "previous_id": q.previous_id or None,
            "question_row": q.row,
        }
        options = q.options or (None,)
        for o in options:
            rows.append({**common,
                         "option_code": None if o is None else o.code,
                         "option_label": None if o is None else o.label,
                         "previous_codes": None if o is None or not o.previous_codes else ",".join(map(str, o.previous_codes)),
                         "option_row": None if o is None else o.row})
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    return typed_frame(CODEBOOK_SCHEMA, {
        "date": ov.start, "wave": wave, "title": ov.title, "target": ov.target, "sampling": ov.sampling,
        "period_text": ov.period_text, "period_end": ov.end, "distributed": ov.distributed,
        "population": ov.population, "overflow": ov.overflow, **columns,
    })


def codebooks_from_frame(frame: pd.DataFrame) -> dict[pd.Timestamp, Codebook]:
    """The codebooks of a (combined) codebook frame, by reference date."""
    out: dict[pd.Timestamp, Codebook] = {}
    for date, part in frame.groupby("date", sort=True):
        first = part.iloc[0]
        overview = Overview(
            title=str(first["title"]), target=str(first["target"]), sampling=str(first["sampling"]),
            period_text=str(first["period_text"]), start=pd.Timestamp(date).date(),
            end=pd.Timestamp(first["period_end"]).date(),
            distributed=None if pd.isna(first["distributed"]) else int(first["distributed"]),
            population=None if pd.isna(first["population"]) else int(first["population"]),
            overflow=str(first["overflow"]))
        questions = []
        for _order, rows in part.groupby("question_order", sort=True):
            r = rows.iloc[0]
            options = tuple(
                Option(int(o["option_code"]), str(o["option_label"]),
                       tuple(int(c) for c in str(o["previous_codes"]).split(",")) if not pd.isna(o["previous_codes"]) else (),
                       int(o["option_row"]))
                for _i, o in rows.iterrows() if not pd.isna(o["option_code"]))
            cond = None if pd.isna(r["condition"]) else str(r["condition"])
            questions.append(Question(
                id=str(r["question_id"]), text=str(r["question_text"]), kind=str(r["kind"]),
                options=tuple(sorted(options, key=lambda o: o.code)),
                limit=None if pd.isna(r["limit"]) else int(r["limit"]),
                condition=None if cond is None else parse_condition(cond), condition_text=cond or "",
                missing_code=None if pd.isna(r["missing_code"]) else int(r["missing_code"]),
                attribute="" if pd.isna(r["attribute"]) else str(r["attribute"]),
                group="" if pd.isna(r["group"]) else str(r["group"]),
                previous_id="" if pd.isna(r["previous_id"]) else str(r["previous_id"]),
                row=int(r["question_row"])))
        out[pd.Timestamp(date)] = Codebook(overview, tuple(questions), f"{first['wave']}{CODEBOOK_SUFFIX}.xlsx")
    return out


# ==================================================================================== responses frame


def read_responses_frame(path: str | Path) -> pd.DataFrame:
    """Every file of a survey folder: a responses file → the long frame of :data:`RESPONSES_SCHEMA`
    (read against its wave's codebook and coding file); its codebook or coding file → an empty frame."""
    p = Path(path)
    named = wave_of(p)
    if named is None:
        raise InputError.single(p, "調査のフォルダのファイル名は「<調査回>_codebook.xlsx」「<調査回>_responses.csv」"
                                   "「<調査回>_fa_coding.csv」のいずれかです",
                                expected="例: 2025_codebook.xlsx、2025_responses.csv", found=p.name)
    wave, kind = named
    if kind != RESPONSES_SUFFIX:
        partner = _sibling(p, wave, RESPONSES_SUFFIX, SUFFIXES)
        if partner is None:
            raise InputError.single(p, f"調査回「{wave}」の回答データ（{wave}{RESPONSES_SUFFIX}.csv など）がありません",
                                    expected=f"{wave}{RESPONSES_SUFFIX}.csv / .xlsx / .sav", found="なし")
        from komae_analysis.ingest.frames import empty_frame

        return empty_frame(RESPONSES_SCHEMA)
    if p.suffix.lower() not in SUFFIXES:
        raise InputError.single(p, "回答データの形式が分かりません", expected="、".join(SUFFIXES), found=p.suffix)
    cb_path = _sibling(p, wave, CODEBOOK_SUFFIX, (".xlsx",))
    if cb_path is None:
        raise InputError.single(p, f"調査回「{wave}」の調査票設計（{wave}{CODEBOOK_SUFFIX}.xlsx）がありません",
                                expected=f"{wave}{CODEBOOK_SUFFIX}.xlsx", found="なし")
    try:
        cb = read_codebook(cb_path)
    except InputError:
        raise InputError.single(p, f"調査票設計（{display_name(cb_path)}）に問題があるため読めません（その問題を先に直してください）") from None
    responses = read_responses(p, cb)
    coding = _sibling(p, wave, CODING_SUFFIX, (".csv", ".xlsx"))
    if coding is not None:
        responses.fa_coded = read_fa_coding(coding, cb, responses)
    return validate_frame(RESPONSES_SCHEMA, responses_frame(cb, responses), p)


def responses_frame(cb: Codebook, r: Responses) -> pd.DataFrame:
    n = r.n
    rows = r.rows
    ids = r.ids.astype(object)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("row", "respondent_id", "question_id", "code", "value",
                                                          "category")}

    def column(values, k: int) -> np.ndarray:
        if values is None or np.isscalar(values):
            return np.full(k, values, dtype=object)
        return np.asarray(values, dtype=object)

    def add(idx: np.ndarray, qid: str, code, value, category) -> None:
        k = len(idx)
        parts["row"].append(rows[idx])
        parts["respondent_id"].append(ids[idx])
        parts["question_id"].append(np.full(k, qid, dtype=object))
        parts["code"].append(column(code, k))
        parts["value"].append(column(value, k))
        parts["category"].append(column(category, k))

    everyone = np.arange(n)
    for q in cb.questions:
        if q.kind == "SA":
            codes = r.sa[q.id]
            add(everyone, q.id, np.where(codes >= 0, codes, None), None, None)
        elif q.kind == "MA":
            marks = r.ma[q.id]
            who, which = np.nonzero(marks)
            add(who, q.id, np.asarray(q.codes, dtype=object)[which], None, None)
            none = np.flatnonzero(~marks.any(axis=1))
            add(none, q.id, None, None, None)
        elif q.kind == "NUM":
            v = r.num[q.id]
            add(everyone, q.id, None, np.where(np.isnan(v), None, v), None)
        else:
            answered = r.fa[q.id]
            cats = np.full(n, None, dtype=object)
            if q.id in r.fa_coded:
                labels, index = r.fa_coded[q.id]
                cats = np.where(index >= 0, np.asarray(labels + [""], dtype=object)[index], None)
            add(everyone, q.id, np.where(answered, 1, None), None, cats)
    order = None
    cols = {k: np.concatenate(v) if v else np.array([], dtype=object) for k, v in parts.items()}
    if len(cols["row"]):
        order = np.lexsort((np.arange(len(cols["row"])), cols["row"]))
        cols = {k: v[order] for k, v in cols.items()}
    return typed_frame(RESPONSES_SCHEMA, {"date": cb.date, **{k: list(v) for k, v in cols.items()}})


def responses_from_frame(frame: pd.DataFrame, cb: Codebook) -> Responses:
    """A wave's :class:`Responses` back from its part of the long frame (respondents in file order)."""
    frame = frame.sort_values("row", kind="stable")
    resp_ids, first = np.unique(frame["respondent_id"].to_numpy(dtype=object), return_index=True)
    order = np.argsort(frame["row"].to_numpy()[first], kind="stable")
    ids = resp_ids[order]
    position = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
    rows = frame.drop_duplicates("respondent_id")["row"].to_numpy(dtype=np.int64)
    out = Responses(file=cb.file.replace(CODEBOOK_SUFFIX, RESPONSES_SUFFIX), ids=ids.astype(object), rows=np.sort(rows))
    n = len(ids)
    by_q = {qid: g for qid, g in frame.groupby("question_id", sort=False)}
    for q in cb.questions:
        g = by_q.get(q.id)
        idx = position.loc[g["respondent_id"].to_numpy(dtype=object)].to_numpy() if g is not None else np.array([], int)
        if q.kind == "SA":
            codes = np.full(n, -1, dtype=np.int64)
            if g is not None:
                codes[idx] = g["code"].fillna(-1).to_numpy(dtype=np.int64)
            out.sa[q.id] = codes
        elif q.kind == "MA":
            marks = np.zeros((n, len(q.codes)), dtype=bool)
            if g is not None:
                c = g["code"].to_numpy(dtype="float64", na_value=np.nan)
                ok = ~np.isnan(c)
                pos = {code: i for i, code in enumerate(q.codes)}
                cols = np.array([pos[int(x)] for x in c[ok]], dtype=np.int64)
                marks[idx[ok], cols] = True
            out.ma[q.id] = marks
        elif q.kind == "NUM":
            v = np.full(n, np.nan)
            if g is not None:
                v[idx] = g["value"].to_numpy(dtype="float64", na_value=np.nan)
            out.num[q.id] = v
        else:
            answered = np.zeros(n, dtype=bool)
            if g is not None:
                answered[idx] = g["code"].notna().to_numpy()
                cats = g["category"]
                if cats.notna().any():
                    labels = list(dict.fromkeys(cats.dropna().tolist()))
                    index = np.full(n, -1, dtype=np.int64)
                    index[idx[cats.notna().to_numpy()]] = [labels.index(c) for c in cats.dropna()]
                    out.fa_coded[q.id] = (labels, index)
            out.fa[q.id] = answered
    return out


__all__ = ["CODEBOOK_SCHEMA", "RESPONSES_SCHEMA", "codebook_frame", "codebooks_from_frame", "read_codebook_frame",
           "read_responses_frame", "responses_frame", "responses_from_frame", "wave_of"]
