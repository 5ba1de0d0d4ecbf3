"""Build every edition of the book side by side, with one version switcher.

    python tools/editions.py [--root .] [--out _build/editions] [--no-pdf]

Each git tag ``vMAJOR.MINOR`` is built from its own sources into ``OUT/vMAJOR.MINOR/``
(website and PDF); the working tree is built into ``OUT/latest/`` as the development
version. ``OUT/switcher.json`` lists them all for the theme's version switcher, the
newest edition marked ``"preferred"`` (older editions show a banner pointing to it),
and ``OUT/index.html`` sends readers to the newest edition. ``BOOK_BASE_URL`` is the
path the site is served under (``/`` locally, ``/<repository>/`` on GitHub Pages).
This is the pattern large Sphinx projects use: plain sphinx-build per tag, one
switcher file outside the editions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

PDF = "baclofen-clinical-book.pdf"


def run(cmd, cwd, env=None):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"editions: {' '.join(map(str, cmd))} failed in {cwd}:\n"
                 f"{result.stdout[-4000:]}{result.stderr[-4000:]}")
    return result.stdout


def tags(root: Path) -> list[str]:
    """Edition tags, oldest first (v1.2 before v1.10)."""
    out = run(["git", "tag", "--list", "v[0-9]*.[0-9]*"], root)
    names = [t for t in out.split() if t[1:].replace(".", "").isdigit() and t.count(".") == 1]
    return sorted(names, key=lambda t: tuple(int(p) for p in t[1:].split(".")))


def export(root: Path, tag: str, dest: Path) -> Path:
    archive = subprocess.run(["git", "archive", "--format=tar", tag], cwd=root,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def build(src: Path, out: Path, edition: str | None, switcher: str, pdf: bool) -> None:
    env = dict(os.environ, BOOK_SWITCHER_JSON=switcher, BOOK_TREE=f"{out.name}/")
    env.pop("BOOK_EDITION", None)
    if edition:
        env["BOOK_EDITION"] = edition
    sphinx = [sys.executable, "-m", "sphinx", "-c", str(src), "-W", "--keep-going", "-q"]
    with tempfile.TemporaryDirectory() as work:
        run([*sphinx, "-b", "html", "-d", f"{work}/doctrees", str(src / "docs"), str(out)],
            src, env)
        if pdf:
            latex = Path(work) / "latex"
            run([*sphinx, "-b", "latex", "-d", f"{work}/doctrees-latex", str(src / "docs"),
                 str(latex)], src, env)
            run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
                 PDF.replace(".pdf", ".tex")], latex, env)
            shutil.copy(latex / PDF, out / PDF)
            run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
                 *(tex.name for tex in sorted(latex.glob("handout-*.tex")))], latex, env)
            card = out / "quick-reference.html"  # editions before 0.3 have no card
            if card.exists():
                run([sys.executable, "-m", "bookext.features.cardpdf", str(card),
                     str(out / "quick-reference.pdf")], src, env)
            handouts = sorted(latex.glob("handout-*.pdf"))
            if handouts:
                (out / "handouts").mkdir(exist_ok=True)
                for handout in handouts:
                    shutil.copy(handout, out / "handouts" / handout.name)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--out", type=Path, default=Path("_build/editions"))
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    root, out = args.root.resolve(), args.out.resolve()
    base = os.environ.get("BOOK_BASE_URL", "/").rstrip("/") + "/"
    switcher = f"{base}switcher.json"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    editions = tags(root)
    entries = [{"name": "development (latest)", "version": "dev", "url": f"{base}latest/"}]
    with tempfile.TemporaryDirectory() as tmp:
        for tag in editions:
            print(f"editions: building {tag}")
            src = export(root, tag, Path(tmp) / tag)
            build(src, out / tag, tag[1:], switcher, not args.no_pdf)
            entries.append({"name": f"edition {tag[1:]}", "version": tag[1:],
                            "url": f"{base}{tag}/"})
    print("editions: building the development version into latest/")
    build(root, out / "latest", None, switcher, not args.no_pdf)

    if editions:
        newest = entries[-1]
        newest["preferred"] = True
        newest["name"] += " (newest)"
    # Newest first, as readers expect in a menu.
    ordered = [entries[0], *reversed(entries[1:])]
    (out / "switcher.json").write_text(json.dumps(ordered, indent=2) + "\n")
    if (out / "latest" / "404.html").exists():  # GitHub Pages serves /404.html for any tree
        shutil.copy(out / "latest" / "404.html", out / "404.html")
    target = f"{editions[-1]}/" if editions else "latest/"
    (out / "index.html").write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><title>Baclofen Clinical Book</title>'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        f'<a href="{target}">Go to the newest edition</a>\n')
    print(f"editions: {len(editions)} edition(s) and latest/ in {out}")


if __name__ == "__main__":
    main()
