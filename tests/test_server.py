"""The local Neo4j server: assembled from Maven Central, started with java, loopback only, private password."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from neo4j.exceptions import AuthError
from neo4j_server import docker_available, running_neo4j

from graphmodel.cli.server import server
from graphmodel.errors import ServerError
from graphmodel.server import LocalServer
from graphmodel.server.assemble import (
    POM,
    _maven_error,
    _move_plugins,
    install_dir,
    is_assembled,
    plugin_groups,
    pom_properties,
)
from graphmodel.server.config import GROUPING_THRESHOLD, ServerConfig, choose_port, read_conf
from graphmodel.server.credentials import read_credentials, write_credentials
from graphmodel.server.process import MAIN_CLASS

needs_java_and_maven = pytest.mark.skipif(
    not shutil.which("java") or not (shutil.which("mvn") or is_assembled()),
    reason="the local Neo4j server needs java (and mvn for the first assembly)",
)


# -- without a server ---------------------------------------------------------------------


def test_pom_pins_neo4j_5_26_and_the_browser():
    props = pom_properties()
    assert props["neo4j.version"].startswith("5.26.")
    assert props["neo4j-browser.version"] == "5.24.0"
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()
    assert install_dir().name == f"neo4j-{props['neo4j.version']}-{digest[:12]}"


def test_pom_adds_apoc_core_and_gds_as_plugins(tmp_path):
    props = pom_properties()
    assert props["gds.version"] == "2.13.9"
    assert props["apoc.version"] == "5.26.19"
    assert plugin_groups() == ("org.neo4j.gds", "org.neo4j.procedure")
    lib, plugins = tmp_path / "lib", tmp_path / "plugins"
    lib.mkdir()
    names = [
        "org.neo4j.gds.proc-2.13.9.jar",
        "org.neo4j.procedure.apoc-core-5.26.19.jar",
        "org.neo4j.neo4j-kernel-5.26.31.jar",
        "org.openjdk.jol.jol-core-0.17.jar",
    ]
    for name in names:
        (lib / name).write_bytes(b"")
    assert _move_plugins(lib, plugins, plugin_groups()) == 2
    assert sorted(p.name for p in plugins.iterdir()) == sorted(names[:2])
    assert sorted(p.name for p in lib.iterdir()) == sorted(names[2:])
    config = ServerConfig(home=tmp_path / "home", lib=lib, bolt_port=1, http_port=2)
    assert config.settings()["server.directories.plugins"] == str(plugins)
    assert config.settings()["dbms.security.procedures.unrestricted"] == "gds.*,apoc.*"


def test_conf_listens_on_loopback_only_with_auth_and_small_memory(tmp_path):
    config = ServerConfig(home=tmp_path, lib=tmp_path / "lib", bolt_port=17687, http_port=17474)
    config.write()
    settings = read_conf(tmp_path)
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert settings["server.http.listen_address"] == "127.0.0.1:17474"
    assert settings["server.bolt.advertised_address"] == "127.0.0.1:17687"
    assert settings["server.https.enabled"] == "false"
    assert settings["dbms.security.auth_enabled"] == "true"
    assert settings["server.memory.heap.max_size"] == "512m"
    assert settings["server.memory.pagecache.size"] == "256m"
    assert settings["server.directories.data"] == str(tmp_path / "data")
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700


def test_credentials_file_is_written_with_mode_0600(tmp_path):
    old = os.umask(0)
    try:
        path = write_credentials(tmp_path / "credentials.json", user="neo4j", password="secret123")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_credentials(tmp_path)["password"] == "secret123"


def test_maven_error_is_its_most_telling_line():
    lines = [
        "[INFO] Scanning for projects...",
        "[ERROR] [ERROR] Some problems were encountered while processing the POMs:",
        "[ERROR] Non-resolvable import POM: org.neo4j:parent:pom:5.26.99 was not found",
        "[ERROR] -> [Help 1]",
    ]
    assert (
        _maven_error(lines)
        == "Non-resolvable import POM: org.neo4j:parent:pom:5.26.99 was not found"
    )
    assert _maven_error(["[INFO] BUILD FAILURE"]) is None


def test_no_credentials_file_reads_as_none(tmp_path):
    assert read_credentials(tmp_path) is None


def test_a_requested_port_in_use_is_an_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServerError, match=f"port {port} .* in use"):
            choose_port(port, None, 7687)
        assert choose_port(None, port, port) != port  # previous and standard taken: a free one


@pytest.fixture
def no_java_no_maven(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)


def test_without_java_and_maven_one_line_names_the_alternatives(tmp_path, no_java_no_maven):
    local = LocalServer(tmp_path / "home", install=tmp_path / "not-assembled")
    with pytest.raises(ServerError) as caught:
        local.start()
    message = str(caught.value)
    assert "\n" not in message
    assert "java and mvn were not found" in message
    assert "docker compose" in message and "NEO4J_URI" in message


def test_cli_without_java_and_maven_exits_2_with_one_line(tmp_path, no_java_no_maven, monkeypatch):
    monkeypatch.setenv("GRAPHMODEL_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(server, ["start", "--home", str(tmp_path / "home")])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "docker compose" in lines[0] and "NEO4J_URI" in lines[0]


def test_status_of_a_home_without_server(tmp_path):
    result = CliRunner().invoke(server, ["status", "--json", "--home", str(tmp_path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["running"] is False
    result = CliRunner().invoke(server, ["env", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no Neo4j server runs in {tmp_path}")


def test_docker_probe_answers_quickly():
    start = time.monotonic()
    assert docker_available(timeout=2.0) in (True, False)
    assert time.monotonic() - start < 10


# -- with a running local server ----------------------------------------------------------


def _listen_addresses(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Local addresses of LISTEN sockets on ``port``, from /proc/net/tcp{,6} (Linux)."""
    found = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(ipaddress.ip_address(words) if width == 8 else ipaddress.IPv6Address(words))
    return found


