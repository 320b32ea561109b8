"""Spark at the command line: its failures as one line, and ``graphmodel validate
--engine spark`` (the analyses choose their engine with
:func:`graphmodel.cli.options.source_options`)."""

from __future__ import annotations

import contextlib
import functools

import click

from graphmodel.cli.options import spark_options
from graphmodel.errors import UserError

__all__ = ["engine_options", "ENGINES"]

ENGINES = ("memory", "spark")


def engine_options(command: str):
    """The decorator adding ``--engine memory|spark``, ``--master`` and ``--conf`` to
    ``graphmodel validate`` (``command``)."""
    run = _RUNNERS[command]

    def decorate(f):
        @click.option("--engine", type=click.Choice(ENGINES), default="memory",
                      show_default=True,
                      help="memory: the embedded store; spark: Apache Spark on a Parquet log "
                           "folder (docs/spark.md).")
        @spark_options
        @functools.wraps(f)
        def wrapper(*args, engine, master, conf, trust, **kwargs):
            if engine == "memory":
                if master is not None or conf or trust:
                    raise UserError("--master, --conf and --trust-validated go with "
                                    "--engine spark")
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


def _validate(*, master, conf, folder, trust=False, **_ignored):
    from graphmodel.engines.open import open_store
    from graphmodel.schema import TABLE_NAMES

    with open_store(source=folder, engine="spark", master=master, conf=conf) as engine:
        engine.validate().raise_if_any()
        sizes = ", ".join(f"{engine.frame(t).count():,} {t}" for t in TABLE_NAMES)
        described = engine.coverage.describe()
    click.echo(f"{folder}: valid event log ({sizes}; checked by Spark)")
    if described:
        click.echo(f"{folder}: {described}")


_RUNNERS = {"validate": _validate}
