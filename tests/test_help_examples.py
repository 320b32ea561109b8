"""Every command's ``--help`` ends with examples, and every example runs as printed.

The click command tree is walked from ``graphmodel``: a command (or group)
whose help has no ``Examples:`` block fails
:func:`test_every_command_ends_its_help_with_examples`, naming it, so a new
command cannot come without examples. The examples are read back from the
printed help (:func:`graphmodel.cli.examples.parse_examples`) and run in a
folder that holds the files they name (the rule of
:mod:`graphmodel.cli.examples`):

- ``platform/``: made by ``graphmodel generate --users 2000 --days 3 --out platform/``
  itself; ``platform-parquet/`` the same with ``--format parquet``;
- ``recordings/*.jsonl``: the live-room recordings of tests/fixtures/live_room,
  ``pseudonym.key`` a key;
- ``twitter16/tree/``: tests/fixtures/cascades/tree; ``network.txt``:
  tests/fixtures/networks/star.txt (a SNAP list with a p column).

Each example runs in its own copy of that folder, in the process through
click's CliRunner (the command line split as the shell splits it, ``*``
globbed), or through bash with ``graphmodel`` on the PATH when it is a shell
line (``eval "$(graphmodel server env)" && ...``). ``explore`` gets
``--no-open``. An example passes with exit code 0 and output that says
something: a table with a row, JSON rows, CSV lines, or a non-empty file or
folder where ``--out`` points.

Where an example runs:

- the embedded store and the generator: :func:`test_example_runs`;
- Apache Spark (``--engine spark``): :func:`test_spark_example_runs`, marked slow;
- a server through ``NEO4J_URI`` (``load``, ``query``, an analysis without
  ``--source``): :func:`test_neo4j_examples_run`, on the session's server
  holding ``platform/`` (made smaller there: 300 users, 1 day);
- ``server ...`` and ``explore``: :func:`test_local_server_examples_run`, in the
  order a user runs them, on a local server the ``server start`` example starts
  in a temporary home.
"""

from __future__ import annotations

import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graphmodel.cli.examples import HEADING, parse_examples
from graphmodel.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"
#: Columns of the printed help: wide enough for every example line, as a terminal.
WIDTH = 80


