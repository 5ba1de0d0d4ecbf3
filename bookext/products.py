"""The build products: which PDFs the book makes, their names, where they go.

One contract used by conf.py, the Makefile, ``.readthedocs.yaml``,
``tools/editions.py``, ``tools/bench.py`` and the tests, so that a name or the
LaTeX recipe is written once:

- ``PDF_DIR/BOOK_PDF``: the whole book; in the website at ``BOOK_PDF``;
- ``PDF_DIR/handout-<page>.pdf``: one handout per page with the ``handout``
  role (``docs/_data/pages.yml``); in the website under ``HANDOUTS_DIR/``;
- ``PDF_DIR/CARD_PDF``: the quick-reference card; in the website at ``CARD_PDF``;
- ``EPUB_DIR/EPUB``: the e-book; the book PDF and the e-book are attached to an
  edition's release as ``baclofen-clinical-book-vX.Y.pdf`` / ``.epub``.

``build_pdfs`` makes the tagged PDFs: Sphinx's ``printhtml`` builder writes one HTML
page per PDF, ``tools/printpdf.py`` prints them in Chromium, the card is printed from
its web page (``bookext.features.cardpdf``), and ``tools/pdfcheck.py`` checks every
one (README, "Accessible PDFs"); it stamps the PDFs with a digest of the sources they
were built from. An edition recorded before the Chromium route (0.1, 0.2) has no
``printhtml`` builder: its PDFs are made as they were then, with XeLaTeX.
``install`` copies them into a built website, but only when the sources have
not changed since: a PDF built from older text is left out, and the build says
which files changed and what to run, instead of shipping a stale download.

Command line (the Makefile and Read the Docs use these)::

    python -m bookext.products pdf [--root .] [--sphinxopts "-W --keep-going -n"]
    python -m bookext.products install HTML_DIR [--root .] [--pdf-dir DIR] [--require]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

BOOK = "baclofen-clinical-book"
BOOK_TEX = f"{BOOK}.tex"
BOOK_PDF = f"{BOOK}.pdf"
EPUB_DIR = "_build/epub"             # relative to the project root
EPUB = "BaclofenClinicalBook.epub"   # Sphinx's name for it, from the project's title
HANDOUT_PREFIX = "handout-"
HANDOUTS_DIR = "handouts"            # folder of the handouts in the website
PDF_DIR = "_build/pdf"               # relative to the project root: every PDF
LATEX_DIR = "_build/latex"           # editions before 0.3: XeLaTeX's PDFs
PRINT_DIR = "_build/printhtml"       # the print pages Chromium prints
CARD_PDF = "quick-reference.pdf"     # the quick-reference card, at the website's root
CARD_PAGE = "quick-reference.html"
STAMP = "sources.json"               # beside the PDFs: digests of the sources they came from
LATEXMK = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error"]
# What a PDF is built from: a change to any of these makes the PDFs stale.
SOURCES = ("docs", "bookext", "conf.py", "references.bib", "CHANGELOG.md")


# Where the site is published. BOOK_SITE_URL is the one setting (a fork's Pages workflow sets
# it); the path that the editions are served under derives from it.
DEFAULT_SITE_URL = "https://baclofen-book.github.io/baclofen-book/"
LATEST = "latest"                    # the development version's folder in the editions site


def site_url() -> str:
    return os.environ.get("BOOK_SITE_URL", DEFAULT_SITE_URL).rstrip("/") + "/"


def base_path() -> str:
    """The path the editions site is served under: BOOK_SITE_URL's path when it is set (a
    published build), else "/" (``make editions`` previewed with python -m http.server)."""
    if not os.environ.get("BOOK_SITE_URL"):
        return "/"
    return urlsplit(site_url()).path or "/"


class ProductError(Exception):
    pass


def handout_pdf(page: str) -> str:
    return f"{HANDOUT_PREFIX}{page}.pdf"


def handout_tex(page: str) -> str:
    return f"{HANDOUT_PREFIX}{page}.tex"


def release_files(version: str) -> dict[str, str]:
    """The files attached to an edition's release: {path in the project: release name}."""
    return {f"{PDF_DIR}/{BOOK_PDF}": f"{BOOK}-v{version}.pdf",
            f"{EPUB_DIR}/{EPUB}": f"{BOOK}-v{version}.epub"}


