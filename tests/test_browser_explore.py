"""``graphmodel explore``: from the tiny log to a styled graph in a real Neo4j Browser.

The whole path runs once: a local server in a temporary home, ``graphmodel
explore tests/fixtures/tiny --no-open``, the printed address opened in headless
Chromium (tests/chromium.py), the password typed into the connect form, the
guide shown on connect, the largest cascade's block run from the guide and
its picture checked: the Browser's summary counts and the style's colours.
Screenshots go to the test's folder, and to ``$GRAPHMODEL_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import stat
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from chromium import Chromium
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.cypher import cypher_dir
from graphmodel.schema import EDGES, NODES
from graphmodel.server import assemble, guide
from graphmodel.server.config import ServerConfig, free_port
from graphmodel.server.guide_page import build_guide, saved_queries

TINY = Path(__file__).parent / "fixtures" / "tiny"

_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _explore(home: Path, *args: str):
    return CliRunner().invoke(main, ["explore", *args, "--no-open", "--quiet", "--home", str(home)])


# -- the guide, without a server ----------------------------------------------------------


def test_the_guide_has_the_schema_and_a_slide_per_saved_query():
    page = build_guide()
    assert page.startswith('<article class="guide">') and "<carousel" in page
    for m in NODES:
        assert f"<code>:{m.label}</code>" in page
    for m in EDGES:
        assert f"<code>:{m.type}</code>" in page
    files = sorted(p.stem for p in (cypher_dir() / "browser").glob("*.cypher"))
    names = [q.name for q in saved_queries()]
    assert names[:3] == ["largest_cascades", "data_account", "value_flow"]
    # every file is on a slide, its _table twin beside it; gds_*.cypher ones by glob
    shown = names + [q.table.name for q in saved_queries() if q.table]
    assert sorted(shown) == files
    assert page.count("<slide") == 1 + len(names)
    assert all(f"cypher/browser/{n}.cypher" in page for n in names)


def test_each_block_is_one_statement_with_the_values_the_inputs_fill():
    page = build_guide({"id": "'u4'"})
    blocks = re.findall(r'<pre class="code runnable">(.*?)</pre>', page, re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks]
    queries = [t for t in texts if not t.startswith(":param")]
    assert len(queries) == len(texts) - len(saved_queries())
    assert all("$" not in t for t in queries), "a parameter left in a runnable query"
    assert all(";" not in t.rstrip().rstrip(";") for t in queries), "more than one statement"
    assert '<span value-key="data_account-id">u4</span>' in page
    assert '<input type="text" value-for="largest_cascades-limit" value="5"' in page
    assert ':param limit =&gt; <span value-key="largest_cascades-limit">5</span>' in page


def test_the_guide_server_answers_with_cors_and_stops(tmp_path):
    port = free_port()
    pid = guide.start_with_server(tmp_path, port)
    try:
        assert guide.running(tmp_path) == (pid, port)
        url = f"http://127.0.0.1:{port}/{guide.GUIDE_FILE}"
        with _direct.open(url, timeout=5) as r:
            assert r.headers["Access-Control-Allow-Origin"] == "*"
            assert r.read().decode().startswith('<article class="guide">')
        request = urllib.request.Request(url, method="OPTIONS",
                                         headers={"Access-Control-Request-Headers": "pragma"})
        with _direct.open(request, timeout=5) as r:
            assert r.status == 204
            assert "pragma" in r.headers["Access-Control-Allow-Headers"]
        with _direct.open(f"http://127.0.0.1:{port}/{guide.STYLE_FILE}", timeout=5) as r:
            assert r.read() == (cypher_dir() / "browser" / "style.grass").read_bytes()
        assert guide.start(tmp_path, port) == pid  # reused
    finally:
        assert guide.stop(tmp_path)
    assert guide.running(tmp_path) is None


def test_post_connect_cmd_has_no_colons_and_names_the_port():
    settings = guide.browser_settings(7476)
    cmd = settings["browser.post_connect_cmd"]
    assert [c.strip().split(" ")[0] for c in cmd.split(";")] == ["style", "config", "play"]
    assert "autoComplete: false" in cmd
    assert guide.configured_port(settings) == 7476
    assert settings["browser.remote_content_hostname_whitelist"] == "127.0.0.1"


# -- bad input: one line, exit code 2 -----------------------------------------------------


def test_a_bad_log_folder_is_one_line_and_exit_2(tiny_copy, tmp_path):
    tiny_copy.set_cell("events", 2, "user_id", "nobody")
    tiny_copy.set_cell("events", 3, "at", "yesterday")
    result = _explore(tmp_path / "home", str(tiny_copy.path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "not a valid event log" in lines[0]
    assert not (tmp_path / "home").exists()  # no server started for a bad log
    result = _explore(tmp_path / "home", str(tmp_path / "missing"))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_a_server_that_cannot_start_is_one_line_and_exit_2(tmp_path, monkeypatch):
    """A java that answers -version but dies at start: Neo4j's failure, in one line."""
    assemble.assemble()  # with the real java and Maven, before the fake java is put in place
    java_home = tmp_path / "jdk"
    (java_home / "bin").mkdir(parents=True)
    java = java_home / "bin" / "java"
    java.write_text('#!/bin/sh\ncase "$*" in\n  *-version*) echo \'openjdk version "17.0.9"\' >&2;'
                    ' exit 0;;\n  *AdminTool*) exit 0;;\nesac\necho "ERROR: no heap for you"\n'
                    'echo "Caused by: nothing"\nexit 1\n')
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("JAVA_HOME", str(java_home))
    result = _explore(tmp_path / "home", str(TINY))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and "stopped while starting" in errors[0], lines
    assert "console.log" in errors[0]


