"""The panel's HTML: the template files of this package with the embedded data.

`panel_fragment` gives the part another page includes (one ``div``, its
``style`` and ``script`` elements); `panel_html` the whole page
``graphmodel explore --source`` writes. Nothing is fetched when the page is
viewed: the script, the style and the data are all inline.
"""

from __future__ import annotations

import html
import json
from importlib import resources

__all__ = ["GENERATOR", "panel_fragment", "panel_html"]

#: The ``generator`` meta tag of a page this package wrote (how ``--out`` knows its own).
GENERATOR = "graphmodel explore"


def _template(name: str) -> str:
    return resources.files("graphmodel.explorer").joinpath(name).read_text(encoding="utf-8")


def _script_json(data: dict) -> str:
    """``data`` as JSON safe inside a ``<script>`` element (no ``</`` can close it)."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def panel_fragment(data: dict) -> str:
    """The panel as an HTML fragment: its ``div``, ``style`` and scripts.

    ``data`` is `graphmodel.explorer.embed.panel_data`. One fragment per
    page (its elements have fixed ids).
    """
    return (
        f"<style>\n{_template('panel.css')}</style>\n"
        f"{_template('panel.html')}"
        f'<script type="application/json" id="gm-panel-data">{_script_json(data)}</script>\n'
        f"<script>\n{_template('panel.js')}</script>\n"
    )


def panel_html(data: dict) -> str:
    """The panel as a self-contained HTML page."""
    title = "Governance explorer" + (f": {data['title']}" if data.get("title") else "")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body { margin: 16px 20px; background: #fff; }</style>\n"
        f"</head>\n<body>\n{panel_fragment(data)}</body>\n</html>\n"
    )
