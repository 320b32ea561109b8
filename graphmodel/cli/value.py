"""``graphmodel value | extraction | distribution | ledger``: the value accounting at the CLI."""

from __future__ import annotations

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import output_options, param_options, source_options
from graphmodel.model.attribution import MODELS

__all__ = ["value", "extraction", "distribution", "ledger", "ledger_hint", "cypher_string"]

class _Registered(click.Choice):
    """The attribution models registered when the option is read, not when it was defined."""

    def __init__(self):
        super().__init__(MODELS)

    @property
    def choices(self):
        return tuple(MODELS)

    @choices.setter
    def choices(self, value):
        pass


attribution_option = click.option(
    "--attribution", type=_Registered(), default=None,
    help="Attribution model of relational value (default: the parameter, decay).")
top_option = click.option("--top", type=click.IntRange(min=1),
                          help="Only the N rows with the most value.")


@click.command(epilog=examples(
    ("the headline figures with 95% bootstrap intervals",
     "graphmodel value --source platform/ --bootstrap 200"),
    ("the 20 users who produce the most value, linear attribution, as CSV",
     "graphmodel value --source platform/ --by user --top 20 --attribution linear "
     "--format csv --out value-users.csv"),
))
@click.option("--by", type=click.Choice(["user", "stream", "platform", "actor"]),
              default="platform", show_default=True,
              help="Per user, per stream, platform totals, or value captured by actor class.")
@top_option
@attribution_option
@click.option("--bootstrap", "reps", type=click.IntRange(min=10),
              help="With --by platform: the headline figures with 95% bootstrap intervals "
                   "over REPS resamples of users (one row per figure).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the bootstrap.")
@click.option("--scale-to-market", "scale", is_flag=True,
              help="With --by platform: unpaid labour hours, value produced and returned "
                   "extrapolated to China's live-commerce users (the assumption is stated).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@source_options
@param_options
@output_options
def value(by, top, attribution, reps, seed, scale, quiet, params, store):
    """Labour, data units, value produced and returned, surplus, exploitation rate.

    docs/model.md, sections 4 and 5: every yuan the platform takes from users'
    activity is attributed to some user's labour, nothing counted twice.
    """
    from graphmodel.analysis.value.api import value as run
    from graphmodel.errors import UserError

    if (reps or scale) and by != "platform":
        raise UserError("--bootstrap and --scale-to-market go with --by platform")
    if reps and scale:
        raise UserError("give --bootstrap or --scale-to-market, not both")
    if reps:
        from graphmodel.analysis.scenario.uncertainty import platform_bootstrap
        from graphmodel.progress import progress_bar

        with progress_bar(not quiet, "bootstrap") as bar:
            return platform_bootstrap(store, params, reps=reps, seed=seed, progress=bar)
    if scale:
        from graphmodel.analysis.scenario.scale import ASSUMPTION, market_scale

        click.echo(ASSUMPTION, err=True)
        return market_scale(store, params)
    if by == "user" and top is None and hasattr(store, "write_value_users"):
        ctx = click.get_current_context()
        if ctx.params.get("fmt") == "parquet" and ctx.params.get("out"):
            store.write_value_users(ctx.params["out"], params)  # by the executors
            return None
    return run(store, by=by, params=params, top=top)


@click.command(epilog=examples(
    ("the ten users whose relations yield the most value, against their rewards",
     "graphmodel extraction --source platform/ --top 10"),
    ("platform totals, as JSON",
     "graphmodel extraction --source platform/ --by platform --format json"),
))
@click.option("--by", type=click.Choice(["user", "platform"]), default="user",
              show_default=True, help="Per user (most relational value first) or platform.")
@top_option
@attribution_option
@source_options
@param_options
@output_options
def extraction(by, top, attribution, params, store):
    """Value extracted through users' social relations, against share and invite rewards."""
    from graphmodel.analysis.value.api import extraction as run

    return run(store, by=by, params=params, top=top)


@click.command(epilog=examples(
    ("Gini and top-1%/top-10% shares of value produced and returned",
     "graphmodel distribution --source platform/"),
    ("Lorenz curves of 21 points, as CSV for a plot",
     "graphmodel distribution --source platform/ --lorenz --points 21 --format csv "
     "--out lorenz.csv"),
))
@click.option("--lorenz", is_flag=True, help="Lorenz curve points instead of the summary.")
@click.option("--points", type=click.IntRange(min=2), default=101, show_default=True,
              help="Points per Lorenz curve.")
@attribution_option
@source_options
@param_options
@output_options
def distribution(lorenz, points, attribution, params, store):
    """Inequality of value produced and returned: Gini, top-1%/top-10% shares, Lorenz."""
    from graphmodel.analysis.value.api import distribution as run

    return run(store, params=params, lorenz=lorenz, points=points)


@click.command(epilog=examples(
    ("every event of user u000001, its value, the credit through others, rewards",
     "graphmodel ledger u000001 --source platform/"),
    ("the same with first-touch attribution, as JSON",
     "graphmodel ledger u000001 --source platform/ --attribution first --format json "
     "--out u000001.json"),
))
@click.argument("user_id")
@attribution_option
@source_options
@param_options
@output_options
def ledger(user_id, attribution, params, store):
    """The personal data account of USER_ID: every event, its value, credit, rewards.

    To see the same subgraph in the Neo4j Browser, run `:param id => 'USER_ID'`
    there, then paste cypher/browser/data_account.cypher.
    """
    from graphmodel.analysis.value.api import ledger as run

    df = run(store, user_id, params=params)
    click.echo(ledger_hint(user_id), err=True)
    return df


def cypher_string(text: str) -> str:
    """``text`` as a Cypher string literal in single quotes (backslashes and quotes
    escaped), for a Browser command."""
    escaped = (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return "'" + escaped + "'"


def ledger_hint(user_id: str) -> str:
    """The lines that draw ``user_id``'s account in the Neo4j Browser, and the shell command
    that prints it as a table. The id is quoted for the shell (:func:`shlex.quote`), and
    written as a JSON string where `graphmodel query --param` would otherwise read it as
    JSON (an id such as ``123`` or ``true``) or strip its blanks, so the query gets the id
    back as it is."""
    import json
    import shlex

    value = user_id
    try:
        json.loads(user_id)
    except ValueError:
        plain = user_id == user_id.strip()  # `--param` strips the value's blanks
    else:
        plain = False
    if not plain:
        value = json.dumps(user_id, ensure_ascii=False)
    command = ("graphmodel query browser/data_account_table --param "
               + shlex.quote(f"id={value}"))
    return (f"In the Neo4j Browser: :param id => {cypher_string(user_id)} then paste "
            f"cypher/browser/data_account.cypher (`{command}` prints it as a table).")
