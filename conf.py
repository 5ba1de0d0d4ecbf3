"""Sphinx configuration for the Baclofen Clinical Book.

Sources are in docs/; this file sits at the root beside references.bib, so
every build runs as ``sphinx-build -c . docs <output>`` (see the Makefile).
Settings only: the book's own code lives in the bookext package.
"""

import contextlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))  # for the bookext package

from bookext import edition, pages, products  # noqa: E402

# -- Project information -----------------------------------------------------
project = "Baclofen Clinical Book"
author = "The Baclofen Clinical Book contributors"
copyright = "2026, The Baclofen Clinical Book contributors (text: CC BY 4.0)"
# The edition comes from the record in CHANGELOG.md (see bookext/edition.py).
EDITION = edition.current(ROOT)
version = EDITION.version            # "1.2", or "dev"
release = EDITION.release            # "1.2", or "1.2+dev" between editions
today = EDITION.date                 # the edition's date on the title page and in the site
repository_url = "https://github.com/baclofen-book/baclofen-book"
# Where the site lives: BOOK_SITE_URL, default the repository's GitHub Pages site (a fork's
# Pages workflow sets it); the editions' base path derives from it (bookext/products.py).
SITE_URL = products.site_url()
LATEST = products.LATEST             # the development version's folder in the editions site
# What each page is (clinical chapter, emergency page, handout, ...): docs/_data/pages.yml.
PAGES = pages.load(ROOT / "docs" / "_data" / "pages.yml")

# -- General configuration ---------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",                # dropdowns for the self-assessment answers
    "sphinx.ext.graphviz",          # flowcharts, vector output in HTML and PDF
    "sphinx_sitemap",               # sitemap.xml for search engines
    "sphinxext.opengraph",          # link previews when a page is shared
    "notfound.extension",           # a helpful 404 page
    "sphinxcontrib.bibtex",
    # Reader features (bookext/features/)
    "bookext.features.bibstyle",          # DOI and PubMed links on every reference
    "bookext.features.numbered",          # numbered citations per page (Vancouver)
    "bookext.features.helplines",         # help-line numbers as tel: links
    "bookext.features.facts",             # docs/_data/facts.yml -> {{ substitutions }}
    "bookext.features.factsexport",       # facts.json, facts.csv and their schema in the site
    "bookext.features.card",              # the quick-reference card from docs/_data/card.yml
    "bookext.features.offline",           # service worker: the edition readable offline
    "bookext.features.objectives",        # all chapters' learning objectives on one page
    "bookext.features.handouts",          # per-chapter PDFs: references to other chapters as text
    "bookext.features.downloads",         # the Downloads page: PDFs with their sizes
    "bookext.features.assets",            # page weight: deferred scripts, print stylesheet
    "bookext.features.search",            # typo-tolerant section search data for search.html
    "bookext.features.epub",              # an EPUB that passes EPUBCheck, accessibility declared
    "bookext.features.printhtml",         # one HTML page per PDF, printed as a tagged PDF
    # Contributor checks: warnings that name the file, the line and the fix (bookext/checks/)
    "bookext.checks.bibcheck",            # references.bib errors name the file and line
    "bookext.checks.reviewdate",          # last-reviewed front matter, shown on each page
    "bookext.checks.safetyboxes",         # disclaimer and emergency box where required
    "bookext.checks.alttext",             # images and flowcharts need alt text
    "bookext.checks.language",            # person-first terms, µg not mcg
    "bookext.checks.privacy",             # no resource loaded from another host
    "bookext.checks.citedclaims",         # a stated quantity carries a citation
    "bookext.checks.fences",              # an unclosed ::: or ``` fence is named where it opens
    "bookext.checks.citeonce",            # a source is not cited in two sentences in a row
    "bookext.checks.factcitations",       # a bare fact value sits beside its own source
    # Patches of libraries' internals, version-checked (bookext/patches/)
    "bookext.patches.citationlist",       # reference lists are accessible lists (axe-core)
    "bookext.patches.bibcache",           # build speed: pybtex plugin lookups scanned once
    "bookext.patches.bibindex",           # build speed: citing documents looked up, not scanned
    "bookext.patches.templatecache",      # build speed: HTML templates compiled once
]
root_doc = "index"
exclude_patterns = ["_snippets", "_data", "_templates", "_static"]
templates_path = ["docs/_templates"]
nitpicky = True                      # every cross-reference must resolve
language = "en"

# -- MyST ----------------------------------------------------------------------
# https://myst-parser.readthedocs.io/en/latest/syntax/optional.html
myst_enable_extensions = ["colon_fence", "deflist", "substitution", "fieldlist"]
myst_heading_anchors = 3
myst_substitutions = {"edition": release, "edition_date": today}  # + facts (bookext.features.facts)

# -- Flowcharts -----------------------------------------------------------------
graphviz_output_format = "svg"       # vector in HTML (PDF is vector by default)

