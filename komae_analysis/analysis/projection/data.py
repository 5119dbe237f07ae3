"""The section's parameters and data: the register by single year of age for the city and each
日常生活圏域, the projections (the city, each 圏域, and the same from five years earlier for the
back-test), and the 社人研 projection's rows for the city when that file is supplied."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from komae_analysis import calendar, reference
from komae_analysis.analysis.projection import method
from komae_analysis.errors import KomaeError
from komae_analysis.ingest.registry import citation
from komae_analysis.params import Params
from komae_analysis.report import numbers

REGISTER = "city_register_population"
IPSS = "ipss_projection"
STEP_YEARS = 5
#: the month and day of the yearly values (a fiscal year's value is the one on 1 October, the middle
#: of the year and the reference day of the census and of the 社人研 projection)
YEARLY_MONTH = 10


def source_register() -> str:
    return citation(REGISTER, "各年1月1日現在、外国人住民を含む")


def source_projection() -> str:
    """The 出典 of the city's own projection: the register, and the method."""
    return f"{source_register()}をもとにコーホート変化率法で推計"


def source_ipss() -> str:
    return citation(IPSS)


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectionParams:
    """The ``projection:`` block of the run parameters (docs/domain.md, 将来人口推計)."""

    ratio_periods: int  # the yearly changes averaged (the most recent ones up to the base date)
    end_year: int  # the projection reaches at least 1 October of this year
    target_year: int  # the reference year of the plan's long view (2040)
    open_age: int  # the open top class (90 → 90歳以上)
    mother_ages: tuple[int, ...]  # the women of the child–woman ratio (15, 49)
    observed_sex_ratio: bool  # 0～4歳 split by the observed share of boys (else male_share_0_4)
    male_share_0_4: float  # share of boys among 0～4歳 when observed_sex_ratio is false
    flat_share: float  # a change within this share of the level counts as 横ばい in the commentary

    def check(self) -> str | None:
        if self.ratio_periods < 1:
            return f"ratio_periods は1以上です（実際: {self.ratio_periods}）"
        if self.open_age not in (85, 90, 95, 100):
            return f"open_age は85・90・95・100のいずれかです（実際: {self.open_age}）"
        if len(self.mother_ages) != 2:
            return f"mother_ages は [下限, 上限] の2つです（実際: {list(self.mother_ages)}）"
        lo, hi = self.mother_ages
        if lo % 5 or (hi + 1) % 5 or not 10 <= lo < hi < self.open_age:
            return f"mother_ages は5歳階級の境目（例: [15, 49]）です（実際: {list(self.mother_ages)}）"
        if not 0 < self.male_share_0_4 < 1:
            return f"male_share_0_4 は0より大きく1より小さい割合です（実際: {self.male_share_0_4}）"
        if not 2000 <= self.target_year <= 2100 or not 2000 <= self.end_year <= 2100:
            return f"target_year・end_year は西暦年です（実際: {self.target_year}、{self.end_year}）"
        if self.target_year > self.end_year:
            return f"target_year（{self.target_year}）は end_year（{self.end_year}）以前にしてください"
        if not 0 <= self.flat_share < 0.1:
            return f"flat_share は0以上0.1未満の割合です（実際: {self.flat_share}）"
        return None


#: The parameters block of this topic (``projection:`` in params/FY*.yaml).
PARAMS = ProjectionParams


# --- dates ----------------------------------------------------------------------------------
def label_date(date: pd.Timestamp | dt.date) -> str:
    """令和8年1月1日"""
    return calendar.wareki_date(pd.Timestamp(date).date())


def years_of(date: pd.Timestamp) -> float:
    """A date as a number of years (day 1 of a month): 2026-01-01 → 2026.0, 2027-10-01 → 2027.75."""
    ts = pd.Timestamp(date)
    return ts.year + (ts.month - 1) / 12


def fiscal_date(fy: int) -> pd.Timestamp:
    """The date of a fiscal year's value: 1 October (FY2027 → 2027-10-01)."""
    return pd.Timestamp(fy, YEARLY_MONTH, 1)


def fy_label(fy: int) -> str:
    """令和9年度（2027年度）"""
    return calendar.wareki_fy(fy, western=True)


