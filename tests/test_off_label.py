"""The off-label chapter reports its evidence the way GRADE does, and its tables cannot drift.

* The summary table and the per-use sections cannot disagree; every use names its main
  outcome, rates it on the chapter's scale and gives a reason and a cited review or trial.
* The alcohol summary-of-findings table has, in every row, the studies and participants, a
  relative effect with its confidence interval (or, for a continuous outcome, an absolute
  effect with one), an absolute effect, a certainty on the scale and a reason for it.
* Every row of the alcohol trial table cites the trial's primary report (a journal article
  with a DOI or PMID, not a commentary, letter or news item), and the prose that sets the
  positive and negative trials side by side names every trial with the doses in its row.
"""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_file

from conftest import ROOT

SOURCE = (ROOT / "docs" / "off-label-use.md").read_text(encoding="utf-8")
SCALE = {"High", "Moderate", "Low", "Very low"}
HEADLINE = re.compile(r"^\*\*Main outcome:\*\* (.+?)\. \*\*Certainty:\*\* (.+?)\. "
                      r"\*\*Regulatory status:\*\* (.+?)\. "
                      r"\*\*What the evidence shows:\*\* (.+?)\.$", re.M)
NOT_SECTIONS = {"off-label-use-grading", "off-label-use-summary", "off-label-use-search"}
BIB = parse_file(str(ROOT / "references.bib")).entries
CI = re.compile(r"\(−?\d[\d.,]*(?: [a-z]+)? to −?\d[\d.,]*(?: [a-z]+)?\)|\d[\d.]*–\d[\d.]*")
GRADE_REASON = re.compile(r"risk of bias|inconsisten|indirect|imprecis|publication bias|"
                          r"not rated down|large effect|dose.response", re.I)
NOT_PRIMARY = re.compile(r"commentary|letter|news|column|editorial|press release", re.I)
MG_PER_DAY = re.compile(r"(\d+)(?:–(\d+))? mg/day")


def rendered(text: str) -> str:
    """Text as the reader sees it: {term}`text <Target>` and {term}`Term` become words."""
    return re.sub(r"\{term\}`([^`<]+?)(?:\s*<[^`]+>)?`", r"\1", text).strip()


def table_after(label: str, text: str = SOURCE) -> list[list[str]]:
    """The cells of the first Markdown table after ``(label)=``, header and rule dropped."""
    body = text.split(f"({label})=", 1)[1]
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def summary_rows(text: str = SOURCE) -> dict[str, tuple[str, ...]]:
    rows = {}
    for cells in table_after("off-label-use-summary", text):
        assert len(cells) == 7, f"summary table row has {len(cells)} cells, expected 7: {cells}"
        use, outcome, certainty, status, shows, sources, section = cells
        label = re.search(r"\{ref\}`([^`]+)`", section).group(1)
        rows[label] = (outcome, certainty, status, shows, sources)
    return rows


def section(label: str, text: str = SOURCE) -> str:
    body = text.split(f"({label})=\n", 1)[1]
    return re.split(r"\n\([a-z-]+\)=\n## ", body, maxsplit=1)[0]


def keys_in(text: str) -> list[str]:
    return [k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text)
            for k in group.split(",")]


# --- summary table and sections -------------------------------------------------------

def test_summary_table_lists_every_use_section():
    sections = set(re.findall(r"^\((off-label-use-[a-z-]+)\)=\n## ", SOURCE, re.M))
    assert set(summary_rows()) == sections - NOT_SECTIONS


def test_each_row_agrees_with_its_section_headline():
    for label, (outcome, certainty, status, shows, _sources) in summary_rows().items():
        match = HEADLINE.search(section(label))
        assert match, (f"{label}: first line must be the Main outcome / Certainty / "
                       "Regulatory status / What the evidence shows headline")
        assert tuple(map(rendered, match.groups())) == tuple(
            map(rendered, (outcome, certainty, status, shows))), label


