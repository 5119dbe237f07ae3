"""pandera schemas of the tidy frames the readers return (the contracts of ARCHITECTURE.md).

Every reader checks its input in detail and explains problems in terms of the raw file; these
schemas are the last gate on what leaves a reader: column names and order, dtypes, allowed values,
non-negative counts, unique keys. A failure here means a reader let something through, so it is
reported as an InputError on the file (never a bare traceback) with pandera's description.

Dtypes: text columns are pandas' default string dtype (``str``, a StringDtype), ``date`` is
``datetime64[ns]`` normalised to midnight without time zone, counts that are always present are
``int64``, counts that may be missing are nullable ``Int64``, SSDSE values are nullable ``Float64``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from komae_analysis.errors import InputError, InputProblem, display_name

DATE_DTYPE = "datetime64[ns]"
STRING_DTYPE = pd.StringDtype(na_value=np.nan)  # pandas 3's default text dtype ("str")

SEXES = ("男", "女")
NATIONALITIES = ("日本人", "外国人")
AREAS = ("あいとぴあ", "こまえ正吉苑", "こまえ苑")  # Komae's 日常生活圏域 (reference/komae_choume.csv)


def _is_string(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype)


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """A text column: must really be a StringDtype (pandera alone would accept ``object``)."""
    return pa.Column(
        STRING_DTYPE,
        checks=[
            pa.Check(_is_string, element_wise=False, error="文字列型（StringDtype）ではありません"),
            *checks,
        ],
        nullable=nullable,
        coerce=False,
    )


def _date() -> pa.Column:
    return pa.Column(
        DATE_DTYPE,
        checks=pa.Check(lambda s: (s == s.dt.normalize()).all(), element_wise=False, error="時刻を含む日付"),
        nullable=False,
    )


def _count(dtype: str = "int64", *, nullable: bool = False) -> pa.Column:
    return pa.Column(dtype, checks=pa.Check.ge(0), nullable=nullable)


def _age_order(df: pd.DataFrame) -> pd.Series:
    """age_to ≥ age_from where both are present; an NA age_from (不詳) has an NA age_to."""
    both = df["age_from"].notna() & df["age_to"].notna()
    ok = ~both | (df["age_to"] >= df["age_from"])
    ok &= ~(df["age_from"].isna() & df["age_to"].notna())
    return ok.fillna(False).astype(bool)


TOKYO_JUKI_AGE5 = pa.DataFrameSchema(
    {
        "date": _date(),
        "area_level": pa.Column("int64", checks=pa.Check.isin([0, 1, 2, 3, 4])),
        "area_code": _text(pa.Check.str_matches(r"^13\d{3}$")),
        "area_name": _text(pa.Check.str_length(min_value=1)),
        "age_from": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
        "age_to": pa.Column("Int64", checks=pa.Check.ge(0), nullable=True),
        "sex": _text(pa.Check.isin(SEXES)),
        "nationality": _text(pa.Check.isin(NATIONALITIES)),
        "population": _count(),
    },
    checks=[pa.Check(_age_order, error="age_to < age_from")],
    strict=True,
    ordered=True,
    unique=["date", "area_code", "age_from", "sex", "nationality"],
    name="tokyo_juki_age5",
)

SOUMU_JUKI_MUNICIPAL = pa.DataFrameSchema(
    {
        "date": _date(),
        "area_code": _text(pa.Check.str_matches(r"^\d{5}$")),
        "prefecture": _text(pa.Check.str_length(min_value=1)),
        "area_name": _text(pa.Check.str_length(min_value=1)),
        "male": _count("Int64", nullable=True),
        "female": _count("Int64", nullable=True),
        "total": _count("Int64", nullable=False),
        "households": _count("Int64", nullable=True),
    },
    strict=True,
    ordered=True,
    unique=["date", "area_code"],
    name="soumu_juki_municipal",
)

SSDSE_A = pa.DataFrameSchema(
    {
        "area_code": _text(pa.Check.str_matches(r"^\d{5}$")),
        "prefecture": _text(pa.Check.str_length(min_value=1)),
        "area_name": _text(pa.Check.str_length(min_value=1)),
        "item_code": _text(pa.Check.str_matches(r"^[A-Z]\d+$")),
        "item_name": _text(pa.Check.str_length(min_value=1)),
        "year": pa.Column("int64", checks=pa.Check.in_range(1900, 2100)),
        "value": pa.Column("Float64", nullable=True),
    },
    strict=True,
    ordered=True,
    unique=["area_code", "item_code"],
    name="ssdse_a",
)

CITY_REGISTER_POPULATION = pa.DataFrameSchema(
    {
        "date": _date(),
        "choume_code": _text(pa.Check.str_matches(r"^\d{4}$")),
        "town": _text(pa.Check.str_length(min_value=1)),
        "chome": pa.Column("int64", checks=pa.Check.ge(1)),
        "area": _text(pa.Check.isin(AREAS)),
        "age_from": pa.Column("Int64", checks=pa.Check.in_range(0, 100), nullable=False),
        "age_to": pa.Column("Int64", checks=pa.Check.in_range(0, 99), nullable=True),
        "sex": _text(pa.Check.isin(SEXES)),
        "population": _count(),
    },
    checks=[pa.Check(_age_order, error="age_to < age_from")],
    strict=True,
    ordered=True,
    unique=["date", "choume_code", "age_from", "sex"],
    name="city_register_population",
)

CITY_REGISTER_HOUSEHOLDS = pa.DataFrameSchema(
    {
        "date": _date(),
        "choume_code": _text(pa.Check.str_matches(r"^\d{4}$")),
        "town": _text(pa.Check.str_length(min_value=1)),
        "chome": pa.Column("int64", checks=pa.Check.ge(1)),
        "area": _text(pa.Check.isin(AREAS)),
        "households": _count(),
        "population": _count(),
    },
    strict=True,
    ordered=True,
    unique=["date", "choume_code"],
    name="city_register_households",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "tokyo_juki_age5": TOKYO_JUKI_AGE5,
    "soumu_juki_municipal": SOUMU_JUKI_MUNICIPAL,
    "ssdse_a": SSDSE_A,
    "city_register_population": CITY_REGISTER_POPULATION,
    "city_register_households": CITY_REGISTER_HOUSEHOLDS,
}


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A frame with no rows and the schema's columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in schema.columns.items()})


def validate_frame(schema: pa.DataFrameSchema, frame: pd.DataFrame, file: str | Path) -> pd.DataFrame:
    """Validate a reader's output; a failure becomes an InputError on ``file`` (all failures listed)."""
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
