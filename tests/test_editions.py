"""Editions: recorded in CHANGELOG.md, built side by side from a tag-less clone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_fixture_book

sys.path.insert(0, str(ROOT))
from bookext import edition, products  # noqa: E402

CHANGELOG = """# What changed

## [Unreleased]

## [1.1] - 2026-03-01

### Clinical changes

- Corrected a dose.

## [1.0] - 2026-01-15

### Clinical changes

- First edition.
"""
CITATION = 'cff-version: 1.2.0\ntitle: "Fixture"\nversion: "{v}"\ndate-released: "{d}"\n'
EDITIONS = [sys.executable, str(ROOT / "tools" / "editions.py")]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                           *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def editions_tool(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run([*EDITIONS, "--root", str(repo), *args], cwd=repo, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def release_commits(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A repository with two editions released the documented way, and no tags:
    CHANGELOG section and CITATION.cff committed (by hand, or `editions.py prepare X.Y`),
    then `editions.py record X.Y`."""
    repo = make_fixture_book(tmp_path_factory.mktemp("editions") / "repo")
    (repo / "CHANGELOG.md").write_text(CHANGELOG.replace(
        "## [1.1] - 2026-03-01\n\n### Clinical changes\n\n- Corrected a dose.\n\n", ""))
    (repo / "CITATION.cff").write_text(CITATION.format(v="1.0", d="2026-01-15"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "edition 1.0")
    commits = {"1.0": git(repo, "rev-parse", "HEAD").strip()}
    result = editions_tool(repo, "record", "1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    chapter = repo / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text().replace("# A chapter", "# A chapter, revised"))
    text = (repo / "CHANGELOG.md").read_text()
    (repo / "CHANGELOG.md").write_text(text.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n### Clinical changes\n\n- Corrected a dose.\n"))
    git(repo, "commit", "-qam", "a corrected dose")
    result = editions_tool(repo, "prepare", "1.1", "--date", "2026-03-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'version: "1.1"' in (repo / "CITATION.cff").read_text()
    git(repo, "commit", "-qam", "edition 1.1")
    commits["1.1"] = git(repo, "rev-parse", "HEAD").strip()
    result = editions_tool(repo, "record", "1.1")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo, commits


@pytest.fixture(scope="module")
def two_edition_repo(release_commits, tmp_path_factory) -> Path:
    """A fresh clone, as CI and forks have it: no tags at all."""
    repo, _ = release_commits
    clone = tmp_path_factory.mktemp("clone") / "repo"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(repo), str(clone)], check=True)
    assert git(clone, "tag") == ""
    return clone


@pytest.fixture(scope="module")
def site(two_edition_repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = editions_tool(two_edition_repo, "build", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_record_names_each_release_commit_under_its_changelog_heading(release_commits,
                                                                      two_edition_repo):
    _, commits = release_commits
    recorded = {e.version: e.commit for e in edition.record(two_edition_repo / "CHANGELOG.md")}
    assert recorded == commits
    listed = editions_tool(two_edition_repo, "list").stdout.split()
    assert listed == ["1.1", commits["1.1"], "2026-03-01", "1.0", commits["1.0"], "2026-01-15"]


def test_recorded_commit_is_that_edition_without_any_tag(release_commits, two_edition_repo,
                                                         monkeypatch):
    _, commits = release_commits
    monkeypatch.delenv("BOOK_EDITION", raising=False)
    monkeypatch.setattr(edition, "head_commit", lambda root: commits["1.0"])
    current = edition.current(two_edition_repo)
    assert (current.version, current.date, current.is_release) == ("1.0", "2026-01-15", True)


def test_release_commit_before_its_record_is_that_edition(release_commits, tmp_path,
                                                          monkeypatch):
    repo, commits = release_commits
    monkeypatch.delenv("BOOK_EDITION", raising=False)
    git(repo, "worktree", "add", "-q", "--detach", str(tmp_path / "at"), commits["1.1"])
    current = edition.current(tmp_path / "at")
    assert (current.version, current.release, current.is_release) == ("1.1", "1.1", True)


def test_later_commit_is_the_development_version(two_edition_repo, monkeypatch):
    monkeypatch.delenv("BOOK_EDITION", raising=False)
    current = edition.current(two_edition_repo)   # HEAD: the commit recording 1.1
    assert (current.version, current.release, current.is_release) == ("dev", "1.1+dev", False)


def test_edition_without_changelog_section_names_the_fix(two_edition_repo, monkeypatch):
    monkeypatch.setenv("BOOK_EDITION", "2.0")
    with pytest.raises(edition.EditionError, match=r"CHANGELOG.md: no section '## \[2.0\]"):
        edition.current(two_edition_repo)


def test_record_refuses_a_commit_whose_citation_cff_is_another_edition(release_commits,
                                                                       two_edition_repo):
    _, commits = release_commits
    result = editions_tool(two_edition_repo, "record", "1.1", "--commit", commits["1.0"],
                           "--no-commit")
    assert result.returncode != 0
    assert "has no section '## [1.1]" in result.stderr or "CITATION.cff" in result.stderr


def test_release_notes_are_the_editions_changelog_section(two_edition_repo):
    notes = editions_tool(two_edition_repo, "notes", "1.1").stdout
    assert notes == "### Clinical changes\n\n- Corrected a dose.\n"


def test_unrecorded_old_edition_stops_the_build_with_the_fix(two_edition_repo, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(two_edition_repo, copy)
    text = (copy / "CHANGELOG.md").read_text()
    (copy / "CHANGELOG.md").write_text(edition.COMMIT_LINE.sub("", text, count=2))
    result = editions_tool(copy, "build", "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode != 0
    assert "name no commit" in result.stderr and "editions.py record 1.1" in result.stderr


def test_each_edition_has_its_own_tree_and_pdf(site):
    for tree in ("v1.0", "v1.1", "latest"):
        assert (site / tree / "index.html").exists(), tree
        assert (site / tree / products.BOOK_PDF).stat().st_size > 10_000, tree
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
        assert (site / tree / products.HANDOUTS_DIR / products.handout_pdf("chapter")).exists(), tree
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


def test_every_released_edition_of_the_book_names_its_commit_and_that_commit_is_it():
    """The record survives any clone: each edition's commit is in CHANGELOG.md, and the
    commit's own CITATION.cff names that edition (a wrong SHA fails here)."""
    editions = edition.record(ROOT / "CHANGELOG.md")
    assert [e.version for e in editions][-2:] == ["0.2", "0.1"]
    # Only the newest may be unrecorded, and only on its own release commit.
    for released in editions[1:] if editions[0].commit is None else editions:
        assert released.commit, f"CHANGELOG.md: edition {released.version} names no commit"
        shallow = subprocess.run(["git", "cat-file", "-e", released.commit], cwd=ROOT)
        if shallow.returncode != 0:
            pytest.skip("shallow clone: the editions' commits are not here")
        cff = subprocess.run(["git", "show", f"{released.commit}:CITATION.cff"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        assert f'version: "{released.version}"' in cff, released.version