# --- one projection -----------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """One projection (the city or one 日常生活圏域) from one base date."""

    key: str  # "" for the city, else the 圏域's key
    name: str  # 市全体 / the 地域包括支援センター's name
    base: pd.Timestamp
    periods: int  # yearly changes averaged
    window: tuple[pd.Timestamp, ...]  # the dates of those changes (periods + 1 dates, oldest first)
    yearly: np.ndarray  # (101, 2) pooled yearly ratios
    ratios: np.ndarray  # (n − 1, 2) five-year ratios of the classes
    cwr: float  # child–woman ratio
    male_share: float  # boys among 0～4歳
    history_dates: tuple[pd.Timestamp, ...]  # register dates up to the base (actual values)
    history: np.ndarray  # (H, n, 2) the register's classes on those dates
    points: tuple[pd.Timestamp, ...]  # the base and the projected dates, five years apart
    projected: np.ndarray  # (P, n, 2) unrounded, row 0 = the base

    def at(self, when: pd.Timestamp) -> np.ndarray:
        """The classes (n, 2) on ``when``, unrounded: the register up to the base, the projection
        after it, linear in time between two known dates."""
        dates = list(self.history_dates) + list(self.points[1:])
        values = np.concatenate([self.history, self.projected[1:]])
        return method.interpolate([years_of(d) for d in dates], values, years_of(when))

    def cells(self, when: pd.Timestamp) -> np.ndarray:
        """The classes (n, 2) on ``when`` as printed: each 男女・5歳階級 cell rounded half up (totals and
        age groups are sums of these, so that the printed parts add up to the printed totals)."""
        return rounded_cells(self.at(when))

    def covers(self, when: pd.Timestamp) -> bool:
        return self.history_dates[0] <= pd.Timestamp(when) <= self.points[-1]


def rounded_cells(values: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda v: int(numbers.rounded(v)), otypes=[np.int64])(values)


#: The age groups every table shows: key → (label, lowest age, highest age or None)
GROUPS = {
    "total": ("総人口", 0, None),
    "age0_14": ("年少人口（0～14歳）", 0, 14),
    "age15_64": ("生産年齢人口（15～64歳）", 15, 64),
    "age65": ("老年人口（65歳以上）", 65, None),
    "age75": ("うち75歳以上", 75, None),
    "age85": ("うち85歳以上", 85, None),
}


def group_sums(cells: np.ndarray, starts: list[int]) -> dict[str, int]:
    """Total and age groups of printed cells (n, 2) (both sexes), and 高齢化率 etc. as fractions."""
    both = cells.sum(axis=1)
    out: dict[str, float] = {}
    for key, (_label, lo, hi) in GROUPS.items():
        idx = [i for i, s in enumerate(starts) if s >= lo and (hi is None or s + 4 <= hi)]
        out[key] = int(both[idx].sum())
    total = out["total"]
    out["aging_rate"] = out["age65"] / total if total else math.nan
    out["late_rate"] = out["age75"] / total if total else math.nan
    return out  # type: ignore[return-value]


# --- the section's data ---------------------------------------------------------------------
@dataclass(frozen=True)
class Backtest:
    """The same method from five years before the base, using only the data up to then."""

    base: pd.Timestamp  # five years before the latest register date
    target: pd.Timestamp  # the latest register date (what happened)
    periods: int  # yearly changes the data before the base allow (≤ ratio_periods)
    city: Run
    areas: tuple[Run, ...]
    actual: dict[str, np.ndarray]  # key ("" = city) → the register's classes on the target date


@dataclass(frozen=True)
class ProjectionData:
    params: Params
    settings: ProjectionParams
    dates: tuple[pd.Timestamp, ...]  # the register dates of the run (oldest first)
    base: pd.Timestamp  # the latest register date: the base of the projection
    starts: list[int]  # lower bounds of the classes (0, 5, …, open_age)
    city: Run
    areas: tuple[Run, ...]  # in the city's order
    backtest: Backtest | None
    backtest_reason: str  # why there is no back-test (empty when there is one)
    ipss: pd.DataFrame  # the city's rows of the newest 社人研 edition (empty when not supplied)
    ipss_edition: str
    plan_term: calendar.Term  # the care-insurance term the plan prepares (第10期 in FY2026)

    @property
    def city_name(self) -> str:
        return self.params.city.name

    @property
    def plan_years(self) -> tuple[int, ...]:
        return self.plan_term.years

    @property
    def target_date(self) -> pd.Timestamp:
        return fiscal_date(self.settings.target_year)

    def groups(self, run: Run, when: pd.Timestamp) -> dict[str, int]:
        return group_sums(run.cells(when), self.starts)


