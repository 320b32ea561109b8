"""Every analysis on every engine: the memory, Neo4j and Spark engines give the same output
for the commands and views of the golden set (tests/golden/commands.py), on the tiny log,
run as a user runs them (the CLI, JSON output), numbers to 1e-9. Timings are left out,
and rows whose figures tie may come in either order."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.cli.main import main

pytest.importorskip("pyspark")

from golden.commands import COMMANDS, TIMINGS, TINY, first_user  # noqa: E402

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

TOL = {"rtol": 1e-9, "atol": 1e-9}


def _run(argv: list[str]) -> dict:
    r = CliRunner().invoke(main, [*argv, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, (argv, r.output)
    return json.loads(r.stdout)


def _rows(result: dict) -> pd.DataFrame:
    """The result's rows without timings, in the order of their text columns (rows whose
    figures tie, as in the sensitivity table, may come in either order)."""
    df = pd.DataFrame(result["rows"]).drop(columns=list(TIMINGS), errors="ignore")
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if text:
        df = df.sort_values(text, key=lambda s: s.astype(str), kind="mergesort",
                            ignore_index=True)
    return df


@pytest.fixture(scope="module")
def sources(tmp_path_factory, neo4j_auth):
    """The tiny log: its folder (memory), a Parquet copy (Spark), loaded into Neo4j."""
    parquet = graphmodel.write_log(graphmodel.read_log(TINY),
                                   tmp_path_factory.mktemp("engines") / "tiny", fmt="parquet")
    uri, user, password = neo4j_auth
    mp = pytest.MonkeyPatch()
    mp.setenv("NEO4J_USER", user)
    mp.setenv("NEO4J_PASSWORD", password)
    mp.delenv("NEO4J_URI", raising=False)
    import neo4j

    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d, d.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    r = CliRunner().invoke(main, ["load", str(TINY), "--neo4j", uri, "--quiet"])
    assert r.exit_code == 0, r.output
    # Spark validates the log once; the other runs trust it
    _run(["stats", "--source", str(parquet), "--engine", "spark", "--master", "local[2]"])
    yield {
        "memory": ["--source", str(TINY)],
        "neo4j": ["--neo4j", uri],
        "spark": ["--source", str(parquet), "--engine", "spark", "--master", "local[2]",
                  "--trust-validated"],
    }
    mp.undo()


#: One command line per analysis and view family (the golden set has 31).
SHOWN = ("stats", "calibration", "spread-cascade", "spread-stream", "spread-user",
         "spread-dataset", "value-user", "value-user-first", "value-stream", "value-platform",
         "value-actor", "value-bootstrap", "value-scale-to-market", "extraction-user",
         "extraction-platform", "distribution", "distribution-lorenz", "ledger",
         "scenario-opt_out", "scenario-data_union", "sensitivity", "simulate",
         "influence-celf")
CASES = [(n, a) for n, a in COMMANDS if n in SHOWN]


@pytest.mark.parametrize("name, argv", CASES, ids=[n for n, _ in CASES])
def test_every_engine_gives_the_same_output(sources, name, argv):
    argv = [a.replace("{u}", first_user(TINY)) for a in argv]
    out = {engine: _run([*argv, *where]) for engine, where in sources.items()}
    want = _rows(out["memory"])
    assert len(want) > 0
    for engine in set(out) - {"memory"}:
        got = _rows(out[engine])
        pd.testing.assert_frame_equal(got, want, check_dtype=False, **TOL,
                                      obj=f"{name} on {engine}")
        assert out[engine]["meta"].get("params") == out["memory"]["meta"].get("params")
