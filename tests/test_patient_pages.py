"""The plain-language pages for patients and families stay plain and safe.

Readability: every page in ``docs/patients/`` must read at or below US grade 8
on the Flesch–Kincaid scale (the editorial policy's target for these pages).
The grade is computed with textstat on the prose a reader sees: front matter,
MyST directives (fences, options, toctree and include bodies), labels,
citations and link targets are stripped first; headings, list items and table
cells count as sentences of their own. Admonition bodies are prose and count.

Shape: each page has a review date, the disclaimer and the emergency box,
cites its sources, links to the clinical chapters, and is listed in the
folder's index.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml

from conftest import ROOT

PATIENTS = ROOT / "docs" / "patients"
PAGES = sorted(PATIENTS.glob("*.md"))
MAX_GRADE = 8.0
EXPECTED = ["what-baclofen-is-for", "taking-baclofen-safely", "stopping-baclofen",
            "overdose-signs", "pumps", "getting-help"]

FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{[\w:-]+\})?")
BODY_IS_NOT_PROSE = {"{toctree}", "{include}", "{bibliography}", "{graphviz}", "{code-block}"}
CITATION = re.compile(r"\s*\{cite:[pt]\}`[^`]*`")
ROLE_WITH_TITLE = re.compile(r"\{\w+(?::\w+)?\}`([^`<]*?)\s*<[^`]*>`")
ROLE = re.compile(r"\{\w+(?::\w+)?\}`([^`]*)`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
SUBSTITUTION = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def load_facts() -> dict:
    path = ROOT / "docs" / "_data" / "facts.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def substitute(match: re.Match, facts: dict) -> str:
    key = match.group(1)
    if key.startswith("facts.") and key.endswith(".value"):
        key = key[len("facts."):-len(".value")]
    return str(facts.get(key, {}).get("value", key))


def sentence(text: str) -> str:
    text = text.strip().rstrip(";,")
    if text and text[-1] not in ".!?:":
        text += "."
    return text


def prose(markdown: str, facts: dict | None = None) -> str:
    """The text a reader reads, one sentence-like unit per line."""
    facts = load_facts() if facts is None else facts
    if markdown.startswith("---\n"):
        markdown = markdown.split("---\n", 2)[2]
    units: list[str] = []
    stack: list[tuple[str, bool]] = []  # (closing fence, body is prose)
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            units.append(" ".join(paragraph))
            paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        fence = FENCE.match(line)
        if fence:
            flush()
            marker, name = fence.group(1), fence.group(2)
            if stack and line == stack[-1][0]:
                stack.pop()
            elif name or not stack or stack[-1][1]:
                stack.append((marker, name not in BODY_IS_NOT_PROSE))
            continue
        if stack and not stack[-1][1]:
            continue
        if not line or re.fullmatch(r"\([\w-]+\)=", line) or re.fullmatch(r":[\w-]+:.*", line):
            flush()
            continue
        if line.startswith("<!--") or re.fullmatch(r"\|?[-:| ]+\|?", line):
            continue
        line = CITATION.sub("", line)
        line = ROLE_WITH_TITLE.sub(r"\1", line)
        line = ROLE.sub(r"\1", line)
        line = LINK.sub(r"\1", line)
        line = SUBSTITUTION.sub(lambda m: substitute(m, facts), line)
        line = re.sub(r"[*_]{1,2}(\S[^*_]*?)[*_]{1,2}", r"\1", line)
        if line.startswith("#"):
            flush()
            units.append(sentence(line.lstrip("#")))
        elif re.match(r"([-*+]|\d+\.)\s", line):
            flush()
            units.append(sentence(re.sub(r"^([-*+]|\d+\.)\s+", "", line)))
        elif line.startswith("|"):
            flush()
            units.extend(sentence(cell) for cell in line.strip("|").split("|") if cell.strip())
        else:
            paragraph.append(line)
    flush()
    return "\n".join(sentence(unit) for unit in units if unit.strip())


def grade(markdown: str) -> float:
    return textstat.flesch_kincaid_grade(prose(markdown))


# -- The measuring stick itself --------------------------------------------------

def test_prose_drops_markup_that_readers_do_not_read():
    page = "\n".join([
        "---", "last-reviewed: 2026-11-25", "---", "", "(patients-x)=", "# A title", "",
        "```{include} ../_snippets/disclaimer.md", "```", "",
        "Baclofen helps {cite:p}`Baclofen2021label`.",
        "See [the withdrawal chapter](../withdrawal.md) and {ref}`more <withdrawal-oral>`.",
        "", ":::{warning}", ":class: x", "Call **911** now.", ":::", "",
        "```{toctree}", ":hidden:", "pumps", "```", "", "- a list item",
        "| Sign | What to do |", "|---|---|", "| Fever | Get help |",
    ])
    text = prose(page, facts={})
    assert text.splitlines() == [
        "A title.", "Baclofen helps. See the withdrawal chapter and more.", "Call 911 now.",
        "a list item.", "Sign.", "What to do.", "Fever.", "Get help.",
    ]
    for hidden in ("last-reviewed", "disclaimer.md", "cite", "../", "withdrawal-oral",
                   ":class:", "pumps"):
        assert hidden not in text


def test_prose_renders_shared_facts_as_readers_see_them():
    facts = {"oral_max": {"value": "80 mg a day", "cite": "Key"}}
    assert prose("At most {{ facts.oral_max.value }}.", facts) == "At most 80 mg a day."
    assert prose("At most {{ oral_max }}.", facts) == "At most 80 mg a day."


def test_grade_check_fails_on_clinical_prose():
    # A sentence in the style of the clinical chapters must not pass as plain language.
    hard = ("Abrupt discontinuation of intrathecal baclofen, regardless of the cause, has "
            "resulted in sequelae including hyperpyrexia, altered mental status, exaggerated "
            "rebound spasticity and muscle rigidity, progressing in rare cases to "
            "rhabdomyolysis and multiple organ-system failure.")
    assert grade(hard) > MAX_GRADE


# -- The pages -------------------------------------------------------------------

def test_folder_has_every_planned_page_and_an_index():
    names = {page.stem for page in PAGES}
    assert {"index", *EXPECTED} <= names, sorted(names)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_reads_at_grade_8_or_below(page):
    score = grade(page.read_text(encoding="utf-8"))
    assert score <= MAX_GRADE, (
        f"docs/patients/{page.name} reads at US grade {score:.1f} (Flesch–Kincaid); "
        f"the limit is {MAX_GRADE}: use shorter sentences and shorter words")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_has_review_date_disclaimer_and_emergency_box(page):
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), "no front matter"
    meta = yaml.safe_load(text.split("---\n", 2)[1])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["last-reviewed"]))
    assert "```{include} ../_snippets/disclaimer.md" in text
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
