"""Cypher files by name: every query lives in ``cypher/*.cypher``, with parameters.

In an installed wheel the folder ships as ``graphmodel/cypher``; in a
checkout it is the ``cypher/`` folder at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["cypher_dir", "cypher_file", "load_cypher"]


@cache
def cypher_dir() -> Path:
    """The folder holding the project's Cypher files."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "cypher", here.parent / "cypher"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the cypher/ folder is missing from this installation")


def cypher_file(name: str) -> Path:
    """The path of query ``name`` (``"stats"``, ``"load/users"``; ``.cypher`` optional)."""
    rel = name if name.endswith(".cypher") else f"{name}.cypher"
    return cypher_dir() / rel


def load_cypher(name: str) -> str:
    """The text of query ``name``."""
    return cypher_file(name).read_text(encoding="utf-8")