def _single_years(register: pd.DataFrame, dates: tuple[pd.Timestamp, ...], keys: list[str]) -> np.ndarray:
    """The register as (dates, 1 + 圏域, 101, 2): index 0 the city, then the 圏域 in ``keys`` order."""
    out = np.zeros((len(dates), 1 + len(keys), method.N_SINGLE, 2))
    if register.empty:
        return out
    d_index = {d: i for i, d in enumerate(dates)}
    a_index = {k: i + 1 for i, k in enumerate(keys)}
    di = register["date"].map(d_index).to_numpy()
    ai = register["area"].astype(str).map(a_index).to_numpy()
    ages = np.minimum(register["age_from"].astype("int64").to_numpy(), method.N_SINGLE - 1)
    sex = (register["sex"].astype(str) == "女").to_numpy().astype(int)
    pop = register["population"].astype("int64").to_numpy()
    np.add.at(out, (di, ai, ages, sex), pop)
    out[:, 0] = out[:, 1:].sum(axis=1)
    return out


def available_periods(dates: tuple[pd.Timestamp, ...], base: pd.Timestamp) -> int:
    """The yearly steps ending at ``base`` without a gap (register dates one year apart)."""
    i = dates.index(base)
    n = 0
    while i - n - 1 >= 0 and dates[i - n - 1] == dates[i - n] - pd.DateOffset(years=1):
        n += 1
    return n


def _steps(settings: ProjectionParams, base: pd.Timestamp) -> int:
    """Five-year steps until 1 October of the end year is covered."""
    span = years_of(fiscal_date(settings.end_year)) - years_of(base)
    return max(1, math.ceil(span / STEP_YEARS - 1e-9))


def make_run(
    key: str,
    name: str,
    dates: tuple[pd.Timestamp, ...],
    single: np.ndarray,
    base: pd.Timestamp,
    periods: int,
    steps: int,
    settings: ProjectionParams,
    fallback: np.ndarray | None = None,
) -> Run:
    """One projection from ``base`` with ``periods`` yearly changes (the caller has checked that the
    data allow them); ``single`` is (dates, 101, 2) for this area."""
    b = dates.index(base)
    history = single[: b + 1]
    yearly = method.yearly_ratios(history[b - periods : b + 1], periods, fallback)
    classes = method.to_classes(history, settings.open_age)
    ratios = method.five_year_ratios(yearly, history[b], settings.open_age)
    mothers = method.mother_rows(settings.open_age, settings.mother_ages)
    window_classes = classes[b - periods : b + 1]
    cwr = method.child_woman_ratio(window_classes, mothers)
    share = method.boys_share(window_classes) if settings.observed_sex_ratio else settings.male_share_0_4
    projected = method.project(classes[b], ratios, cwr, share, mothers, steps)
    points = tuple(base + pd.DateOffset(years=STEP_YEARS * s) for s in range(steps + 1))
    return Run(key=key, name=name, base=base, periods=periods, window=tuple(dates[b - periods : b + 1]),
               yearly=yearly, ratios=ratios, cwr=cwr, male_share=share, history_dates=tuple(dates[: b + 1]),
               history=classes, points=points, projected=projected)


def check_settings(settings: ProjectionParams, dates: tuple[pd.Timestamp, ...], base: pd.Timestamp) -> None:
    """The parameters against the data: KomaeError (Japanese) when they ask for what the data cannot give."""
    have = available_periods(dates, base)
    if settings.ratio_periods > have:
        first = dates[dates.index(base) - have]
        raise KomaeError(
            f"変化率を平均する年数（projection.ratio_periods: {settings.ratio_periods}）が、使える住民基本台帳の"
            f"データ（{label_date(first)}～{label_date(base)}の{have}年分の変化）より多くなっています。"
            f"{have}以下にしてください"
        )
    for name, year in (("end_year", settings.end_year), ("target_year", settings.target_year)):
        if fiscal_date(year) <= base:
            raise KomaeError(
                f"推計する年（projection.{name}: {year}）が基準日（{label_date(base)}）より前です。"
                f"{base.year + 1}年以降にしてください"
            )


