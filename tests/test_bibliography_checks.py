"""A contributor's mistake in references.bib or a citation fails the build,
with a message that names the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, build_in_process, cli_build

from bookext.checks import bibcheck

GOOD_ENTRY = """
@article{Fixture2022second,
  author  = {Second, Carla},
  title   = {Another fictional article},
  journal = {Journal of Test Fixtures},
  year    = {2022},
  volume  = {3},
  pages   = {20--29},
  doi     = {10.5555/fixture.2},
}
"""


def build(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


def add_entry(book: Path, entry: str) -> int:
    """Append an entry to the fixture's references.bib; return its first line."""
    bib = book / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text + entry, encoding="utf-8")
    return text.count("\n") + 1 + entry[: entry.index("@")].count("\n")


def cite_in_chapter(book: Path, key: str) -> None:
    chapter = book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace(
        "A trial found", f"Also {{cite:p}}`{key}`. A trial found"), encoding="utf-8")


def test_clean_fixture_builds_without_warnings(fixture_book):
    result = build(fixture_book)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output


def test_unknown_citation_key_names_file_and_line(fixture_book):
    cite_in_chapter(fixture_book, "Smith2020x")
    result = build(fixture_book)
    assert result.returncode != 0
    assert 'chapter.md:7: WARNING: could not find bibtex key "Smith2020x"' in result.output


def test_malformed_entry_names_bib_file_and_line(fixture_book):
    line = add_entry(fixture_book, "\n@article{Broken2020entry,\n  title = {Missing brace,\n"
                                   "  year = 2020\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: malformed entry 'Broken2020entry'" in result.output
    assert "check the braces" in result.output


def test_build_after_fixing_a_malformed_entry_succeeds(fixture_book):
    """The failed build read the bibliography from a copy without the broken entry; the
    next build, with the entry fixed, must not look for that copy (it crashed once)."""
    bib = fixture_book / "references.bib"
    clean = bib.read_text(encoding="utf-8")
    add_entry(fixture_book, "\n@article{Broken2020entry,\n  title = {Missing brace,\n")
    assert cli_build(fixture_book).returncode != 0
    bib.write_text(clean, encoding="utf-8")
    result = cli_build(fixture_book)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output


def test_duplicate_key_names_both_lines(fixture_book):
    bib = (fixture_book / "references.bib").read_text()
    first = bib[: bib.index("@article{Fixture2020first")].count("\n") + 1
    second = add_entry(fixture_book, GOOD_ENTRY.replace("Fixture2022second", "Fixture2020first"))
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{second}: WARNING: duplicate key 'Fixture2020first'" in result.output
    assert f"first defined on line {first}" in result.output


def test_entry_without_identifier_is_rejected(fixture_book):
    line = add_entry(fixture_book, GOOD_ENTRY.replace("  doi     = {10.5555/fixture.2},\n", ""))
    cite_in_chapter(fixture_book, "Fixture2022second")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: entry 'Fixture2022second' has no doi, pmid or url" \
        in result.output


def test_malformed_doi_and_pmid_are_rejected(fixture_book):
    line = add_entry(fixture_book, GOOD_ENTRY.replace(
        "10.5555/fixture.2", "https://doi.org/10.5555/fixture.2").replace(
        "  year", "  pmid    = {PMID 123},\n  year"))
    cite_in_chapter(fixture_book, "Fixture2022second")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: entry 'Fixture2022second': doi" in result.output
    assert "pmid 'PMID 123' is malformed" in result.output


def test_two_entries_for_the_same_work_are_rejected(fixture_book):
    line = add_entry(fixture_book, GOOD_ENTRY.replace("fixture.2", "fixture.1"))
    cite_in_chapter(fixture_book, "Fixture2022second")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"references.bib:{line}: WARNING: entry 'Fixture2022second' has the same doi "
            "as 'Fixture2020first'") in result.output


def test_missing_required_field_is_rejected(fixture_book):
    line = add_entry(fixture_book, GOOD_ENTRY.replace(
        "  journal = {Journal of Test Fixtures},\n", ""))
    cite_in_chapter(fixture_book, "Fixture2022second")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: entry 'Fixture2022second' (@article) has no " \
           "'journal' field" in result.output


def test_local_file_and_junk_fields_are_rejected(fixture_book):
    line = add_entry(fixture_book, GOOD_ENTRY.replace(
        "  year", "  file    = {/home/me/papers/second.pdf},\n  year"))
    cite_in_chapter(fixture_book, "Fixture2022second")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: entry 'Fixture2022second' has a 'file' field" \
        in result.output


def test_uncited_entry_is_listed(fixture_book):
    add_entry(fixture_book, GOOD_ENTRY)
    result = build(fixture_book)
    assert result.returncode != 0
    assert "1 entries are never cited: Fixture2022second" in result.output


# -- The completeness rules of the editorial policy (issue 18) -----------------------------

def assert_rejected(book: Path, entry: str, message: str) -> None:
    """The entry, cited, fails the build with `message` at the entry's first line."""
    line = add_entry(book, entry)
    cite_in_chapter(book, "Fixture2022second")
    result = build(book)
    assert result.returncode != 0
    assert f"references.bib:{line}: WARNING: entry 'Fixture2022second'{message}" \
        in result.output, result.output


def assert_accepted(book: Path, entry: str) -> None:
    add_entry(book, entry)
    cite_in_chapter(book, "Fixture2022second")
    result = build(book)
    assert result.returncode == 0, result.output


def test_complete_article_is_accepted(fixture_book):
    assert_accepted(fixture_book, GOOD_ENTRY)


