"""bookext.patches.bibindex gives sphinxcontrib-bibtex's answer, faster: on the whole book, every
bibliography list gets the same entries in the same order from both implementations."""

from __future__ import annotations

import pickle

from sphinxcontrib.bibtex.domain import BibtexDomain

from bookext.patches import bibindex


def cite_domain(book_html) -> BibtexDomain:
    """The book's citation data, as the finished build pickled it."""
    pickled = book_html.outdir.parent / "doctrees-html" / "environment.pickle"
    with open(pickled, "rb") as stream:
        env = pickle.load(stream)
    domain = BibtexDomain.__new__(BibtexDomain)
    domain.data = env.domaindata["cite"]
    return domain


def test_every_bibliography_gets_the_library_answer(book_html):
    assert book_html.returncode == 0, book_html.output
    domain = cite_domain(book_html)
    assert len(domain.bibliographies) >= 10 and len(domain.citation_refs) >= 500
    for key in domain.bibliographies:
        ours = [k for k, _ in bibindex.get_filtered_entries(domain, key)]
        library = [k for k, _ in bibindex.library_get_filtered_entries(domain, key)]
        assert ours == library, key.docname
        assert ours, f"{key.docname}: empty list"


def test_the_index_maps_keys_to_citing_documents(book_html):
    index = bibindex.citing_documents(cite_domain(book_html).citation_refs)
    assert {"clinical-use", "special-populations"} <= index["Saulino2015dosing"]
    assert "withdrawal" not in index["Saulino2015dosing"]
