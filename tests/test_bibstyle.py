"""The reference style: DOI and PubMed links, titles as written, each entry formatted once."""

from __future__ import annotations

from types import SimpleNamespace

from pybtex.database import parse_string

from conftest import ROOT  # noqa: F401  (puts the project on sys.path)
from bookext.features import bibstyle
from bookext.features.bibstyle import BookStyle

BIB = parse_string("""
@article{Fixture2020first,
  author = {Fixture, Ann},
  title = {GABA-B agonists and GABLOFEN in a fictional study},
  journal = {Journal of Test Fixtures},
  year = {2020},
  doi = {10.5555/fixture.1},
  pmid = {11111111},
  url = {https://example.org/not-shown-when-there-is-a-doi},
}
""", "bibtex")


def render(formatted) -> str:
    return formatted.text.render_as("text")


def test_doi_and_pubmed_links_and_no_redundant_url():
    text = render(BookStyle().format_entry("1", BIB.entries["Fixture2020first"]))
    assert "doi: 10.5555/fixture.1" in text and "PMID: 11111111" in text
    assert "example.org" not in text


def test_title_keeps_its_capitals():
    text = render(BookStyle().format_entry("1", BIB.entries["Fixture2020first"]))
    assert "GABA-B agonists and GABLOFEN" in text


def test_an_entry_is_formatted_once_and_keeps_each_label():
    entry = BIB.entries["Fixture2020first"]
    first, second = BookStyle().format_entry("1", entry), BookStyle().format_entry("7", entry)
    assert second.text is first.text
    assert (first.label, second.label) == ("1", "7")


def test_a_changed_entry_is_formatted_again():
    entry = parse_string(BIB.to_string("bibtex"), "bibtex").entries["Fixture2020first"]
    before = render(BookStyle().format_entry("1", entry))
    entry.fields["title"] = "A corrected title"
    after = render(BookStyle().format_entry("1", entry))
    assert "A corrected title" in after and "A corrected title" not in before


def test_formatted_texts_are_kept_for_the_next_build_only_with_the_same_style(tmp_path,
                                                                              monkeypatch):
    app = SimpleNamespace(doctreedir=str(tmp_path))
    entry = BIB.entries["Fixture2020first"]
    first = BookStyle().format_entry("1", entry)
    bibstyle.save_texts(app, None)
    monkeypatch.setattr(BookStyle, "_texts", {})
    bibstyle.load_texts(app)  # next build: the text comes from the file, not from pybtex
    monkeypatch.setattr(bibstyle.UnsrtStyle, "format_entry", fail_if_called)
    again = BookStyle().format_entry("2", entry)
    assert render(again) == render(first) and again.label == "2"

    monkeypatch.setattr(BookStyle, "_texts", {})
    monkeypatch.setattr(bibstyle, "STAMP", ("another version of the style", "0"))
    bibstyle.load_texts(app)  # a changed style (or pybtex) starts from nothing
    assert BookStyle._texts == {}


def fail_if_called(*args, **kwargs):
    raise AssertionError("the entry was formatted again")


TWO = parse_string("""
@article{Zed2020late, author = {Zed, Zoe}, title = {Z}, journal = {J}, year = {2020}, doi = {10.5555/z}}
@article{Abe2021early, author = {Abe, Al}, title = {A}, journal = {J}, year = {2021}, doi = {10.5555/a}}
""", "bibtex")


def test_vancouver_lists_keep_the_citation_order_and_the_book_style_sorts_by_author():
    from bookext.features.bibstyle import VancouverStyle
    entries = [TWO.entries["Zed2020late"], TWO.entries["Abe2021early"]]
    assert [e.key for e in VancouverStyle().sort(entries)] == ["Zed2020late", "Abe2021early"]
    assert [e.key for e in BookStyle().sort(entries)] == ["Abe2021early", "Zed2020late"]
    assert list(VancouverStyle().format_labels(entries)) == ["1", "2"]


def test_both_styles_share_one_formatted_text_per_entry():
    from bookext.features.bibstyle import VancouverStyle
    entry = TWO.entries["Zed2020late"]
    assert VancouverStyle().format_entry("3", entry).text is BookStyle().format_entry("9", entry).text
