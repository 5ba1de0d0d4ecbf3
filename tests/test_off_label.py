"""The off-label summary table and the per-use sections cannot disagree, and every
use is rated on the chapter's scale, with a status, a reason and a cited review or trial."""

from __future__ import annotations

import re

from pybtex.database import parse_file

from conftest import ROOT

SOURCE = (ROOT / "docs" / "off-label-use.md").read_text(encoding="utf-8")
SCALE = {"High", "Moderate", "Low", "Very low"}
HEADLINE = re.compile(r"^\*\*Evidence:\*\* (.+?)\. \*\*Regulatory status:\*\* (.+?)\. "
                      r"\*\*Bottom line:\*\* (.+?)\.$", re.M)
BIB = parse_file(str(ROOT / "references.bib")).entries


def rendered(text: str) -> str:
    """Text as the reader sees it: {term}`text <Target>` and {term}`Term` become words."""
    return re.sub(r"\{term\}`([^`<]+?)(?:\s*<[^`]+>)?`", r"\1", text).strip()


def summary_rows() -> dict[str, tuple[str, str, str, str]]:
    table = SOURCE.split("(off-label-use-summary)=", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        use, evidence, status, bottom, sources, section = cells
        label = re.search(r"\{ref\}`([^`]+)`", section).group(1)
        rows[label] = (evidence, status, bottom, sources)
    return rows


def section(label: str) -> str:
    body = SOURCE.split(f"({label})=\n", 1)[1]
    return re.split(r"\n\([a-z-]+\)=\n## ", body, maxsplit=1)[0]


def test_summary_table_lists_every_use_section():
    sections = set(re.findall(r"^\((off-label-use-[a-z-]+)\)=\n## ", SOURCE, re.M))
    sections -= {"off-label-use-grading", "off-label-use-summary"}
    assert set(summary_rows()) == sections


def test_each_row_agrees_with_its_section_headline():
    for label, (evidence, status, bottom, _sources) in summary_rows().items():
        match = HEADLINE.search(section(label))
        assert match, f"{label}: first line must be the Evidence/Status/Bottom line headline"
        assert tuple(map(rendered, match.groups())) == tuple(
            map(rendered, (evidence, status, bottom))), label


def test_each_use_is_rated_on_the_scale_with_a_reason():
    for label, (evidence, *_rest) in summary_rows().items():
        assert evidence in SCALE, (label, evidence)
        assert re.search(r"Reason for the rating|We rate", section(label)), label


def test_each_use_cites_a_trial_or_review_with_doi_or_pmid():
    for label, (*_rest, sources) in summary_rows().items():
        keys = [k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", section(label)
                                                  + sources) for k in group.split(",")]
        identified = [k for k in keys if k in BIB and
                      ({"doi", "pmid"} & {f.lower() for f in BIB[k].fields})]
        assert identified, f"{label}: no cited work with a DOI or PMID"