def test_each_use_is_rated_on_the_scale_with_a_reason():
    for label, (_outcome, certainty, *_rest) in summary_rows().items():
        assert certainty in SCALE, (label, certainty)
        assert re.search(r"Reason for the rating|We rate", section(label)), label


def test_what_the_evidence_shows_does_not_prescribe():
    """The chapter disclaims recommendations, so the summary cells describe findings."""
    advice = re.compile(r"\b(recommend|should|first-line option|second-line option|"
                        r"consider using|use with|not recommended|insufficient to recommend)\b",
                        re.I)
    for label, (*_rest, shows, _sources) in summary_rows().items():
        assert not advice.search(shows), (label, shows)


def test_each_use_cites_a_trial_or_review_with_doi_or_pmid():
    for label, (*_rest, sources) in summary_rows().items():
        keys = keys_in(section(label) + sources)
        identified = [k for k in keys if k in BIB and
                      ({"doi", "pmid"} & {f.lower() for f in BIB[k].fields})]
        assert identified, f"{label}: no cited work with a DOI or PMID"


# --- summary of findings --------------------------------------------------------------

def sof_problems(rows: list[list[str]]) -> list[str]:
    """Every reason a summary-of-findings row is incomplete, as readable messages."""
    problems = []
    for cells in rows:
        if len(cells) != 7:
            problems.append(f"row has {len(cells)} cells, expected 7: {cells[:1]}")
            continue
        outcome, studies, relative, absolute, certainty, reason, meaning = cells
        name = outcome or "(unnamed outcome)"
        if not outcome:
            problems.append("a row has no outcome")
        if not re.fullmatch(r"\d+ \(\d[\d,]*\)", studies):
            problems.append(f"{name}: studies (participants) must read like '12 (1057)', "
                            f"got {studies!r}")
        continuous = "continuous outcome" in relative
        if not continuous and not CI.search(relative):
            problems.append(f"{name}: relative effect needs a 95% CI, got {relative!r}")
        if not absolute:
            problems.append(f"{name}: absolute effect is empty")
        elif continuous and not CI.search(absolute):
            problems.append(f"{name}: continuous outcome needs its effect with a CI in the "
                            "absolute column")
        elif not continuous and not re.search(r"per 1,000", absolute):
            problems.append(f"{name}: absolute effect must be per 1,000 with the control risk")
        if certainty not in SCALE:
            problems.append(f"{name}: certainty {certainty!r} is not on the scale")
        if not GRADE_REASON.search(reason):
            problems.append(f"{name}: the reason must name a GRADE domain (risk of bias, "
                            "imprecision, …) or say 'not rated down'")
        if not rendered(re.sub(r"\{cite:[pt]\}`[^`]+`", "", meaning)).strip():
            problems.append(f"{name}: plain-language statement is empty")
        if not keys_in(" ".join(cells)):
            problems.append(f"{name}: row cites no source")
    return problems


def test_summary_of_findings_rows_are_complete():
    rows = table_after("off-label-use-alcohol-sof")
    assert len(rows) >= 4, "the alcohol summary-of-findings table lost outcomes"
    assert sof_problems(rows) == []


@pytest.mark.parametrize("column, blank", [(1, ""), (2, "RR 0.87"), (3, ""), (4, "Strong"),
                                          (5, "Because we say so")])
def test_summary_of_findings_check_fails_on_a_bad_cell(column, blank):
    rows = table_after("off-label-use-alcohol-sof")
    broken = [list(row) for row in rows]
    broken[0][column] = blank
    assert sof_problems(broken), f"a bad cell in column {column} went unnoticed"


def test_summary_of_findings_numbers_match_the_key_points():
    """The headline numbers of the key points are the table's numbers."""
    rows = {cells[0]: cells for cells in table_after("off-label-use-alcohol-sof")}
    relapse = next(c for name, c in rows.items() if name.startswith("Relapse"))
    assert "0.87 (0.77 to 0.99)" in relapse[2]
    key_points = SOURCE.split(":class: key-points", 1)[1].split(":::", 1)[0]
    for name, certainty in (("Relapse", "moderate"), ("Percentage of days abstinent", "high"),
                            ("Percentage of heavy drinking days", "moderate")):
        row = next(c for n, c in rows.items() if n.startswith(name))
        assert row[4].lower() == certainty, (name, row[4])
        assert f"({certainty} certainty)" in key_points, name


