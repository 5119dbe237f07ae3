"""第1節 第5款 現行計画の進捗状況の評価 (section 05): the running plans' 事業 self-evaluations and
indicators, summarised by plan and by 基本目標.

- the distribution of ratings in the latest evaluated year, by plan and by 基本目標 (tables and 100％
  stacked bars), with each 基本目標's summary grade (順調 / おおむね順調 / やや遅れ / 遅れ: the share of its
  事業 not rated 遅れ against ``grade_thresholds``) and the grades over the evaluated years;
- each indicator's 達成率 and 進捗率, direction-aware (:func:`achievement`, :func:`progress`), judged
  against ``indicator_behind_below``;
- the 事業 rated 遅れ or behind on an indicator, with their 担当課;
- the change from the previous year (ratings up / same / down; the share rated 遅れ in ポイント).

The rating scale is the progress workbook's own (A–D, ◎○△× …): which ratings count as 遅れ is written
there. The last evaluated year, when it is the run's fiscal year, is a 見込 and labelled so.
"""

from __future__ import annotations

import math

import pandas as pd

from komae_analysis.analysis.plan.data import GRADES, PlanData, source_progress
from komae_analysis.calendar import wareki_fy
from komae_analysis.ingest.plan_progress import HIGHER, LOWER
from komae_analysis.report import numbers
from komae_analysis.report.charts import OKABE_ITO, PALETTE, AppendixFigure, new_figure, percent
from komae_analysis.report.tables import AppendixTable

NO_DATA = "進捗状況の評価の記録がないため、この款は掲載していません。"
ACHIEVED, ON_TRACK, BEHIND, UNKNOWN = "達成", "順調", "遅れ", "－"

# --- the formulas ---------------------------------------------------------------------------------


def achievement(actual: float | None, target: float, direction: str) -> float | None:
    """達成率: 高いほど良い → 実績 ÷ 目標; 低いほど良い → 目標 ÷ 実績. None when it cannot be computed
    (no 実績; a zero denominator — except a lower-is-better 実績 of 0 against a target of 0, achieved)."""
    if actual is None or pd.isna(actual):
        return None
    if direction == HIGHER:
        return None if target == 0 else actual / target
    if direction == LOWER:
        if actual == 0:
            return 1.0 if target == 0 else None
        return target / actual
    raise ValueError(f"unknown direction {direction!r}")


def progress(actual: float | None, base: float | None, target: float, direction: str) -> float | None:
    """進捗率: 高いほど良い → (実績 − 基準) ÷ (目標 − 基準); 低いほど良い → (基準 − 実績) ÷ (基準 − 目標).
    None without 実績 or 基準, or when 目標 = 基準."""
    if actual is None or base is None or pd.isna(actual) or pd.isna(base) or target == base:
        return None
    if direction == HIGHER:
        return (actual - base) / (target - base)
    if direction == LOWER:
        return (base - actual) / (base - target)
    raise ValueError(f"unknown direction {direction!r}")


def grade(share_on_track: float | None, thresholds: tuple[float, ...]) -> str:
    """The 基本目標 summary grade from the share of its 事業 not rated 遅れ (thresholds descending)."""
    if share_on_track is None or pd.isna(share_on_track):
        return UNKNOWN
    for g, t in zip(GRADES, thresholds, strict=False):
        if share_on_track >= t:
            return g
    return GRADES[-1]


def judge(achieved: float | None, behind_below: float) -> str:
    if achieved is None or pd.isna(achieved):
        return UNKNOWN
    if achieved >= 1:
        return ACHIEVED
    return ON_TRACK if achieved >= behind_below else BEHIND


# --- the data ---------------------------------------------------------------------------------------


def _has(data: PlanData) -> bool:
    return data.has_registry and len(data.ratings) > 0 and len(data.scale) > 0


def evaluated(data: PlanData) -> pd.DataFrame:
    """The ratings of the evaluated years with their 事業, 施策, 基本目標 and plan."""
    s = data.settings
    r = data.ratings[data.ratings["fiscal_year"].between(s.evaluation_first_fy, s.evaluation_last_fy)]
    p = data.projects.rename(columns={"name": "project", "departments": "project_departments", "row": "project_row"})
    m = data.measures[["code", "goal_no", "goal", "plan_no", "plan"]]
    out = r.merge(p, on="project_id", how="left").merge(m, left_on="measure_code", right_on="code", how="left")
    return out.sort_values(["fiscal_year", "plan_no", "goal_no", "project_row"]).reset_index(drop=True)