def website_files(latex_dir: Path) -> dict[str, Path]:
    """Built PDFs by their path in the website: the book first, then the handouts."""
    files = {}
    if (latex_dir / BOOK_PDF).exists():
        files[BOOK_PDF] = latex_dir / BOOK_PDF
    for pdf in sorted(latex_dir.glob(f"{HANDOUT_PREFIX}*.pdf")):
        files[f"{HANDOUTS_DIR}/{pdf.name}"] = pdf
    if (latex_dir / CARD_PDF).exists():
        files[CARD_PDF] = latex_dir / CARD_PDF
    return files


def expected(root: Path) -> list[str]:
    """Website paths of every PDF the book should have: the book and its handouts."""
    from bookext import pages   # needs PyYAML; the rest of this module is standard library
    roles = pages.load(root / "docs" / "_data" / "pages.yml")
    card = [CARD_PDF] if (root / "docs" / "quick-reference.md").exists() else []
    return [BOOK_PDF, *(f"{HANDOUTS_DIR}/{handout_pdf(page)}" for page in roles.having("handout")),
            *card]


def source_digests(root: Path) -> dict[str, str]:
    """sha256 of every source file a PDF depends on, by path relative to root."""
    digests = {}
    for name in SOURCES:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists() and "__pycache__" not in file.parts:
                digests[file.relative_to(root).as_posix()] = hashlib.sha256(
                    file.read_bytes()).hexdigest()
    return digests


def changed_sources(root: Path, latex_dir: Path) -> list[str] | None:
    """Sources changed since the PDFs were built; None if the PDFs carry no stamp."""
    stamp = latex_dir / STAMP
    if not stamp.exists():
        return None
    then = json.loads(stamp.read_text(encoding="utf-8"))
    now = source_digests(root)
    return sorted(name for name in then.keys() | now.keys() if then.get(name) != now.get(name))


def latexmk(latex_dir: Path, env: dict | None = None) -> list[Path]:
    """Run the one LaTeX recipe on every .tex file in latex_dir (the book first)."""
    texs = sorted(latex_dir.glob("*.tex"), key=lambda t: (t.name != BOOK_TEX, t.name))
    if not texs:
        raise ProductError(f"{latex_dir}: no .tex files (run Sphinx's latex builder first)")
    for tex in texs:
        proc = subprocess.run([*LATEXMK, tex.name], cwd=latex_dir, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            log = tex.with_suffix(".log")
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else proc.stdout[-3000:]
            raise ProductError(f"{tex}: LaTeX failed (full log: {log}):\n{tail}")
    return [tex.with_suffix(".pdf") for tex in texs]


# The printing and checking tools of this checkout; they also print an older edition's pages.
TOOLS = Path(__file__).resolve().parent.parent / "tools"


def chromium_route(root: Path) -> bool:
    """True for a source tree with the print builder (edition 0.3 and later)."""
    return (root / "bookext" / "features" / "printhtml.py").exists()


def sphinx(root: Path, builder: str, out: Path, doctrees: Path, sphinx_opts, env, quiet):
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-c", str(root),
                           *sphinx_opts, "-d", str(doctrees), str(root / "docs"), str(out)],
                          cwd=root, env=env, capture_output=quiet, text=True)
    if proc.returncode != 0:
        said = f":\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}" if quiet else " (messages above)"
        raise ProductError(f"Sphinx's {builder} build failed{said}")


def run_tool(root: Path, args: list[str], env) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise ProductError(f"{' '.join(args[:2])} failed:\n{proc.stdout[-3000:]}"
                           f"{proc.stderr[-3000:]}")


