"""The generator at scale: events written day by day as Parquet parts, read back as one log."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.eventlog import EventLog, validate_log
from graphmodel.generator.chunked import generate_chunked

CONFIG = graphmodel.GeneratorConfig(users=1500, days=3, seed=21)


@pytest.fixture(scope="module")
def whole():
    return graphmodel.generate(CONFIG)


@pytest.mark.parametrize("chunk_days", [1, 2])
def test_parts_are_the_unchunked_log(tmp_path, whole, chunk_days):
    sizes = generate_chunked(CONFIG, tmp_path / "log", chunk_days=chunk_days)
    parts = sorted((tmp_path / "log" / "events").iterdir())
    assert [p.name for p in parts] == [f"part-{k:05d}.parquet"
                                       for k in range(-(-CONFIG.days // chunk_days))]
    assert not (tmp_path / "log" / "events.parquet").exists()
    assert sum(pq.ParquetFile(p).metadata.num_rows for p in parts) == sizes["events"]
    back = graphmodel.read_log(tmp_path / "log")
    for name in back:
        pd.testing.assert_frame_equal(back[name], whole[name], obj=name)
    assert back.meta == whole.meta
    # the part files carry the ids of the whole log: event ids in time order, one width
    first = pq.read_table(parts[-1], columns=["event_id"]).column(0)[0].as_py()
    assert first == whole["events"]["event_id"].iloc[len(back["events"]) - pq.ParquetFile(
        parts[-1]).metadata.num_rows]


def test_parts_reader_numbers_rows_across_parts(tmp_path, whole):
    frames = {k: whole[k].copy() for k in whole}
    ev = frames["events"]
    n = len(ev)
    ev.loc[n - 1, "user_id"] = "nobody"
    log = EventLog(frames, meta=whole.meta)
    chunks = [ev.iloc[: n // 2].reset_index(drop=True), ev.iloc[n // 2:].reset_index(drop=True)]
    graphmodel.eventlog.write.write_log_parts(log, {"events": chunks}, tmp_path / "bad")
    problems = [str(p) for p in validate_log(tmp_path / "bad")]
    assert problems == [f"events row {n}, column user_id: unknown user_id 'nobody' "
                        "(no such user_id in users)"]


def test_a_folder_holds_one_layout(tmp_path, whole):
    generate_chunked(CONFIG, tmp_path / "log")
    graphmodel.write_log(whole, tmp_path / "log", fmt="parquet")  # replaces the parts
    assert not (tmp_path / "log" / "events").exists()
    generate_chunked(CONFIG, tmp_path / "log")  # and back
    assert not (tmp_path / "log" / "events.parquet").exists()
    assert len(graphmodel.read_log(tmp_path / "log")["events"]) == len(whole["events"])


def test_cli_chunk_days(tmp_path):
    from graphmodel.cli.main import main

    runner = CliRunner()
    out = tmp_path / "log"
    r = runner.invoke(main, ["generate", "--users", "300", "--days", "2", "--seed", "4",
                             "--out", str(out), "--format", "parquet", "--chunk-days", "1",
                             "-q"])
    assert r.exit_code == 0, r.output
    assert "events in parts" in r.output
    assert len(list((out / "events").iterdir())) == 2
    r = runner.invoke(main, ["generate", "--users", "300", "--out", str(tmp_path / "csv"),
                             "--chunk-days", "1", "-q"])
    assert r.exit_code == 2 and "add --format parquet" in r.output
    r = runner.invoke(main, ["validate", str(out)])
    assert r.exit_code == 0 and "valid event log" in r.output
