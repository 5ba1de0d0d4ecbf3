"""Build speed: look up each pybtex plugin's entry point once per build, not per citation.

sphinxcontrib-bibtex asks pybtex for its formatting plugins for every citation it resolves,
and pybtex answers each time with ``importlib.metadata.entry_points()``, which reads the
metadata of every installed package. With ~1,000 citations that was a third of a clean
build (14 s -> 9 s on the project's 2-core machine; the HTML is byte-for-byte the same).
Installed packages do not change during a build, so the scan is cached per (group, name);
plugins registered at run time (``bookext.features.bibstyle``) are still looked up first by pybtex.

Relies on: ``pybtex.plugin`` calling its module-level ``entry_points`` (pybtex 0.26.1).
Global and reversible: the original is put back when the build finishes (``restore``).
Retire it when pybtex caches its plugin lookups (or sphinxcontrib-bibtex stops asking
pybtex for plugins per citation).
"""

from __future__ import annotations

import functools

import pybtex.plugin

from bookext.patches._compat import require

WRITTEN_FOR = "0.26.1"
_scan = pybtex.plugin.entry_points


@functools.lru_cache(maxsize=None)
def _entry_points_named(group: str, name: str) -> tuple:
    return tuple(_scan(group=group, name=name))


def entry_points(group: str, name: str | None = None):
    """pybtex's calls, answered from the cache when a plugin name is given."""
    if name is None:
        return _scan(group=group)
    return _entry_points_named(group, name)


def restore(app=None, exception=None) -> None:
    pybtex.plugin.entry_points = _scan
    _entry_points_named.cache_clear()


def setup(app):
    require(__name__, "pybtex", WRITTEN_FOR, "pybtex.plugin.entry_points")
    pybtex.plugin.entry_points = entry_points
    app.connect("build-finished", restore)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
