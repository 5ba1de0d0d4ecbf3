"""Numbered citations (Vancouver/AMA): per page, in order of first citation.

Contributors write ``{cite:p}`Key``` and end the page with a reference list
(``{bibliography}`` with ``:filter: docname in docnames``). sphinxcontrib-bibtex
already does most of the work: a citation resolves to the list on its own page
first, pybtex's ``number`` label style numbers that list, and the ``super``
reference style (``bibtex_reference_style = "super"``) prints the label as a
superscript. What it cannot do, this module adds:

* order: the library numbers a list in the order the *whole book* cites its
  entries; here a page's list follows the page's own first citations;
* ranges: ``1,2,3,5`` prints as ``1–3,5`` (the hidden middle links stay in the
  HTML for the reference popover; other formats drop them), with no space
  before the superscript (a narrow one after a digit: "911 ¹", not "9111");
* PDF: Sphinx's LaTeX writer moves every citation to one list at the end of the
  book; here each page's list stays at the page's end as a numbered list
  (the full bibliography page keeps its place at the end of the book);
* a warning (file, line, fix) when a page cites but its list is not a citation
  list (``:list: bullet``), because its citations could not number into it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.bibtex import domain as bibtex_domain

logger = logging.getLogger(__name__)
library_get_sorted_entries = bibtex_domain.BibtexDomain.get_sorted_entries
HTML_BUILDERS = {"html", "dirhtml", "singlehtml"}


def get_sorted_entries(self, bibliography_key, docnames):
    """The library's order, with the list's own page counted first."""
    own = bibliography_key.docname
    ordered = [own, *(name for name in docnames if name != own)]
    return library_get_sorted_entries(self, bibliography_key, ordered)


def number_runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Index ranges [start, end] of runs of 3+ consecutive numbers."""
    runs, start = [], 0
    for i in range(1, len(numbers) + 1):
        if i == len(numbers) or numbers[i] != numbers[i - 1] + 1:
            if i - start >= 3:
                runs.append((start, i - 1))
            start = i
    return runs


def text_before(node: nodes.Node) -> str:
    """The text of the nearest earlier sibling that has any."""
    sibling = node.previous_sibling()
    while sibling is not None and not sibling.astext():
        sibling = sibling.previous_sibling()
    return sibling.astext() if sibling is not None else ""


class CompactMarkers(SphinxPostTransform):
    """``1,2,3`` -> ``1–3``; the superscript joins the word before it."""
    default_priority = 11         # after Sphinx's ReferencesResolver (10)

    def run(self, **kwargs) -> None:
        # The builder's name, as SphinxPostTransform.is_supported reads it (Sphinx 9 deprecates
        # the transform's .app).
        keep_hidden = self.env._builder_cls.name in HTML_BUILDERS
        for group in list(self.document.findall(nodes.inline)):
            if "bibtex-citation" not in group["classes"]:
                continue
            previous = group.previous_sibling()
            if isinstance(previous, nodes.Text) and previous.endswith(" "):
                # "slowly¹", but "call 911 ¹" keeps a narrow space: 9111 would misread
                before = previous.rstrip(" ") or text_before(previous)
                gap = "\u202f" if before[-1:].isdigit() else ""
                previous.parent.replace(previous, nodes.Text(previous.rstrip(" ") + gap))
            for sup in group.findall(nodes.superscript):
                self.collapse(sup, keep_hidden)

    @staticmethod
    def collapse(sup: nodes.superscript, keep_hidden: bool) -> None:
        # sup holds one item per key, separated by "," texts; an item is a reference node
        # (HTML) or raw LaTeX \hyperlink{...}{ + number + } (LaTeX).
        items: list[list[nodes.Node]] = [[]]
        for child in sup.children:
            if isinstance(child, nodes.Text) and str(child) == ",":
                items.append([])
            else:
                items[-1].append(child)
        labels = ["".join(n.astext() for n in item if not isinstance(n, nodes.raw))
                  for item in items]
        if not all(label.isdigit() for label in labels):
            return  # pre/post text, or labels that are not numbers: leave as written
        runs = number_runs([int(label) for label in labels])
        if not runs:
            return
        children, at = [], 0
        for first, last in runs:
            for item in items[at:first]:
                children += [*item, nodes.Text(",")]
            children += [*items[first], nodes.Text("–")]
            if keep_hidden:
                for item in items[first + 1:last]:
                    for node in item:
                        if isinstance(node, nodes.reference):
                            node["classes"].append("cite-range-hidden")
                    children += item
            children += [*items[last], nodes.Text(",")]
            at = last + 1
        for item in items[at:]:
            children += [*item, nodes.Text(",")]
        sup.children = []
        sup.extend(children[:-1])


class ListsInPlace(SphinxPostTransform):
    """LaTeX: each page's reference list stays at its end, numbered."""
    default_priority = 700        # before Sphinx's BibliographyTransform (750)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        full_list = self.config.bookext_bibliography_page
        done: set[int] = set()
        for citation in list(self.document.findall(nodes.citation)):
            if citation.get("docname") == full_list or id(citation) in done:
                continue
            parent = citation.parent
            at = parent.index(citation)
            run = [citation]
            for sibling in parent.children[at + 1:]:
                if not isinstance(sibling, nodes.citation):
                    break
                run.append(sibling)
            done.update(id(entry) for entry in run)
            start = int(citation[0].astext()) if citation[0].astext().isdigit() else 1
            items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".",
                                          start=start, classes=["references"])
            for entry in run:
                paragraph = nodes.paragraph()
                # the anchor sphinxcontrib-bibtex links to in LaTeX (\hyperlink{cite.<doc>:<id>})
                anchor = f"cite.{entry['docname']}:{entry['ids'][0]}"
                paragraph += nodes.raw("", f"\\hypertarget{{{anchor}}}{{}}", format="latex")
                # [label, paragraph]; sphinxcontrib-bibtex keeps citation nodes between the
                # LaTeX documents of one build and appends again for each: use the first pair
                text = next(c for c in entry.children if isinstance(c, nodes.paragraph))
                paragraph.extend(child.deepcopy() for child in text.children)
                items += nodes.list_item("", paragraph)
                parent.remove(entry)
            parent.insert(at, items)


def check_list_types(app, env) -> None:
    domain = env.get_domain("cite")
    citing = {ref.docname for ref in domain.citation_refs}
    for key, bibliography in domain.bibliographies.items():
        if bibliography.list_ != "citation" and key.docname in citing:
            logger.warning(
                f"this page's reference list is a '{bibliography.list_}' list, so its "
                "citations cannot be numbered — delete the ':list:' line of the "
                "{bibliography} directive", location=(key.docname, bibliography.line),
                type="bookext", subtype="citation_list")


def setup(app):
    app.add_config_value("bookext_bibliography_page", "bibliography", "env")
    bibtex_domain.BibtexDomain.get_sorted_entries = get_sorted_entries
    app.add_post_transform(CompactMarkers)
    app.add_post_transform(ListsInPlace)
    app.connect("env-check-consistency", check_list_types)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
