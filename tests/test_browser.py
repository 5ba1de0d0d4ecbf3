"""The book in a real browser: Debian's Chromium driven by Playwright.

The session's full-book build (``book_html``) is served from 127.0.0.1 by a thread; each
test opens pages at a desktop and a phone width, saves screenshots under
``test-results/`` (git-ignored) and checks what a reader would meet: no console errors,
no request to another host, search that survives misspellings (also from file://), the
PDF link, axe-core with no serious or critical violation, and a clean printout.
"""

from __future__ import annotations

import functools
import re
import gzip
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import CHROMIUM, CHROMIUM_ARGS, QuietServer  # noqa: F401  (the browser fixture is in conftest)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PDF_NAME = "baclofen-clinical-book.pdf"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PAGE_BUDGET = 300 * 1024       # bytes a chapter may transfer, gzip, on a cold load
TYPING_BUDGET_MS = 50          # from a keystroke to the rendered results
GZIPPED = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of the build; the PDF (built separately) is served at its site path."""

    pdf: Path | None = None

    def translate_path(self, path):
        if self.pdf and urlsplit(path).path == f"/{PDF_NAME}":
            return str(self.pdf)
        return super().translate_path(path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(book_html):
    """The website; the book's PDF is served once a test asks for it (book_pdf): printing
    it takes a while, and most browser tests do not need it."""
    assert book_html.returncode == 0, book_html.output
    server = QuietServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(book_html.outdir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class Visit:
    """A fresh browser context (cold cache) that records console errors and requests."""

    def __init__(self, browser, viewport: str):
        self.name = viewport
        self.context = browser.new_context(viewport=VIEWPORTS[viewport],
                                           is_mobile=viewport == "phone",
                                           has_touch=viewport == "phone")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.responses = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.responses.append(r))

    def goto(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(200)  # late requests: fonts, deferred scripts

    def screenshot(self, name: str) -> None:
        """A picture of the page and the list of every request it made, for a person."""
        RESULTS.mkdir(exist_ok=True)
        self.page.screenshot(path=RESULTS / f"{name}-{self.name}.png", full_page=False)
        (RESULTS / f"{name}-{self.name}-requests.txt").write_text(
            "\n".join(self.requests) + "\n", encoding="utf-8")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("file", "data", "blob")
                and urlsplit(url).hostname != "127.0.0.1"]

    def transferred(self) -> int:
        """Bytes a gzip-serving host would send for everything this page loaded."""
        total = 0
        for response in self.responses:
            body = response.body()
            gzipped = Path(urlsplit(response.url).path).suffix in GZIPPED
            total += len(gzip.compress(body, 6)) if gzipped else len(body)
        return total

    def close(self) -> None:
        self.context.close()


@pytest.fixture(params=list(VIEWPORTS))
def visit(browser, request):
    v = Visit(browser, request.param)
    yield v
    v.close()


def assert_clean(visit: Visit) -> None:
    assert visit.errors == [], f"console errors: {visit.errors}"
    assert visit.outside_requests() == [], "requests to another host"


def test_landing_page_loads_cleanly(site, visit):
    visit.goto(f"{site}/index.html")
    visit.screenshot("landing")
    assert "Baclofen Clinical Book" in visit.page.title()
    assert visit.page.locator("article.bd-article h1").first.is_visible()
    assert_clean(visit)


def test_chapter_is_light_and_usable(site, visit):
    visit.goto(f"{site}/withdrawal.html")
    visit.screenshot("chapter")
    assert_clean(visit)
    assert visit.transferred() <= PAGE_BUDGET, f"{visit.transferred() / 1024:.0f} KiB"
    assert not any("fontawesome.js" in u or "searchindex.js" in u for u in visit.requests)
    page = visit.page
    # The navigation is there: in the sidebar on a desktop (the menu button hides it), behind
    # the menu button on a phone (docs/_templates/layout.html wires the visible button).
    if visit.name == "desktop":
        assert page.locator(".bd-sidebar-primary a[href='treatment.html']").first.is_visible()
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_selector("#pst-primary-sidebar.pst-sidebar-hidden", state="attached")
        page.locator(".primary-toggle:visible").first.click()
    else:
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_selector("dialog[open] a[href='treatment.html']", state="visible")
        page.keyboard.press("Escape")
    # Icons still come from the (subset) icon font, which the browser loaded and accepted.
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('Font Awesome')
                                               && f.status === 'loaded').length; }""")
    assert loaded >= 1
    # Dark mode still switches (a menu: auto, light, dark).
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(".theme-change-button[data-mode='dark']:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    visit.screenshot("chapter-dark")


def top_pages(page, query: str) -> list[str]:
    return page.evaluate("(q) => bookSearch.search(q).slice(0, 3).map(r => r.page)", query)


def test_search_with_misspellings_finds_the_chapter(site, visit):
    visit.goto(f"{site}/search.html?q=intratecal+withdrawl")
    page = visit.page
    page.wait_for_selector("#book-search-results li")
    visit.screenshot("search")
    first = page.locator("#book-search-results li").first
    # The intrathecal-withdrawal section of either chapter is a right first answer; the
    # treatment chapter's emergency section (edition 0.3) now ranks first.
    href = first.locator("a").get_attribute("href")
    assert href.startswith(("withdrawal.html#", "treatment.html#")), href
    assert first.locator(".book-search-snippet mark").count() > 0
    assert "withdrawal" in top_pages(page, "intratecal withdrawl")
    # Typing updates the results within the budget: the best of three typings, so that the
    # other test worker's load on a 2-core machine does not decide it (make bench has the
    # median and the slowest).
    times = []
    for query in ("baclofin overdoze", "baclofin overdos", "baclofin overdoze"):
        page.fill("#book-search-input", query)
        times.append(float(page.locator("#book-search-results").get_attribute("data-ms")))
    assert min(times) < TYPING_BUDGET_MS, times
    assert page.locator("#book-search-results li").count() > 0
    assert_clean(visit)


def test_search_works_from_file_url(book_html, browser):
    visit = Visit(browser, "desktop")
    try:
        visit.goto((book_html.outdir / "search.html").as_uri() + "?q=baclofin")
        visit.page.wait_for_selector("#book-search-results li")
        assert visit.page.locator("#book-search-results .book-search-snippet mark").count() > 0
        assert_clean(visit)
    finally:
        visit.close()


def test_search_query_set_finds_the_right_page_in_the_top_three(site, browser):
    queries = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text())["queries"]
    visit = Visit(browser, "desktop")
    try:
        visit.goto(f"{site}/search.html")
        visit.page.wait_for_function("document.documentElement.dataset.bookSearchReady")
        misses = {q: top for q, expected in queries.items()
                  if expected not in (top := top_pages(visit.page, q))}
    finally:
        visit.close()
    assert len(queries) >= 40
    assert (len(queries) - len(misses)) / len(queries) >= 0.9, misses


