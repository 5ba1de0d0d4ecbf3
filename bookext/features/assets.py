"""Page weight: what every page loads, and when.

A chapter page with the book theme's defaults weighs about 760 KiB gzipped on a cold
load. Most of it never helps a reader, so (with ``docs/_templates/layout.html``, which
drops ``fontawesome.js`` and the search index from every page but search.html, and the
icon-font subsets in ``docs/_static/vendor/fontawesome``) this module:

- defers the theme's and Sphinx's helper scripts, so they no longer block the first
  paint (``documentation_options.js`` stays as it is: the theme's inline scripts use it);
- adds ``print.css`` for print only: no sidebars or buttons, link targets written out;
- names the sidebar's expand/collapse buttons (the theme's ``<summary>`` holds only an
  icon, which axe-core reports as a serious ``summary-name`` violation).

Measured by ``make bench``; checked by ``tests/test_assets.py``.

Relies on: the theme's script list and ``generate_toctree_html`` in the page context, and
the blocks of ``pydata_sphinx_theme/layout.html`` copied into ``docs/_templates/layout.html``,
as in pydata-sphinx-theme 0.20.0 (per page: nothing global to undo). Retire the template
copy when the theme can leave out fontawesome.js and the search index by configuration.
"""

from __future__ import annotations

import functools
from pathlib import PurePosixPath

from bookext.patches._compat import require

WRITTEN_FOR = "0.20.0"   # pydata-sphinx-theme, which sphinx-book-theme 1.4.0 builds on

# Scripts that only add behaviour after the page is read; none is used by inline code.
DEFERRABLE = {"doctools.js", "sphinx_highlight.js", "sphinx-book-theme.js", "design-tabs.js"}


def defer_helper_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    for i, js in enumerate(scripts):
        name = PurePosixPath(str(getattr(js, "filename", "") or "")).name
        attributes = dict(getattr(js, "attributes", {}) or {})
        if name in DEFERRABLE and not {"defer", "async"} & attributes.keys():
            attributes["defer"] = "defer"
            scripts[i] = type(js)(js.filename, priority=js.priority, **attributes)


def _label_summaries(soup) -> None:
    """``<li><a>Title</a><details><summary>(icon)`` -> ``<summary aria-label="Pages in Title">``."""
    for summary in soup.select("li > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.parent.parent.find("a", recursive=False)
        if link is not None:
            summary["aria-label"] = f"Pages in {link.get_text(' ', strip=True)}"


def name_sidebar_toggles(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if not callable(generate):
        return

    @functools.wraps(generate)
    def labelled(*args, **kwargs):
        out = generate(*args, **kwargs)  # a BeautifulSoup tree, cached by the theme
        if hasattr(out, "select"):
            _label_summaries(out)
        return out

    context["generate_toctree_html"] = labelled


def setup(app):
    require(__name__, "pydata-sphinx-theme", WRITTEN_FOR,
            "blocks of pydata_sphinx_theme/layout.html (copied into docs/_templates/layout.html) "
            "and its page context")
    app.add_css_file("print.css", media="print")
    # After the themes' own handlers (priority 500), which add scripts to the page.
    app.connect("html-page-context", defer_helper_scripts, priority=900)
    app.connect("html-page-context", name_sidebar_toggles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
