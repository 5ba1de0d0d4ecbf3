"""Tell whether two PDFs are the same document: same pages, words in the same places,
same structure tree and metadata.

    python tools/pdfsame.py FIRST.pdf SECOND.pdf

Why not compare bytes: on a busy machine Chromium sometimes snaps a text run to a whole
pixel, a fraction of a point from where the run before put it (measured 2026-12-06 while
browser tests ran beside it: 5 of 12 prints of the 232-page book had one such run; the
handouts had none in 32 prints). Everything else that used to differ is fixed by
``bookext.pdfmeta`` (structure IDs, document ID, dates), so two prints whose pages were drawn
the same (``page_contents``) must be byte-identical — the tests check that too. What readers
and assistive technology get is compared here: every word on the same page within
``TOLERANCE`` points, the same tags, the same title, language and dates. ``make bench``
reports how many PDFs were byte-identical. Prints one line per difference (at most
``LIMIT``) and exits 1 if there is any.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pikepdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdfcheck import structure  # noqa: E402

TOLERANCE = 1.0  # points (1/72 inch): far below a line or a letter
LIMIT = 20
PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
WORD = re.compile(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" "
                  r"yMax=\"([\d.]+)\">(.*?)</word>")


def pages(path: Path) -> list[tuple[tuple[float, float], list[tuple[str, tuple[float, ...]]]]]:
    """Per page: its size and its words with their boxes (poppler's ``pdftotext -bbox``)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [((float(w), float(h)),
             [(html.unescape(m[4]), tuple(float(v) for v in m[:4]))
              for m in WORD.findall(body)])
            for w, h, body in PAGE.findall(out)]


def page_contents(path: Path) -> list[bytes]:
    """Each page's drawing instructions: equal lists mean Chromium drew the pages the same,
    and then the files must be byte-identical (bookext.pdfmeta fixes everything else)."""
    with pikepdf.open(path) as doc:
        return [b"".join(c.read_bytes() for c in (page.Contents if isinstance(
            page.Contents, pikepdf.Array) else [page.Contents])) for page in doc.pages]


def metadata(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The document information and XMP, without the ID (derived from the bytes)."""
    found = {f"info {key}": str(value) for key, value in pdf.docinfo.items()}
    with pdf.open_metadata() as meta:
        found.update({f"xmp {key}": str(value) for key, value in meta.items()
                      if "DocumentID" not in key and "InstanceID" not in key})
    found["lang"] = str(pdf.Root.get("/Lang", ""))
    return found


def differences(first: Path, second: Path, tolerance: float = TOLERANCE) -> list[str]:
    found: list[str] = []
    with pikepdf.open(first) as pa, pikepdf.open(second) as pb:
        tree_a, tree_b = pa.Root.get("/StructTreeRoot"), pb.Root.get("/StructTreeRoot")
        kinds_a = structure(tree_a)[0] if tree_a is not None else {}
        kinds_b = structure(tree_b)[0] if tree_b is not None else {}
        if kinds_a != kinds_b:
            found.append(f"structure tree: {dict(kinds_a)}, then {dict(kinds_b)}")
        meta_a, meta_b = metadata(pa), metadata(pb)
        for key in sorted(meta_a.keys() | meta_b.keys()):
            if meta_a.get(key) != meta_b.get(key):
                found.append(f"{key}: {meta_a.get(key)!r}, then {meta_b.get(key)!r}")
    a, b = pages(first), pages(second)
    if len(a) != len(b):
        return found + [f"{len(a)} pages, then {len(b)}"]
    for number, ((size_a, words_a), (size_b, words_b)) in enumerate(zip(a, b), start=1):
        if size_a != size_b:
            found.append(f"page {number}: size {size_a}, then {size_b}")
        if [w for w, _ in words_a] != [w for w, _ in words_b]:
            found.append(f"page {number}: the text differs")
            continue
        moved = [(max(abs(x - y) for x, y in zip(box_a, box_b)), word)
                 for (word, box_a), (_, box_b) in zip(words_a, words_b)]
        moved = [(shift, word) for shift, word in moved if shift > tolerance]
        if moved:
            found.append(f"page {number}: {len(moved)} word(s) moved, the first "
                         f"{moved[0][1]!r} by {moved[0][0]:.2f} pt")
    return found[:LIMIT]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tools/pdfsame.py FIRST.pdf SECOND.pdf", file=sys.stderr)
        return 2
    found = differences(Path(argv[0]), Path(argv[1]))
    for line in found:
        print(f"{argv[1]}: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