def _is_loopback(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def _port(uri: str) -> int:
    return int(uri.rsplit(":", 1)[1])


#: An HTTP client that ignores proxy settings (the server is on 127.0.0.1).
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    home = tmp_path_factory.mktemp("neo4j-home")
    local = LocalServer(home, bolt_port=0, http_port=0)
    info = local.start()
    yield local, info
    local.stop()


def server_test(test):
    """Marks of a test that runs the local server: neo4j, slow, skipped without java/mvn."""
    return pytest.mark.neo4j(pytest.mark.slow(needs_java_and_maven(test)))


@server_test
def test_bolt_answers_with_the_generated_credentials(local):
    _, info = local
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition"
        )
        assert records[0]["version"] == info.version and records[0]["edition"] == "community"


@server_test
def test_the_running_server_has_the_chosen_grouping_threshold(local):
    _, info = local
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value",
            name="db.relationship_grouping_threshold",
        )
    assert GROUPING_THRESHOLD == 1000
    assert [r["value"] for r in records] == ["1000"]


@server_test
def test_a_wrong_password_is_refused(local):
    _, info = local
    wrong = (info.user, "wrong-password")
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=wrong) as driver, pytest.raises(AuthError):
        driver.verify_connectivity()


@server_test
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc/net (Linux)")
def test_bolt_and_http_listen_on_loopback_only(local):
    _, info = local
    for uri in (info.bolt_uri, info.http_uri):
        addresses = _listen_addresses(_port(uri))
        assert addresses, f"nothing listens on {uri}"
        assert all(_is_loopback(a) for a in addresses), addresses


@server_test
def test_credentials_file_is_private_and_matches(local):
    _, info = local
    assert stat.S_IMODE(info.credentials_file.stat().st_mode) == 0o600
    saved = json.loads(info.credentials_file.read_text())
    assert saved == {
        "user": "neo4j",
        "password": info.password,
        "uri": info.bolt_uri,
        "http_uri": info.http_uri,
    }
    assert info.password not in repr(info)


@server_test
def test_browser_is_served_at_the_http_address(local):
    _, info = local
    request = urllib.request.Request(info.http_uri + "/", headers={"Accept": "text/html"})
    with _direct.open(request, timeout=10) as response:  # follows the 303
        assert response.url == info.browser_uri
        assert "<title>Neo4j Browser</title>" in response.read().decode()
    request = urllib.request.Request(info.http_uri + "/", headers={"Accept": "application/json"})
    with _direct.open(request, timeout=10) as response:
        discovery = json.load(response)
    assert discovery["bolt_direct"] == info.bolt_uri  # the Browser connects to the right port


