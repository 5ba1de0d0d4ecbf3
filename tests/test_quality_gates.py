"""Privacy, accessibility, safety boxes and language: each mistake, injected into
a copy of the fixture book, fails the build with a message naming the file."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import build_in_process, cli_build


def build(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


def append(book: Path, text: str, page: str = "chapter.md") -> int:
    """Add text before the References heading of a page; return its first line."""
    path = book / "docs" / page
    source = path.read_text(encoding="utf-8")
    head, tail = source.split("## References", 1)
    path.write_text(head + text + "\n\n## References" + tail, encoding="utf-8")
    return head.count("\n") + 1


def snippet_keys(name: str) -> list[str]:
    """The bibliography keys a shared snippet cites, in order, once each."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "_snippets" / name).read_text(
        encoding="utf-8")
    keys = [k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]*)`", text)
            for k in group.split(",")]
    return list(dict.fromkeys(keys))


def require(book: Path, setting: str, value: str) -> None:
    conf = book / "conf.py"
    conf.write_text(conf.read_text() + f"\n{setting} = {value}\n")


def test_external_script_in_raw_html_is_rejected(fixture_book):
    append(fixture_book, '<script src="https://cdn.example.com/track.js"></script>')
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md: WARNING: the page loads <script src='https://cdn.example.com" \
        in result.output


def test_external_image_and_font_are_rejected(fixture_book):
    append(fixture_book, '<img src="//images.example.com/a.png" alt="a">\n\n'
                         '<style>@import "https://fonts.example.com/css";</style>')
    result = build(fixture_book)
    assert result.returncode != 0
    assert "<img src='//images.example.com/a.png'>" in result.output
    assert "<style> url(https://fonts.example.com/css)" in result.output


def test_privacy_finding_is_reported_again_on_an_unchanged_rebuild(fixture_book):
    append(fixture_book, '<script src="https://cdn.example.com/track.js"></script>')
    first, second = build(fixture_book), build(fixture_book)
    for result in (first, second):
        assert result.returncode != 0
        assert "the page loads <script src='https://cdn.example.com" in result.output


def test_page_changed_after_a_clean_check_is_scanned_again(fixture_book):
    assert cli_build(fixture_book).returncode == 0
    page = fixture_book / "_build" / "html" / "chapter.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<img src="https://pixel.example.com/p.gif" alt=""></body>'), encoding="utf-8")
    result = cli_build(fixture_book)
    assert result.returncode != 0
    assert "<img src='https://pixel.example.com/p.gif'>" in result.output


def test_ordinary_link_to_a_source_is_fine(fixture_book):
    append(fixture_book, "See [the label](https://example.org/label).")
    result = build(fixture_book)
    assert result.returncode == 0, result.output


def test_image_without_alt_text_names_file_and_line(fixture_book):
    (fixture_book / "docs" / "figure.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"))
    line = append(fixture_book, "```{image} figure.png\n```")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line}: WARNING: image without alt text" in result.output


def test_flowchart_without_alt_text_is_rejected(fixture_book):
    line = append(fixture_book, "```{graphviz}\ndigraph { a -> b }\n```")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md" in result.output and "flowchart without alt text" in result.output


def test_clinical_page_without_disclaimer_is_rejected(fixture_book):
    require(fixture_book, "bookext_disclaimer_pages", '["chapter"]')
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:1: WARNING: this page has no disclaimer box" in result.output


def test_emergency_page_without_help_box_is_rejected(fixture_book):
    require(fixture_book, "bookext_emergency_pages", '["chapter"]')
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:1: WARNING: this page has no emergency help box" in result.output


def test_emergency_page_with_help_box_passes(fixture_book):
    require(fixture_book, "bookext_emergency_pages", '["chapter"]')
    append(fixture_book, "```{include} _snippets/emergency-help.md\n```")
    bib = fixture_book / "references.bib"
    bib.write_text(bib.read_text() + "".join(
        f"\n@misc{{{key},\n  title = {{Help line page}},\n  year = {{n.d.}},\n"
        f"  url = {{https://example.org/{key}}},\n}}\n"
        for key in snippet_keys("emergency-help.md")))
    result = build(fixture_book)
    assert result.returncode == 0, result.output


def test_stigmatising_term_names_file_line_and_alternative(fixture_book):
    line = append(fixture_book, "Every addict was offered treatment.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"chapter.md:{line}: WARNING: 'addict' is a stigmatising term — write "
            "'person with a substance use disorder'") in result.output


def test_stigmatising_term_inside_a_quotation_is_allowed(fixture_book):
    append(fixture_book, 'The 1990s press called them "addicts".')
    result = build(fixture_book)
    assert result.returncode == 0, result.output


def test_mcg_and_ug_are_rejected(fixture_book):
    line = append(fixture_book, "The bolus is 50 mcg, then 100 ug/day.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line}: WARNING: '50 mcg': write micrograms as 'µg'" in result.output
    assert "'100 ug'" in result.output


def test_uncited_dose_in_a_paragraph_names_file_and_line(fixture_book):
    require(fixture_book, "bookext_cited_claims_pages", '["chapter"]')
    line = append(fixture_book, "The usual dose is 5 mg three times a day.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert f"chapter.md:{line}: WARNING: '5 mg' is stated without a source" in result.output


def test_uncited_number_in_a_table_row_is_rejected(fixture_book):
    require(fixture_book, "bookext_cited_claims_pages", '["chapter"]')
    append(fixture_book, "| Dose | Note |\n|---|---|\n| 10 mg | none |\n"
                         "| 20 mg | cited {cite:p}`Fixture2020first` |")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "'10 mg' is stated without a source" in result.output
    assert "'20 mg'" not in result.output


def test_cited_dose_and_shared_fact_pass(fixture_book):
    require(fixture_book, "bookext_cited_claims_pages", '["chapter"]')
    append(fixture_book, "The usual dose is 5 mg {cite:p}`Fixture2020first`.\n\n"
                         "The maximum is {{ fixture_max_dose }}.")
    result = build(fixture_book)
    assert result.returncode == 0, result.output

