"""Every PDF the site serves is tagged and passes the machine-checkable part of PDF/UA-1
(tools/pdfcheck.py, on pikepdf): structure tree with headings and paragraphs, language,
displayed title, PDF/UA identification, alternative text on every figure, fonts embedded,
bookmarks. The PDFs are the session's, built as ``make pdf`` builds them."""

from __future__ import annotations

import pdfcheck
import pikepdf

from conftest import ROOT


def test_every_served_pdf_passes_the_accessibility_checks(book_print):
    pdfs = sorted(book_print.glob("*.pdf"))
    assert len(pdfs) >= 9, "the book and a handout per clinical chapter"
    report = {pdf.name: pdfcheck.problems(pdf) for pdf in pdfs}
    assert not any(report.values()), {name: found for name, found in report.items() if found}


def test_flowcharts_are_figures_with_their_text_alternative(book_print):
    with pikepdf.open(book_print / "handout-treatment.pdf") as pdf:
        _kinds, figures = pdfcheck.structure(pdf.Root.StructTreeRoot)
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(alts) >= 2 and all(alt.startswith("Flowchart.") for alt in alts), alts


def test_structure_tree_has_the_book_s_elements(book_print):
    with pikepdf.open(book_print / "baclofen-clinical-book.pdf") as pdf:
        kinds, _figures = pdfcheck.structure(pdf.Root.StructTreeRoot)
        assert str(pdf.Root.Lang) == "en"
    for kind in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"):
        assert kinds[kind], f"no {kind} in the structure tree"


def test_check_names_the_file_and_what_is_missing(tmp_path):
    """An untagged PDF (as XeLaTeX writes them) fails with the reasons."""
    bare = tmp_path / "untagged.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(bare)
    found = pdfcheck.problems(bare)
    for expected in ("not marked as tagged", "no structure tree", "no document language",
                     "no title", "pdfuaid", "no bookmarks"):
        assert any(expected in problem for problem in found), (expected, found)
    assert pdfcheck.main([str(bare)]) == 1


def test_figure_without_alt_and_unembedded_font_are_reported(book_print, tmp_path):
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(book_print / "handout-treatment.pdf") as pdf:
        _kinds, figures = pdfcheck.structure(pdf.Root.StructTreeRoot)
        del figures[0]["/Alt"]
        page = pdf.pages[0]
        page.Resources.Font["/Fx"] = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/Helvetica")))
        pdf.save(broken)
    found = pdfcheck.problems(broken)
    assert "figure 1 has no text alternative (/Alt)" in found
    assert "font not embedded: /Helvetica" in found