@pytest.mark.parametrize("page_name", ["index", "withdrawal", "bibliography", "search"])
def test_no_serious_accessibility_violations(site, visit, page_name):
    query = "?q=baclofin" if page_name == "search" else ""
    visit.goto(f"{site}/{page_name}.html{query}")
    visit.page.add_script_tag(path=str(AXE))
    violations = visit.page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       first: v.nodes[0] && v.nodes[0].target.join(' ')})); }""")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_printed_chapter_has_no_sidebars_and_shows_link_targets(site, browser):
    visit = Visit(browser, "desktop")
    try:
        visit.goto(f"{site}/withdrawal.html")
        page = visit.page
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.bd-sidebar-primary', '.bd-header', '.prev-next-footer',
                '.bd-sidebar-secondary'].map(s => { const e = document.querySelector(s);
                return !e || getComputedStyle(e).display === 'none'; })""")
        assert all(hidden), hidden
        after = page.evaluate("""() => { const a = document.querySelector(
                'main a.reference.external[href^="http"]');
                return a ? getComputedStyle(a, '::after').content : null; }""")
        assert after and "http" in after
        RESULTS.mkdir(exist_ok=True)
        page.pdf(path=str(RESULTS / "withdrawal-print.pdf"))
    finally:
        visit.close()


@pytest.mark.parametrize("page_name", ["index", "withdrawal", "search"])
def test_pages_load_without_layout_shift(site, visit, page_name):
    """Cumulative layout shift while loading, measured by Chromium; 0.1 is the usual
    threshold for 'good' (nothing jumps under the reader's finger)."""
    visit.page.add_init_script("""
        window.__cls = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
                if (!entry.hadRecentInput) window.__cls += entry.value;
            }
        }).observe({type: "layout-shift", buffered: true});""")
    query = "?q=baclofin" if page_name == "search" else ""
    visit.goto(f"{site}/{page_name}.html{query}")
    visit.page.wait_for_timeout(500)
    shift = visit.page.evaluate("window.__cls")
    print(f"{page_name} {visit.name}: cumulative layout shift {shift:.4f}")
    assert shift < 0.1, f"{page_name} ({visit.name}): layout shift {shift:.3f}"


# -- Reading at the point of care (issue 19): citations, the popover, help lines --------

CLINICAL = ["pharmacology", "clinical-use", "special-populations", "off-label-use",
            "misuse-and-abuse", "overdose-and-toxicity", "withdrawal", "treatment"]
MARKER_SHARE = 0.03            # citation markers: at most 3% of the visible text
MARKER_MEDIAN = 6              # characters, median marker
HELP_LINKS = {"tel:911", "tel:+18002221222", "tel:+18006624357", "tel:988", "sms:988"}


def marker_lengths(page) -> dict:
    return page.evaluate("""() => {
        const article = document.querySelector('article');
        const markers = [...article.querySelectorAll('span.bibtex-citation')]
            .map(m => m.innerText.length);
        const lists = [...article.querySelectorAll('.citation-list')]
            .reduce((n, l) => n + l.innerText.length, 0);
        return {markers, text: article.innerText.length - lists}; }""")


