"""The edition shown in the site, the PDF and CITATION.cff comes from one place.

An edition is a git tag ``vMAJOR.MINOR`` whose release date is the heading
``## [MAJOR.MINOR] - YYYY-MM-DD`` in ``CHANGELOG.md``. A build of a tagged
commit (or with ``BOOK_EDITION=MAJOR.MINOR`` set, as ``make editions`` does)
is that edition; any other build is the development version after the latest
released edition. ``conf.py`` calls :func:`current`; this module is not a
Sphinx extension.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})\s*$", re.M)
TAG = re.compile(r"^v(\d+\.\d+)$")


@dataclass(frozen=True)
class Edition:
    version: str      # "1.2", or "dev"
    release: str      # "1.2", or "1.2+dev" after edition 1.2
    date: str         # YYYY-MM-DD
    is_release: bool


class EditionError(Exception):
    pass


def released(changelog: Path) -> dict[str, str]:
    """Editions listed in the changelog, newest first: {version: date}."""
    if not changelog.exists():
        return {}
    return dict(RELEASE_HEADING.findall(changelog.read_text(encoding="utf-8")))


def tag_of_head(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "tag", "--points-at", "HEAD"], cwd=root,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    tags = sorted(m.group(1) for t in out.split() if (m := TAG.match(t)))
    return tags[-1] if tags else None


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch
              else dt.datetime.now(dt.timezone.utc))
    return moment.date().isoformat()


def current(root: Path) -> Edition:
    editions = released(root / "CHANGELOG.md")
    wanted = os.environ.get("BOOK_EDITION") or tag_of_head(root)
    if wanted:
        if wanted not in editions:
            raise EditionError(
                f"CHANGELOG.md: no section '## [{wanted}] - YYYY-MM-DD' for edition "
                f"{wanted} — add it (clinical changes first) before tagging v{wanted}")
        return Edition(wanted, wanted, editions[wanted], True)
    latest = next(iter(editions), None)
    release = f"{latest}+dev" if latest else "dev"
    return Edition("dev", release, build_date(), False)
