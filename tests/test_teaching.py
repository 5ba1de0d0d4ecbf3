"""The teaching material keeps its promises to educators and learners.

Self-assessment (``docs/teaching/self-assessment.md``): questions are grouped
under one ``## <chapter title>`` heading per clinical chapter, at least five per
chapter, each in the fixed markup the page documents: a label
``(question-<chapter>-<n>)=``, ``### Question <n>``, options A–D, and one
``Answer`` dropdown holding exactly one ``**Answer: X.**`` whose letter is one of
the options, an explanation with a citation to an entry in references.bib, a
rationale ``- **Why not X?** ...`` for every other option, an ``*Item type: ...*``
line (recall, application or appraisal), and a link back to the chapter. At least
a third of the items test application or appraisal, and the item-writing cues a
review found stay out: the keyed option is rarely the longest, and no option
leans on "only", "always" or "never". The source is checked here; the built page
is checked for answers that stay hidden until the reader opens them.

Blueprint (``docs/teaching/blueprint.md``): every learning objective that a
chapter states (its ``learning-objectives`` admonition) has a row naming at least
one question or case that assesses it, and every item it names exists.

Cases (``docs/teaching/cases.md``): at least six, all declared fictional, each
with a presentation, questions, and a cited discussion that links to chapters.
"""

from __future__ import annotations

import functools
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
RATIONALE = re.compile(r"^- \*\*Why not ([A-Z])\?\*\*(.*)$")
ITEM_TYPE = re.compile(r"^\*Item type: (\w+)\b.*\*$")
ITEM_TYPES = {"recall", "application", "appraisal"}
MIN_HIGHER_ORDER = 1 / 3        # share of application + appraisal items
MAX_KEY_EXTREME = 1 / 3         # share of items whose key is the longest (or the shortest) option
MIN_KEY_LONGEST = 1 / 8         # ... and at least this share with the key longest
ABSOLUTES = re.compile(r"\b(only|always|never)\b", re.I)
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
    option_text: dict[str, str] = field(default_factory=dict)
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
                q.option_text[m.group(1)] = line[5:].strip()
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
        found.extend(f"{where}: {problem}" for problem in item_problems(q, answers))
        link = f"See [{chapter_title(q.chapter)}](../{q.chapter}.md)" \
            if q.chapter in CHAPTERS else None
        if link and link not in prose:
            found.append(f"{where}: the explanation does not end with '{link}.'")
    return found


def item_problems(q: Question, answers: list[str]) -> list[str]:
    """A rationale for every distractor (and none for the key) and a readable item type."""
    found = []
    body = q.dropdowns[0]
    rationales: dict[str, list[str]] = {}
    for line in body:
        if m := RATIONALE.match(line.strip()):
            rationales.setdefault(m.group(1), []).append(m.group(2).strip())
    key = answers[0] if len(answers) == 1 else None
    for letter in q.options:
        if letter == key:
            if letter in rationales:
                found.append(f"a '- **Why not {letter}?**' rationale for the keyed answer {letter}")
        elif letter not in rationales:
            found.append(f"no '- **Why not {letter}?**' rationale for distractor {letter}")
        elif len(rationales[letter]) > 1:
            found.append(f"{len(rationales[letter])} rationales for distractor {letter}, expected 1")
        elif len(rationales[letter][0].split()) < 3:
            found.append(f"the rationale for distractor {letter} is empty or too short to explain")
    for letter in rationales:
        if letter not in q.options:
            found.append(f"a rationale for {letter}, which is not an option")
    types = [m.group(1) for line in body if (m := ITEM_TYPE.match(line.strip()))]
    if len(types) != 1 or types[0] not in ITEM_TYPES:
        found.append(f"item type lines {types}: expected one '*Item type: X.*' with X one of "
                     f"{sorted(ITEM_TYPES)}")
    for letter, text in q.option_text.items():
        if m := ABSOLUTES.search(text):
            found.append(f"option {letter} leans on the absolute '{m.group(1)}'; reword it")
    return found


def item_type(q: Question) -> str:
    return next(m.group(1) for line in q.dropdowns[0] if (m := ITEM_TYPE.match(line.strip())))


def keyed(q: Question) -> str:
    return ANSWER.search("\n".join(q.dropdowns[0])).group(1)


