"""年齢構成: 5-year classes by sex, the pyramid, and cohorts moving up (section 02a, part 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from komae_analysis.analysis import trends
from komae_analysis.analysis.population.data import (
    NAMED_COHORTS,
    PopulationData,
    _era_year,
    label_date,
    source_register,
)
from komae_analysis.analysis.population.trend import (
    _people,
)
from komae_analysis.report.charts import (
    SEX_COLORS,
    AppendixFigure,
    new_figure,
)
from komae_analysis.report.numbers import SHARE_NOTE, shares_add_up
from komae_analysis.report.tables import AppendixTable


# --- 3 年齢構成 (02a) -------------------------------------------------------------------------
def _age5(frame: pd.DataFrame) -> pd.DataFrame:
    """Single-year register rows → 5-year classes (0～4 … 95～99, 100歳以上) by sex."""
    age = frame["age_from"].astype("int64")
    cls = np.minimum(age // 5 * 5, 100)
    df = pd.DataFrame({"cls": cls, "sex": frame["sex"].astype(str), "population": frame["population"]})
    out = df.pivot_table(index="cls", columns="sex", values="population", aggfunc="sum", fill_value=0)
    return out.reindex(columns=["男", "女"], fill_value=0).astype("int64")


def _age_label(cls: int) -> str:
    return "100歳以上" if cls >= 100 else f"{cls}～{cls + 4}歳"


def _age5_pair(data: PopulationData) -> tuple[pd.DataFrame, pd.DataFrame]:
    now = _age5(data.register[data.register["date"] == data.latest])
    then = _age5(data.register[data.register["date"] == data.compare]).reindex(now.index, fill_value=0)
    return now, then


def age_sex_table(data: PopulationData) -> AppendixTable:
    now, then = _age5_pair(data)
    total_now = now.sum(axis=1)
    total_then = then.sum(axis=1)
    then_col = f"{_era_year(data.compare)}の計"
    shares = (total_now / total_now.sum()).to_numpy()
    frame = pd.DataFrame(
        {
            "年齢": [_age_label(c) for c in now.index],
            "男": now["男"].to_numpy(),
            "女": now["女"].to_numpy(),
            "計": total_now.to_numpy(),
            "構成比": shares,
            then_col: total_then.to_numpy(),
            "増減": (total_now - total_then).to_numpy(),
        }
    )
    totals = {
        "年齢": "総数", "男": frame["男"].sum(), "女": frame["女"].sum(), "計": frame["計"].sum(), "構成比": 1.0,
        then_col: total_then.sum(), "増減": frame["増減"].sum(),
    }
    frame = pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)
    notes = [f"「{then_col}」は{label_date(data.compare)}現在、増減はそこからの増減。"]
    if not shares_add_up(shares):
        notes.append(SHARE_NOTE)
    return AppendixTable(
        title=f"年齢5歳階級別・男女別人口（{label_date(data.latest)}現在）",
        frame=frame,
        unit="単位：人、％",
        source=source_register(),
        notes=notes,
        formats={"構成比": "pct"},
        total_rows=[-1],
    )


def _outline(values: np.ndarray, y: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of a stepped outline through ``values`` at ``y`` (one per class, spaced 1):
    vertical at each value across its class, horizontal between classes, starting and ending at the
    bar edges (``half`` = half the bar height) rather than half a class beyond."""
    xs, ys = [], []
    n = len(values)
    for i in range(n):
        lo = y[i] - (half if i == 0 else 0.5)
        hi = y[i] + (half if i == n - 1 else 0.5)
        xs += [values[i], values[i]]
        ys += [lo, hi]
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def pyramid_figure(data: PopulationData) -> AppendixFigure:
    now, then = _age5_pair(data)
    fig = new_figure(8, 6)
    ax = fig.add_subplot()
    y = np.arange(len(now))
    height = 0.8
    ax.barh(y, -now["男"], color=SEX_COLORS["男"], height=height, label=f"男（{label_date(data.latest)}）")
    ax.barh(y, now["女"], color=SEX_COLORS["女"], height=height, label=f"女（{label_date(data.latest)}）")
    xm, ym = _outline(-then["男"].to_numpy(), y, height / 2)
    ax.plot(xm, ym, color="#222222", linewidth=1.2, label=f"{label_date(data.compare)}（男女とも）")
    xf, yf = _outline(then["女"].to_numpy(), y, height / 2)
    ax.plot(xf, yf, color="#222222", linewidth=1.2)
    ax.set_yticks(y, [_age_label(c) for c in now.index])
    ax.set_ylim(y[0] - 0.6, y[-1] + 0.6)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    lim = max(now.to_numpy().max(), then.to_numpy().max()) * 1.1
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ax.set_xlabel("人口（人）　←男　　女→")
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(t) for t in labels if t.startswith("男")] + \
        [labels.index(t) for t in labels if t.startswith("女")] + \
        [labels.index(t) for t in labels if not t.startswith(("男", "女"))]
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper right", frameon=False,
              fontsize=9)  # as the alt text reads: bars (男, 女), then the comparison line
    peak = int(now.sum(axis=1).idxmax())
    return AppendixFigure(
        title=f"人口ピラミッド（{label_date(data.latest)}と{label_date(data.compare)}の比較）",
        figure=fig,
        alt=(
            f"5歳階級別・男女別の人口ピラミッド（左が男、右が女、下から0～4歳、最上段が{_age_label(int(now.index[-1]))}）。"
            f"棒が{label_date(data.latest)}、黒い線が{label_date(data.compare)}。"
            f"{label_date(data.latest)}に最も人口が多い階級は{_age_label(peak)}（{_people(now.sum(axis=1)[peak])}）。"
        ),
        source=source_register(),
    )


