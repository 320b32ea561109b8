"""MkDocs hook: the ``$...$`` and ``$$...$$`` formulas of every page as MathML.

``pymdownx.arithmatex`` (generic mode) finds the formulas, skipping code; this
hook turns what it leaves, ``<span class="arithmatex">\\(...\\)</span>`` and
``<div class="arithmatex">\\[...\\]</div>``, into MathML with
`graphmodel.mathml.to_mathml`. The browser draws it: no script, no font, no
network. A formula that cannot be converted stops the build, naming the page.
"""

import html
import re

from graphmodel.mathml import to_mathml

INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


def on_page_content(content, page, config, files):
    def convert(m, display):
        latex = html.unescape(m.group(1))
        try:
            return to_mathml(latex, display=display)
        except ValueError as exc:
            raise SystemExit(f"{page.file.src_uri}: {exc}") from None

    content = BLOCK.sub(lambda m: convert(m, True), content)
    return INLINE.sub(lambda m: convert(m, False), content)
