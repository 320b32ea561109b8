"""``generate --out DIR`` and ``write_log``: only the log's own files are touched.

A folder holding a log in another format or compression is refused unless
``--force``, which removes only table files; a folder named after a table is
removed only when it holds nothing but part files; environment errors are one
line and exit code 2, with nothing written.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel import read_log
from graphmodel.cli.main import main
from graphmodel.errors import UserError
from graphmodel.eventlog.write import check_log_out, write_log
from graphmodel.schema import TABLE_NAMES

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SMALL = ("--users", 30, "--days", 1, "--seed", 2, "-q")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def generate(out, *more):
    return run("generate", *SMALL, "--out", out, *more)


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for folders)."""
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def tiny_log(tmp_path_factory):
    return read_log(Path(__file__).parent / "fixtures" / "tiny")


# -- the thesis survives ------------------------------------------------------------
def test_a_folder_named_after_a_table_with_other_content_is_left_alone(tmp_path):
    out = tmp_path / "gy"
    (out / "events" / "thesis").mkdir(parents=True)
    (out / "events" / "thesis" / "a.tex").write_text("x\n")
    (out / "notes.txt").write_text("mine\n")
    r = generate(out)
    assert r.exit_code == 0, r.output
    assert (out / "events" / "thesis" / "a.tex").read_text() == "x\n"
    assert (out / "notes.txt").read_text() == "mine\n"
    assert run("validate", out).exit_code == 0
    # again, with --force: still never removed
    assert generate(out, "--force").exit_code == 0
    assert (out / "events" / "thesis" / "a.tex").read_text() == "x\n"


def test_a_parts_folder_holding_other_files_is_refused_even_with_force(tmp_path):
    out = tmp_path / "gy"
    (out / "events").mkdir(parents=True)
    (out / "events" / "part-00000.parquet").write_bytes(b"part")
    (out / "events" / "thesis.tex").write_text("x\n")
    before = tree(out)
    cases = {
        (): "events/ holds Parquet parts and other files",
        ("--force",): "events/ holds Parquet parts and other files",
        ("--format", "parquet", "--chunk-days", 1, "--force"): (
            "events/ holds files other than Parquet parts"
        ),
    }
    for more, why in cases.items():
        r = generate(out, *more)
        assert r.exit_code == 2, more
        assert r.stderr.splitlines() == [
            f"error: {out}: {why}; move them away or give another folder"
        ]
        assert tree(out) == before


# -- another format or compression ----------------------------------------------------
def test_a_stale_compressed_table_is_refused_then_removed_with_force(tmp_path):
    out = tmp_path / "gy"
    assert generate(out).exit_code == 0
    (out / "users.csv.gz").write_bytes(b"stale")
    (out / "keep.csv").write_text("a\n")
    before = tree(out)
    r = generate(out)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"error: {out}: holds an event log in another format or compression (users.csv.gz); "
        "give --force to replace its table files, or another folder"
    ]
    assert tree(out) == before  # nothing written
    r = generate(out, "--force")
    assert r.exit_code == 0, r.output
    assert not (out / "users.csv.gz").exists()
    assert (out / "keep.csv").read_text() == "a\n"
    assert run("validate", out).exit_code == 0


def test_csv_over_a_parquet_log_needs_force_and_removes_only_table_files(tmp_path):
    out = tmp_path / "gy"
    assert generate(out, "--format", "parquet", "--chunk-days", 1).exit_code == 0
    assert (out / "events" / "part-00000.parquet").is_file()
    (out / "users").mkdir()  # not a table: no Parquet in it
    (out / "users" / "photo.jpg").write_bytes(b"jpg")
    (out / "report.parquet").write_bytes(b"mine")
    r = generate(out)
    assert r.exit_code == 2 and "another format" in r.stderr and "and 7 more" in r.stderr
    assert generate(out, "--force").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [f"{t}.csv" for t in TABLE_NAMES] + ["graphmodel.json", "report.parquet", "users"]
    )
    assert (out / "users" / "photo.jpg").read_bytes() == b"jpg"
    assert run("validate", out).exit_code == 0


