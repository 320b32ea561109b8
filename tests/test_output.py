"""The one writer: table, CSV, JSON and Parquet with the meta block."""

import io
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from graphmodel import __version__
from graphmodel.errors import UserError
from graphmodel.output import make_meta, render, with_meta, write_result


@pytest.fixture
def result():
    df = pd.DataFrame({
        "name": ["a", "b"],
        "count": np.array([1, 2], dtype="int64"),
        "rate": [0.125, np.nan],
        "at": pd.to_datetime(["2024-03-01T20:00:00", None]),
    })
    return with_meta(df, make_meta("test", "somewhere", seed=7, extra_option=3))


def test_meta_records_command_source_every_parameter_seed_and_version(result):
    meta = result.attrs["meta"]
    assert meta["command"] == "test" and meta["source"] == "somewhere"
    assert meta["seed"] == 7 and meta["version"] == __version__ and meta["extra_option"] == 3
    assert meta["params"]["take_rate"] == 0.05 and len(meta["params"]) == 16


def test_json_contract(result):
    doc = json.loads(render(result, "json"))
    assert set(doc) == {"meta", "rows"}
    assert doc["rows"] == [
        {"name": "a", "count": 1, "rate": 0.125, "at": "2024-03-01T20:00:00"},
        {"name": "b", "count": 2, "rate": None, "at": None},
    ]
    assert doc["meta"]["seed"] == 7


def test_json_keeps_full_float_precision():
    df = with_meta(pd.DataFrame({"x": [1 / 3]}), make_meta("t", "s"))
    assert json.loads(render(df, "json"))["rows"][0]["x"] == 1 / 3


def test_csv_to_file_writes_a_meta_sidecar(result, tmp_path):
    out = tmp_path / "r.csv"
    write_result(result, "csv", out)
    back = pd.read_csv(out)
    assert back["count"].tolist() == [1, 2]
    assert json.loads((tmp_path / "r.csv.meta.json").read_text())["command"] == "test"


def test_parquet_keeps_rows_and_meta(result, tmp_path):
    out = tmp_path / "r.parquet"
    write_result(result, "parquet", out)
    table = pq.read_table(out)
    assert table.column("count").to_pylist() == [1, 2]
    assert json.loads(table.schema.metadata[b"graphmodel"])["seed"] == 7


def test_parquet_needs_a_file(result):
    with pytest.raises(UserError, match="needs --out"):
        write_result(result, "parquet", None)


def test_table_is_readable(result):
    buf = io.StringIO()
    write_result(result, "table", stream=buf)
    text = buf.getvalue()
    assert "test" in text and "0.125" in text and "seed: 7" in text
