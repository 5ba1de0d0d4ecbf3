"""The data behind search.html (bookext.features.search); the search itself runs in Chromium in
tests/test_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from bookext.features.search import sections_of
from conftest import sphinx_build

CITATION_KEY = re.compile(r"\b[A-Z][A-Za-z]+(?:19|20)\d\d[a-z]+\b")  # e.g. Ozobax2021label


def search_data(outdir: Path) -> dict:
    text = (outdir / "searchdata.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1: text.rindex(";")])


def parse_rst(text: str) -> nodes.document:
    document = new_document("test.rst", get_default_settings(Parser))
    Parser().parse(text, document)
    return document


def test_each_section_is_a_record_without_its_subsections():
    doctree = parse_rst("Title\n=====\n\nIntro text.\n\nPart\n----\n\nPart text.\n")
    records = sections_of(doctree)
    assert [r["title"] for r in records] == ["Title", "Part"]
    assert records[0]["anchor"] == "" and records[0]["text"] == "Intro text."
    assert records[1]["anchor"] == "part" and records[1]["text"] == "Part text."


def test_citation_keys_are_left_out_of_the_text():
    doctree = parse_rst("Title\n=====\n\nA trial found it.\n")
    paragraph = next(doctree.findall(nodes.paragraph))
    cite = addnodes.pending_xref("", nodes.Text("Fixture2020first"), refdomain="cite")
    paragraph += [nodes.Text(" "), cite]
    assert sections_of(doctree)[0]["text"] == "A trial found it."


def test_book_search_data_points_at_real_sections(book_html):
    data = search_data(book_html.outdir)
    withdrawal = [s for s in data["sections"] if s["page"] == "withdrawal"]
    assert len(withdrawal) > 5
    assert withdrawal[0]["anchor"] == "" and withdrawal[0]["title"] == "Withdrawal"
    page = book_html.page("withdrawal.html")
    for record in withdrawal[1:]:
        assert f'id="{record["anchor"]}"' in page, record["anchor"]
    for record in data["sections"]:
        assert not CITATION_KEY.search(record["text"]), (record["page"], record["title"])
    assert not {"search", "genindex"} & {s["page"] for s in data["sections"]}


def test_cross_references_read_as_their_titles_not_their_labels(book_html):
    """{ref}`special-populations-kidney` shows "Kidney impairment" on the page; the search
    snippet says the same, even where the target page is read after the citing one."""
    texts = [s["text"] for s in search_data(book_html.outdir)["sections"]]
    assert not [t for t in texts if "\x00" in t or "special-populations-kidney" in t]
    clinical = " ".join(s["text"] for s in search_data(book_html.outdir)["sections"]
                        if s["page"] == "clinical-use")
    assert "Kidney impairment" in clinical
    downloads = " ".join(s["text"] for s in search_data(book_html.outdir)["sections"]
                         if s["page"] == "downloads")
    assert "Chapter handout: Approved clinical use" in downloads


def test_book_search_data_carries_the_synonyms(book_html):
    synonyms = search_data(book_html.outdir)["synonyms"]
    assert synonyms["itb"] == ["intrathecal baclofen"]
    assert "alcohol use disorder" in synonyms["aud"]


def write_synonyms(book: Path, text: str) -> None:
    (book / "docs" / "_data" / "search-synonyms.yml").write_text(text, encoding="utf-8")


def build(book: Path):
    return sphinx_build(book, "html", book / "_build" / "html")


def test_invalid_synonyms_yaml_fails_the_build_naming_the_file(fixture_book):
    write_synonyms(fixture_book, "itb: [intrathecal baclofen\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "search-synonyms.yml" in result.output and "not valid YAML" in result.output


def test_a_synonym_without_phrases_is_named(fixture_book):
    write_synonyms(fixture_book, "itb: 3\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "search synonym 'itb' needs a list of phrases" in result.output


def test_a_rebuild_of_one_page_keeps_every_page_searchable(fixture_book):
    write_synonyms(fixture_book, "fx: [fixturine]\n")
    assert build(fixture_book).returncode == 0
    chapter = fixture_book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text() + "\nA newly added sentence.\n")
    result = build(fixture_book)
    assert result.returncode == 0, result.output
    data = search_data(result.outdir)
    pages = {s["page"] for s in data["sections"]}
    assert {"index", "chapter"} <= pages
    assert any("newly added sentence" in s["text"] for s in data["sections"])
    assert data["synonyms"] == {"fx": ["fixturine"]}
