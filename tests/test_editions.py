"""Editions: one source for the edition, and a multi-edition site from git tags."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_fixture_book, sphinx_build

sys.path.insert(0, str(ROOT))
from bookext import edition  # noqa: E402

CHANGELOG = """# What changed

## [Unreleased]

## [1.1] - 2026-03-01

### Clinical changes

- Corrected a dose.

## [1.0] - 2026-01-15

### Clinical changes

- First edition.
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                           *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def two_edition_repo(tmp_path_factory) -> Path:
    repo = make_fixture_book(tmp_path_factory.mktemp("editions") / "repo")
    (repo / "CHANGELOG.md").write_text(CHANGELOG.replace(
        "## [1.1] - 2026-03-01\n\n### Clinical changes\n\n- Corrected a dose.\n\n", ""))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "edition 1.0")
    git(repo, "tag", "v1.0")
    chapter = repo / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace("# A chapter", "# A chapter, revised"))
    (repo / "CHANGELOG.md").write_text(CHANGELOG)
    git(repo, "commit", "-qam", "edition 1.1")
    git(repo, "tag", "v1.1")
    return repo


@pytest.fixture(scope="module")
def site(two_edition_repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "editions.py"),
                             "--root", str(two_edition_repo), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_tagged_commit_is_that_edition_with_the_changelog_date(two_edition_repo):
    current = edition.current(two_edition_repo)
    assert (current.version, current.date, current.is_release) == ("1.1", "2026-03-01", True)


def test_untagged_commit_is_the_development_version(two_edition_repo, monkeypatch):
    monkeypatch.setattr(edition, "tag_of_head", lambda root: None)
    monkeypatch.delenv("BOOK_EDITION", raising=False)
    current = edition.current(two_edition_repo)
    assert (current.version, current.release) == ("dev", "1.1+dev")


def test_tag_without_changelog_section_names_the_fix(two_edition_repo, monkeypatch):
    monkeypatch.setenv("BOOK_EDITION", "2.0")
    with pytest.raises(edition.EditionError, match=r"CHANGELOG.md: no section '## \[2.0\]"):
        edition.current(two_edition_repo)


def test_each_edition_has_its_own_tree_and_pdf(site):
    for tree in ("v1.0", "v1.1", "latest"):
        assert (site / tree / "index.html").exists(), tree
        assert (site / tree / "baclofen-clinical-book.pdf").stat().st_size > 10_000, tree
    assert "A chapter, revised" not in (site / "v1.0" / "chapter.html").read_text()
    assert "A chapter, revised" in (site / "v1.1" / "chapter.html").read_text()


def test_switcher_lists_every_edition_and_prefers_the_newest(site):
    entries = json.loads((site / "switcher.json").read_text())
    assert [e["version"] for e in entries] == ["dev", "1.1", "1.0"]
    assert [e["version"] for e in entries if e.get("preferred")] == ["1.1"]
    assert all(e["url"].startswith("/") for e in entries)


def test_pages_carry_the_switcher_and_their_edition(site):
    page = (site / "v1.0" / "chapter.html").read_text()
    assert "version-switcher" in page
    assert "theme_switcher_json_url = '/switcher.json'" in page
    assert "version_match = '1.0'" in page
    assert "VERSION: '1.0'" in (site / "v1.0" / "_static" / "documentation_options.js").read_text()


def test_site_root_sends_readers_to_the_newest_edition(site):
    assert 'url=v1.1/' in (site / "index.html").read_text()


def test_each_edition_serves_its_own_handouts_and_the_root_has_a_404(site):
    for tree in ("v1.0", "v1.1", "latest"):
        assert (site / tree / "handouts" / "handout-chapter.pdf").exists(), tree
    assert 'href="/latest/_static/' in (site / "404.html").read_text()


def test_canonical_urls_of_every_edition_point_to_latest(site):
    page = (site / "v1.0" / "chapter.html").read_text()
    assert 'rel="canonical" href="https://baclofen-book.github.io/baclofen-book/latest/' in page


def test_citation_cff_is_valid_and_matches_the_newest_edition():
    result = subprocess.run([str(Path(sys.executable).parent / "cffconvert"), "--validate",
                             "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    newest_version, newest_date = next(iter(edition.released(ROOT / "CHANGELOG.md").items()))
    assert (str(cff["version"]), str(cff["date-released"])) == (newest_version, newest_date), \
        "CITATION.cff: set version and date-released to the newest edition in CHANGELOG.md"


def test_changelog_lists_clinical_changes_first_in_every_edition():
    text = (ROOT / "CHANGELOG.md").read_text()
    sections = text.split("\n## [")[1:]
    assert sections
    for section in sections:
        subheadings = [line for line in section.splitlines() if line.startswith("### ")]
        assert subheadings and subheadings[0] == "### Clinical changes", section[:40]
