"""第1節 第2款（5）類似自治体との比較: 狛江市's position among 東京都市部 (the 26 市) and among cities
nationwide of similar size and 高齢化率, on indicators from 統計センター SSDSE-A (市区町村).

Pure functions from the tidy ``ssdse_a`` frame to appendix tables, figures and commentary.

- The indicators (:data:`INDICATORS`) are ratios of two SSDSE-A items each (:data:`ITEMS`, by item
  code); their definitions are in docs/domain.md and in the section's first table. Values are kept in
  the unit they are printed in (％, 人口千人当たり …), so one format (``dec1``) prints every one of
  them and the printed value is the same in every table and sentence.
- SSDSE-A holds each item for one year per edition (the 2020 国勢調査 for population and
  households; other years for births, doctors, finance …). For each item the section takes the
  latest year on or before ``fiscal_year - data_year_lag`` (an edition YYYY holds figures up to
  about YYYY−2), so that an older plan year is not shown figures published after it.
- The comparison groups follow one stated rule (:class:`PeersParams`): the 26 市 of 東京都市部
  (``reference.shibu_cities()``), and the cities nationwide (市 only: not 特別区, 町, 村) whose 総人口
  is within ± ``population_band`` of the city's, the ``similar_count`` nearest in 高齢化率.
- A ratio with a missing component (a suppressed or missing item: 「x」「…」「－」 in the file) is
  missing: it is printed 「…」, left out of the ranks, means and medians, and a 注 says which.
- Ranks are 1 = highest, from the unrounded values (ties share the better rank); differences
  printed beside two printed values are differences of the printed values.

A section without the SSDSE-A file gets one sentence in place of its first table, a short one under
each later heading, and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from komae_analysis import calendar, reference
from komae_analysis.errors import InputError, InputProblem
from komae_analysis.ingest.registry import citation
from komae_analysis.ingest.registry import source as raw_source
from komae_analysis.params import Params
from komae_analysis.report import numbers
from komae_analysis.report.charts import PALETTE, AppendixFigure, new_figure
from komae_analysis.report.tables import AppendixTable, mark_missing

SOURCE = "ssdse_a"


# --- parameters ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PeersParams:
    """The ``peers:`` block of the run parameters.

    Comparison groups: all 東京都市部 cities in the file, and the nationwide similar cities:

    1. the 市 nationwide (names ending in 市: not 特別区, 町 or 村) other than the city itself — and,
       with ``exclude_home_prefecture``, other than the 市 of the city's own 都道府県 (compared
       separately as 東京都市部) —
    2. whose 総人口 is within ± ``population_band`` (a share: 0.15 = ±15%) of the city's,
    3. the ``similar_count`` of them nearest the city in 高齢化率 (ties: the lower area code).

    ``data_year_lag``: each item's latest year on or before ``fiscal_year - data_year_lag``.
    """

    population_band: float
    similar_count: int
    exclude_home_prefecture: bool
    data_year_lag: int

    def check(self) -> str | None:
        if not 0 < self.population_band < 1:
            return f"population_band は0より大きく1より小さい割合です（実際: {self.population_band}）"
        if self.similar_count < 1:
            return f"similar_count は1以上です（実際: {self.similar_count}）"
        if not 0 <= self.data_year_lag <= 10:
            return f"data_year_lag は0以上10以下の年数です（実際: {self.data_year_lag}）"
        return None


#: The parameters block of this topic (``peers:`` in params/FY*.yaml).
PARAMS = PeersParams


# --- items and indicators -----------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One SSDSE-A item the section reads: its code and its label as the files print it (NFKC)."""

    code: str
    label: str
    fiscal: bool = False  # a fiscal-year figure (市町村財政): its year is written 令和4年度
    short: str = ""  # how the formulas name it, when not by its label

    @property
    def name(self) -> str:
        return self.short or self.label

    def when(self, year: int) -> str:
        return calendar.wareki_fy(year) if self.fiscal else calendar.wareki_year(year)


ITEMS: dict[str, Item] = {
    i.code: i
    for i in (
        Item("A1101", "総人口"),
        Item("A1301", "15歳未満人口"),
        Item("A1303", "65歳以上人口"),
        Item("A1419", "75歳以上人口"),
        Item("A4101", "出生数"),
        Item("A4200", "死亡数"),
        Item("A710101", "一般世帯数"),
        Item("A810102", "核家族世帯数"),
        Item("A810105", "単独世帯数"),
        Item("A8201", "夫65歳以上、妻60歳以上の夫婦のみの世帯数", short="高齢夫婦のみの世帯数"),
        Item("A8301", "65歳以上世帯員の単独世帯数"),
        Item("B1101", "総面積(北方地域及び竹島を除く)", short="総面積"),
        Item("I6100", "医師数"),
        Item("J250302", "保育所等数(基本票)", short="保育所等数"),
        Item("D3203", "歳出決算総額(市町村財政)", fiscal=True, short="歳出決算総額"),
        Item("D320303", "民生費(市町村財政)", fiscal=True, short="民生費"),
    )
}
POPULATION, AGED = "A1101", "A1303"


