"""Build speed: find the documents that cite a key through an index, not a scan.

After every build, even when nothing changed, sphinxcontrib-bibtex decides which entries go into
each ``{bibliography}`` list. For each list and each entry it scans every citation in the book
to learn which documents cite the entry: 17 lists x 97 entries x ~1,050 citations, about 1.6 s
of a 6 s rebuild on the project's 2-core machine. This module answers the same question from a
key -> documents index built once per list. The entries chosen, their order and the warnings are
the library's own; ``tests/test_bibindex.py`` compares both answers on the whole book.

Relies on: ``BibtexDomain.get_filtered_entries``, ``_FilterVisitor`` and the domain's
``citation_refs`` as in sphinxcontrib-bibtex 2.7.0 (the body is the library's, with the
index). Global and reversible: the library's method is put back when the build finishes.
Retire it when sphinxcontrib-bibtex indexes citing documents itself.
"""

from __future__ import annotations

from collections import defaultdict

from sphinxcontrib.bibtex import domain as bibtex_domain

from bookext.patches._compat import require

WRITTEN_FOR = "2.7.0"
library_get_filtered_entries = bibtex_domain.BibtexDomain.get_filtered_entries


def citing_documents(citation_refs) -> dict[str, set[str]]:
    """Map each cited key to the documents that cite it."""
    index: dict[str, set[str]] = defaultdict(set)
    for citation_ref in citation_refs:
        for target in citation_ref.targets:
            index[target.key].add(citation_ref.docname)
    return index


def get_filtered_entries(self, bibliography_key):
    """sphinxcontrib-bibtex's ``BibtexDomain.get_filtered_entries``, with the index."""
    bibliography = self.bibliographies[bibliography_key]
    index = citing_documents(self.citation_refs)
    for entry in self.get_entries(bibliography.bibfiles):
        key = bibliography.keyprefix + entry.key
        cited_docnames = set(index.get(key, ()))
        visitor = bibtex_domain._FilterVisitor(
            entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames)
        try:
            success = visitor.visit(bibliography.filter_)
        except ValueError as err:
            bibtex_domain.logger.warning(
                "syntax error in :filter: expression; %s" % err,
                location=(bibliography_key.docname, bibliography.line),
                type="bibtex", subtype="filter_syntax_error")
            success = bool(cited_docnames)
        if success or entry.key in bibliography.keys:
            yield key, entry


def restore(app=None, exception=None) -> None:
    bibtex_domain.BibtexDomain.get_filtered_entries = library_get_filtered_entries


def setup(app):
    require(__name__, "sphinxcontrib-bibtex", WRITTEN_FOR,
            "sphinxcontrib.bibtex.domain.BibtexDomain.get_filtered_entries")
    bibtex_domain.BibtexDomain.get_filtered_entries = get_filtered_entries
    app.connect("build-finished", restore)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
