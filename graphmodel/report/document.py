"""The report as a document: sections of paragraphs, formulas, figures and tables.

`graphmodel.report.build` fills it once; `graphmodel.report.html`
and `graphmodel.report.markdown` render the same document, so the two
files carry the same text, numbers and figures.

Figures and tables are numbered in the order they appear (`Document.numbered`);
a paragraph refers to one as ``{figure:NAME}`` or ``{table:ID}``, replaced by
"Figure 2" or "Table 3" when the document is numbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

__all__ = ["Paragraph", "Formula", "Code", "Figure", "Table", "Panel", "Section", "Document"]

_REFERENCE = re.compile(r"\{(figure|table):([A-Za-z0-9_-]+)\}")


@dataclass(frozen=True)
class Paragraph:
    """Plain text (no markup); lines are kept as line breaks."""

    text: str


@dataclass(frozen=True)
class Formula:
    """A formula as LaTeX (`graphmodel.report.formula.formula_html` renders it) and
    the values of its parameters as run, in words."""

    latex: str
    where: str = ""


@dataclass(frozen=True)
class Code:
    """Preformatted text (a citation in BibTeX)."""

    text: str


@dataclass(frozen=True)
class Panel:
    """A live part of the HTML page (the governance explorer, `graphmodel.explorer`): its
    HTML as is; the Markdown, which cannot run it, gives ``text`` instead."""

    html: str
    text: str


@dataclass(frozen=True)
class Figure:
    """A PNG image: ``name`` is its file stem (``figures/NAME.png`` beside the Markdown)."""

    name: str
    png: bytes
    alt: str
    caption: str
    number: int | None = None


@dataclass(frozen=True)
class Table:
    """Cells already formatted as text; ``row_data`` gives each row ``data-*`` attributes
    in the HTML (machine-readable values), ignored by the Markdown. ``csv`` is the
    table's rows as CSV (the exact values, one line per row of the table), offered for
    download as ``tables/ID.csv``; ``caption`` follows "Table N." """

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] | None = None
    row_data: list[dict[str, str]] | None = None
    id: str | None = None
    caption: str = ""
    csv: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Section:
    """A titled part; ``id`` is the title as a heading anchor (lower case, hyphens), the
    one Markdown renderers derive, so the contents link in both files."""

    title: str
    blocks: list[Paragraph | Formula | Code | Figure | Table | Panel] = field(default_factory=list)

    @property
    def id(self) -> str:
        words = re.sub(r"[^a-z0-9 -]", "", self.title.lower()).split(" ")
        return "-".join(w for w in words if w)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    sections: list[Section]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def numbered(self) -> Document:
        """The document with its figures and tables numbered in order, and every
        ``{figure:NAME}`` / ``{table:ID}`` in its paragraphs replaced by the number
        ("Figure 2", "Table 3"). A reference to nothing is a ``KeyError``: a bug."""
        numbers: dict[tuple[str, str], int] = {}
        count = {"figure": 0, "table": 0}
        for b in (b for s in self.sections for b in s.blocks):
            kind = "figure" if isinstance(b, Figure) else "table" if isinstance(b, Table) else ""
            if kind:
                count[kind] += 1
                key = b.name if isinstance(b, Figure) else b.id
                numbers.setdefault((kind, key or f"#{count[kind]}"), count[kind])

        def text(t: str) -> str:
            return _REFERENCE.sub(lambda m: f"{m[1].capitalize()} {numbers[m[1], m[2]]}", t)

        sections, done = [], {"figure": 0, "table": 0}
        for s in self.sections:
            blocks = []
            for b in s.blocks:
                if isinstance(b, (Figure, Table)):
                    kind = "figure" if isinstance(b, Figure) else "table"
                    done[kind] += 1
                    b = replace(b, number=done[kind], caption=text(b.caption))
                elif isinstance(b, Paragraph):
                    b = Paragraph(text(b.text))
                elif isinstance(b, Formula):
                    b = replace(b, where=text(b.where))
                blocks.append(b)
            sections.append(Section(s.title, blocks))
        return Document(self.title, self.subtitle, sections)