@dataclass(frozen=True)
class Indicator:
    """numerator / denominator × scale, printed with one decimal in ``unit``."""

    key: str
    name: str  # 高齢化率
    unit: str  # ％ / 人口千人当たり（人）…
    numerator: str  # item code
    denominator: str  # item code
    scale: float
    share: bool  # a share in ％ (differences in ポイント)

    @property
    def heading(self) -> str:
        """The row label / column head: 「高齢化率（％）」."""
        return f"{self.name}（{self.unit}）"

    def formula(self) -> str:
        num, den = ITEMS[self.numerator], ITEMS[self.denominator]
        scale = "" if self.scale == 1 else f"×{numbers.count(self.scale)}"
        return f"{num.name}（{num.code}）÷{den.name}（{den.code}）{scale}"


INDICATORS: tuple[Indicator, ...] = (
    Indicator("aging", "高齢化率", "％", "A1303", "A1101", 100, True),
    Indicator("late", "後期高齢者の割合", "％", "A1419", "A1101", 100, True),
    Indicator("young", "年少人口の割合", "％", "A1301", "A1101", 100, True),
    Indicator("single65", "65歳以上の単独世帯の割合", "％", "A8301", "A710101", 100, True),
    Indicator("couple65", "高齢夫婦のみの世帯の割合", "％", "A8201", "A710101", 100, True),
    Indicator("single", "単独世帯の割合", "％", "A810105", "A710101", 100, True),
    Indicator("nuclear", "核家族世帯の割合", "％", "A810102", "A710101", 100, True),
    Indicator("births", "出生率", "人口千人当たり", "A4101", "A1101", 1_000, False),
    Indicator("deaths", "死亡率", "人口千人当たり", "A4200", "A1101", 1_000, False),
    Indicator("density", "人口密度", "1ha当たり人", "A1101", "B1101", 1, False),
    Indicator("doctors", "医師数", "人口10万人当たり", "I6100", "A1101", 100_000, False),
    Indicator("nursery", "保育所等数", "15歳未満人口1万人当たり", "J250302", "A1301", 10_000, False),
    Indicator("welfare", "民生費の割合", "歳出決算総額に占める％", "D320303", "D3203", 100, True),
)
_BY_KEY = {i.key: i for i in INDICATORS}
#: The two indicators the figure and the 26市 list show.
KEY_INDICATORS = ("aging", "single65")
#: The columns of the nationwide table (besides 総人口).
NATIONWIDE_COLUMNS = ("aging", "late", "young", "single65", "couple65", "single", "density", "doctors")


def indicator(key: str) -> Indicator:
    return _BY_KEY[key]


# --- the section's data -------------------------------------------------------------------
@dataclass(frozen=True)
class PeersData:
    """The items (one year each), the indicators of every area, and the comparison groups."""

    params: Params
    settings: PeersParams
    available: bool  # False: no SSDSE-A file (every table and figure is one sentence)
    reason: str = ""  # why not available, when it is not for want of a file (「…が」)
    areas: pd.DataFrame = field(default_factory=pd.DataFrame)  # index area_code: prefecture, area_name, items
    values: pd.DataFrame = field(default_factory=pd.DataFrame)  # index area_code: one column per indicator key
    years: Mapping[str, int | None] = field(default_factory=dict)  # item code → year used (None: none)
    shibu: tuple[str, ...] = ()  # 東京都市部 cities in the file, code order
    shibu_missing: tuple[str, ...] = ()  # names of 東京都市部 cities not in the file
    similar: tuple[str, ...] = ()  # the nationwide similar cities, nearest 高齢化率 first
    candidates: int = 0  # cities within the population band (before taking the nearest)

    @property
    def city(self) -> str:
        return self.params.city.area_code

    @property
    def city_name(self) -> str:
        return self.params.city.name

    @property
    def cutoff(self) -> int:
        return self.params.fiscal_year - self.settings.data_year_lag

    def name(self, code: str) -> str:
        return str(self.areas.loc[code, "area_name"])


def _folder() -> str:
    return f"{raw_source(SOURCE).folder}/"


def _missing_items(codes: set[str]) -> list[InputProblem]:
    return [
        InputProblem(
            file=_folder(),
            message=f"この款で使う項目コード「{item.code}」（{item.label}）の列が、SSDSE-Aのどの版にもありません",
            row=1,
            column=item.code,
            expected=f"項目コードの行に {item.code}（{item.label}）",
            found="なし",
        )
        for item in ITEMS.values()
        if item.code not in codes
    ]


