"""Numbered citations, the cite-once check and tap-to-call help lines, on small books.

Built from the fixture book with a chapter written for each behaviour
(bookext.features.numbered, bookext.checks.citeonce, bookext.features.helplines).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_in_process, sphinx_build
from bookext.features.helplines import linked
from bookext.features.numbered import number_runs

EXTRA_BIB = "".join(f"""
@article{{Extra202{i}key,
  author = {{Extra, Author{i}}},
  title = {{Extra study {i}}},
  journal = {{Journal of Fixtures}},
  year = {{202{i}}},
  volume = {{{i}}},
  pages = {{1--2}},
  doi = {{10.5555/extra.{i}}},
}}
""" for i in range(1, 5))

CHAPTER = """---
last-reviewed: 2026-01-01
---

# A chapter

First sentence cites the label {cite:p}`Fixture2021label`.
A sentence without a source.
A range of four {cite:p}`Extra2021key,Extra2022key,Extra2023key,Fixture2021label`.
The trial comes later here {cite:p}`Fixture2020first`.
Two in a row {cite:p}`Extra2024key,Extra2021key`.

## References

```{bibliography}
:filter: docname in docnames
```
"""


def write_book(book: Path, chapter: str = CHAPTER) -> Path:
    (book / "references.bib").write_text(
        (book / "references.bib").read_text(encoding="utf-8") + EXTRA_BIB, encoding="utf-8")
    (book / "docs" / "chapter.md").write_text(chapter, encoding="utf-8")
    return book


def html(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


# -- Pure functions --------------------------------------------------------------

def test_runs_of_three_or_more_consecutive_numbers_become_ranges():
    assert number_runs([1, 2, 3, 5]) == [(0, 2)]
    assert number_runs([1, 2, 4, 5]) == []
    assert number_runs([2, 3, 4, 5, 7, 8, 9]) == [(0, 3), (4, 6)]


def test_help_line_numbers_become_links_but_the_lifeline_name_does_not():
    parts = linked("Call 911 or text 988. The 988 Suicide & Crisis Lifeline; 1-800-222-1222.")
    links = [(p["refuri"], p.astext()) for p in parts if p.tagname == "reference"]
    assert links == [("tel:911", "911"), ("tel:988", "988"), ("sms:988", "(tap to text)"),
                     ("tel:+18002221222", "1-800-222-1222")]
    assert linked("Dose 9110 mg, year 1988.") == []


# -- Built books -----------------------------------------------------------------

def test_citations_are_numbered_in_order_of_first_citation_on_the_page(fixture_book):
    result = html(write_book(fixture_book))
    assert result.returncode == 0, result.output
    soup = BeautifulSoup(result.page("chapter.html"), "html.parser")
    entries = soup.select("article div.citation")
    order = [e.select_one(".label").get_text(strip=True).strip("[]") + " " +
             e.p.get_text(" ", strip=True)[:13] for e in entries]
    assert order == ["1 Fixture Pharm", "2 Author1 Extra", "3 Author2 Extra", "4 Author3 Extra",
                     "5 Ann Fixture a", "6 Author4 Extra"], order
    markers = [m.get_text() for m in soup.select("article span.bibtex-citation")]
    # 1; 1,2,3,4 -> "1–4" (the hidden middle links keep the popover's list); 5; 2,6
    visible = [" ".join(a.get_text() for a in m.select("a:not(.cite-range-hidden)"))
               for m in soup.select("article span.bibtex-citation")]
    assert visible == ["1", "1 4", "5", "2 6"], visible
    assert "1–" in markers[1] and markers[3] == "2,6"
    assert all(m.find_parent("sup") is not None
               for m in soup.select("article span.bibtex-citation a"))
    first = soup.select_one("article span.bibtex-citation")
    assert str(first.previous_sibling).endswith("label"), "space before the marker"


def test_the_bibliography_page_keeps_every_cited_entry_by_author(fixture_book):
    result = html(write_book(fixture_book))
    page = BeautifulSoup(result.page("bibliography.html"), "html.parser")
    texts = [e.p.get_text(" ", strip=True) for e in page.select("article div.citation")]
    firsts = [t.split(".")[0] for t in texts]
    assert firsts == ["Author1 Extra", "Author2 Extra", "Author3 Extra", "Author4 Extra",
                      "Ann Fixture and Ben Example", "Fixture Pharma"], firsts


def test_a_bullet_reference_list_is_rejected_with_the_fix(fixture_book):
    chapter = CHAPTER.replace("```{bibliography}\n", "```{bibliography}\n:list: bullet\n")
    result = html(write_book(fixture_book, chapter))
    assert result.returncode != 0
    assert "chapter.md:15: WARNING: this page's reference list is a 'bullet' list" in result.output
    assert "delete the ':list:' line" in result.output


def test_same_source_in_consecutive_sentences_names_file_line_and_fix(fixture_book):
    chapter = CHAPTER.replace(
        "The trial comes later here {cite:p}`Fixture2020first`.",
        "The trial comes later here {cite:p}`Fixture2020first`.\n"
        "It also found more, e.g. this {cite:p}`Fixture2020first`.")
    result = html(write_book(fixture_book, chapter))
    assert result.returncode != 0
    assert ("chapter.md:11: WARNING: 'Fixture2020first' is cited in two sentences in a row "
            "— cite it once, after the last sentence it supports") in result.output
    assert result.output.count("cite_once") == 1


def test_a_dose_keeps_its_citation_after_a_sentence_citing_the_same_source(fixture_book):
    """A dose carries its source in its own sentence (bookext.checks.citedclaims), so the
    cite-once check lets it repeat the source of the sentence before."""
    chapter = CHAPTER.replace(
        "The trial comes later here {cite:p}`Fixture2020first`.",
        "The trial comes later here {cite:p}`Fixture2020first`.\n"
        "It gave 10 mg three times a day {cite:p}`Fixture2020first`.")
    result = html(write_book(fixture_book, chapter))
    assert "cite_once" not in result.output, result.output


def test_a_source_cited_again_after_a_gap_is_fine(fixture_book):
    result = html(write_book(fixture_book))     # Extra2021key: sentences 3 and 5
    assert "cite_once" not in result.output, result.output


def test_help_lines_in_an_emergency_box_become_tap_to_call_links(fixture_book):
    chapter = CHAPTER.replace("# A chapter\n", "# A chapter\n\n:::{admonition} Help\n"
                              ":class: emergency-help\n\nCall **911** or text **988**.\n:::\n\n"
                              "Outside the box, 911 stays text.\n")
    result = html(write_book(fixture_book, chapter))
    soup = BeautifulSoup(result.page("chapter.html"), "html.parser")
    box = soup.select_one(".emergency-help")
    assert [a["href"] for a in box.select("a")] == ["tel:911", "tel:988", "sms:988"]
    assert not soup.select("article p:not(.admonition-title) a[href^='tel:']")[3:]


@pytest.fixture
def latex_book(fixture_book):
    book = write_book(fixture_book)
    result = sphinx_build(book, "latex", book / "_build" / "latex")
    assert result.returncode == 0, result.output
    return book / "_build" / "latex"


def test_pdf_keeps_each_numbered_list_at_the_end_of_its_chapter(latex_book):
    handout = (latex_book / "handout-chapter.tex").read_text(encoding="utf-8")
    references = handout.split("References", 1)[1]
    assert r"\begin{enumerate}" in references and r"\bibitem" not in handout
    assert references.count(r"\item") == 6
    assert references.count("Extra study 1") == 1          # each entry once, in each document
    flat = handout.replace("\n", "")
    # the marker 1,2,3,4 prints as 1–4, and each number links to an anchor in the list
    assert r"{1}–\hyperlink{cite.chapter:" in flat
    for anchor in set(re.findall(r"\\hyperlink\{(cite\.chapter:id\d+)\}", flat)):
        assert rf"\hypertarget{{{anchor}}}" in flat, anchor
    book = (latex_book / "baclofen-clinical-book.tex").read_text(encoding="utf-8")
    chapter_part = book.split(r"\chapter{A chapter}", 1)[1].split(r"\chapter", 1)[0]
    assert r"\begin{enumerate}" in chapter_part
    assert book.count(r"\bibitem") == 6          # the full bibliography, once


def test_a_number_before_a_citation_keeps_a_narrow_space(fixture_book):
    chapter = CHAPTER.replace("A sentence without a source.", "Call 911 {cite:p}`Extra2024key`.")
    result = html(write_book(fixture_book, chapter))
    text = BeautifulSoup(result.page("chapter.html"), "html.parser").select_one("article").get_text()
    assert "Call 911\u202f2." in text and "label1." in text
