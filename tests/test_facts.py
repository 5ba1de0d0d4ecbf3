"""Facts used on several pages cannot drift: pages take doses and strengths from
docs/_data/facts.yml instead of typing them again."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT

FACTS = yaml.safe_load((ROOT / "docs" / "_data" / "facts.yml").read_text(encoding="utf-8"))
PAGES = [p for p in sorted((ROOT / "docs").rglob("*.md")) if "_" not in p.parts[-2][:1]]
DOSE = r"\d[\d,.]*\s?(?:–\s?\d[\d,.]*\s?)?(?:mg|µg)(?:/day|/kg)?"
MAXIMUM = re.compile(rf"maxim\w*[^.|\n]{{0,30}}?({DOSE})|({DOSE})[^.|\n]{{0,12}}maxim", re.I)
STRENGTH = re.compile(r"\d[\d,.]*\s?(?:mg|µg)\s?/\s?(?:\d[\d,.]*\s?)?mL")
SUBSTITUTION = re.compile(r"\{\{[^}]*\}\}")


def literal_lines(page: Path):
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        yield number, SUBSTITUTION.sub("", line)


def test_every_fact_has_value_source_and_note():
    for key, fact in FACTS.items():
        assert fact.get("value") and fact.get("cite") and fact.get("note"), key


def test_maximum_doses_come_from_the_facts_file():
    typed = [f"{page.relative_to(ROOT)}:{n}: {m.group(0)!r}"
             for page in PAGES for n, line in literal_lines(page)
             for m in MAXIMUM.finditer(line)]
    assert not typed, ("maximum doses typed into pages; use {{ facts.KEY.value }} from "
                       "docs/_data/facts.yml:\n" + "\n".join(typed))


def test_strengths_in_pages_are_held_by_the_facts_file():
    held = " ".join(str(f["value"]) for f in FACTS.values()).replace(" ", "")
    unknown = [f"{page.relative_to(ROOT)}:{n}: {m.group(0)!r}"
               for page in PAGES for n, line in literal_lines(page)
               for m in STRENGTH.finditer(line) if m.group(0).replace(" ", "") not in held]
    assert not unknown, ("strengths that docs/_data/facts.yml does not hold:\n"
                         + "\n".join(unknown))


def test_drift_check_catches_a_typed_maximum(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("The maximum daily dose is 100 mg/day.\n")
    assert [m.group(1) for _, line in literal_lines(page) for m in MAXIMUM.finditer(line)] \
        == ["100 mg/day"]