def _wrong_labels(frame: pd.DataFrame) -> list[InputProblem]:
    """An item code whose label is not the one the section expects (a code reused for another item)."""
    labels = frame.drop_duplicates("item_code").set_index("item_code")["item_name"]
    return [
        InputProblem(
            file=_folder(),
            message=f"項目コード「{code}」の項目名が、この款で使う項目と違います",
            row=3,
            column=code,
            expected=ITEMS[code].label,
            found=str(labels[code]),
        )
        for code in ITEMS
        if code in labels.index and str(labels[code]) != ITEMS[code].label
    ]


def _latest_years(frame: pd.DataFrame, cutoff: int) -> dict[str, int | None]:
    """Per item, the latest year on or before ``cutoff`` held by the file(s), None when none."""
    kept = frame[frame["year"] <= cutoff]
    latest = kept.groupby("item_code")["year"].max()
    return {code: (int(latest[code]) if code in latest.index else None) for code in ITEMS}


def _indicator_values(areas: pd.DataFrame) -> pd.DataFrame:
    """Every indicator of every area; NaN where a component is missing or the denominator is 0."""
    out = {}
    for ind in INDICATORS:
        num = areas[ind.numerator].astype("float64")
        den = areas[ind.denominator].astype("float64")
        out[ind.key] = (num / den.where(den > 0)) * ind.scale
    return pd.DataFrame(out, index=areas.index)


def is_city(name: str) -> bool:
    """A 市 (not a 特別区, 町 or 村), by the name as SSDSE-A writes it."""
    return name.endswith("市")


def similar_cities(areas: pd.DataFrame, values: pd.DataFrame, city: str,
                   settings: PeersParams) -> tuple[tuple[str, ...], int]:
    """The nationwide similar cities by the rule of :class:`PeersParams` (nearest 高齢化率 first)
    and the number of cities within the population band."""
    base_pop = float(areas.loc[city, POPULATION])
    base_rate = float(values.loc[city, "aging"])
    home = areas.loc[city, "prefecture"]
    pool = areas[[is_city(n) for n in areas["area_name"]]]
    pool = pool[pool.index != city]
    if settings.exclude_home_prefecture:
        pool = pool[pool["prefecture"] != home]
    pop = pool[POPULATION].astype("float64")
    rate = values.loc[pool.index, "aging"]
    band = pool[(abs(pop / base_pop - 1) <= settings.population_band + 1e-12) & rate.notna()]
    ranked = sorted(band.index, key=lambda c: (abs(float(values.loc[c, "aging"]) - base_rate), c))
    return tuple(ranked[: settings.similar_count]), len(band)


def prepare(params: Params, inputs: Mapping[str, pd.DataFrame]) -> PeersData:
    """The section's data: each item's latest year up to the cutoff, the indicators of every area
    and the comparison groups. An item code the section needs that no edition holds, an item code
    with another label, or no row for the city are errors naming the code/row."""
    settings = params.topic(PeersParams)
    frame = inputs[SOURCE]
    if frame.empty:
        return PeersData(params, settings, available=False)
    problems = _missing_items(set(frame["item_code"].unique()))
    frame = frame[frame["item_code"].isin(list(ITEMS))]
    problems += _wrong_labels(frame)
    city = params.city.area_code
    if city not in set(frame["area_code"]):
        problems.append(
            InputProblem(
                file=_folder(),
                message=f"{params.city.name}（地域コード R{city}）の行が、SSDSE-Aのどの版にもありません",
                column="地域コード",
                expected=f"R{city}（{params.city.name}）の行",
                found="なし",
            )
        )
    if problems:
        raise InputError(problems)
    cutoff = params.fiscal_year - settings.data_year_lag
    years = _latest_years(frame, cutoff)
    if years[POPULATION] is None or years[AGED] is None:
        return PeersData(params, settings, available=False,
                         reason=f"{calendar.wareki_year(cutoff)}以前の国勢調査の人口が")
    # one value per area, item and year (the source registry keeps the newest edition's; so does this)
    frame = frame.drop_duplicates(["area_code", "item_code", "year"], keep="last")
    chosen = pd.Series([years[c] or -1 for c in frame["item_code"]], index=frame.index)
    kept = frame[frame["year"] == chosen]
    names = frame.drop_duplicates("area_code", keep="last").set_index("area_code")[["prefecture", "area_name"]]
    wide = kept.pivot(index="area_code", columns="item_code", values="value")
    areas = names.join(wide.reindex(columns=list(ITEMS)).astype("Float64"), how="left").sort_index()
    values = _indicator_values(areas)
    shibu_all = reference.shibu_cities()
    shibu = tuple(a.code for a in shibu_all if a.code in areas.index)
    missing = tuple(a.name for a in shibu_all if a.code not in areas.index)
    similar: tuple[str, ...] = ()
    candidates = 0
    if pd.notna(values.loc[city, "aging"]):
        similar, candidates = similar_cities(areas, values, city, settings)
    return PeersData(params, settings, available=True, areas=areas, values=values, years=years, shibu=shibu,
                     shibu_missing=missing, similar=similar, candidates=candidates)