@pytest.mark.parametrize("chapter", CLINICAL)
def test_citation_markers_cost_a_few_characters(site, browser, chapter):
    visit = Visit(browser, "phone")
    try:
        visit.goto(f"{site}/{chapter}.html")
        found = marker_lengths(visit.page)
    finally:
        visit.close()
    markers = sorted(found["markers"])
    share, median = sum(markers) / found["text"], markers[len(markers) // 2]
    print(f"{chapter}: {len(markers)} markers, {share:.2%} of the text, median {median} chars")
    assert markers and share <= MARKER_SHARE, f"{chapter}: markers are {share:.1%} of the text"
    assert median <= MARKER_MEDIAN, f"{chapter}: median marker {median} characters"


def open_popover(page):
    return page.locator("span.bibtex-citation > .cite-popover:not([hidden])")


def test_tapping_a_citation_shows_the_reference_in_place(site, browser):
    visit = Visit(browser, "phone")
    try:
        visit.goto(f"{site}/withdrawal.html")
        page, url = visit.page, visit.page.url
        # the first number in the text whose reference is a journal article (DOI, PubMed)
        page.evaluate("""() => [...document.querySelectorAll(
            'article section section p span.bibtex-citation a.reference')].find(a => {
                const entry = document.getElementById(a.hash.slice(1));
                return a.offsetParent && entry && entry.querySelector('a[href*="doi.org"]'); })
            .dataset.testMarker = 'yes'""")
        marker = page.locator("a[data-test-marker]")
        marker.scroll_into_view_if_needed()
        marker.tap()
        popover = open_popover(page)
        assert popover.count() == 1 and popover.is_visible()
        hrefs = popover.locator("a").evaluate_all("as => as.map(a => a.href)")
        assert any("doi.org/" in h or "pubmed.ncbi.nlm.nih.gov/" in h for h in hrefs), hrefs
        box = popover.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box     # on the screen
        assert page.url == url, "the page moved"
        popover.scroll_into_view_if_needed()
        visit.screenshot("citation-popover")
        assert marker.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert open_popover(page).count() == 0
        marker.tap()
        page.mouse.click(5, 420)                                       # outside
        assert open_popover(page).count() == 0
        marker.tap()
        marker.tap()                                                   # a second tap
        assert open_popover(page).count() == 0
        marker.tap()
        open_popover(page).locator("button.cite-popover-close").tap()
        assert open_popover(page).count() == 0 and page.url == url
        assert_clean(visit)
    finally:
        visit.close()


def test_hover_and_keyboard_focus_show_the_reference(site, browser):
    visit = Visit(browser, "desktop")
    try:
        visit.goto(f"{site}/withdrawal.html")
        page = visit.page
        marker = page.locator("article p span.bibtex-citation a.reference:visible").first
        marker.hover()
        page.wait_for_timeout(300)
        assert open_popover(page).count() == 1
        page.mouse.move(5, 5)
        page.wait_for_timeout(500)
        assert open_popover(page).count() == 0
        marker.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")                                     # focus from the keyboard
        assert open_popover(page).count() == 1
        # screen readers: the number is described by its reference list entry
        described = marker.get_attribute("aria-describedby")
        assert described and page.locator(f"[id='{described}']").inner_text().strip()
    finally:
        visit.close()


def test_open_popover_adds_no_accessibility_violation(site, visit):
    visit.goto(f"{site}/withdrawal.html")
    marker = visit.page.locator("article p span.bibtex-citation a.reference:visible").first
    marker.scroll_into_view_if_needed()
    marker.click()
    assert open_popover(visit.page).count() == 1
    visit.page.add_script_tag(path=str(AXE))
    violations = visit.page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                       first: v.nodes[0] && v.nodes[0].target.join(' ')})); }""")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def emergency_pages(book_html) -> list[str]:
    root = book_html.outdir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                  if re.search(r'class="[^"]*\bemergency-help\b', p.read_text(encoding="utf-8")))


def test_every_emergency_box_has_tap_to_call_links_and_fits_a_phone_screen(site, browser,
                                                                          book_html):
    pages = emergency_pages(book_html)
    assert len(pages) >= 10, pages
    visit = Visit(browser, "phone")
    try:
        for name in pages:
            visit.goto(f"{site}/{name}")
            box = visit.page.locator(".admonition.emergency-help").first
            hrefs = set(box.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))"))
            assert HELP_LINKS <= hrefs, f"{name}: {HELP_LINKS - hrefs}"
            height = box.bounding_box()["height"]
            assert height <= VIEWPORTS["phone"]["height"], f"{name}: box is {height:.0f} px"
        visit.screenshot("emergency-box")
    finally:
        visit.close()


# Last in this file: the book's PDF may still be printing in another worker.
def test_pdf_link_downloads_the_pdf(site, visit, book_pdf, monkeypatch):
    monkeypatch.setattr(Handler, "pdf", book_pdf)
    visit.goto(f"{site}/withdrawal.html")
    link = visit.page.locator("a.download-pdf").first
    href = link.get_attribute("href")
    response = visit.page.request.get(f"{site}/{href}")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
