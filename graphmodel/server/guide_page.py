"""The Neo4j Browser guide of ``graphmodel explore``, made from the project's own files.

The guide (``guide.html``, played by the Browser on connect, see
`graphmodel.server.guide`) is generated every time, so it never drifts
from what it shows:

* a first slide with the graph's labels and relationship types, from
  `graphmodel.schema.NODES` and `graphmodel.schema.EDGES`, with the
  colours of ``cypher/browser/style.grass``;
* one slide per saved query of ``cypher/browser/`` (``largest_cascades``,
  ``data_account``, ``value_flow``, then every other file such as the
  ``gds_*.cypher`` ones, by glob), its ``_table`` twin on the same slide. Each
  query is a runnable block: one click copies it to the editor, with the
  ``:param`` lines of its header first, and the Browser runs the whole block.
  Each parameter has an input field above the blocks that fills in its value.

The Browser's guide format: ``<article class="guide"><carousel><slide>``;
``<pre class="code runnable">`` blocks; ``<input value-for="x">`` fills every
``<span value-key="x">``. The Browser strips scripts and ``on*`` attributes,
and its content security policy admits images as ``data:`` URIs only.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.cypher import cypher_dir
from graphmodel.schema import EDGES, NODES

__all__ = ["SavedQuery", "saved_queries", "build_guide", "write_guide", "FIRST"]

#: The saved queries in the order the guide shows them; any other file follows, by name.
FIRST = ("largest_cascades", "data_account", "value_flow")

_PARAM = re.compile(r"^//\s+:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")
_STRING = re.compile(r"^'([^'\\]*)'$")


@dataclass(frozen=True)
class SavedQuery:
    """One file of ``cypher/browser/``: its title, its notes, its ``:param`` lines, its query."""

    name: str
    title: str
    notes: tuple[str, ...]
    params: tuple[tuple[str, str], ...]
    query: str
    table: SavedQuery | None = field(default=None, compare=False)

    @classmethod
    def read(cls, path: Path) -> SavedQuery:
        lines = path.read_text(encoding="utf-8").splitlines()
        header: list[str] = []
        while lines and lines[0].startswith("//"):
            header.append(lines.pop(0))
        params = tuple(
            (m.group(1), m.group(2)) for m in map(_PARAM.match, header) if m is not None
        )
        notes = [
            line[2:].strip()
            for line in header[1:]
            if not _PARAM.match(line) and "Run first in the Browser" not in line
        ]
        title = header[0][2:].strip() if header else path.stem
        query = "\n".join(lines).strip()
        return cls(path.stem, title, tuple(notes), params, query)


def saved_queries(folder: Path | None = None) -> list[SavedQuery]:
    """The saved queries of ``folder`` (``cypher/browser``), each with its ``_table`` twin."""
    folder = folder or cypher_dir() / "browser"
    files = {p.stem: p for p in sorted(folder.glob("*.cypher"))}
    main = [n for n in files if not (n.endswith("_table") and n[: -len("_table")] in files)]
    order = [n for n in FIRST if n in main] + sorted(n for n in main if n not in FIRST)
    result = []
    for name in order:
        query = SavedQuery.read(files[name])
        twin = files.get(f"{name}_table")
        if twin is not None:
            query = SavedQuery(
                query.name, query.title, query.notes, query.params, query.query,
                SavedQuery.read(twin),
            )
        result.append(query)
    return result


def _style_colours(style: Path) -> dict[str, str]:
    """``label or type -> colour`` from a GRASS file."""
    colours: dict[str, str] = {}
    for selector, body in re.findall(r"(node\.\w+|relationship\.\w+)\s*\{([^}]*)\}",
                                     style.read_text(encoding="utf-8")):
        colour = re.search(r"(?m)^\s*color:\s*(#[0-9A-Fa-f]{3,8})\s*;", body)
        if colour:
            colours[selector.split(".", 1)[1]] = colour.group(1)
    return colours


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _swatch(colour: str | None) -> str:
    if not colour:
        return ""
    return (f'<span style="display:inline-block;width:0.9em;height:0.9em;border-radius:50%;'
            f'background:{_e(colour)};vertical-align:middle;margin-right:0.3em"></span>')


def _schema_slide(colours: dict[str, str]) -> str:
    nodes = "".join(
        f"<tr><td>{_swatch(colours.get(m.label))}<code>:{_e(m.label)}</code></td>"
        f"<td>{_e(m.table)}</td><td><code>id</code> ({_e(m.key)}), "
        f"{_e(', '.join(m.properties))}</td></tr>"
        for m in NODES
    )
    edges = "".join(
        f"<tr><td><code>:{_e(m.type)}</code></td>"
        f"<td>{_e(m.start[0])} &rarr; {_e(m.end[0])}</td>"
        f"<td>{_e(', '.join((*m.properties, *m.extra)) or '(none)')}</td></tr>"
        for m in EDGES
    )
    return f"""
<slide class="row-fluid">
  <div class="col-sm-3">
    <h3>The platform as a graph</h3>
    <p class="lead">Who watched, shared, referred, bought and paid, as nodes and relationships.</p>
    <p>The play icon of a grey block runs it; a click on the block copies it into the
    editor, to change it first. The next slides hold the saved queries of
    <code>cypher/browser/</code>: type a value in a slide's field and its blocks take it.</p>
  </div>
  <div class="col-sm-9">
    <table class="table table-condensed">
      <tr><th>label</th><th>one node per row of</th><th>properties</th></tr>{nodes}
    </table>
    <table class="table table-condensed">
      <tr><th>type</th><th>from &rarr; to</th><th>properties</th></tr>{edges}
    </table>
    <pre class="code runnable">CALL db.schema.visualization()</pre>
  </div>
