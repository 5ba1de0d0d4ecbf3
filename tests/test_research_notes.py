"""Every clinical chapter says how it was researched, and the note agrees with the review date.

Issue 18: each clinical chapter ends with a short "How this chapter was researched" section
(when the evidence was searched, where, with which terms, what kinds of sources were
included). Its date must be the chapter's ``last-reviewed`` date, written either as in the
front matter (2026-12-06) or in words (6 December 2026).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = yaml.safe_load((DOCS / "_data" / "pages.yml").read_text(encoding="utf-8"))
CLINICAL = sorted(name for name, roles in PAGES.items() if "clinical" in roles)
HEADING = "## How this chapter was researched"


def research_note(text: str) -> str:
    """The section's text, from its heading to the next heading of the same level."""
    start = text.index(HEADING)
    rest = text[start + len(HEADING):]
    end = re.search(r"^## ", rest, re.M)
    return rest[: end.start()] if end else rest


def review_date(text: str) -> dt.date:
    front = yaml.safe_load(text.split("---\n", 2)[1])
    value = front["last-reviewed"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def date_forms(date: dt.date) -> tuple[str, str]:
    return date.isoformat(), f"{date.day} {date:%B %Y}"


def test_there_are_clinical_chapters():
    assert len(CLINICAL) >= 8, CLINICAL


@pytest.mark.parametrize("name", CLINICAL)
def test_clinical_chapter_says_how_it_was_researched(name):
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    assert HEADING in text, f"docs/{name}.md has no '{HEADING}' section"
    note = research_note(text)
    assert len(note.split()) >= 40, f"docs/{name}.md: the research note is too short to say " \
                                    "when, where, with which terms and what was included"
    assert any(form in note for form in date_forms(review_date(text))), (
        f"docs/{name}.md: the research note does not give the chapter's last-reviewed date "
        f"({review_date(text).isoformat()})")


def test_a_note_with_another_date_is_caught():
    text = ("---\nlast-reviewed: 2026-12-06\n---\n\n# X\n\n" + HEADING + "\n\n"
            "Evidence last checked on 2026-11-25. " + "word " * 40 + "\n\n## References\n")
    assert not any(form in research_note(text) for form in date_forms(review_date(text)))
    assert "6 December 2026" in date_forms(review_date(text))
