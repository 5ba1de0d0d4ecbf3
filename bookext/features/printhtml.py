"""The print builder: one HTML file per PDF, which Chromium prints as a tagged PDF.

XeLaTeX in Debian 12's TeX Live (2022) cannot tag a PDF; Chromium's print to PDF can
(structure tree, language, displayed title). So every PDF the site serves — the book and
each chapter handout, as listed in ``latex_documents`` — is first written by this builder
as one self-contained HTML page (``sphinx-build -b printhtml``), then printed by
``tools/printpdf.py``. Like the LaTeX builder it gathers the pages a PDF holds, so the
handout transform (``bookext.features.handouts``) and the numbered references apply
unchanged; unlike Sphinx's ``singlehtml`` it:

* prefixes every id with its page's name: the chapters reuse ids (``id5``, ``references``)
  and a merged page would send links to the first of them (193 duplicates in the book);
* turns the flowcharts' ``<object>`` into ``<img alt=...>``: Chromium tags an image with its
  text alternative as a Figure, but not an embedded object (nor a ``<figure>``, which
  becomes a ``<div>``);
* opens the dropdowns (answers, case discussions), as in the EPUB;
* starts the book with a title page and a table of contents (page numbers are filled in by
  ``tools/printpdf.py`` after a first print), and a handout with a title block.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util.nodes import inline_all_toctrees

TEMPLATE = "print-page.html"
GRAPHVIZ = re.compile(r'<object data="(?P<src>[^"]+\.svg)" type="image/svg\+xml" '
                      r'class="graphviz">\s*<p class="warning">(?P<alt>.*?)</p>\s*</object>', re.S)
# Chromium tags <figure> as a Figure of its own, without a text alternative; the image
# inside is the Figure (with its alt), the caption a paragraph after it.
FIGURE_TAGS = re.compile(r"<(/?)(?:figure|figcaption)\b")
DOC_REF = re.compile(r"^#document-(?P<doc>[^#]+)(?:#(?P<id>.+))?$")


def pdf_documents(config) -> list[dict]:
    """The PDFs to print: one per ``latex_documents`` entry, named like its .tex file."""
    found = []
    for startdoc, target, title, _author, theme in config.latex_documents:
        found.append({"start": startdoc, "name": target.removesuffix(".tex"),
                      "title": title, "book": theme == "manual"})
    return found


def local_ids(tree: nodes.Node, docname: str) -> None:
    """Prefix ids and refids inside one page's part of the merged tree with its name."""
    def walk(node: nodes.Node, owner: str) -> None:
        if isinstance(node, addnodes.start_of_file):
            owner = node["docname"]
        if isinstance(node, nodes.Element):
            if node.get("ids") and not isinstance(node, addnodes.start_of_file):
                node["ids"] = [f"{owner}--{i}" for i in node["ids"]]
            if node.get("refid"):
                node["refid"] = f"{owner}--{node['refid']}"
            if node.get("backrefs"):
                node["backrefs"] = [f"{owner}--{i}" for i in node["backrefs"]]
            uri = DOC_REF.match(node.get("refuri", "") or "")
            if uri and uri["id"]:
                node["refuri"] = f"#{uri['doc']}--{uri['id']}"
            for child in node.children:
                walk(child, owner)
    walk(tree, docname)


def chapters_on_top(tree: nodes.document) -> None:
    """Make the book's chapters siblings of its home page, not sections inside it.

    Sphinx nests every included page in the page whose table of contents includes it, so
    chapter titles would be level-2 headings under the home page's title, and the PDF's
    bookmarks would have one entry. A book's chapters are its top level (as in the LaTeX
    PDF): each page the home page includes moves after it, keeping its own subpages.
    """
    home = next(iter(tree.findall(nodes.section)), None)
    if home is None:
        return
    # inline_all_toctrees moves children without updating their .parent: walk down.
    parts: list[tuple[nodes.Element, addnodes.start_of_file]] = []
    stack: list[nodes.Element] = [home]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                parts.append((node, child))
            elif isinstance(child, nodes.Element):
                stack.append(child)
    parts.sort(key=lambda pair: home_order(home, pair[1]))
    for container, part in parts:
        container.children.remove(part)
        tree.append(part)


def home_order(home: nodes.Element, part: nodes.Node) -> int:
    """Position of ``part`` in a depth-first walk of the home page (keeps the book's order)."""
    for n, node in enumerate(_walk(home)):
        if node is part:
            return n
    return 0


