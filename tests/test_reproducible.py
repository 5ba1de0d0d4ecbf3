"""The same commit builds the same pages, from any folder, with no new warnings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bookext import products
from conftest import ROOT, sphinx_build

ALLOWLIST = ROOT / "tests" / "warnings-allowlist.txt"
IGNORE = shutil.ignore_patterns("_build", ".venv", "__pycache__", ".pytest_cache",
                                "test-results")


def warnings_in(output: str, root: Path) -> set[str]:
    found = set()
    for line in output.splitlines():
        if "WARNING:" in line or "ERROR:" in line:
            found.add(line.replace(str(root) + "/", ""))
    return found


def test_warnings_match_the_allowlist(book_html):
    allowed = {line for line in ALLOWLIST.read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    found = warnings_in(book_html.output, ROOT)
    assert not found - allowed, "new warnings:\n" + "\n".join(sorted(found - allowed))
    assert not allowed - found, ("allowlisted warnings that no longer appear (remove them):\n"
                                 + "\n".join(sorted(allowed - found)))


def test_copy_in_another_folder_builds_identical_html(book_html, tmp_path):
    """No absolute paths: a copy elsewhere (with its git history, which names the
    edition) builds, and with SOURCE_DATE_EPOCH set the HTML is byte-identical to the
    first build (reproducible output)."""
    copy = tmp_path / "elsewhere" / "book"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    # The Downloads page lists the sizes of PDFs already built (make pdf): give the copy
    # the same files, so that both builds see the same inputs.
    for pdf in (ROOT / "_build" / "pdf").glob("*.pdf"):
        (copy / "_build" / "pdf").mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, copy / "_build" / "pdf" / pdf.name)
    again = sphinx_build(copy, "html", tmp_path / "html")
    assert again.returncode == 0, again.output
    first = {p.relative_to(book_html.outdir): p for p in book_html.outdir.rglob("*")
             if p.is_file() and ".doctrees" not in p.parts}
    second = {p.relative_to(again.outdir): p for p in again.outdir.rglob("*")
              if p.is_file() and ".doctrees" not in p.parts}
    assert sorted(first) == sorted(second)
    differing = [str(rel) for rel, path in first.items()
                 if path.read_bytes() != second[rel].read_bytes()]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
    for page in again.outdir.rglob("*.html"):
        assert str(tmp_path) not in page.read_text(encoding="utf-8"), page


def test_pdf_built_twice_is_the_same_document(book_print, tmp_path):
    """Printed again from the same print pages, the book and every handout are the same
    document: same pages, every word within a point of where it was, same tags, same
    metadata and dates (from SOURCE_DATE_EPOCH). Not the same bytes: Chromium places the odd
    text run a fraction of a point differently on some machines (tools/pdfsame.py)."""
    import pdfsame

    from conftest import printpdf
    printpdf(book_print.parent / "printhtml", tmp_path / "again")
    first = sorted(pdf.name for pdf in book_print.glob("*.pdf"))
    assert sorted(pdf.name for pdf in (tmp_path / "again").glob("*.pdf")) == first
    assert products.BOOK_PDF in first and len(first) >= 9
    for name in first:
        assert pdfsame.differences(book_print / name, tmp_path / "again" / name) == [], name


def test_pdfsame_reports_a_moved_word_and_a_changed_date(book_print, tmp_path):
    """The comparison can fail: a word moved by 2 pt and a different date are reported."""
    import pikepdf
    import pdfsame

    original = book_print / "handout-withdrawal.pdf"
    changed = tmp_path / "changed.pdf"
    with pikepdf.open(original) as pdf:
        page = pdf.pages[0]
        page.contents_add(pikepdf.Stream(pdf, b"q 1 0 0 1 0 -2 cm"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q"))
        pdf.docinfo["/ModDate"] = "D:20000101000000Z"
        pdf.save(changed)
    found = pdfsame.differences(original, changed)
    assert any(line.startswith("page 1:") and "by 2.00 pt" in line for line in found), found
    assert any("/ModDate" in line for line in found), found