def build_pdfs(root: Path, pdf_dir: Path | None = None, sphinx_opts: list[str] = (),
               doctrees: Path | None = None, env: dict | None = None,
               quiet: bool = False, html_dir: Path | None = None) -> list[Path]:
    """Every PDF, then the stamp of the sources they came from (``quiet``: Sphinx's
    messages only in the error, if it fails). The card is printed from the website's
    card page, built into ``html_dir`` (by default the project's website folder)."""
    if not chromium_route(root):
        return build_latex_pdfs(root, pdf_dir or root / LATEX_DIR, sphinx_opts, doctrees,
                                env, quiet)
    pdf_dir = pdf_dir or root / PDF_DIR
    doctrees = doctrees or pdf_dir.parent / "doctrees-print"
    html_dir = html_dir or root / "_build" / "html"
    digests = source_digests(root)   # before the build: an edit during it makes them stale
    print_dir = pdf_dir.parent / "printhtml"
    sphinx(root, "printhtml", print_dir, doctrees, sphinx_opts, env, quiet)
    run_tool(root, [str(TOOLS / "printpdf.py"), str(print_dir), str(pdf_dir)], env)
    if (root / "docs" / "quick-reference.md").exists():   # the card, from its web page
        sphinx(root, "html", html_dir, doctrees.parent / "doctrees", sphinx_opts, env, quiet)
        run_tool(root, ["-m", "bookext.features.cardpdf", str(html_dir / CARD_PAGE),
                        str(pdf_dir / CARD_PDF)], env)
    pdfs = sorted(pdf_dir.glob("*.pdf"))
    run_tool(root, [str(TOOLS / "pdfcheck.py"), *map(str, pdfs)], env)
    (pdf_dir / STAMP).write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n",
                                 encoding="utf-8")
    return pdfs


def build_latex_pdfs(root: Path, latex_dir: Path, sphinx_opts, doctrees, env,
                     quiet) -> list[Path]:
    """The XeLaTeX route of editions 0.1 and 0.2 (untagged PDFs; needs TeX Live)."""
    doctrees = doctrees or latex_dir.parent / "doctrees-latex"
    digests = source_digests(root)
    sphinx(root, "latex", latex_dir, doctrees, sphinx_opts, env, quiet)
    pdfs = latexmk(latex_dir, env)
    (latex_dir / STAMP).write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n",
                                   encoding="utf-8")
    return pdfs


def install(root: Path, html_dir: Path, latex_dir: Path | None = None,
            pdf_dir: Path | None = None, out=sys.stderr) -> list[str]:
    """Copy the built PDFs into the website (and the book PDF into pdf_dir, for Read the
    Docs), unless they are older than the sources; return the website paths copied."""
    latex_dir = latex_dir or root / PDF_DIR
    files = website_files(latex_dir)
    if not files:
        return []
    changed = changed_sources(root, latex_dir)
    if changed is None or changed:
        why = ("they carry no record of their sources" if changed is None else
               f"{len(changed)} source file(s) changed since they were built: "
               + ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else ""))
        for name in files:   # and take out copies of earlier builds
            (html_dir / name).unlink(missing_ok=True)
        print(f"WARNING: the PDFs in {latex_dir} were not copied into the website: {why}. "
              "Run 'make pdf' (or 'make book') to rebuild them.", file=out)
        return []
    missing = [name for name in expected(root) if name not in files]
    if missing:
        print(f"WARNING: {len(missing)} PDF(s) named in docs/_data/pages.yml were not built: "
              + ", ".join(missing[:5]) + ". Run 'make pdf'.", file=out)
    for name, pdf in files.items():
        (html_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, html_dir / name)
    if pdf_dir and BOOK_PDF in files:
        pdf_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(files[BOOK_PDF], pdf_dir / BOOK_PDF)
    return list(files)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bookext.products",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pdf = sub.add_parser("pdf", help="build the book PDF and the chapter handouts")
    pdf.add_argument("--root", type=Path, default=Path("."))
    pdf.add_argument("--sphinxopts", default=os.environ.get("SPHINXOPTS", "-W --keep-going -n"))
    put = sub.add_parser("install", help="copy up-to-date PDFs into a built website")
    put.add_argument("html_dir", type=Path)
    put.add_argument("--root", type=Path, default=Path("."))
    put.add_argument("--pdf-dir", type=Path, help="also copy the book PDF here (Read the Docs)")
    put.add_argument("--require", action="store_true",
                     help="fail unless up-to-date PDFs were copied (publishing builds)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "pdf":
            pdfs = build_pdfs(root, sphinx_opts=shlex.split(args.sphinxopts))
            print(f"PDFs: {len(pdfs)} in {PDF_DIR}/ ({BOOK_PDF}, the chapter handouts "
                  f"{HANDOUT_PREFIX}*.pdf and the card {CARD_PDF}), tagged and checked")
        else:
            copied = install(root, args.html_dir, pdf_dir=args.pdf_dir)
            if args.require and not set(expected(root)) <= set(copied):
                raise ProductError("no up-to-date PDFs to publish (see above)")
            if copied:
                print(f"PDFs in the website: {len(copied)} ({BOOK_PDF} and {HANDOUTS_DIR}/)")
    except ProductError as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