def _walk(node: nodes.Node):
    yield node
    for child in getattr(node, "children", []):
        yield from _walk(child)


def tidy_links(tree: nodes.document, start: str) -> None:
    """Give each id once, and unlink references to what the PDF does not hold.

    A handout appends cases and questions from another page, whose ids can repeat the
    chapter's: later copies get a suffix. A link to a page outside the PDF (a citation
    pointing at the bibliography page, say) would jump nowhere: its text stays, unlinked.
    """
    first = next(iter(tree.findall(nodes.section)), None)
    if first is not None:
        first["ids"].append(f"document-{start}")
    # The HTML writer gives each included page an anchor of its own.
    seen = {f"document-{n['docname']}" for n in tree.findall(addnodes.start_of_file)}
    for node in tree.findall(nodes.Element):
        ids = []
        for ident in node.get("ids", []):
            unique, n = ident, 1
            while unique in seen:
                n += 1
                unique = f"{ident}-{n}"
            seen.add(unique)
            ids.append(unique)
        if ids:
            node["ids"] = ids
    for ref in list(tree.findall(nodes.reference)):
        target = ref.get("refid") or (ref.get("refuri", "")[1:]
                                      if ref.get("refuri", "").startswith("#") else None)
        if target is not None and target not in seen:
            ref.replace_self(nodes.inline("", "", *ref.children, classes=ref["classes"]))


class PrintHTMLBuilder(SingleFileHTMLBuilder):
    name = "printhtml"
    epilog = "The print pages are in %(outdir)s; tools/printpdf.py makes the PDFs."
    search = False
    docnames: set[str] = set()

    def write_documents(self, _docnames) -> None:
        self.prepare_writing(self.env.all_docs.keys())
        for pdf in pdf_documents(self.config):
            self.current_pdf = pdf
            start = pdf["start"]
            self.docnames = {start}
            tree = self.env.get_doctree(start)
            tree = inline_all_toctrees(self, self.docnames, start, tree, lambda s: s, [start])
            tree["docname"] = start
            self.env.resolve_references(tree, start, self)
            self.env.toc_secnumbers = self.assemble_toc_secnumbers()
            self.env.toc_fignumbers = self.assemble_toc_fignumbers()
            if pdf["book"]:
                chapters_on_top(tree)
            local_ids(tree, start)
            tidy_links(tree, start)
            self.write_doc(start, tree)

    def get_output_path(self, page_name: str, /):
        pdf = getattr(self, "current_pdf", None)
        if pdf and page_name == pdf["start"]:
            return self.outdir / f"{pdf['name']}{self.out_suffix}"
        return super().get_output_path(page_name)

    def get_doc_context(self, docname: str, body: str, metatags: str) -> dict:
        ctx = super().get_doc_context(docname, body, metatags)
        pdf = self.current_pdf
        title = pdf["title"] or self.env.titles[pdf["start"]].astext()
        body = FIGURE_TAGS.sub(lambda m: f"<{m[1]}div", GRAPHVIZ.sub(
            lambda m: f'<img src="{m["src"]}" alt="{m["alt"]}" class="graphviz" />', body))
        ctx.update(body=body, title=title, pdf=pdf, author=self.config.author, toc_html=self.contents() if pdf["book"]
                   else "", edition=self.config.release, edition_date=self.config.today)
        return ctx

    def contents(self) -> str:
        """The book's table of contents: chapters and their sections, as links."""
        toctree = global_toctree_for_doc(self.env, self.config.root_doc, self, tags=self.tags,
                                         collapse=False,
                                         maxdepth=2, titles_only=True, includehidden=True)
        if toctree is None:
            return ""
        for ref in toctree.findall(nodes.reference):
            uri = DOC_REF.match(ref.get("refuri", ""))
            if uri:
                ref["refuri"] = f"#{uri['doc']}--{uri['id']}" if uri["id"] \
                    else f"#document-{uri['doc']}"
            ref += nodes.inline("", "", classes=["toc-page"])
        # Group captions are labels of the contents, not headings of the PDF's outline.
        return self.render_partial(toctree)["fragment"].replace(' role="heading"', "")

    def handle_page(self, pagename, addctx, templatename="page.html", **kwargs):
        super().handle_page(pagename, addctx, TEMPLATE, **kwargs)

    def write_additional_files(self) -> None:
        pass  # no search page, index or extra pages in a print build


def setup(app):
    app.add_builder(PrintHTMLBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
