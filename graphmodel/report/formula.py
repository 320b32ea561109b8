"""Formulas of the report: LaTeX in, the markup of each file out.

The methods section writes every formula once, as LaTeX. `formula_html`
is the one place that turns it into HTML: for now the LaTeX source itself in
a ``<code class="tex">`` element; rendering it as MathML (no script, so the
page stays self-contained) is a change of this function alone.
`formula_markdown` gives the same source as inline code.
"""

from __future__ import annotations

from html import escape

__all__ = ["formula_html", "formula_markdown"]


def formula_html(latex: str) -> str:
    """``latex`` as HTML: the escaped source in ``<code class="tex">``."""
    return f'<code class="tex">{escape(latex)}</code>'


def formula_markdown(latex: str) -> str:
    """``latex`` as Markdown inline code (a backtick in the source lengthens the fence)."""
    fence = "``" if "`" in latex else "`"
    return f"{fence}{latex}{fence}"
