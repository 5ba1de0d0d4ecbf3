"""The Downloads page: the whole-book PDF and every chapter handout, with sizes.

``{downloads}`` renders a table: file, what it holds, size. Sizes are read from
the PDFs in ``bookext_pdf_dir`` when they have been built (``make book`` builds
the PDFs first); otherwise the table says how to build them.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


class Downloads(SphinxDirective):
    def rows(self):
        context = self.config.html_context      # names: bookext/products.py, via conf.py
        yield context["pdf_name"], context["pdf_name"], "The whole book", None
        yield context["card_pdf"], context["card_pdf"], \
            "Quick-reference card: doses and red flags on one page", None
        for chapter in context["handouts"]:
            name = f"{context['handout_prefix']}{chapter}.pdf"
            yield name, f"{context['handouts_dir']}/{name}", None, chapter

    def run(self):
        pdf_dir = Path(self.config.bookext_pdf_dir)   # absolute: see resolve()
        table = nodes.table(classes=["downloads"])
        group = nodes.tgroup(cols=3)
        table += group
        for _ in range(3):
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self.row([nodes.Text("File"), nodes.Text("Contents"), nodes.Text("Size")])
        body = nodes.tbody()
        group += body
        missing = False
        for name, href, label, chapter in self.rows():
            self.env.note_dependency(str(pdf_dir / name))
            link = nodes.reference("", name, refuri=href)
            if chapter:
                contents = nodes.inline()
                contents += nodes.Text("Chapter handout: ")
                # Resolved when the page is written, once every chapter has been read:
                # the link text is the chapter's title even in a clean build.
                contents += addnodes.pending_xref(
                    "", nodes.inline(text=chapter), refdomain="std", reftype="doc",
                    reftarget=f"/{chapter}", refexplicit=False, refwarn=True,
                    refdoc=self.env.docname)
            else:
                contents = nodes.Text(label)
            path = pdf_dir / name
            size = human_size(path.stat().st_size) if path.exists() else "not built"
            missing |= not path.exists()
            body += self.row([link, contents, nodes.Text(size)])
        result = [table]
        if missing:
            result.append(nodes.paragraph(text="Sizes appear once the PDFs are built "
                                               "(make pdf, or make book)."))
        return result

    @staticmethod
    def row(cells):
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            para += cell
            entry += para
            row += entry
        return row


def resolve(app, config) -> None:
    """The PDF folder, relative to conf.py, as an absolute path (directives see no app)."""
    config.bookext_pdf_dir = str(Path(app.confdir) / config.bookext_pdf_dir)


def setup(app):
    app.add_config_value("bookext_pdf_dir", "_build/pdf", "env")
    app.connect("config-inited", resolve)
    app.add_directive("downloads", Downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
