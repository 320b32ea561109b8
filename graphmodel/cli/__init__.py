"""The ``graphmodel`` command line: one package of thin click commands (docs/cli.md)."""

from graphmodel.cli.main import main

__all__ = ["main"]
