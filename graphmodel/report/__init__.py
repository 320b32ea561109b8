"""The report: one self-contained HTML page and its Markdown twin, with figures.

``graphmodel report --source DIR --out FOLDER`` at the command line; in
Python::

    from graphmodel.report import make_report
    path = make_report(store, "report/")  # report/report.html, report.md, figures/, tables/

or step by step: `collect_sections` (the tables, from a store),
`build_report` (pure: tables in, HTML, Markdown and PNGs out),
`write_report` (atomically onto disk). See docs/report.md.
"""

from graphmodel.report.build import Report, build_report
from graphmodel.report.collect import collect_sections
from graphmodel.report.make import make_report
from graphmodel.report.write import write_report

__all__ = ["Report", "build_report", "collect_sections", "write_report", "make_report"]
