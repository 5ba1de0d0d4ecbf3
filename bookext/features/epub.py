"""An EPUB that passes EPUBCheck and says how it is accessible.

Sphinx's EPUB 3 of the book had 138 EPUBCheck errors (edition 0.2), from three sources
that the website does not mind; this module fixes each where it arises:

* sphinx-design's dropdowns (the self-assessment answers, the case discussions) carry an
  inline SVG chevron without the SVG namespace, which XHTML does not allow. Many e-readers
  cannot open ``<details>`` either, so in the EPUB a dropdown becomes its title in bold
  followed by its content: the answers are open, as in a printed book.
* Graphviz writes its SVG files with a DOCTYPE that declares external entities, and the
  HTML writer embeds them with ``<object>``. The EPUB gets the same SVG file without the
  DOCTYPE, shown with ``<img>`` whose ``alt`` is the flowchart's text alternative.
* Links to the PDFs and to the facts as data (``facts.json``) point at files that are not
  in the EPUB: they go to the published site instead (``html_baseurl``).
* Print rules (``@media print``) are left out of the EPUB's stylesheets: e-readers do not
  print, and the card's print rules use selectors EPUBCheck's CSS parser rejects.

It also writes the EPUB Accessibility 1.1 metadata (access modes, features, hazards and a
summary) into ``content.opf``. ``tests/test_epub.py`` runs EPUBCheck on the built book.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform

# https://www.w3.org/TR/epub-a11y-11/ and https://www.w3.org/2021/a11y-discov-vocab/latest/
ACCESSIBILITY = {
    "schema:accessMode": ["textual", "visual"],
    "schema:accessModeSufficient": ["textual"],
    "schema:accessibilityFeature": ["tableOfContents", "structuralNavigation",
                                    "alternativeText", "readingOrder"],
    "schema:accessibilityHazard": ["none"],
    "schema:accessibilitySummary": [
        "Text with headings, lists and tables in reading order, a navigable table of "
        "contents, and a text alternative for each flowchart that states every step. "
        "Answers to the self-assessment questions are shown after each question."],
}

GRAPHVIZ_OBJECT = re.compile(
    r'<object data="(?P<src>[^"]+\.svg)" type="image/svg\+xml" class="graphviz">\s*'
    r'<p class="warning">(?P<alt>.*?)</p>\s*</object>', re.S)
# Files the site serves beside the pages but the EPUB does not hold: PDFs, facts as data.
PDF_LINK = re.compile(r'href="(?P<href>(?!https?:|mailto:|tel:|sms:|#)[^"#]+\.(?:pdf|json|csv))'
                      r'(?P<frag>#[^"]*)?"')
DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>\s*", re.S)


def without_print_rules(css: str) -> str:
    """The stylesheet without its ``@media print { ... }`` blocks."""
    out, at = [], 0
    for match in re.finditer(r"@media\s+print\s*\{", css):
        if match.start() < at:
            continue
        depth, end = 1, match.end()
        while depth and end < len(css):
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        out.append(css[at:match.start()])
        at = end
    return "".join(out) + css[at:]


class OpenDropdowns(SphinxPostTransform):
    """In the EPUB and the PDFs, a dropdown is its bold title followed by its content."""

    default_priority = 100        # before sphinx-design turns dropdowns into <details> (199)
    builders = ("epub", "printhtml")

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.container)):
            if node.get("design_component") != "dropdown":
                continue
            opened = nodes.container(classes=["epub-dropdown", *node.get("classes", [])])
            for child in node.children:
                if isinstance(child, nodes.rubric):      # the dropdown's title
                    title = nodes.paragraph(classes=["epub-dropdown-title"])
                    title += nodes.strong("", "", *child.children)
                    opened += title
                else:
                    opened += child
            node.replace_self(opened)


def metadata_xml() -> str:
    lines = []
    for prop, values in ACCESSIBILITY.items():
        for value in values:
            lines.append(f'    <meta property="{prop}">{html.escape(value)}</meta>')
    return "\n".join(lines) + "\n"


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder, with the files fixed before they are zipped."""

    def build_epub(self) -> None:
        outdir = Path(self.outdir)
        site = self.config.html_baseurl
        for name in self.files:
            path = outdir / name
            if name.endswith(".xhtml"):
                path.write_text(self.fix_page(path.read_text(encoding="utf-8"), name, site),
                                encoding="utf-8")
            elif name.endswith(".css"):
                path.write_text(without_print_rules(path.read_text(encoding="utf-8")),
                                encoding="utf-8")
            elif name.endswith(".svg"):
                path.write_text(DOCTYPE.sub("", path.read_text(encoding="utf-8"), count=1),
                                encoding="utf-8")
        opf = outdir / "content.opf"
        text = opf.read_text(encoding="utf-8")
        if "schema:accessMode" not in text:
            opf.write_text(text.replace("  </metadata>", metadata_xml() + "  </metadata>", 1),
                           encoding="utf-8")
        super().build_epub()

    @staticmethod
    def fix_page(text: str, name: str, site: str) -> str:
        def image(match: re.Match) -> str:
            alt = match["alt"].replace('"', "&quot;")
            return f'<img src="{match["src"]}" alt="{alt}" class="graphviz" />'

        def online(match: re.Match) -> str:
            if not site:
                return match[0]
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), match["href"]))
            return f'href="{site.rstrip("/")}/{target}{match["frag"] or ""}"'

        return PDF_LINK.sub(online, GRAPHVIZ_OBJECT.sub(image, text))


def setup(app):
    app.add_builder(BookEpubBuilder, override=True)
    app.add_post_transform(OpenDropdowns)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
