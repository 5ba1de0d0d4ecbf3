"""Page weight and accessibility fixes in the built HTML (bookext.features.assets, bookext.patches.citationlist,
docs/_templates/layout.html, the icon-font subsets). tests/test_browser.py measures the same
pages in Chromium; these checks read the files of the session's full-book build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "docs" / "_static" / "vendor" / "fontawesome" / "webfonts"
CHAPTERS = ["pharmacology", "clinical-use", "withdrawal", "treatment"]
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")


def soup(book_html, name: str) -> BeautifulSoup:
    return BeautifulSoup(book_html.page(name), "html.parser")


@pytest.mark.parametrize("docname", ["index", *CHAPTERS])
def test_pages_load_neither_fontawesome_js_nor_the_search_index(book_html, docname):
    page = book_html.page(f"{docname}.html")
    for heavy in ("fontawesome.js", "searchindex.js", "searchtools.js", "searchdata.js",
                  "minisearch.js"):
        assert heavy not in page, heavy


@pytest.mark.parametrize("docname", ["index", "withdrawal", "search"])
def test_only_documentation_options_blocks_the_first_paint(book_html, docname):
    head = soup(book_html, f"{docname}.html").head
    blocking = [s["src"] for s in head.find_all("script", src=True)
                if not s.has_attr("defer") and not s.has_attr("async")]
    assert [src.split("?")[0] for src in blocking] == ["_static/documentation_options.js"]


def test_the_search_page_loads_the_search_code_and_data(book_html):
    page = book_html.page("search.html")
    for needed in ("searchdata.js", "_static/vendor/minisearch.js", "_static/book-search.js",
                   "_static/language_data.js"):
        assert f'src="{needed}' in page, needed
    assert (book_html.outdir / "searchdata.js").exists()


def test_every_icon_on_the_pages_is_in_the_icon_font_subset(book_html):
    kept = set(json.loads((ICONS / "icons.json").read_text())["icons"])
    css = (book_html.outdir / "_static/styles/pydata-sphinx-theme.css").read_text()
    glyphs = set(re.findall(r"\.fa-([a-z0-9-]+)(?=[,{][^}]*--fa:)", css))  # real icon names
    used = set()
    for path in [*book_html.outdir.rglob("*.html"),
                 *(book_html.outdir / "_static/scripts").glob("*.js")]:
        used |= set(ICON_CLASS.findall(path.read_text(errors="replace"))) & glyphs
    assert used and used <= kept, f"run tools/subset_icons.py: missing {sorted(used - kept)}"


def test_the_site_serves_the_small_icon_fonts(book_html):
    for font in ICONS.glob("*.woff2"):
        served = book_html.outdir / "_static/vendor/fontawesome/webfonts" / font.name
        assert served.read_bytes() == font.read_bytes()
        assert served.stat().st_size < 10_000


def test_reference_lists_are_lists_of_list_items(book_html):
    page = soup(book_html, "bibliography.html")
    lists = page.select('[role="list"].citation-list')
    assert lists
    for element in lists:
        children = element.find_all(recursive=False)
        assert children and all(c.get("role") == "listitem" for c in children)
    assert "doc-biblioentry" not in str(page)


def test_sidebar_expand_buttons_have_names(book_html):
    summaries = soup(book_html, "index.html").select(".bd-sidebar-primary summary")
    for summary in summaries:
        assert summary.get_text(strip=True) or summary.get("aria-label", "").startswith("Pages in ")


def test_a_print_stylesheet_is_linked_for_print_only(book_html):
    link = soup(book_html, "withdrawal.html").find("link", href=re.compile(r"print\.css"))
    assert link is not None and link["media"] == "print"


def test_browsers_can_add_the_book_search(book_html):
    link = soup(book_html, "index.html").find("link", type="application/opensearchdescription+xml")
    assert link is not None
    xml = (book_html.outdir / "_static" / "opensearch.xml").read_text()
    assert "/search.html?q={searchTerms}" in xml