# --- shared wording -----------------------------------------------------------------------
def unavailable_text(data: PeersData, *, short: bool = False) -> str:
    """The sentence shown in place of the section's first table (``short``: under a later heading;
    the other tables, figures and commentary are then empty)."""
    if short:
        return "データがないため掲載していません。"
    what = data.reason or "統計センター「教育用標準データセット（SSDSE-A）」のデータが"
    return f"{what}ないため、{data.city_name}と類似自治体との比較は掲載していません。"


def _year_text(data: PeersData, code: str) -> str:
    year = data.years.get(code)
    return "…" if year is None else ITEMS[code].when(year)


def _when(data: PeersData, ind: Indicator) -> str:
    """The time of an indicator: 「令和2年」, or both when the two items differ
    (「令和5年（人口は令和2年）」)."""
    num, den = _year_text(data, ind.numerator), _year_text(data, ind.denominator)
    if num == den:
        return num
    return f"{num}（{ITEMS[ind.denominator].name}は{den}）"


def _census(data: PeersData) -> str:
    """The census year of the population items: 令和2年."""
    return _year_text(data, POPULATION)


def source(data: PeersData) -> str:
    census = _census(data)
    return citation(SOURCE, f"人口・世帯は{census}国勢調査（{census}10月1日現在）。"
                            "その他の項目の時点は「比較する指標の定義と時点」の表のとおり")


def _census_note(data: PeersData) -> str:
    return (f"人口・世帯の項目は{_census(data)}国勢調査の値（10月1日現在、常住地による）で、住民基本台帳による"
            "（1）（2）の人口・世帯とは時点と数え方が異なる。")


def _unavailable_indicators(data: PeersData) -> list[Indicator]:
    return [i for i in INDICATORS if data.years.get(i.numerator) is None or data.years.get(i.denominator) is None]


def _cutoff_note(data: PeersData) -> list[str]:
    gone = _unavailable_indicators(data)
    if not gone:
        return []
    return [f"{'・'.join(i.name for i in gone)}は、{calendar.wareki_year(data.cutoff)}（度）以前の値がないため"
            "「…」としている。"]


def _missing_component_note(data: PeersData, codes: tuple[str, ...] | list[str]) -> list[str]:
    """注 naming the areas and indicators that could not be computed (a missing component)."""
    gone = {i.key for i in _unavailable_indicators(data)}
    lines = []
    for ind in INDICATORS:
        if ind.key in gone:
            continue
        na = [c for c in codes if pd.isna(data.values.loc[c, ind.key])]
        if na:
            parts = "・".join(data.name(c) for c in na)
            lines.append(f"{parts}の{ind.name}は、計算に使う項目が秘匿・欠測（「x」「…」など）のため算出できず、"
                         "「…」とし、順位・平均・中央値から除いている。")
    return lines


def _shibu_missing_note(data: PeersData) -> list[str]:
    if not data.shibu_missing:
        return []
    return [f"SSDSE-Aのデータに{'・'.join(data.shibu_missing)}がないため、東京都市部の{len(data.shibu)}市で比べている。"]


def rule_text(data: PeersData) -> str:
    """The rule that chose the nationwide similar cities, as the 注 states it."""
    st = data.settings
    band = numbers.dec(st.population_band * 100, 0)
    home = data.areas.loc[data.city, "prefecture"] if data.available else ""
    where = f"{home}以外の" if st.exclude_home_prefecture else ""
    return (f"全国の類似市は、{where}全国の市（特別区・町村を除く）のうち、総人口が{data.city_name}の±{band}％以内の市から、"
            f"高齢化率が{data.city_name}に近い順に{st.similar_count}市を選んでいる（人口・高齢化率は{_census(data)}国勢調査）。")


