"""Spelling through codespell, with the project's word list for names and terms
(AGS: the American Geriatrics Society; French regulatory terms)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

WORDLIST = ROOT / "docs" / "_data" / "spelling-wordlist.txt"


def codespell(*paths: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "codespell"
    return subprocess.run([str(exe), f"--ignore-words={WORDLIST}", *map(str, paths)],
                          capture_output=True, text=True)


def test_book_sources_have_no_known_misspellings():
    sources = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md", ROOT / "CHANGELOG.md"]
    result = codespell(*sources)
    assert result.returncode == 0, "misspellings (file:line: wrong ==> right):\n" + result.stdout


def test_a_misspelling_is_reported_with_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Baclofen is a GABA-B agonist.\nIt is excreted by teh kidneys.\n")
    result = codespell(page)
    assert result.returncode != 0
    assert f"{page}:2: teh ==> the" in result.stdout
