"""Words that matter for correctness and respect, checked in the text.

* Stigmatising terms from ``docs/_data/language.yml`` (``avoid:``), outside
  quotations, literal text and the bibliography: say what to write instead.
* Units: the book writes µg (micro sign), never "mcg" or "ug".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

UNIT = re.compile(r"\b\d[\d.,]*\s?(mcg|ug)\b|\b(mcg|ug)/(?:day|kg|mL|h)\b")
QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
SKIP = (nodes.literal, nodes.literal_block, nodes.citation, nodes.raw, nodes.comment,
        nodes.block_quote)


@functools.lru_cache
def load_terms(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(term).lower(): str(instead) for term, instead in data.get("avoid", {}).items()}


def skipped(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP) or "bibliography" in " ".join(parent.get("classes", [])):
            return True
        parent = parent.parent
    return False


class CheckLanguage(SphinxTransform):
    default_priority = 895

    def apply(self, **kwargs) -> None:
        terms = load_terms(Path(self.config.bookext_language_file))
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(terms, key=len, reverse=True))) + r")\b", re.I) \
            if terms else None
        for text in self.document.findall(nodes.Text):
            if skipped(text):
                continue
            plain = QUOTED.sub("", str(text))
            if pattern:
                for match in pattern.finditer(plain):
                    instead = terms[match.group(1).lower()]
                    logger.warning(f"'{match.group(1)}' is a stigmatising term — write "
                                   f"'{instead}' (quotations are exempt)",
                                   location=text.parent, type="bookext", subtype="language")
            for match in UNIT.finditer(plain):
                logger.warning(f"'{match.group(0)}': write micrograms as 'µg' (the micro "
                               "sign), as the rest of the book does", location=text.parent,
                               type="bookext", subtype="units")


def resolve(app, config) -> None:
    """The terms file, relative to conf.py, as an absolute path (transforms see no app)."""
    config.bookext_language_file = str(Path(app.confdir) / config.bookext_language_file)


def setup(app):
    app.add_config_value("bookext_language_file", "docs/_data/language.yml", "env")
    app.connect("config-inited", resolve)
    app.add_transform(CheckLanguage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
