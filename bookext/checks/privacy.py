"""No page makes a reader's browser contact another host.

After an HTML build, every page and stylesheet is scanned for resources that
a browser would load by itself from outside the site: scripts, stylesheets,
fonts, images, media, iframes and CSS ``url()``/``@import`` (raw HTML in a
chapter included). Ordinary links (``<a href>``) to sources are fine: the
reader chooses to follow them.
"""

from __future__ import annotations

import hashlib
import json
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
RECORD = "privacy-checked.json"  # in the doctree folder: files already found clean
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


def stylesheet_resources(css: str) -> list[tuple[int, str]]:
    return [(0, url) for url in CSS_URL.findall(css) if EXTERNAL.match(url)]


def report(app, outdir: Path, path: Path, line: int, what: str) -> None:
    if path.suffix == ".css":
        logger.warning(f"stylesheet loads {what} from another host — serve it from "
                       "docs/_static instead", location=f"{path}:0", type="bookext",
                       subtype="privacy")
        return
    docname = path.relative_to(outdir).with_suffix("").as_posix()
    # A page made from a source file is reported at that file; a page the theme
    # makes (search, genindex) at the output line, which points to a template.
    where = (docname, None) if docname in app.env.all_docs else f"{path}:{line}"
    logger.warning(f"the page loads {what} from another host, which tracks readers "
                   f"(line {line} of {path.name}) — copy the file into docs/_static "
                   "and link it locally, or make it an ordinary link",
                   location=where, type="bookext", subtype="privacy")


def check_site(app, exception) -> None:
    """Scan every page and stylesheet; skip files unchanged since they were last found clean.

    Sphinx rewrites only the pages that changed, so most files are the bytes already checked.
    The record (size and modification time of each clean file, and a fingerprint of these
    rules) lives in the doctree folder; a file with a finding is never recorded, so it is
    reported again on every build until it is fixed.
    """
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    outdir = Path(app.outdir)
    record_file = Path(app.doctreedir) / RECORD
    rules = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    checked = record.get("clean", {}) if record.get("rules") == rules else {}
    clean = {}
    for path in sorted(outdir.rglob("*.html")) + sorted(outdir.rglob("*.css")):
        name = path.relative_to(outdir).as_posix()
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        if checked.get(name) == stamp:
            clean[name] = stamp
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found = stylesheet_resources(text) if path.suffix == ".css" else external_resources(text)
        for line, what in found:
            report(app, outdir, path, line, what)
        if not found:
            clean[name] = stamp
    record_file.parent.mkdir(parents=True, exist_ok=True)
    record_file.write_text(json.dumps({"rules": rules, "clean": clean}, sort_keys=True),
                           encoding="utf-8")


def setup(app):
    app.connect("build-finished", check_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