# -- the whole path in a real Browser -----------------------------------------------------


def _wait(browser: Chromium, expression: str, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = browser.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            failed = Path(os.environ.get("GRAPHMODEL_SCREENSHOTS") or ".") / "explore-failed.png"
            if os.environ.get("GRAPHMODEL_SCREENSHOTS"):
                failed.parent.mkdir(parents=True, exist_ok=True)
                failed.write_bytes(browser.screenshot())
            raise AssertionError(f"the Browser did not show {what}")
        time.sleep(0.2)


def _save(png: bytes, path: Path) -> None:
    path.write_bytes(png)
    out = os.environ.get("GRAPHMODEL_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(out) / path.name)


def _share_of(png: bytes, colour: str, tolerance: int = 6) -> float:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        pixels = np.asarray(im.convert("RGB")).astype(int)
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(pixels - rgb).max(axis=-1) <= tolerance).mean())


def _type_into(browser: Chromium, selector: str, text: str) -> None:
    """Select the input's text and type ``text`` with real key events (the guide listens to keyup)."""
    browser.evaluate(f"(() => {{ const i = document.querySelector({json.dumps(selector)}); "
                     "i.scrollIntoView(); i.focus(); i.select(); })()")
    for ch in text:
        code = ord(ch.upper())
        browser.page("Input.dispatchKeyEvent", type="keyDown", key=ch, text=ch,
                     windowsVirtualKeyCode=code)
        browser.page("Input.dispatchKeyEvent", type="keyUp", key=ch, windowsVirtualKeyCode=code)


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    """A server home on free ports (its neo4j.conf written first), explored once; stopped after."""
    home = tmp_path_factory.mktemp("neo4j-explore")
    ServerConfig(home=home, lib=assemble.install_dir() / "lib", bolt_port=free_port(),
                 http_port=free_port(), guide_port=free_port()).write()
    started = time.monotonic()
    result = _explore(home, str(TINY))
    seconds = time.monotonic() - started
    try:
        assert result.exit_code == 0, result.output
        yield home, result.stdout, seconds
    finally:
        CliRunner().invoke(main, ["server", "stop", "--home", str(home)])
        assert guide.running(home) is None