# --- 1 指標の定義 ---------------------------------------------------------------------------
def definition_table(data: PeersData) -> AppendixTable | str:
    """The indicators: what each measures, its formula from SSDSE-A items, and its time."""
    if not data.available:
        return unavailable_text(data)
    frame = pd.DataFrame(
        {
            "指標": [i.heading for i in INDICATORS],
            "計算式（SSDSE-Aの項目と項目コード）": [i.formula() for i in INDICATORS],
            "時点": [_when(data, i) for i in INDICATORS],
        }
    )
    return AppendixTable(
        title="比較する指標の定義と時点",
        frame=frame,
        source=source(data),
        notes=[
            _census_note(data),
            "割合の分母の世帯は一般世帯（施設等の世帯を除く）。高齢夫婦のみの世帯は夫65歳以上・妻60歳以上の夫婦のみの世帯。"
            "人口千人当たりなどの分母の人口は国勢調査の人口。",
            f"各項目は、{calendar.wareki_year(data.cutoff)}（度）以前で最新の値を使っている。",
            *_cutoff_note(data),
        ],
        formats={c: "text" for c in frame.columns},
    )


# --- positions within a group --------------------------------------------------------------
@dataclass(frozen=True)
class Position:
    """The city's place among a group on one indicator (the city itself counted in the group)."""

    indicator: Indicator
    value: float  # NaN when missing
    mean: float
    median: float
    rank: int | None  # 1 = highest; None when the city's value is missing
    n: int  # areas with a value (ranked)
    top: str | None  # the area with the highest value
    bottom: str | None

    @property
    def diff(self) -> Decimal | None:
        """The city's value minus the median, as printed (one decimal each)."""
        if pd.isna(self.value) or pd.isna(self.median):
            return None
        return numbers.diff_of_shown(self.value, self.median, 1)


def ranks(data: PeersData, codes: tuple[str, ...] | list[str], key: str) -> pd.Series:
    """Rank of each area with a value (1 = highest, ties share the better rank), from unrounded values."""
    v = data.values.loc[list(codes), key].dropna()
    return v.rank(ascending=False, method="min").astype("int64")


def position(data: PeersData, codes: tuple[str, ...] | list[str], key: str) -> Position:
    ind = indicator(key)
    v = data.values.loc[list(codes), key].dropna()
    r = ranks(data, codes, key)
    value = float(data.values.loc[data.city, key])
    return Position(
        indicator=ind,
        value=value,
        mean=float(v.mean()) if len(v) else float("nan"),
        median=float(v.median()) if len(v) else float("nan"),
        rank=int(r[data.city]) if data.city in r.index else None,
        n=len(v),
        top=str(v.idxmax()) if len(v) else None,
        bottom=str(v.idxmin()) if len(v) else None,
    )


def _position_frame(data: PeersData, codes: tuple[str, ...] | list[str], group: str) -> pd.DataFrame:
    rows = [position(data, codes, i.key) for i in INDICATORS]
    return pd.DataFrame(
        {
            "指標": [p.indicator.heading for p in rows],
            data.city_name: [p.value for p in rows],
            f"{group}の平均": [p.mean for p in rows],
            f"{group}の中央値": [p.median for p in rows],
            "中央値との差": [None if p.diff is None else float(p.diff) for p in rows],
            "順位（高い方から）": pd.array([p.rank for p in rows], dtype="Int64"),
            "市数": pd.array([p.n for p in rows], dtype="Int64"),
        }
    )


def _position_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: ("text" if c == "指標" else "int" if c in ("順位（高い方から）", "市数") else "dec1") for c in frame.columns}


def _position_notes(data: PeersData, group_text: str) -> list[str]:
    return [
        f"順位は{group_text}（{data.city_name}を含む）の中での値の高い順で、四捨五入する前の値による。"
        "市数は値のある市の数。平均は各市の値の単純平均。",
        "中央値との差は、表に示した値どうしの差（割合の指標はポイント）。",
    ]


# --- 2 東京都市部（26市）の中での位置 ------------------------------------------------------------
def shibu_label(data: PeersData) -> str:
    return f"東京都市部（{len(data.shibu)}市）"


def shibu_position_table(data: PeersData) -> AppendixTable | str:
    """The city against the 東京都市部 cities: value, mean, median, difference from the median, rank."""
    if not data.available:
        return unavailable_text(data, short=True)
    frame = _position_frame(data, data.shibu, "26市" if len(data.shibu) == 26 else f"{len(data.shibu)}市")
    return AppendixTable(
        title=f"{shibu_label(data)}の中での{data.city_name}の位置",
        frame=frame,
        unit="単位：指標欄に記載、位、市",
        source=source(data),
        notes=[
            *_position_notes(data, "東京都市部の市"),
            "高齢化率の順位は国勢調査によるもので、住民基本台帳による（2）の順位とは時点と資料が異なる。",
            *_shibu_missing_note(data),
            *_missing_component_note(data, data.shibu),
            *_cutoff_note(data),
        ],
        formats=_position_formats(frame),
        marks=mark_missing(frame),
    )


