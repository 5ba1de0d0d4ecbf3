"""The quick-reference card as a PDF: Chromium's print of the card's HTML page.

    python -m bookext.features.cardpdf _build/html/quick-reference.html OUT.pdf [Letter]

Why Chromium and not XeLaTeX: the card's HTML page is already the card (the same
tables, citations and print stylesheet), so printing it gives a PDF that cannot
differ from the web version, and Chromium writes a tagged PDF (structure tree,
document language, title) where TeX Live 2022's XeLaTeX does not, which the
accessible-PDF work needs. Playwright drives Debian's ``chromium`` (no browser
download); the page is opened from disk, so nothing is fetched from a network.

A4 with margins that leave a content box no taller than US Letter's, so the same
card prints on either paper. Set ``BOOK_CHROMIUM`` to use another browser binary; without
Debian's chromium, Playwright's own browser is used if it is installed (Read the Docs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bookext.pdfmeta import finish

CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# A4 is 297 mm tall, Letter 279.4 mm: 10 mm + 28 mm margins leave 259 mm, which fits
# Letter with 10 mm margins. A4 is narrower than Letter, so the width fits both.
PAPER = {"format": "A4", "margin": {"top": "10mm", "bottom": "28mm", "left": "10mm",
                                    "right": "10mm"}}


def print_card(html: Path, pdf: Path, paper: dict = PAPER) -> Path:
    from playwright.sync_api import sync_playwright  # only `make pdf` and tests need it

    pdf.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                    else None, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.pdf(path=str(pdf), print_background=True, tagged=True, outline=True, **paper)
            title = page.title()
            lang = page.evaluate("document.documentElement.lang") or "en"
        finally:
            browser.close()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    finish(pdf, title, lang, int(epoch) if epoch else None)   # PDF/UA metadata, fixed dates and ID
    return pdf


def main(argv=None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    html, pdf = map(Path, args[:2])
    if not html.exists():
        sys.exit(f"cardpdf: {html} does not exist: build the website first (make html)")
    paper = {**PAPER, "format": args[2]} if len(args) == 3 else PAPER  # Letter: a check
    print(f"Card: {print_card(html, pdf, paper)}")


if __name__ == "__main__":
    main()
