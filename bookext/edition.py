"""Which edition a build is, read from the one record of released editions.

The record is ``CHANGELOG.md``. A released edition is a section headed
``## [MAJOR.MINOR] - YYYY-MM-DD`` whose first line names the commit it was built
from: ``Built from commit `<40 hex digits>`.`` (``tools/editions.py record X.Y``
writes that line, in a commit after the release commit, whose SHA it names).
A build of exactly a recorded commit is that edition; so is the release commit
itself (its newest section names no commit yet); any later commit is the
development version (``X.Y+dev`` after edition X.Y).
``BOOK_EDITION=X.Y`` forces an edition (``tools/editions.py`` sets it when it
builds an old commit, whose own code predates the record). Git tags play no
part: a fresh, tag-less or shallow clone gives the same answer. ``conf.py``
calls :func:`current`; this module is not a Sphinx extension.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})[ \t]*$", re.M)
COMMIT_LINE = re.compile(r"^Built from commit `([0-9a-f]{40})`\.[ \t]*$", re.M)
UNRELEASED = "## [Unreleased]"


@dataclass(frozen=True)
class Edition:
    version: str      # "1.2", or "dev"
    release: str      # "1.2", or "1.2+dev" after edition 1.2
    date: str         # YYYY-MM-DD
    is_release: bool


@dataclass(frozen=True)
class Released:
    version: str
    date: str
    commit: str | None   # full SHA, None until recorded
    notes: str           # the section's text, without its heading and commit line


class EditionError(Exception):
    pass


def record(changelog: Path) -> list[Released]:
    """Every released edition in the changelog, newest first."""
    if not changelog.exists():
        return []
    text = changelog.read_text(encoding="utf-8")
    headings = list(RELEASE_HEADING.finditer(text))
    editions = []
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        body = text[heading.end():end]
        # The commit line, if any, is the section's first non-empty line.
        first = next((line for line in body.splitlines() if line.strip()), "")
        commit = COMMIT_LINE.match(first)
        if commit:
            body = body.replace(first, "", 1)
        editions.append(Released(heading[1], heading[2], commit[1] if commit else None,
                                 body.strip() + "\n"))
    return editions


def released(changelog: Path) -> dict[str, str]:
    """Editions listed in the changelog, newest first: {version: date}."""
    return {e.version: e.date for e in record(changelog)}


def head_commit(root: Path) -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
              else dt.datetime.now(dt.timezone.utc))
    return moment.date().isoformat()


def current(root: Path) -> Edition:
    editions = record(root / "CHANGELOG.md")
    by_version = {e.version: e for e in editions}
    wanted = os.environ.get("BOOK_EDITION")
    if wanted and wanted not in by_version:
        raise EditionError(
            f"CHANGELOG.md: no section '## [{wanted}] - YYYY-MM-DD' for edition {wanted} "
            f"(BOOK_EDITION={wanted}) — add it (clinical changes first), then run "
            f"'python tools/editions.py record {wanted}'")
    if not wanted and editions and editions[0].commit is None:
        wanted = editions[0].version   # the release commit itself, recorded by a later one
    if not wanted:
        head = head_commit(root)
        wanted = next((e.version for e in editions if head and e.commit == head), None)
    if wanted:
        return Edition(wanted, wanted, by_version[wanted].date, True)
    latest = editions[0].version if editions else None
    release = f"{latest}+dev" if latest else "dev"
    return Edition("dev", release, build_date(), False)


def with_commit(text: str, version: str, commit: str) -> str:
    """The changelog text with ``commit`` recorded under edition ``version``'s heading."""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise EditionError(f"{commit!r} is not a full 40-digit commit SHA")
    heading = re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}[ \t]*$",
                        text, re.M)
    if not heading:
        raise EditionError(
            f"CHANGELOG.md: no section '## [{version}] - YYYY-MM-DD' — rename "
            f"'{UNRELEASED}' to it (clinical changes first) and commit before recording")
    rest = text[heading.end():]
    first = next((line for line in rest.splitlines() if line.strip()), "")
    if COMMIT_LINE.match(first):
        raise EditionError(f"CHANGELOG.md: edition {version} is already recorded ({first})")
    return f"{text[:heading.end()]}\n\nBuilt from commit `{commit}`.{rest}"
