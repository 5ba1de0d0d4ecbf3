"""The edition offline: a service worker that keeps a copy of the site on the reader's device.

After one visit, every page of the edition (chapters, patient pages, search, glossary,
the quick-reference card) opens with no network, which is what a ward phone needs.
At the end of an HTML build this module writes ``sw.js`` at the root of the output:
the worker's code (``data/offline-worker.js``, commented there) after two constants,

- ``FILES``: every HTML page and each file the pages and their stylesheets load,
  found by following ``src``/``href`` and CSS ``url()`` references (so source maps,
  the unused ``fontawesome.js`` and the theme's other locales are left out); no PDFs,
  which the worker caches when a reader opens one;
- ``VERSION``: the edition and a hash of those files, so any change is a new cache and
  the old one is deleted.

``_static/offline.js`` registers the worker after the page has loaded. No library:
Workbox, the usual one, needs a build step or a CDN; the worker is 60 lines.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

WORKER = Path(__file__).parent / "data" / "offline-worker.js"
HTML_REF = re.compile(r"""(?:src|href)=["']([^"'#?]+)""")
CSS_REF = re.compile(r"""url\(\s*["']?([^"')#?]+)""")
SKIP = {".pdf", ".map"}
SKIP_DIRS = {"_sources"}


def local_target(base: Path, ref: str, root: Path) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("data:", "/")):
        return None
    target = (base.parent / unquote(parts.path)).resolve()
    if root not in target.parents or not target.is_file() or target.suffix in SKIP:
        return None
    return target


def offline_files(root: Path) -> list[str]:
    """The pages of the tree and everything they load, as paths relative to the root."""
    root = root.resolve()
    pages = [p for p in root.rglob("*.html")
             if not SKIP_DIRS & set(p.relative_to(root).parts)]
    found, todo = set(pages), list(pages)
    while todo:
        current = todo.pop()
        pattern = HTML_REF if current.suffix == ".html" else CSS_REF
        for ref in pattern.findall(current.read_text(encoding="utf-8", errors="ignore")):
            target = local_target(current, ref, root)
            if target and target not in found:
                found.add(target)
                if target.suffix == ".css":
                    todo.append(target)
    return sorted(p.relative_to(root).as_posix() for p in found)


def write_worker(app, exception) -> None:
    if exception or app.builder.name != "html":
        return
    root = Path(app.outdir)
    files = offline_files(root)
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    version = f"{app.config.release}-{digest.hexdigest()[:12]}"
    (root / "sw.js").write_text(
        f"const VERSION = {json.dumps(version)};\n"
        f"const FILES = {json.dumps(['./', *files], indent=0)};\n\n"
        + WORKER.read_text(encoding="utf-8"), encoding="utf-8")


def setup(app):
    app.add_js_file("offline.js", defer="defer")
    app.connect("build-finished", write_worker, priority=900)  # after facts.json is written
    return {"parallel_read_safe": True, "parallel_write_safe": True}