@functools.cache
def shared_facts() -> dict:
    import yaml
    return yaml.safe_load((DOCS / "_data" / "facts.yml").read_text(encoding="utf-8"))


def rendered(text: str) -> str:
    """Option text as the reader sees it: shared facts substituted, markup dropped."""
    facts = shared_facts()
    text = re.sub(r"\{\{\s*facts\.(\w+)\.value\s*\}\}",
                  lambda m: str(facts[m.group(1)]["value"]), text)
    return re.sub(r"[*`]", "", text)


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


def test_at_least_a_third_of_the_items_test_application_or_appraisal(page):
    questions = parse(page)
    higher = [q for q in questions if item_type(q) in ("application", "appraisal")]
    assert len(higher) >= MIN_HIGHER_ORDER * len(questions), \
        f"{len(higher)} of {len(questions)} items test application or appraisal"


def test_option_length_gives_no_cue_to_the_key(page):
    """A cue the review found: the keyed option was the longest in about half the items.

    Test-wise learners pick the longest option, or, once they learn it never wins,
    avoid it; so the key may be the longest, or the shortest, in at most a third of
    the items, and is the longest in at least an eighth (chance is a quarter).
    """
    questions = parse(page)
    longest, shortest = [], []
    for q in questions:
        lengths = {letter: len(rendered(text)) for letter, text in q.option_text.items()}
        key = keyed(q)
        others = [n for letter, n in lengths.items() if letter != key]
        if all(lengths[key] > n for n in others):
            longest.append(f"{q.chapter}-{q.number}")
        if all(lengths[key] < n for n in others):
            shortest.append(f"{q.chapter}-{q.number}")
    assert len(longest) <= MAX_KEY_EXTREME * len(questions), ("key longest", longest)
    assert len(shortest) <= MAX_KEY_EXTREME * len(questions), ("key shortest", shortest)
    assert len(longest) >= MIN_KEY_LONGEST * len(questions), ("key seldom longest", longest)


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
**Answer: B.** Because {cite:p}`Gablofen2025label`.

- **Why not A?** It is wrong for a stated reason.
- **Why not C?** It is wrong for a stated reason.
- **Why not D?** It is wrong for a stated reason.

*Item type: recall.*
See [Withdrawal](../withdrawal.md).
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
    ("distractor without rationale", ("- **Why not C?** It is wrong for a stated reason.\n", ""),
     "no '- **Why not C?**' rationale for distractor C"),
    ("rationale for the key", ("- **Why not A?**", "- **Why not B?**"),
     "rationale for the keyed answer B"),
    ("empty rationale", ("- **Why not D?** It is wrong for a stated reason.", "- **Why not D?** No."),
     "empty or too short"),
    ("no item type", ("*Item type: recall.*\n", ""), "item type lines []"),
    ("unknown item type", ("*Item type: recall.*", "*Item type: trivia.*"), "item type lines"),
    ("absolute in an option", ("- C. Three.", "- C. Only three."), "absolute 'Only'"),
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
    for name in ("blueprint", "cases", "self-assessment", "reuse"):
        assert re.search(rf"^{name}$", toctree, re.M), name
        page = (TEACHING / f"{name}.md").read_text(encoding="utf-8")
        assert page.startswith("---\nlast-reviewed: "), name
        assert "```{include} ../_snippets/disclaimer.md" in page, name


# -- Blueprint ---------------------------------------------------------------------

BLUEPRINT_SECTION = re.compile(r"^## \[[^\]]+\]\(\.\./([a-z-]+)\.md\)\s*$")
ROW = re.compile(r"^\|(?P<objective>[^|]+)\|(?P<questions>[^|]*)\|(?P<cases>[^|]*)\|\s*$")
REF = re.compile(r"\{ref\}`[^`<]*<([^>`]+)>`")
TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<[^>]+>)?`")
CASE_LABEL = re.compile(r"^\((teaching-case-[a-z-]+)\)=$", re.M)


def normalise(text: str) -> str:
    """Objective text as a reader sees it: glossary roles reduced to their text."""
    text = TERM.sub(lambda m: m.group(1), text)
    return " ".join(text.replace("`", "").lower().split()).rstrip(";.")


def chapter_objectives(text: str) -> list[str]:
    """The list items of the chapter's ``learning-objectives`` admonition."""
    m = re.search(r"^:class: learning-objectives\n(.*?)^:::", text, re.M | re.S)
    if not m:
        return []
    return [normalise(line[2:]) for line in m.group(1).splitlines() if line.startswith("- ")]


