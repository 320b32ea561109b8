"""How to cite graphmodel: one source for ``CITATION.cff``, the report's citation and BibTeX.

`CITATION` holds the Citation File Format 1.2.0 record of the
software; `cff_text` writes it as the ``CITATION.cff`` at the root of
the repository (``python -c "from graphmodel.report.citation import cff_text;
print(cff_text(), end='')" > CITATION.cff``; a test checks the file is
exactly this text), and `citation_text` and
`bibtex` give the report's "How to cite" section from the same record,
so the three cannot drift apart.

The paper the model formalises (Jin 2025) is listed under ``references``:
the works the software builds on. It is not the ``preferred-citation``,
which in CFF 1.2.0 replaces the software as what to cite (a paper that
describes the software); this paper does not describe graphmodel.
"""

from __future__ import annotations

import json
from typing import Any

from graphmodel.__about__ import __version__

__all__ = ["CITATION", "cff_text", "citation_text", "bibtex"]

#: The CFF 1.2.0 record (keys in the order written).
CITATION: dict[str, Any] = {
    "cff-version": "1.2.0",
    "message": "If you use this software, please cite it using these metadata.",
    "type": "software",
    "title": "graphmodel",
    "abstract": "A graph model of how a livestream e-commerce platform turns users' "
    "interactions into data and value.",
    "authors": [{"name": "The graphmodel maintainers"}],
    "version": __version__,
    "license": "MIT",
    "keywords": ["digital labour", "prosumer", "live e-commerce", "graph model", "Neo4j"],
    "references": [
        {
            "type": "article",
            "title": "A Study of Users as Prosumers in E-Commerce Live Streaming from the "
            "Perspective of Digital Labor: A Case Analysis of Interaction Behavior and Data "
            "Production in Douyin Livestreams",
            "authors": [{"family-names": "Jin", "given-names": "Aofei"}],
            "journal": "E-Commerce Letters",
            "year": 2025,
            "volume": "14",
            "issue": "11",
            "start": "3122",
            "end": "3126",
            "doi": "10.12677/ecl.2025.14113787",
            "notes": 'Original title: 数字劳动视域下电商直播用户的"产消者"角色研究 '
            "——以抖音直播间的互动行为与数据生产为例 (电子商务评论).",
        }
    ],
}


def _scalar(value: Any) -> str:
    """A YAML scalar: numbers bare, text double-quoted (JSON strings are valid YAML)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                lines.append(f"{pad}{k}:")
                lines += _yaml(v, indent + 2)
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
    else:
        for item in value:
            if isinstance(item, dict):
                inner = _yaml(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def cff_text(record: dict[str, Any] | None = None) -> str:
    """``record`` (default `CITATION`) as the text of a ``CITATION.cff`` file."""
    return "\n".join(_yaml(record or CITATION, 0)) + "\n"


def _names(authors: list[dict[str, str]]) -> str:
    return ", ".join(
        a.get("name") or f"{a['family-names']}, {a['given-names'][0]}." for a in authors
    )


def citation_text(record: dict[str, Any] | None = None) -> str:
    """The software and the paper as formatted references (APA-like)."""
    r = record or CITATION
    lines = [
        f"{_names(r['authors'])}. {r['title']} (version {r['version']}) [Computer "
        f"software]. {r['abstract']}"
    ]
    for ref in r.get("references", ()):
        lines.append(
            f"{_names(ref['authors'])} ({ref['year']}). {ref['title']}. "
            f"{ref['journal']}, {ref['volume']}({ref['issue']}), "
            f"{ref['start']}-{ref['end']}. doi:{ref['doi']}"
        )
    return "\n".join(lines)


def bibtex(record: dict[str, Any] | None = None) -> str:
    """The software (``@software``) and the papers it builds on (``@article``) as BibTeX."""
    r = record or CITATION

    def author(a: dict[str, str]) -> str:
        return "{" + a["name"] + "}" if "name" in a else f"{a['family-names']}, {a['given-names']}"

    entries = [
        "@software{graphmodel,\n"
        f"  author  = {{{' and '.join(author(a) for a in r['authors'])}}},\n"
        f"  title   = {{{r['title']}}},\n"
        f"  version = {{{r['version']}}},\n"
        f"  license = {{{r['license']}}},\n"
        f"  note    = {{{r['abstract']}}}\n"
        "}"
    ]
    for ref in r.get("references", ()):
        key = f"{ref['authors'][0]['family-names'].lower()}{ref['year']}"
        entries.append(
            f"@article{{{key},\n"
            f"  author  = {{{' and '.join(author(a) for a in ref['authors'])}}},\n"
            f"  title   = {{{ref['title']}}},\n"
            f"  journal = {{{ref['journal']}}},\n"
            f"  year    = {{{ref['year']}}},\n"
            f"  volume  = {{{ref['volume']}}},\n"
            f"  number  = {{{ref['issue']}}},\n"
            f"  pages   = {{{ref['start']}--{ref['end']}}},\n"
            f"  doi     = {{{ref['doi']}}}\n"
            "}"
        )
    return "\n\n".join(entries)
