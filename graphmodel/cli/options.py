"""Options shared by the analysis commands: where the log comes from, how results go out,
and the model parameters (MODEL.md section 10) by ``--param`` and ``--config``."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from graphmodel.output import FORMATS, write_result

__all__ = ["source_options", "output_options", "param_options"]


def source_options(f):
    """``--source DIR`` (the embedded store) or ``--neo4j URI``."""

    @click.option("--source", "source", type=click.Path(path_type=Path),
                  help="Event-log folder (CSV or Parquet), read into the embedded store.")
    @click.option("--neo4j", "neo4j", metavar="URI",
                  help="A Neo4j server holding a loaded log (default: env NEO4J_URI when "
                       "--source is not given).")
    @functools.wraps(f)
    def wrapper(*args, source, neo4j, **kwargs):
        from graphmodel.engines.open import open_store

        with open_store(source=source, neo4j=neo4j) as store:
            return f(*args, store=store, **kwargs)

    return wrapper


def output_options(f):
    """``--format table|csv|json|parquet`` and ``--out FILE``, the same on every command."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                  show_default=True, help="Output format.")
    @click.option("--out", "out", type=click.Path(dir_okay=False),
                  help="Write the result to FILE instead of standard output.")
    @functools.wraps(f)
    def wrapper(*args, fmt, out, **kwargs):
        df = f(*args, **kwargs)
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
