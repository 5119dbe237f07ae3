"""Typed, frozen run parameters: one YAML file per fiscal year is the single source of truth.

``load_params(2026)`` reads ``params/FY2026.yaml``; ``load_params(path=...)`` reads any file.
Unknown or missing keys are errors (a typo must not silently fall back to a default). Derived
values (terms, years, labels) are properties computed from the stored values.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from komae_analysis import calendar
from komae_analysis.errors import KomaeError
from komae_analysis.paths import PARAMS_DIR

T = TypeVar("T")


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
class Params:
    fiscal_year: int
    city: City
    terms: Terms
    #: one block per analysis topic (YAML key → its typed, frozen parameters dataclass)
    topics: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    source_file: str = ""

    def topic(self, cls: type[T]) -> T:
        """The block of one topic, typed: ``params.topic(PopulationParams)``."""
        for block in self.topics.values():
            if isinstance(block, cls):
                return block
        raise KomaeError(f"パラメータに「{cls.__name__}」の項目がありません")

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
        def plain(value: Any) -> Any:
            if isinstance(value, tuple | list):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        data = {
            "fiscal_year": self.fiscal_year,
            "city": dataclasses.asdict(self.city),
            "terms": dataclasses.asdict(self.terms),
        }
        data.update({key: dataclasses.asdict(block) for key, block in self.topics.items()})
        return plain(data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


_TYPE_LABELS = {"int": "整数", "float": "数値", "str": "文字列", "bool": "true か false"}


def _convert(value: Any, kind: Any) -> tuple[bool, Any]:
    """Check ``value`` against a field type of a params dataclass; return (ok, converted value)."""
    if typing.get_origin(kind) is tuple:  # tuple[str, ...] / tuple[int, ...]: a YAML list
        item = typing.get_args(kind)[0]
        if not isinstance(value, list):
            return False, value
        checked = [_convert(v, item) for v in value]
        ok = all(c[0] for c in checked)
        return ok, tuple(c[1] for c in checked) if ok else value
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if kind is bool:
        return isinstance(value, bool), value
    if kind is str:
        return isinstance(value, str) and value != "", value
    raise TypeError(f"unsupported params field type {kind}")  # a programming error, not a user's


def build_block(cls: type, data: Any, where: str, file: str) -> Any:
    """One YAML block → an instance of the frozen dataclass ``cls``: every field required, no
    unknown key, each value of the field's type (nested dataclasses allowed)."""
    if not isinstance(data, dict):
        raise KomaeError(f"パラメータファイル「{file}」の「{where or '全体'}」は項目の一覧である必要があります")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name not in ("source_file", "topics")}
    unknown = sorted(set(data) - set(fields))
    missing = sorted(set(fields) - set(data))
    if unknown:
        raise KomaeError(f"パラメータファイル「{file}」の「{where or '全体'}」に不明な項目があります: {', '.join(unknown)}")
    if missing:
        raise KomaeError(f"パラメータファイル「{file}」の「{where or '全体'}」に必要な項目がありません: {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name in fields:
        kind = hints[name]
        here = f"{where}.{name}" if where else name
        if dataclasses.is_dataclass(kind):
            values[name] = build_block(kind, data[name], here, file)
            continue
        ok, value = _convert(data[name], kind)
        if not ok:
            label = _TYPE_LABELS.get(getattr(kind, "__name__", ""), "一覧") if typing.get_origin(kind) is not tuple \
                else f"{_TYPE_LABELS.get(typing.get_args(kind)[0].__name__, '')}の一覧"
            raise KomaeError(f"パラメータファイル「{file}」の「{here}」は{label}である必要があります（実際: {data[name]!r}）")
        values[name] = value
    block = cls(**values)
    check = getattr(block, "check", None)
    if check is not None:
        problem = check()
        if problem:
            raise KomaeError(f"パラメータファイル「{file}」の「{where}」: {problem}")
    return block


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
    code = params.city.area_code
    if not (len(code) == 5 and code.isdigit()):
        raise KomaeError(f"パラメータファイル「{file}」: 地域コードは5桁の数字です（実際: {code!r}）")


def params_path(fy: int) -> Path:
    return PARAMS_DIR / f"FY{fy}.yaml"


def available_years() -> list[int]:
    return sorted(int(p.stem[2:]) for p in PARAMS_DIR.glob("FY*.yaml"))


def load_params(
    fy: int | None = None, *, path: str | Path | None = None, topics: Mapping[str, type] | None = None
) -> Params:
    """Load the params of fiscal year ``fy`` (bundled file) or of the YAML file at ``path``.

    ``topics`` maps each topic's YAML block name to its parameters dataclass (the section registry's
    :func:`~komae_analysis.pipeline.registry.run_params` passes every registered topic); a block that
    is not a known topic is an error, like any unknown key."""
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
    topics = dict(topics or {})
    if not isinstance(data, dict):
        raise KomaeError(f"パラメータファイル「{name}」は項目の一覧である必要があります")
    core = {k: v for k, v in data.items() if k not in topics}
    params = build_block(Params, core, "", name)
    blocks = {}
    for key, cls in topics.items():
        if key not in data:
            raise KomaeError(f"パラメータファイル「{name}」に必要な項目がありません: {key}")
        blocks[key] = build_block(cls, data[key], key, name)
    params = dataclasses.replace(params, topics=blocks, source_file=str(path))
    _check(params, name)
    if fy is not None and params.fiscal_year != fy:
        raise KomaeError(f"パラメータファイル「{name}」の fiscal_year（{params.fiscal_year}）が指定の年度（{fy}）と違います")
    return params
