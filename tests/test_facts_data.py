"""Mistakes in docs/_data/facts.yml, as a new contributor makes them, and the facts as data.

A YAML error stops the build with one line naming the file and the line, not Sphinx's
crash report; a fact citing a key that references.bib lacks is reported at the fact.
A bare ``{{ facts.X.value }}`` in a paragraph that does not cite X's source is a warning.
"""

from __future__ import annotations

import csv
import json

import jsonschema
import pytest
import yaml

from conftest import ROOT, build_in_process, sphinx_build

FACTS_FILE = "docs/_data/facts.yml"


def build(book):
    return build_in_process(book, "html", book.parent / "out")


def test_yaml_error_in_facts_is_one_line_with_file_and_line(fixture_book):
    facts = fixture_book / FACTS_FILE
    facts.write_text(facts.read_text() + "bad:\n  value: \"unclosed\n  cite: X\n")
    result = sphinx_build(fixture_book, "html", fixture_book.parent / "out")   # exits on it
    assert result.returncode != 0
    errors = [line for line in result.output.splitlines() if FACTS_FILE in line]
    assert len(errors) == 1 and errors[0].startswith(f"{FACTS_FILE}:"), result.output
    assert "not valid YAML" in errors[0]
    # No crash report around it.
    for noise in ("Traceback", "Versions", "sphinx-err-", "report this error"):
        assert noise not in result.output, result.output


def test_fact_citing_unknown_key_names_facts_file_and_line(fixture_book):
    facts = fixture_book / FACTS_FILE
    facts.write_text(facts.read_text() + "\nother_fact:\n  value: 5 mg\n"
                     "  cite: Nobody1999missing\n")
    result = build(fixture_book)
    assert result.returncode != 0
    assert (f"{FACTS_FILE}:6: WARNING: fact 'other_fact' cites 'Nobody1999missing', "
            "which is not in references.bib") in result.output, result.output


def test_unknown_route_names_facts_file_and_line(fixture_book):
    facts = fixture_book / FACTS_FILE
    facts.write_text(facts.read_text() + "  route: by mouth\n")
    result = sphinx_build(fixture_book, "html", fixture_book.parent / "out")   # exits on it
    assert result.returncode != 0
    assert f"{FACTS_FILE}:1: fact 'fixture_max_dose' has route 'by mouth'" in result.output


def test_bare_fact_value_without_its_source_names_page_and_line(fixture_book):
    chapter = fixture_book / "docs" / "chapter.md"
    text = chapter.read_text()
    chapter.write_text(text.replace(
        "A trial found",
        "\nThe most is {{ facts.fixture_max_dose.value }}.\n\nA trial found"))
    result = build(fixture_book)
    assert result.returncode != 0
    assert "chapter.md:9: WARNING: '{{ facts.fixture_max_dose.value }}' is a bare value" \
        in result.output, result.output
    # Citing the fact's own source in the same paragraph makes it right.
    chapter.write_text(text.replace(
        "A trial found",
        "The most is {{ facts.fixture_max_dose.value }} {cite:p}`Fixture2021label`.\n\n"
        "A trial found"))
    assert build(fixture_book).returncode == 0


# -- The facts as data, in the built site ------------------------------------------

@pytest.fixture(scope="module")
def published(book_html):
    assert book_html.returncode == 0, book_html.output
    out = book_html.outdir
    return (json.loads((out / "facts.json").read_text(encoding="utf-8")),
            json.loads((out / "facts.schema.json").read_text(encoding="utf-8")),
            (out / "facts.csv").read_text(encoding="utf-8"))


def schema_errors(document, schema):
    jsonschema.Draft7Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(document)]


def test_facts_json_validates_against_its_schema(published):
    document, schema, _ = published
    assert not schema_errors(document, schema)
    source = yaml.safe_load((ROOT / FACTS_FILE).read_text(encoding="utf-8"))
    assert [fact["id"] for fact in document["facts"]] == list(source)
    for fact in document["facts"]:
        assert fact["value"] == str(source[fact["id"]]["value"])
        assert fact["source"]["key"] == source[fact["id"]]["cite"]
        assert fact["edition"] == document["edition"]


def test_schema_rejects_a_fact_without_source_address_or_population(published):
    document, schema, _ = published
    fact = document["facts"][0]
    broken = {**document, "facts": [{**fact, "source": {
        k: v for k, v in fact["source"].items() if k not in ("doi", "pmid", "url")}}]}
    assert schema_errors(broken, schema)
    broken = {**document, "facts": [{k: v for k, v in fact.items()
                                     if k not in ("population", "product")}]}
    assert fact["route"] == "any" or schema_errors(broken, schema)
    assert schema_errors({**document, "facts": [{**fact, "route": "by mouth"}]}, schema)


def test_facts_csv_has_one_row_per_fact_with_its_source(published):
    document, _, text = published
    rows = list(csv.DictReader(text.splitlines()))
    assert [row["id"] for row in rows] == [fact["id"] for fact in document["facts"]]
    for row, fact in zip(rows, document["facts"]):
        assert row["value"] == fact["value"] and row["source_key"] == fact["source"]["key"]
        assert row["source_doi"] or row["source_pmid"] or row["source_url"]
