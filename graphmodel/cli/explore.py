"""``graphmodel explore DIR``: one step from an event log to a styled, guided Neo4j Browser.

Starts the local server if it is not running (as ``graphmodel server start``),
loads the log into it (``graphmodel load``; a database that holds this very log
already is reused), writes the Browser's guide and style and starts the guide
server that serves them (:mod:`graphmodel.server.guide`), then prints the
Browser's address with the user name filled in, and opens it when a display is
there. The password is never printed unasked: ``graphmodel server password``
shows it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import referral_options
from graphmodel.cli.panel import panel_mode
from graphmodel.cli.server import _progress, home_option
from graphmodel.errors import LogError, ServerError, UserError

__all__ = ["explore", "browser_link"]

#: The name of the log's record (graphmodel.engines.neo4j.load.LOG_RECORD).
_LOG_RECORD = "log"


def browser_link(http_uri: str, bolt_uri: str, user: str) -> str:
    """The Browser's address with the connection and the user name filled in.

    No ``cmd=`` in it: a command in the address stops the Browser from running
    ``browser.post_connect_cmd`` (the style, settings and guide).
    """
    host_port = bolt_uri.split("://", 1)[1]
    return f"{http_uri}/browser/?dbms=neo4j://{user}@{host_port}&db=neo4j"


def _one_line(exc: ServerError, more: str) -> ServerError:
    """``exc`` as one line: its first, and where the rest is."""
    lines = str(exc).splitlines() or ["error"]
    if len(lines) == 1:
        return exc
    return ServerError(f"{lines[0].rstrip(':;')} ({more})")


def _log_error(folder: Path, exc: LogError) -> UserError:
    first = str(exc.problems[0]) if exc.problems else str(exc)
    rest = exc.total - 1
    more = f" (and {rest} more problem(s): `graphmodel validate {folder}` lists them)" if rest else ""
    return UserError(f"{folder}: not a valid event log: {first}{more}")


@contextlib.contextmanager
def _home_env(home: Path) -> Iterator[None]:
    """``GRAPHMODEL_NEO4J_HOME=home`` meanwhile, so the loader finds this server's credentials."""
    old = os.environ.get("GRAPHMODEL_NEO4J_HOME")
    os.environ["GRAPHMODEL_NEO4J_HOME"] = str(home)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("GRAPHMODEL_NEO4J_HOME", None)
        else:
            os.environ["GRAPHMODEL_NEO4J_HOME"] = old


def _held(driver, fp: str) -> bool:
    """Whether the database holds the log of fingerprint ``fp``, as explore left it."""
    from graphmodel.cypher import load_cypher

    with driver.session() as session:
        row = session.run(load_cypher("explore/read"), name=_LOG_RECORD).single()
    return (
        row is not None
        and row["fingerprint"] == fp
        and row["nodes"] == row["nodes_now"]
        and row["relationships"] == row["relationships_now"]
    )


def _record(driver, fp: str) -> None:
    from graphmodel.cypher import load_cypher

    with driver.session() as session:
        session.execute_write(
            lambda tx: tx.run(load_cypher("explore/write"), name=_LOG_RECORD,
                              fingerprint=fp).consume()
        )


def _largest_root(driver) -> str | None:
    """The root of the largest cascade: the data account slide's first user."""
    from graphmodel.cypher import load_cypher

    with driver.session() as session:
        row = session.run(load_cypher("browser/largest_cascades_table"), limit=1).single()
    return None if row is None else row["root_id"]


def _has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@click.command(epilog=examples(
    ("start the server if needed, load the log and open the Browser",
     "graphmodel explore platform/"),
    ("the governance panel: move a lever, see the figures change",
     "graphmodel explore --source platform/ --out panel.html"),
))
@click.argument("folder", type=click.Path(path_type=Path), required=False)
@click.option("--no-open", is_flag=True, help="Print the Browser's address, do not open it.")
@click.option("--replace", is_flag=True,
              help="The database holds another log: empty it first, then load (as load --replace).")
