"""The plain-language pages for patients and families stay plain and safe.

Readability: every page in ``docs/patients/`` must read at or below US grade 8 on
the Flesch–Kincaid scale (the editorial policy's target), measured with textstat
on the text as the reader sees it in the built HTML: each paragraph, list item,
table cell and heading is a sentence of its own; citation numbers, the
disclaimer and the emergency box count (readers see them); the reference list,
heading anchors and hidden range links do not.

Shape and safety: each page has a review date, the patients' disclaimer and the
emergency box, cites its sources, links to the clinical chapters, is listed in
the folder's index, and tells readers to call 911 for the same signs the
emergency box names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

PATIENTS = ROOT / "docs" / "patients"
PAGES = sorted(PATIENTS.glob("*.md"))
MAX_GRADE = 8.0
EXPECTED = ["what-baclofen-is-for", "taking-baclofen-safely", "stopping-baclofen",
            "overdose-signs", "pumps", "getting-help"]
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "dt", "dd", "caption"}
NOT_READ = ".citation-list, div.citation, a.headerlink, .cite-range-hidden, script, style"
# The emergency box's reasons to call 911; every patient page that says "call 911" names them.
TRIGGERS = ("woken", "breathing", "seizure")


def sentence(text: str) -> str:
    text = " ".join(text.split()).strip().rstrip(";,")
    if text and text[-1] not in ".!?:":
        text += "."
    return text


def displayed_units(html: str) -> list[str]:
    """The article's text as displayed, one sentence-like unit per block."""
    article = BeautifulSoup(html, "html.parser").select_one("article") 
    for hidden in article.select(NOT_READ):
        hidden.decompose()
    units = []
    for block in article.find_all(list(BLOCKS)):
        own = []
        for text in block.find_all(string=True):
            parent = text.parent
            while parent is not None and parent.name not in BLOCKS:
                parent = parent.parent
            if parent is block:
                own.append(str(text))
        unit = sentence("".join(own))
        if unit:
            units.append(unit)
    return units


def grade(html: str) -> float:
    return textstat.flesch_kincaid_grade("\n".join(displayed_units(html)))


@pytest.fixture(scope="module")
def built(book_html):
    assert book_html.returncode == 0, book_html.output
    return lambda name: book_html.page(f"patients/{name}.html")


# -- The measuring stick itself --------------------------------------------------

def test_displayed_text_keeps_citations_and_boxes_and_drops_the_reference_list():
    html = """<article><h1>A title<a class="headerlink" href="#t">#</a></h1>
      <div class="admonition"><p>Call <a href="tel:911">911</a> now.</p></div>
      <p>Baclofen helps<span class="bibtex-citation"><sup><a href="#c1">1</a>–<a
      class="cite-range-hidden" href="#c2">2</a><a href="#c3">3</a></sup></span>.</p>
      <ul><li><p>a list item</p></li></ul>
      <table><tr><td><p>Fever</p></td><td><p>Get help</p></td></tr></table>
      <div role="list" class="citation-list"><div class="citation"><p>Ref text</p></div></div>
      </article>"""
    assert displayed_units(html) == ["A title.", "Call 911 now.", "Baclofen helps1–3.",
                                     "a list item.", "Fever.", "Get help."]


def test_grade_check_fails_on_clinical_prose():
    # A sentence in the style of the clinical chapters must not pass as plain language.
    hard = ("<article><p>Abrupt discontinuation of intrathecal baclofen, regardless of the "
            "cause, has resulted in sequelae including hyperpyrexia, altered mental status, "
            "exaggerated rebound spasticity and muscle rigidity, progressing in rare cases to "
            "rhabdomyolysis and multiple organ-system failure.</p></article>")
    assert grade(hard) > MAX_GRADE


# -- The pages -------------------------------------------------------------------

def test_folder_has_every_planned_page_and_an_index():
    names = {page.stem for page in PAGES}
    assert {"index", *EXPECTED} <= names, sorted(names)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_reads_at_grade_8_or_below_as_displayed(page, built):
    score = grade(built(page.stem))
    assert score <= MAX_GRADE, (
        f"docs/patients/{page.name} reads at US grade {score:.1f} (Flesch–Kincaid, on the "
        f"built page); the limit is {MAX_GRADE}: use shorter sentences and shorter words")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_has_review_date_disclaimer_and_emergency_box(page):
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), "no front matter"
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["last-reviewed"]))
    assert "```{include} ../_snippets/disclaimer-patients.md" in text
    assert "```{include} ../_snippets/emergency-help.md" in text


@pytest.mark.parametrize("name", EXPECTED)
def test_page_cites_sources_and_links_to_the_chapters(name):
    text = (PATIENTS / f"{name}.md").read_text(encoding="utf-8")
    assert "{cite:p}`" in text, "no citation"
    chapters = re.findall(r"\]\(\.\./([\w-]+)\.md", text)
    assert chapters, "no link to a clinical chapter"
    for chapter in chapters:
        assert (ROOT / "docs" / f"{chapter}.md").exists(), chapter
    assert "```{bibliography}" in text and ":filter: docname in docnames" in text


def test_index_lists_every_page_in_its_toctree():
    text = (PATIENTS / "index.md").read_text(encoding="utf-8")
    toctree = re.search(r"```\{toctree\}\n(.*?)```", text, re.S)
    assert toctree, "no toctree"
    entries = [line.strip() for line in toctree.group(1).splitlines()
               if line.strip() and not line.strip().startswith(":")]
    assert entries == EXPECTED


def test_patients_disclaimer_speaks_to_patients_and_families():
    text = (ROOT / "docs" / "_snippets" / "disclaimer-patients.md").read_text(encoding="utf-8")
    assert ":class: disclaimer" in text
    assert "your own doctor" in text.lower() and "family" in text.lower()
    assert "health professionals" not in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_call_911_names_the_same_signs_as_the_emergency_box(page, built):
    units = displayed_units(built(page.stem))
    box = [u for u in units if "911" in u and "cannot be woken" in u.lower()][0]
    assert all(word in box.lower() for word in TRIGGERS), box
    for unit in units:
        if re.search(r"\bcall 911\b", unit, re.I):
            missing = [word for word in TRIGGERS if word not in unit.lower()]
            assert not missing, f"{page.name}: '{unit}' leaves out {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_help_lines_are_tap_to_call_links(page, built):
    soup = BeautifulSoup(built(page.stem), "html.parser")
    links = {a["href"] for a in soup.select("article a[href^='tel:'], article a[href^='sms:']")}
    assert {"tel:911", "tel:+18002221222", "tel:+18006624357", "tel:988", "sms:988"} <= links


def test_safety_points_a_review_asked_for():
    read = lambda name: (PATIENTS / f"{name}.md").read_text(encoding="utf-8")
    stopping, helping, safely = read("stopping-baclofen"), read("getting-help"), \
        read("taking-baclofen-safely")
    assert "emergency room, or call 911" in stopping          # oral withdrawal signs: act now
    assert "low blood pressure" in stopping and "low blood pressure" in read("pumps")
    assert "52 of every 100" in helping and "Reynolds2019trends" in helping
    assert "do not have to go to a hospital" not in helping
    assert "do not stop baclofen on your own because of this advice" in safely
    for point in ("forget a dose", "with food", "syringe", "1 hour", "fridge",
                  "breast milk", "granules"):
        assert point in safely, point
