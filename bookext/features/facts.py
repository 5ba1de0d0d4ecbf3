"""Facts used on several pages live once, in ``docs/_data/facts.yml``.

Each fact has a ``value`` (as it reads in a sentence), a ``cite`` (a key in
``references.bib``), a ``note``, and where they apply a ``unit``, a ``route``
(oral, intrathecal or any), a ``population`` and a ``product``. The extension
turns them into MyST substitutions, so ``{{ oral_max_daily_dose_adult }}``
renders the value followed by its citation and cannot drift between pages.
``{{ facts.KEY.value }}`` gives the bare value where a sentence cites it already
(``bookext.checks.factcitations`` checks that it does).

Mistakes in the file stop the build with one line naming the file and the line
(not Sphinx's crash report); a ``cite`` key missing from ``references.bib`` is a
warning at the fact's own line, not only at every page that uses it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from sphinx.util import logging

logger = logging.getLogger(__name__)

REQUIRED = ("value", "cite")
OPTIONAL = ("note", "unit", "route", "population", "product")
ROUTES = ("oral", "intrathecal", "any")


class FactsError(Exception):
    """A mistake in the facts file; the message starts with ``file:line:``."""


def load_facts(path: Path, display: str) -> dict[str, dict]:
    """Read and validate the facts file; errors name the file and the line."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise FactsError(f"{display}:{line}: not valid YAML ({getattr(err, 'problem', err)}) "
                         "— check the indentation and quote values that contain ':'") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise FactsError(f"{display}:1: expected 'key:' entries at the top level")
    facts: dict[str, dict] = {}
    for key_node, value_node in node.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key in facts:
            raise FactsError(f"{display}:{line}: fact '{key}' is defined twice — keep one")
        fact = yaml.safe_load(yaml.serialize(value_node)) if value_node else None
        if not isinstance(fact, dict):
            raise FactsError(f"{display}:{line}: fact '{key}' needs 'value:' and 'cite:' "
                             "lines indented below it")
        for field in REQUIRED:
            if not str(fact.get(field) or "").strip():
                raise FactsError(f"{display}:{line}: fact '{key}' has no '{field}' — "
                                 "every shared fact needs its value and the bib key of "
                                 "its source")
        unknown = sorted(set(fact) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise FactsError(f"{display}:{line}: fact '{key}' has an unknown field "
                             f"'{unknown[0]}' — the fields are {', '.join(REQUIRED + OPTIONAL)}")
        if fact.get("route", "any") not in ROUTES:
            raise FactsError(f"{display}:{line}: fact '{key}' has route '{fact['route']}' — "
                             f"write one of {', '.join(ROUTES)}")
        fact["line"] = line
        facts[key] = fact
    return facts


def render(fact: dict) -> str:
    return f"{fact['value']} {{cite:p}}`{fact['cite']}`"


def add_substitutions(app, config) -> None:
    path = Path(app.confdir) / config.bookext_facts_file
    try:
        facts = load_facts(path, config.bookext_facts_file) if path.exists() else {}
    except FactsError as err:
        # One line, as a warning reads, then stop: the pages cannot be built without
        # their facts, and Sphinx's crash report would bury the line under a traceback.
        sys.exit(err.args[0])
    substitutions = dict(config.myst_substitutions or {})
    substitutions.update({key: render(fact) for key, fact in facts.items()})
    substitutions["facts"] = facts
    config.myst_substitutions = substitutions


def check_cite_keys(app, env, docnames) -> None:
    """A fact citing a key that references.bib lacks is reported at the fact's line."""
    facts = app.config.myst_substitutions.get("facts") or {}
    entries = env.get_domain("cite").bibdata.data.entries
    for key, fact in facts.items():
        if fact["cite"] not in entries:
            logger.warning(f"fact '{key}' cites '{fact['cite']}', which is not in "
                           f"{', '.join(app.config.bibtex_bibfiles)} — add the entry or "
                           "correct the key", location=f"{app.config.bookext_facts_file}:"
                           f"{fact['line']}", type="bookext", subtype="facts")


def setup(app):
    app.add_config_value("bookext_facts_file", "docs/_data/facts.yml", "env")
    app.connect("config-inited", add_substitutions)
    app.connect("env-before-read-docs", check_cite_keys)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
