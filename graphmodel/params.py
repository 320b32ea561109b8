"""Model parameters ([docs/model.md, section 10][model-10]): defaults, ranges, parsing.

Every parameter is an assumption, not a fact; every result records the
values it was computed with (see `graphmodel.output`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmodel.errors import ParameterError
from graphmodel.model.attribution import MODELS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Parameter", "PARAMETERS", "Params", "defaults", "parse_assignments", "load_toml",
           "read_toml"]


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    low: float | None
    high: float | None
    unit: str
    meaning: str
    choices: Sequence[str] = ()


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("tau_like", 0.5, 0.0, 3600.0, "s", "labour time per like tap"),
        Parameter("tau_comment", 20.0, 0.0, 3600.0, "s", "labour time per comment"),
        Parameter("tau_share", 15.0, 0.0, 3600.0, "s", "labour time per share"),
        Parameter("w_like", 1.0, 0.0, 1000.0, "", "data-quality weight of a like event"),
        Parameter("w_comment", 3.0, 0.0, 1000.0, "", "data-quality weight of a comment"),
        Parameter("w_share", 5.0, 0.0, 1000.0, "", "data-quality weight of a share"),
        Parameter("w_purchase", 4.0, 0.0, 1000.0, "", "data-quality weight of a purchase"),
        Parameter("w_watch", 1.0, 0.0, 1000.0, "", "data-quality weight of a watch event"),
        Parameter("p_data", 0.01, 0.0, 1000.0, "yuan", "value of one data unit to the platform"),
        Parameter("alpha", 1.0, 0.0, 100.0, "", "platform architecture multiplier"),
        Parameter("take_rate", 0.05, 0.0, 1.0, "", "platform commission on GMV"),
        Parameter("coin_yuan", 0.0001, 0.0, 1.0, "yuan", "yuan per coin"),
        Parameter("lambda", 0.5, 0.0, 1.0, "",
                  "share of a referred user's value credited to the referral path"),
        Parameter("attribution", "decay", None, None, "", "attribution model",
                  MODELS),  # the registered rules (graphmodel.model.attribution)
        Parameter("delta", 0.5, 0.0, 1.0, "", "decay per hop (attribution=decay)"),
        Parameter("min_wage_hour", 24.0, 0.0, 10000.0, "yuan/h", "reference minimum hourly wage"),
    )
}


class Params(dict):
    """A complete, validated set of model parameters (a ``dict`` by name).

    Every parameter of [docs/model.md, section 10][model-10] (`PARAMETERS`), at its default
    unless given; every value is checked against its range or choices. Each
    value analysis takes a `Params` or a dict of overrides as ``params``.

    Parameters
    ----------
    values : dict, optional
        Overrides by name (``{"attribution": "linear", "delta": 0.25}``);
        numbers may be given as text, as ``--param`` does.

    Raises
    ------
    ParameterError
        An unknown name, a value out of its range or not among its choices.

    Examples
    --------
    >>> import graphmodel
    >>> params = graphmodel.Params({"delta": 0.25})
    >>> params["delta"], params["attribution"], len(params)
    (0.25, 'decay', 16)
    >>> graphmodel.Params({"alpha": "2"})["alpha"]
    2.0
    >>> graphmodel.Params({"nope": 1})
    Traceback (most recent call last):
    ...
    graphmodel.errors.ParameterError: unknown parameter 'nope' (known: tau_like, ...)
    """

    def __init__(self, values: dict[str, Any] | None = None):
        super().__init__(defaults())
        for name, value in (values or {}).items():
            self[name] = _check(name, value)

    @classmethod
    def of(cls, params: Params | dict[str, Any] | None) -> Params:
        """``params`` itself when it is a `Params`, else a `Params` of its overrides (``None``:
        the defaults)."""
        return params if isinstance(params, Params) else cls(params or {})

    def replace(self, **changes: Any) -> Params:
        """A copy with some values changed, validated as a new `Params`.

        Parameters
        ----------
        **changes
            New values by name.

        Returns
        -------
        Params
            This set with ``changes`` applied; this one is not changed.

        Raises
        ------
        ParameterError
            An unknown name or a value out of its range.

        Examples
        --------
        >>> import graphmodel
        >>> params = graphmodel.Params()
        >>> params.replace(attribution="linear")["attribution"], params["attribution"]
        ('linear', 'decay')
        """
        merged = dict(self)
        merged.update(changes)
        return Params(merged)


def defaults() -> dict[str, Any]:
    """The defaults of [docs/model.md, section 10][model-10]."""
    return {p.name: p.default for p in PARAMETERS.values()}


def _check(name: str, value: Any) -> Any:
    if name not in PARAMETERS:
        known = ", ".join(PARAMETERS)
        raise ParameterError(f"unknown parameter {name!r} (known: {known})")
    p = PARAMETERS[name]
    if p.choices:
        if value not in p.choices:
            raise ParameterError(f"parameter {name} must be one of {', '.join(p.choices)}, got {value!r}")
        return value
    if isinstance(value, bool):  # TOML's true/false would pass as 1.0/0.0
        raise ParameterError(f"parameter {name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"parameter {name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < p.low or number > p.high:
        raise ParameterError(f"parameter {name} must be in [{p.low:g}, {p.high:g}], got {value!r}")
    return number


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse ``name=value`` strings (``--param``) into a dict."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param expects name=value, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file as a dict; a [`ParameterError`][graphmodel.errors.ParameterError] naming the file if unreadable."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: not valid TOML: {exc}") from None


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read parameters from the ``[params]`` table of a TOML file (or its top level)."""
    data = read_toml(path)
    table = data.get("params", data)
    if not isinstance(table, dict):
        raise ParameterError(
            f"{path}: params must be a table ([params] with name = value lines), got {table!r}"
        )
    return dict(table)
