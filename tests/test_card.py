"""The quick-reference card: one page, and no number on it that the facts do not hold.

The card (docs/quick-reference.md, bookext/features/card.py) is printed to PDF by
Chromium (bookext/features/cardpdf.py) from the session's book build. Its text is read
back with pdftotext: every number above the sources must come from docs/_data/facts.yml
or the emergency snippet (citation markers and the edition line aside), the card must
fit one A4 page and one US Letter page, and the PDF may take a second page only for
its sources.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
SNIPPET = ROOT / "docs" / "_snippets" / "emergency-help.md"
CARD = yaml.safe_load((ROOT / "docs" / "_data" / "card.yml").read_text(encoding="utf-8"))


def print_card(html: Path, pdf: Path, paper: str = "A4") -> Path:
    """The card's PDF route, as `make pdf` runs it (a process of its own: Playwright's sync
    API allows one instance at a time, and the browser tests hold one)."""
    subprocess.run([sys.executable, "-m", "bookext.features.cardpdf", str(html), str(pdf),
                    paper], cwd=ROOT, check=True, capture_output=True)
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    # Reading order (not -layout): a citation split over two lines of a column stays whole.
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.rstrip("\f").split("\f")


def flat(text: str) -> str:
    return " ".join(text.split())


def traceable_numbers() -> set[str]:
    facts = yaml.safe_load((ROOT / "docs" / "_data" / "facts.yml").read_text(encoding="utf-8"))
    held = " ".join(str(fact["value"]) for fact in facts.values())
    held += " " + re.sub(r"\{cite:p\}`[^`]*`", "", SNIPPET.read_text(encoding="utf-8"))
    return set(NUMBER.findall(held))


def untraceable(card_text: str, markers: list[str], edition_line: list[str]) -> list[str]:
    """Numbers of the card (before its sources) that neither facts.yml nor the snippet hold."""
    text = flat(card_text)
    for line in edition_line:
        text = text.replace(flat(line), " ")
    # A citation number is printed right after a word or a closing sign ("day1", "hospital3,14"),
    # never after a space or inside a number.
    for marker in sorted(set(markers), key=len, reverse=True):
        if any(not c.isdigit() for c in marker) or len(marker) > 2:   # "3,14" or "91110"
            text = re.sub(rf"(?<![\d,–]){re.escape(flat(marker))}(?![\d,–])", " ", text)
        else:
            text = re.sub(rf"(?<=[^\s\d]){re.escape(flat(marker))}(?![\d,–])", " ", text)
    held = traceable_numbers()
    return [n for n in NUMBER.findall(text) if n not in held]


@pytest.fixture(scope="module")
def card(book_html, tmp_path_factory):
    assert book_html.returncode == 0, book_html.output
    html = book_html.outdir / "quick-reference.html"
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    pdf = print_card(html, tmp_path_factory.mktemp("card") / "quick-reference.pdf")
    return html, soup, pdf


def citation_markers(soup) -> list[str]:
    """The numbered citation markers as printed ("1", "3,14,15", "2–4"), and, where a marker
    follows a number ("call 911" + "10"), the two as the PDF's text runs them together."""
    markers = []
    for span in soup.select("article span.bibtex-citation"):
        markers.append(span.get_text())
        before = re.search(r"(\d+)\s*$", span.find_previous(string=True) or "")
        if before:
            markers.append(before.group(1) + span.get_text())
    return markers


def edition_line(soup) -> list[str]:
    return re.findall(r"Edition \S+ \(\d{4}-\d{2}-\d{2}\)", soup.select_one("article").get_text())


def before_sources(pages: list[str]) -> str:
    text = "\f".join(pages)
    index = text.rfind("\nSources")
    assert index > 0, "the card has no Sources section"
    return text[:index]


def test_every_card_row_shows_its_fact_with_a_citation(card):
    _, soup, _ = card
    rows = soup.select("table.qr-table tr")
    assert len(rows) == sum(len(section["rows"]) for section in CARD)
    for row in rows:
        assert row.select("a.reference.internal"), row.get_text(" ", strip=True)
    assert soup.select(".qr-sources .citation"), "the card lists no sources"
    assert soup.select_one(".admonition.emergency-help"), "the help lines are missing"


