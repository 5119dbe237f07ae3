"""typed_frame / empty_frame / validate_frame: frames built from a schema's dtypes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
import pytest

from komae_analysis.errors import InputError
from komae_analysis.ingest import city_register, soumu_juki, ssdse, tokyo_juki
from komae_analysis.ingest.frames import (
    count_column,
    date_column,
    empty_frame,
    text_column,
    typed_frame,
    validate_frame,
)

SCHEMA = pa.DataFrameSchema(
    {
        "date": date_column(),
        "code": text_column(pa.Check.str_matches(r"^\d{2}$")),
        "n": count_column(),
        "maybe": count_column("Int64", nullable=True),
        "share": pa.Column("Float64", nullable=True),
    },
    strict=True,
    ordered=True,
    name="example",
)


def test_typed_frame_gives_the_schema_dtypes_order_and_values():
    frame = typed_frame(
        SCHEMA,
        {  # given out of order: the frame follows the schema
            "share": [0.5, None],
            "n": [3, 0],
            "code": ["01", "02"],
            "maybe": [None, 7],
            "date": dt.date(2023, 1, 1),
        },
    )
    assert list(frame.columns) == ["date", "code", "n", "maybe", "share"]
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert isinstance(frame["code"].dtype, pd.StringDtype)
    assert str(frame["n"].dtype) == "int64"
    assert str(frame["maybe"].dtype) == "Int64"
    assert str(frame["share"].dtype) == "Float64"
    # the scalar date is repeated on every row, at midnight
    assert frame["date"].tolist() == [pd.Timestamp("2023-01-01")] * 2
    assert frame["code"].tolist() == ["01", "02"]
    assert frame["n"].tolist() == [3, 0]
    assert frame["maybe"].isna().tolist() == [True, False] and frame["maybe"][1] == 7
    assert frame["share"].isna().tolist() == [False, True] and frame["share"][0] == 0.5
    pd.testing.assert_frame_equal(validate_frame(SCHEMA, frame, "x.csv"), frame)


def test_typed_frame_dates_given_per_row():
    frame = typed_frame(
        SCHEMA,
        {"date": [dt.date(2020, 1, 1), dt.datetime(2021, 1, 1)], "code": ["01", "02"], "n": [1, 2],
         "maybe": [1, 2], "share": [1.0, 2.0]},
    )
    assert frame["date"].tolist() == [pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01")]


def test_typed_frame_rejects_missing_unknown_and_ragged_columns():
    good = {"date": dt.date(2020, 1, 1), "code": ["01"], "n": [1], "maybe": [1], "share": [1.0]}
    with pytest.raises(ValueError, match="missing columns \\['share'\\]"):
        typed_frame(SCHEMA, {k: v for k, v in good.items() if k != "share"})
    with pytest.raises(ValueError, match="unknown columns \\['extra'\\]"):
        typed_frame(SCHEMA, {**good, "extra": [1]})
    with pytest.raises(ValueError, match="different lengths"):
        typed_frame(SCHEMA, {**good, "n": [1, 2]})


def test_empty_frame_has_the_columns_and_dtypes_of_every_reader_schema():
    for schema in (
        tokyo_juki.SCHEMA,
        soumu_juki.SCHEMA,
        ssdse.SCHEMA,
        city_register.POPULATION_SCHEMA,
        city_register.HOUSEHOLDS_SCHEMA,
    ):
        frame = empty_frame(schema)
        assert len(frame) == 0 and list(frame.columns) == list(schema.columns)
        schema.validate(frame)  # dtypes are what the schema asks for


def test_validate_frame_turns_a_schema_failure_into_an_input_error():
    frame = typed_frame(
        SCHEMA, {"date": dt.date(2020, 1, 1), "code": ["1"], "n": [-1], "maybe": [None], "share": [None]}
    )
    with pytest.raises(InputError) as excinfo:
        validate_frame(SCHEMA, frame, "x.csv")
    messages = " ".join(p.message for p in excinfo.value.problems)
    assert "列 code" in messages and "列 n" in messages and "example" in messages