def years(data: PlanData) -> list[int]:
    return sorted(int(y) for y in evaluated(data)["fiscal_year"].unique())


def latest_year(data: PlanData) -> int | None:
    ys = years(data)
    return ys[-1] if ys else None


def year_label(data: PlanData, fy: int) -> str:
    """令和8年度（見込） when the year is the run's own (its evaluation is a 見込), else 令和7年度."""
    return wareki_fy(fy) + ("（見込）" if fy >= data.params.fiscal_year else "")


def _scale(data: PlanData) -> list[str]:
    return list(data.scale.sort_values("rank")["rating"])


def _behind_ratings(data: PlanData) -> list[str]:
    return list(data.scale.loc[data.scale["behind"], "rating"])


def _behind_label(data: PlanData) -> str:
    return "遅れ（" + "・".join(_behind_ratings(data)) + "）"


def _source(data: PlanData) -> str:
    ys = years(data)
    detail = f"{wareki_fy(ys[0])}～{year_label(data, ys[-1])}" if len(ys) > 1 else year_label(data, ys[0])
    return source_progress(detail + "の事業評価")


# --- distribution by plan and by 基本目標 ------------------------------------------------------------------


def _groups(data: PlanData, by: str) -> list[tuple[object, str]]:
    if by == "plan":
        return [(short, short) for _n, short, _name, _note in data.plans]
    return [(n, f"{n}　{name}") for n, name in data.goals]


def distribution(data: PlanData, by: str, fy: int | None = None) -> pd.DataFrame:
    """Counts of each rating by plan (``by="plan"``) or 基本目標 (``"goal"``) in year ``fy`` (default the
    latest): one row per group with at least one rated 事業, columns the ratings, 事業数, 遅れ and the
    share not 遅れ."""
    fy = latest_year(data) if fy is None else fy
    e = evaluated(data)
    e = e[e["fiscal_year"] == fy]
    key = "plan" if by == "plan" else "goal_no"
    rows = []
    for value, label in _groups(data, by):
        sub = e[e[key] == value]
        if not len(sub):
            continue
        row = {"label": label, "n": len(sub)}
        for rating in _scale(data):
            row[rating] = int((sub["rating"] == rating).sum())
        row["behind"] = int(sub["behind"].sum())
        row["on_track_share"] = 1 - row["behind"] / row["n"]
        rows.append(row)
    return pd.DataFrame(rows)


def _missing_groups_note(data: PlanData, by: str, shown: list[str]) -> list[str]:
    missing = [label for _v, label in _groups(data, by) if label not in shown]
    if not missing:
        return []
    return [f"{'、'.join(missing)}は、この年度に評価した事業がないため掲載していない。"]


def distribution_table(data: PlanData, by: str = "plan") -> AppendixTable | str:
    if not _has(data):
        return NO_DATA
    fy = latest_year(data)
    d = distribution(data, by)
    scale = _scale(data)
    behind_col = f"{_behind_label(data)}の割合"
    head = "計画" if by == "plan" else "基本目標"
    frame = pd.DataFrame({head: d["label"], "評価した事業数": d["n"].astype("int64"),
                          **{r: d[r].astype("int64") for r in scale}})
    frame[behind_col] = d["behind"] / d["n"]
    total = {head: "計", "評価した事業数": int(d["n"].sum()), **{r: int(d[r].sum()) for r in scale}}
    total[behind_col] = d["behind"].sum() / d["n"].sum()
    if by == "goal":
        t = data.settings.grade_thresholds
        frame["総合評価"] = [grade(s, t) for s in d["on_track_share"]]
        total["総合評価"] = grade(1 - d["behind"].sum() / d["n"].sum(), t)
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for c in ["評価した事業数", *scale]:
        frame[c] = frame[c].astype("int64")
    notes = [f"評価は各担当課の自己評価（{_scale_text(data)}）。{_behind_label(data)}の割合＝{'・'.join(_behind_ratings(data))}の事業数÷評価した事業数。"]
    if by == "goal":
        notes.append(grade_rule_note(data))
    notes += _missing_groups_note(data, by, list(d["label"]))
    return AppendixTable(
        title=f"{'計画' if by == 'plan' else '基本目標'}別の事業の評価（{year_label(data, fy)}）",
        frame=frame,
        unit="単位：事業、％",
        source=_source(data),
        notes=notes,
        formats={behind_col: "pct"},
        total_rows=[-1],
    )