@server_test
def test_start_again_reuses_the_running_server(local):
    server_, info = local
    again = LocalServer(server_.home).start()
    assert again.pid == info.pid and again.bolt_uri == info.bolt_uri
    assert again.startup_seconds == 0.0
    with pytest.raises(ServerError, match="already runs"):
        LocalServer(server_.home, bolt_port=_port(info.bolt_uri) + 1).start()


@server_test
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/cmdline")
def test_the_command_is_what_bin_neo4j_console_runs(local):
    """The running JVM's arguments equal those ``Neo4jBoot console --dry-run`` prints.

    The launcher also finds our pid file and calls the server already running.
    """
    server_, info = local
    running = Path(f"/proc/{info.pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    env = dict(os.environ, NEO4J_HOME=str(server_.install), NEO4J_CONF=str(server_.home / "conf"))
    env.pop("JAVA_OPTS", None)
    launcher = [
        "java",
        "-cp",
        str(server_.install / "lib" / "*"),
        "org.neo4j.server.startup.Neo4jBoot",
        "console",
        "--dry-run",
    ]
    dry_run = subprocess.run(launcher, env=env, capture_output=True, text=True, timeout=120)
    assert f"Neo4j is already running (pid:{info.pid})" in dry_run.stderr
    command = dry_run.stdout.strip().splitlines()[-1].split(" ")
    assert MAIN_CLASS in running
    assert running[1:] == command[1:]


@server_test
def test_cli_start_status_stop(tmp_path):
    home = str(tmp_path / "home")
    runner = CliRunner()
    result = runner.invoke(
        server, ["start", "--home", home, "--bolt-port", "0", "--http-port", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "Bolt:        bolt://127.0.0.1:" in result.stdout
    assert "/browser/" in result.stdout and "credentials.json" in result.stdout
    try:
        status = json.loads(runner.invoke(server, ["status", "--json", "--home", home]).stdout)
        assert status["running"] is True
        bolt, http = _port(status["bolt_uri"]), _port(status["http_uri"])
        assert _accepts(bolt) and _accepts(http)
        assert "running" in runner.invoke(server, ["status", "--home", home]).stdout
        env = runner.invoke(server, ["env", "--home", home]).stdout
        assert env == f"export NEO4J_URI={status['bolt_uri']}\n"
    finally:
        result = runner.invoke(server, ["stop", "--home", home])
    assert result.exit_code == 0 and "stopped" in result.stdout
    assert not _accepts(bolt) and not _accepts(http)
    assert choose_port(None, bolt, 7687) == bolt  # a restart gets the same ports back
    assert json.loads(runner.invoke(server, ["status", "--json", "--home", home]).stdout) == {
        "running": False,
        "home": home,
        "pid": None,
        "bolt_uri": None,
        "http_uri": None,
        "browser_uri": None,
        "credentials_file": None,
    }
    assert "No Neo4j server" in runner.invoke(server, ["stop", "--home", home]).stdout


@server_test
def test_the_test_helper_runs_the_local_server_without_docker(tmp_path):
    with running_neo4j(tmp_path, docker=False) as (uri, user, password):
        with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
            records, _, _ = driver.execute_query("RETURN 2 AS two")
            assert records[0]["two"] == 2
        port = _port(uri)
    assert not _accepts(port)


def test_memory_sizes_reach_the_configuration_and_bad_ones_are_usage_errors(tmp_path):
    from click.testing import CliRunner

    from graphmodel.cli.server import server as server_group

    config = LocalServer(tmp_path / "home", heap_max="2g", pagecache="1g", bolt_port=0,
                         http_port=0)._config()
    settings = config.settings()
    assert settings["server.memory.pagecache.size"] == "1g"
    assert settings["server.memory.heap.max_size"] == "2g"
    for bad in ("2x", "1g\nserver.bolt.listen_address=0.0.0.0", "0m"):
        r = CliRunner().invoke(server_group, ["start", "--pagecache", bad, "--home",
                                              str(tmp_path / "h2")])
        assert r.exit_code == 2 and "not a size" in r.output
    assert not (tmp_path / "h2").exists()
