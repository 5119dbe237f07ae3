"""Demo 東京都 時系列 第2表 (区市町村別男女別人口) and 第9表 (老年人口割合) CSVs of the 令和8年1月
release (``tokyo_juki_timeseries/jy26rv0200.csv``, ``jy26rv0906.csv``), in the layout
:mod:`komae_analysis.ingest.tokyo_timeseries` reads (data/raw/README.md): UTF-8 with BOM, CRLF, one
row per area of the demo 第7表, one column per year × item from 昭和60 (1985) to 令和8 (2026),
日本人/外国人 from 平成25, a blank row, then the footer (title with the release month, table name,
notes and a demo-data line).

INVENTED data, consistent with the demo population model: 2017–2026 are the model's own totals
(the demo 第7表 and, for 狛江市, the register: same numbers cell by cell, 65歳以上割合 computed from
them). 1985–2016 are invented paths calibrated on each area's real 1985 and 2016 totals and real
1985 65歳以上割合 (時系列 第2表・第9表 令和8年1月, listed below): 狛江市 rises from 70,744 to a plateau
around 73,000 in the 1990s, grows in the 2000s, levels off, and reaches 80,008 in 2016; the other
areas follow smooth curves between their anchors (区部 with the 1990s dip). Until 平成24 the series
counts Japanese residents only, as the real one does; from 平成25 foreign residents are included (an
invented path rising to the model's 2017 figure). 市部 is the sum of its 26 市 and 総数 the sum of
区部, 市部 and 町村部, cell by cell.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from komae_analysis.demo.io import csv_bytes, write_bytes_atomic
from komae_analysis.demo.population_model import (
    DEMO_DATES,
    KOMAE_CODE,
    SHIBU_CODE,
    TOKYO_CODE,
    DemoPopulation,
    simulate,
)
from komae_analysis.reference import shibu_cities

TIMESERIES_DIR = "tokyo_juki_timeseries"
POPULATION_FILE = "jy26rv0200.csv"
AGED_FILE = "jy26rv0906.csv"
FIRST_YEAR = 1985
FOREIGN_FROM = 2013
MODEL_FROM = DEMO_DATES[0].year  # 2017
LAST_YEAR = DEMO_DATES[-1].year  # 2026
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
TITLE = "住民基本台帳による東京都の世帯と人口　令和8年1月"
DEMO_FOOTER = "デモデータ：実在の統計ではありません"
LEVEL_LEGEND = "地域階層（0:総数　1:区部・市部・町村部　2:郡部・島部　3:大島支庁・三宅支庁・八丈支庁・小笠原支庁　4:区市町村）"
POPULATION_FOOTER = (
    TITLE,
    "時系列 第２表 区市町村別男女別人口（昭和60年～令和8年）",
    "注1) 法改正により平成24年７月から外国人が住民基本台帳法の適用対象となったため、平成25年以降の人口総数は、日本人と外国人の合計数である。",
    "注3) 各年１月１日現在",
    LEVEL_LEGEND,
    DEMO_FOOTER,
)
AGED_FOOTER = (
    TITLE,
    "第９表　区市町村別年齢３区分別人口及び構成比（昭和60年～令和8年）/各年１月１日現在/各区市町村別総人口に占める老年人口（65歳以上）の割合(％)",
    "注２）法改正により平成24年７月から外国人が住民基本台帳法の適用対象となったため、平成25年以降の人口総数は、日本人と外国人の合計数である。",
    "注３）小数点第３位を四捨五入しているので、男女の割合の計は必ずしも総数の割合に一致しない。",
    "注４）平成25年より参考として日本人人口総数に占める日本人の老年人口の割合を掲載した。",
    LEVEL_LEGEND,
    DEMO_FOOTER,
)

# Calibration anchors (real, 時系列 第2表 and 第9表, 令和8年1月): 昭和60 (1985) 人口 (Japanese
# residents only), 平成28 (2016) 人口総数 (with foreign residents), 昭和60 老年人口割合 (%).
ANCHORS: dict[str, tuple[int, int, float]] = {
    "13100": (8_223_199, 9_205_712, 9.46),  # 区部
    "13112": (783_724, 883_289, 9.38),  # 世田谷区
    "13201": (411_642, 562_795, 7.36),  # 八王子市
    "13202": (145_941, 179_796, 7.69),  # 立川市
    "13203": (135_223, 143_262, 9.56),  # 武蔵野市
    "13204": (161_409, 182_897, 8.47),  # 三鷹市
    "13205": (107_081, 136_750, 8.93),  # 青梅市
    "13206": (195_412, 256_748, 7.2),  # 府中市
    "13207": (96_160, 112_897, 7.36),  # 昭島市
    "13208": (184_253, 226_413, 6.9),  # 調布市
    "13209": (313_698, 426_937, 6.41),  # 町田市
    "13210": (101_193, 117_978, 8.11),  # 小金井市
    "13211": (153_118, 188_609, 7.0),  # 小平市
    "13212": (152_068, 182_765, 6.25),  # 日野市
    "13213": (121_188, 150_858, 8.34),  # 東村山市
    "13214": (93_168, 119_940, 7.54),  # 国分寺市
    "13215": (64_473, 74_971, 7.29),  # 国立市
    "13218": (51_457, 58_613, 6.18),  # 福生市
    "13219": (70_744, 80_008, 7.15),  # 狛江市
    "13220": (69_484, 86_101, 5.86),  # 東大和市
    "13221": (63_814, 74_403, 7.16),  # 清瀬市
    "13222": (109_919, 117_128, 5.27),  # 東久留米市
    "13223": (60_208, 72_243, 5.29),  # 武蔵村山市
    "13224": (115_386, 147_849, 4.67),  # 多摩市
    "13225": (49_722, 87_461, 5.34),  # 稲城市
    "13227": (45_953, 56_355, 5.06),  # 羽村市
    "13228": (66_517, 81_483, 9.03),  # あきる野市
    "13229": (160_314, 198_974, 7.6),  # 西東京市
    "13550": (89_612, 85_403, 11.94),  # 町村部
}
# 狛江市's invented path of Japanese residents (knots, linear between, with small noise): growth to
# 1988, a plateau through the 1990s, growth 1999–2006, level to 2012 (invented, plausible).
KOMAE_KNOTS = ((1985, 70_744), (1988, 73_150), (1993, 73_050), (1998, 72_700), (2003, 75_100),
               (2006, 76_250), (2012, 75_950))
# Foreign residents 2013–2016 relative to the next year (invented; the 2010s growth).
_FOREIGN_BACK = (0.94, 0.955, 0.94, 0.93)  # 2013/2014, 2014/2015, 2015/2016, 2016/2017
_SEXES = ("総数", "男", "女")

Cells = dict[str, np.ndarray]  # "total"/"japanese"/"foreign" → (years, 3) ints: 計, 男, 女


def _wareki(year: int, with_nen: bool) -> str:
    if year <= 1989:
        text = f"昭和{year - 1925}"
    elif year <= 2019:
        text = f"平成{year - 1988}"
    else:
        text = f"令和{year - 2018}"
    return text + ("年" if with_nen else "")


# ------------------------------------------------------------------------------------ the paths


def _model(pop: DemoPopulation, code: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The model's 2017–2026 (total, foreign, aged 65+) by sex, each (10, 2), and the Japanese aged."""
    t5 = pop.total_age5[code]
    f5 = pop.foreign_age5[code]
    return t5.sum(axis=1), f5.sum(axis=1), t5[:, 13:].sum(axis=1), (t5 - f5)[:, 13:].sum(axis=1)


