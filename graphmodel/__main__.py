"""``python -m graphmodel``: the same as the ``graphmodel`` command."""

from graphmodel.cli.main import main

main(prog_name="graphmodel")
