"""A synthetic book N times larger: the clinical chapters copied with fresh labels and keys.

    python tools/synthetic.py OUT --factor 5

Copies the project to OUT and adds N-1 copies of every clinical chapter
(``docs/_data/pages.yml``), as ``<chapter>-copyK.md``. In each copy every label the
chapter defines gets a suffix (and so do the references to it, in that copy), every cited
key gets a letter suffix (``Smith2020trialb``) with a copy of its ``references.bib`` entry,
and the copies join the table of contents and the page roles (as clinical chapters,
without handouts), so the build checks them as it checks the originals. ``make bench``
uses it to see how build time and memory grow with the book.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bookext import pages  # noqa: E402

IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "test-results", "__pycache__",
                                ".pytest_cache")
LABEL = re.compile(r"^\(([\w.-]+)\)=\s*$", re.M)
CITE = re.compile(r"(\{(?:cite|footcite)(?::\w+)?\}`)([^`]+)(`)")
ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),", re.M)
SUFFIXES = "bcdefghijklmnopqrstuvwxyz"   # copy K uses SUFFIXES[K-2]: keys stay AuthorYYYYword


def bib_entries(text: str) -> dict[str, str]:
    """Each entry's full text by key (an entry runs to the next '@' at a line start)."""
    starts = list(ENTRY.finditer(text))
    return {m[2]: text[m.start():(starts[i + 1].start() if i + 1 < len(starts) else len(text))]
            .split("\n%")[0].rstrip() + "\n"
            for i, m in enumerate(starts)}


def copy_chapter(text: str, copy: int) -> tuple[str, set[str]]:
    """The chapter's copy K, and the citation keys it cites (original names)."""
    suffix, letter = f"-copy{copy}", SUFFIXES[copy - 2]
    for label in sorted(set(LABEL.findall(text)), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", label + suffix, text)
    cited: set[str] = set()

    def rename(match: re.Match) -> str:
        keys = [key.strip() for key in match[2].split(",")]
        cited.update(keys)
        return match[1] + ",".join(key + letter for key in keys) + match[3]

    return CITE.sub(rename, text), cited


def copy_entry(entry: str, copy: int) -> str:
    """A bibliography entry under a new key, with identifiers of its own (the bibliography
    check rejects two entries for one work)."""
    entry = ENTRY.sub(lambda m: f"@{m[1]}{{{m[2]}{SUFFIXES[copy - 2]},", entry, count=1)
    entry = re.sub(r"(\bdoi\s*=\s*[{\"])([^}\"]+)", rf"\g<1>\g<2>.copy{copy}", entry)
    entry = re.sub(r"(\bpmid\s*=\s*[{\"])(\d{1,8})\b", rf"\g<1>{copy}\g<2>", entry)
    return re.sub(r"(\burl\s*=\s*[{\"])([^}\"#]+)", rf"\g<1>\g<2>#copy{copy}", entry)


def make(out: Path, factor: int) -> Path:
    if not 1 <= factor <= len(SUFFIXES) + 1:
        sys.exit(f"synthetic: --factor must be 1 to {len(SUFFIXES) + 1}")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT, out, ignore=IGNORE, symlinks=True)
    roles = pages.load(out / "docs" / "_data" / "pages.yml")
    chapters = roles.having("clinical")
    entries = bib_entries((out / "references.bib").read_text(encoding="utf-8"))
    new_bib, new_roles, new_pages = [], [], []
    for copy in range(2, factor + 1):
        cited_in_copy: set[str] = set()
        for chapter in chapters:
            text, cited = copy_chapter((out / "docs" / f"{chapter}.md").read_text(
                encoding="utf-8"), copy)
            name = f"{chapter}-copy{copy}"
            (out / "docs" / f"{name}.md").write_text(text, encoding="utf-8")
            new_pages.append(name)
            own = [r for r in roles.roles[chapter] if r != "handout"]
            new_roles.append(f"{name}: [{', '.join(own)}]")
            cited_in_copy |= cited
        for key in sorted(cited_in_copy & entries.keys()):
            new_bib.append(copy_entry(entries[key], copy))
    with open(out / "references.bib", "a", encoding="utf-8") as bib:
        bib.write("\n% --- synthetic copies (tools/synthetic.py)\n" + "\n".join(new_bib))
    with open(out / "docs" / "_data" / "pages.yml", "a", encoding="utf-8") as roles_file:
        roles_file.write("\n".join(["", *new_roles, ""]))
    with open(out / "docs" / "index.md", "a", encoding="utf-8") as index:
        index.write("\n```{toctree}\n:caption: Synthetic copies\n:maxdepth: 1\n\n"
                    + "\n".join(new_pages) + "\n```\n")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--factor", type=int, default=5)
    args = parser.parse_args(argv)
    out = make(args.out.resolve(), args.factor)
    print(f"synthetic: {args.factor}x book in {out}")


if __name__ == "__main__":
    main()