@pytest.mark.neo4j
@pytest.mark.slow
def test_explore_then_a_styled_cascade_in_the_browser(explored, tmp_path_factory):
    home, out, _ = explored
    link = re.search(r"Browser:\s+(\S+)", out).group(1)
    assert "dbms=neo4j://neo4j@127.0.0.1:" in link and "cmd=" not in link
    password = json.loads((home / "credentials.json").read_text())["password"]
    assert password not in out
    assert "graphmodel server password" in out

    shots = tmp_path_factory.mktemp("screenshots")
    with Chromium(tmp_path_factory.mktemp("chromium") / "profile") as browser:
        browser.open(link)
        _wait(browser, "!!document.querySelector('[data-testid=password]')", "the connect form")
        # the address filled in the connection and the user name; the password is typed
        filled = browser.evaluate(
            "['boltaddress', 'username'].map(t => "
            "document.querySelector(`[data-testid=${t}]`).value)")
        assert filled[1] == "neo4j" and filled[0].endswith(link.split("@")[1].split("&")[0])
        # a wrong password: the Browser's own message, in its connect frame
        _type_into(browser, "[data-testid=password]", "not" + password)
        browser.evaluate("document.querySelector('[data-testid=connect]').click()")
        refused = _wait(browser, "(document.body.innerText.match(/.*authentication failure.*/)"
                                 " || [null])[0]", "the wrong password refused")
        assert "unauthorized" in refused, refused
        # The Browser tries a refused logon more than once, and three failures in a row
        # block the user for 5 s (dbms.security.auth_lock_time): then the right password.
        time.sleep(6)
        _type_into(browser, "[data-testid=password]", password)
        browser.evaluate("document.querySelector('[data-testid=connect]').click()")

        _wait(browser, "document.body.innerText.includes('The platform as a graph')",
              "the guide on connect")
        text = browser.evaluate("document.body.innerText")
        port = guide.running(home)[1]
        assert f":style http://127.0.0.1:{port}/style.grass" in text
        assert "To help make Neo4j Browser better" not in text  # telemetry banner off
        _save(browser.screenshot(), shots / "explore-guide.png")

        browser.evaluate("document.querySelector('[data-testid=carousel] .next-slide').click()")
        _wait(browser, "document.querySelector('[data-testid=carousel]').innerText"
                       ".includes('The largest referral cascades')", "the cascades slide")
        _type_into(browser, "[data-testid=carousel] input[value-for='largest_cascades-limit']",
                   "1")
        block = browser.evaluate(
            "document.querySelector('[data-testid=carousel] pre.runnable').innerText")
        assert "LIMIT toInteger(1)" in block and "$" not in block
        browser.evaluate("document.querySelector('[data-testid=carousel] pre.runnable i').click()")
        summary = _wait(
            browser,
            "(document.body.innerText.match(/Displaying \\d+ nodes?, \\d+ relationships?/)"
            " || [null])[0]",
            "the graph's summary",
        )
        time.sleep(1.5)  # the force layout settles
        png = browser.screenshot()
        _save(png, shots / "explore-cascade.png")

    # u1's share e03 brought u2 and u3, u2's share e07 brought u4, all in s1: the tree of
    # 3 REFERRED edges under u1 and u1's one SHARED edge to s1; nothing else is drawn
    assert summary == "Displaying 5 nodes, 4 relationships"
    assert _share_of(png, "#4C8EDA") > 0.001  # User nodes, in the style's blue
    assert _share_of(png, "#8DCC93") > 0.0005  # the Stream node, in its green


@pytest.mark.neo4j
@pytest.mark.slow
def test_explore_again_reuses_the_server_and_the_loaded_log(explored):
    home, _, first = explored
    started = time.monotonic()
    result = _explore(home, str(TINY))
    assert result.exit_code == 0, result.output
    assert "already running" in result.stdout
    assert "loaded already (the same log, unchanged)" in result.stdout
    assert time.monotonic() - started < first
    result = CliRunner().invoke(main, ["server", "password", "--home", str(home)])
    assert result.stdout.strip() == json.loads((home / "credentials.json").read_text())["password"]
