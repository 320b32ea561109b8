"""Run examples/explore.ipynb on the embedded store and store its outputs in the file.

The committed notebook carries its outputs (text, tables and plots) so that it
reads on a code host; the test suite runs it again and checks that the printed
figures are the ones stored (tests/test_docs.py). Run this after changing the
notebook or anything that changes its figures::

    python scripts/run_notebook.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "explore.ipynb"


def run(path: Path = NOTEBOOK) -> nbformat.NotebookNode:
    """The notebook at ``path``, executed on the embedded store (``NEO4J_URI`` unset)."""
    nb = nbformat.read(path, as_version=4)
    saved = os.environ.pop("NEO4J_URI", None)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": tmp}}).execute()
    finally:
        if saved is not None:
            os.environ["NEO4J_URI"] = saved
    return nb


if __name__ == "__main__":
    nb = run()
    nbformat.write(nb, NOTEBOOK)
    print(f"wrote {NOTEBOOK} ({NOTEBOOK.stat().st_size:,} bytes)", file=sys.stderr)
