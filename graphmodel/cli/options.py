"""Options shared by the analysis commands: where the log comes from, how results go out,
and the model parameters (MODEL.md section 10) by ``--param`` and ``--config``."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from graphmodel.engines.open import ENGINES
from graphmodel.engines.spark.session import DEFAULT_MASTER
from graphmodel.output import FORMATS, write_result

__all__ = ["source_options", "spark_options", "referral_options", "output_options",
           "param_options", "Duration", "parse_duration"]


def spark_options(f):
    """``--master``, ``--conf KEY=VALUE`` and ``--trust-validated``, for ``--engine spark``
    (passed on as ``master``, ``conf`` and ``trust``)."""
    f = click.option("--trust-validated", "trust", is_flag=True,
                     help="With --engine spark: the log passed graphmodel validate; skip the "
                          "validation that otherwise runs before the analysis.")(f)
    f = click.option("--conf", "conf", multiple=True, metavar="KEY=VALUE",
                     help="With --engine spark: a Spark setting (repeatable).")(f)
    return click.option("--master", default=None, metavar="URL",
                        help=f"With --engine spark: the Spark master (default {DEFAULT_MASTER}; "
                             "spark://host:7077, yarn, ...).")(f)


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``30min``, ``30m``, ``1h`` or ``1.5h``; ``ValueError`` otherwise."""
    t = str(text).strip().lower()
    for unit, size in (("min", 60), ("h", 3600), ("m", 60), ("s", 1)):
        if t.endswith(unit):
            t, factor = t[: -len(unit)].strip(), size
            break
    else:
        factor = 1
    value = float(t) * factor
    if not (value >= 0) or value == float("inf"):
        raise ValueError(text)
    return value


class Duration(click.ParamType):
    """A time span: seconds, or a number with ``s``, ``min`` (``m``) or ``h``."""

    name = "DURATION"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        try:
            return parse_duration(value)
        except ValueError:
            self.fail(f"{value!r} is not a duration (e.g. 600, 10min, 1h)", param, ctx)


def referral_options(f):
    """``--referrals auto|recorded|social|time`` and ``--referral-window DURATION``: how the
    ``REFERRED`` edges are made (:func:`graphmodel.model.inference.infer_log`), passed on
    as ``referrals`` and ``window`` (``None`` when not given)."""
    from graphmodel.model.inference import DEFAULT_WINDOW_S, REFERRAL_RULES

    f = click.option("--referral-window", "window", type=Duration(), default=None,
                     help="Inferred referrals: credit only a share at most this long before "
                          f"the arrival (default {DEFAULT_WINDOW_S / 60:g}min; 600, 10min, 1h).")(f)
    return click.option("--referrals", "referrals", type=click.Choice(REFERRAL_RULES),
                        default=None,
                        help="How REFERRED edges are made: auto (default: the recorded "
                             "via_share, else inferred by the social graph), recorded, or "
                             "inferred by social graph or by time alone (docs/your-data.md).")(f)


def source_options(f=None, *, unless: str | None = None):
    """Where the data lives, the same options on every command that reads a log:
    ``--source DIR``, ``--neo4j URI``, ``--engine memory|neo4j|spark`` and, for Spark,
    ``--master``, ``--conf KEY=VALUE`` and ``--trust-validated``
    (:func:`graphmodel.engines.open.open_store`). The command gets the open engine as
    ``store``; with ``unless`` (the name of another option, such as ``edges``), ``store``
    is None when that option is given and no source is.
    """
    if f is None:
        return functools.partial(source_options, unless=unless)

    @click.option("--source", "source", type=click.Path(path_type=Path),
                  help="Event-log folder (CSV or Parquet), read into the embedded engine "
                       "(or given to Spark with --engine spark).")
    @click.option("--neo4j", "neo4j", metavar="URI",
                  help="A Neo4j server holding a loaded log (default: env NEO4J_URI when "
                       "--source is not given).")
    @click.option("--engine", type=click.Choice(ENGINES), default=None,
                  help="Where the analysis runs: memory (default with --source), neo4j "
                       "(default with --neo4j) or spark (a Parquet log folder, docs/spark.md).")
    @spark_options
    @referral_options
    @functools.wraps(f)
    def wrapper(*args, source, neo4j, engine, master, conf, trust, referrals, window,
                **kwargs):
        from graphmodel.cli.engine import spark_errors
        from graphmodel.engines.open import open_store
        from graphmodel.engines.spark.session import parse_conf

        if unless and kwargs.get(unless) is not None and source is None and not neo4j \
                and engine is None:
            return f(*args, store=None, **kwargs)
        with spark_errors(), open_store(source=source, neo4j=neo4j, engine=engine,
                                        master=master, conf=parse_conf(conf),
                                        trust_validated=trust, referrals=referrals,
                                        window_s=window) as store:
            return f(*args, store=store, **kwargs)

    return wrapper


def print_notes(meta: dict | None) -> None:
    """The result's notes (what a partial log or inferred referrals mean for its figures),
    one ``note:`` line each on standard error."""
    for note in (meta or {}).get("notes", ()):
        click.echo(f"note: {note}", err=True)


def output_options(f):
    """``--format table|csv|json|parquet`` and ``--out FILE``, the same on every command."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                  show_default=True, help="Output format.")
    @click.option("--out", "out", type=click.Path(dir_okay=False),
                  help="Write the result to FILE instead of standard output.")
    @functools.wraps(f)
    def wrapper(*args, fmt, out, **kwargs):
        df = f(*args, **kwargs)
        if df is not None:  # None: the command wrote its result itself
            print_notes(df.attrs.get("meta"))
            write_result(df, fmt=fmt, out=out)

    return wrapper


def param_options(f):
    """``--param NAME=VALUE`` (repeatable) and ``--config FILE`` (TOML), merged over the
    defaults into a validated :class:`~graphmodel.params.Params` passed as ``params``.

    ``--param`` wins over ``--config``; ``--attribution`` (when the command has it) wins
    over both.
    """

    @click.option("--param", "-p", "param_items", multiple=True, metavar="NAME=VALUE",
                  help="Set a model parameter (repeatable); see docs/model.md, section 10.")
    @click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
                  help="TOML file of model parameters (a [params] table or top-level keys).")
    @functools.wraps(f)
    def wrapper(*args, param_items, config, **kwargs):
        from graphmodel.errors import ParameterError
        from graphmodel.params import Params, load_toml, parse_assignments

        values: dict = {}
        if config is not None:
            values = load_toml(config)
            try:
                Params(values)
            except ParameterError as exc:
                raise ParameterError(f"{config}: {exc}") from None
        values.update(parse_assignments(param_items))
        if kwargs.get("attribution") is not None:
            values["attribution"] = kwargs["attribution"]
        return f(*args, params=Params(values), **kwargs)

    return wrapper
