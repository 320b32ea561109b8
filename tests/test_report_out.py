"""``report --out DIR``: only the report's own entries are written, by the result-file rules.

Environment errors are one line and exit code 2, checked before anything is
read; ``figures/`` with files the report did not write is refused, never
deleted; ``report.html`` and ``report.md`` are written through symbolic links
and into FIFOs, never replaced by a regular file.
"""

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.errors import UserError
from graphmodel.report import Report, write_report

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PNG = b"\x89PNG\r\n\x1a\nfigure"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


CSV = b"figure,value\nusers,6\n"


def report() -> Report:
    return Report("<p>new</p>", "new\n", {"sizes": PNG}, {"headline.csv": CSV})


def tree(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("out", ["/proc/rep", "/proc/self/rep"])
def test_proc_is_one_line_before_anything_is_read(out):
    # the log does not exist: the --out check comes first and is the only error
    r = run("report", "--source", "/nonexistent-log", "--out", out, "--quiet")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"error: {out}: cannot write the report: No such file or directory"
    ]


def test_an_empty_out_is_one_line(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        r = runner.invoke(main, ["report", "--source", "/nonexistent-log", "--out", "", "-q"])
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [
            "error: --out '': an empty path; give a folder for the report"
        ]
        assert os.listdir(cwd) == []


def test_a_read_only_folder_is_one_line(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    os.chmod(out, 0o555)
    try:
        if IS_ROOT and os.access(out, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes (see the /proc tests)")
        r = run("report", "--source", "/nonexistent-log", "--out", out, "--quiet")
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [
            f"error: {out}: cannot write the report: Permission denied"
        ]
        assert os.listdir(out) == []
    finally:
        os.chmod(out, 0o755)


def test_figures_with_other_files_are_refused_and_kept(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "mine.svg").write_text("<svg/>")
    (out / "report.md").write_text("old\n")
    before = tree(out)
    with pytest.raises(UserError, match="figures/ holds files other than the report's figures"):
        write_report(report(), out)
    assert tree(out) == before
    r = run("report", "--source", "/nonexistent-log", "--out", out, "--quiet")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert "figures/ holds files other than" in r.stderr


def test_tables_with_other_files_are_refused_and_kept(tmp_path):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "mine.xlsx").write_bytes(b"PK")
    before = tree(out)
    with pytest.raises(UserError, match="tables/ holds files other than the report's tables"):
        write_report(report(), out)
    assert tree(out) == before
    r = run("report", "--source", "/nonexistent-log", "--out", out, "--quiet")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert "tables/ holds files other than the report's tables" in r.stderr


def test_an_older_report_is_replaced_and_other_files_kept(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "old.png").write_bytes(b"old")
    (out / "tables").mkdir()
    (out / "tables" / "old.csv").write_bytes(b"a\n1\n")
    (out / "notes.txt").write_text("keep\n")
    write_report(report(), out)
    assert tree(out) == {
        "figures": None,
        "figures/sizes.png": PNG,
        "notes.txt": b"keep\n",
        "report.html": b"<p>new</p>",
        "report.md": b"new\n",
        "tables": None,
        "tables/headline.csv": CSV,
    }


def test_report_files_are_written_through_symlinks(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    keep = tmp_path / "kept"
    keep.mkdir()
    (keep / "r.html").write_text("old")
    (out / "report.html").symlink_to(keep / "r.html")
    write_report(report(), out)
    assert (out / "report.html").is_symlink()
    assert (keep / "r.html").read_text() == "<p>new</p>"


def test_report_md_into_a_fifo_stays_a_fifo(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "report.md"
    os.mkfifo(fifo)
    got = []

    def reader():
        with open(fifo, "rb") as f:
            got.append(f.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    write_report(report(), out)
    t.join(10)
    assert got == [b"new\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_in_place_of_report_html_is_refused(tmp_path):
    out = tmp_path / "out"
    (out / "report.html").mkdir(parents=True)
    with pytest.raises(UserError, match=r"report.html: is a folder"):
        write_report(report(), out)
    assert tree(out) == {"report.html": None}


def test_a_symlink_to_a_folder_and_a_dangling_one(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert write_report(report(), link) == link / "report.html"
    assert link.is_symlink() and (real / "report.html").read_text() == "<p>new</p>"
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "made")
    write_report(report(), dangling)
    assert dangling.is_symlink() and (tmp_path / "made" / "figures" / "sizes.png").is_file()


def test_a_new_report_folder_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_report(report(), tmp_path / "new" / "out")
    finally:
        os.umask(old)
    out = tmp_path / "new" / "out"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o755
    assert stat.S_IMODE(os.stat(out / "figures").st_mode) == 0o755
    for name in ("report.html", "report.md", "figures/sizes.png"):
        assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o644, name
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["out"]


def test_as_a_user_runs_it(tmp_path):
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphmodel",
            "report",
            "--source",
            "/nonexistent-log",
            "--out",
            "/proc/rep",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2
    assert p.stderr == "error: /proc/rep: cannot write the report: No such file or directory\n"
