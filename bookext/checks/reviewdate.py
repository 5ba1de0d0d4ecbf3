"""Every page says when its evidence was last reviewed, and the date is real.

Each page's front matter must hold ``last-reviewed: YYYY-MM-DD``. The build
warns (and so, with ``-W``, fails) when the date is missing, malformed or in
the future, and it prints "Evidence last reviewed: <date>" under the page
title, in the HTML and in the PDF alike.
"""

from __future__ import annotations

import datetime as dt
import re

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

FIELD = "last-reviewed"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today() -> dt.date:
    # The real date, not SOURCE_DATE_EPOCH: a review date may not be in the future
    # of the day the contributor builds, whatever date the output is stamped with.
    return dt.date.today()


def parse_review_date(value) -> tuple[dt.date | None, str | None]:
    """Return (date, None) or (None, what is wrong)."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).strip()
    if not ISO_DATE.match(text):
        return None, f"'{text}' is not a date in the form YYYY-MM-DD"
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"'{text}' is not a real calendar date"
    if date > today():
        return None, f"'{text}' is in the future"
    return date, None


class ReviewDate(SphinxTransform):
    """Check the front matter date and show it under the page title."""

    default_priority = 880

    def apply(self, **kwargs) -> None:
        docname = self.env.docname
        if docname in self.config.bookext_review_exempt:
            return
        source = self.env.doc2path(docname)
        meta = self.env.metadata.get(docname, {})
        if FIELD not in meta:
            logger.warning(
                f"no '{FIELD}' date in the front matter — add '{FIELD}: YYYY-MM-DD' "
                "(the day you last checked this page's evidence) between '---' lines "
                "at the top of the file", location=f"{source}:1", type="bookext",
                subtype="review_date")
            return
        date, problem = parse_review_date(meta[FIELD])
        if problem:
            logger.warning(f"'{FIELD}' {problem} — write the day you last checked the "
                           "evidence, e.g. 2026-11-25", location=f"{source}:1",
                           type="bookext", subtype="review_date")
            return
        title = next(iter(self.document.findall(nodes.title)), None)
        if title is None:
            return
        stamp = nodes.paragraph(classes=["last-reviewed"])
        stamp += nodes.Text(f"Evidence last reviewed: {date.isoformat()}")
        section = title.parent
        section.insert(section.index(title) + 1, stamp)


def setup(app):
    app.add_config_value("bookext_review_exempt", ["genindex", "search"], "env")
    app.add_transform(ReviewDate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
