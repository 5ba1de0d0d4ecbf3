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
    metadata and dates (from SOURCE_DATE_EPOCH); and where Chromium drew the pages the same,
    the same bytes (structure IDs, fonts, metadata and the document ID are fixed). Chromium
    sometimes snaps a text run to a whole pixel on a busy machine, a fraction of a point
    away, so pages are not compared byte for byte (tools/pdfsame.py)."""
    import pdfsame

    from conftest import printpdf
    printpdf(book_print.parent / "printhtml", tmp_path / "again")
    first = sorted(pdf.name for pdf in book_print.glob("*.pdf"))
    assert sorted(pdf.name for pdf in (tmp_path / "again").glob("*.pdf")) == first
    assert products.BOOK_PDF in first and len(first) >= 9
    same_pages = 0
    for name in first:
        before, after = book_print / name, tmp_path / "again" / name
        assert pdfsame.differences(before, after) == [], name
        if pdfsame.page_contents(before) == pdfsame.page_contents(after):
            same_pages += 1
            assert before.read_bytes() == after.read_bytes(), name
    assert same_pages, "no PDF was drawn the same twice: nothing checked the bytes"


def test_structure_ids_do_not_depend_on_chromium_node_numbers(book_print, tmp_path):
    """Chromium names table header cells after its DOM node numbers, which differ between
    runs; bookext.pdfmeta.stable_ids renames them in reading order. The same handout with
    other node numbers gives the same bytes once both are finished."""
    import pikepdf

    from bookext.pdfmeta import stable_ids

    def save(doc, path):
        del doc.trailer["/ID"]
        doc.save(path, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)

    source = book_print / "handout-treatment.pdf"
    with pikepdf.open(source) as doc:
        assert stable_ids(doc) > 0, "the handout's tables have no header cell IDs"
        save(doc, tmp_path / "first.pdf")
    with pikepdf.open(source) as doc:   # as if printed after other pages: other numbers
        for element in doc.Root.StructTreeRoot.IDTree.Names[1::2]:
            element.ID = pikepdf.String("node" + str(element.ID)[::-1])
        for obj in doc.objects:
            attributes = obj.get("/A") if isinstance(obj, pikepdf.Dictionary) else None
            for attribute in (attributes if isinstance(attributes, pikepdf.Array) else
                              [attributes]):
                if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                    attribute.Headers = pikepdf.Array(
                        [pikepdf.String("node" + str(h)[::-1]) for h in attribute.Headers])
        stable_ids(doc)
        save(doc, tmp_path / "again.pdf")
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()
    with pikepdf.open(tmp_path / "again.pdf") as doc:
        names = [str(n) for n in doc.Root.StructTreeRoot.IDTree.Names[0::2]]
        assert names == sorted(names) and names[0] == "th000001"


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
