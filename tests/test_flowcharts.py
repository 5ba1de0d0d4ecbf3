"""The flowcharts say nothing the chapter's text does not say.

A reader in an emergency may follow the chart alone. So every number in a chart
node (a dose, a time, a phone number) must appear in the prose of the same
chapter, and every step must be written in the prose too — the words of each node,
from the first step (the entry node and the nodes it leads to) onwards. A chart
cannot introduce a step, or change a number, that the cited text does not contain.
The chart's alt text is what a screen reader says instead of the chart, so its
numbers are held to the same rule (its "Step 1" counters are not statements).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DOCS = Path(__file__).resolve().parent.parent / "docs"
FACTS = yaml.safe_load((DOCS / "_data" / "facts.yml").read_text(encoding="utf-8"))
FACT = re.compile(r"\{\{\s*(?:facts\.)?(\w+)(?:\.value)?\s*\}\}")

CHART = re.compile(r"^```\{graphviz\}[^\n]*\n(.*?)^```", re.M | re.S)
NODE = re.compile(r'^\s*(\w+)\s*\[[^\]]*?label\s*=\s*"((?:[^"\\]|\\.)*)"', re.M)
EDGE_LINE = re.compile(r"^\s*(\w+(?:\s*->\s*\w+)+)", re.M)
ALT = re.compile(r"^:alt:\s*(.*)$", re.M)
STEP_COUNTER = re.compile(r"\b[Ss]tep \d+")
WORDED_RANGE = re.compile(r"(\d+(?:[.,]\d+)?) to (\d+(?:[.,]\d+)?)")
NUMBER = re.compile(r"(\d+(?:[.,]\d+)?(?:\s?[–-]\s?\d+(?:[.,]\d+)?)?)\s?"
                    r"(mg|µg|mL|h|hours?|min|minutes?|days?|%)?(?![\w])")
UNITS = {"h": r"(?:h|hours?)", "hour": r"(?:h|hours?)", "hours": r"(?:h|hours?)",
         "min": r"(?:min|minutes?)", "minute": r"(?:min|minutes?)",
         "minutes": r"(?:min|minutes?)", "day": r"days?", "days": r"days?"}
# Words that carry no step on their own.
STOPWORDS = {"with", "from", "that", "this", "then", "than", "into", "also", "only",
             "after", "before", "under", "every", "never", "alone", "see", "chapter",
             "overdose", "baclofen", "person", "details", "first"}


def charts(markdown: str) -> list[str]:
    return [m.group(1) for m in CHART.finditer(markdown)]


def prose(markdown: str) -> str:
    """The chapter's own words: charts removed, roles reduced to their text."""
    text = CHART.sub("", markdown)
    # Shared facts render as their values (docs/_data/facts.yml).
    text = FACT.sub(lambda m: str(FACTS.get(m.group(1), {}).get("value", m.group(0))), text)
    text = re.sub(r"\{cite:[pt]\}`[^`]*`", "", text)
    text = re.sub(r"\{(?:term|ref|doc)\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", text)
    text = re.sub(r"[*_]{1,2}", "", text)
    return re.sub(r"\s+", " ", text)


