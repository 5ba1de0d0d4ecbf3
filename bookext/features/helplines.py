"""Help lines one tap away: the US help-line numbers become ``tel:`` links.

Writers keep typing the numbers as they read (``911``, ``1-800-222-1222``,
``1-800-662-4357``, ``988``); this transform links them in the emergency box
(``docs/_snippets/emergency-help.md``, wherever it is included) and on the pages
named in ``bookext_help_line_pages``. 988 also takes text messages, so it gets
a second, ``sms:`` link. A number that names something ("988 Suicide & Crisis
Lifeline") is left as text; numbers inside links, code and citations are skipped.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

# number as written -> dialled (E.164 for the toll-free lines, so phones abroad dial the US)
NUMBERS = {"911": "911", "1-800-222-1222": "+18002221222",
           "1-800-662-4357": "+18006624357", "988": "988"}
TEXTABLE = {"988"}
PATTERN = re.compile(r"(?<![\w-])(1-800-222-1222|1-800-662-4357|911|988)(?![\w-])"
                     r"(?!\s+(?:Suicide|Lifeline))")
SKIP = (nodes.reference, nodes.literal, nodes.literal_block, nodes.raw, nodes.title,
        nodes.citation, nodes.target)


def linked(text: str) -> list[nodes.Node]:
    """``text`` split into text and help-line links (empty list: nothing to link)."""
    parts, at = [], 0
    for match in PATTERN.finditer(text):
        number = match.group(1)
        parts.append(nodes.Text(text[at:match.start()]))
        parts.append(nodes.reference(number, number, refuri=f"tel:{NUMBERS[number]}",
                                     classes=["help-line"]))
        if number in TEXTABLE:
            parts.append(nodes.Text(" "))
            parts.append(nodes.reference("", "(tap to text)", refuri=f"sms:{number}",
                                         classes=["help-line-text"]))
        at = match.end()
    if not parts:
        return []
    parts.append(nodes.Text(text[at:]))
    return [part for part in parts if not isinstance(part, nodes.Text) or str(part)]


def in_emergency_box(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.admonition) and "emergency-help" in parent["classes"]:
            return True
        parent = parent.parent
    return False


def skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP) or "bibtex-citation" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


class LinkHelpLines(SphinxTransform):
    default_priority = 880       # after substitutions and includes are in the tree

    def apply(self, **kwargs) -> None:
        whole_page = self.env.docname in self.config.bookext_help_line_pages
        for text in list(self.document.findall(nodes.Text)):
            if not PATTERN.search(text) or skipped(text):
                continue
            if whole_page or in_emergency_box(text):
                parts = linked(str(text))
                if parts:
                    text.parent.replace(text, parts)


def setup(app):
    app.add_config_value("bookext_help_line_pages", [], "env")
    app.add_transform(LinkHelpLines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