def shibu_list_table(data: PeersData) -> AppendixTable | str:
    """The 東京都市部 cities on the two key indicators, ordered by 65歳以上の単独世帯の割合 (highest first)."""
    if not data.available:
        return ""
    a, s = (indicator(k) for k in KEY_INDICATORS)
    ra, rs = ranks(data, data.shibu, a.key), ranks(data, data.shibu, s.key)
    order = sorted(data.shibu, key=lambda c: (rs.get(c, 10_000), c))
    frame = pd.DataFrame(
        {
            "市": [data.name(c) for c in order],
            "総人口": pd.array([data.areas.loc[c, POPULATION] for c in order], dtype="Int64"),
            a.name: [data.values.loc[c, a.key] for c in order],
            f"{a.name}の順位": pd.array([ra.get(c) for c in order], dtype="Int64"),
            s.name: [data.values.loc[c, s.key] for c in order],
            f"{s.name}の順位": pd.array([rs.get(c) for c in order], dtype="Int64"),
        }
    )
    return AppendixTable(
        title=f"{shibu_label(data)}の高齢化率と65歳以上の単独世帯の割合",
        frame=frame,
        unit="単位：人、％、位",
        source=source(data),
        notes=[
            f"{s.name}の高い順。{s.name}は一般世帯に占める65歳以上の世帯員の単独世帯の割合。"
            f"順位は四捨五入する前の値による。{data.city_name}の行を強調している。",
            *_shibu_missing_note(data),
            *_missing_component_note(data, data.shibu),
        ],
        formats={"市": "text", "総人口": "int", a.name: "dec1", f"{a.name}の順位": "int", s.name: "dec1",
                 f"{s.name}の順位": "int"},
        highlight_rows=[order.index(data.city)] if data.city in order else [],
        marks=mark_missing(frame),
    )


def shibu_figure(data: PeersData) -> AppendixFigure | str:
    """Dot plots of the 東京都市部 cities (highest at the top) on 高齢化率 and 65歳以上の単独世帯の割合,
    the city's dot emphasised, the median dashed."""
    if not data.available:
        return ""
    fig = new_figure(8.0, max(5.0, 0.24 * len(data.shibu) + 1.6))
    axes = fig.subplots(1, 2)
    alt_parts = []
    for ax, key in zip(axes, KEY_INDICATORS, strict=True):
        ind = indicator(key)
        v = data.values.loc[list(data.shibu), key].dropna()
        r = ranks(data, data.shibu, key)
        order = sorted(v.index, key=lambda c: (r[c], c))
        y = np.arange(len(order))[::-1]
        vals = [float(v[c]) for c in order]
        colors = [PALETTE[3] if c == data.city else "#8a8a8a" for c in order]
        sizes = [60 if c == data.city else 28 for c in order]
        ax.hlines(y, min(vals) * 0.97, vals, color="#e3e3e3", linewidth=0.8)
        ax.scatter(vals, y, c=colors, s=sizes, zorder=3)
        ax.set_yticks(y, [data.name(c) for c in order])
        for lab, c in zip(ax.get_yticklabels(), order, strict=True):
            if c == data.city:
                lab.set_color(PALETTE[3])
        median = float(v.median())
        ax.axvline(median, color="#222222", linestyle="--", linewidth=1)
        ax.text(median, y[0] + 0.7, f" 中央値 {numbers.dec(median)}％", fontsize=8.5, va="bottom")
        if data.city in v.index:
            cv = float(v[data.city])
            ax.text(cv, y[order.index(data.city)], f"  {numbers.dec(cv)}％（{int(r[data.city])}位）",
                    va="center", fontsize=9, color=PALETTE[3])
            alt_parts.append(f"{ind.name}は{data.city_name}が{numbers.dec(cv)}％で{int(r[data.city])}位、"
                             f"中央値は{numbers.dec(median)}％")
        ax.set_ylim(-0.7, len(order) + 0.6)
        lo, hi = min(vals), max(vals)
        ax.set_xlim(lo - (hi - lo) * 0.08, hi + (hi - lo) * 0.35)
        ax.set_xlabel(f"{ind.name}（％）")
        ax.grid(axis="x", color="#dddddd")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", labelsize=8.5)
    return AppendixFigure(
        title=f"{shibu_label(data)}の高齢化率と65歳以上の単独世帯の割合",
        figure=fig,
        alt=(f"{shibu_label(data)}の各市を、左は高齢化率、右は65歳以上の単独世帯の割合の高い順に上から並べた点グラフ。"
             f"強調した点が{data.city_name}、破線は各指標の{len(data.shibu)}市の中央値。" + "。".join(alt_parts) + "。"),
        source=source(data),
        notes=[*_shibu_missing_note(data), *_missing_component_note(data, data.shibu)],
    )


