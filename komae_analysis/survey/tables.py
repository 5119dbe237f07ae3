"""Survey tables as :class:`~komae_analysis.report.tables.AppendixTable` objects: the same objects
fill the analysts' 集計表.xlsx (``komae survey tabulate``) and the appendix section.

Conventions (DOMAIN §4): shares to one decimal (half up, :mod:`komae_analysis.report.numbers`), the
base (回答者数) printed and including 無回答, a zero count and its share printed 「－」, an MA table with
its M.T. and the M.A. note, a conditional question's base described in words, cross-tab groups below the
参考値 threshold marked ※, suppressed cells (disclosure control) printed 「x」 with a 注.

A suppressed cell is blank in the table's data and marked 「x」 (``AppendixTable.marks``), so every
other cell stays a number in an editor's Excel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from komae_analysis.ingest.survey_codebook import KIND_NAMES, Codebook, Question
from komae_analysis.report import numbers
from komae_analysis.report.numbers import SHARE_NOTE, shares_add_up
from komae_analysis.report.tables import AppendixTable
from komae_analysis.survey.disclosure import MARK, Suppression, suppress
from komae_analysis.survey.summaries import (
    likert_scale,
    multiple_total,
    overview_rows,
)
from komae_analysis.survey.tabulate import NO_ANSWER, REFERENCE_FLAG, Tabulation

REFERENCE_MARK = "※"
SUPPRESSION_NOTE = ("回答数が1～{m}人の区分は、回答者が特定されることのないよう「x」（秘匿）とし、合計から逆算できないよう"
                    "他の区分もあわせて「x」としている。")
MA_NOTE = "複数回答（M.A.）のため、割合の合計（M.T.）は100％を超える。"


def by_word(label: str) -> str:
    """性別 → 性別, 年代 → 年代別, 圏域 → 圏域別 (the suffix 別 once)."""
    return label if label.endswith("別") else f"{label}別"


def reference_note(threshold: int) -> str:
    return f"{REFERENCE_MARK}は回答者数が{threshold}人未満のため、参考値として示している。"


def question_heading(q: Question) -> str:
    """「問5 地域の活動に参加していますか（複数回答）」"""
    kind = KIND_NAMES[q.kind]
    limit = f"・{q.limit}つまで" if q.kind == "MA" and q.limit else ""
    text = q.text
    if limit and text.endswith(f"（{q.limit}つまで）"):  # the question's own words already say it
        text = text[: -len(f"（{q.limit}つまで）")]
    return f"{q.id} {text}（{kind}{limit}）"


def base_note(codebook: Codebook, q: Question) -> str:
    if q.condition is None:
        return ""
    return f"{q.id}は{codebook.describe_condition(q)}のみに尋ねた設問（該当者が回答者数）。"


def _count(n: int | float) -> object:
    return None if n == 0 else n


def _share(n: int | float, pct: float) -> object:
    return None if n == 0 or np.isnan(pct) else pct


def _suppressed_cells(frame: pd.DataFrame, mask: np.ndarray | None, columns: Sequence[str],
                      row_index: Sequence[int]) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """Blank the suppressed cells (``mask``: rows ``row_index`` × ``columns``) and mark them 「x」: the
    table prints 「x」 there, in HTML and Excel, and every other cell keeps its number."""
    if mask is None or not mask.any():
        return frame, {}
    out = frame.copy()
    marks: dict[tuple[int, str], str] = {}
    for (r, c) in zip(*np.nonzero(mask), strict=True):
        i, col = int(row_index[r]), columns[c]
        if out[col].dtype.kind in "iub":  # an integer column cannot hold a blank: make it nullable
            out[col] = out[col].astype("Int64")
        out.iat[i, out.columns.get_loc(col)] = None
        marks[(i, col)] = MARK
    return out, marks


# ====================================================================== overview & sampling error


def overview_table(codebook: Codebook, valid: int, *, source: str, title: str = "調査の概要") -> AppendixTable:
    rows = overview_rows(codebook, valid)
    values = []
    for key, value in rows:
        if value is None:
            values.append("－")
        elif key == "有効回収率":
            values.append(f"{numbers.format_value(value, 'pct')}％")
        elif isinstance(value, int):
            values.append(f"{numbers.count(value)}件")
        else:
            values.append(str(value) or "－")
    frame = pd.DataFrame({"項目": [k for k, _ in rows], "内容": values})
    notes = ["有効回収率は、有効回収数を配布数で割ったもの。"]
    return AppendixTable(title=title, frame=frame, source=source, notes=notes, formats={"内容": "text"})


def sampling_table(frame: pd.DataFrame, population: int | None, *, source: str,
                   title: str = "標本誤差（信頼度95％）") -> AppendixTable:
    """Rows (label, n), columns P = 10 (90) … 50; the error in ポイント to one decimal."""
    out = []
    for (label, n), g in frame.groupby(["label", "n"], sort=False):
        rec: dict[str, object] = {"区分": label, "回答者数": int(n)}
        for p, e in zip(g["p"], g["error"], strict=True):
            head = "50％" if p == 50 else f"{p}％（{100 - p}％）"
            rec[head] = float(e)
        out.append(rec)
    table = pd.DataFrame(out)
    fmts = {c: "dec1" for c in table.columns if c.endswith("％）") or c == "50％"}
    notes = ["標本誤差（±ポイント）＝ 2 × √｛(N－n)／(N－1) × P(100－P)／n｝。N は母集団数、n は回答者数、P は回答の割合（％）。"]
    if population:
        notes.append(f"母集団数 N は{numbers.count(population)}人。")
    else:
        notes.append("母集団数が分からないため、有限母集団修正を省いている。")
    notes.append("例えば回答者数1,000人の設問で「はい」が50％のとき、母集団での割合はおおむね「50％±標本誤差」の範囲にある。")
    return AppendixTable(title=title, frame=table, source=source, notes=notes, unit="単位：人、±ポイント",
                         formats=fmts)


# ====================================================================== single questions


def gt_frame(tab: Tabulation, q: Question) -> pd.DataFrame:
    """The rows of one question in total: option rows and 無回答 (n, pct, w_n when weighted)."""
    return tab.question(q.id)


def gt_table(tab: Tabulation, codebook: Codebook, q: Question, *, source: str, counts_title: str = "回答数"
             ) -> AppendixTable:
    """One question in total: 選択肢 | 回答数 | 割合 (| 重み付け後の割合), a 回答者数 row, notes."""
    part = gt_frame(tab, q)
    base = int(part["base"].iloc[0])
    rows = []
    for r in part.itertuples(index=False):
        rows.append({"選択肢": r.option_label, counts_title: _count(int(r.n)), "割合": _share(r.n, r.pct)})
    rows.append({"選択肢": "回答者数", counts_title: base, "割合": 1.0 if q.kind != "MA" and base else None})
    frame = pd.DataFrame(rows)
    notes = []
    if q.kind == "MA":
        mt = multiple_total(part["pct"].iloc[:-1].tolist())
        notes.append(MA_NOTE + f"M.T.は{numbers.format_value(mt, 'pct')}％。")
        if q.limit:
            notes.append(f"選べる数（{q.limit}つまで）を超えた回答は「{codebook.overview.overflow}」として集計。")
    elif not shares_add_up(part["pct"].tolist()):
        notes.append(SHARE_NOTE)
    note = base_note(codebook, q)
    if note:
        notes.insert(0, note)
    if tab.weighted:
        notes.append("割合は重み付け後の値。回答数・回答者数は重み付け前の人数。")
    return AppendixTable(title=question_heading(q), frame=frame, source=source, notes=notes, unit="単位：人、％",
                         formats={counts_title: "int", "割合": "pct"}, total_rows=[-1])


INDENT = ""  # option rows under a tinted heading row (not indented: labels stay exact)


def gt_combined_table(tab: Tabulation, codebook: Codebook, questions: Sequence[Question], *, source: str,
                      title: str) -> AppendixTable:
    """Several questions in one table: a heading row per question (tinted), its options indented, and
    its 回答者数 row in bold (an MA's share there is its M.T.)."""
    rows: list[dict[str, object]] = []
    totals: list[int] = []
    headings: list[int] = []
    notes: list[str] = []
    any_ma = any(q.kind == "MA" for q in questions)
    odd = False
    head = "設問・選択肢"
    for q in questions:
        part = gt_frame(tab, q)
        base = int(part["base"].iloc[0])
        headings.append(len(rows))
        rows.append({head: question_heading(q), "回答数": None, "割合": None})
        for r in part.itertuples(index=False):
            rows.append({head: INDENT + r.option_label, "回答数": _count(int(r.n)), "割合": _share(r.n, r.pct)})
        if q.kind == "MA":
            mt = multiple_total(part["pct"].iloc[:-1].tolist())
            rows.append({head: INDENT + "回答者数（割合はM.T.）", "回答数": base, "割合": mt if base else None})
        else:
            rows.append({head: INDENT + "回答者数", "回答数": base, "割合": 1.0 if base else None})
            odd |= not shares_add_up(part["pct"].tolist())
        totals.append(len(rows) - 1)
        note = base_note(codebook, q)
        if note:
            notes.append(note)
    if any_ma:
        notes.append(MA_NOTE + "複数回答の設問の「回答者数」の行の割合は M.T.。")
        capped = [q.id for q in questions if q.kind == "MA" and q.limit]
        if capped:
            notes.append(f"選べる数を超えた回答（{'、'.join(capped)}）は「{codebook.overview.overflow}」として集計。")
    if odd:
        notes.append(SHARE_NOTE)
    if tab.weighted:
        notes.append("割合は重み付け後の値。回答数・回答者数は重み付け前の人数。")
    frame = pd.DataFrame(rows)
    frame["回答数"] = frame["回答数"].astype("Int64")
    return AppendixTable(title=title, frame=frame, source=source, notes=notes, unit="単位：人、％",
                         formats={"回答数": "int", "割合": "pct"}, total_rows=totals, highlight_rows=headings)


def numeric_table(tab: Tabulation, codebook: Codebook, questions: Sequence[Question], *, source: str,
                  title: str = "数量の回答（平均値・中央値）", by: str = "") -> AppendixTable:
    rows = []
    for q in questions:
        part = tab.numeric[(tab.numeric["question_id"] == q.id) & (tab.numeric["by_question"] == by)]
        for r in part.itertuples(index=False):
            rows.append({"設問": f"{q.id} {q.text}", "区分": r.group_label, "回答者数": int(r.n),
                         "平均値": r.mean, "中央値": r.median, "最小値": r.min, "最大値": r.max})
    notes = ["回答者数は数値の記入があった人数（無回答を除く）。"]
    if tab.weighted:
        notes.append("平均値・中央値は重み付け後の値。")
    return AppendixTable(title=title, frame=pd.DataFrame(rows), source=source, notes=notes,
                         formats={"回答者数": "int", "平均値": "dec1", "中央値": "dec1", "最小値": "dec1",
                                  "最大値": "dec1"})


# ====================================================================== cross tabs


def cross_counts(tab: Tabulation, q: Question, by: str) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    """(total rows, group rows, group × slot counts, per slot the respondents of unknown attribute)."""
    total = tab.question(q.id)
    groups = tab.question(q.id, by)
    labels = list(dict.fromkeys(groups["by_code"]))
    slots = len(total)
    counts = groups["n"].to_numpy().reshape(len(labels), slots)
    hidden = total["n"].to_numpy() - counts.sum(axis=0)
    return total, groups, counts, hidden


def cross_suppression(tab: Tabulation, q: Question, by: str, min_count: int) -> Suppression:
    """The suppression of one cross tab (computed once per tabulation, question, grouping and limit)."""
    cache = tab.__dict__.setdefault("_suppression", {})
    key = (q.id, by, min_count)
    if key not in cache:
        _total, _groups, counts, hidden = cross_counts(tab, q, by)
        cache[key] = suppress(counts, min_count=min_count, additive_rows=q.kind != "MA", hidden=hidden)
    return cache[key]


def cross_table(tab: Tabulation, codebook: Codebook, q: Question, by: str, *, source: str,
                min_count: int | None = None, counts: bool = False, title: str | None = None,
                likert: bool = False) -> AppendixTable:
    """One question by one attribute: rows 全体 and the groups (※ below the 参考値 threshold), columns
    回答者数 and the share of each option and 無回答 (with ``counts`` the 回答数 instead of the shares);
    ``likert`` adds 肯定計 / 否定計. ``min_count`` applies disclosure control (「x」)."""
    total, groups, _cell_counts, _hidden = cross_counts(tab, q, by)
    sup = cross_suppression(tab, q, by, min_count) if min_count else None
    option_heads = [r.option_label for r in total.itertuples(index=False)]
    option_codes = list(total["option_code"])
    scale = likert_scale(q) if likert else None
    rows: list[dict[str, object]] = []
    body_rows: list[int] = []  # frame row of each group's share row (for the 「x」 marks)
    by_label = groups["by_label"].iloc[0] if len(groups) else by
    refs = False
    weighted = tab.weighted

    def add(label: str, part: pd.DataFrame, is_total: bool) -> None:
        nonlocal refs
        base = int(part["base"].iloc[0])
        ref = (not is_total) and part["flag"].iloc[0] == REFERENCE_FLAG
        refs |= ref
        rec: dict[str, object] = {by_label: f"{label}{REFERENCE_MARK if ref else ''}", "回答者数": base}
        for head, r in zip(option_heads, part.itertuples(index=False), strict=True):
            rec[head] = _count(int(r.n)) if counts else _share(r.n, r.pct)
        if scale is not None:
            by_code = dict(zip(part["option_code"], zip(part["n"], part["pct"], strict=True), strict=True))
            for name, codes in (("肯定計", scale.positive), ("否定計", scale.negative)):
                n = sum(by_code[str(c)][0] for c in codes)
                rec[name] = None if n == 0 else (int(n) if counts else float(sum(by_code[str(c)][1] for c in codes)))
        rows.append(rec)
        if not is_total:
            body_rows.append(len(rows) - 1)
    add("全体", total, True)
    for (_code, label), part in groups.groupby(["by_code", "group_label"], sort=False):
        add(str(label), part, False)
    frame = pd.DataFrame(rows)
    cell = "int" if counts else "pct"
    formats = {"回答者数": "int", **{h: cell for h in option_heads}}
    if scale is not None:
        formats.update({"肯定計": cell, "否定計": cell})
    if counts:
        for h in formats:
            frame[h] = frame[h].astype("Int64")
    notes: list[str] = []
    note = base_note(codebook, q)
    if note:
        notes.append(note)
    notes.append(f"{by_label}が無回答の人は{by_word(by_label)}の集計から除いているため、区分の回答者数の合計は全体と一致しない場合がある。")
    if q.kind == "MA":
        notes.append(MA_NOTE)
    if scale is not None:
        notes.append(f"肯定計は「{'」「'.join(scale.labels(q, 'positive'))}」、否定計は「{'」「'.join(scale.labels(q, 'negative'))}」"
                     "の回答者数の合計の割合。")
    if refs:
        notes.append(reference_note(tab.threshold))
    if weighted:
        notes.append("割合は重み付け後の値。回答者数は重み付け前の人数。")
    marks: dict[tuple[int, str], str] = {}
    if sup is not None and sup.any:
        # share cells (and count cells) of suppressed group × option; 肯定計/否定計 with a hidden part
        share_mask = sup.mask
        target_cols = list(option_heads)
        mask = share_mask
        if scale is not None:
            pos = [option_codes.index(str(c)) for c in scale.positive]
            neg = [option_codes.index(str(c)) for c in scale.negative]
            extra = np.stack([share_mask[:, pos].any(axis=1), share_mask[:, neg].any(axis=1)], axis=1)
            mask = np.concatenate([share_mask, extra], axis=1)
            target_cols = [*option_heads, "肯定計", "否定計"]
        frame, marks = _suppressed_cells(frame, mask, target_cols, body_rows)
        notes.append(SUPPRESSION_NOTE.format(m=min_count - 1))
    unit = "単位：人、％"
    if counts:
        notes = [n for n in notes if not n.startswith("割合は重み付け後")]
        unit = "単位：人"
    what = "（回答数）" if counts else ""
    return AppendixTable(title=title or f"{question_heading(q)}【{by_word(by_label)}】{what}", frame=frame, source=source,
                         notes=notes, unit=unit, formats=formats, marks=marks)


# ====================================================================== Likert & waves


def likert_table(tab: Tabulation, codebook: Codebook, questions: Sequence[Question], *, source: str,
                 title: str) -> AppendixTable:
    """A Likert block in total: one row per question, the share of each option, 無回答, 肯定計, 否定計."""
    from komae_analysis.survey.summaries import likert_frame

    lf = likert_frame(tab, codebook, questions)
    first = questions[0]
    scale = likert_scale(first)
    rows = []
    for r in lf.to_dict("records"):
        q = codebook.question(r["question_id"])
        rec: dict[str, object] = {"設問": f"{q.id} {q.text.split('：', 1)[-1]}", "回答者数": r["base"]}
        for o in first.options:
            rec[o.label] = _share(r[f"n:{o.code}"], r[f"pct:{o.code}"])
        rec[NO_ANSWER] = _share(r["n:無回答"], r["pct:無回答"])
        rec["肯定計"] = _share(r["positive_n"], r["positive_pct"])
        rec["否定計"] = _share(r["negative_n"], r["negative_pct"])
        rows.append(rec)
    frame = pd.DataFrame(rows)
    formats = {"回答者数": "int", **{c: "pct" for c in frame.columns if c not in ("設問", "回答者数")}}
    notes = [f"肯定計は「{'」「'.join(scale.labels(first, 'positive'))}」、否定計は「{'」「'.join(scale.labels(first, 'negative'))}」"
             "の回答者数の合計の割合（各選択肢の割合の和と0.1ポイント違う場合がある）。"]
    if any(not shares_add_up([r[f"pct:{o.code}"] for o in first.options] + [r["pct:無回答"]]) for r in lf.to_dict("records")):
        notes.append(SHARE_NOTE)
    return AppendixTable(title=title, frame=frame, source=source, notes=notes, unit="単位：人、％", formats=formats)


def wave_table(frame: pd.DataFrame, codebook: Codebook, previous: Codebook, *, source: str,
               title: str = "前回調査との比較") -> AppendixTable:
    """前回 / 今回 / 差 for each compared option (the 差 of the printed shares, in ポイント), a heading row
    per question with both waves' 回答者数."""
    prev_label = f"前回（{_era_year(previous)}）"
    cur_label = f"今回（{_era_year(codebook)}）"
    head = "設問・選択肢"
    rows = []
    headings = []
    for qid, g in frame.groupby("question_id", sort=False):
        q = codebook.question(qid)
        first = g.iloc[0]
        headings.append(len(rows))
        rows.append({head: f"{q.id} {q.text}", prev_label: None, cur_label: None, "差（ポイント）": None,
                     "前回の回答者数": int(first.prev_base), "今回の回答者数": int(first.cur_base)})
        for r in g.itertuples(index=False):
            rows.append({head: INDENT + r.option_label, prev_label: None if np.isnan(r.prev_pct) else r.prev_pct,
                         cur_label: r.cur_pct, "差（ポイント）": None if np.isnan(r.diff) else r.diff,
                         "前回の回答者数": None, "今回の回答者数": None})
    out = pd.DataFrame(rows, columns=[head, prev_label, cur_label, "差（ポイント）", "前回の回答者数", "今回の回答者数"])
    for col in ("前回の回答者数", "今回の回答者数"):
        out[col] = out[col].astype("Int64")
    notes = ["差は今回と前回の割合（表示した値）の差。前回の欄の「－」は前回の調査に対応する選択肢がないもの。",
             f"前回は{previous.overview.title}（{previous.overview.period_label}）。"]
    mapped = [q.id for q in codebook.questions if q.previous_id and q.has_previous_mapping and q.id in set(frame["question_id"])]
    if mapped:
        notes.append(f"{'、'.join(mapped)}は選択肢の変更に合わせて前回の回答を今回の選択肢に組み替えている。")
    renamed = [f"{q.id}（前回{q.previous_id}）" for q in codebook.questions
               if q.previous_id and q.previous_id != q.id and q.id in set(frame["question_id"])]
    if renamed:
        notes.append(f"設問番号が前回と違う設問: {'、'.join(renamed)}。")
    notes.append("回答者数は各設問の行に示す（条件付きの設問は対象となった人の数）。")
    return AppendixTable(title=title, frame=out, source=source, notes=notes, unit="単位：％、ポイント、人",
                         formats={prev_label: "pct", cur_label: "pct", "差（ポイント）": "dec1", "前回の回答者数": "int",
                                  "今回の回答者数": "int"}, highlight_rows=headings)


def _era_year(codebook: Codebook) -> str:
    from komae_analysis.calendar import era_of

    era, n = era_of(codebook.date)
    return f"{era}{'元' if n == 1 else n}年"


__all__ = [
    "INDENT",
    "MA_NOTE",
    "REFERENCE_MARK",
    "SUPPRESSION_NOTE",
    "base_note",
    "by_word",
    "cross_suppression",
    "cross_table",
    "gt_combined_table",
    "gt_table",
    "likert_table",
    "numeric_table",
    "overview_table",
    "question_heading",
    "reference_note",
    "sampling_table",
    "wave_table",
]
