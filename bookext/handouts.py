"""Per-chapter PDF handouts that stand on their own.

Each clinical chapter is also a LaTeX document (``latex_documents`` in conf.py).
In such a handout the other chapters are absent, so Sphinx would print a
cross-reference to them as its raw label ("treatment-withdrawal") or as a dead
link. Before references are resolved, this post-transform rewrites every
reference to a page outside the handout as plain text that names the section
and the chapter of the book: "Treating withdrawal (chapter “Treatment …” of the
book)". The main book, which holds every page, is not touched.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join


class ExternalisePendingRefs(SphinxPostTransform):
    default_priority = 5          # before Sphinx's ReferencesResolver (10)
    builders = ("latex",)

    def target_doc(self, node) -> tuple[str | None, str | None]:
        """(docname, section title) that the reference points to, if known."""
        target = node.get("reftarget", "")
        std = self.env.domains.standard_domain
        if node.get("reftype") in ("ref", "myst") and target.lstrip("#") in std.labels:
            docname, _labelid, sectname = std.labels[target.lstrip("#")]
            return docname, sectname
        if node.get("reftype") in ("doc", "myst"):
            path = target.split("#", 1)[0].removesuffix(".md")
            docname = docname_join(node.get("refdoc", ""), path) if path else None
            if docname in self.env.all_docs:
                return docname, None
        return None, None

    def run(self, **kwargs) -> None:
        included = getattr(self.app.builder, "docnames", None)
        if not included or self.env.config.root_doc in included:
            return  # the whole book: every reference has its target
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") == "cite":
                continue  # citations print as (Author, year); the handout lists them
            docname, section = self.target_doc(node)
            if docname is None or docname in included:
                continue
            chapter = self.env.titles[docname].astext()
            # Without an explicit title, a {ref} holds only its label: use the section title.
            text = (node.astext().strip() if node.get("refexplicit") else None) \
                or section or chapter
            where = f" (chapter “{chapter}” of the book)" if text != chapter else \
                " (a chapter of the book)"
            node.replace_self(nodes.inline("", text + where, classes=["outside-handout"]))


def setup(app):
    app.add_post_transform(ExternalisePendingRefs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
