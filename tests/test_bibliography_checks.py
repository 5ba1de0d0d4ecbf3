"""A contributor's mistake in references.bib or a citation fails the build,
with a message that names the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

from conftest import sphinx_build

GOOD_ENTRY = """
@article{Fixture2022second,
  author  = {Second, Carla},
  title   = {Another fictional article},
  journal = {Journal of Test Fixtures},
  year    = {2022},
  doi     = {10.5555/fixture.2},
}
"""


def build(book: Path):
    return sphinx_build(book, "html", book / "_build" / "html")


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
