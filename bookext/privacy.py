"""No page makes a reader's browser contact another host.

After an HTML build, every page and stylesheet is scanned for resources that
a browser would load by itself from outside the site: scripts, stylesheets,
fonts, images, media, iframes and CSS ``url()``/``@import`` (raw HTML in a
chapter included). Ordinary links (``<a href>``) to sources are fine: the
reader chooses to follow them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

# Network addresses only: http(s) and protocol-relative; e-reader schemes (res:) load nothing.
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
# (tag, attribute) pairs whose URL the browser fetches without a click.
LOADED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
          ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"),
          ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"),
          ("input", "src"), ("image", "href"), ("use", "href")}
LINK_LOADS = {"stylesheet", "preload", "prefetch", "icon", "modulepreload", "manifest",
              "preconnect", "dns-prefetch", "apple-touch-icon"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


class ResourceFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for (t, attr) in LOADED:
            if tag == t and EXTERNAL.match(attrs.get(attr, "")):
                self.found.append((line, f"<{tag} {attr}={attrs[attr]!r}>"))
        if tag == "link" and EXTERNAL.match(attrs.get("href", "")):
            if set(attrs.get("rel", "").lower().split()) & LINK_LOADS:
                self.found.append((line, f"<link rel={attrs['rel']!r} href={attrs['href']!r}>"))
        for url in CSS_URL.findall(attrs.get("style", "")):
            if EXTERNAL.match(url):
                self.found.append((line, f"style url({url})"))
        self.in_style = tag == "style"

    def handle_data(self, data):
        if self.in_style:
            for url in CSS_URL.findall(data):
                if EXTERNAL.match(url):
                    self.found.append((self.getpos()[0], f"<style> url({url})"))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False


def external_resources(html: str) -> list[tuple[int, str]]:
    finder = ResourceFinder()
    finder.feed(html)
    return finder.found


def check_site(app, exception) -> None:
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(app.outdir)
    for page in sorted(outdir.rglob("*.html")):
        docname = page.relative_to(outdir).with_suffix("").as_posix()
        for line, what in external_resources(page.read_text(encoding="utf-8")):
            # A page made from a source file is reported at that file; a page the theme
            # makes (search, genindex) at the output line, which points to a template.
            where = (docname, None) if docname in app.env.all_docs else f"{page}:{line}"
            logger.warning(f"the page loads {what} from another host, which tracks readers "
                           f"(line {line} of {page.name}) — copy the file into docs/_static "
                           "and link it locally, or make it an ordinary link",
                           location=where, type="bookext", subtype="privacy")
    for sheet in sorted(outdir.rglob("*.css")):
        for url in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url):
                logger.warning(f"stylesheet loads {url} from another host — serve it from "
                               "docs/_static instead", location=f"{sheet}:0", type="bookext",
                               subtype="privacy")


def setup(app):
    app.connect("build-finished", check_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
