"""Typed, frozen run parameters: one YAML file per fiscal year is the single source of truth.

``load_params(2026)`` reads ``params/FY2026.yaml``; ``load_params(path=...)`` reads any file.
Unknown or missing keys are errors (a typo must not silently fall back to a default). Derived
values (terms, years, labels) are properties computed from the stored values.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from komae_analysis import calendar
from komae_analysis.errors import KomaeError
from komae_analysis.paths import PARAMS_DIR


@dataclass(frozen=True)
class City:
    name: str
    area_code: str


@dataclass(frozen=True)
class Terms:
    care_verified: int
    disability_verified: int
    child_disability_verified: int


@dataclass(frozen=True)
class PopulationParams:
    trend_years: int
    pyramid_compare_years: int
    tokyo_code: str
    shibu_code: str
    comparison_codes: tuple[str, ...]


@dataclass(frozen=True)
class Params:
    fiscal_year: int
    city: City
    terms: Terms
    population: PopulationParams
    source_file: str = ""

    # --- derived values -------------------------------------------------------------
    @property
    def fy_label(self) -> str:
        """令和8年度（2026年度）"""
        return calendar.wareki_fy(self.fiscal_year, western=True)

    @property
    def care_term(self) -> calendar.Term:
        """The care-insurance term verified this year (its successor is forecast)."""
        return calendar.term("care", self.terms.care_verified)

    @property
    def disability_term(self) -> calendar.Term:
        return calendar.term("disability", self.terms.disability_verified)

    @property
    def child_disability_term(self) -> calendar.Term:
        return calendar.term("child_disability", self.terms.child_disability_verified)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("source_file")
        data["population"]["comparison_codes"] = list(self.population.comparison_codes)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def _build(cls: type, data: Any, where: str, file: str) -> Any:
    if not isinstance(data, dict):
        raise KomaeError(f"パラメータファイル「{file}」の「{where}」は項目の一覧である必要があります")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source_file"}
    unknown = sorted(set(data) - set(fields))
    missing = sorted(set(fields) - set(data))
    if unknown:
        raise KomaeError(f"パラメータファイル「{file}」の「{where}」に不明な項目があります: {', '.join(unknown)}")
    if missing:
        raise KomaeError(f"パラメータファイル「{file}」の「{where}」に必要な項目がありません: {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        value = data[name]
        sub = {"city": City, "terms": Terms, "population": PopulationParams}.get(name)
        if sub is not None and f.type in (sub.__name__, sub):
            values[name] = _build(sub, value, f"{where}.{name}" if where else name, file)
            continue
        expected = str(f.type)
        if expected == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif expected == "str":
            ok = isinstance(value, str) and value != ""
        elif expected.startswith("tuple"):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            value = tuple(value) if ok else value
        else:  # pragma: no cover - a field type the loader does not know is a programming error
            raise TypeError(f"unsupported field type {expected} for {name}")
        if not ok:
            label = {"int": "整数", "str": "文字列"}.get(expected, "文字列の一覧")
            raise KomaeError(
                f"パラメータファイル「{file}」の「{where + '.' if where else ''}{name}」は{label}である必要があります"
                f"（実際: {value!r}）"
            )
        values[name] = value
    return cls(**values)


def _check(params: Params, file: str) -> None:
    fy = params.fiscal_year
    if not 2000 <= fy <= 2100:
        raise KomaeError(f"パラメータファイル「{file}」の fiscal_year が範囲外です: {fy}")
    for kind, number in (
        ("care", params.terms.care_verified),
        ("disability", params.terms.disability_verified),
        ("child_disability", params.terms.child_disability_verified),
    ):
        t = calendar.term(kind, number)
        if not t.first_fy <= fy <= t.last_fy + 1:
            raise KomaeError(
                f"パラメータファイル「{file}」: {t.name_ja}（{t.period_ja}）は"
                f"{calendar.wareki_fy(fy)}に検証する期ではありません"
            )
    codes = [params.city.area_code, *params.population.comparison_codes]
    for code in codes + [params.population.tokyo_code, params.population.shibu_code]:
        if not (len(code) == 5 and code.isdigit()):
            raise KomaeError(f"パラメータファイル「{file}」: 地域コードは5桁の数字です（実際: {code!r}）")
    if params.population.trend_years < 2 or params.population.pyramid_compare_years < 1:
        raise KomaeError(f"パラメータファイル「{file}」: trend_years は2以上、pyramid_compare_years は1以上です")


def params_path(fy: int) -> Path:
    return PARAMS_DIR / f"FY{fy}.yaml"


def available_years() -> list[int]:
    return sorted(int(p.stem[2:]) for p in PARAMS_DIR.glob("FY*.yaml"))


def load_params(fy: int | None = None, *, path: str | Path | None = None) -> Params:
    """Load the params of fiscal year ``fy`` (bundled file) or of the YAML file at ``path``."""
    if path is None:
        if fy is None:
            raise KomaeError("年度（--fy）またはパラメータファイル（--params）を指定してください")
        path = params_path(fy)
        if not path.exists():
            years = "、".join(str(y) for y in available_years())
            raise KomaeError(
                f"{fy}年度のパラメータファイルがありません（{path}）。用意されている年度: {years}。"
                "新しい年度は前年度のファイルを複製して作成してください"
            )
    path = Path(path)
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KomaeError(f"パラメータファイル「{path}」が見つかりません") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KomaeError(f"パラメータファイル「{path}」を読めません: {exc}") from None
    params = _build(Params, data, "", name)
    params = dataclasses.replace(params, source_file=str(path))
    _check(params, name)
    if fy is not None and params.fiscal_year != fy:
        raise KomaeError(f"パラメータファイル「{name}」の fiscal_year（{params.fiscal_year}）が指定の年度（{fy}）と違います")
    return params
