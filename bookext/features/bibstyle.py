"""How references look: DOI and PubMed links on every entry.

pybtex's ``unsrt`` style only knows a ``pubmed`` field; our bibliography uses
the more common ``pmid`` field (as PubMed exports it), so this style reads it.
Two pybtex styles share the formatting: ``vancouver`` (``bibtex_default_style``)
keeps a page's reference list in the order of citation, as numbered medical
references are (see bookext.features.numbered); ``book`` sorts the full
bibliography page by author and year. The referencing style ``author_year_round``
(round brackets) is kept for contributors who prefer author-year in a fork.
"""

import hashlib
import pickle
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

import pybtex
import sphinxcontrib.bibtex.plugin
from pybtex.plugin import register_plugin
from pybtex.style import FormattedEntry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, href, join, optional, sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


class BookStyle(UnsrtStyle):
    default_sorting_style = "author_year_title"

    # sphinxcontrib-bibtex formats every entry again for each bibliography list it appears
    # in and again for its tooltip (about 750 times for 92 entries: most of a rebuild).
    # The text depends only on the entry's content, not on the label (the list position):
    # format each entry once, attach each label. The texts are kept between builds
    # (see load_texts), so a rebuild formats only the entries that changed.
    _texts: dict = {}

    def format_entry(self, label, entry, bib_data=None):
        key = ("BookStyle", entry.key)     # every subclass formats entries alike
        content = fingerprint(entry)
        cached = self._texts.get(key)
        if cached is None or cached[0] != content:
            formatted = super().format_entry(label, entry, bib_data=bib_data)
            self._texts[key] = (content, formatted.text)
            return formatted
        return FormattedEntry(entry.key, cached[1], label)

    def format_web_refs(self, e):
        # A DOI or PMID is the durable address; a URL only when there is neither.
        parts = [optional[self.format_doi(e)], optional[self.format_pmid(e)]]
        if not {"doi", "pmid"} & {name.lower() for name in e.fields}:
            parts.append(optional[self.format_url(e)])
        return sentence[tuple(parts)]

    def format_title(self, e, which_field, as_sentence=True):
        # Keep titles as the record shows them: unsrt would lower-case brand
        # names such as "GABLOFEN" and abbreviations such as "GABA".
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def format_pmid(self, e):
        url = join["https://pubmed.ncbi.nlm.nih.gov/", field("pmid", raw=True), "/"]
        return href(url)[join["PMID: ", field("pmid", raw=True)]]

    def format_doi(self, e):
        url = join["https://doi.org/", field("doi", raw=True)]
        return href(url)[join["doi: ", field("doi", raw=True)]]


class VancouverStyle(BookStyle):
    """The same entries, listed in the order the page first cites them."""
    default_sorting_style = "none"


def round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=round_brackets)
    bracket_textual: BracketStyle = dataclass_field(default_factory=round_brackets)
    bracket_author: BracketStyle = dataclass_field(default_factory=round_brackets)
    bracket_label: BracketStyle = dataclass_field(default_factory=round_brackets)
    bracket_year: BracketStyle = dataclass_field(default_factory=round_brackets)


def fingerprint(entry) -> str:
    """Everything formatting reads from an entry: its type, fields and people."""
    people = sorted((role, [str(person) for person in persons])
                    for role, persons in entry.persons.items())
    return repr((entry.type, sorted(entry.fields.items()), people))


# Formatted texts are stored in the doctree folder with a stamp of this file and of pybtex:
# a change to either formats everything again.
TEXTS_FILE = "bibformat.pickle"
STAMP = (hashlib.sha256(Path(__file__).read_bytes()).hexdigest(), pybtex.__version__)


def load_texts(app) -> None:
    try:
        with open(Path(app.doctreedir) / TEXTS_FILE, "rb") as stream:
            stamp, texts = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError):
        return
    if stamp == STAMP:
        BookStyle._texts.update(texts)


def save_texts(app, exception) -> None:
    if exception is None and BookStyle._texts:
        with open(Path(app.doctreedir) / TEXTS_FILE, "wb") as stream:
            pickle.dump((STAMP, BookStyle._texts), stream)


def setup(app):
    app.connect("builder-inited", load_texts)
    app.connect("build-finished", save_texts)
    register_plugin("pybtex.style.formatting", "book", BookStyle)
    register_plugin("pybtex.style.formatting", "vancouver", VancouverStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