def _ipss_rows(frame: pd.DataFrame, code: str, name: str) -> tuple[pd.DataFrame, str]:
    """The city's rows of the newest edition (the one with the latest first year)."""
    if frame.empty:
        return frame, ""
    firsts = frame.groupby("edition")["year"].min()
    edition = str(firsts.idxmax())
    rows = frame[(frame["edition"] == edition) & (frame["area_code"] == code)]
    if rows.empty:
        raise KomaeError(
            f"国立社会保障・人口問題研究所の推計のファイル（{edition}）に{name}（地域コード {code}）の行がありません。"
            "市区町村別の推計結果のファイル（suikei_kekka.xlsx）を置いてください"
        )
    return rows.reset_index(drop=True), edition


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> ProjectionData:
    """The projections of a run from its inputs (source id → tidy frame): the city and each
    日常生活圏域 from the latest register date, the back-test from five years earlier, and the 社人研
    rows of the city when supplied."""
    settings = params.topic(ProjectionParams)
    register = inputs[REGISTER]
    all_dates = sorted({pd.Timestamp(d) for d in register["date"].unique()})
    try:
        latest = calendar.latest_register_date(params.fiscal_year, [d.date() for d in all_dates])
    except ValueError as exc:
        raise KomaeError(str(exc)) from None
    dates = tuple(d for d in all_dates if d.date() <= latest)
    base = dates[-1]
    register = register[register["date"].isin(dates)]
    check_settings(settings, dates, base)
    areas = list(reference.daily_life_areas())
    unknown = sorted(set(register["area"].astype(str)) - {a.key for a in areas})
    if unknown:
        raise KomaeError("参照表にない日常生活圏域があります: " + "、".join(unknown))
    single = _single_years(register, dates, [a.key for a in areas])
    steps = _steps(settings, base)
    city = make_run("", "市全体", dates, single[:, 0], base, settings.ratio_periods, steps, settings)
    area_runs = tuple(
        make_run(a.key, a.official_name, dates, single[:, i + 1], base, settings.ratio_periods, steps, settings,
                 fallback=city.yearly)
        for i, a in enumerate(areas)
    )
    backtest, reason = _backtest(settings, dates, single, areas)
    ipss, edition = _ipss_rows(inputs.get(IPSS, pd.DataFrame()), params.city.area_code, params.city.name)
    return ProjectionData(
        params=params, settings=settings, dates=dates, base=base, starts=method.class_starts(settings.open_age),
        city=city, areas=area_runs, backtest=backtest, backtest_reason=reason, ipss=ipss, ipss_edition=edition,
        plan_term=params.care_term.next(),
    )


def _backtest(
    settings: ProjectionParams, dates: tuple[pd.Timestamp, ...], single: np.ndarray, areas: list
) -> tuple[Backtest | None, str]:
    """The method from five years before the latest date, with the yearly changes known then."""
    target = dates[-1]
    base = target - pd.DateOffset(years=STEP_YEARS)
    if base not in dates:
        return None, f"{label_date(base)}のデータがないため、推計の検証はできません。"
    periods = min(settings.ratio_periods, available_periods(dates, base))
    if periods == 0:
        return None, (f"{label_date(base)}より前のデータがないため、{label_date(base)}を基準にした推計ができず、"
                      "推計の検証はできません。")
    upto = dates[: dates.index(base) + 1]
    b = len(upto)
    city = make_run("", "市全体", upto, single[:b, 0], base, periods, 1, settings)
    runs = tuple(make_run(a.key, a.official_name, upto, single[:b, i + 1], base, periods, 1, settings,
                          fallback=city.yearly) for i, a in enumerate(areas))
    actual = {"": method.to_classes(single[-1, 0], settings.open_age)}
    actual |= {a.key: method.to_classes(single[-1, i + 1], settings.open_age) for i, a in enumerate(areas)}
    return Backtest(base=base, target=target, periods=periods, city=city, areas=runs, actual=actual), ""
