"""The edition offline: after one visit, pages never visited open with no network.

Debian's Chromium (through Playwright, as in tests/test_browser.py) visits the home page
of the session's book build, waits for the service worker (bookext/features/offline.py)
to copy the edition, then the server is stopped and the browser set offline: a chapter
never visited and search.html?q=pump must still show their content. A second build with
a new edition must replace the first edition's cache, not add to it.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from conftest import QuietServer, make_fixture_book, sphinx_build  # and the session's `browser`

OFFLINE_BUDGET = 5 * 1024 * 1024   # bytes of the offline copy, without PDFs
WORKER_TIMEOUT_MS = 60_000


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """Serves a folder on 127.0.0.1 until stopped (stopping it is cutting the network)."""

    def __init__(self, folder: Path):
        self.httpd = QuietServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def worker_files(site: Path) -> tuple[str, list[str]]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    version = json.loads(re.search(r"const VERSION = (\".*?\");", text).group(1))
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", text, re.S).group(1))
    return version, files


def wait_for_worker(page) -> list[str]:
    """Waits until the worker controls the page (it has cached every file); the caches."""
    page.wait_for_function("navigator.serviceWorker.controller !== null",
                           timeout=WORKER_TIMEOUT_MS)
    return page.evaluate("caches.keys()")


def test_offline_copy_is_within_budget_and_has_every_page(book_html):
    assert book_html.returncode == 0, book_html.output
    site = book_html.outdir
    _, files = worker_files(site)
    size = sum((site / f).stat().st_size for f in files if f != "./")
    assert size <= OFFLINE_BUDGET, f"offline copy {size / 2**20:.2f} MiB"
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if "_sources" not in p.parts}
    assert pages <= set(files)
    for needed in ("withdrawal.html", "search.html", "glossary.html", "quick-reference.html",
                   "patients/pumps.html", "searchdata.js", "_static/book-search.js"):
        assert needed in files, needed
    assert not [f for f in files if f.endswith((".pdf", ".map"))]


def test_after_one_visit_an_unvisited_chapter_and_search_work_offline(book_html, browser):
    server = Server(book_html.outdir)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/index.html", wait_until="load")
        keys = wait_for_worker(page)
        assert len(keys) == 1 and keys[0].endswith(worker_files(book_html.outdir)[0])
        server.stop()
        context.set_offline(True)

        page.goto(f"{server.url}/withdrawal.html")   # never visited
        assert "withdrawal" in page.locator("h1").first.inner_text().lower()
        assert page.locator("article p").count() > 10

        page.goto(f"{server.url}/search.html?q=pump")
        page.wait_for_selector("#book-search-results li", timeout=10_000)
        assert "pump" in page.locator("#book-search-results").inner_text().lower()
    finally:
        context.close()
        if server.httpd.socket.fileno() != -1:
            server.stop()


def fixture_edition(book: Path, edition: str, out: Path, monkeypatch) -> None:
    monkeypatch.setenv("BOOK_EDITION", edition)
    build = sphinx_build(book, "html", out)
    assert build.returncode == 0, build.output


def test_a_new_edition_replaces_the_old_cache(tmp_path, browser, monkeypatch):
    book = make_fixture_book(tmp_path / "book")
    (book / "CHANGELOG.md").write_text("# Changelog\n\n## [0.2] - 2026-12-06\n\n- Second.\n\n"
                                       "## [0.1] - 2026-01-01\n\n- First.\n")
    served = tmp_path / "site"
    fixture_edition(book, "0.1", served, monkeypatch)
    first, _ = worker_files(served)
    server = Server(served)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/index.html", wait_until="load")
        assert [key.rsplit(":", 1)[1] for key in wait_for_worker(page)] == [first]

        # The same address now serves edition 0.2: its worker installs, then deletes 0.1's cache.
        shutil.rmtree(served)
        fixture_edition(book, "0.2", served, monkeypatch)
        second, _ = worker_files(served)
        assert first.startswith("0.1-") and second.startswith("0.2-")
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_function(f"caches.keys().then((k) => k.length === 1 && k[0].endsWith("
                               f"{json.dumps(':' + second)}))", timeout=WORKER_TIMEOUT_MS,
                               polling=250)
        page.reload()  # the page now comes from edition 0.2's copy
        assert page.evaluate("DOCUMENTATION_OPTIONS.VERSION") == "0.2"
    finally:
        context.close()
        server.stop()
