"""``graphmodel server start|stop|status``: thin click commands over :class:`LocalServer`.

Register with ``main.add_command(server)``. User errors
(:class:`~graphmodel.errors.UserError`) become ``error: ...`` lines on
stderr and exit code 2, as everywhere in the ``graphmodel`` command.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.group import Group as _Group
from graphmodel.errors import ServerError
from graphmodel.server.local import LocalServer

__all__ = ["server"]


#: ``--home DIR`` (or env ``GRAPHMODEL_NEO4J_HOME``), the same on every command.
home_option = click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GRAPHMODEL_NEO4J_HOME",
    show_envvar=True,
    help="The server's state folder (conf, data, logs, credentials). "
    "[default: ~/.local/state/graphmodel/neo4j]",
)


def _size(value: str) -> str:
    """A memory size as Neo4j's configuration takes it: digits and a unit k, m or g."""
    if not re.fullmatch(r"[1-9][0-9]*[kmg]", value.strip().lower()):
        raise click.BadParameter(f"{value!r} is not a size like 512m or 2g")
    return value.strip().lower()


def _is_step(message: str) -> bool:
    """A message worth a line of its own (download counts only feed the spinner)."""
    return "files downloaded" not in message


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """Progress on stderr: each step as a line; on a terminal a spinner shows the downloads too."""
    from rich.console import Console

    from graphmodel.terminal import plain, visible

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda message: click.echo(visible(message), err=True) if _is_step(message) else None
        return
    with console.status("Neo4j") as status:

        def report(message: str) -> None:
            # messages name paths and versions: shown as plain text, never as markup
            status.update(plain(message))
            if _is_step(message):
                console.print(plain(message), highlight=False)

        yield report


@click.group(cls=_Group, epilog=examples(
    ("start it; the first start assembles it from Maven Central",
     "graphmodel server start"),
    ("NEO4J_URI for this shell, then an analysis on the loaded log",
     'eval "$(graphmodel server env)" && graphmodel value --by actor'),
))
def server():
    """A local Neo4j server (assembled from Maven Central, run with java; no Docker)."""


@server.command(epilog=examples(
    ("start it, or say where it runs",
     "graphmodel server start"),
    ("more memory, for large logs",
     "graphmodel server start --heap 1g --pagecache 2g"),
))
@click.option(
    "--bolt-port",
    type=click.IntRange(0, 65535),
    metavar="N",
    help="Bolt port on 127.0.0.1 (0: any free port). [default: the previous one, "
    "else 7687, else a free one]",
)
@click.option(
    "--http-port",
    type=click.IntRange(0, 65535),
    metavar="N",
    help="HTTP (Browser) port on 127.0.0.1 (0: any free port). [default: the previous "
    "one, else 7474, else a free one]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for Bolt and HTTP to answer.",
)
@click.option("--heap", default="512m", show_default=True, callback=lambda c, p, v: _size(v),
              help="Java heap size (e.g. 512m, 2g).")
@click.option("--pagecache", default="256m", show_default=True,
              callback=lambda c, p, v: _size(v),
              help="Page cache size; a larger one speeds up loading big logs (e.g. 2g).")
@home_option
def start(bolt_port, http_port, timeout, heap, pagecache, home):
    """Start the server (assembled on first use).

    Waits until Bolt accepts the generated password and HTTP answers, then
    prints the Bolt and Browser addresses and where the credentials are.
    """
    with _progress() as report:
        info = LocalServer(
            home,
            bolt_port=bolt_port,
            http_port=http_port,
            heap_initial=heap,
            heap_max=heap,
            pagecache=pagecache,
            on_progress=report,
        ).start(timeout=timeout)
    state = (
        f"started in {info.startup_seconds:.1f} s" if info.startup_seconds else "already running"
    )
    click.echo(f"Neo4j {info.version} {state} (pid {info.pid}).")
    click.echo(f"  Bolt:        {info.bolt_uri}")
    click.echo(f"  Browser:     {info.browser_uri}")
    click.echo(f"  Credentials: {info.credentials_file} (user {info.user})")
    click.echo(f"  Use it:      export NEO4J_URI={info.bolt_uri}")
    click.echo("  Stop it:     graphmodel server stop")


@server.command(epilog=examples(
    ("stop the server and the Browser guide's web server",
     "graphmodel server stop"),
))
@home_option
def stop(home):
    """Stop the server."""
    from graphmodel.server import guide

    local = LocalServer(home)
    if local.stop():
        click.echo(f"Neo4j in {local.home} stopped.")
    else:
        click.echo(f"No Neo4j server runs in {local.home}.")
    if guide.stop(local.home):
        click.echo("Its guide server stopped.")