# -- Citations -----------------------------------------------------------------
# https://sphinxcontrib-bibtex.readthedocs.io/en/latest/usage.html
bibtex_bibfiles = ["references.bib"]      # relative to this file
# Numbered, as medical references are: each page's list in the order it cites
# (bookext.features.numbered); the bibliography page uses :style: book (by author).
bibtex_default_style = "vancouver"        # registered by bookext.features.bibstyle
bibtex_reference_style = "super"          # superscript numbers; ranges (1–3,5) by bookext
bibtex_tooltips = False                   # the reference popover (book-cite.js) shows it
bibtex_encoding = "utf-8"
# A key cited on several pages is in several pages' lists, each with its own number: that
# is the point of per-page numbering, not a mistake (a duplicate within a page still warns).
suppress_warnings = ["bibtex.duplicate_citation", "bibtex.duplicate_label"]

# -- The book's own checks (bookext) ---------------------------------------------
bookext_review_exempt = ["genindex", "search"]
bookext_disclaimer_pages = PAGES.having("disclaimer", "clinical", "patient")
bookext_cited_claims_pages = PAGES.having("clinical")
bookext_emergency_pages = PAGES.having("emergency")
bookext_pdf_dir = products.PDF_DIR    # the Downloads page reads the PDFs' sizes there
bookext_help_line_pages = PAGES.having("patient")   # and every emergency box
# Bare {{ facts.X.value }} allowed where the paragraph does not cite X's source, with why:
bookext_bare_facts_allowed = {
    "teaching/self-assessment": "*",  # answer options must not give the answer away; the answers cite
}

# -- HTML ------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Baclofen Clinical Book"
html_static_path = ["docs/_static"]
html_css_files = ["book.css"]
html_js_files = [("book-cite.js", {"defer": "defer"})]  # the reference popover
# https://www.sphinx-doc.org/en/master/usage/configuration.html#confval-html_use_opensearch
html_use_opensearch = f"{SITE_URL}{LATEST}"  # browsers can search the book
html_favicon = "docs/_static/favicon.svg"  # else browsers ask for a missing /favicon.ico
html_last_updated_fmt = None
html_copy_source = False             # the edit button links to the sources instead
html_show_sourcelink = False
html_sidebars = {
    "**": ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html",
           "download-pdf.html"],
}
html_context = {"pdf_name": products.BOOK_PDF,            # names: bookext/products.py
                "card_pdf": products.CARD_PDF,
                "handouts_dir": products.HANDOUTS_DIR,
                "handout_prefix": products.HANDOUT_PREFIX,
                "handouts": PAGES.having("handout")}   # pages with a PDF handout of their own
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_repository_button": True,
    "use_edit_page_button": True,    # "suggest an edit"
    "use_download_button": False,    # the PDF link in the sidebar replaces it
    "home_page_in_toc": True,
    "show_toc_level": 2,
}

# The version switcher, only in multi-edition builds (tools/editions.py sets the URL);
# check_switcher off: the build never reaches the network.
if os.environ.get("BOOK_SWITCHER_JSON"):
    html_theme_options |= {
        "switcher": {"json_url": os.environ["BOOK_SWITCHER_JSON"], "version_match": version},
        "check_switcher": False,
        "show_version_warning_banner": True,
    }
    html_sidebars["**"].insert(1, "version-switcher.html")

# -- Link check (weekly in CI: .github/workflows/linkcheck.yml) ------------------------
# https://www.sphinx-doc.org/en/master/usage/configuration.html#options-for-the-linkcheck-builder
linkcheck_anchors = False            # publishers build their pages with scripts
linkcheck_timeout = 30
linkcheck_retries = 2
linkcheck_ignore = [
    r"https://www\.ncbi\.nlm\.nih\.gov/books/n/",  # Bookshelf short links redirect via scripts
]

# -- Search engines and sharing -----------------------------------------------------
# Canonical URLs of every edition point to latest/: search engines send readers to the
# current text.
html_baseurl = f"{SITE_URL}{LATEST}/"
sitemap_url_scheme = "{link}"        # no language or version folders in the URLs
sitemap_show_lastmod = False         # git dates would differ between clones
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}  # no generated images (and no matplotlib)
# sphinxext-opengraph 0.13 prints "matplotlib is not installed, social cards will not be
# generated" when it is imported, whatever the setting above: import it quietly here.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: E402,F401
# The 404 page uses absolute links; tools/editions.py sets the tree it is served from.
notfound_urls_prefix = products.base_path() + os.environ.get("BOOK_TREE", "")

# -- EPUB (Read the Docs download) ------------------------------------------------------
# The website's vendored fonts, licences and search data have no EPUB media type; e-readers
# do not need them, so Sphinx's notice that it leaves them out is expected.
suppress_warnings += ["epub.unknown_project_files"]

# -- LaTeX / PDF -------------------------------------------------------------------
# XeLaTeX with GNU FreeFont (Debian: fonts-freefont-otf) renders µ ≤ ≥ ± → ° directly.
latex_engine = "xelatex"
latex_use_xindy = False              # xindy is not in Debian's TeX Live set we install
latex_documents = [
    ("index", products.BOOK_TEX, "Baclofen Clinical Book", author, "manual"),
    # One handout per page with the handout role (bookext.features.handouts keeps them whole).
    *[(page, products.handout_tex(page), None, author, "howto")
      for page in PAGES.having("handout")],
]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}
""",
    "releasename": "Edition",
    "printindex": "",                # no general index: the book has a glossary
}
