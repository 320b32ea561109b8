"""CITATION.cff, the report's citation and its BibTeX come from one record."""

from pathlib import Path

import yaml

from graphmodel.__about__ import __version__
from graphmodel.report.citation import CITATION, bibtex, cff_text, citation_text

ROOT = Path(__file__).resolve().parents[1]


def test_citation_cff_is_the_record_written_out():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert text == cff_text(), "CITATION.cff is out of date: write cff_text() into it"
    data = yaml.safe_load(text)
    assert data == CITATION
    assert data["cff-version"] == "1.2.0" and data["type"] == "software"
    assert data["title"] == "graphmodel" and data["version"] == __version__
    assert data["authors"] and data["message"]  # the keys CFF 1.2.0 requires
    # the paper is a work the software builds on, not a replacement for citing it
    assert "preferred-citation" not in data
    (paper,) = data["references"]
    assert paper["doi"] == "10.12677/ecl.2025.14113787" and paper["year"] == 2025


def test_text_and_bibtex_carry_the_records_values():
    text, bib = citation_text(), bibtex()
    assert f"graphmodel (version {__version__})" in text
    assert "Jin, A. (2025)." in text and "14(11), 3122-3126" in text
    assert "doi:10.12677/ecl.2025.14113787" in text
    assert f"version = {{{__version__}}}" in bib
    assert "@article{jin2025," in bib and "pages   = {3122--3126}" in bib
    other = {**CITATION, "version": "9.9.9"}
    assert "version 9.9.9" in citation_text(other) and 'version: "9.9.9"' in cff_text(other)
