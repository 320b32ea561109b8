"""The ``graphmodel`` command line: thin click commands over the library.

Exit codes: 0 success, 1 internal error (a bug: it keeps its traceback),
2 user error (bad input, options or environment: one line per problem on
stderr, nothing written).
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from graphmodel.__about__ import __version__
from graphmodel.cli.engine import engine_options
from graphmodel.cli.examples import examples
from graphmodel.cli.group import Group
from graphmodel.cli.options import output_options, referral_options, source_options

# The Neo4j driver logs each transaction it retries (a deadlock or an outdated read
# between the loader's writers, which a retry resolves) as a multi-line warning, which
# Python prints on stderr when no logging is set up. The command line keeps stderr for
# its progress and errors: with a handler of its own, the driver's records go to the
# handlers a user configures and nowhere else.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=examples(
                 ("a platform of 2,000 users over three days",
                  "graphmodel generate --users 2000 --days 3 --out platform/"),
                 ("who captures the value its users produce",
                  "graphmodel value --source platform/ --by actor"),
             ))
@click.version_option(__version__, prog_name="graphmodel")
def main() -> None:
    """Users' likes, comments, shares and watch time as labour, data and value.

    A graph model of a livestream e-commerce platform. Start with
    `graphmodel demo`; bring your own log with `graphmodel validate DIR`.
    """


def _log_out(ctx, param, value):
    """``generate --out``: a non-empty path, checked further once the format is known."""
    from graphmodel.errors import UserError

    if value == "":
        raise UserError("--out '': an empty path; give a folder for the event log")
    return Path(value)


@main.command(epilog=examples(
    ("2,000 users over three days; the same seed gives byte-identical files",
     "graphmodel generate --users 2000 --days 3 --seed 0 --out platform/"),
    ("the same platform as Parquet, for --engine spark",
     "graphmodel generate --users 2000 --days 3 --format parquet --out platform-parquet/"),
))
@click.option("--users", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Number of users.")
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
              help="Number of simulated days.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed: the same seed and options give byte-identical files.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              callback=_log_out,
              help="Folder to write the event log into. Only the log's files are written; "
                   "a folder holding a log in another format is refused unless --force.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv",
              show_default=True, help="File format of the tables.")
@click.option("--no-social", is_flag=True, help="Switch off the social graph (no follows).")
@click.option("--no-feedback", is_flag=True,
              help="Switch off the recommender feedback loop (exposure ignores history).")
@click.option("--no-tasks", is_flag=True, help="Switch off incentive tasks.")
@click.option("--no-shares", is_flag=True, help="Switch off sharing (no cascades).")
@click.option("--no-ads", is_flag=True, help="Switch off advertisers' spend.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--chunk-days", type=click.IntRange(min=1),
              help="For large platforms: write the events as Parquet parts "
                   "(events/part-*.parquet), N days each, never holding the whole log.")
@click.option("--force", is_flag=True,
              help="Replace a log in another format or compression in --out (removes its "
                   "table files and graphmodel.json only, never other files or folders).")
def generate(users, days, seed, out, fmt, no_social, no_feedback, no_tasks, no_shares, no_ads,
             quiet, chunk_days, force):
    """Generate a seeded synthetic platform and write its event log to --out."""
    from graphmodel.eventlog.write import check_log_out
    from graphmodel.generator import GeneratorConfig
    from graphmodel.generator.write import generate_to
    from graphmodel.terminal import visible

    config = GeneratorConfig(users=users, days=days, seed=seed, social=not no_social,
                             feedback=not no_feedback, tasks=not no_tasks, shares=not no_shares,
                             ads=not no_ads)
    if chunk_days:
        from graphmodel.generator.chunked import generate_to_parts

        if fmt == "parquet":  # checked before the simulation runs
            check_log_out(out, fmt, parts=("events",), force=force)
        sizes = generate_to_parts(config, out, chunk_days, fmt=fmt, progress=not quiet,
                                  force=force)
        click.echo(f"wrote {visible(out)} (parquet, events in parts: "
                   + ", ".join(f"{sizes[t]:,} {t}" for t in ("users", "streams", "events"))
                   + ")", err=True)
        return
    log = generate_to(config, out, fmt=fmt, progress=not quiet, force=force)
    sizes = ", ".join(f"{len(log[t]):,} {t}" for t in ("users", "streams", "events"))
    click.echo(f"wrote {visible(out)} ({fmt}: {sizes})", err=True)


@main.command(epilog=examples(
    ("every problem as one line naming file, line and column",
     "graphmodel validate platform/"),
    ("a Parquet log, checked by Apache Spark",
     "graphmodel validate platform-parquet/ --engine spark"),
))
@click.argument("folder", type=click.Path(path_type=Path))
@engine_options("validate")
def validate(folder):
    """Check the event log in FOLDER; list every problem (exit code 2 if any)."""
    from graphmodel.eventlog import read_log
    from graphmodel.terminal import visible

    log = read_log(folder)
    sizes = ", ".join(f"{len(log[t]):,} {t}" for t in log)
    click.echo(f"{visible(folder)}: valid event log ({sizes})")
    if log.coverage.describe():
        click.echo(f"{visible(folder)}: {log.coverage.describe()}")


@main.command(epilog=examples(
    ("nodes per label, relationships per type",
     "graphmodel stats --source platform/"),
    ("the same of the server NEO4J_URI names, as JSON",
     "graphmodel stats --format json"),
))
@source_options
@output_options
def stats(store):
    """Node counts per label and relationship counts per type, REFERRED included."""
    from graphmodel.analysis.summary import graph_stats

    return graph_stats(store)


@main.command(epilog=examples(
    ("each target, the value measured, its tolerance and verdict",
     "graphmodel calibration --source platform/"),
    ("as CSV, for a spreadsheet",
     "graphmodel calibration --source platform/ --format csv --out calibration.csv"),
))
@source_options
@output_options
def calibration(store):
    """Measure the calibration targets of the model on a log: target, value, verdict."""
    from graphmodel.analysis.summary import calibration_table

    return calibration_table(store)


@main.command(epilog=examples(
    ("into the server NEO4J_URI names (eval \"$(graphmodel server env)\")",
     "graphmodel load platform/"),
    ("replace the log the database holds; referrals inferred from the social graph",
     "graphmodel load platform/ --replace --referrals social"),
))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--neo4j", "neo4j", envvar="NEO4J_URI", metavar="URI",
              help="The Neo4j server to load into (or env NEO4J_URI). Credentials come from "
                   "NEO4J_USER/NEO4J_PASSWORD or the local server's credentials file.")
@click.option("--engine", type=click.Choice(["neo4j", "spark"]), default="neo4j",
              show_default=True,
              help="Who writes: the Bolt loader (every table, idempotent), or Spark with the "
                   "Neo4j Connector for Apache Spark (users and REFERRED edges of a Parquet "
                   "log, docs/spark.md).")
@click.option("--master", default=None, metavar="URL",
              help="With --engine spark: the Spark master (default local[*]).")
@click.option("--users", "sample", type=click.IntRange(min=1),
              help="With --engine spark: only the first N users by id, and the referrals "
                   "among them.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5_000, show_default=True,
              help="Rows per transaction.")
@click.option("--bulk", is_flag=True,
              help="Offline bulk path for large logs: replace the local server's database "
                   "with neo4j-admin database import (the server is stopped and restarted).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              envvar="GRAPHMODEL_NEO4J_HOME", help="The local server's home (with --bulk).")
@click.option("--break-lock", is_flag=True,
              help="First remove the database's load lock, left behind by a load that died "
                   "(a server killed under it, say); never while another load runs.")
@click.option("--replace", is_flag=True,
              help="The database holds another log: empty it first (in batches, under the "
                   "load lock), then load.")
@click.option("--append", is_flag=True,
              help="The database holds another log: merge the two (nodes and events with the "
                   "same id are one; the referral rules must agree).")
@referral_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def load(folder, neo4j, engine, master, sample, batch_size, bulk, home, break_lock,
         replace, append, referrals, window, quiet):
    """Validate the event log in FOLDER, then write it into Neo4j (idempotent).

    Nothing is written when the log has any problem. Loading the same log
    twice gives the same graph; a load that was cut off can simply be run again.
    A load holds the database's load lock while it writes: a second load at the
    same time refuses (exit code 2) and writes nothing. A load that died (killed,
    or its server killed) leaves the lock behind: run it again with --break-lock.
    The REFERRED edges are made by --referrals (inferred when no watch names its
    share); the server keeps the rule with the log, and analyses on it say so.
    A database that holds another log is refused (exit code 2, nothing written):
    --replace empties it first, --append merges the two logs.
    """
    from graphmodel.errors import UserError
    from graphmodel.progress import progress_bar

    def say(message):
        click.echo(message, err=True)

    if replace and append:
        raise UserError("give --replace or --append, not both")
    if engine == "spark":
        if bulk or break_lock:
            raise UserError("--bulk and --break-lock go with the Bolt loader (--engine neo4j)")
        if not neo4j:
            raise UserError("no Neo4j URI: give --neo4j URI or set NEO4J_URI")
        from graphmodel.cli.engine import spark_errors
        from graphmodel.engines.neo4j.connect import check_uri, credentials
        from graphmodel.engines.neo4j.load import record_log
        from graphmodel.engines.spark.neo4j import write_graph

        check_uri(neo4j)
        _spark_target(neo4j, replace, append, quiet)
        user, password = credentials(neo4j)
        with spark_errors():
            counts = write_graph(folder, neo4j, user, password, master=master or "local[*]",
                                 users=sample, referrals=referrals, window_s=window)
        record_log(neo4j, user, password, counts["coverage"], counts["meta"])
        say(f"wrote {folder} into {neo4j} with Spark: "
            f"{counts['written']['User']:,} User, {counts['written']['REFERRED']:,} REFERRED "
            f"(read back: {counts['read_back']['User']:,} User, "
            f"{counts['read_back']['REFERRED']:,} REFERRED)")
        return
    if master or sample:
        raise UserError("--master and --users go with --engine spark")
    from graphmodel.engines.neo4j.ingest import load_folder

    with progress_bar(not quiet and not bulk, "loading") as bar:
        summary = load_folder(folder, neo4j, bulk=bulk, home=home, batch_size=batch_size,
                              break_lock=break_lock, progress=bar, say=say,
                              bulk_messages=None if quiet else say, referrals=referrals,
                              window_s=window,
                              existing="replace" if replace else "append" if append else "refuse")
    say(summary)


def _spark_target(uri: str, replace: bool, append: bool, quiet: bool) -> None:
    """Before Spark writes into ``uri``: :func:`graphmodel.engines.neo4j.database.make_room`."""
    from graphmodel.engines.neo4j.connect import connect
    from graphmodel.engines.neo4j.database import make_room
    from graphmodel.progress import progress_bar

    driver = connect(uri)
    try:
        with progress_bar(not quiet and replace, "emptying") as bar:
            make_room(driver, "replace" if replace else "append" if append else "refuse",
                      uri=uri, progress=bar)
    finally:
        driver.close()


@main.command(epilog=examples(
    ("a saved query of cypher/ with a parameter: the five largest cascades",
     "graphmodel query browser/largest_cascades_table --param limit=5"),
    ("one user's data account, as CSV",
     "graphmodel query browser/data_account_table --param id=u000001 --format csv"),
))
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter (repeatable); values are read as JSON when they parse, "
                   "else as text.")
@source_options
@output_options
def query(name_or_file, params, store):
    """Run a Cypher query (a name under cypher/, or a file) with parameters."""
    from graphmodel.analysis.summary import run_query

    return run_query(store, name_or_file, params)


@main.command(epilog=examples(
    ("the ten largest cascades: size, depth, breadth, structural virality, timing",
     "graphmodel spread --source platform/ --top 10"),
    ("one summary row for a Twitter15/16 folder of repost trees",
     "graphmodel spread --edges twitter16/tree/ --by dataset"),
))
@click.option("--by", type=click.Choice(["cascade", "stream", "user", "dataset"]),
              default="cascade", show_default=True, help="One row per cascade, stream or user, "
              "or one summary row for the whole data set.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N largest.")
@click.option("--edges", type=click.Path(path_type=Path),
              help="Your own cascades: cascade_id,parent_id,child_id[,delay_s] (CSV or Parquet), "
                   "a Twitter15/16 tree/ folder or a DeepHawkes Weibo file, "
                   "instead of --source/--neo4j.")
@click.option("--edges-format", "edges_format",
              type=click.Choice(["auto", "csv", "twitter-tree", "weibo"]), default="auto",
              show_default=True,
              help="The format of --edges: auto (a folder is twitter-tree, a .txt file of "
                   "tab-separated cascades weibo, else csv), csv (also Parquet), twitter-tree, "
                   "weibo (docs/your-data.md).")
@source_options(unless="edges")
@output_options
def spread(by, top, edges, edges_format, store):
    """Viral spread of shares: cascade size, depth, breadth, structural virality, timing.

    Cascades are the trees of REFERRED edges in each stream; with --edges,
    the repost trees of any platform.
    """
    from graphmodel.analysis.summary import spread_table
    from graphmodel.errors import UserError

    if edges is not None and store is not None:
        raise UserError("give --edges FILE, or --source DIR / --neo4j URI, not both")
    if edges is None and edges_format != "auto":
        raise UserError("--edges-format goes with --edges PATH")
    if edges is not None:
        from graphmodel.analysis.cascade_formats import spread_of_edges

        return spread_of_edges(edges, edges_format, by=by, top=top)
    return spread_table(by, top, store=store, edges=edges)


@main.command(epilog=examples(
    ("the whole pipeline on 2,000 users over three days, ending with the report",
     "graphmodel demo --out demo/ --users 2000 --days 3"),
))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("graphmodel-demo"), show_default=True,
              help="Folder for the demo platform's log and results.")
@click.option("--users", type=click.IntRange(min=100), default=20_000, show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
def demo(out, users, days, seed):
    """Generate a default platform and run every analysis on the embedded store."""
    from graphmodel.demo import run_demo

    run_demo(out, users=users, days=days, seed=seed)


def _register() -> None:
    from graphmodel.cli.diffusion import influence, simulate
    from graphmodel.cli.explain import explain
    from graphmodel.cli.explore import explore
    from graphmodel.cli.importers import import_group
    from graphmodel.cli.inference import check_inference
    from graphmodel.cli.report import report
    from graphmodel.cli.scenario import scenario, sensitivity
    from graphmodel.cli.server import server
    from graphmodel.cli.value import distribution, extraction, ledger, value

    for command in (server, value, extraction, distribution, ledger):
        main.add_command(command)
    main.add_command(simulate)
    main.add_command(influence)
    main.add_command(scenario)
    main.add_command(sensitivity)
    main.add_command(report)
    main.add_command(check_inference)
    main.add_command(explore)
    main.add_command(explain)
    main.add_command(import_group)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
