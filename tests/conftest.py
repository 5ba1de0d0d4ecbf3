"""Shared fixtures: the real book built once per run, and tiny fixture books.

The whole book is built once (session scope) for the end-to-end tests; every
check of a contributor mistake runs on a copy of the small book in
``tests/fixtures/book`` with the project's real conf.py and extensions.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "book"
SPHINX = [sys.executable, "-m", "sphinx"]
# Debian's chromium, driven by Playwright (no browser download), for the browser tests.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))   # pdfcheck, pdfsame: imported by tests
from bookext import pages, products  # noqa: E402  (names of the PDFs, page roles)

PAGES = pages.load(ROOT / "docs" / "_data" / "pages.yml")
# Pinned so that "today", the review-date check and the output are reproducible.
EPOCH = "1790000000"  # 2026-09-21
# A deprecated API used by our own code (Sphinx's RemovedInSphinx11Warning is a
# PendingDeprecationWarning) fails the subprocess builds, as pytest.ini makes it fail in
# process. Python's -W filters name modules exactly, so every bookext module is listed;
# other packages' deprecations (sphinx-sitemap uses env.app) are theirs to fix.
DEPRECATIONS_FAIL = ",".join(
    f"error::{category}:{module.name}"
    for module in pkgutil.walk_packages([str(ROOT / "bookext")], "bookext.")
    for category in ("DeprecationWarning", "PendingDeprecationWarning"))


@dataclass
class Build:
    returncode: int
    output: str
    outdir: Path

    def page(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")


def sphinx_build(project: Path, builder: str, outdir: Path, *extra: str) -> Build:
    """Run sphinx-build exactly as the Makefile does; return code and all output."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONWARNINGS=DEPRECATIONS_FAIL)
    cmd = [*SPHINX, "-b", builder, "-c", str(project), "-W", "--keep-going", "-n",
           "-d", str(outdir.parent / f"doctrees-{builder}"), *extra,
           str(project / "docs"), str(outdir)]
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    return Build(proc.returncode, proc.stdout + proc.stderr, outdir)


def build_in_process(project: Path, builder: str, outdir: Path) -> Build:
    """The same build as sphinx_build, in this process through Sphinx's application API
    (what sphinx.testing's SphinxTestApp wraps; it cannot take conf.py from outside the
    sources folder, which this book's layout needs). Several times faster than a
    subprocess for the negative tests; the global patches undo themselves at the end."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    status, warnings = io.StringIO(), io.StringIO()
    with patch_docutils(project), docutils_namespace():
        app = Sphinx(project / "docs", project, outdir, outdir.parent / f"doctrees-{builder}",
                     builder, status=status, warning=warnings, freshenv=True,
                     confoverrides={"nitpicky": True})
        try:
            app.build()
        finally:
            # sphinx-sitemap starts a multiprocessing Manager, a fork of this process that
            # holds its open pipes (Playwright's, in the browser tests) until told to stop:
            # left running, it keeps pytest from exiting.
            manager = getattr(getattr(app, "sitemap_links", None), "_manager", None)
            if manager is not None:
                manager.shutdown()
    return Build(1 if warnings.getvalue() else app.statuscode, warnings.getvalue(), outdir)


def cli_build(book: Path) -> Build:
    """A fixture book built as the Makefile builds it, in a subprocess and into the same
    folder each time: for what an in-process build does not show (the info messages, the
    exit on a configuration error, an incremental rebuild over the pickled environment)."""
    return sphinx_build(book, "html", book / "_build" / "html")


def make_fixture_book(dest: Path) -> Path:
    """Copy the small fixture book, with the project's real configuration."""
    shutil.copytree(FIXTURE, dest)
    # The real configuration; the fixture's own docs/_data/pages.yml gives its page roles.
    shutil.copy(ROOT / "conf.py", dest / "conf.py")
    shutil.copytree(ROOT / "bookext", dest / "bookext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tools", dest / "tools",   # the PDFs' print and check tools
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("_templates", "_static", "_snippets"):
        shutil.copytree(ROOT / "docs" / folder, dest / "docs" / folder)
    return dest


@pytest.fixture
def fixture_book(tmp_path: Path) -> Path:
    return make_fixture_book(tmp_path / "book")


class QuietServer(http.server.ThreadingHTTPServer):
    """A local test server that does not print a traceback when the browser closes a
    connection early (a page left before a file finished loading): that is no error."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` run once per test run, even with several pytest-xdist workers: the
    first worker to get here builds into a folder they all share (a lock keeps the others
    waiting), the others reuse it. Without xdist it is a session-scoped folder like any."""
    import fcntl
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent   # the run's folder, above each worker's own
    folder = base / f"once-{name}"
    with open(base / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(scope="session")
def book_html(tmp_path_factory) -> Build:
    def build(folder: Path) -> None:
        done = sphinx_build(ROOT, "html", folder / "html")
        (folder / "result.json").write_text(json.dumps([done.returncode, done.output]))
    folder = built_once(tmp_path_factory, "book-html", build)
    returncode, output = json.loads((folder / "result.json").read_text())
    return Build(returncode, output, folder / "html")


@pytest.fixture(scope="session")
def book_print(tmp_path_factory) -> Path:
    """Every PDF the site serves (the book and each chapter handout), built once as
    ``make pdf`` builds them: print pages (``-b printhtml``), then Chromium."""
    def build(folder: Path) -> None:
        done = sphinx_build(ROOT, "printhtml", folder / "printhtml")
        assert done.returncode == 0, done.output
        printpdf(folder / "printhtml", folder / "pdf")
    return built_once(tmp_path_factory, "book-print", build) / "pdf"


def printpdf(source: Path, out: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "printpdf.py"), str(source),
                           str(out)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="session")
def book_pdf(book_print) -> Path:
    return book_print / products.BOOK_PDF


@pytest.fixture(scope="session")
def handout_pdfs(book_print) -> dict[str, Path]:
    return {pdf.stem.removeprefix("handout-"): pdf
            for pdf in sorted(book_print.glob("handout-*.pdf"))}


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test: Playwright's sync API runs one instance at a time."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make system-deps`"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