def test_article_without_volume_is_rejected(fixture_book):
    assert_rejected(fixture_book, GOOD_ENTRY.replace("  volume  = {3},\n", ""),
                    " (@article) has no 'volume' field — copy it from the journal's record")


def test_article_without_pages_is_rejected(fixture_book):
    assert_rejected(fixture_book, GOOD_ENTRY.replace("  pages   = {20--29},\n", ""),
                    " (@article) has no 'pages' field")


def test_article_with_only_a_url_is_rejected(fixture_book):
    assert_rejected(fixture_book, GOOD_ENTRY.replace(
        "doi     = {10.5555/fixture.2}", "url     = {https://example.org/second}"),
        " (@article) has neither doi nor pmid")


def test_article_online_ahead_of_print_needs_no_volume_or_pages(fixture_book):
    assert_accepted(fixture_book, GOOD_ENTRY.replace("  volume  = {3},\n", "").replace(
        "  pages   = {20--29},\n", "  note    = {Published online 2 May 2022, ahead of print},\n"))


def test_journal_article_typed_misc_is_rejected(fixture_book):
    # The mistake of Kiel2015nationwide in edition 0.2: an article entered as @misc.
    assert_rejected(fixture_book, GOOD_ENTRY.replace("@article", "@misc"),
                    " is @misc but has a 'journal' field: it is a journal article")


MISC_ARTICLE = """
@misc{Fixture2022second,
  author       = {Second, Carla},
  title        = {Another fictional article},
  howpublished = {Journal article; record in a university research portal},
  year         = {2022},
  url          = {https://example.org/portal/second},
}
"""


def test_misc_described_as_a_journal_article_is_rejected(fixture_book):
    # The mistake of Kiel2015nationwide and Chauvin2020baclofen until edition 0.4: a journal
    # article entered as @misc without journal fields, so that nothing showed what it lacked.
    assert_rejected(fixture_book, MISC_ARTICLE,
                    " is @misc but is described as a journal article: a journal article is "
                    "@article")


def test_misc_with_a_pmid_or_a_doi_address_is_rejected(fixture_book):
    # Li2014effects (a PMID) and the Cochrane updates (a DOI address) until edition 0.4.
    assert_rejected(fixture_book, MISC_ARTICLE.replace(
        "Journal article; record in a university research portal", "An index record").replace(
        "https://example.org/portal/second", "https://doi.org/10.5555/fixture.2"),
        " is @misc but holds a DOI in its address or description")


def assert_accepted_and_listed_unverified(book, entry: str) -> None:
    """The entry builds, and the build's info line lists it among the declared gaps."""
    add_entry(book, entry)
    cite_in_chapter(book, "Fixture2022second")
    result = cli_build(book)
    assert result.returncode == 0, result.output
    assert "1 entries name fields that could not be verified" in result.output


def test_misc_journal_article_declaring_what_no_record_showed_is_accepted(fixture_book):
    assert_accepted_and_listed_unverified(fixture_book, MISC_ARTICLE.replace(
        "  year", "  unverified   = {journal, volume, pages, doi: not on the records searched},\n"
        "  year"))


def test_misc_for_a_label_is_accepted(fixture_book):
    assert_accepted(fixture_book, MISC_ARTICLE.replace(
        "Journal article; record in a university research portal",
        "DailyMed, US National Library of Medicine"))


def test_search_page_address_is_rejected(fixture_book):
    # The mistake of BaclofenEywa2022label in edition 0.2: a DailyMed search address.
    assert_rejected(fixture_book, GOOD_ENTRY.replace(
        "  year", "  url     = {https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=123},\n"
        "  year"), ": url 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=123' is a "
        "search or query page")


def test_http_address_of_an_https_host_is_rejected(fixture_book):
    assert_rejected(fixture_book, GOOD_ENTRY.replace(
        "  year", "  url     = {http://www.fda.gov/medwatch/SAFETY/2002/x.htm},\n  year"),
        ": url starts with http:// but www.fda.gov serves https:// (US federal websites")


def test_http_address_of_another_host_is_allowed(fixture_book):
    assert_accepted(fixture_book, GOOD_ENTRY.replace(
        "  year", "  url     = {http://example.org/second},\n  year"))


def test_same_title_first_author_and_year_is_one_work(fixture_book):
    # Different key and DOI, same work: the title differs only in case and punctuation.
    assert_rejected(fixture_book, GOOD_ENTRY.replace(
        "Second, Carla", "Fixture, A. and Other, Ed").replace(
        "Another fictional article", "A Fictional Article -- used only by the {Tests}.").replace(
        "year    = {2022}", "year    = {2020}"),
        " has the same title, first author and year as 'Fixture2020first'")


def test_declared_unverified_field_is_accepted_and_listed(fixture_book):
    assert_accepted_and_listed_unverified(fixture_book, GOOD_ENTRY.replace(
        "  volume  = {3},\n", "  unverified = {volume: not shown on the records searched},\n"))


def test_search_page_declared_as_the_only_address_found_is_accepted(fixture_book):
    assert_accepted(fixture_book, GOOD_ENTRY.replace(
        "  year", "  url     = {https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=123},\n"
        "  unverified = {url: no set id on the records searched},\n  year"))


def test_stale_unverified_field_is_rejected(fixture_book):
    assert_rejected(fixture_book, GOOD_ENTRY.replace(
        "  year", "  unverified = {volume: not shown on the records searched},\n  year"),
        ": unverified names 'volume', but the entry has it")


def test_the_book_bibliography_passes_every_check(capsys):
    assert bibcheck.main([str(ROOT / "references.bib")]) == 0, capsys.readouterr().out