def overview_figure(data: PeersData) -> AppendixFigure | str:
    """Every indicator on one chart: each row spans the 東京都市部 cities' lowest to highest value,
    the other cities as grey dots, the median as a tick, the city as an emphasised dot with its value
    and rank."""
    if not data.available:
        return ""
    rows = [i for i in INDICATORS if data.values.loc[list(data.shibu), i.key].notna().any()]
    fig = new_figure(8.0, 0.42 * len(rows) + 1.3)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    for yy, ind in zip(y, rows, strict=True):
        v = data.values.loc[list(data.shibu), ind.key].dropna()
        lo, hi = float(v.min()), float(v.max())
        span = hi - lo if hi > lo else 1.0
        pos = (v - lo) / span
        ax.hlines(yy, 0, 1, color="#e3e3e3", linewidth=5, zorder=1)
        others = pos.drop(index=[data.city], errors="ignore")
        ax.scatter(others, [yy] * len(others), s=14, color="#8a8a8a", zorder=2)
        med = (float(v.median()) - lo) / span
        ax.plot([med, med], [yy - 0.28, yy + 0.28], color="#222222", linewidth=1.4, zorder=3)
        if data.city in pos.index:
            p = position(data, data.shibu, ind.key)
            ax.scatter([pos[data.city]], [yy], s=60, color=PALETTE[3], zorder=4)
            ax.text(1.03, yy, f"{numbers.dec(p.value)}（{p.rank}位）", va="center", fontsize=8.5, color=PALETTE[3])
        else:
            ax.text(1.03, yy, "－", va="center", fontsize=8.5)
    ax.set_yticks(y, [i.heading for i in rows])
    ax.set_xlim(-0.03, 1.28)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xticks([0, 1], [f"{len(data.shibu)}市の最小", f"{len(data.shibu)}市の最大"])
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=8.5)
    return AppendixFigure(
        title=f"{shibu_label(data)}の中での{data.city_name}の位置（指標別）",
        figure=fig,
        alt=(f"指標ごとに、{shibu_label(data)}の最小から最大までを同じ長さの横線で表し、各市を灰色の点、中央値を縦の短い線、"
             f"{data.city_name}を強調した点で示した図。右端の数字は{data.city_name}の値と順位（高い方から）。"
             "値と順位は表の数値と同じ。"),
        source=source(data),
        notes=["横軸は指標ごとに東京都市部の市の最小値を左端、最大値を右端とした位置。",
               *_shibu_missing_note(data)],
    )


def _standouts(data: PeersData, codes: tuple[str, ...] | list[str], depth: int = 3) -> tuple[list[Position], list[Position]]:
    """Indicators where the city is among the ``depth`` highest / lowest of the group."""
    high, low = [], []
    for ind in INDICATORS:
        p = position(data, codes, ind.key)
        if p.rank is None or p.n < 2 * depth:
            continue
        if p.rank <= depth:
            high.append(p)
        elif p.rank > p.n - depth:
            low.append(p)
    return high, low


def _against_median(p: Position) -> str:
    """「中央値（25.6％）を2.0ポイント下回っています」 — numbers as printed in the position table."""
    unit = "％" if p.indicator.share else ""
    diff = p.diff
    med = f"中央値（{numbers.dec(p.median)}{unit}）"
    if diff is None:
        return ""
    if diff == 0:
        return f"{med}と同じです"
    size = numbers.points(diff) if p.indicator.share else numbers.dec(abs(diff))
    return f"{med}を{size}{'上回って' if diff > 0 else '下回って'}います"


def _value(p: Position) -> str:
    return f"{numbers.dec(p.value)}{'％' if p.indicator.share else ''}"


def shibu_text(data: PeersData) -> str:
    """Two paragraphs: the city's place on the two key indicators, then the indicators where it
    stands among the three highest or lowest of the 東京都市部 cities."""
    if not data.available:
        return ""
    group = "26市" if len(data.shibu) == 26 else f"{len(data.shibu)}市"
    first = []
    for n, key in enumerate(KEY_INDICATORS):
        p = position(data, data.shibu, key)
        if p.rank is None:
            first.append(f"{data.city_name}の{p.indicator.name}は算出できません（表の注）。")
            continue
        lead = f"{shibu_label(data)}の中で、{data.city_name}の" if n == 0 else ""
        first.append(f"{lead}{p.indicator.name}は{_value(p)}で、高い方から{p.rank}位です。{_against_median(p)}。")
        if p.top is not None and p.top != data.city:
            first.append(f"最も高いのは{data.name(p.top)}（{numbers.dec(data.values.loc[p.top, key])}％）です。")
    high, low = _standouts(data, data.shibu)
    second = []
    if high:
        second.append(f"ほかの指標も含めて、{group}の中で順位が特に高いのは"
                      + "、".join(f"{p.indicator.name}（{p.rank}位）" for p in high) + "です。")
    if low:
        second.append("反対に、順位が特に低いのは"
                      + "、".join(f"{p.indicator.name}（{p.rank}位）" for p in low) + "です。")
    if not high and not low:
        second.append(f"どの指標も、{group}の中で順位が特に高い・低いというほどではありません。")
    return "".join(first) + "\n\n" + "".join(second)


