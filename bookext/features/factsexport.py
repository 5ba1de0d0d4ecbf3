"""The shared facts as data: ``facts.json``, ``facts.csv`` and their JSON Schema.

Other tools (a ward app, a teaching quiz, a reviewer's spreadsheet) can reuse the
book's cited facts without scraping pages. Each edition's site gets, at its root:

- ``facts.json``: the edition, its date and every fact of ``docs/_data/facts.yml`` with
  its unit, route, population or product, note, and source (bibliography key, DOI,
  PMID or URL, and the entry's note, which for a label says which version was read);
- ``facts.csv``: the same, one row per fact, for spreadsheets;
- ``facts.schema.json``: the JSON Schema (draft 7) that ``facts.json`` follows
  (``tests/test_facts_data.py`` validates against it).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

SCHEMA = Path(__file__).parent / "data" / "facts.schema.json"
FIELDS = ("unit", "route", "population", "product", "note")
SOURCE_FIELDS = ("doi", "pmid", "url")
CSV_COLUMNS = ("id", "value", "unit", "route", "population", "product", "note", "edition",
               "source_key", "source_title", "source_year", "source_doi", "source_pmid",
               "source_url", "source_version_note")


def source_of(key: str, entries) -> dict:
    source = {"key": key}
    entry = entries.get(key)
    if entry is None:
        return source  # bookext.features.facts has warned at the fact's line
    fields = entry.fields
    source |= {"type": entry.type, "title": str(fields.get("title", "")).replace("{", "")
               .replace("}", ""), "year": str(fields.get("year", ""))}
    source |= {name: str(fields[name]) for name in SOURCE_FIELDS if fields.get(name)}
    if fields.get("note"):
        source["version_note"] = str(fields["note"])
    return source


def facts_document(facts: dict, entries, edition: str, date: str) -> dict:
    rows = []
    for key, fact in facts.items():
        row = {"id": key, "value": str(fact["value"])}
        row |= {name: str(fact[name]) for name in FIELDS if fact.get(name)}
        row.setdefault("route", "any")
        row["edition"] = edition
        row["source"] = source_of(fact["cite"], entries)
        rows.append(row)
    return {"edition": edition, "date": date, "facts": rows}


def as_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in document["facts"]:
        row = {k: v for k, v in fact.items() if k != "source"}
        row |= {f"source_{k}": v for k, v in fact["source"].items() if k != "type"}
        writer.writerow(row)
    return out.getvalue()


def write_files(app, exception) -> None:
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    facts = app.config.myst_substitutions.get("facts") or {}
    entries = app.env.get_domain("cite").bibdata.data.entries
    document = facts_document(facts, entries, app.config.release, app.config.today)
    out = Path(app.outdir)
    (out / "facts.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    (out / "facts.csv").write_text(as_csv(document), encoding="utf-8")
    shutil.copyfile(SCHEMA, out / "facts.schema.json")


def setup(app):
    app.connect("build-finished", write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
