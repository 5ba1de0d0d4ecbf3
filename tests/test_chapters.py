"""Every clinical chapter has the same trustworthy shape, checked on its source
and on the built page: front matter, objectives, key points, a table, the
disclaimer, the emergency box where needed, and its references at the end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

DOCS = ROOT / "docs"
CLINICAL = ["pharmacology", "clinical-use", "special-populations", "off-label-use",
            "misuse-and-abuse", "overdose-and-toxicity", "withdrawal", "treatment"]
EMERGENCY = ["misuse-and-abuse", "overdose-and-toxicity", "withdrawal", "treatment"]
PHONE = re.compile(r"\*\*(\d{3}(?:-\d{3}-\d{3}-\d{4})?|\d-\d{3}-\d{3}-\d{4})\*\*")


def source(name: str) -> str:
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    assert text.startswith("---\n"), "no front matter"
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.mark.parametrize("name", CLINICAL)
def test_chapter_has_review_date_objectives_key_points_and_table(name):
    text = source(name)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(front_matter(text)["last-reviewed"]))
    assert ":class: learning-objectives" in text
    assert ":class: key-points" in text
    has_table = re.search(r"^\|.*\|\s*\n\|[-:| ]+\|\s*$", text, re.M) or "{list-table}" in text
    assert has_table or "{graphviz}" in text, "no table or flowchart"
    assert "```{include} _snippets/disclaimer.md" in text


@pytest.mark.parametrize("name", CLINICAL)
def test_chapter_ends_with_its_references(name):
    text = source(name).rstrip()
    tail = text[text.rindex("\n## "):]
    assert tail.startswith("\n## References")
    assert "```{bibliography}" in tail and ":filter: docname in docnames" in tail


@pytest.mark.parametrize("name", EMERGENCY)
def test_emergency_chapters_include_the_help_box(name):
    assert "```{include} _snippets/emergency-help.md" in source(name)


def test_help_numbers_on_every_emergency_page_equal_the_single_source(book_html):
    snippet = (DOCS / "_snippets" / "emergency-help.md").read_text(encoding="utf-8")
    numbers = PHONE.findall(snippet)
    assert {"911", "1-800-222-1222", "1-800-662-4357", "988"} <= set(numbers)
    for name in EMERGENCY:
        soup = BeautifulSoup(book_html.page(f"{name}.html"), "html.parser")
        box = soup.select_one(".admonition.emergency-help")
        assert box is not None, name
        shown = re.findall(r"\b(?:\d-\d{3}-\d{3}-\d{4}|911|988)\b", box.get_text(" "))
        assert sorted(set(shown)) == sorted(set(numbers)), name
