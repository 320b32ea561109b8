"""MkDocs hook: each command of the CLI reference page ends with its ``Examples:`` block.

mkdocs-click renders a command's help, usage and options but not its epilog,
where the examples are (:mod:`graphmodel.cli.examples`). This hook wraps the
options renderer of mkdocs-click so that the examples follow the options as
a bash code block, as they follow the options in ``--help``.
"""

import mkdocs_click._docs as click_docs

from graphmodel.cli.examples import examples_markdown


def _with_examples(make_options):
    def make(ctx, *args, **kwargs):
        yield from make_options(ctx, *args, **kwargs)
        yield from examples_markdown(ctx.command)

    make.with_examples = True
    return make


def on_config(config):
    if not getattr(click_docs._make_options, "with_examples", False):
        click_docs._make_options = _with_examples(click_docs._make_options)
    return config
