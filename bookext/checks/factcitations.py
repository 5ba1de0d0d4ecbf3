"""A shared fact read without its source is a warning at the line that uses it.

``{{ fact_id }}`` renders a fact with its citation; ``{{ facts.fact_id.value }}``
renders the bare value, for sentences that cite the fact's source already. This
check holds the second form to that promise: the paragraph (or list item, or table
row) around a bare value must cite the fact's own source, by ``{cite:...}`` or by a
``{{ other_fact }}`` with the same source. Otherwise a reader sees a number with no
source, or with another work's citation beside it. Exceptions are listed, with a
reason, in ``bookext_bare_facts_allowed`` (conf.py).
"""

from __future__ import annotations

import re

from sphinx.util import logging

logger = logging.getLogger(__name__)

BARE = re.compile(r"\{\{\s*facts\.(\w+)\.value\s*\}\}")
CITED_FACT = re.compile(r"\{\{\s*(\w+)\s*\}\}")
CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
# Lines that start a new unit of text: blank, fence, heading, list item, table row,
# definition, MyST comment.
BREAK = re.compile(r"\s*$|\s*(```|:::)|#{1,6}\s|\s*([-*+]|\d+[.)])\s|\s*\||\s*:\s|%")


def units(text: str):
    """Paragraphs, list items and table rows, each as (first line number, its lines)."""
    unit: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if BREAK.match(line):
            if unit:
                yield unit
            unit = [] if re.match(r"\s*$|\s*(```|:::)|%", line) else [(number, line)]
        else:
            unit.append((number, line))
    if unit:
        yield unit


def bare_uses(text: str, facts: dict) -> list[tuple[int, str, str]]:
    """(line, fact id, its source) for each bare value whose unit does not cite the source."""
    found = []
    for unit in units(text):
        joined = "\n".join(line for _, line in unit)
        cited = {key.strip() for keys in CITE_ROLE.findall(joined) for key in keys.split(",")}
        cited |= {facts[key]["cite"] for key in CITED_FACT.findall(joined) if key in facts}
        for number, line in unit:
            for match in BARE.finditer(line):
                fact = facts.get(match.group(1))
                if fact and fact["cite"] not in cited:
                    found.append((number, match.group(1), fact["cite"]))
    return found


def check_source(app, docname, source) -> None:
    facts = app.config.myst_substitutions.get("facts") or {}
    if not facts or "facts." not in source[0]:
        return
    allowed = app.config.bookext_bare_facts_allowed.get(docname, ())
    for number, key, cite in bare_uses(source[0], facts):
        if allowed == "*" or key in allowed:
            continue
        logger.warning(f"'{{{{ facts.{key}.value }}}}' is a bare value, but this paragraph "
                       f"does not cite its source {cite} — write '{{{{ {key} }}}}' (value "
                       "and citation), or cite the source in the same paragraph",
                       location=(docname, number), type="bookext", subtype="factcitations")


def setup(app):
    # {page: [fact ids] or "*"}: bare values a page may show without their source.
    app.add_config_value("bookext_bare_facts_allowed", {}, "env")
    app.connect("source-read", check_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
