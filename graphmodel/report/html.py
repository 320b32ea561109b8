"""One self-contained HTML file: inline CSS, images as base64 ``data:`` URIs.

The page makes no network request at all: no script, no web font, no
external style sheet, no link to another site. Every text is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from graphmodel.report.document import Document, Figure, Paragraph, Table

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
figcaption { color: #444; font-size: 0.9rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
"""


def _paragraph(p: Paragraph) -> str:
    return f"<p>{escape(p.text)}</p>"


def _figure(f: Figure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    return (f'<figure id="fig-{escape(f.name)}"><img src="data:image/png;base64,{data}" '
            f'alt="{escape(f.alt)}"><figcaption>{escape(f.caption)}</figcaption></figure>')


def _table(t: Table) -> str:
    numeric = t.numeric or [False] * len(t.columns)
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = []
    for i, row in enumerate(t.rows):
        attrs = ""
        if t.row_data is not None:
            attrs = "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in t.row_data[i].items())
        cells = "".join(f'<td class="num">{escape(c)}</td>' if num else f"<td>{escape(c)}</td>"
                        for c, num in zip(row, numeric, strict=True))
        body.append(f"<tr{attrs}>{cells}</tr>")
    table_id = f' id="{escape(t.id)}"' if t.id else ""
    return (f'<div class="scroll"><table{table_id}><thead><tr>{head}</tr></thead><tbody>'
            + "\n".join(body) + "</tbody></table></div>")


def render_html(doc: Document) -> str:
    """The document as one HTML page."""
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(doc.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<h1>{escape(doc.title)}</h1>", f'<p class="subtitle">{escape(doc.subtitle)}</p>',
           "<nav><ol>"]
    out += [f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in doc.sections]
    out.append("</ol></nav>")
    for s in doc.sections:
        out.append(f'<section id="{escape(s.id)}"><h2>{escape(s.title)}</h2>')
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out.append(_paragraph(b))
            elif isinstance(b, Figure):
                out.append(_figure(b))
            else:
                out.append(_table(b))
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
