"""Print the pages of ``sphinx-build -b printhtml`` as tagged PDFs, in Chromium.

    python tools/printpdf.py _build/printhtml _build/pdf

Each ``*.html`` in the first folder becomes a PDF of the same name in the second. Chromium
(Debian's package, driven by Playwright) writes a tagged PDF: a structure tree of headings,
paragraphs, lists, tables and figures with their text alternatives, the document language,
bookmarks and the title shown in the window. This script adds what PDF/UA-1 also asks for
and Chromium leaves out, then makes the file reproducible:

* the book's table of contents gets its page numbers: a first print tells on which page
  each chapter and section starts (from the PDF's named destinations), a second print
  writes them in (the placeholders keep the contents the same length);
* XMP metadata with the title, the language and the PDF/UA identification;
* creation and modification dates from ``SOURCE_DATE_EPOCH``, structure IDs renamed in
  reading order (Chromium names them after DOM node numbers, which change between runs) and
  a document ID derived from the content (``bookext.pdfmeta``). Printed again, a PDF is the
  same document (``tools/pdfsame.py``) and, unless Chromium snapped a text run to a whole
  pixel (seen on a busy machine, in the whole book), the same bytes.

Why Chromium and not XeLaTeX or WeasyPrint: README.md, "Accessible PDFs".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pikepdf
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bookext.pdfmeta import finish  # noqa: E402

CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
# Flags for a machine without a display or network (see tests/test_browser.py).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--font-render-hinting=none", "--disable-font-subpixel-positioning"]
MARGIN = {"top": "20mm", "bottom": "18mm", "left": "18mm", "right": "18mm"}
SMALL = 'style="font: 8pt \'DejaVu Sans\', sans-serif; width: 100%; margin: 0 18mm; color: #444;'
HEADER = f'<div {SMALL} text-align: right;"><span class="title"></span></div>'
FOOTER = (f'<div {SMALL} text-align: center;"><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')
PLACEHOLDER = "000"


def settle(page) -> None:
    """Wait until fonts and images are ready and layout has run twice: a page printed before
    that can place a heading a fraction of a point differently (not byte-reproducible)."""
    page.evaluate("""async () => {
        await document.fonts.ready;
        await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }""")


def print_pdf(page, pdf: Path) -> None:
    page.pdf(path=str(pdf), format="A4", margin=MARGIN, print_background=True, tagged=True,
             outline=True, display_header_footer=True, header_template=HEADER,
             footer_template=FOOTER, prefer_css_page_size=False)


def destination_pages(pdf: Path) -> dict[str, int]:
    """Named destination -> page number (1-based), from Chromium's /Dests dictionary."""
    with pikepdf.open(pdf) as doc:
        pages = {page.objgen: n for n, page in enumerate(doc.pages, start=1)}
        dests = doc.Root.get("/Dests", {})
        found = {}
        for name in dests.keys():
            target = dests[name]
            target = target.get("/D", target) if isinstance(target, pikepdf.Dictionary) \
                else target
            found[str(name).lstrip("/")] = pages.get(target[0].objgen, 0)
        return found


def fill_contents(page, numbers: dict[str, int]) -> int:
    """Write page numbers into the table of contents; return how many were written."""
    return page.evaluate("""numbers => {
        let n = 0;
        for (const a of document.querySelectorAll('.print-toc a[href^="#"]')) {
            const slot = a.querySelector('.toc-page');
            const page = numbers[decodeURIComponent(a.getAttribute('href').slice(1))];
            if (slot) { slot.textContent = page ? String(page) : ''; if (page) n++; }
        }
        return n;
    }""", numbers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder of sphinx-build -b printhtml")
    parser.add_argument("out", type=Path, help="folder for the PDFs")
    args = parser.parse_args(argv)
    pages = sorted(args.source.glob("*.html"))
    if not pages:
        print(f"{args.source}: no print pages; run sphinx-build -b printhtml first",
              file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    epoch = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") \
        else None
    with sync_playwright() as p:
        # Debian's chromium here and in CI; elsewhere (Read the Docs) Playwright's own browser.
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                    else None, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for html in pages:
            start = time.perf_counter()
            pdf = args.out / f"{html.stem}.pdf"
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            settle(page)
            if page.locator(".print-toc .toc-page").count():
                page.evaluate("p => document.querySelectorAll('.print-toc .toc-page')"
                              ".forEach(s => s.textContent = p)", PLACEHOLDER)
                print_pdf(page, pdf)
                fill_contents(page, destination_pages(pdf))
                settle(page)
            print_pdf(page, pdf)
            title = page.title()
            lang = page.evaluate("document.documentElement.lang") or "en"
            finish(pdf, title, lang, epoch)
            with pikepdf.open(pdf) as doc:
                count = len(doc.pages)
            print(f"{pdf}: {count} pages, {time.perf_counter() - start:.1f} s")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
