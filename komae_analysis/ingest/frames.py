"""What every tidy frame shares: the column builders of the pandera schemas, one way to build a
typed frame from a schema, the empty frame of a schema, and the last-gate validation.

Each reader module (one per publisher layout, listed in :data:`komae_analysis.ingest.registry.SOURCES`)
holds its own schema beside its reader, built with the helpers here.

Every reader checks its input in detail and explains problems in terms of the raw file; the
schemas are the last gate on what leaves a reader: column names and order, dtypes, allowed values,
non-negative counts, unique keys. A failure there means a reader let something through, so it is
reported as an InputError on the file (never a bare traceback) with pandera's description.

Dtypes: text columns are pandas' default string dtype (``str``, a StringDtype), ``date`` is
``datetime64[ns]`` normalised to midnight without time zone, counts that are always present are
``int64``, counts that may be missing are nullable ``Int64``, SSDSE values are nullable ``Float64``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from komae_analysis.errors import InputError, InputProblem, display_name
from komae_analysis.reference import daily_life_areas

if TYPE_CHECKING:
    import pandera.pandas as pa

# pandera is imported where a schema is built or used (≈0.2 s): a notebook whose processed data is
# current imports the source registry (for 出典 lines) without reading any raw file, so it never needs it.

DATE_DTYPE = "datetime64[ns]"
STRING_DTYPE = pd.StringDtype(na_value=np.nan)  # pandas 3's default text dtype ("str")

SEXES = ("男", "女")
NATIONALITIES = ("日本人", "外国人")
#: Komae's 日常生活圏域 (their short keys, as the ``area`` column of the register frames holds them).
AREAS = tuple(a.key for a in daily_life_areas())

# ------------------------------------------------------------------------- column builders


def _is_string(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype)


def text_column(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """A text column: must really be a StringDtype (pandera alone would accept ``object``)."""
    import pandera.pandas as pa

    return pa.Column(
        STRING_DTYPE,
        checks=[
            pa.Check(_is_string, element_wise=False, error="文字列型（StringDtype）ではありません"),
            *checks,
        ],
        nullable=nullable,
        coerce=False,
    )


def date_column() -> pa.Column:
    """The reference date: ``datetime64[ns]`` at midnight, never missing."""
    import pandera.pandas as pa

    return pa.Column(
        DATE_DTYPE,
        checks=pa.Check(lambda s: (s == s.dt.normalize()).all(), element_wise=False, error="時刻を含む日付"),
        nullable=False,
    )


def count_column(dtype: str = "int64", *, nullable: bool = False) -> pa.Column:
    """A count of people or households: ≥ 0 (``Int64`` where it may be missing)."""
    import pandera.pandas as pa

    return pa.Column(dtype, checks=pa.Check.ge(0), nullable=nullable)


def age_order(df: pd.DataFrame) -> pd.Series:
    """age_to ≥ age_from where both are present; an NA age_from (不詳) has an NA age_to."""
    both = df["age_from"].notna() & df["age_to"].notna()
    ok = ~both | (df["age_to"] >= df["age_from"])
    ok &= ~(df["age_from"].isna() & df["age_to"].notna())
    return ok.fillna(False).astype(bool)


# ---------------------------------------------------------------------------- typed frames

_COLUMN_TYPES = (list, tuple, range, np.ndarray, pd.Series, pd.api.extensions.ExtensionArray)


def _dtype(column: pa.Column) -> Any:
    return column.dtype.type


def typed_frame(schema: pa.DataFrameSchema, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A DataFrame with exactly the schema's columns, in its order, each with the schema's dtype.

    ``columns`` maps every column name of the schema to its values: a list (or tuple, array,
    Series) with one value per row, or a single value repeated on every row (typically the
    reference date of the file). ``None`` is the missing value of a nullable column. Dates may be
    given as ``datetime.date``; they become ``datetime64[ns]`` at midnight.

    Raises ValueError when a column is missing, unknown, or of another length than the others
    (a reader bug, not a problem of the input file). The frame is not validated: pass it to
    :func:`validate_frame`.
    """
    names = list(schema.columns)
    missing = [n for n in names if n not in columns]
    unknown = [n for n in columns if n not in schema.columns]
    if missing or unknown:
        raise ValueError(f"typed_frame({schema.name}): missing columns {missing}, unknown columns {unknown}")
    lengths = {len(v) for v in columns.values() if isinstance(v, _COLUMN_TYPES)}
    if len(lengths) > 1:
        raise ValueError(f"typed_frame({schema.name}): columns of different lengths {sorted(lengths)}")
    n = lengths.pop() if lengths else 1
    data: dict[str, pd.Series] = {}
    for name in names:
        values = columns[name]
        dtype = _dtype(schema.columns[name])
        if not isinstance(values, _COLUMN_TYPES):
            if str(dtype) == DATE_DTYPE:
                stamp = pd.NaT if values is None else pd.Timestamp(values).normalize()
                data[name] = pd.Series([stamp] * n, dtype=DATE_DTYPE)
                continue
            values = [values] * n
        if str(dtype) == DATE_DTYPE:
            data[name] = pd.Series(pd.to_datetime(list(values)), dtype=DATE_DTYPE).dt.normalize()
        elif isinstance(values, pd.api.extensions.ExtensionArray | np.ndarray | pd.Series):
            data[name] = pd.Series(pd.array(values, dtype=dtype)).reset_index(drop=True)
        else:
            data[name] = pd.Series(list(values), dtype=dtype)
    return pd.DataFrame(data, columns=names)


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A frame with no rows and the schema's columns and dtypes."""
    return typed_frame(schema, {name: [] for name in schema.columns})


class LazySchema:
    """A reader's pandera schema, built the first time it is used (building it imports pandera).

    Stands in for the schema everywhere (``schema.columns``, ``schema.validate(...)``, ``schema.name``)."""

    def __init__(self, build: Callable[[], pa.DataFrameSchema]) -> None:
        self._build = build
        self._schema: pa.DataFrameSchema | None = None

    def get(self) -> pa.DataFrameSchema:
        if self._schema is None:
            self._schema = self._build()
        return self._schema

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)


# ------------------------------------------------------------------------------ validation


def validate_frame(schema: pa.DataFrameSchema, frame: pd.DataFrame, file: str | Path) -> pd.DataFrame:
    """Validate a reader's output; a failure becomes an InputError on ``file`` (all failures listed)."""
    from pandera.errors import SchemaError, SchemaErrors

    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as e:
        cases = e.failure_cases
        problems = []
        for (col, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            sample = ", ".join(str(v) for v in group["failure_case"].head(5).tolist())
            problems.append(
                InputProblem(
                    file=display_name(file),
                    message=f"読み取った表が所定の形式（{schema.name}）に合いません: 列 {col} の検査 {check}",
                    found=sample,
                )
            )
        raise InputError(problems[:50]) from None
    except SchemaError as e:  # pragma: no cover - lazy=True reports SchemaErrors
        raise InputError.single(
            file, f"読み取った表が所定の形式（{schema.name}）に合いません", found=str(e)
        ) from None


__all__ = [
    "AREAS",
    "LazySchema",
    "DATE_DTYPE",
    "NATIONALITIES",
    "SEXES",
    "STRING_DTYPE",
    "age_order",
    "count_column",
    "date_column",
    "empty_frame",
    "text_column",
    "typed_frame",
    "validate_frame",
]
