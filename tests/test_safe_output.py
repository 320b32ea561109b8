"""``--out FILE``: never destroys what is at the path, and environment errors are one line.

Symbolic links are written through, FIFOs and devices as streams, regular files
atomically with the user's umask; folders, sockets and unwritable places are
refused with ``error: <path>: <reason>`` and exit code 2.
"""

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.errors import UserError
from graphmodel.output import make_meta, with_meta, write_result

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def result():
    return with_meta(
        pd.DataFrame({"user_id": ["u1", "u2"], "n": [1, 2]}), make_meta("test", "somewhere", seed=7)
    )


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def reader():
        with open(path, "rb") as f:
            got.append(f.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    return t, got


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- what is at the path survives ---------------------------------------------------
def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(result, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t, got = read_fifo(fifo)
    write_result(result, "csv", fifo)
    t.join(10)
    assert got == [b"user_id,n\nu1,1\nu2,2\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert entries(tmp_path) == ["pipe"]  # no sidecar, no temporary file beside a stream


def test_parquet_into_a_fifo_is_the_parquet_file(result, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t, got = read_fifo(fifo)
    write_result(result, "parquet", fifo)
    t.join(10)
    (tmp_path / "copy.parquet").write_bytes(got[0])
    table = pq.read_table(tmp_path / "copy.parquet")
    assert table.column("user_id").to_pylist() == ["u1", "u2"]
    assert json.loads(table.schema.metadata[b"graphmodel"])["seed"] == 7
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_written_through_to_its_target(result, tmp_path):
    real = tmp_path / "data" / "r.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "r.csv"
    link.symlink_to(real)
    write_result(result, "csv", link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "user_id,n\nu1,1\nu2,2\n"
    # the sidecar sits beside the name given
    assert json.loads((tmp_path / "r.csv.meta.json").read_text())["seed"] == 7
    assert entries(real.parent) == ["r.csv"]


def test_a_dangling_symlink_makes_its_target(result, tmp_path):
    link = tmp_path / "r.json"
    link.symlink_to(tmp_path / "made.json")
    write_result(result, "json", link)
    assert link.is_symlink()
    assert json.loads((tmp_path / "made.json").read_text())["rows"][0]["user_id"] == "u1"


def test_a_symlink_loop_is_one_line(result, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(UserError, match=r"^.*/a: .*symbolic links"):
        write_result(result, "csv", a)
    assert a.is_symlink() and b.is_symlink()


@pytest.fixture
def null_device(tmp_path):
    """A character device to write into: a private copy of /dev/null when we may make one
    (root), so that no test ever writes over the system's own /dev entries."""
    if IS_ROOT:
        node = tmp_path / "dev" / "null"
        node.parent.mkdir()
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return node
    return Path("/dev/null")  # not ours to replace: the test cannot harm it


def test_a_character_device_stays_a_device_and_gets_no_sidecar(result, null_device):
    before = os.lstat(null_device)
    write_result(result, "csv", null_device)
    after = os.lstat(null_device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert not os.path.lexists(f"{null_device}.meta.json")
    if null_device.parent.name == "dev" and null_device.parent != Path("/dev"):
        assert sorted(p.name for p in null_device.parent.iterdir()) == ["null"]


def test_a_socket_is_refused(result, tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(UserError, match="is not a regular file, FIFO or terminal"):
            write_result(result, "csv", path)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_result_files_follow_the_umask(result, tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_result(result, "csv", tmp_path / "r.csv")
        write_result(result, "parquet", tmp_path / "r.parquet")
    finally:
        os.umask(old)
    for name in ("r.csv", "r.csv.meta.json", "r.parquet"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == mode, name


def test_a_replaced_file_keeps_its_mode(result, tmp_path, umask022):
    out = tmp_path / "r.csv"
    out.write_text("old")
    os.chmod(out, 0o640)
    write_result(result, "csv", out)
    assert out.read_text().startswith("user_id,n")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another user")
def test_a_file_of_another_user_is_rewritten_in_place(result, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old")
    os.chown(out, 65534, 65534)
    inode = os.stat(out).st_ino
    write_result(result, "json", out)
    st = os.stat(out)
    assert (st.st_uid, st.st_ino) == (65534, inode)
    assert json.loads(out.read_text())["rows"][1]["n"] == 2


# -- errors: one line, exit 2, nothing written -------------------------------------
def test_proc_is_one_line_and_nothing_is_written(tiny_dir):
    r = run("stats", "--source", tiny_dir, "--format", "csv", "--out", "/proc/x.csv")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["error: /proc/x.csv: cannot write: No such file or directory"]
    assert not os.path.exists("/proc/x.csv")


def test_an_empty_out_is_one_line(tiny_dir):
    r = run("stats", "--source", tiny_dir, "--format", "csv", "--out", "")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["error: '': an empty path; give a file name"]
    with pytest.raises(UserError, match="empty path"):
        write_result(pd.DataFrame({"a": [1]}), "csv", "")


def test_a_folder_is_refused(result, tmp_path):
    with pytest.raises(UserError, match=r"is a folder; give a file name"):
        write_result(result, "json", tmp_path)
    assert entries(tmp_path) == []


def test_a_read_only_folder_is_one_line(tiny_dir, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        if os.access(folder, os.W_OK) and IS_ROOT:
            pytest.skip("running as root: chmod does not stop writes (see the /proc tests)")
        r = run("stats", "--source", tiny_dir, "--format", "csv", "--out", folder / "r.csv")
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [
            f"error: {folder / 'r.csv'}: cannot write: Permission denied"
        ]
        assert entries(folder) == []
    finally:
        os.chmod(folder, 0o755)


def test_a_sidecar_that_cannot_be_written_leaves_the_result_unwritten(result, tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("old\n")
    # the sidecar's name points into /proc, where nothing can be made
    (tmp_path / "r.csv.meta.json").symlink_to("/proc/nowhere/r.csv.meta.json")
    with pytest.raises(UserError, match="r.csv.meta.json: cannot write"):
        write_result(result, "csv", out)
    assert out.read_text() == "old\n"
    assert entries(tmp_path) == ["r.csv", "r.csv.meta.json"]


# -- as a user runs it --------------------------------------------------------------
# A private link to the process's standard output, as /dev/stdout is: the tests never name
# the system's /dev/stdout, so that even a writer that replaces it cannot harm the system.
def stdout_link(folder: Path) -> Path:
    link = folder / "stdout"
    link.symlink_to("/proc/self/fd/1")
    return link


def test_a_stdout_link_as_out_writes_to_stdout_and_stays_a_link(tiny_dir, tmp_path):
    link = stdout_link(tmp_path)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphmodel",
            "stats",
            "--source",
            str(tiny_dir),
            "--format",
            "csv",
            "--out",
            str(link),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "kind,name,count"
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert entries(tmp_path) == ["stdout"]  # no sidecar, no temporary file


def test_a_stdout_link_redirected_to_a_file_appends_after_what_is_there(tiny_dir, tmp_path):
    link = stdout_link(tmp_path)
    out = tmp_path / "log.txt"
    out.write_text("first line\n")
    with open(out, "a") as f:
        p = subprocess.run(
            [
                sys.executable,
                "-m",
                "graphmodel",
                "stats",
                "--source",
                str(tiny_dir),
                "--format",
                "csv",
                "--out",
                str(link),
            ],
            stdout=f,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert p.returncode == 0, p.stderr
    lines = out.read_text().splitlines()
    assert lines[:2] == ["first line", "kind,name,count"]
    assert link.is_symlink() and entries(tmp_path) == ["log.txt", "stdout"]


def test_cli_into_a_fifo(tiny_dir, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    t, got = read_fifo(fifo)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphmodel",
            "stats",
            "--source",
            str(tiny_dir),
            "--format",
            "json",
            "--out",
            str(fifo),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    t.join(10)
    assert p.returncode == 0, p.stderr
    assert json.loads(got[0])["meta"]["command"] == "stats"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and entries(tmp_path) == ["pipe"]
