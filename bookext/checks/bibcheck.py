"""Check ``references.bib`` before it is used, and say exactly what to fix.

sphinxcontrib-bibtex stops on a malformed entry with pybtex's "syntax error in
line N", without naming the file, and it accepts entries a reader could never
find. This extension reads the bibliography first and reports, as
``references.bib:LINE: problem — fix``:

* syntax errors (the build stops: nothing else can be trusted);
* duplicate keys, and two entries for the same work (same DOI or PMID, or the same
  normalised title, first author and year);
* entries without a DOI, PMID or URL, and malformed DOIs, PMIDs and URLs;
* required fields missing for the entry type; a journal article (@article) needs
  journal, year, volume (or a note that it is online ahead of print), pages (or
  article number) and a DOI or PMID, and a @misc that carries a journal, volume or
  DOI is a journal article in the wrong type; so is a @misc with a PMID, a DOI in its
  address or description, or a description that calls it a journal article, unless its
  ``unverified`` field names the article fields no record showed;
* addresses a reader cannot rely on: a search or query page instead of the record,
  and http:// where the host is known to serve https://;
* fields that do not belong in a published bibliography (local files, notes to self);
* entries that no page cites (after reading, so the bibliography holds only what the book uses).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError, PybtexSyntaxError
from sphinx.errors import SphinxError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.M)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
PMCID = re.compile(r"^PMC\d+$")
URL = re.compile(r"^https?://\S+$")
REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "book": ("title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "techreport": ("title", "institution", "year"),
    "report": ("title", "year"),
    "misc": ("title", "year"),
    "online": ("title", "year", "url"),
}
# Journals that number issues but have no volumes: an issue number stands in for the volume.
NO_VOLUME_JOURNALS = {
    # Reviews are cited by year, issue and article number (CD...), e.g. 2023, Issue 1, CD012557.
    "cochrane database of systematic reviews",
}
ONLINE_FIRST = re.compile(r"\b(?:online ahead of print|ahead of print|online first)\b", re.I)
ARTICLE_FIELDS = ("journal", "volume", "doi")  # a @misc with one of these is a journal article
# A @misc also shows it is a journal article by a PMID, a DOI in its address or description,
# or a description that says so ("Journal article; ...", "Cochrane Database of Systematic
# Reviews 2019, ..."): then it must say which article fields no record showed.
SAYS_ARTICLE = re.compile(r"journal[ -]article|cochrane database of systematic reviews", re.I)
DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/\S+")
ARTICLE_WAIVERS = {"author", "journal", "volume", "number", "pages", "doi"}
# A search or query page shows whatever the site finds today, not the record that was read.
SEARCH_URL = re.compile(r"/search(?:\.\w+)?(?:[/?#]|$)|[?&](?:q|query|term|terms|search|"
                        r"searchterm|keywords?)=", re.I)
# Hosts known to serve https://, with the reason we know it (a host matches itself and its
# subdomains). An http:// address for them is an old or careless copy.
HTTPS_HOSTS = {
    "gov": "US federal websites are HTTPS-only under OMB memorandum M-15-13 of 2015",
    "doi.org": "the DOI resolver's own form of a DOI link is https://doi.org/",
    "conseil-etat.fr": "the Conseil d'État serves its decisions over https; "
                       "ConseilEtat2020baclofene was read there",
    "drugs.com": "Drugs.com serves its pages over https; Drugscom2024baclofen was read there",
}
UNVERIFIED = re.compile(r"^\s*([a-z]+(?:\s*,\s*[a-z]+)*)\s*:\s*\S")
JUNK_FIELDS = {"file", "abstract", "keywords", "annote", "mendeley-tags", "owner",
               "timestamp", "groups", "comment", "localfile", "pdf"}
LOCAL_PATH = re.compile(r"^(?:/|~/|[A-Za-z]:\\|file:)")


class BibliographyError(SphinxError):
    category = "Error in the bibliography"


def entry_lines(text: str) -> dict[str, list[int]]:
    """Map each entry key to the line numbers where it is defined."""
    lines: dict[str, list[int]] = {}
    for match in ENTRY_START.finditer(text):
        if match.group(1).lower() in {"comment", "string", "preamble"}:
            continue
        lineno = text.count("\n", 0, match.start()) + 1
        lines.setdefault(match.group(2), []).append(lineno)
    return lines


class MalformedEntry(Exception):
    def __init__(self, line: int, key: str, message: str):
        super().__init__(message)
        self.line, self.key = line, key


def parse_text(text: str, display: str):
    """Parse strictly; raise BibliographyError or MalformedEntry naming the line."""
    lines = entry_lines(text)
    for key, where in lines.items():
        if not key:
            raise BibliographyError(
                f"{display}:{where[0]}: entry has no citation key — write it as "
                "@article{Author2020word, ...")
    try:
        data = Parser(encoding="utf-8", wanted_entries=None).parse_string(text)
    except PybtexSyntaxError as err:
        # Point at the entry that contains the error, and keep pybtex's detail.
        starts = [(line, key) for key, where in lines.items() for line in where
                  if line <= err.lineno]
        line, key = max(starts) if starts else (err.lineno, "?")
        raise MalformedEntry(line, key, (
            f"malformed entry '{key}' ({err}) — check the braces, the comma after each "
            "field and the quotes")) from None
    except PybtexError as err:
        raise BibliographyError(f"{display}: {err} — fix the entry it names") from None
    return data, lines


def without_entry(text: str, line: int) -> str:
    """The text with the entry starting at ``line`` cut out (up to the next entry)."""
    rows = text.split("\n")
    end = line
    while end < len(rows) and not ENTRY_START.match(rows[end]):
        end += 1
    return "\n".join(rows[: line - 1] + rows[end:])


def parse(path: Path, display: str, location: str):
    """Parse the file, reporting and setting aside every malformed entry.

    Returns the data, the entry lines of the original file, and the text that
    parsed (the file itself when nothing was malformed). The contributor's file
    is never changed.
    """
    text = original = path.read_text(encoding="utf-8")
    original_lines = entry_lines(original)
    duplicates = sorted((line, key, where[0]) for key, where in original_lines.items()
                        for line in where[1:])
    for line, key, first in duplicates:
        logger.warning(f"duplicate key '{key}' (first defined on line {first}) — give one "
                       "entry a different key or delete the copy",
                       location=f"{location}:{line}", type="bookext", subtype="bibliography")
    for line, _key, _first in reversed(duplicates):
        text = without_entry(text, line)
    for _ in range(100):
        try:
            data, _lines = parse_text(text, display)
            return data, original_lines, text
        except MalformedEntry as bad:
            line = original_lines.get(bad.key, [bad.line])[0]
            logger.warning(str(bad), location=f"{location}:{line}", type="bookext",
                           subtype="bibliography")
            text = without_entry(text, entry_lines(text).get(bad.key, [bad.line])[0])
    raise BibliographyError(f"{display}: too many malformed entries — fix the first ones")


def normal_text(text: str) -> str:
    """Lower case, no accents, no LaTeX braces or commands, words separated by one space."""
    text = re.sub(r"\\[a-zA-Z]+|[{}\\]", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def first_author(entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    return normal_text(" ".join(people[0].last_names)) if people else ""


def declared_unverified(key: str, fields: dict[str, str]):
    """The fields an entry says could not be verified, or a problem with how it says so."""
    value = fields.get("unverified")
    if value is None:
        return set(), None
    match = UNVERIFIED.match(value)
    if not match:
        return set(), (f"entry '{key}': unverified = {{{value}}} is malformed — write the "
                       "missing fields, a colon and where you searched, e.g. unverified = "
                       "{volume, pages: not shown on the PubMed record or the publisher's page}")
    return {name.strip() for name in match.group(1).split(",")}, None


def article_problems(key: str, fields: dict[str, str], waived: set[str]):
    """Messages for a journal article a reader could not find in its journal."""
    missing = []
    online_first = bool(ONLINE_FIRST.search(fields.get("note", "")))
    no_volume = fields.get("journal", "").strip().lower() in NO_VOLUME_JOURNALS
    issue = fields.get("number") or "number" in waived  # a declared missing issue counts
    if not fields.get("volume") and not online_first and not (no_volume and issue):
        missing.append(("volume", "copy it from the journal's record (PubMed or the publisher's "
                        "page); for an article not yet in an issue write note = {Online ahead "
                        "of print}"))
    if not (fields.get("pages") or fields.get("eid")) and not online_first:
        missing.append(("pages", "copy the page range, or the article number (pages = {e0123}), "
                        "from the journal's record"))
    if not (fields.get("doi") or fields.get("pmid")):
        missing.append(("doi", "copy the DOI or the PubMed ID (pmid) from the journal's record; "
                        "a url alone does not identify a journal article"))
    for name, fix in missing:
        if name not in waived:
            what = "neither doi nor pmid" if name == "doi" else f"no '{name}' field"
            yield f"entry '{key}' (@article) has {what} — {fix}"


def misc_article_sign(fields: dict[str, str]) -> str:
    """How a @misc shows it is a journal article, or '' when it does not."""
    if fields.get("pmid"):
        return "has a PubMed ID"
    described = " ".join(fields.get(name, "") for name in ("howpublished", "url"))
    if DOI_IN_TEXT.search(described):
        return "holds a DOI in its address or description"
    if SAYS_ARTICLE.search(fields.get("howpublished", "") + " " + fields.get("note", "")):
        return "is described as a journal article"
    return ""


def url_problems(key: str, url: str, search_page_declared: bool = False):
    parts = urlsplit(url)
    if SEARCH_URL.search(url) and not search_page_declared:
        yield (f"entry '{key}': url '{url}' is a search or query page — replace it with the "
               "stable address of the record itself (on DailyMed: drugInfo.cfm?setid=...)")
    host = (parts.hostname or "").lower()
    if parts.scheme == "http":
        for known, reason in HTTPS_HOSTS.items():
            if host == known or host.endswith("." + known):
                yield (f"entry '{key}': url starts with http:// but {host} serves https:// "
                       f"({reason}) — write https://")
                break


def problems(data, lines: dict[str, list[int]]):
    """Yield (line, message) for every entry a reader could not trust or find."""
    seen_ids: dict[tuple[str, str], str] = {}
    seen_works: dict[tuple[str, str, str], str] = {}
    for key, entry in data.entries.items():
        line = lines.get(key, [0])[0]
        fields = {name.lower(): str(value).strip() for name, value in entry.fields.items()}
        kind = entry.type.lower()
        has_author = bool(entry.persons.get("author") or entry.persons.get("editor"))
        waived, malformed = declared_unverified(key, fields)
        if malformed:
            yield line, malformed
        for name in sorted(waived):
            present = fields.get(name) or (name == "doi" and fields.get("pmid"))
            if name == "url":  # waives only a search-page address: no stable one was found
                present = fields.get("url") and not SEARCH_URL.search(fields["url"])
            if present:
                yield line, (f"entry '{key}': unverified names '{name}', but the entry has it "
                             "— take it out of unverified")
        for name in REQUIRED.get(kind, ("title", "year")):
            if name == "author" and has_author:
                continue
            if not fields.get(name) and name not in waived:
                yield line, (f"entry '{key}' (@{kind}) has no '{name}' field — "
                             f"copy it from the record you checked")
        if kind == "article":
            for message in article_problems(key, fields, waived):
                yield line, message
        elif kind in ("misc", "online"):
            for name in ARTICLE_FIELDS:
                if fields.get(name):
                    yield line, (f"entry '{key}' is @{kind} but has a '{name}' field: it is a "
                                 "journal article — make it @article with journal, volume, "
                                 "pages and a DOI or PMID")
                    break
            else:
                sign = misc_article_sign(fields)
                if sign and not waived & ARTICLE_WAIVERS:
                    yield line, (f"entry '{key}' is @{kind} but {sign}: a journal "
                                 "article is @article, with journal, volume, pages and "
                                 "a DOI or PMID from the journal's record — if no record shows "
                                 "them, keep @misc and name the missing ones, e.g. unverified "
                                 "= {journal, volume, pages: not on the records searched}")
        if fields.get("url"):
            for message in url_problems(key, fields["url"], "url" in waived):
                yield line, message
        if not any(fields.get(name) for name in ("doi", "pmid", "url")):
            yield line, (f"entry '{key}' has no doi, pmid or url — add the identifier "
                         "shown on the record you checked, so readers can find the work")
        checks = (("doi", DOI, "10.1234/abc (no https://doi.org/ prefix)"),
                  ("pmid", PMID, "digits only, e.g. 18068515"),
                  ("pmcid", PMCID, "PMC followed by digits"),
                  ("url", URL, "a full http(s) address"))
        for name, pattern, form in checks:
            if fields.get(name) and not pattern.match(fields[name]):
                yield line, (f"entry '{key}': {name} '{fields[name]}' is malformed — "
                             f"write it as {form}")
        for name in ("doi", "pmid"):
            if fields.get(name):
                ident = (name, fields[name].lower())
                if ident in seen_ids:
                    yield line, (f"entry '{key}' has the same {name} as '{seen_ids[ident]}' "
                                 "— two entries describe one work: keep one key")
                else:
                    seen_ids[ident] = key
        # Without an author, a shared title and year say too little (two agencies' pages).
        work = (normal_text(fields.get("title", "")), first_author(entry),
                fields.get("year", ""))
        if all(work) and work in seen_works:
            yield line, (f"entry '{key}' has the same title, first author and year as "
                         f"'{seen_works[work]}' — two entries describe one work: keep one key")
        elif all(work):
            seen_works[work] = key
        for name, value in fields.items():
            if name in JUNK_FIELDS:
                yield line, (f"entry '{key}' has a '{name}' field — delete it "
                             "(it does not belong in the published bibliography)")
            elif LOCAL_PATH.match(value):
                yield line, (f"entry '{key}': field '{name}' is a local file path — "
                             "replace it with the public DOI, PMID or URL")


def bibfiles(app) -> list[tuple[Path, str]]:
    result = []
    for name in app.config.bibtex_bibfiles or []:
        path = (Path(app.confdir) / name).resolve()
        result.append((path, Path(name).name))
    return result


def check_bibfiles(app) -> None:
    app.env.bookext_bib_lines = {}
    usable, changed = [], False
    for path, display in bibfiles(app):
        if not path.exists():
            raise BibliographyError(f"{display}: file not found at {path} — check "
                                    "bibtex_bibfiles in conf.py")
        data, lines, text = parse(path, display, str(path))
        for line, message in problems(data, lines):
            logger.warning(message, location=f"{path}:{line}", type="bookext",
                           subtype="bibliography")
        for key in data.entries.keys():
            app.env.bookext_bib_lines[key] = (str(path), lines[key][0])
        unverified = sorted(key for key, entry in data.entries.items()
                            if "unverified" in {name.lower() for name in entry.fields})
        if unverified:
            # Not a warning: the entry says openly what could not be verified, and why.
            logger.info(f"{display}: {len(unverified)} entries name fields that could not be "
                        f"verified (their 'unverified' field says why): {', '.join(unverified)}")
        if text != path.read_text(encoding="utf-8"):
            # Go on without the malformed entries, so that every other problem is
            # reported too; the warning already fails the build.
            copy = Path(app.doctreedir) / f"usable-{path.name}"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(text, encoding="utf-8")
            path, changed = copy, True
        usable.append(str(path))
    if changed:  # leave the setting alone otherwise: a changed config forces a full rebuild
        app.config.bibtex_bibfiles = usable


def reread_stale_bibliographies(app, env, added, changed, removed) -> list[str]:
    """Documents whose bibliography was read from other files than this build's: after a
    build that went on without a malformed entry (a copy of the file) and the fix, or the
    other way round. sphinxcontrib-bibtex keeps each directive's files from when its page
    was read, and fails looking them up once they are no longer configured."""
    current = {(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles}
    domain = env.get_domain("cite")
    return sorted({key.docname for key, bibliography in domain.bibliographies.items()
                   if set(bibliography.bibfiles) - current})


def check_uncited(app, env) -> None:
    domain = env.get_domain("cite")
    cited = {target.key for ref in domain.citation_refs for target in ref.targets}
    uncited = sorted(set(getattr(env, "bookext_bib_lines", {})) - cited)
    if uncited:
        path, line = env.bookext_bib_lines[uncited[0]]
        logger.warning(
            f"{len(uncited)} entries are never cited: {', '.join(uncited)} — cite them "
            "or delete them, so the bibliography holds only what the book uses",
            location=f"{path}:{line}", type="bookext", subtype="uncited")


def setup(app):
    # Before sphinxcontrib-bibtex (priority 500) parses the same files.
    app.connect("builder-inited", check_bibfiles, priority=400)
    app.connect("env-get-outdated", reread_stale_bibliographies)
    app.connect("env-check-consistency", check_uncited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    """Check a .bib file from the command line (pre-commit): print problems, exit 1."""
    import sys

    paths = argv if argv is not None else sys.argv[1:]
    failed = False
    for name in paths or ["references.bib"]:
        path = Path(name)
        try:
            data, lines = parse_text(path.read_text(encoding="utf-8"), name)
        except (BibliographyError, MalformedEntry) as err:
            line = getattr(err, "line", "")
            print(f"{name}:{line}: {err}" if line else str(err))
            failed = True
            continue
        for key, where in lines.items():
            if len(where) > 1:
                print(f"{name}:{where[1]}: duplicate key '{key}' (first on line {where[0]})")
                failed = True
        for line, message in problems(data, lines):
            print(f"{name}:{line}: {message}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
