"""The products table of the clinical-use chapter rests on each product's own label.

A prescriber switches products from this table, so every row must cite the
product's own label (US prescribing information, SmPC, package insert or product
monograph) and never a news or trade report of an approval, and every strength
must come from docs/_data/facts.yml rather than be typed into the row.
"""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_string

from conftest import ROOT

CHAPTER = ROOT / "docs" / "clinical-use.md"
BIB = ROOT / "references.bib"
ANCHOR = "(clinical-use-formulations)="
CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")
LABEL_WORDS = re.compile(r"prescribing information|summary of product characteristics|"
                         r"package insert|product monograph|\blabel\b", re.I)
NEWS = re.compile(r"\bnews\b|press release|prnewswire|businessinsider|neurologylive|pharmacytimes|"
                  r"managedhealthcareexecutive|biocentury|fiercepharma|healthesystems|"
                  r"multiplesclerosisnewstoday", re.I)


def product_rows(text: str) -> list[tuple[int, list[str]]]:
    """Body rows of the first table after the products anchor, with line numbers."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == ANCHOR)
    rows, in_table = [], False
    for number, line in enumerate(lines[start:], start + 1):
        if line.startswith("|"):
            in_table = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append((number, cells))
        elif in_table:
            break
    return rows[1:]  # drop the header row


def product_words(name: str) -> list[str]:
    """The words that name a product in its row: 'Baclofen tablets (generic)' -> ['baclofen',
    'tablet'] (bracketed notes dropped, plurals made singular)."""
    words = re.sub(r"\(.*?\)", "", name).casefold().split()
    return [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]


def names_product(title: str, name: str) -> bool:
    """Whether a label's title names the row's product (every word of the product name)."""
    said = title.casefold()
    return all(word in said for word in product_words(name))


def problems(text: str, bib_text: str) -> list[str]:
    """Every way a products row fails the rule, as 'line N: problem'."""
    entries = parse_string(bib_text, "bibtex").entries
    found = []
    for number, cells in product_rows(text):
        keys = [k.strip() for m in CITE.finditer(cells[-1]) for k in m.group(1).split(",")]
        if not keys:
            found.append(f"line {number}: {cells[0]} cites no source")
        if "{{ facts." not in cells[2]:
            found.append(f"line {number}: {cells[0]} types its strength instead of a fact")
        for key in keys:
            entry = entries.get(key)
            if entry is None:
                found.append(f"line {number}: {key} is not in references.bib")
                continue
            fields = " ".join(str(v) for v in entry.fields.values())
            if NEWS.search(fields):
                found.append(f"line {number}: {key} is a news or trade source, not a label")
            elif not LABEL_WORDS.search(f"{key} {fields}"):
                found.append(f"line {number}: {key} does not describe a product label")
            elif not names_product(str(entry.fields.get("title", "")), cells[0]):
                found.append(f"line {number}: {key} is not the label of {cells[0]} "
                             "(its title does not name the product)")
    return found


def test_products_table_has_rows_for_every_product_family():
    names = " ".join(cells[0] for _, cells in product_rows(CHAPTER.read_text(encoding="utf-8")))
    for product in ("tablets", "Ozobax", "Ozobax DS", "Fleqsuvy", "oral suspension (generic)",
                    "Lyvispah", "Gablofen", "Lioresal Intrathecal", "injection (generic"):
        assert product in names, product


def test_every_product_row_cites_a_label_and_takes_strengths_from_facts():
    found = problems(CHAPTER.read_text(encoding="utf-8"), BIB.read_text(encoding="utf-8"))
    assert not found, "docs/clinical-use.md products table:\n" + "\n".join(found)


@pytest.mark.parametrize("entry, message", [
    ("@misc{Wire2022x, title={FDA approves a baclofen suspension}, "
     "howpublished={NeurologyLive (news report)}, year={2022}, url={https://example.org/a}}",
     "news or trade source"),
    ("@misc{Wire2022x, title={Baclofen: an overview}, year={2022}, url={https://example.org/a}}",
     "does not describe a product label"),
], ids=["news-report", "not-a-label"])
def test_check_fails_on_a_row_citing_a_news_or_non_label_source(entry, message):
    text = (f"{ANCHOR}\n## Products\n\n| Product | Route | Strengths | Use | Age | Source |\n"
            "|---|---|---|---|---|---|\n"
            "| Newsy | Oral | {{ facts.oral_suspension_concentration_us.value }} | x | x | "
            "{cite:p}`Wire2022x` |\n")
    found = problems(text, entry)
    assert len(found) == 1 and message in found[0] and found[0].startswith("line 6:")


def test_check_fails_on_a_typed_strength():
    text = (f"{ANCHOR}\n\n| Product | Route | Strengths | Use | Age | Source |\n"
            "|---|---|---|---|---|---|\n"
            "| Ozobax | Oral | 5 mg/5 mL | x | x | {cite:p}`Ozobax2021label` |\n")
    found = problems(text, BIB.read_text(encoding="utf-8"))
    assert found == ["line 5: Ozobax types its strength instead of a fact"]


def test_check_fails_on_a_row_citing_another_products_label():
    text = (f"{ANCHOR}\n\n| Product | Route | Strengths | Use | Age | Source |\n"
            "|---|---|---|---|---|---|\n"
            "| Ozobax | Oral | {{ facts.oral_solution_concentration_us.value }} | x | x | "
            "{cite:p}`Ozobax2021label,Gablofen2025label` |\n")
    found = problems(text, BIB.read_text(encoding="utf-8"))
    assert found == ["line 5: Gablofen2025label is not the label of Ozobax "
                     "(its title does not name the product)"]
    assert product_words("Baclofen tablets (generic)") == ["baclofen", "tablet"]