def _birth_years(date: pd.Timestamp, cls: int, width: int = 5) -> tuple[int, int]:
    """Birth years of the people in age class ``cls``–``cls+width-1`` on 1 January of ``date``'s
    year (on 1 January, age x was born in year − x − 1, give or take a New Year's Day birthday)."""
    year = pd.Timestamp(date).year
    return year - cls - width, year - cls - 1


def _cohort_name(date: pd.Timestamp, cls: int) -> str:
    """団塊の世代 etc. when the class on ``date`` holds most of a named cohort's birth years."""
    lo, hi = _birth_years(date, cls)
    for name, first, last in NAMED_COHORTS:
        overlap = min(hi, last) - max(lo, first) + 1
        if overlap * 2 > last - first + 1:
            return name
    return ""


def pyramid_text(data: PopulationData) -> str:
    """The largest class, and the largest decrease and increase explained as cohorts moving up: the
    people in class a on the comparison date are in class a+k now (k = the years between)."""
    now, then = _age5_pair(data)
    now_t, then_t = now.sum(axis=1), then.sum(axis=1)
    k = data.settings.pyramid_compare_years
    frame = pd.DataFrame({"then": then_t, "now": now_t}).T  # classes as columns, for trends.movers
    frame.index = [data.compare, data.latest]
    ranked = trends.movers(frame)
    up, down = ranked[0], ranked[-1]
    peak = int(now_t.idxmax())
    then_label = label_date(data.compare)
    text = (f"{label_date(data.latest)}現在、人口が最も多い年齢階級は{_age_label(peak)}（{_people(now_t[peak])}）です。"
            f"{then_label}と比べると、")
    parts = []
    if down.change < 0:
        a = int(down.key)
        part = f"最も減ったのは{_age_label(a)}（{_people(-down.change)}減少）"
        moved_to = a + k
        if k % 5 == 0 and moved_to in now_t.index and a - k in then_t.index \
                and then_t[a - k] < then_t[a] and now_t[moved_to] > then_t[moved_to]:
            # class a lost its large cohort to a + k and received the smaller one from a − k
            name = _cohort_name(data.latest, moved_to)
            who = f"人口の多い世代（{name}を含む）" if name else "人口の多い世代"
            part += (f"で、{then_label}に{_age_label(a)}だった{who}が{_age_label(moved_to)}に移ったためです。"
                     f"{_age_label(moved_to)}は{_people(now_t[moved_to] - then_t[moved_to])}増加しています")
        else:
            part += "です"
        parts.append(part)
    if up.change > 0:
        b = int(up.key)
        part = f"最も増えたのは{_age_label(b)}（{_people(up.change)}増加）"
        came_from = b - k
        if k % 5 == 0 and came_from in then_t.index and then_t[came_from] > then_t[b]:
            name = _cohort_name(data.latest, b)
            who = f"人口の多い世代（{name}を含む）" if name else "人口の多い世代"
            part += (f"で、{then_label}に{_age_label(came_from)}だった{who}"
                     f"（{_people(then_t[came_from])}）がこの階級に移ったためです")
        else:
            part += "です"
        parts.append(part)
    if not parts:
        return text.rstrip("、") + "、年齢階級別の人口に増減はありません。"
    return text + "。".join(parts) + "。"
