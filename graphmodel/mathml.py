"""LaTeX formulas as MathML, for pages that show math with no script, font or network.

Browsers render MathML Core natively (Chromium from version 109, Firefox,
Safari), so a formula converted once, when the page is built, needs nothing
at view time. The documentation site converts its ``$...$`` and ``$$...$$``
formulas with `to_mathml` (docs/hooks/math.py); the HTML report can use the
same function. The conversion is latex2mathml's, checked (unbalanced braces,
an unknown command or a stray ``&`` are errors, not garbled output) and made
MathML Core (an array's column alignment as CSS); the LaTeX source is kept in
an ``annotation`` element (copy and paste, screen readers).

>>> from graphmodel.mathml import to_mathml
>>> m = to_mathml("D_{u,s}")
>>> m[m.index("<msub>"):m.index("</msub>") + 7]  # D with the subscript u, s
'<msub><mi>D</mi><mrow><mi>u</mi><mo>&#x0002C;</mo><mi>s</mi></mrow></msub>'
>>> m[m.index("<annotation"):m.index("</semantics>")]
'<annotation encoding="application/x-tex">D_{u,s}</annotation>'
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

__all__ = ["to_mathml"]

_MATH = re.compile(r"^(<math\b[^>]*>)(.*)(</math>)$", re.S)


def to_mathml(latex: str, display: bool = False) -> str:
    """One LaTeX formula as a MathML ``math`` element.

    Parameters
    ----------
    latex : str
        The formula, without its ``$`` delimiters: ``\\frac{s_u}{v_u}``.
    display : bool
        A displayed formula (``display="block"``, on a line of its own) rather
        than one inline in a sentence.

    Returns
    -------
    str
        ``<math display="inline|block"><semantics>...<annotation
        encoding="application/x-tex">latex</annotation></semantics></math>``.

    Raises
    ------
    ValueError
        LaTeX the converter cannot read (an unknown command, unbalanced
        braces), naming the formula.

    Examples
    --------
    >>> to_mathml(r"\\frac{a}{b}", display=True).startswith(
    ...     '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">')
    True
    >>> "<mfrac>" in to_mathml(r"\\frac{a}{b}")
    True
    """
    unescaped = re.sub(r"\\.", "", latex)
    if unescaped.count("{") != unescaped.count("}"):
        raise ValueError(f"cannot convert the formula {latex!r} to MathML: unbalanced braces")
    try:
        out = convert(latex.strip(), display="block" if display else "inline")
    except Exception as exc:  # the converter raises many kinds, all of bad input
        raise ValueError(f"cannot convert the formula {latex!r} to MathML: {exc}") from None
    unknown = re.search(r">([^<]*\\[^<]*)<", out)
    if unknown:
        raise ValueError(
            f"cannot convert the formula {latex!r} to MathML: unknown command {unknown.group(1)!r}"
        )
    if re.search(r"&(?!#x[0-9A-Fa-f]+;|amp;|lt;|gt;|quot;)", out):
        raise ValueError(
            f"cannot convert the formula {latex!r} to MathML: '&' outside an "
            "array (write \\begin{array}{rl} ... \\end{array})"
        )
    # MathML Core has no columnalign: CSS aligns the cells of an array
    out = re.sub(r' columnalign="(left|right|center)"', r' style="text-align: \1"', out)
    m = _MATH.match(out)
    if m is None:
        raise ValueError(f"cannot convert the formula {latex!r} to MathML: unexpected output")
    source = html.escape(latex.strip(), quote=False)
    return (
        f"{m.group(1)}<semantics>{m.group(2)}"
        f'<annotation encoding="application/x-tex">{source}</annotation>'
        f"</semantics>{m.group(3)}"
    )
