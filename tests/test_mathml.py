"""LaTeX to MathML (graphmodel.mathml): the tree of small formulas, checked by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from graphmodel.mathml import to_mathml

NS = "{http://www.w3.org/1998/Math/MathML}"


def tree(latex: str, display: bool = False) -> ET.Element:
    return ET.fromstring(to_mathml(latex, display=display))


def shape(el: ET.Element):
    """An element as (tag, text) for a leaf, (tag, [children]) otherwise, namespace dropped."""
    tag = el.tag.removeprefix(NS)
    kids = list(el)
    return (tag, [shape(k) for k in kids]) if kids else (tag, el.text)


def test_a_subscript_and_its_source():
    math = tree("D_{u,s}")
    assert math.get("display") == "inline"
    semantics = math.find(f"{NS}semantics")
    body, note = list(semantics)
    assert shape(body) == (
        "mrow",
        [("msub", [("mi", "D"), ("mrow", [("mi", "u"), ("mo", ","), ("mi", "s")])])],
    )
    assert note.get("encoding") == "application/x-tex" and note.text == "D_{u,s}"


def test_a_displayed_fraction():
    math = tree(r"e_u = \frac{s_u}{v_u}", display=True)
    assert math.get("display") == "block"
    body = math.find(f"{NS}semantics")[0]
    assert shape(body) == (
        "mrow",
        [
            ("msub", [("mi", "e"), ("mi", "u")]),
            ("mo", "="),
            (
                "mfrac",
                [
                    ("mrow", [("msub", [("mi", "s"), ("mi", "u")])]),
                    ("mrow", [("msub", [("mi", "v"), ("mi", "u")])]),
                ],
            ),
        ],
    )


def test_greek_text_and_the_escaped_source():
    math = tree(r"\lambda\, b < \text{two words}")
    body, note = list(math.find(f"{NS}semantics"))
    leaves = [(t.removeprefix(NS), x) for t, x in ((e.tag, e.text) for e in body.iter()) if x]
    assert ("mi", "\u03bb") in leaves and ("mo", "<") in leaves
    assert ("mtext", "two\u00a0words") in leaves
    assert note.text == r"\lambda\, b < \text{two words}"  # '<' escaped in the markup


def test_array_columns_are_aligned_with_css():
    math = tree(r"\begin{array}{rl} a = & b \\ & + c \end{array}", display=True)
    cells = list(math.iter(f"{NS}mtd"))
    assert [c.get("style") for c in cells] == ["text-align: right", "text-align: left"] * 2
    assert all(c.get("columnalign") is None for c in cells)


@pytest.mark.parametrize(
    "latex, why",
    [
        (r"\frac{a", "unbalanced braces"),
        (r"a}", "unbalanced braces"),
        (r"\nosuch{a}", "unknown command '\\\\nosuch'"),
        (r"a & b", "'&' outside an array"),
    ],
)
def test_bad_latex_is_an_error_naming_the_formula(latex, why):
    with pytest.raises(ValueError) as e:
        to_mathml(latex)
    assert repr(latex) in str(e.value) and why in str(e.value)
