"""One self-contained HTML file: inline CSS, images and table CSVs as base64 ``data:`` URIs.

The page makes no network request at all: no script, no web font, no
external style sheet, no link to another site. Every text is escaped. Each
table offers its rows as CSV through a ``data:text/csv`` link with a
``download`` name, so the single file stays self-contained; the Markdown
links the same bytes written as ``tables/ID.csv``.

Wide tables fit the page: headers wrap, long text cells wrap, and numbers
never do; the report's layout keeps its tables narrow (scenarios as
columns S1, S2, ... with a legend; the sensitivity table split into parts),
and ``overflow-x: auto`` on each table's box is the last resort.
"""

from __future__ import annotations

import base64
from html import escape

from graphmodel.report.document import (
    Code,
    Document,
    Figure,
    Formula,
    Panel,
    Paragraph,
    Table,
)
from graphmodel.report.formula import formula_html

__all__ = ["render_html"]

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.2rem; }
nav ol { columns: 2; }
p { white-space: pre-line; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption, caption { color: #444; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; padding-bottom: 0.3rem; }
.scroll { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f4f4f4; text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
         overflow-wrap: normal; }
a.csv { font-size: 0.8rem; margin-left: 0.4rem; }
.formula { margin: 0.8rem 0; }
.formula code.tex { display: block; white-space: pre-wrap; overflow-wrap: anywhere;
                    background: #f7f7f7; padding: 0.3rem 0.5rem; }
.formula p { margin: 0.2rem 0 0 0; color: #333; }
pre { background: #f7f7f7; padding: 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { body { max-width: none; margin: 0; } .scroll { overflow-x: visible; } }
"""


def _paragraph(p: Paragraph) -> str:
    return f"<p>{escape(p.text)}</p>"


def _figure(f: Figure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    label = f"Figure {f.number}. " if f.number else ""
    return (
        f'<figure id="fig-{escape(f.name)}"><img src="data:image/png;base64,{data}" '
        f'alt="{escape(f.alt)}"><figcaption>{escape(label + f.caption)}</figcaption>'
        "</figure>"
    )


def _formula(f: Formula) -> str:
    where = f"<p>{escape(f.where)}</p>" if f.where else ""
    return f'<div class="formula">{formula_html(f.latex)}{where}</div>'


def _caption(t: Table) -> str:
    label = f"Table {t.number}. " if t.number else ""
    text = escape(label + t.caption)
    if t.csv is not None:
        data = base64.b64encode(t.csv.encode("utf-8")).decode("ascii")
        text += (
            f' <a class="csv" href="data:text/csv;charset=utf-8;base64,{data}" '
            f'download="{escape(t.id or "table")}.csv">CSV</a>'
        )
    return f"<caption>{text}</caption>" if text else ""


def _breakable(text: str) -> str:
    """``text`` escaped, with a line-break opportunity after each underscore, so a long
    name (``user_generated_value``) wraps between its words, never inside one."""
    return escape(text).replace("_", "_<wbr>")


def _table(t: Table) -> str:
    numeric = t.numeric or [False] * len(t.columns)
    head = "".join(f"<th>{_breakable(c)}</th>" for c in t.columns)
    body = []
    for i, row in enumerate(t.rows):
        attrs = ""
        if t.row_data is not None:
            attrs = "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in t.row_data[i].items())
        cells = "".join(
            f'<td class="num">{escape(c)}</td>' if num else f"<td>{_breakable(c)}</td>"
            for c, num in zip(row, numeric, strict=True)
        )
        body.append(f"<tr{attrs}>{cells}</tr>")
    table_id = f' id="{escape(t.id)}"' if t.id else ""
    return (
        f'<div class="scroll"><table{table_id}>{_caption(t)}<thead><tr>{head}</tr>'
        "</thead><tbody>" + "\n".join(body) + "</tbody></table></div>"
    )


def render_html(doc: Document) -> str:
    """The document as one HTML page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(doc.title)}</h1>",
        f'<p class="subtitle">{escape(doc.subtitle)}</p>',
        "<nav><ol>",
    ]
    out += [f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in doc.sections]
    out.append("</ol></nav>")
    for s in doc.sections:
        out.append(f'<section id="{escape(s.id)}"><h2>{escape(s.title)}</h2>')
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out.append(_paragraph(b))
            elif isinstance(b, Figure):
                out.append(_figure(b))
            elif isinstance(b, Formula):
                out.append(_formula(b))
            elif isinstance(b, Code):
                out.append(f"<pre>{escape(b.text)}</pre>")
            elif isinstance(b, Panel):
                out.append(b.html)
            else:
                out.append(_table(b))
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
