"""The governance explorer: a self-contained HTML panel that recomputes the figures live.

Levers and parameters move in the browser; the page recomputes, from the
per-user sums it embeds (`graphmodel.explorer.embed`), the figures of
``graphmodel scenario`` and ``graphmodel value --by platform|actor``, to the
library's numbers. In Python::

    from graphmodel.explorer import explorer_fragment, write_panel
    write_panel(store, "panel.html", params={"lambda": 0.3})   # the whole page
    html = explorer_fragment(store)     # its div, style and scripts, for another page

See docs/explorer.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphmodel.explorer.embed import panel_data
from graphmodel.explorer.page import panel_fragment, panel_html
from graphmodel.explorer.write import check_panel_out, write_panel_file

__all__ = [
    "panel_data",
    "panel_fragment",
    "panel_html",
    "explorer_fragment",
    "write_panel",
    "check_panel_out",
]


def explorer_fragment(store, params=None, seed: int = 0, title: str = "", accounts=None) -> str:
    """The panel of ``store`` as an HTML fragment (one ``div``, its ``style`` and scripts),
    to include once in another page such as the report.

    Parameters
    ----------
    store : Store
        Any engine's store.
    params : Params or dict, optional
        The setting the panel opens at ([docs/model.md, section 10][model-10]).
    seed : int
        The opt-out lever's seed (``graphmodel scenario --seed``).
    title : str
        What the panel calls the log (shown, and used in the commands it prints).
    accounts : Accounts, optional
        ``store.accounts()``, when the caller has it already.
    """
    acc = accounts or store.accounts()
    return panel_fragment(panel_data(acc, params, seed=seed, title=title))


def write_panel(
    store, out: str | os.PathLike, params=None, seed: int = 0, title: str = "", accounts=None
) -> Path:
    """Write the panel of ``store`` as one self-contained HTML file ``out`` (a file the
    panel did not write is refused: `check_panel_out`)."""
    check_panel_out(out)
    acc = accounts or store.accounts()
    return write_panel_file(panel_html(panel_data(acc, params, seed=seed, title=title)), out)