@click.option("--append", is_flag=True,
              help="The database holds another log: merge the two (as load --append).")
@referral_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@home_option
@panel_mode
def explore(folder, no_open, replace, append, referrals, window, quiet, home):
    """Load the event log in FOLDER into the local server and open a guided Neo4j Browser.

    Starts the server if it is not running, loads the log (a database holding
    this very log already is reused; one holding another log is refused unless
    --replace or --append; a load running at the same time makes this one
    refuse), starts the guide server that gives the Browser its style and a
    guide of the saved queries on connect, and prints the Browser's address with
    the user name filled in. The password: `graphmodel server password`.
    Stop both servers with `graphmodel server stop`.

    With --source DIR instead of FOLDER: write the governance panel of the log
    (one HTML file that recomputes the scenario figures as levers move) and open it.
    """
    from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
    from graphmodel.engines.neo4j.ingest import load_folder
    from graphmodel.engines.neo4j.load import fingerprint
    from graphmodel.eventlog import read_log
    from graphmodel.model.inference import DEFAULT_WINDOW_S, infer_log
    from graphmodel.progress import progress_bar
    from graphmodel.server import guide as _guide
    from graphmodel.server.config import default_home, read_conf
    from graphmodel.server.guide_page import write_guide
    from graphmodel.server.local import LocalServer
    from graphmodel.server.process import console_log

    def say(message):
        click.echo(message, err=True)

    if folder is None:
        raise click.UsageError("give FOLDER (the Neo4j Browser) or --source DIR (the panel)")
    if replace and append:
        raise UserError("give --replace or --append, not both")

    try:
        log = infer_log(read_log(folder), referrals or "auto",
                        DEFAULT_WINDOW_S if window is None else window)
    except LogError as exc:
        raise _log_error(folder, exc) from None
    fp = fingerprint(log)
    del log

    local = LocalServer(home)
    try:
        with _progress() as report:
            info = LocalServer(local.home, on_progress=report).start()
    except ServerError as exc:
        raise _one_line(exc, f"see {console_log(local.home)}") from None

    import neo4j

    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG) as driver:
        if _held(driver, fp):
            loaded = f"{folder} is loaded already (the same log, unchanged)"
        else:
            with _home_env(info.home), progress_bar(not quiet, "loading") as bar:
                say(load_folder(folder, info.bolt_uri, progress=bar, say=say,
                                referrals=referrals, window_s=window,
                                existing="replace" if replace else "append" if append
                                else "refuse"))
            _record(driver, fp)
            loaded = f"{folder} loaded"
        root = _largest_root(driver)

    port = _guide.configured_port(read_conf(info.home))
    guide_note = None
    if port is None:
        guide_note = ("this server was started without the guide settings: restart it "
                      "(`graphmodel server stop`, then `graphmodel explore` again) to get the "
                      "style and the guide on connect")
    else:
        write_guide(_guide.guide_dir(info.home), {"id": f"'{root}'"} if root else None)
        _guide.start(info.home, port)

    link = browser_link(info.http_uri, info.bolt_uri, info.user)
    home_arg = "" if info.home == default_home() else f" --home {info.home}"
    state = (f"started in {info.startup_seconds:.1f} s" if info.startup_seconds
             else "already running")
    click.echo(f"Neo4j {info.version} {state} (pid {info.pid}); {loaded}.")
    click.echo(f"  Browser:  {link}")
    click.echo(f"  User:     {info.user}")
    click.echo(f"  Password: run `graphmodel server password{home_arg}` to show it "
               f"(kept in {info.credentials_file})")
    if port is not None:
        click.echo(f"  Guide:    {_guide.base_uri(port)}/{_guide.GUIDE_FILE} (plays on connect; "
                   f"`:play {_guide.base_uri(port)}/{_guide.GUIDE_FILE}` shows it again)")
    else:
        say(f"note: {guide_note}")
    click.echo(f"  Stop:     graphmodel server stop{home_arg}")
    if not no_open and _has_display():
        import webbrowser

        webbrowser.open(link)
