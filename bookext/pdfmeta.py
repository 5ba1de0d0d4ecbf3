"""What every PDF of the book gets after Chromium has printed it (tools/printpdf.py for the
book and the handouts, bookext.features.cardpdf for the quick-reference card).

PDF/UA-1 asks for XMP metadata that Chromium leaves out: the title, the language and the
PDF/UA identification. With ``SOURCE_DATE_EPOCH`` the dates come from it and the document
ID from the content, so what differs between two prints of one commit is the content only.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pikepdf

PRODUCER = "Chromium (Skia/PDF), finished by bookext.pdfmeta"


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
        doc.docinfo["/Title"] = title
        doc.docinfo["/Producer"] = PRODUCER
        doc.docinfo["/CreationDate"] = doc.docinfo["/ModDate"] = \
            when.strftime("D:%Y%m%d%H%M%SZ")
        doc.save(pdf, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
