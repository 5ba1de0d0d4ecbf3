"""The three contributor mistakes of issue 18, tried as a new contributor makes them.

Each must fail the build with one message naming the file and the line of the mistake:
- a YAML error in docs/_data/facts.yml: one clean line, not Sphinx's crash report
  (versions and a traceback) around it;
- a fact whose ``cite`` key is not in references.bib: reported at the fact's line in
  docs/_data/facts.yml, not only on the pages that use the fact;
- an unclosed ``:::`` or backtick fence: see tests/test_unclosed_fences.py.
"""

from __future__ import annotations

from conftest import build_in_process, cli_build


def test_yaml_error_in_facts_is_one_line_with_file_and_line(fixture_book):
    facts = fixture_book / "docs" / "_data" / "facts.yml"
    text = facts.read_text(encoding="utf-8")
    # A colon inside an unquoted value: the mistake the message's advice is about.
    facts.write_text(text + "typo_fact:\n  value: 5 mg\n   cite: Fixture2021label\n",
                     encoding="utf-8")
    line = text.count("\n") + 3
    result = cli_build(fixture_book)
    assert result.returncode != 0
    assert f"docs/_data/facts.yml:{line}: not valid YAML" in result.output, result.output
    # Sphinx's crash report would bury that line: no traceback, no versions, no log file.
    for crash in ("Traceback", "Exception occurred", "Platform:", "sphinx-err-",
                  "Sphinx version"):
        assert crash not in result.output, result.output


def test_fact_citing_a_missing_key_names_the_facts_file_and_line(fixture_book):
    facts = fixture_book / "docs" / "_data" / "facts.yml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("cite: Fixture2021label", "cite: Fixture2021lable"),
                     encoding="utf-8")
    line = text[: text.index("fixture_max_dose:")].count("\n") + 1
    result = build_in_process(fixture_book, "html", fixture_book / "_build" / "html")
    assert result.returncode != 0
    assert (f"docs/_data/facts.yml:{line}: WARNING: fact 'fixture_max_dose' cites "
            "'Fixture2021lable', which is not in references.bib") in result.output, result.output
