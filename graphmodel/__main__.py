"""``python -m graphmodel``: the same as the ``graphmodel`` command."""

from graphmodel.cli import main

main(prog_name="graphmodel")
