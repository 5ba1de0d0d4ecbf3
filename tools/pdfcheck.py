"""Check that PDFs are accessible in the ways a machine can check (PDF/UA-1's checkable part).

    python tools/pdfcheck.py _build/pdf/*.pdf

For each file: tagged (``/MarkInfo /Marked true`` and a structure tree), headings and
paragraphs in that tree, a document language, a title in the metadata that viewers show
instead of the file name, XMP metadata that names PDF/UA, a text alternative on every
figure, every font embedded, and bookmarks. Prints ``FILE: what is missing`` for each
problem and exits 1 if there is any. ``make pdf`` runs it on every PDF it builds, and the
tests run it on the PDFs the site serves. Built on pikepdf (qpdf), no Java needed.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def structure(root: pikepdf.Dictionary) -> tuple[Counter, list[pikepdf.Dictionary]]:
    """Count the structure element types; collect the figures."""
    kinds: Counter = Counter()
    figures: list[pikepdf.Dictionary] = []
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if "/S" in node:
            kinds[str(node.S)] += 1
            if node.S == "/Figure":
                figures.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return kinds, figures


def font_problems(pdf: pikepdf.Pdf) -> list[str]:
    missing = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for name in list(fonts.keys()):
            font = fonts[name]
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs are drawn by the PDF itself
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if descendants else font
            descriptor = described.get("/FontDescriptor", {})
            if not any(key in descriptor for key in FONT_FILES):
                missing.add(str(font.get("/BaseFont", name)))
    return [f"font not embedded: {name}" for name in sorted(missing)]


def problems(path: Path) -> list[str]:
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not (root.get("/MarkInfo") and root.MarkInfo.get("/Marked")):
            found.append("not marked as tagged (/MarkInfo /Marked true)")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            found.append("no structure tree (/StructTreeRoot): the PDF is not tagged")
            kinds, figures = Counter(), []
        else:
            kinds, figures = structure(tree)
            if not any(kinds[f"/H{n}"] for n in range(1, 7)) and not kinds["/H"]:
                found.append("no headings in the structure tree")
            if not kinds["/P"]:
                found.append("no paragraphs in the structure tree")
        if not str(root.get("/Lang", "")).strip():
            found.append("no document language (/Lang)")
        title = str(pdf.docinfo.get("/Title", "")).strip()
        if not title:
            found.append("no title in the document information")
        prefs = root.get("/ViewerPreferences", {})
        if not prefs.get("/DisplayDocTitle"):
            found.append("viewers show the file name, not the title (/DisplayDocTitle)")
        meta = pdf.open_metadata()
        if str(meta.get("pdfuaid:part", "")) != "1":
            found.append("XMP metadata does not identify PDF/UA-1 (pdfuaid:part)")
        if not meta.get("dc:title"):
            found.append("no title in the XMP metadata (dc:title)")
        for n, figure in enumerate(figures, start=1):
            if not str(figure.get("/Alt", "")).strip():
                found.append(f"figure {n} has no text alternative (/Alt)")
        if "/Outlines" not in root or not root.Outlines.get("/First"):
            found.append("no bookmarks (/Outlines)")
        found.extend(font_problems(pdf))
    return found


def figure_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        return len(structure(tree)[1]) if tree is not None else 0


def main(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        for problem in problems(Path(name)):
            print(f"{name}: {problem}")
            failed += 1
    if not paths:
        print("usage: python tools/pdfcheck.py FILE.pdf ...", file=sys.stderr)
        return 2
    if not failed:
        print(f"{len(paths)} PDF(s): tagged, titled, language set, figures described, "
              "fonts embedded, bookmarked")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
