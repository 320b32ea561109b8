"""Text from the data on a terminal: shown, never obeyed.

Ids and paths are never read as rich markup (``[/]``, ``[link=...]``) and their
control characters (ESC, BEL, CR, bidi overrides) are written as visible
escapes; machine formats (CSV, JSON) keep the data exactly.
"""

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.output import make_meta, render, with_meta, write_result
from graphmodel.terminal import markup_escape, plain, visible

TINY = Path(__file__).parent / "fixtures" / "tiny"
ROOT = Path(__file__).resolve().parents[1]

CLOSE = "u[/]1"
LINK = "[link=http://evil]u2[/link]"
ANSI = "u3\x1b[31mRED\x1b]8;;http://x\x07"
IDS = {"u1": CLOSE, "u2": LINK, "u3": ANSI}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def evil_log(tmp_path) -> Path:
    """The tiny log with users u1, u2, u3 renamed to ids full of markup and escape codes,
    in a folder whose name has them too."""
    folder = tmp_path / "log[/]\x1b[2J[link=http://evil]x[/link]"
    shutil.copytree(TINY, folder)
    for f in folder.glob("*.csv"):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        df.map(lambda v: IDS.get(v, v)).to_csv(f, index=False)
    return folder


def test_visible_writes_controls_as_escapes():
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("x\ry\nz\t\x07\x7f\x9b") == "x\\ry\\nz\\t\\x07\\x7f\\x9b"
    assert visible("\u202eevil\u2066") == "\\u202eevil\\u2066"
    assert visible("plain ids, ünïcode 中文 and [brackets]") == (
        "plain ids, ünïcode 中文 and [brackets]"
    )
    assert markup_escape("[/]") == "\\[/]"
    assert plain(LINK).plain == LINK and plain(LINK).spans == []


def test_a_table_shows_markup_and_escape_codes_as_text():
    df = with_meta(
        pd.DataFrame({"user_id": [CLOSE, LINK, ANSI], "n[/]\x1b": [1, 2, 3]}),
        make_meta("value[/]", "src[link=http://evil]x\x1b[2J", seed=1),
    )
    for color in (False, True):
        text = render(df, "table", color=color, width=200)
        assert CLOSE in text and LINK in text
        assert "u3\\x1b[31mRED\\x1b]8;;http://x\\x07" in text
        assert "n[/]\\x1b" in text and "value[/]" in text
        assert "source: src[link=http://evil]x\\x1b[2J" in text
        assert "\x1b]8;" not in text and "\x07" not in text  # no hyperlink escape
        assert "\x1b[31mRED" not in text and "\x1b[2J" not in text
    assert "\x1b" not in render(df, "table", color=False, width=200)


def test_machine_formats_keep_the_data_exactly(tmp_path):
    df = with_meta(pd.DataFrame({"user_id": [CLOSE, LINK, ANSI]}), make_meta("t", ANSI))
    doc = json.loads(render(df, "json"))
    assert [r["user_id"] for r in doc["rows"]] == [CLOSE, LINK, ANSI]
    assert doc["meta"]["source"] == ANSI
    assert pd.read_csv(io.StringIO(render(df, "csv")))["user_id"].tolist() == [CLOSE, LINK, ANSI]
    write_result(df, "parquet", tmp_path / "r.parquet")
    assert pd.read_parquet(tmp_path / "r.parquet")["user_id"].tolist() == [CLOSE, LINK, ANSI]


def test_value_by_user_shows_the_ids_as_they_are(evil_log):
    r = run("value", "--by", "user", "--source", evil_log)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert any(f" {CLOSE} " in line for line in lines)
    assert any(f" {LINK} " in line for line in lines)
    assert any(" u3\\x1b[31mRED\\x1b]8;;http://x\\x07 " in line for line in lines)
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert f"source: {visible(evil_log)} |" in r.stdout  # the caption's source
    r = run("value", "--by", "user", "--source", evil_log, "--format", "csv")
    assert ANSI in r.stdout and LINK in r.stdout  # CSV keeps the bytes


@pytest.mark.parametrize("command", ["stats", "calibration"])
def test_a_source_path_with_brackets_works_for_every_table(evil_log, command):
    r = run(command, "--source", evil_log)
    assert r.exit_code == 0, r.output
    assert "source: " in r.stdout and "\x1b" not in r.stdout


def test_as_a_user_runs_it_on_a_terminal(evil_log):
    # FORCE_COLOR makes rich treat the pipe as a terminal: colours on, data still inert
    p = subprocess.run(
        [sys.executable, "-m", "graphmodel", "value", "--by", "user", "--source", str(evil_log)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "FORCE_COLOR": "1", "COLUMNS": "250"},
    )
    assert p.returncode == 0, p.stderr
    assert "\x1b[31mRED" not in p.stdout and "\x1b]8;" not in p.stdout
    assert "\x1b[2J" not in p.stdout and "\x07" not in p.stdout
    assert CLOSE in p.stdout and LINK in p.stdout


def test_the_progress_bar_shows_steps_as_text(capsys):
    from graphmodel.progress import progress_bar

    with progress_bar(True, "gen[/]\x1b[2J") as bar:
        bar("step [bold]x[/] \x1b[31m", 1, 2)
    err = capsys.readouterr().err
    assert "gen[/]\\x1b[2J: step [bold]x[/] \\x1b[31m" in err
    assert "\x1b[2J" not in err and "\x1b[31m" not in err


def test_generate_names_its_folder_visibly(tmp_path):
    out = tmp_path / "g\x1b[2J[/]"
    r = run("generate", "--users", 20, "--days", 1, "-q", "--out", out)
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith(f"wrote {tmp_path}/g\\x1b[2J[/] (csv: 20 users")
    assert "\x1b" not in r.stderr


def test_an_error_naming_a_path_shows_it_visibly(tmp_path):
    (tmp_path / "d\x1b[2J").write_text("a file, not a folder")
    r = run("stats", "--source", TINY, "--format", "json", "--out", tmp_path / "d\x1b[2J" / "r")
    assert r.exit_code == 2
    assert r.stderr == f"error: {tmp_path}/d\\x1b[2J/r: Not a directory\n"


@pytest.mark.parametrize("terminal", [False, True])
def test_server_progress_messages_are_plain_text(monkeypatch, capsys, terminal):
    from graphmodel.cli import server as server_cli

    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
    else:
        monkeypatch.setenv("TERM", "dumb")
    with server_cli._progress() as report:
        report("unpacking into /home/[/]x\x1b[2J")
    err = capsys.readouterr().err
    assert "unpacking into /home/[/]x\\x1b[2J" in err
    assert "\x1b[2J" not in err