@dataclass
class Row:
    chapter: str
    line: int
    keys: list[str]
    items: list[str]


def blueprint_rows(text: str) -> list[Row]:
    rows, chapter = [], None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            m = BLUEPRINT_SECTION.match(line)
            chapter = m.group(1) if m else None
        elif chapter and (m := ROW.match(line)):
            cell = m.group("objective").strip()
            if cell.startswith("Objective") or set(cell) <= set("-: "):
                continue
            keys = [normalise(k) for k in cell.split(" / ") if k.strip()]
            items = REF.findall(m.group("questions")) + REF.findall(m.group("cases"))
            rows.append(Row(chapter, number, keys, items))
    return rows


def blueprint_problems(blueprint: str, chapters: dict[str, str], questions: str,
                       cases: str) -> list[str]:
    """Every way the blueprint fails to cover the objectives with real items."""
    found = []
    rows = blueprint_rows(blueprint)
    question_ids = {f"question-{q.chapter}-{q.number}" for q in parse(questions)}
    case_ids = set(CASE_LABEL.findall(cases))
    for name, text in chapters.items():
        objectives = chapter_objectives(text)
        if not objectives:
            found.append(f"docs/{name}.md states no learning objectives")
        mine = [row for row in rows if row.chapter == name]
        if not mine:
            found.append(f"blueprint: no '## [title](../{name}.md)' section for {name}")
        for objective in objectives:
            if not any(key in objective for row in mine for key in row.keys):
                found.append(f"{name}: the objective '{objective}' has no blueprint row; add a "
                             "row whose key words occur in it and name an item that assesses it")
        for row in mine:
            if not any(key in objective for key in row.keys for objective in objectives):
                found.append(f"blueprint line {row.line}: key words {row.keys} match no "
                             f"objective of {name}; update them to the chapter's wording")
    for row in rows:
        if row.chapter not in chapters:
            found.append(f"blueprint line {row.line}: '{row.chapter}' is not a clinical chapter")
        if not row.items:
            found.append(f"blueprint line {row.line}: names no question or case")
        for item in row.items:
            if item not in question_ids | case_ids:
                found.append(f"blueprint line {row.line}: '{item}' is not a question or case label")
    named = {item for row in rows for item in row.items}
    for item in sorted((question_ids | case_ids) - named):
        found.append(f"'{item}' assesses no objective in the blueprint")
    return found


def chapters_text() -> dict[str, str]:
    return {name: (DOCS / f"{name}.md").read_text(encoding="utf-8") for name in CHAPTERS}


def test_blueprint_maps_every_objective_to_existing_items(page, cases):
    blueprint = (TEACHING / "blueprint.md").read_text(encoding="utf-8")
    assert blueprint_problems(blueprint, chapters_text(), page, cases) == []


@pytest.mark.parametrize("mistake, change, expected", [
    ("objective without a row", lambda b, c: (b.replace("| raising GABA levels |", "| unrelated words |"), c),
     "has no blueprint row"),
    ("row matching no objective", lambda b, c: (b, {**c, "pharmacology": c["pharmacology"].replace(
        "why it also causes sedation", "why it also causes drowsiness")}), "match no objective"),
    ("unknown item", lambda b, c: (b.replace("<question-pharmacology-1>", "<question-pharmacology-99>"), c),
     "'question-pharmacology-99' is not a question or case label"),
    ("row without items", lambda b, c: (b.replace("| given in µg | {ref}`Q4 <question-pharmacology-4>` |",
                                                  "| given in µg | — |"), c), "names no question or case"),
    ("item assessing nothing", lambda b, c: (b.replace(", {ref}`Q10 <question-clinical-use-10>`", "")
                                             .replace("{ref}`Q10 <question-clinical-use-10>`", "—"), c),
     "'question-clinical-use-10' assesses no objective"),
])
def test_blueprint_checker_names_each_mistake(page, cases, mistake, change, expected):
    blueprint = (TEACHING / "blueprint.md").read_text(encoding="utf-8")
    broken_blueprint, broken_chapters = change(blueprint, chapters_text())
    found = blueprint_problems(broken_blueprint, broken_chapters, page, cases)
    assert any(expected in line for line in found), (mistake, found)
