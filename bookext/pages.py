"""Page roles, written once in ``docs/_data/pages.yml`` and read by conf.py and the tests.

A role says what a page is (a clinical chapter, an emergency page, a patient page,
a teaching page, a page with a PDF handout); conf.py derives the lists the checks
and the PDF builds need from it, so a new chapter is one file plus one line. A
mistake in the file (an unknown role, a page that does not exist) stops the
build with the file, the line and the fix. This module is not a Sphinx extension.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROLES = {
    "clinical": "a clinical chapter: disclaimer box, every stated quantity cited",
    "handout": "has a PDF handout of its own",
    "emergency": "carries the emergency help box",
    "patient": "a page for patients and carers: disclaimer box",
    "teaching": "a page for educators",
    "disclaimer": "carries the disclaimer box",
}


class PagesError(Exception):
    pass


class Pages:
    def __init__(self, roles: dict[str, list[str]]):
        self.roles = roles            # page -> roles, in the file's order

    def having(self, *roles: str) -> list[str]:
        """Pages with any of these roles, in the file's order."""
        unknown = set(roles) - ROLES.keys()
        if unknown:
            raise PagesError(f"unknown role(s) {sorted(unknown)}; roles: {sorted(ROLES)}")
        return [page for page, own in self.roles.items() if set(own) & set(roles)]


def load(path: Path, docs: Path | None = None) -> Pages:
    """Read and check the roles file; ``docs`` (default: two folders up) holds the pages."""
    docs = docs or path.parent.parent
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PagesError(f"{path}: cannot read the page roles: {error}") from error
    if node is None:
        return Pages({})
    if not isinstance(node, yaml.MappingNode):
        raise PagesError(f"{path}:1: write one line per page: 'chapter-name: [role, ...]'")
    roles = {}
    for key, value in node.value:
        where = f"{path}:{key.start_mark.line + 1}"
        page = key.value
        own = [item.value for item in value.value] if isinstance(value, yaml.SequenceNode) else None
        if own is None:
            raise PagesError(f"{where}: give {page}'s roles as a list: '{page}: [clinical]'")
        for role in own:
            if role not in ROLES:
                raise PagesError(f"{where}: unknown role '{role}' for {page}; the roles are: "
                                 + ", ".join(f"{name} ({what})" for name, what in ROLES.items()))
        if page in roles:
            raise PagesError(f"{where}: {page} is listed twice; give it one line")
        if not (docs / f"{page}.md").exists():
            raise PagesError(f"{where}: no page docs/{page}.md — fix the name or remove the line")
        roles[page] = own
    return Pages(roles)
