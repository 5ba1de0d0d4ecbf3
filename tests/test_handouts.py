"""Per-chapter PDF handouts: one per clinical chapter, whole on their own."""

from __future__ import annotations

import re
import subprocess

from bs4 import BeautifulSoup

from conftest import ROOT
from test_book import CHAPTERS


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_every_clinical_chapter_has_a_handout(handout_pdfs):
    assert sorted(handout_pdfs) == sorted(CHAPTERS)


def test_handout_has_title_page_disclaimer_and_references(handout_pdfs):
    for chapter, pdf in handout_pdfs.items():
        text = pdf_text(pdf)
        head = text[:600]
        assert CHAPTERS[chapter].split()[0] in head, chapter
        assert "Edition" in head and re.search(r"\d{4}-\d{2}-\d{2}", head), chapter
        assert "Not medical advice" in text, chapter
        assert "References" in text, chapter
        assert "doi:" in text or "URL:" in text, chapter


def test_handout_names_other_chapters_instead_of_raw_labels(handout_pdfs):
    labels = {label for source in (ROOT / "docs").glob("*.md")
              for label in re.findall(r"^\(([a-z0-9]+(?:-[a-z0-9]+)+)\)=$",
                                      source.read_text(encoding="utf-8"), re.M)}
    assert labels
    for chapter, pdf in handout_pdfs.items():
        text = " ".join(pdf_text(pdf).split())
        raw = sorted(label for label in labels if re.search(rf"(?<![\w-]){label}(?![\w-])", text))
        assert not raw, (chapter, raw)


def test_chapter_pages_link_their_handout(book_html):
    for chapter in CHAPTERS:
        soup = BeautifulSoup(book_html.page(f"{chapter}.html"), "html.parser")
        link = soup.select_one("a.download-handout")
        assert link and link["href"].endswith(f"handouts/handout-{chapter}.pdf"), chapter


def test_downloads_page_lists_book_and_every_handout(book_html):
    soup = BeautifulSoup(book_html.page("downloads.html"), "html.parser")
    files = [a.get_text() for a in soup.select("table.downloads a[href$='.pdf']")]
    assert files[:2] == ["baclofen-clinical-book.pdf", "quick-reference.pdf"]
    assert sorted(files[2:]) == sorted(f"handout-{c}.pdf" for c in CHAPTERS)


def test_downloads_page_names_each_chapter_by_its_title_in_a_clean_build(book_html):
    """The session build is a clean build: chapters read after the Downloads page still
    appear under their titles, not their file names."""
    soup = BeautifulSoup(book_html.page("downloads.html"), "html.parser")
    chapters = {a["href"]: a.get_text() for a in soup.select("table.downloads a[href$='.html']")}
    for chapter in CHAPTERS:
        title = BeautifulSoup(book_html.page(f"{chapter}.html"), "html.parser").h1.get_text()
        assert chapters[f"{chapter}.html"] == title.rstrip("#").strip(), chapter


def test_handout_has_the_chapter_questions_and_answers_at_the_end(handout_pdfs):
    for chapter, pdf in handout_pdfs.items():
        text = pdf_text(pdf)
        body = text[text.index("Evidence last reviewed"):]  # after the contents list
        questions = body.index("Self-assessment questions")
        answers = body.rindex("Answers")
        assert questions < body.rindex("References") < answers, chapter
        first_answer = body.find("Answer: ")
        assert first_answer > answers, f"{chapter}: an answer is printed before the end"
        assert body.count("Answer: ") >= 5, chapter


def test_handouts_carry_the_cases_that_link_to_their_chapter(handout_pdfs):
    text = " ".join(pdf_text(handout_pdfs["withdrawal"]).split())
    body = text[text.index("Evidence last reviewed"):]
    assert "Clinical cases" in body and "Case 1: a pump alarm" in body
    assert body.index("Case 1: discussion") > body.rindex("Answers")
    every = " ".join(" ".join(pdf_text(pdf).split()) for pdf in handout_pdfs.values())
    for case in range(1, 7):
        assert f"Case {case}: discussion" in every, f"case {case} is in no handout"
