"""``--engine memory|spark`` for ``graphmodel value``, ``spread`` and ``validate``.

:func:`engine_options` is one decorator, put above a command's source and
output decorators: with ``--engine memory`` (the default) the command runs
as before; with ``--engine spark`` the decorator reads the log folder with
Spark instead (``--master``, ``--conf k=v``), computes the result in
:mod:`graphmodel.engines.spark` and writes it with the same writer
(:func:`graphmodel.output.write_result`). The in-memory store is never
opened. ``value --by user --format parquet --out FILE`` is written by the
executors (:meth:`graphmodel.engines.spark.SparkEngine.write_value_users`), for
per-user tables that do not fit on the driver.
"""

from __future__ import annotations

import contextlib
import functools

import click

from graphmodel.engines.spark.session import DEFAULT_MASTER
from graphmodel.errors import UserError

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
        @click.option("--trust-validated", "trust", is_flag=True,
                      help="With --engine spark: the log passed graphmodel validate; skip the "
                           "validation that otherwise runs before the analysis.")
        @functools.wraps(f)
        def wrapper(*args, engine, master, conf, trust, **kwargs):
            if engine == "memory":
                if master != DEFAULT_MASTER or conf:
                    raise UserError("--master and --conf go with --engine spark")
                if trust:
                    raise UserError("--trust-validated goes with --engine spark")
                return f(*args, **kwargs)
            if trust and command == "validate":
                raise UserError("--trust-validated skips the validation: it does not go with "
                                "graphmodel validate")
            from graphmodel.engines.spark.session import parse_conf

            with spark_errors():
                return run(master=master, conf=parse_conf(conf), trust=trust, **kwargs)

        return wrapper

    return decorate


@contextlib.contextmanager
def spark_errors():
    """A failure inside Spark (a master that cannot be reached, a file Spark cannot read)
    as one line: a :class:`UserError` with the first line of Spark's message."""
    try:
        yield
    except UserError:
        raise
    except Exception as e:  # noqa: BLE001 - only Spark's and Py4J's own errors are turned
        if not _from_spark(e):
            raise
        raise UserError(f"Spark failed: {_first_line(e)}") from None


def _from_spark(e: BaseException) -> bool:
    module = type(e).__module__ or ""
    return module.startswith(("pyspark", "py4j"))


def _first_line(e: BaseException) -> str:
    for line in str(e).strip().splitlines():
        line = line.strip()
        if line and not line.startswith(("JVM stacktrace", "An error occurred while")):
            return line
    return type(e).__name__


def _engine(source, neo4j, master, conf, trust=False):
    if neo4j:
        raise UserError("--engine spark reads a log folder (--source DIR), not --neo4j")
    if source is None:
        raise UserError("--engine spark needs --source DIR (a Parquet event-log folder)")
    from graphmodel.engines.spark.engine import SparkEngine

    return SparkEngine(source, master=master, conf=conf, trust_validated=trust)


def _value(*, master, conf, trust, by, top=None, attribution=None, param_items=(), config=None,
           fmt="table", out=None, source=None, neo4j=None, reps=None, scale=False, **_ignored):
    from graphmodel.cli.options import param_options
    from graphmodel.engines.spark.engine import SPARK_VALUE_VIEWS
    from graphmodel.output import write_result

    if reps or scale:
        raise UserError("--bootstrap and --scale-to-market run on the embedded store "
                        "(--engine memory)")
    if by not in SPARK_VALUE_VIEWS:
        raise UserError(f"--engine spark computes value --by {' or '.join(SPARK_VALUE_VIEWS)}, "
                        f"not {by!r}")
    params = param_options(lambda params, **_: params)(
        param_items=param_items, config=config, attribution=attribution)
    with _engine(source, neo4j, master, conf, trust) as engine:
        if by == "user" and fmt == "parquet" and out is not None and top is None:
            engine.write_value_users(out, params)
            return
        df = engine.value(by=by, params=params, top=top)
    write_result(df, fmt=fmt, out=out)


def _spread(*, master, conf, trust, by, top=None, edges=None, source=None, neo4j=None, fmt="table",
            out=None, **_ignored):
    from graphmodel.engines.spark.engine import SPARK_SPREAD_VIEWS
    from graphmodel.output import write_result

    if edges is not None:
        raise UserError("--edges runs on the embedded engine (--engine memory)")
    if by not in SPARK_SPREAD_VIEWS:
        raise UserError(f"--engine spark computes spread --by "
                        f"{' or '.join(SPARK_SPREAD_VIEWS)}, not {by!r}")
    with _engine(source, neo4j, master, conf, trust) as engine:
        df = engine.spread(by=by, top=top)
    write_result(df, fmt=fmt, out=out)


def _validate(*, master, conf, folder, trust=False, **_ignored):
    from graphmodel.schema import TABLE_NAMES

    with _engine(folder, None, master, conf) as engine:
        engine.validate().raise_if_any()
        sizes = ", ".join(f"{engine.table(t).count():,} {t}" for t in TABLE_NAMES)
    click.echo(f"{folder}: valid event log ({sizes}; checked by Spark)")


_RUNNERS = {"value": _value, "spread": _spread, "validate": _validate}
