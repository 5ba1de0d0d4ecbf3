"""Section-level search data for search.html: ranked, typo-tolerant, works from file://.

Sphinx's own search ranks whole pages, shows a snippet only by fetching each result page
(which a browser refuses for file:// pages) and misses misspellings such as "baclofin".
This module writes ``searchdata.js`` next to Sphinx's ``searchindex.js``: one record per
section (page, anchor, heading, plain text without citation keys) plus the synonyms in
``docs/_data/search-synonyms.yml`` (abbreviations and spellings a reader may type: ITB,
AUD, eGFR...). ``docs/_static/book-search.js`` indexes it with the vendored MiniSearch
(fuzzy and prefix matching, BM25 ranking) on search.html only; no other page loads it.

Sections are collected when a document is read and kept in the environment, so an
incremental build still writes the whole book's data. Tested by tests/test_search*.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join, logging

logger = logging.getLogger(__name__)

OUTPUT = "searchdata.js"
SKIP = (nodes.comment, nodes.raw, nodes.system_message, nodes.substitution_definition,
        nodes.target, nodes.title, nodes.section, nodes.Invisible)
SPACES = re.compile(r"\s+")
SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)])")
# A cross-reference without text of its own ({ref}`label`, {doc}`page`) shows its target's
# title, which may be in a page not read yet: keep a placeholder, fill it in when writing.
TARGET = "\x00{}:{}\x00"
TARGETS = re.compile("\x00(ref|doc):([^\x00]*)\x00")


def _text(node: nodes.Node) -> str:
    """Readable text of a node: no citation keys, no comments, no nested sections."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, SKIP):
        return ""
    if isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "cite":
        return ""
    if (isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "std"
            and node.get("reftype") in ("ref", "doc") and not node.get("refexplicit")):
        target = node.get("reftarget", "")
        if node["reftype"] == "doc":
            target = docname_join(node.get("refdoc", ""), target)
        return TARGET.format(node["reftype"], target)
    joiner = "" if isinstance(node, (nodes.TextElement, nodes.Inline)) else " "
    return joiner.join(_text(child) for child in node.children)


def _clean(text: str) -> str:
    text = SPACE_BEFORE_PUNCT.sub(r"\1", SPACES.sub(" ", text)).strip()
    return re.sub(r"\(\s*\)|\[\s*\]", "", text).replace(" .", ".").strip()


def sections_of(doctree: nodes.document) -> list[dict]:
    """One record per section, in document order; the page title is the first."""
    records = []
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        ids = section.get("ids") or [""]
        body = " ".join(_text(child) for child in section.children
                        if not isinstance(child, (nodes.section, nodes.title)))
        records.append({"anchor": "" if not records else ids[0],
                        "title": _clean(title.astext()) if title else "",
                        "text": _clean(body)})
    return records


def collect_sections(app, doctree) -> None:
    env = app.env
    if not hasattr(env, "bookext_search"):
        env.bookext_search = {}
    env.bookext_search[env.docname] = sections_of(doctree)


def purge_doc(app, env, docname) -> None:
    getattr(env, "bookext_search", {}).pop(docname, None)


def merge_info(app, env, docnames, other) -> None:
    if not hasattr(env, "bookext_search"):
        env.bookext_search = {}
    for docname in docnames:
        if docname in getattr(other, "bookext_search", {}):
            env.bookext_search[docname] = other.bookext_search[docname]


def load_synonyms(path: Path) -> dict[str, list[str]]:
    """``term: [phrase, ...]`` from the YAML file; each mistake is a warning at its file."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        logger.warning(f"search synonyms are not valid YAML: {err}",
                       location=f"{path}:{mark.line + 1 if mark else 0}",
                       type="bookext", subtype="search")
        return {}
    if not isinstance(data, dict):
        logger.warning("search synonyms must be a mapping `term: [phrase, ...]`",
                       location=f"{path}:1", type="bookext", subtype="search")
        return {}
    synonyms = {}
    for term, phrases in data.items():
        if isinstance(phrases, str):
            phrases = [phrases]
        if (not isinstance(term, str) or not isinstance(phrases, list)
                or not all(isinstance(p, str) and p.strip() for p in phrases)):
            logger.warning(f"search synonym {term!r} needs a list of phrases, e.g. "
                           f"`{term}: [intrathecal baclofen]`", location=f"{path}:0",
                           type="bookext", subtype="search")
            continue
        synonyms[term.strip().lower()] = [p.strip() for p in phrases]
    return synonyms


def fill_targets(text: str, env) -> str:
    """Put each cross-reference's target title where its placeholder stands."""
    labels = env.domaindata["std"]["labels"]

    def title(match: re.Match) -> str:
        kind, target = match.groups()
        if kind == "ref":
            return labels.get(target, (None, None, ""))[2] or target
        return _clean(env.titles[target].astext()) if target in env.titles else target

    return TARGETS.sub(title, text)


def search_data(app) -> dict:
    env = app.env
    collected = getattr(env, "bookext_search", {})
    exclude = set(app.config.bookext_search_exclude)
    sections = []
    for docname in sorted(env.found_docs):
        if docname in exclude or docname not in collected:
            continue
        page_title = _clean(env.titles[docname].astext()) if docname in env.titles else docname
        url = app.builder.get_target_uri(docname)
        for n, record in enumerate(collected[docname]):
            sections.append({"id": len(sections), "page": docname, "url": url,
                             "anchor": record["anchor"], "pageTitle": page_title,
                             "title": record["title"] if n else page_title,
                             "text": fill_targets(record["text"], env)})
    synonyms = load_synonyms(Path(app.srcdir) / app.config.bookext_search_synonyms)
    return {"sections": sections, "synonyms": synonyms}


def write_search_data(app, exception) -> None:
    if exception or app.builder.name != "html":  # search.html links are relative to the root
        return
    data = json.dumps(search_data(app), ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)
    # A script, not JSON fetched at run time: browsers refuse fetch() on file:// pages.
    Path(app.outdir, OUTPUT).write_text(f"window.BOOK_SEARCH_DATA={data};\n",
                                        encoding="utf-8")


def setup(app):
    app.add_config_value("bookext_search_synonyms", "_data/search-synonyms.yml", "env",
                         types=[str])
    app.add_config_value("bookext_search_exclude", ["genindex", "search"], "env",
                         types=[list])
    app.connect("doctree-read", collect_sections)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("build-finished", write_search_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
