"""Front matter and shared facts: mistakes fail the build, naming the file."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import build_in_process, cli_build


def build(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


def set_front_matter(book: Path, text: str) -> Path:
    chapter = book / "docs" / "chapter.md"
    body = chapter.read_text(encoding="utf-8").split("---\n", 2)[2]
    chapter.write_text(text + body, encoding="utf-8")
    return chapter


def test_review_date_is_shown_under_the_title(fixture_book):
    result = build(fixture_book)
    assert result.returncode == 0, result.output
    assert "Evidence last reviewed: 2026-01-01" in result.page("chapter.html")


def test_missing_review_date_names_the_file(fixture_book):
    set_front_matter(fixture_book, "")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:1: WARNING: no 'last-reviewed' date in the front matter" in result.output


def test_malformed_review_date_names_the_file(fixture_book):
    set_front_matter(fixture_book, "---\nlast-reviewed: 25/11/2026\n---\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:1: WARNING: 'last-reviewed' '25/11/2026' is not a date" in result.output


def test_future_review_date_is_rejected(fixture_book):
    set_front_matter(fixture_book, "---\nlast-reviewed: 2099-01-01\n---\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "'last-reviewed' '2099-01-01' is in the future" in result.output


def test_broken_front_matter_yaml_fails(fixture_book):
    set_front_matter(fixture_book, "---\nlast-reviewed: [2026-01-01\n---\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md" in result.output


def test_fact_renders_value_and_citation(fixture_book):
    result = build(fixture_book)
    page = result.page("chapter.html")
    assert "40 mg/day" in page
    after = BeautifulSoup(page.split("40 mg/day", 1)[1], "html.parser")
    number = after.select_one("span.bibtex-citation a")           # the numbered citation
    entry = BeautifulSoup(page, "html.parser").find(id=number["href"][1:])
    assert "Fixture Pharma" in entry.get_text()


def test_unknown_fact_names_the_page(fixture_book):
    chapter = fixture_book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace("fixture_max_dose", "fixture_max_dse"))
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:7" in result.output and "fixture_max_dse" in result.output


def test_fact_without_source_names_facts_file_and_line(fixture_book):
    facts = fixture_book / "docs" / "_data" / "facts.yml"
    facts.write_text(facts.read_text() + "unsourced_fact:\n  value: 5 mg\n")
    result = cli_build(fixture_book)
    assert result.returncode != 0
    assert "docs/_data/facts.yml:5: fact 'unsourced_fact' has no 'cite'" in result.output


def test_malformed_facts_yaml_names_file_and_line(fixture_book):
    facts = fixture_book / "docs" / "_data" / "facts.yml"
    facts.write_text(facts.read_text() + "bad:\n  value: [unclosed\n")
    result = cli_build(fixture_book)
    assert result.returncode != 0
    assert "docs/_data/facts.yml:" in result.output and "not valid YAML" in result.output


def test_broken_cross_reference_names_file_and_line(fixture_book):
    chapter = fixture_book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace(
        "## References", "See {ref}`withdrawal-intrathecal`.\n\n## References"))
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:11: WARNING: undefined label: 'withdrawal-intrathecal'" in result.output


def test_broken_internal_link_names_file_and_line(fixture_book):
    chapter = fixture_book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace(
        "## References", "See [withdrawal](withdrawal.md).\n\n## References"))
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:11" in result.output and "withdrawal.md" in result.output


def test_page_outside_the_table_of_contents_is_rejected(fixture_book):
    (fixture_book / "docs" / "stray.md").write_text(
        "---\nlast-reviewed: 2026-01-01\n---\n\n# A stray page\n\nText.\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "stray.md: WARNING: document isn't included in any toctree" in result.output
