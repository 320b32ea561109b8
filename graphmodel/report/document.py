"""The report as a document: sections of paragraphs, figures and tables.

`graphmodel.report.build` fills it once; `graphmodel.report.html`
and `graphmodel.report.markdown` render the same document, so the two
files carry the same text, numbers and figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Paragraph", "Figure", "Table", "Section", "Document"]


@dataclass(frozen=True)
class Paragraph:
    """Plain text (no markup); lines are kept as line breaks."""

    text: str


@dataclass(frozen=True)
class Figure:
    """A PNG image: ``name`` is its file stem (``figures/NAME.png`` beside the Markdown)."""

    name: str
    png: bytes
    alt: str
    caption: str


@dataclass(frozen=True)
class Table:
    """Cells already formatted as text; ``row_data`` gives each row ``data-*`` attributes
    in the HTML (machine-readable values), ignored by the Markdown."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] | None = None
    row_data: list[dict[str, str]] | None = None
    id: str | None = None


@dataclass(frozen=True)
class Section:
    """A titled part; ``id`` is the title as a heading anchor (lower case, hyphens), the
    one Markdown renderers derive, so the contents link in both files."""

    title: str
    blocks: list[Paragraph | Figure | Table] = field(default_factory=list)

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
