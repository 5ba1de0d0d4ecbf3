"""An unclosed ::: or ``` fence fails the build at the line where it opens (issue 18).

MyST swallows the rest of the page into an unclosed fence; without this check the
build reports only what that broke elsewhere, never the fence itself."""

from __future__ import annotations

from pathlib import Path

from conftest import build_in_process


def build(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


def insert_before_references(book: Path, text: str) -> int:
    """Put `text` before the chapter's References heading; return the line it starts on."""
    chapter = book / "docs" / "chapter.md"
    source = chapter.read_text(encoding="utf-8")
    at = source.index("## References")
    chapter.write_text(source[:at] + text + "\n\n" + source[at:], encoding="utf-8")
    return source[:at].count("\n") + 1


def test_unclosed_colon_fence_names_the_line_it_opens(fixture_book):
    line = insert_before_references(fixture_book, ":::{note}\nRemember the dose.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line}: WARNING: ':::{{note}}' is never closed" in result.output


def test_unclosed_backtick_fence_names_the_line_it_opens(fixture_book):
    line = insert_before_references(fixture_book, "Text.\n\n```{admonition} Check\nBody.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line + 2}: WARNING: '```{{admonition}} Check' is never closed" \
        in result.output
    assert "close it with a line of ```" in result.output


def test_unclosed_fence_inside_a_directive_is_found(fixture_book):
    line = insert_before_references(
        fixture_book, "::::{note}\n:::{dropdown} Answer\nYes.\n::::")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line + 1}: WARNING: ':::{{dropdown}} Answer' is never closed" \
        in result.output


def test_closed_fences_pass(fixture_book):
    insert_before_references(fixture_book, "::::{note}\n:::{dropdown} Answer\nYes.\n:::\n"
                                           "::::\n\n````{only} html\n```{note}\nx\n```\n````")
    result = build(fixture_book)
    assert result.returncode == 0, result.output


def test_unclosed_fence_in_an_included_snippet_names_the_snippet(fixture_book):
    snippet = fixture_book / "docs" / "_snippets" / "broken.md"
    snippet.write_text("Intro.\n\n:::{warning}\nCall for help.\n", encoding="utf-8")
    insert_before_references(fixture_book, "```{include} _snippets/broken.md\n```")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "broken.md:3: WARNING: ':::{warning}' is never closed" in result.output
