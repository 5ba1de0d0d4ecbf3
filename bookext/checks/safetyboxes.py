"""Clinical pages carry the disclaimer; emergency pages carry the help box.

Which pages need which box is configured in ``conf.py``
(``bookext_disclaimer_pages`` and ``bookext_emergency_pages``); the boxes
themselves are the includes in ``docs/_snippets``, so their text lives once.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

BOXES = {
    "disclaimer": ("bookext_disclaimer_pages", "disclaimer.md"),
    "emergency-help": ("bookext_emergency_pages", "emergency-help.md"),
}


class RequireSafetyBoxes(SphinxTransform):
    default_priority = 890

    def apply(self, **kwargs) -> None:
        docname = self.env.docname
        present = {cls for node in self.document.findall(nodes.admonition)
                   for cls in node.get("classes", [])}
        for css_class, (setting, snippet) in BOXES.items():
            if docname in getattr(self.config, setting) and css_class not in present:
                logger.warning(
                    f"this page has no {css_class.replace('-', ' ')} box — add "
                    f"'```{{include}} _snippets/{snippet}' and '```' after the title",
                    location=f"{self.env.doc2path(docname)}:1", type="bookext",
                    subtype="safety_box")


def setup(app):
    app.add_config_value("bookext_disclaimer_pages", [], "env")
    app.add_config_value("bookext_emergency_pages", [], "env")
    app.add_transform(RequireSafetyBoxes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
