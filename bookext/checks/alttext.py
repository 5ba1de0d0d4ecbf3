"""Every image and flowchart has a text alternative.

Screen-reader users and readers of a failed image load get the same facts.
MyST images take ``:alt:``; graphviz charts take ``:alt:`` too.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)


class RequireAltText(SphinxTransform):
    default_priority = 900

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.Element):
            kind = type(node).__name__
            if kind == "image":
                alt = node.get("alt", "")
            elif kind == "graphviz":
                alt = node.get("alt", "") or node.get("options", {}).get("alt", "")
            else:
                continue
            if not str(alt).strip():
                logger.warning(f"{'flowchart' if kind == 'graphviz' else 'image'} without "
                               "alt text — add ':alt: <what it shows>' under the directive",
                               location=node, type="bookext", subtype="alt_text")


def setup(app):
    app.add_transform(RequireAltText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
