"""A number a reader could act on carries its source next to it.

In the pages listed in ``bookext_cited_claims_pages``:

* every paragraph, list item and table row that states a quantity (a dose, a
  concentration, a percentage, a duration, a rate) must contain a citation — or a
  shared fact from ``docs/_data/facts.yml``, which carries its own;
* a dose — a number with mg, µg or mL — is held to a closer rule, because a dose is
  what a reader copies at the bedside: in running text the citation must sit in the
  same *sentence*, in a list item too; in a table the same *row*;
* a dose written in a flowchart (a Graphviz node label or the chart's alt text)
  cannot carry a citation itself, so the same dose must appear in a cited sentence,
  item or row of the same page.

The check cannot judge whether the source supports the number; reviewers do that.
It makes sure there is a source, next to the number, to check.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.graphviz import graphviz
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

NUMBER = r"\d(?:[\d,.]*\d)?\s?(?:[–-]\s?\d(?:[\d,.]*\d)?\s?)?"
QUANTITY = re.compile(
    NUMBER + r"(?:%|mg\b|µg\b|g/|mL\b|mmol|ng/|kg\b|mg/|µg/|hours?\b|h\b|days?\b|weeks?\b|"
    r"months?\b|years?\b|minutes?\b|mL/min|times\b|-fold|fold\b)")
DOSE = re.compile(NUMBER + r"(?:mg|µg|mL)\b")
SKIP = (nodes.title, nodes.literal_block, nodes.citation, nodes.comment, nodes.raw,
        addnodes.toctree, nodes.term)
CITE = "\x00"  # stands for a citation in the flattened text of a paragraph
# A full stop after these words does not end a sentence.
ABBREVIATIONS = ("e.g", "i.e", "vs", "al", "approx", "cf", "Dr", "St", "no", "Fig")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
LABEL = re.compile(r'label\s*=\s*"((?:[^"\\]|\\.)*)"')


def is_citation(node) -> bool:
    return isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite"


def has_citation(node, skip=()) -> bool:
    """True if a citation sits in ``node``, outside any nested node of type ``skip``."""
    for ref in node.findall(addnodes.pending_xref):
        if ref.get("refdomain") != "cite":
            continue
        parent, inside = ref.parent, False
        while parent is not None and parent is not node:
            if skip and isinstance(parent, skip):
                inside = True
                break
            parent = parent.parent
        if not inside:
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


def ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def flatten(node) -> str:
    """The text of a paragraph, with each citation replaced by one marker."""
    if is_citation(node):
        return CITE
    if isinstance(node, nodes.Text):
        return str(node)
    return "".join(flatten(child) for child in node.children)


def sentences(text: str):
    """Split flattened text into (sentence, offset) pairs at full stops."""
    start = 0
    for match in SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip(".!?\"”’)")
        if before.endswith(ABBREVIATIONS) and not before.endswith(CITE):
            continue
        yield text[start:match.start()], start
        start = match.end()
    if text[start:].strip():
        yield text[start:], start


def canonical(dose: str) -> str:
    return re.sub(r"\s+", "", dose).replace("-", "–").replace(",", "")


class RequireCitedQuantities(SphinxTransform):
    default_priority = 896

    def units(self):
        """Paragraphs outside tables, and table rows, each judged on its own."""
        for row in self.document.findall(nodes.row):
            if not isinstance(row.parent, nodes.thead):
                yield row
        for para in self.document.findall(nodes.paragraph):
            if not any(isinstance(a, nodes.table) for a in ancestors(para)):
                yield para

    def warn(self, what: str, where: str, location) -> None:
        logger.warning(f"'{what.strip()}' is stated without a source {where}— cite the "
                       "work that gives it ({cite:p}`Key`), or use the shared fact from "
                       "docs/_data/facts.yml", location=location, type="bookext",
                       subtype="uncited_quantity")

    def apply(self, **kwargs) -> None:
        if self.env.docname not in self.config.bookext_cited_claims_pages:
            return
        cited_doses: set[str] = set()
        for unit in self.units():
            if inside_skipped(unit):
                continue
            item = next((a for a in ancestors(unit) if isinstance(a, nodes.list_item)), None)
            lists = (nodes.bullet_list, nodes.enumerated_list)
            if isinstance(unit, nodes.row):
                self.check_block(unit, has_citation(unit), "in its table row ", cited_doses)
            elif item is not None and not has_citation(item, skip=lists):
                # A list item's citation may sit in any of its own paragraphs (not in a
                # nested list) for most quantities ...
                self.check_block(unit, False, "in its list item ", cited_doses)
            elif item is not None:
                # ... but a dose needs one in its own sentence, as in running text.
                self.check_dose_sentences(unit, flatten(unit), cited_doses)
            else:
                self.check_paragraph(unit, cited_doses)
        for chart in self.document.findall(graphviz):
            self.check_chart(chart, cited_doses)

    def check_block(self, unit, cited: bool, where: str, cited_doses: set[str]) -> None:
        text = unit.astext()
        if cited:
            cited_doses.update(canonical(d.group(0)) for d in DOSE.finditer(text))
            return
        match = DOSE.search(text) or QUANTITY.search(text)
        if match:
            self.warn(match.group(0), where, unit)

    def check_paragraph(self, para, cited_doses: set[str]) -> None:
        text = flatten(para)
        if CITE not in text:
            match = QUANTITY.search(text)
            if match:
                self.warn(match.group(0), "in its paragraph ", para)
                return
        self.check_dose_sentences(para, text, cited_doses)

    def check_dose_sentences(self, para, text: str, cited_doses: set[str]) -> None:
        """Each sentence of ``para`` that states a dose cites its source itself."""
        for sentence, offset in sentences(text):
            doses = [d.group(0) for d in DOSE.finditer(sentence)]
            if not doses:
                continue
            if CITE in sentence:
                cited_doses.update(canonical(d) for d in doses)
                continue
            # Point at the sentence's own line, in the file the paragraph came from.
            where = nodes.Element()
            where.source = para.source
            where.line = (para.line or 0) + text.count("\n", 0, offset)
            self.warn(doses[0], "in its sentence ", where)

    def check_chart(self, chart, cited_doses: set[str]) -> None:
        labels = [m.group(1).replace("\\n", " ") for m in LABEL.finditer(chart.get("code", ""))]
        labels.append(chart.get("alt", ""))
        for label in labels:
            for dose in DOSE.finditer(label):
                if canonical(dose.group(0)) not in cited_doses:
                    logger.warning(
                        f"flowchart dose '{dose.group(0).strip()}' does not appear in a cited "
                        "sentence, list item or table row of this page — state it in the "
                        "text with its source ({cite:p}`Key`), or take it out of the chart",
                        location=chart, type="bookext", subtype="uncited_quantity")


def setup(app):
    app.add_config_value("bookext_cited_claims_pages", [], "env")
    app.add_transform(RequireCitedQuantities)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
