"""Page roles are written once (docs/_data/pages.yml); mistakes name the file and line."""

from __future__ import annotations

import pytest

from bookext import pages
from conftest import PAGES, build_in_process, sphinx_build


def write_roles(book, text: str):
    path = book / "docs" / "_data" / "pages.yml"
    path.write_text(text)
    return path


def test_every_role_in_the_book_is_used_and_the_lists_follow_the_file():
    assert PAGES.having("clinical")[:2] == ["pharmacology", "clinical-use"]
    for role in pages.ROLES:
        if role != "disclaimer":
            assert PAGES.having(role), role
    assert set(PAGES.having("emergency")) <= set(PAGES.having("clinical", "patient"))


def test_unknown_role_names_the_file_the_line_and_the_roles(fixture_book):
    path = write_roles(fixture_book, "index: [disclaimer]\nchapter: [handuot]\n")
    with pytest.raises(pages.PagesError, match=rf"{path}:2: unknown role 'handuot'.*handout"):
        pages.load(path)


def test_page_that_does_not_exist_names_the_line_and_the_fix(fixture_book):
    path = write_roles(fixture_book, "index: [disclaimer]\nchapters: [handout]\n")
    with pytest.raises(pages.PagesError, match=rf"{path}:2: no page docs/chapters.md"):
        pages.load(path)


def test_a_new_handout_is_one_line_in_the_roles_file(fixture_book, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    write_roles(fixture_book, "index: [disclaimer, handout]\nchapter: [handout]\n")
    build = build_in_process(fixture_book, "latex", tmp_path / "latex")
    assert build.returncode == 0, build.output
    assert (tmp_path / "latex" / "handout-index.tex").exists()


def test_conf_py_derives_the_check_lists_from_the_roles(fixture_book, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    clean = build_in_process(fixture_book, "html", tmp_path / "clean")
    assert clean.returncode == 0, clean.output
    write_roles(fixture_book, "index: [disclaimer]\nchapter: [emergency]\n")
    build = build_in_process(fixture_book, "html", tmp_path / "html")
    assert build.returncode != 0
    assert "chapter.md" in build.output and "emergency" in build.output


def test_an_emergency_page_without_its_box_fails_the_command_line_build(fixture_book, tmp_path):
    """The one end-to-end CLI build of this contract (-W turns the warning into a failure)."""
    write_roles(fixture_book, "index: [disclaimer]\nchapter: [emergency]\n")
    build = sphinx_build(fixture_book, "html", tmp_path / "html")
    assert build.returncode != 0 and "chapter.md" in build.output
