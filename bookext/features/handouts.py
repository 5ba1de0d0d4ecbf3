"""Per-chapter PDF handouts that stand on their own.

Each clinical chapter is also a LaTeX document (``latex_documents`` in conf.py).
Before references are resolved, this post-transform does two things to a
handout (the main book, which holds every page, is not touched):

* It appends the clinical cases that link to the chapter (from the page named by
  ``bookext_handout_cases``) and the chapter's self-assessment questions (from
  ``bookext_handout_questions``, section ``<prefix><chapter>``), and moves every
  case discussion and answer, with its citations, to an "Answers" section at the
  very end, so a learner can work through the handout first.
* It rewrites every reference to a page outside the handout as plain text that
  names the section and the chapter of the book — "Treating withdrawal (chapter
  “Treatment …” of the book)" — where Sphinx would print the raw label
  ("treatment-withdrawal") or a dead link.
* It numbers the citations of the added cases and questions into the chapter's own
  reference list where the chapter cites the same source; a source the chapter does
  not cite is named in the text ("Smith 2020") — its number would belong to a list
  that is not in the handout.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join


class ExternalisePendingRefs(SphinxPostTransform):
    default_priority = 5          # before Sphinx's ReferencesResolver (10)
    builders = ("latex", "printhtml")

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

    def move_dropdowns(self, item: nodes.section, answers: nodes.section, label: str):
        """Take the answer/discussion dropdowns out of ``item`` into ``answers``."""
        for dropdown in list(item.findall(nodes.container)):
            if dropdown.get("design_component") != "dropdown":
                continue
            heading = nodes.paragraph()
            heading += nodes.strong(text=label)
            answers += heading
            answers.extend(c.deepcopy() for c in dropdown.children
                           if not isinstance(c, nodes.rubric))
            dropdown.parent.remove(dropdown)

    def cases_for(self, chapter: str) -> list[nodes.section]:
        source = self.config.bookext_handout_cases
        if source not in self.env.all_docs:
            return []
        page = next(iter(self.env.get_doctree(source).findall(nodes.section)), None)
        cases = [c for c in (page.children if page else []) if isinstance(c, nodes.section)
                 and c[0].astext().startswith("Case ")]
        return [case for case in cases
                if any(self.target_doc(ref)[0] == chapter
                       for ref in case.findall(addnodes.pending_xref))]

    def questions_for(self, chapter: str) -> list[nodes.section]:
        source = self.config.bookext_handout_questions
        if source not in self.env.all_docs:
            return []
        wanted = self.config.bookext_handout_questions_prefix + chapter
        tree = self.env.get_doctree(source)
        found = next((s for s in tree.findall(nodes.section) if wanted in s["ids"]), None)
        return [c for c in (found.children if found else []) if isinstance(c, nodes.section)]

    def add_teaching(self, chapter: str) -> None:
        top = next(iter(self.document.findall(nodes.section)), None)
        cases, questions = self.cases_for(chapter), self.questions_for(chapter)
        if top is None or not (cases or questions):
            return
        answers = nodes.section(ids=[f"handout-answers-{chapter}"])
        answers += nodes.title(text="Answers")
        added = []
        for ident, title, items in (("cases", "Clinical cases", cases),
                                    ("questions", "Self-assessment questions", questions)):
            if not items:
                continue
            section = nodes.section(ids=[f"handout-{ident}-{chapter}"])
            section += nodes.title(text=title)
            for item in items:
                item = item.deepcopy()
                label = item[0].astext().split(":")[0]
                self.move_dropdowns(item, answers, f"{label}: discussion" if ident == "cases"
                                    else label)
                section += item
            added.append(section)
        references = next((c for c in top.children if isinstance(c, nodes.section)
                           and c[0].astext() == "References"), None)
        at = top.index(references) if references is not None else len(top.children)
        for offset, section in enumerate(added):
            top.insert(at + offset, section)
        top += answers

    def run(self, **kwargs) -> None:
        # The documents in this PDF: the one it starts from and those inlined into it.
        included = {self.env.docname, *(node["docname"] for node in
                                        self.document.findall(addnodes.start_of_file))}
        if self.env.config.root_doc in included:
            return  # the whole book: every reference has its target
        for chapter in sorted(included):
            self.add_teaching(chapter)
            self.cite_into(chapter)
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


    def cite_into(self, chapter: str) -> None:
        """Citations in the added teaching sections resolve to the chapter's list."""
        domain = self.env.get_domain("cite")
        cited = {target.key for ref in domain.citation_refs if ref.docname == chapter
                 for target in ref.targets}
        for section in self.document.findall(nodes.section):
            if not any(i.startswith("handout-") for i in section["ids"]):
                continue
            for node in list(section.findall(addnodes.pending_xref)):
                if node.get("refdomain") != "cite" or node.get("refdoc") == chapter:
                    continue
                keys = [key.strip() for key in node["reftarget"].split(",")]
                if all(key in cited for key in keys):
                    node["refdoc"] = chapter
                else:
                    names = "; ".join(short_name(domain.bibdata.data.entries[key])
                                      for key in keys)
                    node.replace_self(nodes.inline("", f" ({names})",
                                                   classes=["outside-handout"]))


def short_name(entry) -> str:
    """'Smith 2020', 'Smith et al. 2020' or the organisation: for a source outside the list."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    year = entry.fields.get("year", "n.d.")
    if not people:
        return f"{entry.fields.get('title', entry.key)}, {year}"
    name = (" ".join(people[0].last_names) or str(people[0])).replace("{", "").replace("}", "")
    return f"{name}{' et al.' if len(people) > 1 else ''} {year}"


def setup(app):
    app.add_config_value("bookext_handout_cases", "teaching/cases", "env")
    app.add_config_value("bookext_handout_questions", "teaching/self-assessment", "env")
    app.add_config_value("bookext_handout_questions_prefix", "teaching-self-assessment-", "env")
    app.add_post_transform(ExternalisePendingRefs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
