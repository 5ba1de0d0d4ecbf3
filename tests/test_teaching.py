"""The teaching material keeps its promises to educators and learners.

Self-assessment (``docs/teaching/self-assessment.md``): questions are grouped
under one ``## <chapter title>`` heading per clinical chapter, at least five per
chapter, each in the fixed markup the page documents: a label
``(question-<chapter>-<n>)=``, ``### Question <n>``, options A–D, and one
``Answer`` dropdown holding exactly one ``**Answer: X.**`` whose letter is one of
the options, an explanation with a citation to an entry in references.bib, and a
link back to the chapter. The source is checked here; the built page is checked
for answers that stay hidden until the reader opens them.

Cases (``docs/teaching/cases.md``): at least six, all declared fictional, each
with a presentation, questions, and a cited discussion that links to chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

DOCS = ROOT / "docs"
TEACHING = DOCS / "teaching"
CHAPTERS = ["pharmacology", "clinical-use", "special-populations", "off-label-use",
            "misuse-and-abuse", "overdose-and-toxicity", "withdrawal", "treatment"]
MIN_PER_CHAPTER = 5
LETTERS = "ABCD"

LABEL = re.compile(r"^\(question-([a-z-]+?)-(\d+)\)=$")
OPTION = re.compile(r"^- ([A-Z])\. \S")
ANSWER = re.compile(r"\*\*Answer: ([A-Z])\.\*\*")
CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")
BIB_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.M)


def chapter_title(name: str) -> str:
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


def bib_keys() -> set[str]:
    return set(BIB_KEY.findall((ROOT / "references.bib").read_text(encoding="utf-8")))


@dataclass
class Question:
    section: str            # the "## " heading the question sits under
    chapter: str            # from its label
    number: int
    line: int
    heading: str = ""
    options: list[str] = field(default_factory=list)
    dropdowns: list[list[str]] = field(default_factory=list)  # bodies of Answer dropdowns


def parse(text: str) -> list[Question]:
    """Split the page into questions; everything between two labels belongs to one."""
    questions: list[Question] = []
    section = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = line[3:].strip()
        elif m := LABEL.match(line):
            questions.append(Question(section, m.group(1), int(m.group(2)), i + 1))
        elif questions and questions[-1].section == section:
            q = questions[-1]
            if line.startswith("### ") and not q.heading:
                q.heading = line[4:].strip()
            elif m := OPTION.match(line):
                q.options.append(m.group(1))
            elif line.strip() == ":::{dropdown} Answer":
                body = []
                i += 1
                while i < len(lines) and lines[i].strip() != ":::":
                    body.append(lines[i])
                    i += 1
                q.dropdowns.append(body)
        i += 1
    return questions


def problems(text: str, keys: set[str]) -> list[str]:
    """Every way the page breaks the documented question markup, one line each."""
    found = []
    titles = {chapter_title(name): name for name in CHAPTERS}
    headings = len(re.findall(r"^### Question ", text, re.M))
    if headings != len(parse(text)):
        found.append(f"{headings} '### Question' headings but {len(parse(text))} "
                     "'(question-<chapter>-<n>)=' labels: every question needs its label")
    for q in parse(text):
        where = f"line {q.line} (question-{q.chapter}-{q.number})"
        if titles.get(q.section) != q.chapter:
            found.append(f"{where}: under '## {q.section}', which is not the title of "
                         f"the chapter '{q.chapter}'")
        if q.heading != f"Question {q.number}":
            found.append(f"{where}: heading is '### {q.heading}', expected "
                         f"'### Question {q.number}'")
        if q.options != list(LETTERS):
            found.append(f"{where}: options are {q.options}, expected A, B, C, D in order")
        if len(q.dropdowns) != 1:
            found.append(f"{where}: {len(q.dropdowns)} Answer dropdowns, expected 1")
            continue
        body = q.dropdowns[0]
        if ":class-container: answer" not in [line.strip() for line in body]:
            found.append(f"{where}: the Answer dropdown lacks ':class-container: answer'")
        prose = "\n".join(body)
        answers = ANSWER.findall(prose)
        if len(answers) != 1:
            found.append(f"{where}: {len(answers)} '**Answer: X.**' lines, expected 1")
        elif answers[0] not in q.options:
            found.append(f"{where}: answer {answers[0]} is not one of the options")
        cited = [key.strip() for group in CITE.findall(prose) for key in group.split(",")]
        if not cited:
            found.append(f"{where}: the explanation has no citation")
        for key in cited:
            if key not in keys:
                found.append(f"{where}: cites '{key}', which is not in references.bib")
        link = f"See [{chapter_title(q.chapter)}](../{q.chapter}.md)" \
            if q.chapter in CHAPTERS else None
        if link and link not in prose:
            found.append(f"{where}: the explanation does not end with '{link}.'")
    return found


@pytest.fixture(scope="module")
def page() -> str:
    return (TEACHING / "self-assessment.md").read_text(encoding="utf-8")


def test_every_question_follows_the_documented_markup(page):
    assert problems(page, bib_keys()) == []


def test_every_clinical_chapter_has_at_least_five_numbered_questions(page):
    by_chapter: dict[str, list[int]] = {}
    for q in parse(page):
        by_chapter.setdefault(q.chapter, []).append(q.number)
    assert set(by_chapter) == set(CHAPTERS)
    for name, numbers in by_chapter.items():
        assert len(numbers) >= MIN_PER_CHAPTER, f"{name}: only {len(numbers)} questions"
        assert numbers == list(range(1, len(numbers) + 1)), f"{name}: numbered {numbers}"


def test_correct_answers_are_not_all_the_same_letter(page):
    letters = [ANSWER.search("\n".join(q.dropdowns[0])).group(1) for q in parse(page)]
    assert all(letters.count(letter) >= len(letters) // 8 for letter in LETTERS), letters


GOOD = """## Withdrawal