def command_tree(command: click.Command = main, path: tuple[str, ...] = ()):
    """``(path, command)`` for ``graphmodel`` and every command and group below it."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from command_tree(command.commands[name], (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=WIDTH)
    assert result.exit_code == 0, result.output
    return result.stdout


def name(path: tuple[str, ...]) -> str:
    return " ".join(("graphmodel", *path))


COMMANDS = list(command_tree())
HELP = {path: help_text(path) for path, _ in COMMANDS}
#: Every example once, in the order of the tree, with the command whose help shows it.
EXAMPLES: dict[str, tuple[str, ...]] = {}
for _path, _ in COMMANDS:
    for _example in parse_examples(HELP[_path]):
        EXAMPLES.setdefault(_example, _path)


# --- the help ---------------------------------------------------------------------------


def without_examples(root: click.Command) -> list[str]:
    """The commands under ``root`` (itself included) whose ``--help`` shows no example."""
    missing = []
    for path, _ in command_tree(root):
        result = CliRunner().invoke(root, [*path, "--help"], terminal_width=WIDTH)
        if not parse_examples(result.stdout):
            missing.append(name(path))
    return missing


def test_every_command_ends_its_help_with_examples():
    missing = without_examples(main)
    assert not missing, (
        "no 'Examples:' block at the end of the --help of: "
        + ", ".join(missing)
        + " (give the command epilog=examples(...), graphmodel/cli/examples.py)"
    )


def test_a_command_without_examples_is_named():
    from graphmodel.cli.examples import examples

    @click.group(epilog=examples(("what it does", "graphmodel explain --help")))
    def root():
        pass

    @root.command(epilog=examples(("one", "graphmodel stats --source platform/")))
    def stats():
        pass

    @root.command()
    def explain():
        """A new command, no examples yet."""

    assert without_examples(root) == ["graphmodel explain"]


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=name)
def test_examples_are_the_last_block_one_or_two_and_run_this_command(path):
    text = HELP[path]
    examples = parse_examples(text)
    assert 1 <= len(examples) <= 2, f"{name(path)}: {len(examples)} examples, give one or two"
    lines = text.rstrip().splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == HEADING)
    assert "Options:" in "\n".join(lines[:start])  # after the options, nothing else after it
    for example in examples:
        assert name(path) in example, f"{example!r} does not run {name(path)}"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=name)
def test_click_prints_the_example_lines_as_written(path):
    """The ``\\b`` paragraphs: each line of the epilog is a line of the help, never rewrapped."""
    command = dict(COMMANDS)[path]
    assert command.epilog and HEADING in command.epilog, f"{name(path)}: no examples"
    printed = HELP[path].splitlines()
    for line in command.epilog.split(HEADING, 1)[1].splitlines():
        if line.strip() and line != "\b":
            assert "  " + line in printed, line
            assert len("  " + line) <= WIDTH, line


def test_the_example_lines_parse_back_with_their_continuations():
    value = dict(COMMANDS)[("value",)]
    assert (
        parse_examples(value.epilog)
        == parse_examples(HELP[("value",)])
        == [
            "graphmodel value --source platform/ --bootstrap 200",
            "graphmodel value --source platform/ --by user --top 20 --attribution linear "
            "--format csv --out value-users.csv",
        ]
    )


# --- running them -----------------------------------------------------------------------


def is_shell(example: str) -> bool:
    return not example.startswith("graphmodel ") or any(c in example for c in "$|&;<>`")


def arguments(example: str) -> list[str]:
    """The arguments after ``graphmodel``, as the shell gives them (``*`` globbed in the cwd)."""
    words = shlex.split(example)
    assert words[0] == "graphmodel", example
    args = []
    for word in words[1:]:
        args += sorted(glob.glob(word)) or [word] if "*" in word else [word]
    if words[1] == "explore" and "--no-open" not in args:
        args.append("--no-open")
    return args


def command_of(args: list[str]) -> click.Command:
    command = main
    for word in args:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
    return command


def kind(example: str) -> str:
    """``server`` (server ... and explore), ``spark``, ``neo4j`` (a server by NEO4J_URI) or
    ``memory`` (the embedded store, the generator, the importers)."""
    if "graphmodel server" in example or "graphmodel explore" in example:
        return "server"
    if "--engine spark" in example:
        return "spark"
    words = shlex.split(example)
    command = command_of(words[1:])
    options = {p.name for p in command.params}
    reads_a_source = {"source", "neo4j"} <= options and not (
        {"--source", "--edges", "--graph"} & set(words)
    )
    if command.name in ("load", "query") or reads_a_source:
        return "neo4j"
    return "memory"


def by_kind(k: str) -> list[str]:
    return [e for e in EXAMPLES if kind(e) == k]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """The folder of the files the examples name (the module docstring)."""
    base = tmp_path_factory.mktemp("examples") / "files"
    base.mkdir()
    recordings = base / "recordings"
    recordings.mkdir()
    for f in sorted((FIXTURES / "live_room").glob("*.jsonl")):
        shutil.copy(f, recordings / f.name)
    (base / "pseudonym.key").write_text("a-key-of-your-own\n")
    shutil.copytree(FIXTURES / "cascades" / "tree", base / "twitter16" / "tree")
    shutil.copy(FIXTURES / "networks" / "star.txt", base / "network.txt")
    here = Path.cwd()
    os.chdir(base)
    try:
        for args in (["--out", "platform/"], ["--format", "parquet", "--out", "platform-parquet/"]):
            r = CliRunner().invoke(
                main, ["generate", "--users", "2000", "--days", "3", "-q", *args]
            )
            assert r.exit_code == 0, r.output
    finally:
        os.chdir(here)
    return base


@pytest.fixture
def workdir(files, tmp_path, monkeypatch) -> Path:
    """A copy of the files, the current folder; no Neo4j or pseudonym key in the environment."""
    cwd = tmp_path / "work"
    shutil.copytree(files, cwd)
    monkeypatch.chdir(cwd)
    for var in (
        "NEO4J_URI",
        "NEO4J_USER",
        "NEO4J_PASSWORD",
        "GRAPHMODEL_PSEUDONYM_KEY",
        "GRAPHMODEL_NEO4J_HOME",
    ):
        monkeypatch.delenv(var, raising=False)
    return cwd


def run_example(example: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``example`` in ``cwd`` (the current folder): exit code, stdout, stderr."""
    if is_shell(example):
        bin_dir = cwd / ".bin"
        bin_dir.mkdir(exist_ok=True)
        shim = bin_dir / "graphmodel"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m graphmodel "$@"\n')
        shim.chmod(0o755)
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
        p = subprocess.run(
            ["bash", "-c", f"set -eo pipefail\n{example}"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        return p.returncode, p.stdout, p.stderr
    result = CliRunner().invoke(main, arguments(example), terminal_width=200)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def says_something(example: str, code: int, out: str, err: str, cwd: Path) -> None:
    """Exit code 0 and output worth reading (the module docstring)."""
    assert code == 0, f"{example}\nexit code {code}\n{out[-2000:]}\n{err[-2000:]}"
    assert "Traceback" not in err, err
    words = shlex.split(example.rsplit("&& ", 1)[-1])
    fmt = words[words.index("--format") + 1] if "--format" in words else "table"
    if "--out" in words:
        target = cwd / words[words.index("--out") + 1]
        assert target.exists(), f"{example}: nothing at {target}"
        if target.is_dir():
            assert any(target.iterdir()), f"{example}: {target} is empty"
            return
        text = target.read_text(encoding="utf-8")
    else:
        text = out
    command = command_of(words[1:])
    if not any(p.name == "fmt" for p in command.params) or command.name in ("generate", "import"):
        assert (out + err).strip(), f"{example}: no output"  # what it did, on stdout or stderr
        return
    if command.name == "explain" and fmt == "table":  # an entry as text, not a table
        assert text.startswith(words[2] + "\n") and "formula" in text, text
        return
    assert text.strip(), f"{example}: no output\n{err[-2000:]}"
    if fmt == "json":
        assert json.loads(text)["rows"], f"{example}: no rows\n{text[:2000]}"
    elif fmt == "csv":
        assert len(text.strip().splitlines()) >= 2, f"{example}: no rows\n{text[:2000]}"
    else:
        # rich draws the header with ┃ and each row with │
        assert any("│" in line for line in text.splitlines()), f"{example}: no rows\n{text}"


@pytest.mark.parametrize("example", by_kind("memory"), ids=str)
def test_example_runs(example, workdir):
    says_something(example, *run_example(example, workdir), workdir)


@pytest.mark.slow
@pytest.mark.parametrize("example", by_kind("spark"), ids=str)
def test_spark_example_runs(example, workdir):
    pytest.importorskip("pyspark")
    says_something(example, *run_example(example, workdir), workdir)


def smaller_platform(workdir: Path) -> None:
    """``platform/`` made again, smaller (300 users, 1 day), for the examples that load it
    into a server: the same commands, a few seconds per load instead of a minute."""
    shutil.rmtree(workdir / "platform")
    r = CliRunner().invoke(main, ["generate", "--users", "300", "--days", "1", "-q",
                                  "--out", "platform/"])
    assert r.exit_code == 0, r.output


@pytest.mark.neo4j
def test_neo4j_examples_run(workdir, neo4j_env):
    """On the session's server holding ``platform/``; the loads last (they replace it)."""
    smaller_platform(workdir)
    r = CliRunner().invoke(main, ["load", "platform/", "--quiet"])
    assert r.exit_code == 0, r.output
    examples = sorted(by_kind("neo4j"), key=lambda e: e.startswith("graphmodel load"))
    assert examples
    for example in examples:
        says_something(example, *run_example(example, workdir), workdir)


#: The order a user runs the server examples in (the first key each example holds).
SERVER_ORDER = (
    "server start",
    "server status",
    "server password",
    "explore",
    "server env",
    "server dump",
    "server restore",
    "server reset",
    "server stop",
)


def server_step(example: str) -> int:
    return min(i for i, key in enumerate(SERVER_ORDER) if f"graphmodel {key}" in example)


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("java"), reason="the local Neo4j server needs java")
def test_local_server_examples_run(workdir, tmp_path, monkeypatch):
    from graphmodel.server import LocalServer, guide

    home = tmp_path / "neo4j-home"
    monkeypatch.setenv("GRAPHMODEL_NEO4J_HOME", str(home))
    smaller_platform(workdir)
    examples = sorted(by_kind("server"), key=server_step)
    assert [server_step(e) for e in examples][0] == 0 and "server stop" in examples[-1]
    try:
        for example in examples:
            code, out, err = run_example(example, workdir)
            says_something(example, code, out, err, workdir)
            if "graphmodel explore" in example and "--source" not in example:
                assert "Browser:" in out, out  # the Neo4j Browser's address, not the panel's
    finally:
        LocalServer(home).stop()
        guide.stop(home)
    assert not LocalServer(home).status().running
