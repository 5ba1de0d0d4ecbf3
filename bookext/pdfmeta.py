"""What every PDF of the book gets after Chromium has printed it (tools/printpdf.py for the
book and the handouts, bookext.features.cardpdf for the quick-reference card).

PDF/UA-1 asks for XMP metadata that Chromium leaves out: the title, the language and the
PDF/UA identification. With ``SOURCE_DATE_EPOCH`` the dates come from it and the document
ID from the content.

Chromium names the table header cells of the structure tree after its internal DOM node
numbers ("node00019297"), which depend on what else the browser built before (another
page, a concurrent tab): the same page printed twice can get other numbers, and so other
bytes. ``stable_ids`` renumbers them in reading order ("th000001", ...), in the elements,
in the data cells' /Headers and in the /IDTree, so one commit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pikepdf

PRODUCER = "Chromium (Skia/PDF), finished by bookext.pdfmeta"


def stable_ids(doc: pikepdf.Pdf) -> int:
    """Rename the structure elements' IDs in reading order; return how many there were."""
    tree = doc.Root.get("/StructTreeRoot")
    if tree is None:
        return 0
    order, seen, stack = [], set(), [tree.get("/K")]
    while stack:   # depth first, in the order of /K: the reading order
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and node.is_indirect \
                and node.objgen not in seen and "/S" in node:
            seen.add(node.objgen)
            order.append(node)
            stack.append(node.get("/K"))
    renamed = {}
    for element in order:
        if "/ID" in element:
            renamed[bytes(element.ID)] = f"th{len(renamed) + 1:06d}"
            element.ID = pikepdf.String(renamed[bytes(element.ID)])
    for element in order:
        attributes = element.get("/A")
        for attribute in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String(renamed.get(bytes(h), str(h))) for h in attribute.Headers])
    if renamed:
        names = []
        for element in sorted((e for e in order if "/ID" in e), key=lambda e: str(e.ID)):
            names += [element.ID, element]
        tree.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(names))
    return len(renamed)


def finish(pdf: Path, title: str, lang: str, epoch: int | None) -> None:
    """Add the XMP metadata PDF/UA asks for; fix the dates and the ID when reproducible."""
    when = dt.datetime.fromtimestamp(epoch or time.time(), dt.timezone.utc)
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [lang]
            meta["pdfuaid:part"] = "1"
            meta["pdf:Producer"] = PRODUCER
            meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = when.isoformat()
        stable_ids(doc)
        doc.docinfo["/Title"] = title
        doc.docinfo["/Producer"] = PRODUCER
        doc.docinfo["/CreationDate"] = doc.docinfo["/ModDate"] = \
            when.strftime("D:%Y%m%d%H%M%SZ")
        if "/ID" in doc.trailer:   # Chromium's, made from the bytes before stable_ids
            del doc.trailer["/ID"]
        doc.save(pdf, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
