"""A dose (a number with mg, µg or mL) carries its citation in the same sentence
(in running text and in a list item) or table row; a dose in a flowchart must appear
in a cited statement of the same page. Each mistake, injected into the fixture book,
fails the build with the file and line."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, build_in_process

CITE = "{cite:p}`Fixture2020first`"


def build(book: Path):
    return build_in_process(book, "html", book / "_build" / "html")


def append(book: Path, text: str) -> int:
    """Add text before the References heading of the chapter; return its first line."""
    path = book / "docs" / "chapter.md"
    head, tail = path.read_text(encoding="utf-8").split("## References", 1)
    path.write_text(head + text + "\n\n## References" + tail, encoding="utf-8")
    return head.count("\n") + 1


def check_doses(book: Path) -> None:
    conf = book / "conf.py"
    conf.write_text(conf.read_text() + '\nbookext_cited_claims_pages = ["chapter"]\n')


def test_uncited_dose_in_a_list_item_names_file_and_line(fixture_book):
    check_doses(fixture_book)
    line = append(fixture_book, f"- Give 10 mg by mouth at once.\n- Then 5 mg {CITE}.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"chapter.md:{line}: WARNING: '10 mg' is stated without a source "
            "in its list item") in result.output
    assert "'5 mg'" not in result.output


def test_citation_in_a_nested_list_does_not_cover_its_parent_item(fixture_book):
    check_doses(fixture_book)
    append(fixture_book, f"- Start with 10 mg.\n  - Some reports used 20 mg {CITE}.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert "'10 mg' is stated without a source in its list item" in result.output


def test_uncited_dose_sentence_in_a_cited_paragraph_names_its_line(fixture_book):
    check_doses(fixture_book)
    line = append(fixture_book, f"Restart the pump {CITE}.\nThen give 2 mL as a bolus.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"chapter.md:{line + 1}: WARNING: '2 mL' is stated without a source "
            "in its sentence") in result.output


def test_dose_sentence_without_its_own_citation_in_a_cited_list_item_names_its_line(fixture_book):
    check_doses(fixture_book)
    line = append(fixture_book, f"- A series used 5 mg {CITE}.\n"
                                "  A panel gives 10–20 mg every six hours.\n"
                                f"  It may fail {CITE}.")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"chapter.md:{line + 1}: WARNING: '10–20 mg' is stated without a source "
            "in its sentence") in result.output
    assert "'5 mg'" not in result.output


def test_each_dose_sentence_with_its_citation_passes(fixture_book):
    check_doses(fixture_book)
    append(fixture_book, f"Give 5–10 mg, e.g. by mouth, every 6 hours {CITE}.\n"
                         f"A bolus of 25 µg caused symptoms {CITE}.\n"
                         "Watch the patient for a day.\n\n"
                         f"| Drug | Dose |\n|---|---|\n| Diazepam | 5 mg {CITE} |")
    result = build(fixture_book)
    assert result.returncode == 0, result.output


def test_flowchart_dose_missing_from_the_cited_text_is_rejected(fixture_book):
    check_doses(fixture_book)
    line = append(fixture_book, f"Give 5 mg {CITE}.\n\n"
                  "```{graphviz}\n:alt: Give 5 mg, then 50 mg.\n\n"
                  'digraph x {\n  a [label="Give 5 mg"];\n  b [label="Then 50 mg"];\n'
                  "  a -> b;\n}\n```")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"chapter.md:{line + 2}: WARNING: flowchart dose '50 mg' does not appear in a "
            "cited sentence, list item or table row of this page") in result.output
    assert "flowchart dose '5 mg'" not in result.output


def test_flowchart_dose_stated_with_a_source_passes(fixture_book):
    check_doses(fixture_book)
    append(fixture_book, f"Give 10–20 mg every 6 hours {CITE}.\n\n"
           "```{graphviz}\n:alt: Give 10–20 mg every 6 hours.\n\n"
           'digraph x {\n  a [label="Give 10–20 mg\\nevery 6 h"];\n}\n```')
    result = build(fixture_book)
    assert result.returncode == 0, result.output


EMERGENCY_CHAPTERS = {"overdose-and-toxicity", "withdrawal", "treatment", "misuse-and-abuse"}


def test_the_emergency_chapters_are_held_to_the_dose_rule():
    """The rule above protects the real chapters only if conf.py lists them."""
    import runpy

    settings = runpy.run_path(str(ROOT / "conf.py"))
    missing = EMERGENCY_CHAPTERS - set(settings["bookext_cited_claims_pages"])
    assert not missing, f"conf.py does not check the doses of {sorted(missing)}"