def _scale_text(data: PlanData) -> str:
    return "、".join(f"{r}：{'' if pd.isna(d) else d}" for r, d in zip(data.scale["rating"], data.scale["description"],
                                                                      strict=True))


def grade_rule_note(data: PlanData) -> str:
    t = data.settings.grade_thresholds
    return (f"総合評価は、遅れ（{'・'.join(_behind_ratings(data))}）以外の評価の事業の割合が"
            f"{numbers.pct(t[0])}以上を「{GRADES[0]}」、{numbers.pct(t[1])}以上を「{GRADES[1]}」、"
            f"{numbers.pct(t[2])}以上を「{GRADES[2]}」、それ未満を「{GRADES[3]}」とした。")


def _rating_colors(n: int) -> list[str]:
    base = [OKABE_ITO["blue"], OKABE_ITO["sky_blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]]
    return base[:n] if n <= 4 else PALETTE[:n]


def distribution_figure(data: PlanData, by: str = "plan") -> AppendixFigure | str:
    if not _has(data):
        return NO_DATA
    fy = latest_year(data)
    d = distribution(data, by)
    scale = _scale(data)
    labels = list(d["label"]) if by == "plan" else [f"基本目標{x.split('　')[0]}" for x in d["label"]]
    fig = new_figure(height=max(2.4, 0.45 * len(d) + 1.3))
    ax = fig.add_subplot()
    left = [0.0] * len(d)
    colors = _rating_colors(len(scale))
    ypos = list(range(len(d)))[::-1]
    for rating, color in zip(scale, colors, strict=True):
        shares = list(d[rating] / d["n"])
        ax.barh(ypos, shares, left=left, color=color, label=rating, height=0.62, edgecolor="white", linewidth=0.6)
        for y, lo, w in zip(ypos, left, shares, strict=True):
            if w >= 0.07:
                ax.text(lo + w / 2, y, numbers.pct(w, sign=""), ha="center", va="center", fontsize=8,
                        color="white" if color in (OKABE_ITO["blue"], OKABE_ITO["vermillion"]) else "#1a1a1a")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(ypos, labels)
    ax.set_xlim(0, 1)
    percent(ax, "x")
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(ncol=len(scale), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, title=None)
    what = "計画" if by == "plan" else "基本目標"
    worst = d.loc[(d["behind"] / d["n"]).idxmax()]
    worst_label = worst["label"] if by == "plan" else f"基本目標{str(worst['label']).split('　')[0]}"
    alt = (f"{what}ごとに、{year_label(data, fy)}の事業の評価（{'・'.join(scale)}）の構成比を100％積み上げ横棒で示した図。"
           f"{_behind_label(data)}の割合が最も高いのは{worst_label}（{numbers.pct(worst['behind'] / worst['n'])}）。")
    return AppendixFigure(
        title=f"{what}別の事業の評価の構成比（{year_label(data, fy)}）",
        figure=fig,
        alt=alt,
        source=_source(data),
        notes=[f"数値は構成比（％）。{numbers.pct(0.07)}未満の区分は数値を省略。"],
    )


def distribution_text(data: PlanData) -> str:
    if not _has(data):
        return NO_DATA
    fy = latest_year(data)
    d = distribution(data, "plan")
    n, k = int(d["n"].sum()), int(d["behind"].sum())
    shown = [numbers.shown_pct(b / n_) for b, n_ in zip(d["behind"], d["n"], strict=True)]
    text = (f"{year_label(data, fy)}は{n}事業を評価し、{_behind_label(data)}は{k}事業（{numbers.pct(k / n)}）でした。")
    if len(d) > 1 and max(shown) > min(shown):
        hi = "・".join(label for label, x in zip(d["label"], shown, strict=True) if x == max(shown))
        lo = "・".join(label for label, x in zip(d["label"], shown, strict=True) if x == min(shown))
        text += (f"計画別では、{_behind_label(data)}の割合が最も高いのは{hi}（{max(shown)}％）、"
                 f"最も低いのは{lo}（{min(shown)}％）です。")
    return text


# --- 基本目標 grades over the years ---------------------------------------------------------------


def grade_table(data: PlanData) -> AppendixTable | str:
    if not _has(data):
        return NO_DATA
    t = data.settings.grade_thresholds
    cols: dict[str, list] = {"基本目標": [f"{n}　{name}" for n, name in data.goals]}
    formats = {}
    for fy in years(data):
        d = distribution(data, "goal", fy).set_index("label")
        share_col, grade_col = f"{year_label(data, fy)} 割合", f"{year_label(data, fy)} 評価"
        shares = [d.loc[g, "on_track_share"] if g in d.index else None for g in cols["基本目標"]]
        cols[share_col] = [math.nan if s is None else float(s) for s in shares]
        cols[grade_col] = [grade(s, t) for s in shares]
        formats[share_col] = "pct"
    return AppendixTable(
        title="基本目標の総合評価の推移",
        frame=pd.DataFrame(cols),
        unit="単位：％",
        source=_source(data),
        notes=[f"割合は、遅れ（{'・'.join(_behind_ratings(data))}）以外の評価の事業の割合。", grade_rule_note(data)],
        formats=formats,
    )


def grade_text(data: PlanData) -> str:
    if not _has(data):
        return NO_DATA
    ys = years(data)
    t = data.settings.grade_thresholds
    latest = distribution(data, "goal", ys[-1]).set_index("label")
    goals = dict(data.goals)
    by_grade: dict[str, list[str]] = {}
    for label, row in latest.iterrows():
        by_grade.setdefault(grade(row["on_track_share"], t), []).append(f"基本目標{str(label).split('　')[0]}")
    parts = [f"「{g}」が{'・'.join(by_grade[g])}" for g in GRADES if g in by_grade]
    text = f"{year_label(data, ys[-1])}の基本目標の総合評価は、{'、'.join(parts)}です。"
    if len(ys) > 1:
        before = distribution(data, "goal", ys[-2]).set_index("label")
        moved = []
        for label in latest.index.intersection(before.index):
            g0, g1 = grade(before.loc[label, "on_track_share"], t), grade(latest.loc[label, "on_track_share"], t)
            if g0 != g1:
                n = int(str(label).split("　")[0])
                direction = "上がり" if GRADES.index(g1) < GRADES.index(g0) else "下がり"
                moved.append(f"基本目標{n}「{goals[n]}」は「{g0}」から「{g1}」に{direction}")
        text += ("前年度と比べると、" + "、".join(moved) + "ました。") if moved else "前年度から評価が変わった基本目標はありません。"
    return text


# --- indicators ---------------------------------------------------------------------------------------


def _num(value: float, places: int) -> str:
    return numbers.count(value) if places == 0 else numbers.dec(value, places)


def _places(values: pd.Series) -> int:
    vals = [float(v) for v in values.dropna()]
    return 1 if any(not v.is_integer() for v in vals) else 0


def indicators(data: PlanData) -> pd.DataFrame:
    """One row per indicator evaluated in the run: its latest 実績 in the evaluated years, 達成率, 進捗率
    and judgement."""
    s = data.settings
    ind = data.indicators
    if not len(ind):
        return pd.DataFrame()
    meta_cols = ["indicator_id", "project_id", "name", "unit", "direction", "base_value", "base_fy", "target_value",
                 "target_fy", "row"]
    meta = ind.drop_duplicates("indicator_id")[meta_cols]
    keep = (meta["target_fy"] >= s.evaluation_first_fy) & (meta["base_fy"].isna() | (meta["base_fy"] < s.evaluation_last_fy))
    meta = meta[keep.fillna(False).astype(bool)]
    after_base = ind["base_fy"].isna() | (ind["fiscal_year"] > ind["base_fy"])  # the base year's value is the 基準値
    window = ind[ind["fiscal_year"].between(s.evaluation_first_fy, s.evaluation_last_fy) & ind["actual"].notna()
                 & after_base.fillna(True).astype(bool)]
    latest = window.sort_values("fiscal_year").drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
    proj = data.projects.set_index("project_id")
    plans = data.measures.set_index("code")
    rows = []
    for m in meta.itertuples(index=False):
        has = m.indicator_id in latest.index
        actual = float(latest.loc[m.indicator_id, "actual"]) if has else None
        fy = int(latest.loc[m.indicator_id, "fiscal_year"]) if has else None
        base = None if pd.isna(m.base_value) else float(m.base_value)
        ach = achievement(actual, float(m.target_value), m.direction)
        prog = progress(actual, base, float(m.target_value), m.direction)
        p = proj.loc[m.project_id]
        measure = plans.loc[p["measure_code"]]
        places = _places(ind.loc[ind["indicator_id"] == m.indicator_id, "actual"])
        places = max(places, _places(pd.Series([base, m.target_value])))
        rows.append({
            "indicator_id": m.indicator_id, "plan_no": int(measure["plan_no"]), "plan": measure["plan"],
            "goal_no": int(measure["goal_no"]), "project_id": m.project_id, "project": p["name"],
            "departments": p["departments"], "code": p["measure_code"], "name": m.name, "unit": m.unit,
            "direction": m.direction, "base": base, "base_fy": None if pd.isna(m.base_fy) else int(m.base_fy),
            "target": float(m.target_value), "target_fy": int(m.target_fy), "actual": actual, "actual_fy": fy,
            "achievement": ach, "progress": prog, "judge": judge(ach, s.indicator_behind_below), "places": places,
            "row": m.row,
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["plan_no", "goal_no", "row"]).reset_index(drop=True) if len(out) else out


def method_text(data: PlanData) -> str:
    del data
    return ("指標は、方向（高いほど良い／低いほど良い）ごとに次の式で評価します。達成率は、高いほど良い指標では実績値÷目標値、"
            "低いほど良い指標では目標値÷実績値です。進捗率は、基準値から目標値までの隔たりのうちどれだけ進んだかを示し、"
            "高いほど良い指標では（実績値－基準値）÷（目標値－基準値）、低いほど良い指標では（基準値－実績値）÷（基準値－目標値）です。"
            "実績値は評価の対象年度のうち最新の値を使い、達成率から「達成」「順調」「遅れ」を判定します（基準は表の注のとおり）。")


def indicator_table(data: PlanData) -> AppendixTable | str:
    if not _has(data):
        return NO_DATA
    d = indicators(data)
    if not len(d):
        return "評価の対象年度に目標のある指標がないため、指標の達成状況は掲載していません。"

    def with_year(v, fy, places, *, actual: bool = False) -> str:
        if v is None or pd.isna(v):
            return numbers.MISSING
        if fy is None or pd.isna(fy) or not fy:
            return _num(v, places)
        fy = int(fy)  # a year column with a blank cell comes as floats
        when = year_label(data, fy) if actual else wareki_fy(fy)
        return f"{_num(v, places)}\n（{when}）"

    frame = pd.DataFrame({
        "計画": d["plan"],
        "事業": d["project"],
        "指標（単位、方向）": [f"{r.name}\n（{r.unit}、{r.direction}）" for r in d.itertuples()],
        "基準値": [with_year(r.base, r.base_fy, r.places) for r in d.itertuples()],
        "目標値": [with_year(r.target, r.target_fy, r.places) for r in d.itertuples()],
        "実績値": [with_year(r.actual, r.actual_fy, r.places, actual=True) for r in d.itertuples()],
        "達成率": pd.array(d["achievement"], dtype="Float64"),
        "進捗率": pd.array(d["progress"], dtype="Float64"),
        "判定": d["judge"],
    })
    s = data.settings
    return AppendixTable(
        title="指標の達成状況",
        frame=frame,
        unit="単位：％（達成率・進捗率）",
        source=_source(data),
        notes=[
            "達成率＝実績値÷目標値（高いほど良い指標）、目標値÷実績値（低いほど良い指標）。",
            "進捗率＝（実績値－基準値）÷（目標値－基準値）（高いほど良い指標）、（基準値－実績値）÷（基準値－目標値）（低いほど良い指標）。"
            "基準値より悪化した場合は負（△）。",
            f"判定：達成率{numbers.pct(1)}以上「{ACHIEVED}」、{numbers.pct(s.indicator_behind_below)}以上「{ON_TRACK}」、"
            f"それ未満「{BEHIND}」。実績値は{wareki_fy(s.evaluation_first_fy)}～{year_label(data, s.evaluation_last_fy)}のうち最新の値"
            "（「－」は実績値がない、または計算できないもの）。",
        ],
        formats={"達成率": "pct", "進捗率": "pct"},
    )


def indicator_text(data: PlanData) -> str:
    if not _has(data):
        return NO_DATA
    d = indicators(data)
    d = d[d["achievement"].notna()] if len(d) else d
    if not len(d):
        return "達成率を計算できる指標はありません。"
    lo = d.loc[d["achievement"].idxmin()]
    hi = d.loc[d["achievement"].idxmax()]
    behind = d[d["judge"] == BEHIND]
    text = (f"達成率が最も高いのは「{hi['name']}」（{hi['plan']}、{numbers.pct(hi['achievement'])}）、"
            f"最も低いのは「{lo['name']}」（{lo['plan']}、{numbers.pct(lo['achievement'])}）です。")
    if len(behind):
        text += "判定が「遅れ」の指標は、" + "、".join(f"「{x}」" for x in behind["name"]) + "です。"
    else:
        text += "判定が「遅れ」の指標はありません。"
    return text


# --- 事業 behind --------------------------------------------------------------------------------------


def behind_table(data: PlanData) -> AppendixTable | str:
    if not _has(data):
        return NO_DATA
    ys = years(data)
    fy, prev = ys[-1], (ys[-2] if len(ys) > 1 else None)
    e = evaluated(data)
    now = e[e["fiscal_year"] == fy].set_index("project_id")
    before = e[e["fiscal_year"] == prev].set_index("project_id") if prev else pd.DataFrame()
    ind = indicators(data)
    late_ind = ind[ind["judge"] == BEHIND].groupby("project_id")["name"].agg(list) if len(ind) else pd.Series(dtype=object)
    ids = [p for p in now.index if bool(now.loc[p, "behind"]) or p in late_ind.index]
    rows = []
    for pid in ids:
        r = now.loc[pid]
        rows.append({
            "計画": r["plan"], "施策コード": r["measure_code"], "事業": r["project"],
            "担当課": "、".join(str(r["project_departments"]).split("\n")) if not pd.isna(r["project_departments"]) else "",
            f"{year_label(data, fy)}の評価": r["rating"],
            **({f"{wareki_fy(prev)}の評価": before.loc[pid, "rating"] if pid in before.index else "－"} if prev else {}),
            "遅れている指標": "\n".join(late_ind.get(pid, [])) or "－",
            "取組実績": "" if pd.isna(r["result"]) else str(r["result"]),
        })
    if not rows:
        return f"{year_label(data, fy)}に{_behind_label(data)}と評価した事業、遅れている指標のある事業はありません。"
    frame = pd.DataFrame(rows)
    return AppendixTable(
        title=f"遅れている事業（{year_label(data, fy)}）",
        frame=frame,
        source=_source(data),
        notes=[f"{year_label(data, fy)}の評価が{'・'.join(_behind_ratings(data))}の事業と、判定が「遅れ」の指標のある事業"
               "（指標の判定は表「指標の達成状況」）。担当課は事業の担当課。"],
    )


# --- change from the previous year --------------------------------------------------------------------


def change(data: PlanData) -> pd.DataFrame:
    """By plan: 事業 rated in both of the last two years, how many went up, stayed, went down; the share
    rated 遅れ in each year."""
    ys = years(data)
    if len(ys) < 2:
        return pd.DataFrame()
    prev, fy = ys[-2], ys[-1]
    e = evaluated(data)
    a = e[e["fiscal_year"] == prev].set_index("project_id")
    b = e[e["fiscal_year"] == fy].set_index("project_id")
    rows = []
    for _n, short, _name, _note in data.plans:
        bb = b[b["plan"] == short]
        if not len(bb):
            continue
        both = bb.index.intersection(a.index)
        diff = a.loc[both, "rank"] - bb.loc[both, "rank"]  # rank 1 is best: a positive difference is an improvement
        aa = a[a["plan"] == short]
        rows.append({"plan": short, "both": len(both), "up": int((diff > 0).sum()), "same": int((diff == 0).sum()),
                     "down": int((diff < 0).sum()), "new": len(bb) - len(both),
                     "behind_before": aa["behind"].mean() if len(aa) else None, "behind_now": bb["behind"].mean()})
    return pd.DataFrame(rows)


def change_table(data: PlanData) -> AppendixTable | str:
    if not _has(data):
        return NO_DATA
    ys = years(data)
    c = change(data)
    if not len(c):
        return "評価の対象年度が1年度だけのため、前年度との比較は掲載していません。"
    prev, fy = ys[-2], ys[-1]
    e = evaluated(data)
    a, b = f"{_behind_label(data)}の割合（{wareki_fy(prev)}）", f"{_behind_label(data)}の割合（{year_label(data, fy)}）"
    frame = pd.DataFrame({
        "計画": c["plan"], "両年度に評価した事業数": c["both"], "評価が上がった": c["up"], "変わらない": c["same"],
        "下がった": c["down"], "前年度は評価なし": c["new"],
        a: pd.array(c["behind_before"], dtype="Float64"), b: pd.array(c["behind_now"], dtype="Float64"),
    })
    frame["差（ポイント）"] = pd.array(
        [float(numbers.pct_diff(y, x)) if not (pd.isna(x) or pd.isna(y)) else None
         for x, y in zip(frame[a], frame[b], strict=True)], dtype="Float64")
    ea, eb = e[e["fiscal_year"] == prev], e[e["fiscal_year"] == fy]
    total = {"計画": "計", "両年度に評価した事業数": int(c["both"].sum()), "評価が上がった": int(c["up"].sum()),
             "変わらない": int(c["same"].sum()), "下がった": int(c["down"].sum()), "前年度は評価なし": int(c["new"].sum()),
             a: ea["behind"].mean(), b: eb["behind"].mean()}
    total["差（ポイント）"] = float(numbers.pct_diff(total[b], total[a]))
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for col in ("両年度に評価した事業数", "評価が上がった", "変わらない", "下がった", "前年度は評価なし"):
        frame[col] = frame[col].astype("int64")
    for col in (a, b, "差（ポイント）"):
        frame[col] = frame[col].astype("Float64")
    return AppendixTable(
        title=f"前年度からの評価の変化（{wareki_fy(prev)}→{year_label(data, fy)}）",
        frame=frame,
        unit="単位：事業、％、ポイント",
        source=_source(data),
        notes=[f"評価の上下は評価区分の順（{'→'.join(_scale(data))}）で比べたもの。",
               "差（ポイント）は表示した割合どうしの差。"],
        formats={a: "pct", b: "pct", "差（ポイント）": "dec1"},
        total_rows=[-1],
    )


def change_text(data: PlanData) -> str:
    if not _has(data):
        return NO_DATA
    c = change(data)
    if not len(c):
        return "評価の対象年度が1年度だけのため、前年度との比較はできません。"
    t = change_table(data)
    total = t.frame.iloc[-1]
    ys = years(data)
    d = float(total["差（ポイント）"])
    trend = ("上昇" if d > 0 else "低下") if d else "横ばい"
    text = (f"{wareki_fy(ys[-2])}と比べて評価が上がった事業は{int(total['評価が上がった'])}、"
            f"下がった事業は{int(total['下がった'])}、変わらない事業は{int(total['変わらない'])}です。"
            f"{_behind_label(data)}の割合は{numbers.pct(float(t.frame.iloc[-1, 6]))}から"
            f"{numbers.pct(float(t.frame.iloc[-1, 7]))}へ")
    text += f"{numbers.points(d)}{trend}しました。" if d else "変わっていません。"
    return text