</slide>"""


def _param_value(default: str) -> tuple[str, str, str]:
    """``(before, value, after)``: a string literal's quotes stay outside the input's value."""
    m = _STRING.match(default)
    if m:
        return "'", m.group(1), "'"
    return "", default, ""


def _key(slide: str, name: str) -> str:
    """The input's key: one per slide and parameter (an input fills only its slide's blocks)."""
    return f"{slide}-{name}"


def _value_span(slide: str, name: str, literal: str) -> str:
    """``literal`` (a Cypher literal) with its value in the span the slide's input fills."""
    before, value, after = _param_value(literal)
    return f'{_e(before)}<span value-key="{_e(_key(slide, name))}">{_e(value)}</span>{_e(after)}'


def _block(query: SavedQuery, values: dict[str, str], slide: str) -> str:
    """The query as one runnable statement, each ``$param`` written as its value.

    One statement, so that the Browser draws its result: a block of ``:param``
    lines and a query runs as a script, whose frame shows each statement's
    summary and no graph.
    """
    text = _e(query.query)
    for name, default in query.params:
        span = _value_span(slide, name, values.get(name, default))
        text = re.sub(rf"\${re.escape(name)}\b", lambda _m, s=span: s, text)
    return f'<pre class="code runnable">{text}</pre>'


def _param_block(queries: list[SavedQuery], values: dict[str, str], slide: str) -> str:
    """The ``:param`` lines of the files' headers, runnable one by one (for the files as
    they are, e.g. saved as favourites)."""
    seen: dict[str, str] = {}
    for q in queries:
        for name, default in q.params:
            seen.setdefault(name, values.get(name, default))
    if not seen:
        return ""
    blocks = "".join(
        f'<pre class="code runnable">:param {_e(name)} =&gt; {_value_span(slide, name, v)}</pre>'
        for name, v in seen.items()
    )
    return ("<p>The files themselves take parameters; run these first to use them as they "
            f"are (e.g. saved as favourites):</p>{blocks}")


def _inputs(queries: list[SavedQuery], values: dict[str, str], slide: str) -> str:
    seen: dict[str, str] = {}
    for q in queries:
        for name, default in q.params:
            seen.setdefault(name, values.get(name, default))
    return "".join(
        f'<p><label><code>${_e(name)}</code> '
        f'<input type="text" value-for="{_e(_key(slide, name))}" value="{_e(_param_value(v)[1])}" '
        f'class="form-control" style="display:inline-block;width:12em"></label></p>'
        for name, v in seen.items()
    )


def _query_slide(query: SavedQuery, values: dict[str, str]) -> str:
    notes = "".join(f"{_e(line)}\n" for line in query.notes)
    twins = [query] + ([query.table] if query.table else [])
    # one input per parameter fills both blocks: they start from the same value
    values = {name: v for q in reversed(twins) for name, v in q.params} | values
    slide = query.name
    table = ""
    if query.table is not None:
        table = (f"<p><b>As a table</b> (<code>{_e(query.table.name)}.cypher</code>): "
                 f"{_e(query.table.title)}</p>{_block(query.table, values, slide)}")
    return f"""
<slide class="row-fluid">
  <div class="col-sm-3">
    <h3>{_e(query.title.split(",")[0].split(" (")[0])}</h3>
    <p class="lead"><code>cypher/browser/{_e(query.name)}.cypher</code></p>
    {_inputs(twins, values, slide)}
  </div>
  <div class="col-sm-9">
    <p>{_e(query.title)}</p>
    <pre style="white-space:pre-wrap;background:none;border:none;font-size:0.9em">{notes}</pre>
    {_block(query, values, slide)}
    {table}
    {_param_block(twins, values, slide)}
  </div>
</slide>"""


def build_guide(values: dict[str, str] | None = None, folder: Path | None = None) -> str:
    """The guide's HTML.

    ``values``: parameter values (Cypher literals, ``'u1'`` or ``5``) replacing the
    defaults the files' headers give; ``folder``: the saved queries (``cypher/browser``).
    """
    folder = folder or cypher_dir() / "browser"
    values = values or {}
    colours = _style_colours(folder / "style.grass")
    slides = [_schema_slide(colours)]
    slides += [_query_slide(q, values) for q in saved_queries(folder)]
    return (
        '<article class="guide">\n<carousel class="deck container-fluid">'
        + "".join(slides)
        + "\n</carousel>\n</article>\n"
    )


def write_guide(target: Path, values: dict[str, str] | None = None) -> Path:
    """Write ``guide.html`` and ``style.grass`` into ``target`` (created); returns ``target``."""
    from graphmodel.server.guide import GUIDE_FILE, STYLE_FILE

    folder = cypher_dir() / "browser"
    target.mkdir(parents=True, exist_ok=True)
    (target / GUIDE_FILE).write_text(build_guide(values, folder), encoding="utf-8")
    shutil.copyfile(folder / "style.grass", target / STYLE_FILE)
    return target
