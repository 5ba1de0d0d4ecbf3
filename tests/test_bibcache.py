"""bookext.patches.bibcache: pybtex's plugin lookups scan the installed packages once."""

from __future__ import annotations

import pybtex.plugin

from bookext.patches import bibcache


def test_a_plugin_lookup_scans_installed_packages_once(monkeypatch):
    scans = []
    real_scan = bibcache._scan

    def counting_scan(group, name=None):
        scans.append((group, name))
        return real_scan(group=group, name=name)

    monkeypatch.setattr(bibcache, "_scan", counting_scan)
    monkeypatch.setattr(pybtex.plugin, "entry_points", bibcache.entry_points)
    bibcache._entry_points_named.cache_clear()
    first = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    for _ in range(50):
        assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is first
    assert scans == [("pybtex.backends", "plaintext")]
    bibcache._entry_points_named.cache_clear()


def test_runtime_plugins_still_win(monkeypatch):
    monkeypatch.setattr(pybtex.plugin, "entry_points", bibcache.entry_points)

    class Mine(pybtex.plugin.Plugin):
        pass

    pybtex.plugin.register_plugin("pybtex.backends", "bibcache-test", Mine)
    assert pybtex.plugin.find_plugin("pybtex.backends", "bibcache-test") is Mine
