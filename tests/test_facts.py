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
MICROGRAMS = r"(?:µg|mcg|micrograms?)"
# An intrathecal dose range per day ("300–800 µg/day") on a line about maintenance.
IT_RANGE = re.compile(rf"\d[\d,.]*\s?(?:–|-|to)\s?\d[\d,.]*\s?{MICROGRAMS}\s?(?:/|per\s)day", re.I)
MAINTENANCE_LINE = re.compile(r"maintenance|usual", re.I)
# A bolus in µg (not a concentration in µg/mL) on a line about intrathecal screening.
SCREENING_DOSE = re.compile(rf"\d[\d,.]*\s?(?:–\s?\d[\d,.]*\s?)?{MICROGRAMS}(?!\s?/)", re.I)
SCREENING_LINE = re.compile(r"screening|test (?:dose|bolus|phase)|trial dose", re.I)
ROUTES = {"oral", "intrathecal", "any"}


def literal_lines(page: Path):
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        yield number, SUBSTITUTION.sub("", line)


def lines_in_context(page: Path):
    """(number, line, context): a table row's context is the row and the table's header
    row, so a row of a table headed "maintenance" is checked as a maintenance line."""
    header = None
    for number, line in literal_lines(page):
        if not line.startswith("|"):
            header = None
        elif header is None:
            header = line
        yield number, line, line if header in (None, line) else f"{header} {line}"


def squeeze(text: str) -> str:
    """'300 – 800 µg/day' and '300–800µg/day' compare equal."""
    return re.sub(r"\s+", "", text)


def held_values(facts: dict) -> str:
    return " | ".join(squeeze(str(f["value"])) for f in facts.values())


def is_held(quantity: str, held: str) -> bool:
    """A whole quantity of a fact's value: '75 µg' is not held by '175 µg'."""
    return re.search(rf"(?<![\d.]){re.escape(squeeze(quantity))}(?![\d])", held) is not None


def typed_but_not_held(pages, facts, pattern, line_filter):
    """Quantities matching ``pattern`` on lines (or table rows under a header) matching
    ``line_filter`` that are typed into a page (not substituted) and that no fact's
    value holds."""
    held = held_values(facts)
    return [f"{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page.name}:{n}: {m.group(0)!r}"
            for page in pages for n, line, context in lines_in_context(page)
            if line_filter.search(context)
            for m in pattern.finditer(line) if not is_held(m.group(0), held)]


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
    held = held_values(FACTS)
    unknown = [f"{page.relative_to(ROOT)}:{n}: {m.group(0)!r}"
               for page in PAGES for n, line in literal_lines(page)
               for m in STRENGTH.finditer(line) if not is_held(m.group(0), held)]
    assert not unknown, ("strengths that docs/_data/facts.yml does not hold:\n"
                         + "\n".join(unknown))


def test_drift_check_catches_a_typed_maximum(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("The maximum daily dose is 100 mg/day.\n")
    assert [m.group(1) for _, line in literal_lines(page) for m in MAXIMUM.finditer(line)] \
        == ["100 mg/day"]


def test_facts_with_metadata_name_route_and_population():
    """Facts that carry unit/route/population/product (new facts must) say the
    route (oral | intrathecal | any) and whom they apply to."""
    keys = ("unit", "route", "population", "product")
    bad = [key for key, fact in FACTS.items() if any(k in fact for k in keys)
           and (fact.get("route") not in ROUTES
                or not (fact.get("population") or fact.get("product")))]
    assert not bad, ("facts without a valid route (oral | intrathecal | any) and a "
                     "population or product in docs/_data/facts.yml: " + ", ".join(bad))


def test_intrathecal_maintenance_ranges_come_from_the_facts_file():
    unknown = typed_but_not_held(PAGES, FACTS, IT_RANGE, MAINTENANCE_LINE)
    assert not unknown, ("intrathecal maintenance ranges that docs/_data/facts.yml does not "
                         "hold; add a fact and use {{ facts.KEY.value }}:\n" + "\n".join(unknown))


def test_screening_doses_come_from_the_facts_file():
    unknown = typed_but_not_held(PAGES, FACTS, SCREENING_DOSE, SCREENING_LINE)
    assert not unknown, ("intrathecal screening doses that docs/_data/facts.yml does not "
                         "hold; add a fact and use {{ facts.KEY.value }}:\n" + "\n".join(unknown))


def test_drift_checks_catch_typed_maintenance_range_screening_dose_and_strength(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Usual maintenance is 150–450 µg/day for cerebral spasticity.\n"
                    "The first screening bolus is 60 µg of the 50 µg/mL product.\n"
                    "Maintenance: {{ facts.it_maintenance_spinal_us.value }}.\n"
                    "A new oral suspension holds 7 mg/5 mL.\n")
    assert typed_but_not_held([page], FACTS, IT_RANGE, MAINTENANCE_LINE) == [
        "page.md:1: '150–450 µg/day'"]
    assert typed_but_not_held([page], FACTS, SCREENING_DOSE, SCREENING_LINE) == [
        "page.md:2: '60 µg'"]
    held = held_values(FACTS)
    assert [m.group(0) for _, line in literal_lines(page) for m in STRENGTH.finditer(line)
            if not is_held(m.group(0), held)] == ["7 mg/5 mL"]
    # A value the facts file holds passes.
    page.write_text("Usual maintenance is 300–800 µg/day; the screening bolus is 50 µg.\n")
    assert typed_but_not_held([page], FACTS, IT_RANGE, MAINTENANCE_LINE) == []
    assert typed_but_not_held([page], FACTS, SCREENING_DOSE, SCREENING_LINE) == []


def test_drift_checks_read_table_rows_under_their_header_and_whole_numbers(tmp_path):
    """A maintenance table's rows rarely say "maintenance"; the header does. And a typed
    60 µg is not excused because a fact holds 160 µg."""
    page = tmp_path / "page.md"
    page.write_text("| Origin (intrathecal, maintenance) | Usual daily dose |\n"
                    "|---|---|\n"
                    "| Cerebral, adults | 90–700 µg/day |\n"
                    "\n"
                    "| Origin | Dose |\n|---|---|\n| Cerebral, adults | 90–700 µg/day |\n"
                    "A screening bolus of 5 µg was given.\n")
    assert typed_but_not_held([page], FACTS, IT_RANGE, MAINTENANCE_LINE) == [
        "page.md:3: '90–700 µg/day'"]
    assert typed_but_not_held([page], FACTS, SCREENING_DOSE, SCREENING_LINE) == [
        "page.md:8: '5 µg'"]
    assert is_held("100 µg", held_values(FACTS)) and not is_held("00 µg", held_values(FACTS))