def test_every_number_on_the_card_pdf_traces_to_the_facts(card):
    _, soup, pdf = card
    card_text = before_sources(pdf_pages(pdf))
    assert "Edition" in card_text and "Oral baclofen" in card_text
    assert not untraceable(card_text, citation_markers(soup), edition_line(soup))


def test_trace_check_fails_on_a_typed_number(card):
    _, soup, pdf = card
    card_text = before_sources(pdf_pages(pdf))
    assert untraceable(card_text + "\nMaximum 120 mg/day", citation_markers(soup),
                       edition_line(soup)) == ["120"]


def test_card_is_one_a4_page_and_the_pdf_at_most_two(card):
    _, _, pdf = card
    pages = pdf_pages(pdf)
    assert len(pages) <= 2, f"{len(pages)} pages"
    assert "\f" not in before_sources(pages), "the card itself runs onto a second page"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info) and "A4" in info


def test_card_also_fits_one_us_letter_page(card, tmp_path):
    html, _, _ = card
    letter = print_card(html, tmp_path / "letter.pdf", "Letter")
    assert "\f" not in before_sources(pdf_pages(letter))


def test_a_typed_number_in_the_card_page_is_caught(card, tmp_path):
    """The whole route, on a card page with a number typed into it."""
    html, soup, _ = card
    site = tmp_path / "site"
    shutil.copytree(html.parent, site, ignore=shutil.ignore_patterns("*.pdf", "_sources"))
    page = site / "quick-reference.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", "</h1><p>Give 35 mg at night.</p>", 1), encoding="utf-8")
    text = before_sources(pdf_pages(print_card(page, tmp_path / "typed.pdf")))
    assert untraceable(text, citation_markers(soup), edition_line(soup)) == ["35"]


def test_card_row_naming_an_unknown_fact_names_card_file_and_line(fixture_book):
    from conftest import sphinx_build

    (fixture_book / "docs" / "_data" / "card.yml").write_text(
        "- section: Doses\n  rows:\n    fixture_max_dose: Maximum\n"
        "    fixture_min_dose: Minimum\n", encoding="utf-8")
    (fixture_book / "docs" / "card.md").write_text(
        "---\norphan: true\nlast-reviewed: 2026-01-01\n---\n\n# Card\n\n"
        "```{quick-reference}\n```\n", encoding="utf-8")
    result = sphinx_build(fixture_book, "html", fixture_book.parent / "out")
    assert result.returncode != 0
    assert ("docs/_data/card.yml:4: WARNING: card row 'fixture_min_dose' is not a fact"
            in result.output), result.output
    html = (fixture_book.parent / "out" / "card.html").read_text(encoding="utf-8")
    assert "40 mg/day" in html  # the known row is still rendered


def test_every_page_links_to_the_card(book_html):
    site = book_html.outdir
    pages = [p for p in site.rglob("*.html") if not {"_sources", "_static"} & set(p.parts)
             and p.name != "404.html"]
    missing = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("a.quick-reference")
        if not (link and link.get_text() == "Quick reference"
                and (page.parent / link["href"].replace("#", "quick-reference.html")).resolve()
                == site / "quick-reference.html"):
            missing.append(page.relative_to(site).as_posix())
    assert not missing, missing


def test_card_pdf_passes_the_accessibility_checks(card):
    """The card is served like the book and the handouts: tagged, titled, PDF/UA metadata
    (tools/pdfcheck.py, as in tests/test_pdf_accessibility.py)."""
    import pdfcheck
    _html, _soup, pdf = card
    assert pdfcheck.problems(pdf) == []


def test_card_printed_twice_is_the_same_document(book_html, tmp_path, monkeypatch):
    """As for the book and the handouts (tests/test_reproducible.py): same pages, words in
    place, tags and metadata, dates from SOURCE_DATE_EPOCH."""
    import pdfsame
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    html = book_html.outdir / "quick-reference.html"
    first, again = (print_card(html, tmp_path / f"{name}.pdf") for name in ("a", "b"))
    assert pdfsame.differences(first, again) == []
    if pdfsame.page_contents(first) == pdfsame.page_contents(again):
        assert first.read_bytes() == again.read_bytes()
