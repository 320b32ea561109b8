"""Where credentials go: the local server's password only to the local server, TLS off loopback,
and every connection failure as one line with exit code 2.

A fake Bolt listener on loopback answers the handshake and records every byte the
client sends after it, as a hostile server would.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.engines.neo4j.connect import (
    PLAINTEXT_ENV,
    check_uri,
    connect,
    credentials,
    is_loopback,
)
from graphmodel.errors import ServerError

SECRET = "LocalSecretPassw0rd"


class FakeBolt:
    """A listener that answers the Bolt handshake (version 4.4, whose HELLO carries the
    credentials), records what follows, then drops the connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(20)  # magic and four version proposals
                    conn.sendall(b"\x00\x00\x04\x04")
                    while chunk := conn.recv(65536):
                        self.received += chunk
                except OSError:
                    pass

    def close(self):
        self.sock.close()


@pytest.fixture
def fake_bolt():
    server = FakeBolt()
    yield server
    server.close()


@pytest.fixture
def local_home(tmp_path, monkeypatch):
    """A local server's credentials file for bolt://127.0.0.1:7687, and no NEO4J_* variables."""
    home = tmp_path / "neo4j-home"
    home.mkdir()
    (home / "credentials.json").write_text(
        json.dumps({"user": "neo4j", "password": SECRET, "uri": "bolt://127.0.0.1:7687"})
    )
    monkeypatch.setenv("GRAPHMODEL_NEO4J_HOME", str(home))
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_USERNAME", "NEO4J_PASSWORD", PLAINTEXT_ENV):
        monkeypatch.delenv(var, raising=False)
    return home


def run(*args):
    return CliRunner().invoke(main, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_the_local_password_is_never_sent_to_another_port(local_home, fake_bolt):
    line = one_error_line(run("stats", "--neo4j", f"bolt://127.0.0.1:{fake_bolt.port}"))
    assert "not the local server's address" in line and "NEO4J_PASSWORD" in line
    assert fake_bolt.connections == 0 and SECRET.encode() not in fake_bolt.received


def test_the_local_password_goes_to_the_local_address_under_any_loopback_name(local_home):
    for uri in (
        "bolt://127.0.0.1:7687",
        "neo4j://localhost:7687",
        "bolt://localhost",
        "bolt://[::1]:7687",
    ):
        assert credentials(uri) == ("neo4j", SECRET), uri
    for uri in ("bolt://127.0.0.1:7688", "bolt://10.0.0.5:7687", "bolt+s://db.example.org:7687"):
        with pytest.raises(ServerError, match="not the local server's address"):
            credentials(uri)


def test_neo4j_user_without_a_password_is_not_ignored(local_home, monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "analyst")
    with pytest.raises(ServerError, match="NEO4J_USER is set but NEO4J_PASSWORD is not"):
        credentials("bolt://127.0.0.1:7687")
    monkeypatch.setenv("NEO4J_USER", "neo4j")  # the local server's own user: its password
    assert credentials("bolt://127.0.0.1:7687") == ("neo4j", SECRET)


def test_explicit_credentials_go_where_the_user_points(local_home, monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "analyst")
    monkeypatch.setenv("NEO4J_PASSWORD", "theirs")
    assert credentials("bolt://127.0.0.1:9999") == ("analyst", "theirs")


def test_a_listener_that_drops_the_logon_is_one_line(local_home, fake_bolt, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-local-one")
    line = one_error_line(run("stats", "--neo4j", f"bolt://127.0.0.1:{fake_bolt.port}"))
    assert f"bolt://127.0.0.1:{fake_bolt.port}" in line
    assert fake_bolt.connections >= 1 and SECRET.encode() not in fake_bolt.received


@pytest.mark.parametrize(
    "uri", ["bolt://10.1.2.3:7687", "neo4j://db.example.org", "bolt://[2001:db8::1]:7687"]
)
def test_plaintext_to_another_machine_is_refused(local_home, monkeypatch, uri):
    monkeypatch.setenv("NEO4J_PASSWORD", "theirs")
    line = one_error_line(run("stats", "--neo4j", uri))
    assert "unencrypted" in line and "+s://" in line and PLAINTEXT_ENV in line


def test_tls_or_an_explicit_opt_in_passes_the_plaintext_gate(local_home, monkeypatch):
    # No credentials for these hosts, so each stops at the credentials, past the gate,
    # before any connection is tried.
    with pytest.raises(ServerError, match="not the local server's address"):
        connect("bolt+s://db.example.org:7687")
    monkeypatch.setenv(PLAINTEXT_ENV, "1")
    with pytest.raises(ServerError, match="not the local server's address"):
        connect("bolt://10.1.2.3:7687")
    with pytest.raises(ServerError, match="unencrypted"):
        connect("bolt://10.1.2.3:7687", allow_plaintext=False)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("bolt://127.0.0.1:notaport", "not a Neo4j URI"),
        ("bolt://127.0.0.1:99999", "not a Neo4j URI"),
        ("http://127.0.0.1:7474", "not a Neo4j URI; use one of bolt://"),
        ("https://db.example.org", "not a Neo4j URI"),
        ("bolt://", "no host"),
        ("neo4j://:7687", "no host"),
        ("bolt://neo4j:pw@127.0.0.1:7687", "holds credentials"),
        ("http://neo4j:pw@127.0.0.1:7474", "holds credentials"),
        ("localhost:7687", "not a Neo4j URI"),
    ],
)
def test_bad_uris_are_one_line(local_home, monkeypatch, uri, expected):
    monkeypatch.setenv("NEO4J_PASSWORD", "theirs")
    line = one_error_line(run("stats", "--neo4j", uri))
    assert expected in line
    assert "pw@" not in line  # a password typed into the URI is not echoed


def test_check_uri_and_loopback():
    assert check_uri("neo4j+s://Db.Example.org") == ("neo4j+s", "db.example.org", 7687)
    assert check_uri("bolt://127.0.0.1:17687") == ("bolt", "127.0.0.1", 17687)
    assert [is_loopback(h) for h in ("localhost", "127.8.9.1", "::1", "10.0.0.1", "example")] == [
        True,
        True,
        True,
        False,
        False,
    ]