def nodes_and_edges(dot: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    labels = {m.group(1): m.group(2).replace("\\n", " ") for m in NODE.finditer(dot)}
    edges = []
    for line in EDGE_LINE.finditer(dot):
        names = [n.strip() for n in line.group(1).split("->")]
        edges += list(zip(names, names[1:]))
    return labels, edges


def first_steps(labels: dict[str, str], edges: list[tuple[str, str]]) -> list[str]:
    """The entry nodes (nothing points to them) and the nodes they lead to."""
    targets = {b for _, b in edges}
    roots = [n for n in labels if n not in targets]
    return roots + [b for a, b in edges if a in roots]


def number_in_text(number: str, unit: str | None, text: str) -> bool:
    digits = re.escape(number).replace("–", "[–-]").replace(r"\-", "[–-]")
    digits = digits.replace(r"\ ", r"\s?")
    if unit:
        unit_pattern = UNITS.get(unit, re.escape(unit))
        pattern = rf"(?<![\d.]){digits}\s?{unit_pattern}(?![\w])"
    else:
        pattern = rf"(?<![\d.–-]){digits}(?![\d–-])"
    return re.search(pattern, text) is not None


def alt_numbers(chart: str):
    """The numbers of the chart's alt text, "12 to 36 hours" read as the range 12–36."""
    match = ALT.search(chart)
    alt = STEP_COUNTER.sub("", match.group(1) if match else "")
    return NUMBER.finditer(WORDED_RANGE.sub(r"\1–\2", alt))


def words(label: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", label)} - STOPWORDS


def problems(markdown: str) -> list[str]:
    """Every number or first-step word of a chart that the prose does not contain."""
    text = prose(markdown)
    lowered = text.lower()
    found = []
    for dot in charts(markdown):
        labels, edges = nodes_and_edges(dot)
        for name, label in labels.items():
            for match in NUMBER.finditer(label):
                if not number_in_text(match.group(1), match.group(2), text):
                    found.append(f"node {name}: '{match.group(0).strip()}' is not in the text")
        for match in alt_numbers(dot):
            if not number_in_text(match.group(1), match.group(2), text):
                found.append(f"alt text: '{match.group(0).strip()}' is not in the text")
        first = first_steps(labels, edges)
        for name, label in labels.items():
            missing = sorted(w for w in words(label)
                             if w not in lowered and w.rstrip("s") not in lowered)
            if missing:
                kind = "first step" if name in first else "step"
                found.append(f"{kind} {name}: {', '.join(missing)} not in the text")
    return found


CHAPTERS = sorted(p for p in DOCS.rglob("*.md") if "{graphviz}" in p.read_text("utf-8"))


def test_the_book_has_flowcharts():
    assert CHAPTERS, "no chapter with a Graphviz flowchart was found under docs/"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_every_chart_number_and_first_step_is_in_the_text(chapter):
    assert problems(chapter.read_text(encoding="utf-8")) == []


CHAPTER = """# A chapter

A person with symptoms needs help.
Give 5 mg by mouth every 6 hours {cite:p}`Key`.
Call 911 if the person is unstable.

```{graphviz}
:alt: A chart.

digraph x {
  a [label="Person with symptoms"];
  b [label="Call 911 if unstable"];
  c [label="Give 5 mg every 6 h"];
  a -> b -> c;
}
```
"""


def test_a_chart_that_agrees_with_its_text_passes():
    assert problems(CHAPTER) == []


def test_a_number_missing_from_the_text_is_reported():
    bad = CHAPTER.replace('"Give 5 mg every 6 h"', '"Give 50 mg every 6 h"')
    assert problems(bad) == ["node c: '50 mg' is not in the text"]


def test_a_changed_interval_is_reported():
    bad = CHAPTER.replace('"Give 5 mg every 6 h"', '"Give 5 mg every 8 h"')
    assert problems(bad) == ["node c: '8 h' is not in the text"]


def test_a_first_step_missing_from_the_text_is_reported():
    bad = CHAPTER.replace('"Call 911 if unstable"', '"Apply leeches at once"')
    assert problems(bad) == ["first step b: apply, leeches, once not in the text"]


def test_a_number_in_the_alt_text_missing_from_the_text_is_reported():
    bad = CHAPTER.replace(":alt: A chart.", ":alt: Step 1: give 5 mg every 12 hours.")
    assert problems(bad) == ["alt text: '12 hours' is not in the text"]


def test_a_worded_range_in_the_alt_text_is_read_as_a_range():
    good = CHAPTER.replace("Call 911 if the person is unstable.",
                           "Call 911 if the person is unstable.\nSome gave it every 6–8 hours.")
    good = good.replace(":alt: A chart.", ":alt: Step 1: give 5 mg every 6 to 8 hours.")
    assert problems(good) == []
    assert problems(good.replace("6 to 8 hours", "6 to 12 hours")) == [
        "alt text: '6–12 hours' is not in the text"]


def test_a_number_in_the_chart_source_outside_labels_is_ignored():
    # Graph attributes (font sizes) are not statements.
    assert problems(CHAPTER.replace("digraph x {", "digraph x {\n  node [fontsize=10];")) == []


def test_a_later_step_missing_from_the_text_is_reported():
    bad = CHAPTER.replace('"Give 5 mg every 6 h"', '"Give 5 mg every 6 h; start ketamine"')
    assert problems(bad) == ["step c: ketamine, start not in the text"]


# The real charts, broken in a copy: each change a careless edit could make to a
# chart alone must be reported (the file on disk is never touched).
TREATMENT = DOCS / "treatment.md"
BROKEN_CHARTS = [
    ("half-life 12–36 h after overdose", "half-life 2–6 h after overdose",
     "node f: '2–6 h' is not in the text"),
    ("+ oral baclofen 10–20 mg every 6 h", "+ oral baclofen 10–40 mg every 6 h",
     "node e: '10–40 mg' is not in the text"),
    ("cyproheptadine 4–8 mg every 6–8 h,\\n", "cyproheptadine 4–8 mg every 4 h,\\n",
     "node f: '4 h' is not in the text"),
    ("has been reported as 12 to 36 hours", "has been reported as 2 to 6 hours",
     "alt text: '2–6 hours' is not in the text"),
    ('a [label="Suspected baclofen overdose\\n(by mouth or from a pump)"]',
     'a [label="Suspected baclofen overdose\\ngive ketamine first"]',
     "first step a: ketamine not in the text"),
]


@pytest.mark.parametrize("old, new, expected", BROKEN_CHARTS, ids=lambda v: v[:24])
def test_a_broken_copy_of_the_treatment_charts_is_reported(old, new, expected):
    text = TREATMENT.read_text(encoding="utf-8")
    assert problems(text) == [], "the treatment charts should agree with the text first"
    assert text.count(old) == 1, f"the chart no longer contains {old!r}: update this test"
    assert expected in problems(text.replace(old, new))
