"""The build products: one contract for the PDFs' names and places, and no stale downloads."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from bookext import products
from conftest import ROOT, make_fixture_book


def fake_pdfs(book: Path) -> Path:
    """Stand-in PDFs in the book's PDF folder, stamped with its current sources."""
    latex = book / products.PDF_DIR
    latex.mkdir(parents=True)
    for name in (products.BOOK_PDF, products.handout_pdf("chapter")):
        (latex / name).write_bytes(b"%PDF-1.5 stand-in")
    (latex / products.STAMP).write_text(json.dumps(products.source_digests(book)))
    return latex


def test_fresh_pdfs_go_into_the_website(fixture_book, tmp_path):
    fake_pdfs(fixture_book)
    copied = products.install(fixture_book, tmp_path / "html")
    assert copied == [products.BOOK_PDF, f"{products.HANDOUTS_DIR}/handout-chapter.pdf"]
    assert (tmp_path / "html" / products.HANDOUTS_DIR / "handout-chapter.pdf").exists()


def test_pdfs_older_than_an_edited_chapter_are_not_shipped_and_the_build_says_why(
        fixture_book, tmp_path):
    fake_pdfs(fixture_book)
    html = tmp_path / "html"
    products.install(fixture_book, html)               # an earlier, fresh copy
    chapter = fixture_book / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text() + "\nA new sentence.\n")
    said = io.StringIO()
    assert products.install(fixture_book, html, out=said) == []
    assert "docs/chapter.md" in said.getvalue() and "make pdf" in said.getvalue()
    assert not (html / products.BOOK_PDF).exists(), "the stale copy must be taken out too"


def test_pdfs_without_a_record_of_their_sources_are_not_shipped(fixture_book, tmp_path):
    (fake_pdfs(fixture_book) / products.STAMP).unlink()
    said = io.StringIO()
    assert products.install(fixture_book, tmp_path / "html", out=said) == []
    assert "no record of their sources" in said.getvalue()


def test_no_other_file_spells_out_the_pdf_names_or_the_latex_recipe():
    """The contract is written once, in bookext/products.py: the build files, tools,
    extensions, templates and the shared test fixtures use it."""
    mine = ["conftest.py", "test_book.py", "test_editions.py", "test_repository.py"]
    offenders = []
    for path in [*ROOT.glob("*.py"), *ROOT.glob(".*.yaml"), ROOT / "Makefile",
                 *(ROOT / ".github").rglob("*.yml"), *(ROOT / "tools").glob("*.py"),
                 *(ROOT / "bookext").rglob("*.py"), *(ROOT / "docs" / "_templates").rglob("*.html"),
                 *(ROOT / "tests" / name for name in mine)]:
        if path == ROOT / "bookext" / "products.py":
            continue
        text = path.read_text(encoding="utf-8")
        for spelled in (products.BOOK_PDF, products.BOOK_TEX, "-interaction=nonstopmode",
                        "handouts/handout-"):
            if spelled in text:
                offenders.append(f"{path.relative_to(ROOT)}: {spelled}")
        if re.search(r"handout-\{\w+\}\.(pdf|tex)", text):
            offenders.append(f"{path.relative_to(ROOT)}: a handout's file name")
    assert len(offenders) == 0, "use bookext.products instead:\n" + "\n".join(offenders)


def test_read_the_docs_build_serves_the_pdfs_like_make_book(tmp_path):
    """Run the commands of .readthedocs.yaml (all but the installs: pip, and Playwright's
    browser, which Debian's chromium replaces here) in a copy of the fixture book with
    READTHEDOCS_OUTPUT set: the website links the PDFs and has them."""
    book = make_fixture_book(tmp_path / "book")
    output = tmp_path / "rtd"
    commands = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())["build"]["commands"]
    assert commands[0] == "python -m pip install -r requirements.txt"
    installs = [c for c in commands if c.startswith(("python -m pip install",
                                                     "python -m playwright install"))]
    assert installs == commands[:2]
    env = dict(os.environ, READTHEDOCS_OUTPUT=str(output), SOURCE_DATE_EPOCH="1790000000",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for command in commands[2:]:
        proc = subprocess.run(["bash", "-c", command], cwd=book, env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"{command}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    html = output / "html"
    page = BeautifulSoup((html / "chapter.html").read_text(), "html.parser")
    for link in page.select("a.download-pdf, a.download-handout"):
        assert (html / link["href"]).stat().st_size > 10_000, link["href"]
    assert len(page.select("a.download-pdf, a.download-handout")) == 2
    assert (output / "pdf" / products.BOOK_PDF).exists()
    assert list((output / "epub").glob("*.epub"))
