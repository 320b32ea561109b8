"""MkDocs hook: replace ``<!-- columns -->`` by the data dictionary (graphmodel.dictionary)."""

from graphmodel.dictionary.markdown import columns_markdown, sections

MARKER = "<!-- columns -->"


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    titles = sections(config["docs_dir"])
    return markdown.replace(MARKER, columns_markdown(titles))
