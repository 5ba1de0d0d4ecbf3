"""Per-chapter PDF handouts that stand on their own.

Each clinical chapter is also a LaTeX document (``latex_documents`` in conf.py).
Before references are resolved, this post-transform does two things to a
handout (the main book, which holds every page, is not touched):

* It appends the chapter's self-assessment questions (from the page named by
  ``bookext_handout_questions``, section ``<prefix><chapter>``) and puts their
  answers, with the cited explanations, in an "Answers" section at the very end.
* It rewrites every reference to a page outside the handout as plain text that
  names the section and the chapter of the book — "Treating withdrawal (chapter
  “Treatment …” of the book)" — where Sphinx would print the raw label
  ("treatment-withdrawal") or a dead link.
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

    def add_questions(self, chapter: str) -> None:
        source = self.config.bookext_handout_questions
        if source not in self.env.all_docs:
            return
        wanted = self.config.bookext_handout_questions_prefix + chapter
        tree = self.env.get_doctree(source)
        found = next((s for s in tree.findall(nodes.section) if wanted in s["ids"]), None)
        top = next(iter(self.document.findall(nodes.section)), None)
        if found is None or top is None:
            return
        questions = nodes.section(ids=[f"handout-questions-{chapter}"])
        questions += nodes.title(text="Self-assessment questions")
        answers = nodes.section(ids=[f"handout-answers-{chapter}"])
        answers += nodes.title(text="Answers")
        for question in (c for c in found.children if isinstance(c, nodes.section)):
            question = question.deepcopy()
            for dropdown in list(question.findall(nodes.container)):
                if dropdown.get("design_component") != "dropdown":
                    continue
                label = nodes.paragraph()
                label += nodes.strong(text=question[0].astext())
                answers += label
                answers.extend(c.deepcopy() for c in dropdown.children
                               if not isinstance(c, nodes.rubric))
                dropdown.parent.remove(dropdown)
            questions += question
        references = next((c for c in top.children if isinstance(c, nodes.section)
                           and c[0].astext() == "References"), None)
        if references is not None:
            top.insert(top.index(references), questions)
        else:
            top += questions
        top += answers

    def run(self, **kwargs) -> None:
        included = getattr(self.app.builder, "docnames", None)
        if not included or self.env.config.root_doc in included:
            return  # the whole book: every reference has its target
        for chapter in sorted(included):
            self.add_questions(chapter)
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
    app.add_config_value("bookext_handout_questions", "teaching/self-assessment", "env")
    app.add_config_value("bookext_handout_questions_prefix", "teaching-self-assessment-", "env")
    app.add_post_transform(ExternalisePendingRefs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
