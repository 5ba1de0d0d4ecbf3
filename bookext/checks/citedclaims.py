"""A number a reader could act on carries its source in the same paragraph.

In the pages listed in ``bookext_cited_claims_pages``, every paragraph, list
item and table row that states a quantity (a dose, a concentration, a
percentage, a duration, a rate) must contain a citation — or a shared fact from
``docs/_data/facts.yml``, which carries its own. The check cannot judge whether
the source supports the number; reviewers do that. It makes sure there is a
source to check.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

QUANTITY = re.compile(
    r"\d(?:[\d,.]*\d)?\s?(?:–\s?\d(?:[\d,.]*\d)?\s?)?"
    r"(?:%|mg\b|µg\b|g/|mL\b|mmol|ng/|kg\b|mg/|µg/|hours?\b|h\b|days?\b|weeks?\b|"
    r"months?\b|years?\b|minutes?\b|mL/min|times\b|-fold|fold\b)")
SKIP = (nodes.title, nodes.literal_block, nodes.citation, nodes.comment, nodes.raw,
        addnodes.toctree, nodes.term)


def has_citation(node) -> bool:
    for ref in node.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "cite":
            return True
    return False


def inside_skipped(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP):
            return True
        classes = parent.get("classes", []) if isinstance(parent, nodes.Element) else []
        if "learning-objectives" in classes or "bibliography" in " ".join(classes):
            return True
        parent = parent.parent
    return False


class RequireCitedQuantities(SphinxTransform):
    default_priority = 896

    def units(self):
        """Paragraphs outside tables, and table rows, each judged on its own."""
        for row in self.document.findall(nodes.row):
            if not isinstance(row.parent, nodes.thead):
                yield row
        for para in self.document.findall(nodes.paragraph):
            if not any(isinstance(a, nodes.table) for a in self.ancestors(para)):
                yield para

    @staticmethod
    def ancestors(node):
        parent = node.parent
        while parent is not None:
            yield parent
            parent = parent.parent

    def apply(self, **kwargs) -> None:
        if self.env.docname not in self.config.bookext_cited_claims_pages:
            return
        for unit in self.units():
            if inside_skipped(unit) or has_citation(unit):
                continue
            # A list item's citation may sit in a sibling paragraph of the same item.
            item = next((a for a in self.ancestors(unit) if isinstance(a, nodes.list_item)),
                        None)
            if item is not None and has_citation(item):
                continue
            match = QUANTITY.search(unit.astext())
            if match:
                logger.warning(f"'{match.group(0).strip()}' is stated without a source — "
                               "cite the work that gives it in the same paragraph or table "
                               "row ({cite:p}`Key`), or use the shared fact from "
                               "docs/_data/facts.yml", location=unit, type="bookext",
                               subtype="uncited_quantity")


def setup(app):
    app.add_config_value("bookext_cited_claims_pages", [], "env")
    app.add_transform(RequireCitedQuantities)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