def _japanese_path(code: str, start: float, end: float, rng: np.random.Generator) -> np.ndarray:
    """Japanese residents 1985–2016 from ``start`` to ``end`` (floats, 32 years)."""
    years = np.arange(FIRST_YEAR, MODEL_FROM)
    if code == KOMAE_CODE:
        xs, ys = zip(*KOMAE_KNOTS, (2016, end), strict=True)
        path = np.interp(years, xs, ys)
    else:
        t = (years - FIRST_YEAR) / (years[-1] - FIRST_YEAR)
        bend = rng.uniform(-0.5, 0.5)
        path = start + (end - start) * (t + bend * t * (1 - t))
        if code in ("13100", "13112"):  # the wards lost people in the 1990s (land prices), then grew back
            path -= 0.05 * start * np.exp(-(((years - 1996) / 5.0) ** 2))
    noise = np.cumsum(rng.normal(0.0, 0.0012, size=len(years)))
    noise -= np.linspace(noise[0], noise[-1], len(years))  # keep the anchors exact
    return path * (1 + noise)


def _area_cells(pop: DemoPopulation, code: str, rng: np.random.Generator) -> tuple[Cells, np.ndarray]:
    """Every year's (計, 男, 女) of total, Japanese and foreign residents, and the 65+ shares (%)
    of the total and the Japanese population (years, 2)."""
    total, foreign, aged, aged_jp = _model(pop, code)
    n = len(YEARS)
    k = MODEL_FROM - FIRST_YEAR  # index of 2017
    anchor85, anchor16, aged85 = ANCHORS[code]
    # foreign residents 2013–2016, backwards from the model's 2017
    f_tot = np.zeros(n)
    f_tot[k:] = foreign.sum(axis=1)
    for i, ratio in zip(range(k - 1, k - 5, -1), _FOREIGN_BACK[::-1], strict=True):
        f_tot[i] = round(f_tot[i + 1] * ratio)
    jp = np.zeros(n)
    jp[:k] = _japanese_path(code, anchor85, anchor16 - f_tot[k - 1], rng)
    jp[:k] = np.round(jp[:k])
    jp[0] = anchor85
    jp[k - 1] = anchor16 - f_tot[k - 1]
    jp[k:] = total.sum(axis=1) - f_tot[k:]
    # sex split of the invented years: the model's 2017 shares, a little more male in 1985
    m17 = total[0, 0] / total[0].sum()
    mf17 = foreign[0, 0] / max(foreign[0].sum(), 1)
    male_share = m17 + 0.008 * (MODEL_FROM - np.arange(FIRST_YEAR, LAST_YEAR + 1)) / (MODEL_FROM - FIRST_YEAR)
    cells = {key: np.zeros((n, 3), dtype=np.int64) for key in ("total", "japanese", "foreign")}
    for i in range(k):
        j_m = round(jp[i] * male_share[i])
        f_m = round(f_tot[i] * mf17)
        cells["japanese"][i] = (jp[i], j_m, jp[i] - j_m)
        cells["foreign"][i] = (f_tot[i], f_m, f_tot[i] - f_m)
    for i in range(k, n):
        f = foreign[i - k]
        t = total[i - k]
        cells["foreign"][i] = (f.sum(), f[0], f[1])
        cells["japanese"][i] = (t.sum() - f.sum(), t[0] - f[0], t[1] - f[1])
    cells["total"] = cells["japanese"] + cells["foreign"]
    # 65+ shares: the model's from 2017, an invented concave rise from the real 1985 share before
    shares = np.zeros((n, 2))
    shares[k:, 0] = 100 * aged.sum(axis=1) / total.sum(axis=1)
    shares[k:, 1] = 100 * aged_jp.sum(axis=1) / (total.sum(axis=1) - foreign.sum(axis=1))
    t = (np.arange(k) / k)
    shares[:k, 0] = aged85 + (shares[k, 0] - aged85) * (1 - (1 - t) ** 1.6) + rng.normal(0, 0.02, k) * t * (1 - t)
    shares[0, 0] = aged85
    gap = shares[k, 1] - shares[k, 0]
    shares[:k, 1] = np.where(np.arange(FIRST_YEAR, MODEL_FROM) >= FOREIGN_FROM, shares[:k, 0] + gap * 0.95, np.nan)
    return cells, shares


