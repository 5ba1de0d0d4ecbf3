"""Patches of libraries' internals check the version they were written for, and undo
their global changes."""

from __future__ import annotations

import importlib
import pkgutil

import pybtex.plugin
import pytest
from sphinx.errors import ExtensionError
from sphinxcontrib.bibtex.domain import BibtexDomain

from conftest import ROOT

PATCHES = [f"bookext.patches.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "bookext" / "patches")])
           if not m.name.startswith("_")] + ["bookext.features.assets"]


class App:
    """Just enough of Sphinx's application for a setup() to register its handlers."""

    def __init__(self):
        self.handlers = {}

    def connect(self, event, handler, priority=500):
        self.handlers.setdefault(event, []).append(handler)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def test_there_are_patches_to_check():
    assert len(PATCHES) >= 5


@pytest.mark.parametrize("name", PATCHES)
def test_patch_stops_the_build_on_another_library_version_and_says_what_to_do(name,
                                                                               monkeypatch):
    module = importlib.import_module(name)
    monkeypatch.setattr(module, "WRITTEN_FOR", "0.0.1")
    with pytest.raises(ExtensionError) as error:
        module.setup(App())
    message = str(error.value)
    assert f"{name} was written for" in message and "0.0.1" in message
    assert "WRITTEN_FOR" in message and "remove" in message


@pytest.mark.parametrize("name", PATCHES)
def test_patch_accepts_the_pinned_version(name):
    app = App()
    importlib.import_module(name).setup(app)
    for handler in app.handlers.get("build-finished", []):
        handler(app, None)


def test_global_patches_are_undone_when_the_build_finishes():
    from bookext.patches import bibcache, bibindex
    originals = (pybtex.plugin.entry_points, BibtexDomain.get_filtered_entries)
    assert originals == (bibcache._scan, bibindex.library_get_filtered_entries)
    app = App()
    bibcache.setup(app)
    bibindex.setup(app)
    assert pybtex.plugin.entry_points is bibcache.entry_points
    assert BibtexDomain.get_filtered_entries is bibindex.get_filtered_entries
    for handler in app.handlers["build-finished"]:
        handler(app, None)
    assert (pybtex.plugin.entry_points, BibtexDomain.get_filtered_entries) == originals
