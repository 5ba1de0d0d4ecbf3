"""Facts used on several pages live once, in ``docs/_data/facts.yml``.

Each fact has a ``value`` (as it reads in a sentence), a ``cite`` (a key in
``references.bib``) and a ``note`` (population, route, label). The extension
turns them into MyST substitutions, so ``{{ oral_max_daily_dose_adult }}``
renders the value followed by its citation and cannot drift between pages.
``{{ facts.KEY.value }}`` gives the bare value where a sentence cites it already.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sphinx.errors import SphinxError

REQUIRED = ("value", "cite")


class FactsError(SphinxError):
    category = "Error in the facts file"


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
        fact["line"] = line
        facts[key] = fact
    return facts


def render(fact: dict) -> str:
    return f"{fact['value']} {{cite:p}}`{fact['cite']}`"


def add_substitutions(app, config) -> None:
    path = Path(app.confdir) / config.bookext_facts_file
    facts = load_facts(path, config.bookext_facts_file) if path.exists() else {}
    substitutions = dict(config.myst_substitutions or {})
    substitutions.update({key: render(fact) for key, fact in facts.items()})
    substitutions["facts"] = facts
    config.myst_substitutions = substitutions


def setup(app):
    app.add_config_value("bookext_facts_file", "docs/_data/facts.yml", "env")
    app.connect("config-inited", add_substitutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
