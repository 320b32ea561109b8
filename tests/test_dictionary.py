"""The data dictionary (graphmodel.dictionary) holds every column the commands print.

Every view of every command that prints a table runs here on the embedded engine, on
the tiny log and on a small generated one (and the edge-list and network views on the
fixtures): the columns it prints must be, in order, those the dictionary lists for it,
so a command that prints a column the dictionary lacks fails, and so does an entry
that names a table which does not print it. The Neo4j and Spark engines print the
same tables (tests/test_value_neo4j.py, tests/test_spark.py) and are not run here.
Then ``graphmodel explain``, checked by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.dictionary import COLUMNS, VIEWS, close_matches, lookup, problems
from graphmodel.dictionary.markdown import sections

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
FIXTURES = ROOT / "tests" / "fixtures"

#: Per view, the command lines that print it: ``{src}`` is a log folder (the tiny log,
#: then the generated one), ``{u}`` and ``{v}`` its first two users, ``{edges}`` a CSV
#: edge list. A line without ``{src}`` runs once.
RUNS: dict[str, list[list[str]]] = {
    "stats": [["stats", "--source", "{src}"]],
    "calibration": [["calibration", "--source", "{src}"]],
    "spread --by cascade": [["spread", "--source", "{src}"]],
    "spread --edges FILE": [
        ["spread", "--edges", "{edges}"],
        ["spread", "--edges", str(FIXTURES / "cascades" / "tree")],
        ["spread", "--edges", str(FIXTURES / "cascades" / "weibo.txt")],
    ],
    "spread --by stream": [["spread", "--by", "stream", "--source", "{src}"]],
    "spread --by user": [["spread", "--by", "user", "--source", "{src}"]],
    "spread --by dataset": [
        ["spread", "--by", "dataset", "--source", "{src}"],
        ["spread", "--by", "dataset", "--edges", "{edges}"],
    ],
    "value --by user": [["value", "--by", "user", "--source", "{src}"]],
    "value --by stream": [["value", "--by", "stream", "--source", "{src}"]],
    "value --by platform": [["value", "--source", "{src}"]],
    "value --by actor": [["value", "--by", "actor", "--source", "{src}"]],
    "value --bootstrap N": [["value", "--bootstrap", "10", "-q", "--source", "{src}"]],
    "value --scale-to-market": [["value", "--scale-to-market", "--source", "{src}"]],
    "extraction --by user": [["extraction", "--source", "{src}"]],
    "extraction --by platform": [["extraction", "--by", "platform", "--source", "{src}"]],
    "distribution": [["distribution", "--source", "{src}"]],
    "distribution --lorenz": [["distribution", "--lorenz", "--points", "3", "--source", "{src}"]],
    "ledger USER_ID": [["ledger", "{u}", "--source", "{src}"]],
    "simulate": [
        ["simulate", "--seeds", "{u},{v}", "--runs", "20", "-q", "--source", "{src}"],
        [
            "simulate",
            "--graph",
            str(FIXTURES / "networks" / "path.csv"),
            "--seeds",
            "ana",
            "--runs",
            "20",
            "-q",
        ],
    ],
    "influence": [
        *[
            ["influence", "--k", "2", "--method", m, "--runs", "20", "-q", "--source", "{src}"]
            for m in ("imm", "celf", "degree")
        ],
        [
            "influence",
            "--graph",
            str(FIXTURES / "networks" / "path.csv"),
            "--k",
            "1",
            "--runs",
            "20",
            "-q",
        ],
    ],
    "scenario": [["scenario", "--lever", "dividend=0.1", "-q", "--source", "{src}"]],
    "sensitivity": [["sensitivity", "--parameter", "lambda", "-q", "--source", "{src}"]],
    "check-inference": [["check-inference", "--windows", "10min", "-q", "--source", "{src}"]],
    "explain": [["explain"], ["explain", "value"]],
}


def _header(argv: list[str]) -> list[str]:
    """The columns ``graphmodel ARGV --format csv`` prints (its header line)."""
    r = CliRunner().invoke(main, [*argv, "--format", "csv"])
    assert r.exit_code == 0, f"graphmodel {' '.join(argv)}: {r.output}"
    return next(csv.reader(io.StringIO(r.stdout)))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[tuple[str, list[str]]]]:
    """Per view, each command line run and the columns it printed."""
    tmp = tmp_path_factory.mktemp("dictionary")
    generated = tmp / "generated"
    r = CliRunner().invoke(
        main,
        ["generate", "--users", "200", "--days", "1", "--seed", "1", "--out", str(generated), "-q"],
    )
    assert r.exit_code == 0, r.output
    edges = tmp / "edges.csv"
    edges.write_text("cascade_id,parent_id,child_id,delay_s\nc1,r,a,5\nc1,a,b,9\nc2,s,,\n")
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for view, lines in RUNS.items():
        for line in lines:
            for src in (TINY, generated) if "{src}" in line else (None,):
                users = [] if src is None else pd.read_csv(src / "users.csv")["user_id"]
                argv = [
                    a.replace("{src}", str(src))
                    .replace("{edges}", str(edges))
                    .replace("{u}", users[0] if len(users) else "")
                    .replace("{v}", users[1] if len(users) else "")
                    for a in line
                ]
                out.setdefault(view, []).append((" ".join(argv), _header(argv)))
    return out


def test_the_entries_agree_with_the_views():
    assert problems() == []


def test_every_view_is_run_here():
    assert set(RUNS) == {v.name for v in VIEWS}


def test_every_command_that_prints_a_table_has_a_view():
    """A new command with ``--format json`` needs its views in the dictionary (and here).
    ``query`` prints the columns of the Cypher query it runs."""
    printing = set()
    for name, command in main.commands.items():
        for p in command.params:
            if p.name == "fmt" and "json" in getattr(p.type, "choices", ()):
                printing.add(name)
    assert printing - {"query"} == {v.command for v in VIEWS}


@pytest.mark.parametrize("view", VIEWS, ids=[v.name for v in VIEWS])
def test_every_printed_column_is_in_the_dictionary(printed, view):
    known = {c.name for c in COLUMNS if view.name in c.views}
    for argv, columns in printed[view.name]:
        missing = [c for c in columns if c not in known]
        assert not missing, f"graphmodel {argv} prints {missing}: not in graphmodel.dictionary"
        assert columns == list(view.columns), argv


def test_every_entry_is_printed_by_its_views(printed):
    for entry in COLUMNS:
        for view in entry.views:
            for argv, columns in printed[view]:
                assert entry.name in columns, f"{entry.name}: graphmodel {argv} does not print it"


def test_every_entry_points_to_a_section_of_the_docs():
    targets = sections(ROOT / "docs")
    assert targets["model.md#4-labour"] == "The model: 4. Labour"
    assert "value.md#scenariotoml" not in targets  # a comment in a code block is no heading
    for entry in COLUMNS:
        assert entry.docs in targets, f"{entry.name}: docs/{entry.docs} has no such section"


def test_the_formulas_hold_on_the_tiny_log():
    """What the entries say of value --by user and --by platform, checked on the numbers."""
    r = CliRunner().invoke(
        main, ["value", "--by", "user", "--source", str(TINY), "--format", "json"]
    )
    users = pd.DataFrame(json.loads(r.stdout)["rows"]).set_index("user_id")
    produced, returned = users["value_produced"], users["value_returned"]
    assert (produced - users["kept_value"] - users["relational_value"]).abs().max() < 1e-12
    assert (users["surplus"] - (produced - returned)).abs().max() < 1e-12
    worked = users["labour_s"] > 0
    wage = returned[worked] / (users.loc[worked, "labour_s"] / 3600)
    assert (users.loc[worked, "hourly_wage"] - wage).abs().max() < 1e-12
    paid = returned > 0
    rate = users.loc[paid, "surplus"] / returned[paid]
    assert (users.loc[paid, "exploitation_rate"] - rate).abs().max() < 1e-12
    assert users.loc[~paid, "exploitation_rate"].isna().all()  # null where v_u = 0
    r = CliRunner().invoke(main, ["value", "--source", str(TINY), "--format", "json"])
    platform = json.loads(r.stdout)["rows"][0]
    assert platform["labour_hours"] == pytest.approx(users["labour_s"].sum() / 3600, rel=1e-12)
    assert platform["user_generated_value"] == pytest.approx(produced.sum(), rel=1e-12)
    assert platform["relational_share"] == pytest.approx(
        users["relational_value"].sum() / produced.sum(), rel=1e-12
    )


# -- graphmodel explain ------------------------------------------------------------------

LABOR_S = """\
labour_s
  meaning:    Labour time: seconds spent watching, liking, commenting and sharing
              (purchases are consumption, not labour). Per user (L_u), summed over a
              stream's users, or per event in the ledger.
  unit:       s
  formula:    L_u = watch seconds + tau_like x like taps + tau_comment x comments +
              tau_share x shares
  docs:       docs/model.md#4-labour, docs/reference/columns.md#labour_s
  printed by: value --by user, value --by stream, ledger USER_ID
