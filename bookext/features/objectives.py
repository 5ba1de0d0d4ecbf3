"""Collect every chapter's learning objectives on one page, for course planning.

A chapter states its objectives once, in an admonition with the class
``learning-objectives``. The directive ``{learning-objectives-index}`` (used on
``teaching/learning-objectives.md``) lists them all, chapter by chapter in the
order of the table of contents, each with a link to its chapter. Nothing is
copied by hand, so the list cannot disagree with the chapters.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

CLASS = "learning-objectives"


class objectives_index(nodes.General, nodes.Element):
    """Placeholder replaced once every document has been read."""


class LearningObjectivesIndex(SphinxDirective):
    def run(self):
        return [objectives_index()]


def collect(app, doctree) -> None:
    env = app.env
    store = env.__dict__.setdefault("bookext_objectives", {})
    store.pop(env.docname, None)
    for node in doctree.findall(nodes.admonition):
        if CLASS in node.get("classes", []):
            items = [plain_copy(item) for item in node.findall(nodes.list_item)]
            if items:
                store[env.docname] = items


def plain_copy(item: nodes.list_item) -> nodes.list_item:
    """A copy with cross-references reduced to their text: they point into the chapter."""
    copy = item.deepcopy()
    for ref in list(copy.findall(addnodes.pending_xref)):
        ref.replace_self(nodes.inline("", ref.astext()))
    return copy


def purge(app, env, docname) -> None:
    getattr(env, "bookext_objectives", {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    store = env.__dict__.setdefault("bookext_objectives", {})
    store.update({d: v for d, v in getattr(other, "bookext_objectives", {}).items()
                  if d in docnames})


def toc_order(env) -> list[str]:
    """Documents in reading order, following the toctrees from the root."""
    order, seen = [], set()

    def walk(docname):
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def resolve(app, doctree, fromdocname) -> None:
    env = app.env
    store = getattr(env, "bookext_objectives", {})
    for placeholder in list(doctree.findall(objectives_index)):
        content = []
        for docname in toc_order(env):
            if docname not in store:
                continue
            title = env.titles[docname].astext()
            section = nodes.section(ids=[f"objectives-{docname.replace('/', '-')}"])
            heading = nodes.title()
            ref = nodes.reference("", title, internal=True,
                                  refuri=app.builder.get_relative_uri(fromdocname, docname))
            heading += ref
            section += heading
            bullets = nodes.bullet_list()
            bullets.extend(item.deepcopy() for item in store[docname])
            section += bullets
            content.append(section)
        placeholder.replace_self(content or [nodes.paragraph(text="No chapter states "
                                                                   "learning objectives yet.")])


def setup(app):
    app.add_node(objectives_index)
    app.add_directive("learning-objectives-index", LearningObjectivesIndex)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