@server.command(epilog=examples(
    ("whether it runs, its addresses and credentials file",
     "graphmodel server status"),
    ("the same as JSON, for a script",
     "graphmodel server status --json"),
))
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@home_option
def status(as_json, home):
    """Whether the server runs, and where it answers."""
    state = LocalServer(home).status()
    if as_json:
        click.echo(json.dumps(state.as_dict(), indent=2))
    elif state.running:
        click.echo(f"Neo4j is running (pid {state.pid}).")
        click.echo(f"  Bolt:        {state.bolt_uri}")
        click.echo(f"  Browser:     {state.http_uri}/browser/")
        click.echo(f"  Credentials: {state.credentials_file}")
    else:
        click.echo(f"No Neo4j server runs in {state.home}.")


@server.command(epilog=examples(
    ("the password to type into the Browser's connect form",
     "graphmodel server password"),
))
@home_option
def password(home):
    """Print the password of the local server's user neo4j (for the Browser's connect form).

    It is kept in the credentials file (`graphmodel server status` names it),
    readable only by you; nothing else prints it.
    """
    from graphmodel.server.credentials import credentials_file, read_credentials

    local = LocalServer(home)
    creds = read_credentials(local.home)
    if not creds:
        raise ServerError(f"no credentials in {credentials_file(local.home)}: start the server "
                          "first (`graphmodel server start` or `graphmodel explore DIR`)")
    click.echo(creds["password"])


@server.command(epilog=examples(
    ("NEO4J_URI for this shell, then an analysis on the loaded log",
     'eval "$(graphmodel server env)" && graphmodel value --by actor'),
))
@home_option
def env(home):
    """Print `export NEO4J_URI=...` for the running server: `eval "$(graphmodel server env)"`.

    The password stays in the credentials file, where the tools read it.
    """
    state = LocalServer(home).status()
    if not state.running:
        raise ServerError(f"no Neo4j server runs in {state.home}: start it with "
                          "`graphmodel server start`")
    click.echo(f"export NEO4J_URI={state.bolt_uri}")


@server.command(epilog=examples(
    ("empty the database before loading another log",
     "graphmodel server reset"),
))
@click.option("--batch-size", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Nodes or relationships deleted per transaction.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@home_option
def reset(batch_size, quiet, home):
    """Empty the running server's database; keep its password, constraints and indexes.

    Deletes every node and relationship over Bolt, in batches, under the load
    lock (a running load makes it refuse). Nothing else changes: the
    credentials file and the server's users stay.
    """
    from graphmodel.engines.neo4j.local_database import reset_server
    from graphmodel.progress import progress_bar

    local = LocalServer(home)
    if not local.status().running:  # said before the progress bar shows
        raise ServerError(f"no Neo4j server runs in {local.home}: start it with "
                          "`graphmodel server start`")
    with progress_bar(not quiet, "resetting") as bar:
        uri, nodes, rels = reset_server(local, batch_size=batch_size, progress=bar)
    click.echo(f"emptied the database at {uri}: deleted {nodes:,} nodes and {rels:,} "
               "relationships; credentials, constraints and indexes kept")


@server.command(epilog=examples(
    ("save the loaded database into a new file",
     "graphmodel server dump platform.dump"),
))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@home_option
def dump(file, home):
    """Dump the server's database into FILE (a new file) with neo4j-admin.

    The server is stopped for the dump and started again if it was running.
    Restore it with `graphmodel server restore FILE`.
    """
    from graphmodel.engines.neo4j.local_database import dump_database

    with _progress() as report:
        done = dump_database(LocalServer(home, on_progress=report), file, report=report)
    state = f"; server at {done['bolt_uri']}" if done["bolt_uri"] else ""
    click.echo(f"dumped the database into {done['file']} ({done['bytes']:,} bytes){state}")


@server.command(epilog=examples(
    ("bring the saved database back, over what the database holds now",
     "graphmodel server restore platform.dump --replace"),
))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace a database that is not empty.")
@home_option
def restore(file, replace, home):
    """Load the dump FILE into the server's database with neo4j-admin.

    A database that holds anything is refused unless --replace. The server is
    stopped for the load and started again if it was running.
    """
    from graphmodel.engines.neo4j.local_database import restore_database

    with _progress() as report:
        done = restore_database(LocalServer(home, on_progress=report), file, replace=replace,
                                report=report)
    after = done["restored"]
    state = f"; server at {done['bolt_uri']}" if done["bolt_uri"] else "; server left stopped"
    click.echo(f"restored {file} into the database: {after.users:,} User, {after.nodes:,} "
               f"nodes and {after.relationships:,} relationships{state}")
