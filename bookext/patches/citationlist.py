"""Accessible bibliography lists: each entry of a ``role="list"`` is a ``listitem``.

docutils' HTML writer wraps citations in ``<div role="list">`` but gives each entry
``role="doc-biblioentry"`` (deprecated in DPUB-ARIA 1.1). Screen readers then get a list
without items, and axe-core reports a critical ``aria-required-children`` violation on
every page with a reference list. This translator keeps the markup and classes and gives
each entry the role ``listitem``. pydata-sphinx-theme adds its own behaviour on top of
whatever translator is registered, so both apply. Checked by the axe-core browser tests
and ``tests/test_assets.py``.

Relies on: ``HTML5Translator.visit_citation`` in Sphinx 9.0.4 (a subclass, registered per
builder: nothing global to undo). Retire it when docutils writes ``role="listitem"`` (or
no list role) for citations.
"""

from __future__ import annotations

from sphinx.writers.html5 import HTML5Translator

from bookext.patches._compat import require

WRITTEN_FOR = "9.0.4"


class CitationListTranslator(HTML5Translator):
    def visit_citation(self, node) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app):
    require(__name__, "sphinx", WRITTEN_FOR, "sphinx.writers.html5.HTML5Translator.visit_citation")
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, CitationListTranslator, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
