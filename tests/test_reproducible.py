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


def test_pdf_is_byte_identical_when_built_twice(book_print, tmp_path):
    """Chromium prints the same pages to the same bytes once tools/printpdf.py has fixed
    the dates (from SOURCE_DATE_EPOCH) and derived the document ID from the content. The
    whole book is the exception that tools/printpdf.py documents: in a document of over 200
    pages Chromium places the odd text run a fraction of a point differently between runs,
    so for it the pages, their text and the structure tree must be the same."""
    import subprocess

    import pikepdf

    from conftest import printpdf
    printpdf(book_print.parent / "printhtml", tmp_path / "again")
    for first in sorted(book_print.glob("*.pdf")):
        again = tmp_path / "again" / first.name
        if first.name != products.BOOK_PDF:
            assert again.read_bytes() == first.read_bytes(), first.name
            continue
        texts = [subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout for pdf in (first, again)]
        assert texts[0] == texts[1]
        import sys
        sys.path.insert(0, str(ROOT / "tools"))
        import pdfcheck
        with pikepdf.open(first) as a, pikepdf.open(again) as b:
            assert len(a.pages) == len(b.pages)
            assert pdfcheck.structure(a.Root.StructTreeRoot)[0] == \
                pdfcheck.structure(b.Root.StructTreeRoot)[0]
