"""Formulas of the report: LaTeX in, the markup of each file out.

The methods section writes every formula once, as LaTeX. `formula_html`
is the one place that turns it into HTML: MathML (`graphmodel.mathml`, the
converter of the documentation site), which browsers draw natively, so the page
stays self-contained, with no script and no font fetched.
`formula_markdown` gives the same source as inline code.
"""

from __future__ import annotations

import re

from graphmodel.mathml import to_mathml

__all__ = ["formula_html", "formula_markdown"]


def formula_html(latex: str) -> str:
    """``latex`` as HTML: displayed MathML ``math`` elements, one per part of a formula
    written as parts joined by ``\\quad`` (so that a long formula fits an A4 page, each
    part on its line). HTML puts ``math`` in the MathML namespace by itself, so the page
    names no address at all."""
    parts = [x for x in re.split(r",?\s*\\quad\s*", latex) if x.strip()]
    return "".join(
        to_mathml(x, display=True).replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)
        for x in parts
    )


def formula_markdown(latex: str) -> str:
    """``latex`` as Markdown inline code (a backtick in the source lengthens the fence)."""
    fence = "``" if "`" in latex else "`"
    return f"{fence}{latex}{fence}"
