"""MkDocs hook: replace ``<!-- schema-table -->`` by the table rendered from the schema."""

from graphmodel.schema_doc import schema_markdown

MARKER = "<!-- schema-table -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        return markdown.replace(MARKER, schema_markdown())
    return markdown
