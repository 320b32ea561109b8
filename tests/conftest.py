"""Shared fixtures: the tiny hand-made event log and a copy of it to corrupt."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture
def tiny_dir() -> Path:
    """The tiny valid event log (CSV), described in ``tests/fixtures/README.md``. Do not modify it."""
    return TINY


class LogFolder:
    """A writable copy of an event log folder, with helpers to corrupt its CSV files.

    Lines are CSV line numbers: the header is line 1, the first data row line 2.
    """

    def __init__(self, path: Path):
        self.path = path

    def file(self, table: str) -> Path:
        return self.path / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        with open(self.file(table), newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        self.file(table).write_text(buf.getvalue(), encoding="utf-8")

    def set_cell(self, table: str, line: int, column: str, value: str) -> None:
        rows = self.rows(table)
        rows[line - 1][rows[0].index(column)] = value
        self.write_rows(table, rows)

    def cell(self, table: str, line: int, column: str) -> str:
        rows = self.rows(table)
        return rows[line - 1][rows[0].index(column)]

    def append(self, table: str, *rows: str) -> None:
        """Append data rows given as CSV text lines."""
        with open(self.file(table), "a", encoding="utf-8", newline="") as f:
            for row in rows:
                f.write(row + "\n")

    def drop_column(self, table: str, column: str) -> None:
        rows = self.rows(table)
        j = rows[0].index(column)
        self.write_rows(table, [r[:j] + r[j + 1 :] for r in rows])

    def write_bytes(self, name: str, data: bytes) -> None:
        (self.path / name).write_bytes(data)

    def remove(self, name: str) -> None:
        (self.path / name).unlink()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> LogFolder:
    """A fresh copy of the tiny log in ``tmp_path / "log"``, safe to corrupt."""
    dst = tmp_path / "log"
    shutil.copytree(TINY, dst)
    return LogFolder(dst)


@pytest.fixture(scope="session")
def neo4j_auth(tmp_path_factory):
    """A real Neo4j 5.26 server for the session: ``(uri, user, password)``.

    ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``) when set; else a
    container when a Docker engine answers; else the server assembled from
    Maven Central (tests/neo4j_server.py), started once and stopped after.
    Never a mock. The tests wipe that database.
    """
    import os

    from neo4j_server import running_neo4j

    if os.environ.get("NEO4J_URI") and os.environ.get("NEO4J_PASSWORD"):
        yield (os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
               os.environ["NEO4J_PASSWORD"])
        return

    with running_neo4j(tmp_path_factory.mktemp("neo4j")) as auth:
        yield auth


@pytest.fixture
def neo4j_env(neo4j_auth, monkeypatch):
    """The session's Neo4j, emptied, with ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` set
    as a user would set them; returns the URI."""
    import neo4j

    uri, user, password = neo4j_auth
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d, d.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    return uri
