"""MkDocs hook: write the governance panel of the tiny hand-made log beside the site's pages
(``explorer-tiny.html``), so docs/explorer.md shows the panel itself in a frame."""

from pathlib import Path

from graphmodel.engines.open import open_store
from graphmodel.explorer import panel_data, panel_html

NAME = "explorer-tiny.html"
TINY = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "tiny"


def on_post_build(config):
    with open_store(source=TINY) as store:
        page = panel_html(panel_data(store.accounts(), title="tests/fixtures/tiny"))
    (Path(config["site_dir"]) / NAME).write_text(page, encoding="utf-8")