def timeseries(pop: DemoPopulation, seed: int) -> tuple[dict[str, Cells], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every demo area's cells and 65+ shares, plus the 65+ counts by sex behind the shares of the
    model years (for the aggregates). 市部 and 総数 are sums of their parts."""
    cells: dict[str, Cells] = {}
    shares: dict[str, np.ndarray] = {}
    for _level, code, _name in pop.areas:
        if code in (SHIBU_CODE, TOKYO_CODE):
            continue
        rng = np.random.default_rng([seed, 26, int(code)])
        cells[code], shares[code] = _area_cells(pop, code, rng)
    shibu = [a.code for a in shibu_cities()]
    for parent, parts in ((SHIBU_CODE, shibu), (TOKYO_CODE, ["13100", SHIBU_CODE, "13550"])):
        cells[parent] = {key: sum(cells[c][key] for c in parts) for key in ("total", "japanese", "foreign")}
        weights = np.stack([cells[c]["total"][:, 0] for c in parts]).astype(float)
        stacked = np.stack([shares[c] for c in parts])
        shares[parent] = np.einsum("cy,cyb->yb", weights, stacked) / weights.sum(axis=0)[:, None]
        k = MODEL_FROM - FIRST_YEAR
        total, foreign, aged, aged_jp = _model(pop, parent)
        shares[parent][k:, 0] = 100 * aged.sum(axis=1) / total.sum(axis=1)
        shares[parent][k:, 1] = 100 * aged_jp.sum(axis=1) / (total.sum(axis=1) - foreign.sum(axis=1))
    aged_by_sex = {code: _model(pop, code)[2] for code in cells}
    return cells, shares, aged_by_sex


# ------------------------------------------------------------------------------------ the files


def _pct(value: float) -> str:
    """Two decimals, half up, as the publisher writes them (trailing zeros dropped: 7.2, 4)."""
    d = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = format(d, "f").rstrip("0").rstrip(".")
    return text or "0"


def population_rows(pop: DemoPopulation, cells: dict[str, Cells]) -> list[list[str]]:
    header = ["地域", "地域コード", "地域"]
    for y in YEARS:
        if y < FOREIGN_FROM:
            header += [f"{_wareki(y, False)}／{s}(人)" for s in _SEXES]
        else:
            header += [f"{_wareki(y, False)}／{g}／{s}(人)" for g in ("人口総数", "日本人", "外国人") for s in _SEXES]
    rows = [header, []]
    for level, code, name in pop.areas:
        c = cells[code]
        row = [str(level), code, name]
        for i, y in enumerate(YEARS):
            groups = ("total",) if y < FOREIGN_FROM else ("total", "japanese", "foreign")
            row += ["-" if v == 0 else str(int(v)) for g in groups for v in c[g][i]]
        rows.append(row)
    width = len(header)
    rows.append([""] * width)
    rows += [[line] + [""] * (width - 1) for line in POPULATION_FOOTER]
    return rows


def aged_rows(pop: DemoPopulation, cells: dict[str, Cells], shares: dict[str, np.ndarray],
              aged_by_sex: dict[str, np.ndarray]) -> list[list[str]]:
    header = ["地域階層", "地域コード", "地域"]
    for y in YEARS:
        if y < FOREIGN_FROM:
            header += [f"{_wareki(y, True)}／{s}(%)" for s in _SEXES]
        else:
            header += [f"{_wareki(y, True)}／人口総計／{s}(%)" for s in _SEXES]
            header += [f"{_wareki(y, True)}／人口総計／人口総数のうち日本人（再掲）／{s}(%)" for s in _SEXES]
    rows = [header]
    k = MODEL_FROM - FIRST_YEAR
    for level, code, name in pop.areas:
        row = [str(level), code, name]
        for i, y in enumerate(YEARS):
            for base in ((0, 1) if y >= FOREIGN_FROM else (0,)):
                share = shares[code][i, base]
                if i >= k and base == 0:
                    # the model years: men and women as shares of the whole population (注3)
                    a = aged_by_sex[code][i - k]
                    whole = cells[code]["total"][i, 0]
                    male, female = 100 * a[0] / whole, 100 * a[1] / whole
                else:
                    male = 0.43 * share
                    female = share - float(_pct(male))
                row += [_pct(share), _pct(male), _pct(female)]
        rows.append(row)
    width = len(header)
    rows.append([""] * width)
    rows += [[line] + [""] * (width - 1) for line in AGED_FOOTER]
    return rows


def write(out_dir: Path, seed: int) -> list[Path]:
    """The demo files of this source (``komae demo-data`` calls every demo module's ``write``)."""
    pop = simulate(seed)
    cells, shares, aged_by_sex = timeseries(pop, seed)
    folder = Path(out_dir) / TIMESERIES_DIR
    return [
        write_bytes_atomic(folder / POPULATION_FILE,
                           csv_bytes(population_rows(pop, cells), encoding="utf-8-sig", newline="\r\n")),
        write_bytes_atomic(folder / AGED_FILE,
                           csv_bytes(aged_rows(pop, cells, shares, aged_by_sex), encoding="utf-8-sig", newline="\r\n")),
    ]