(question-withdrawal-1)=
### Question 1
Stem?

- A. One.
- B. Two.
- C. Three.
- D. Four.

:::{dropdown} Answer
:class-container: answer
**Answer: B.** Because {cite:p}`Gablofen2025label`. See [Withdrawal](../withdrawal.md).
:::
"""


@pytest.mark.parametrize("mistake, replace, expected", [
    ("two answers", ("**Answer: B.**", "**Answer: B.** **Answer: C.**"), "2 '**Answer: X.**'"),
    ("no answer", ("**Answer: B.**", "B."), "0 '**Answer: X.**'"),
    ("answer not an option", ("**Answer: B.**", "**Answer: E.**"), "not one of the options"),
    ("no citation", (" {cite:p}`Gablofen2025label`", ""), "no citation"),
    ("unknown key", ("Gablofen2025label", "Nobody2099made"), "'Nobody2099made'"),
    ("missing option", ("- D. Four.\n", ""), "expected A, B, C, D"),
    ("no dropdown", (":::{dropdown} Answer", ":::{note}"), "0 Answer dropdowns"),
    ("wrong section", ("## Withdrawal", "## Pharmacology"), "not the title"),
    ("wrong number", ("### Question 1", "### Question 2"), "expected '### Question 1'"),
    ("no chapter link", ("See [Withdrawal](../withdrawal.md)", "See the chapter"),
     "does not end with"),
    ("no answer class", (":class-container: answer\n", ""), "lacks ':class-container"),
    ("no label", ("(question-withdrawal-1)=\n", ""), "every question needs its label"),
])
def test_checker_names_each_mistake(mistake, replace, expected):
    keys = bib_keys()
    assert problems(GOOD, keys) == []
    broken = GOOD.replace(*replace)
    found = problems(broken, keys)
    assert any(expected in line for line in found), (mistake, found)


def test_answers_are_hidden_in_dropdowns_on_the_built_page(book_html, page):
    soup = BeautifulSoup(book_html.page("teaching/self-assessment.html"), "html.parser")
    dropdowns = soup.select("details.answer")
    assert len(dropdowns) == len(parse(page))
    for details in dropdowns:
        assert not details.has_attr("open")
        assert details.select_one("summary").get_text(strip=True) == "Answer"
        body = details.select_one(".sd-summary-content")
        assert re.match(r"Answer: [A-D]\.", body.get_text(" ", strip=True))
        assert body.select_one(".bibtex-citation a[href^='#']"), details   # the page's own list
        assert body.select_one("a[href$='.html']:not([href*='bibliography'])"), details


# -- Cases ------------------------------------------------------------------------

CASE = re.compile(r"^\(teaching-case-[a-z-]+\)=\n## Case \d+: .+?(?=^\(teaching-case-|^## References)",
                  re.M | re.S)


@pytest.fixture(scope="module")
def cases() -> str:
    return (TEACHING / "cases.md").read_text(encoding="utf-8")


def test_cases_are_declared_fictional(cases):
    intro = cases[:cases.index("## Case 1")]
    assert "**Every case on this page is fictional.**" in intro
    for case in CASE.findall(cases):
        assert "### Presentation (fictional)" in case, case[:60]


def test_at_least_six_cases_each_with_questions_and_a_cited_discussion(cases):
    found = CASE.findall(cases)
    assert len(found) >= 6
    keys = bib_keys()
    for case in found:
        title = case.splitlines()[1]
        assert "### Questions" in case and re.search(r"^1\. ", case, re.M), title
        discussion = case[case.index(":::{dropdown} Discussion"):]
        cited = {k.strip() for group in CITE.findall(discussion) for k in group.split(",")}
        assert len(cited) >= 3, title
        assert cited <= keys, (title, cited - keys)
        assert re.search(r"\]\(\.\./(" + "|".join(CHAPTERS) + r")\.md\)", discussion), title


def test_teaching_index_lists_its_pages_and_carries_the_disclaimer():
    text = (TEACHING / "index.md").read_text(encoding="utf-8")
    assert "```{include} ../_snippets/disclaimer.md" in text
    toctree = text[text.index("```{toctree}"):]
    for name in ("cases", "self-assessment", "reuse"):
        assert re.search(rf"^{name}$", toctree, re.M), name
        page = (TEACHING / f"{name}.md").read_text(encoding="utf-8")
        assert page.startswith("---\nlast-reviewed: "), name
        assert "```{include} ../_snippets/disclaimer.md" in page, name
