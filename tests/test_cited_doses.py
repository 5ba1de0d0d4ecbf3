"""A dose (a number with mg, µg or mL) carries its citation in the same sentence,
list item or table row; a dose in a flowchart must appear in a cited statement of
the same page. Each mistake, injected into the fixture book, fails the build with
the file and line.

The build's check accepts a citation anywhere in a list item. The emergency
chapters are held to the closer rule their issue asks for: in a list item too, the
sentence that states a dose carries the citation (checked on the Markdown source)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

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


FACTS = yaml.safe_load((ROOT / "docs" / "_data" / "facts.yml").read_text(encoding="utf-8"))
DOSE = re.compile(r"\d(?:[\d,.]*\d)?\s?(?:[–-]\s?\d(?:[\d,.]*\d)?\s?)?(?:mg|µg|mL)\b")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
CODE = re.compile(r"^```.*?^```", re.M | re.S)
SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)(?<!vs)(?<=[.!?])\s+(?=[A-Z*(])")
FACT_VALUE = re.compile(r"\{\{\s*facts\.(\w+)\.value\s*\}\}")   # the bare value
FACT_CITED = re.compile(r"\{\{\s*(\w+)\s*\}\}")                   # value and its citation


def list_items(markdown: str):
    """(line, text) of each list item, continuation lines joined; code blocks skipped."""
    lines = CODE.sub(lambda m: "\n" * m.group(0).count("\n"), markdown).splitlines()
    item = None
    for number, line in enumerate(lines, 1):
        start = LIST_ITEM.match(line)
        indent = len(line) - len(line.lstrip())
        if start:
            if item:
                yield item[0], item[2]
            item = [number, len(start.group(1)), start.group(2)]
        elif item and line.strip() and indent > item[1]:
            item[2] += " " + line.strip()
        elif item:
            yield item[0], item[2]
            item = None
    if item:
        yield item[0], item[2]


def uncited_list_doses(markdown: str) -> list[str]:
    found = []
    for line, text in list_items(markdown):
        text = FACT_VALUE.sub(lambda m: str(FACTS[m.group(1)]["value"]), text)
        text = FACT_CITED.sub(lambda m: str(FACTS[m.group(1)]["value"]) + " {cite:fact}", text)
        for sentence in SENTENCE_END.split(text):
            dose = DOSE.search(sentence)
            if dose and "{cite:" not in sentence:
                found.append(f"line {line}: '{dose.group(0).strip()}'")
    return found


@pytest.mark.parametrize("chapter", sorted(EMERGENCY_CHAPTERS))
def test_every_dose_sentence_in_an_emergency_list_item_carries_its_citation(chapter):
    text = (ROOT / "docs" / f"{chapter}.md").read_text(encoding="utf-8")
    assert uncited_list_doses(text) == []


def test_a_dose_sentence_without_its_own_citation_in_a_cited_item_is_reported():
    item = ("Intro.\n\n- **Oral baclofen.** A series used 5 mg {cite:p}`A`. A panel gives\n"
            "  10–20 mg every six hours. It may fail {cite:p}`B`.\n- Fine: 2 mL {cite:p}`C`.\n")
    assert uncited_list_doses(item) == ["line 3: '10–20 mg'"]


def test_a_shared_fact_carries_its_citation_but_its_bare_value_does_not():
    assert uncited_list_doses("- Give {{ itb_withdrawal_diazepam }}.\n") == []
    assert uncited_list_doses("- Give {{ facts.itb_withdrawal_diazepam.value }}.\n") != []


def test_a_dose_in_a_code_block_is_not_a_list_item():
    assert uncited_list_doses("```text\n- 10 mg\n```\n") == []


@pytest.mark.parametrize("chapter, sentence", [
    ("treatment", "gives 10–20 mg every six hours for withdrawal of longer duration "
                  "{cite:p}`Saulino2016troubleshooting`."),
    ("overdose-and-toxicity", "needed ventilation (case report) {cite:p}`Shah2020case`."),
])
def test_removing_a_dose_citation_from_a_real_list_item_is_reported(chapter, sentence):
    text = (ROOT / "docs" / f"{chapter}.md").read_text(encoding="utf-8")
    assert text.count(sentence) == 1, f"{chapter}.md no longer contains {sentence!r}"
    broken = text.replace(sentence, re.sub(r"\s*\{cite:p\}`[^`]*`", "", sentence))
    assert uncited_list_doses(broken)