"""


def explain(*args: str):
    return CliRunner().invoke(main, ["explain", *args])


def test_explain_a_column():
    r = explain("labour_s")
    assert r.exit_code == 0
    assert r.stdout == LABOR_S
    assert explain("LABOR_S").stdout == LABOR_S  # case does not matter


def test_explain_a_name_with_two_meanings():
    r = explain("low")
    assert r.exit_code == 0
    blocks = r.stdout.split("\n\n")
    assert blocks[0].splitlines()[0] == "low  (in calibration)"
    assert "  unit:       as the target" in blocks[0].splitlines()
    assert blocks[1].splitlines()[0] == "low  (in sensitivity)"
    assert "  formula:    max(lowest allowed, x (1 - spread))" in blocks[1].splitlines()


def test_explain_as_json():
    r = explain("hourly_wage", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["meta"]["command"] == "explain" and doc["meta"]["column"] == "hourly_wage"
    assert doc["rows"] == [
        {
            "column": "hourly_wage",
            "meaning": "Implicit hourly wage: value returned per hour of labour, to set beside the "
            "reference minimum wage min_wage_hour; null where L_u = 0.",
            "unit": "yuan per hour",
            "formula": "v_u / (L_u / 3600)",
            "docs": "docs/model.md#4-labour",
            "commands": "value --by user",
        }
    ]
    value = json.loads(explain("value", "--format", "json").stdout)["rows"]
    assert [row["commands"] for row in value] == ["calibration", "ledger USER_ID", "scenario"]


def test_explain_lists_every_column_by_command():
    r = explain()
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[:4] == [
        "graphmodel stats: One row per node label, then one per relationship type.",
        "  kind   text   Whether the row counts nodes (node) or relationships (relationship).",
        "  name   text   The node label (User, Streamer, ...) or relationship type (WATCHED, "
        "REFERRED, ...)",
        "                counted.",
    ]
    headings = [line.split(":")[0] for line in lines if line.startswith("graphmodel ")]
    assert headings[:-1] == [f"graphmodel {v.name}" for v in VIEWS]
    rows = json.loads(explain("--format", "json").stdout)["rows"]
    assert len(rows) == len(COLUMNS) == len({(r["column"], r["commands"]) for r in rows})


def test_explain_an_unknown_column():
    r = explain("labour_seconds")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == (
        "error: unknown column 'labour_seconds'; did you mean labour_s, labour_hours, seconds? "
        "(`graphmodel explain` lists every column)\n"
    )
    r = explain("zzz")
    assert r.exit_code == 2
    assert r.stderr == "error: unknown column 'zzz' (`graphmodel explain` lists every column)\n"
    assert close_matches("top10share") == ["top10_share", "top1_share", "share"]


def test_explain_into_a_file(tmp_path):
    r = explain("labour_s", "--out", str(tmp_path / "labour_s.txt"))
    assert r.exit_code == 0 and r.stdout == ""
    assert (tmp_path / "labour_s.txt").read_text(encoding="utf-8") == LABOR_S


def test_lookup_orders_meanings_by_command():
    assert [e.views for e in lookup("ci_low")] == [
        ("value --bootstrap N",),
        ("simulate", "influence"),
    ]
    assert lookup("no_such_column") == []
