"""End-to-end: the real book builds to HTML and PDF, cleanly and completely."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from bookext import edition, products
from conftest import PAGES, ROOT

CHAPTERS = {
    "pharmacology": "Pharmacology",
    "clinical-use": "Approved clinical use",
    "special-populations": "Special populations and interactions",
    "off-label-use": "Off-label use",
    "misuse-and-abuse": "Misuse and abuse",
    "overdose-and-toxicity": "Overdose and toxicity",
    "withdrawal": "Withdrawal",
    "treatment": "Treatment",
}
SYMBOLS = ["µ", "≤", "≥", "±", "→", "°", "–"]


def test_the_clinical_chapters_are_those_of_the_page_roles_file():
    assert PAGES.having("clinical") == list(CHAPTERS), \
        "docs/_data/pages.yml and this test's CHAPTERS name different clinical chapters"


def test_every_page_with_the_handout_role_gets_a_handout(book_print):
    built = sorted(pdf.name for pdf in book_print.glob(f"{products.HANDOUT_PREFIX}*.pdf"))
    assert built == sorted(products.handout_pdf(page) for page in PAGES.having("handout"))
    assert PAGES.having("handout")


def test_html_builds_without_warnings(book_html):
    assert book_html.returncode == 0, book_html.output
    assert "WARNING" not in book_html.output and "ERROR" not in book_html.output


def test_every_chapter_is_in_the_site(book_html):
    for docname in CHAPTERS:
        assert (book_html.outdir / f"{docname}.html").exists(), docname


def search_index(book_html) -> dict:
    text = (book_html.outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.parametrize("term", ["baclofen", "intrathec", "withdraw", "gaba", "spastic"])
def test_search_index_holds_key_terms(book_html, term):
    index = search_index(book_html)
    assert any(word.startswith(term) for word in index["terms"]), term


def test_search_page_reads_the_query_from_the_url(book_html):
    # search.html?q=TERM runs the query on load with the book's own search (bookext.features.search);
    # tests/test_browser.py runs it in Chromium.
    page = book_html.page("search.html")
    assert "book-search.js" in page and 'id="book-search-results"' in page


def test_every_citation_number_links_to_its_entry_in_the_chapters_own_list(book_html):
    count = 0
    for docname in CHAPTERS:
        soup = BeautifulSoup(book_html.page(f"{docname}.html"), "html.parser")
        for link in soup.select("span.bibtex-citation a.reference"):
            count += 1
            assert link["href"].startswith("#"), (docname, link["href"])   # same page
            entry = soup.find(id=link["href"][1:])
            assert entry is not None and "citation" in entry["class"], (docname, link["href"])
            label = entry.select_one(".label").get_text(strip=True).strip("[]")
            assert label == link.get_text(strip=True), (docname, label, link)
    assert count > 500


def test_bibliography_page_lists_every_cited_entry(book_html):
    soup = BeautifulSoup(book_html.page("bibliography.html"), "html.parser")
    listed = len(soup.select("article div.citation"))
    full = {e.p.get_text(" ", strip=True) for e in soup.select("article div.citation")}
    for docname in CHAPTERS:
        page = BeautifulSoup(book_html.page(f"{docname}.html"), "html.parser")
        for entry in page.select("article div.citation"):
            assert entry.p.get_text(" ", strip=True) in full, (docname, entry.p.get_text()[:80])
    assert listed >= 90


def test_each_chapter_ends_with_its_references(book_html):
    for docname in CHAPTERS:
        soup = BeautifulSoup(book_html.page(f"{docname}.html"), "html.parser")
        headings = [h.get_text(strip=True).rstrip("#") for h in soup.select("main h2")]
        assert headings and headings[-1] == "References", (docname, headings)


def test_every_page_links_to_the_pdf_and_shows_its_review_date(book_html):
    for docname in [*CHAPTERS, "index", "glossary", "bibliography"]:
        soup = BeautifulSoup(book_html.page(f"{docname}.html"), "html.parser")
        assert soup.select_one(f"a.download-pdf[href$='{products.BOOK_PDF}']"), docname
        assert soup.select_one("p.last-reviewed"), docname


def test_pages_offer_repository_and_suggest_edit_buttons(book_html):
    page = book_html.page("pharmacology.html")
    assert "Suggest edit" in page or "edit this page" in page.lower()
    assert "docs/pharmacology.md" in page


def test_references_show_doi_and_pubmed_links(book_html):
    page = book_html.page("bibliography.html")
    assert "https://doi.org/10." in page
    assert "https://pubmed.ncbi.nlm.nih.gov/" in page


def test_pdf_outline_lists_every_chapter(book_pdf):
    reader = PdfReader(book_pdf)

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    for title in CHAPTERS.values():
        assert any(t.startswith(title) for t in outline), (title, outline)


def test_pdf_text_has_titles_and_clinical_symbols(book_pdf):
    text = subprocess.run(["pdftotext", str(book_pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for title in CHAPTERS.values():
        assert title.upper() in text.upper(), title
    for symbol in SYMBOLS:
        assert symbol in text, symbol
    fonts = subprocess.run(["pdffonts", str(book_pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    # A glyph missing from the book's fonts would come from a fallback font (or none).
    assert all("DejaVu" in line for line in fonts), fonts
    newest = next(iter(edition.released(ROOT / "CHANGELOG.md")))
    assert f"Edition {newest}" in text  # the title page names the edition (or newest+dev)


def test_pdf_fonts_are_all_embedded(book_pdf):
    listing = subprocess.run(["pdffonts", str(book_pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        # Columns: name type encoding emb sub uni object-id; "emb" must be "yes".
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line


def test_pdf_citations_are_clickable(book_pdf):
    reader = PdfReader(book_pdf)
    internal_links = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot or (
                    annot.get("/A") and annot["/A"].get("/S") == "/GoTo"):
                internal_links += 1
    assert internal_links > 20


def test_learning_objectives_page_collects_every_chapter(book_html):
    soup = BeautifulSoup(book_html.page("teaching/learning-objectives.html"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("#") for h in soup.select("main section h2")]
    for docname, title in CHAPTERS.items():
        assert any(h.startswith(title) for h in headings), title
        chapter = BeautifulSoup(book_html.page(f"{docname}.html"), "html.parser")
        first = chapter.select_one(".learning-objectives li").get_text(" ", strip=True)
        assert first[:40] in soup.get_text(" ", strip=True), docname


def test_pdf_chapters_are_top_level_in_the_outline(book_pdf):
    reader = PdfReader(book_pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in CHAPTERS.values():
        assert any(t.startswith(title) for t in top), (title, top)


def test_flowcharts_are_vector_graphics_in_html_and_pdf(book_html, book_print):
    page = book_html.page("treatment.html")
    svgs = re.findall(r'graphviz-[0-9a-f]+\.svg', page)
    assert len(set(svgs)) >= 2, "the treatment chapter has two flowcharts"
    for svg in set(svgs):
        assert (book_html.outdir / "_images" / svg).read_text().lstrip().startswith("<?xml")
    printed = (book_print.parent / "printhtml" / "handout-treatment.html").read_text()
    assert len(set(re.findall(r'<img src="_images/(graphviz-[0-9a-f]+\.svg)"', printed))) >= 2
    images = subprocess.run(["pdfimages", "-list", str(book_print / "handout-treatment.pdf")],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(images) == 2, "the flowcharts are vector drawings, not raster images"