# --- alcohol trial table --------------------------------------------------------------

def trial_rows(text: str = SOURCE) -> list[list[str]]:
    rows = table_after("off-label-use-alcohol-trials", text)
    for cells in rows:
        assert len(cells) == 8, f"trial table row has {len(cells)} cells, expected 8: {cells[0]}"
    return rows


def test_every_trial_row_cites_its_primary_report():
    for trial, *_cells, source in trial_rows():
        keys = keys_in(source)
        assert keys, f"{trial}: no source"
        for key in keys:
            entry = BIB.get(key)
            assert entry is not None, f"{trial}: {key} is not in references.bib"
            fields = {f.lower(): str(v) for f, v in entry.fields.items()}
            assert entry.type == "article", f"{trial}: {key} is a {entry.type}, not an article"
            assert {"doi", "pmid"} & set(fields), f"{trial}: {key} has no DOI or PMID"
            described = " ".join(fields.get(f, "") for f in ("title", "note", "howpublished"))
            assert not NOT_PRIMARY.search(described), (
                f"{trial}: {key} is a commentary, letter or news item, not the trial report")


def balance_problems(text: str) -> list[str]:
    """Trials of the table missing from the side-by-side prose, or shown with other doses."""
    prose = text.split("(off-label-use-alcohol-balance)=", 1)[1].split("\n(", 1)[0]
    sentences = re.split(r"(?<=[.:])\s+", prose)
    problems = []
    for trial, _design, dose, *_rest in trial_rows(text):
        mentions = [s for s in sentences if trial in s]
        if not mentions:
            problems.append(f"{trial} is in the trial table but not in the side-by-side text")
            continue
        said = {n for s in mentions for m in MG_PER_DAY.finditer(s) for n in m.groups() if n}
        for match in MG_PER_DAY.finditer(dose):
            for number in filter(None, match.groups()):
                if number not in said:
                    problems.append(f"{trial}: the table gives {number} mg/day, the text "
                                    "does not")
    return problems


def test_trial_table_and_side_by_side_text_agree():
    assert balance_problems(SOURCE) == []


def test_trial_check_fails_when_the_text_drifts():
    drifted = SOURCE.replace("ALPADIR 2017 found no difference in continuous abstinence at a "
                             "target of 180 mg/day", "ALPADIR 2017 found no difference at "
                             "a target of 150 mg/day")
    assert drifted != SOURCE
    assert any("ALPADIR 2017" in p for p in balance_problems(drifted))
    dropped = SOURCE.replace("Garbutt 2010 found", "A US trial found")
    assert any("Garbutt 2010" in p for p in balance_problems(dropped))


def test_negative_trials_are_as_visible_as_positive_ones():
    """Balance: the side-by-side text lists trials that failed, not only those that worked."""
    prose = SOURCE.split("(off-label-use-alcohol-balance)=", 1)[1].split("\n(", 1)[0]
    positive, negative = prose.split("Trials that did not:", 1)
    assert len(re.findall(r"\{cite:p\}", negative)) >= 3
    assert len(re.findall(r"\{cite:p\}", positive)) >= 3


def test_chapter_has_a_search_section_and_a_current_review_date():
    assert re.search(r"^last-reviewed: 2026-12-06$", SOURCE, re.M)
    rows = table_after("off-label-use-search")
    uses = {cells[0] for cells in rows}
    for expected in ("Alcohol use disorder", "Hiccups", "Reflux disease", "Cocaine use disorder",
                     "Trigeminal neuralgia", "Alcohol withdrawal"):
        assert expected in uses, f"'How this chapter was researched' has no row for {expected}"
    for cells in rows:
        assert len(cells) == 4 and all(cells), f"incomplete search row: {cells}"
