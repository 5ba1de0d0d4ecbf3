"""bookext.patches.templatecache: the theme's templates are compiled once and reused."""

from __future__ import annotations

from conftest import sphinx_build


def test_compiled_templates_are_kept_between_builds(fixture_book):
    first = sphinx_build(fixture_book, "html", fixture_book / "_build" / "html")
    assert first.returncode == 0, first.output
    cache = fixture_book / "_build" / "doctrees-html" / "jinja"
    compiled = sorted(cache.iterdir())
    assert len(compiled) >= 10
    page = (fixture_book / "_build" / "html" / "chapter.html").read_text(encoding="utf-8")
    (fixture_book / "docs" / "chapter.md").touch()
    assert sphinx_build(fixture_book, "html", fixture_book / "_build" / "html").returncode == 0
    assert sorted(cache.iterdir()) == compiled
    assert (fixture_book / "_build" / "html" / "chapter.html").read_text(encoding="utf-8") == page