def test_parquet_layouts_replace_each_other_without_force(tmp_path):
    out = tmp_path / "gy"
    assert generate(out, "--format", "parquet").exit_code == 0
    assert generate(out, "--format", "parquet", "--chunk-days", 1).exit_code == 0
    assert not (out / "events.parquet").exists() and (out / "events").is_dir()
    assert generate(out, "--format", "parquet").exit_code == 0
    assert not (out / "events").exists() and (out / "events.parquet").is_file()


def test_the_same_format_again_replaces_the_tables_and_keeps_the_rest(tmp_path):
    out = tmp_path / "gy"
    assert generate(out).exit_code == 0
    (out / "notes.md").write_text("n\n")
    (out / "extra").mkdir()
    assert run("generate", "--users", 40, "--days", 1, "-q", "--out", out).exit_code == 0
    assert (out / "notes.md").read_text() == "n\n" and (out / "extra").is_dir()
    assert len(read_log(out)["users"]) == 40
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_table_name_that_is_not_a_file_is_refused(tmp_path):
    out = tmp_path / "gy"
    (out / "users.csv").mkdir(parents=True)
    r = generate(out, "--force")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"error: {out}: users.csv is not a regular file; move them away or give another folder"
    ]
    assert tree(out) == {"users.csv": None}


def test_write_log_refuses_another_format_unless_forced(tiny_log, tmp_path):
    out = write_log(tiny_log, tmp_path / "log", fmt="parquet")
    with pytest.raises(UserError, match="another format"):
        write_log(tiny_log, out, fmt="csv")
    assert sorted(p.suffix for p in out.iterdir()) == [".parquet"] * 10
    write_log(tiny_log, out, fmt="csv", force=True)
    assert sorted(p.suffix for p in out.iterdir()) == [".csv"] * 10
    assert len(read_log(out)["events"]) == len(tiny_log["events"])


# -- where the folder is --------------------------------------------------------------
def test_a_symlink_to_a_folder_is_written_through(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert generate(link).exit_code == 0
    assert link.is_symlink() and (real / "users.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_new_log_folder_and_its_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert generate(tmp_path / "gy").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "gy").st_mode) == 0o755
    assert stat.S_IMODE(os.stat(tmp_path / "gy" / "users.csv").st_mode) == 0o644


@pytest.mark.parametrize("more", [(), ("--format", "parquet", "--chunk-days", 1)])
def test_proc_is_one_line_before_anything_is_simulated(more):
    r = run("generate", "--users", 30, "--days", 1, "--out", "/proc/gm", *more)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        "error: /proc/gm: cannot write the event log: No such file or directory"
    ]  # no progress bar: it failed before the simulation
    assert not os.path.exists("/proc/gm")


def test_an_empty_out_is_one_line_and_writes_nothing(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        r = runner.invoke(main, ["generate", *map(str, SMALL), "--out", ""])
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [
            "error: --out '': an empty path; give a folder for the event log"
        ]
        assert os.listdir(cwd) == []


def test_a_file_as_out_is_one_line(tmp_path):
    f = tmp_path / "f"
    f.write_text("mine")
    with pytest.raises(UserError, match="is a file; give a folder for the event log"):
        check_log_out(f)
    r = generate(f)
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1 and f.read_text() == "mine"


def test_a_read_only_folder_is_one_line(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    os.chmod(out, 0o555)
    try:
        if IS_ROOT and os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes (see the /proc tests)")
        r = generate(out)
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [
            f"error: {out}: cannot write the event log: Permission denied"
        ]
        assert os.listdir(out) == []
    finally:
        os.chmod(out, 0o755)


def test_as_a_user_runs_it_a_mixed_folder_is_one_line(tmp_path):
    out = tmp_path / "gy"
    out.mkdir()
    (out / "users.parquet").write_bytes(b"x")
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphmodel",
            "generate",
            "--users",
            "30",
            "--days",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        f"error: {out}: holds an event log in another format or compression "
        "(users.parquet); give --force to replace its table files, or another folder"
    ]
    assert os.listdir(out) == ["users.parquet"]
