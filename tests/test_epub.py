"""The EPUB: builds without warnings, passes EPUBCheck, declares its accessibility
(bookext.features.epub). EPUBCheck is Debian's ``epubcheck`` (Java), installed by
``make test``; the EPUB is built once for this module."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, sphinx_build
from bookext.features.epub import BookEpubBuilder

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture(scope="module")
def epub(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("epub") / "epub"
    build = sphinx_build(ROOT, "epub", out)
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output
    return out / "BaclofenClinicalBook.epub"


def epubcheck(path: Path) -> subprocess.CompletedProcess:
    assert shutil.which("java") and EPUBCHECK_JAR.exists(), \
        "EPUBCheck is missing: make test installs it (Debian packages epubcheck, Java)"
    return subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(path)],
                          capture_output=True, text=True)


def test_epub_passes_epubcheck_with_no_errors(epub):
    result = epubcheck(epub)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert re.search(r"0 fatals / 0 errors", report), report


def test_epubcheck_fails_on_what_the_module_fixes(epub, tmp_path):
    """The check can fail: put back a Graphviz DOCTYPE and an inline icon, EPUBCheck errs."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".svg") and b"<svg" in data:
                data = data.replace(b"<svg", b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                                    b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg', 1)
            if info.filename == "index.xhtml":
                data = data.replace(b"</h1>", b'<svg viewBox="0 0 1 1"></svg></h1>', 1)
            dst.writestr(info, data)
    result = epubcheck(broken)
    report = result.stdout + result.stderr
    assert result.returncode != 0
    assert "OPF-073" in report or "HTM-003" in report, report
    assert "RSC-005" in report, report


def test_epub_declares_its_accessibility(epub):
    opf = zipfile.ZipFile(epub).read("content.opf").decode("utf-8")
    for prop in ("accessMode", "accessModeSufficient", "accessibilityFeature",
                 "accessibilityHazard", "accessibilitySummary"):
        assert f'property="schema:{prop}"' in opf, prop
    for feature in ("tableOfContents", "alternativeText", "structuralNavigation"):
        assert f">{feature}</meta>" in opf, feature


def test_epub_keeps_flowchart_text_answers_and_links_pdfs_online(epub):
    book = zipfile.ZipFile(epub)
    names = book.namelist()
    treatment = book.read("treatment.xhtml").decode("utf-8")
    charts = re.findall(r'<img src="_images/graphviz-[0-9a-f]+\.svg" alt="([^"]+)"', treatment)
    assert charts and all(alt.startswith("Flowchart.") for alt in charts)
    questions = book.read("teaching/self-assessment.xhtml").decode("utf-8")
    assert questions.count('class="epub-dropdown-title"') >= 40   # every answer shown
    assert "<details" not in questions
    for page in (n for n in names if n.endswith(".xhtml")):
        for href in re.findall(r'href="([^"]+\.pdf)', book.read(page).decode("utf-8")):
            assert href.startswith("https://"), f"{page}: {href} is not in the EPUB"


def test_pdf_links_go_to_the_published_site():
    page = '<a href="../handouts/handout-withdrawal.pdf#page=2">x</a>'
    fixed = BookEpubBuilder.fix_page(page, "teaching/cases.xhtml", "https://example.org/b/latest/")
    assert 'href="https://example.org/b/latest/handouts/handout-withdrawal.pdf#page=2"' in fixed


def test_print_rules_are_left_out_of_the_epub_stylesheets():
    from bookext.features.epub import without_print_rules
    css = "a { color: red; }\n@media print { body:has(.x) { font-size: 7pt; } .y { a: b; } }\np { }"
    assert without_print_rules(css) == "a { color: red; }\n\np { }"
