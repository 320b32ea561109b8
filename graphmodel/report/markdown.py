"""The Markdown twin of the report: the same sections, tables and figures.

Figures are PNG files in a ``figures/`` folder beside the Markdown file,
referenced by relative path (``![alt](figures/NAME.png)``), so the file stays
small and readable as text and renders wherever Markdown does (many
renderers refuse ``data:`` images). Each table's CSV is ``tables/ID.csv``
beside it, linked after the table's caption. Formulas are their LaTeX
source as inline code, as the HTML shows them.
"""

from __future__ import annotations

from graphmodel.report.document import (
    Code,
    Document,
    Figure,
    Formula,
    Panel,
    Paragraph,
    Table,
)
from graphmodel.report.formula import formula_markdown

__all__ = ["FIGURE_DIR", "TABLE_DIR", "render_markdown"]

#: The folder, beside the Markdown file, that holds its figures.
FIGURE_DIR = "figures"
#: The folder, beside the Markdown file, that holds its tables as CSV.
TABLE_DIR = "tables"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(t: Table) -> str:
    numeric = t.numeric or [False] * len(t.columns)
    caption = (f"Table {t.number}. " if t.number else "") + t.caption
    if t.csv is not None:
        caption += f" ([CSV]({TABLE_DIR}/{t.id}.csv))"
    lines = [f"*{_cell(caption)}*", ""] if caption else []
    lines += [
        "| " + " | ".join(_cell(c) for c in t.columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def _figure(f: Figure) -> str:
    alt = f.alt.replace("[", "(").replace("]", ")")
    label = f"Figure {f.number}. " if f.number else ""
    return f"![{alt}]({FIGURE_DIR}/{f.name}.png)\n\n*{label}{f.caption}*"


def _paragraph(p: Paragraph) -> str:
    return "  \n".join(p.text.splitlines())


def render_markdown(doc: Document) -> str:
    """The document as Markdown (GitHub-flavoured tables)."""
    out = [
        f"# {doc.title}",
        doc.subtitle,
        "## Contents",
        "\n".join(f"{i}. [{s.title}](#{s.id})" for i, s in enumerate(doc.sections, 1)),
    ]
    for s in doc.sections:
        out.append(f"## {s.title}")
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out.append(_paragraph(b))
            elif isinstance(b, Figure):
                out.append(_figure(b))
            elif isinstance(b, Formula):
                out.append(formula_markdown(b.latex) + ("  \n" + b.where if b.where else ""))
            elif isinstance(b, Code):
                out.append("```text\n" + b.text + "\n```")
            elif isinstance(b, Panel):
                out.append(_paragraph(Paragraph(b.text)))
            else:
                out.append(_table(b))
    return "\n\n".join(out) + "\n"
