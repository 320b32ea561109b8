"""``--engine memory|spark`` for ``graphmodel value``, ``spread`` and ``validate``.

:func:`engine_options` is one decorator, put above a command's source and
output decorators: with ``--engine memory`` (the default) the command runs
as before; with ``--engine spark`` the decorator reads the log folder with
Spark instead (``--master``, ``--conf k=v``), computes the result in
:mod:`graphmodel.spark` and writes it with the same writer
(:func:`graphmodel.output.write_result`). The in-memory store is never
opened. ``value --by user --format parquet --out FILE`` is written by the
executors (:meth:`graphmodel.spark.SparkEngine.write_value_users`), for
per-user tables that do not fit on the driver.
"""

from __future__ import annotations

import functools

import click

from graphmodel.errors import UserError
from graphmodel.spark.session import DEFAULT_MASTER

__all__ = ["engine_options", "ENGINES"]

ENGINES = ("memory", "spark")


def engine_options(command: str):
    """The decorator adding ``--engine``, ``--master`` and ``--conf`` to ``command``
    (``value``, ``spread`` or ``validate``)."""
    run = _RUNNERS[command]

    def decorate(f):
        @click.option("--engine", type=click.Choice(ENGINES), default="memory",
                      show_default=True,
                      help="memory: the embedded store; spark: Apache Spark on a Parquet log "
                           "folder (docs/spark.md).")
        @click.option("--master", default=DEFAULT_MASTER, show_default=True,
                      help="With --engine spark: the Spark master (local[*], spark://host:7077, "
                           "yarn, ...).")
        @click.option("--conf", "conf", multiple=True, metavar="KEY=VALUE",
                      help="With --engine spark: a Spark setting (repeatable).")
        @functools.wraps(f)
        def wrapper(*args, engine, master, conf, **kwargs):
            if engine == "memory":
                if master != DEFAULT_MASTER or conf:
                    raise UserError("--master and --conf go with --engine spark")
                return f(*args, **kwargs)
            from graphmodel.spark.session import parse_conf

            return run(master=master, conf=parse_conf(conf), **kwargs)

        return wrapper

    return decorate


def _engine(source, neo4j, master, conf):
    if neo4j:
        raise UserError("--engine spark reads a log folder (--source DIR), not --neo4j")
    if source is None:
        raise UserError("--engine spark needs --source DIR (a Parquet event-log folder)")
    from graphmodel.spark.engine import SparkEngine

    return SparkEngine(source, master=master, conf=conf)


def _value(*, master, conf, by, top=None, attribution=None, param_items=(), config=None,
           fmt="table", out=None, source=None, neo4j=None, reps=None, scale=False, **_ignored):
    from graphmodel.cliopts import param_options
    from graphmodel.output import write_result
    from graphmodel.spark.engine import SPARK_VALUE_VIEWS

    if reps or scale:
        raise UserError("--bootstrap and --scale-to-market run on the embedded store "
                        "(--engine memory)")
    if by not in SPARK_VALUE_VIEWS:
        raise UserError(f"--engine spark computes value --by {' or '.join(SPARK_VALUE_VIEWS)}, "
                        f"not {by!r}")
    params = param_options(lambda params, **_: params)(
        param_items=param_items, config=config, attribution=attribution)
    with _engine(source, neo4j, master, conf) as engine:
        if by == "user" and fmt == "parquet" and out is not None and top is None:
            engine.write_value_users(out, params)
            return
        df = engine.value(by=by, params=params, top=top)
    write_result(df, fmt=fmt, out=out)


def _spread(*, master, conf, by, top=None, edges=None, source=None, neo4j=None, fmt="table",
            out=None, **_ignored):
    from graphmodel.output import write_result
    from graphmodel.spark.engine import SPARK_SPREAD_VIEWS

    if edges is not None:
        raise UserError("--edges runs on the embedded engine (--engine memory)")
    if by not in SPARK_SPREAD_VIEWS:
        raise UserError(f"--engine spark computes spread --by "
                        f"{' or '.join(SPARK_SPREAD_VIEWS)}, not {by!r}")
    with _engine(source, neo4j, master, conf) as engine:
        df = engine.spread(by=by, top=top)
    write_result(df, fmt=fmt, out=out)


def _validate(*, master, conf, folder, **_ignored):
    from graphmodel.schema import TABLE_NAMES

    with _engine(folder, None, master, conf) as engine:
        engine.validate().raise_if_any()
        sizes = ", ".join(f"{engine.table(t).count():,} {t}" for t in TABLE_NAMES)
    click.echo(f"{folder}: valid event log ({sizes}; checked by Spark: keys, references, "
               "windows and referrals)")


_RUNNERS = {"value": _value, "spread": _spread, "validate": _validate}
