"""The quick-reference card: one printed page of doses and red flags, from the facts.

``docs/_data/card.yml`` lists, section by section, the fact ids the card shows and
their labels; ``{quick-reference}`` renders them as compact tables whose values and
citations come from ``docs/_data/facts.yml`` (numbered like every other citation).
Nothing on the card is typed twice, so it cannot disagree with the book; the page
adds the emergency snippet and its sources. An id that facts.yml lacks is a
warning at the line of card.yml that lists it.

The PDF of the card is Chromium's print of this page (``bookext.features.cardpdf``).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from bookext.features.facts import render

logger = logging.getLogger(__name__)


def load_card(path: Path) -> list[dict]:
    """Sections as {"section", "line", "rows": [(fact id, label, line)]}."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    sections = []
    for item in getattr(root, "value", None) or []:
        fields = {k.value: v for k, v in item.value}
        rows = [(k.value, v.value, k.start_mark.line + 1)
                for k, v in getattr(fields.get("rows"), "value", [])]
        sections.append({"section": fields["section"].value,
                         "line": item.start_mark.line + 1, "rows": rows})
    return sections


class QuickReference(SphinxDirective):
    """Renders docs/_data/card.yml: one rubric and one two-column table per section."""

    def run(self):
        config = self.config
        path = Path(config.bookext_card_file)   # made absolute at config-inited
        self.env.note_dependency(str(path))
        facts = config.myst_substitutions.get("facts") or {}
        try:
            sections = load_card(path)
        except (yaml.YAMLError, KeyError, AttributeError) as err:
            logger.warning(f"{config.bookext_card_file} cannot be read ({err}) — each "
                           "section needs 'section:' and 'rows:' with 'fact_id: label' lines",
                           location=self.get_location())
            return []
        lines = []
        for section in sections:
            lines += [f":::{{rubric}} {section['section']}", ":class: qr-section", ":::", "",
                      "::::{list-table}", ":class: qr-table", ":widths: 32 68", ""]
            for key, label, line in section["rows"]:
                if key not in facts:
                    logger.warning(f"card row '{key}' is not a fact in "
                                   f"{config.bookext_facts_file} — add the fact or correct "
                                   "the id", location=f"{config.bookext_card_file}:{line}",
                                   type="bookext", subtype="card")
                    continue
                lines += [f"* - {label}", f"  - {render(facts[key])}"]
            lines += ["::::", ""]
        container = nodes.container(classes=["qr-card"])
        self.state.nested_parse(StringList(lines, source=str(path)), self.content_offset,
                                container)
        return [container]


def absolute_card_file(app, config) -> None:
    config.bookext_card_file = str(Path(app.confdir) / config.bookext_card_file)


def setup(app):
    app.add_config_value("bookext_card_file", "docs/_data/card.yml", "env")
    app.connect("config-inited", absolute_card_file)
    app.add_directive("quick-reference", QuickReference)
    app.add_css_file("quick-reference.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
