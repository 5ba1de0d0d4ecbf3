"""Cite once: the same source is not cited again in the next sentence.

Editors cite a source once where it supports a run of sentences; a paragraph
that repeats the same number after every sentence costs the reader space and
says nothing more. This check splits each paragraph into sentences and warns,
with the file and the line of the repeat, when a key cited in one sentence is
cited again in the sentence right after it. Sentences are ended by ``.``, ``!``
or ``?`` before a space or the paragraph's end ("e.g.", "et al.", "i.e.",
"vs." and decimals do not end one). Pages in ``bookext_cite_once_exempt`` are
skipped (each entry says why in conf.py).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from bookext.checks.citedclaims import DOSE

logger = logging.getLogger(__name__)

ENDS = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bet al)(?<!\bvs)(?<!\bcf)(?<!\bapprox)"
                  r"[.!?][)\]”\"']*(?=\s|$)")


def pieces(paragraph: nodes.Element):
    """The paragraph as ('text', str) and ('cite', keys, node) in reading order."""
    for node in paragraph.findall(lambda n: isinstance(n, (nodes.Text, addnodes.pending_xref))):
        if isinstance(node, addnodes.pending_xref):
            if node.get("refdomain") == "cite":
                yield "cite", [key.strip() for key in node["reftarget"].split(",")], node
        elif not any(isinstance(a, addnodes.pending_xref) for a in _ancestors(node, paragraph)):
            yield "text", str(node), node


def _ancestors(node, stop):
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def sentences(paragraph: nodes.Element) -> list[dict]:
    """The paragraph's sentences: their text and the keys they cite, with lines into it."""
    found, lines = [{"text": "", "keys": []}], 0
    for kind, value, _node in pieces(paragraph):
        if kind == "cite":
            found[-1]["keys"].extend((key, lines) for key in value)
            continue
        at = 0
        for end in ENDS.finditer(value):
            found[-1]["text"] += value[at:end.end()]
            lines += value.count("\n", at, end.end())
            at = end.end()
            found.append({"text": "", "keys": []})
        found[-1]["text"] += value[at:]
        lines += value.count("\n", at)
    return found


def repeats(paragraph: nodes.Element) -> list[tuple[str, int]]:
    """(key, lines into the paragraph) for each key cited in two sentences in a row.

    A sentence that states a dose keeps its citation even when the sentence before cites
    the same source: a dose carries its source in its own sentence (bookext.checks.citedclaims).
    """
    found = []
    runs = sentences(paragraph)
    for before, sentence in zip(runs, runs[1:]):
        if DOSE.search(sentence["text"]):
            continue
        earlier = {key for key, _line in before["keys"]}
        seen: set[str] = set()
        for key, line in sentence["keys"]:
            if key in earlier and key not in seen:
                found.append((key, line))
            seen.add(key)
    return found


class CheckCiteOnce(SphinxTransform):
    default_priority = 896

    def apply(self, **kwargs) -> None:
        if self.env.docname in self.config.bookext_cite_once_exempt:
            return
        page = self.env.doc2path(self.env.docname)
        for paragraph in self.document.findall(nodes.paragraph):
            for key, offset in repeats(paragraph):
                line = (paragraph.line or 1) + offset
                logger.warning(
                    f"'{key}' is cited in two sentences in a row — cite it once, after the "
                    "last sentence it supports (delete the earlier citation; if that sentence "
                    "states a dose, delete this one)",
                    location=f"{paragraph.source or page}:{line}", type="bookext", subtype="cite_once")


def setup(app):
    app.add_config_value("bookext_cite_once_exempt", [], "env")
    app.add_transform(CheckCiteOnce)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