# --- 3 全国の類似市との比較 ---------------------------------------------------------------------
def similar_label(data: PeersData) -> str:
    return "全国の類似市"


def similar_table(data: PeersData) -> AppendixTable | str:
    """The city and the nationwide similar cities, highest 高齢化率 first, the city's row emphasised."""
    if not data.available:
        return unavailable_text(data, short=True)
    if not data.similar:
        return (f"{rule_text(data)}この条件に合う市がないため、全国の類似市との比較は掲載していません。")
    group = [data.city, *data.similar]
    order = sorted(group, key=lambda c: (-float(data.values.loc[c, "aging"]), c))
    cols = {
        "都道府県": [str(data.areas.loc[c, "prefecture"]) for c in order],
        "市": [data.name(c) for c in order],
        "総人口": pd.array([data.areas.loc[c, POPULATION] for c in order], dtype="Int64"),
    }
    formats = {"都道府県": "text", "市": "text", "総人口": "int"}
    for key in NATIONWIDE_COLUMNS:
        ind = indicator(key)
        head = ind.name if ind.unit == "％" else ind.heading
        cols[head] = [data.values.loc[c, key] for c in order]
        formats[head] = "dec1"
    frame = pd.DataFrame(cols)
    return AppendixTable(
        title=f"{data.city_name}と{similar_label(data)}の比較",
        frame=frame,
        unit="単位：人、％（人口密度・医師数は列見出しのとおり）",
        source=source(data),
        notes=[
            rule_text(data) + f"条件に合う市は{data.candidates}市。",
            f"高齢化率の高い順。{data.city_name}の行を強調している。ほかの指標の比較は次の表。",
            *_missing_component_note(data, group),
        ],
        formats=formats,
        highlight_rows=[order.index(data.city)],
        marks=mark_missing(frame),
    )


def similar_position_table(data: PeersData) -> AppendixTable | str:
    if not data.available:
        return ""
    if not data.similar:
        return "全国の類似市がないため、類似市の中での位置は掲載していません。"
    group = [data.city, *data.similar]
    frame = _position_frame(data, group, "類似市")
    return AppendixTable(
        title=f"{similar_label(data)}の中での{data.city_name}の位置",
        frame=frame,
        unit="単位：指標欄に記載、位、市",
        source=source(data),
        notes=[
            *_position_notes(data, f"{data.city_name}と全国の類似市"),
            rule_text(data),
            *_missing_component_note(data, group),
            *_cutoff_note(data),
        ],
        formats=_position_formats(frame),
        marks=mark_missing(frame),
    )


def similar_text(data: PeersData) -> str:
    if not data.available:
        return ""
    if not data.similar:
        return "全国の類似市の条件に合う市がありません。"
    group = [data.city, *data.similar]
    parts = []
    p = position(data, group, "single65")
    if p.rank is not None:
        parts.append(f"人口規模と高齢化率が近い全国の市と比べると、{data.city_name}の{p.indicator.name}は"
                     f"{p.n}市中{p.rank}位で、{_against_median(p)}。")
    high, low = _standouts(data, group, depth=2)
    if high:
        parts.append("類似市の中で順位が特に高いのは" + "、".join(f"{q.indicator.name}（{q.rank}位）" for q in high) + "です。")
    if low:
        parts.append("順位が特に低いのは" + "、".join(f"{q.indicator.name}（{q.rank}位）" for q in low) + "です。")
    shibu_high, _ = _standouts(data, data.shibu)
    both = [q.indicator.name for q in high if q.indicator.key in {s.indicator.key for s in shibu_high}]
    if both:
        return "".join(parts) + (f"\n\n{'・'.join(both)}は、東京都市部の中でも全国の類似市の中でも高い方にあり、"
                                 f"{data.city_name}の特徴といえます。")
    return "".join(parts)


__all__ = [
    "INDICATORS",
    "ITEMS",
    "PARAMS",
    "Indicator",
    "Item",
    "PeersData",
    "PeersParams",
    "Position",
    "definition_table",
    "indicator",
    "is_city",
    "overview_figure",
    "position",
    "prepare",
    "ranks",
    "rule_text",
    "shibu_figure",
    "shibu_list_table",
    "shibu_position_table",
    "shibu_text",
    "similar_cities",
    "similar_position_table",
    "similar_table",
    "similar_text",
]
