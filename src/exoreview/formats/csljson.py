"""CSL-JSON (Zotero, Mendeley, pandoc/citeproc): a JSON list of items with CSL variable names.

CSL has no variable for MeSH or for a second language: we keep them in the item's `custom`
object (CSL-JSON's place for data without a variable of its own) as `custom.mesh`
('*Exosomes/metabolism', * for a major topic) and `custom.languages`. Publication types go in
`genre`, separated by '; '.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.fields import mesh_text, parse_mesh_text
from exoreview.formats.names import initials_of, join_list, split_list, year_of
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import EntryError, load_source, report_entry
from exoreview.records import AbstractSection, Author, Journal, PubDate, PublicationType, Record

_BOOK_TYPES = {"book", "chapter"}


def iter_csljson(source: str | Path, *, errors: list[MalformedRecord] | None = None, label: str = "",
                 notes: list[str] | None = None) -> Iterator[Record]:
    """Records of a CSL-JSON file; an item that is not an object or has neither title nor DOI goes to `errors`."""
    decoded, label = load_source(source, "<csl-json>", label=label, notes=notes)
    try:
        data = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise EntryError(label, 0, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise EntryError(label, 0, "not CSL-JSON: nested too deeply to read") from exc
    items = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise EntryError(label, 0, "expected a JSON list of CSL items")
    for position, item in enumerate(items):
        problem, entry = "", ""
        if not isinstance(item, dict):
            problem = f"item is a JSON {type(item).__name__}, not an object"
        else:
            entry = str(item.get("id") or item.get("title") or "")
            try:
                record = record_from_item(item)
            except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError) as exc:
                problem = f"unreadable field: {exc}"
            else:
                if not record.title and not record.doi:
                    problem = "item has neither a title nor a DOI"
        if problem:
            report_entry(EntryError(label, position, problem, entry), errors)
            continue
        yield record


def _date(value: Any) -> PubDate:
    if not isinstance(value, dict):
        return PubDate()
    parts = value.get("date-parts") or [[]]
    parts = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = []
    for part in parts[:3]:  # year, month, day: stop at the first that is not a number
        if not str(part).strip().lstrip("-").isdigit():
            break
        numbers.append(int(part))
    if numbers:
        year, month, day = [*numbers, None, None][:3]
        month = month if month and 1 <= month <= 12 else None
        return PubDate(year=year, month=month, day=day if month and day and 1 <= day <= 31 else None)
    return PubDate(year=year_of(value.get("raw") or value.get("literal")))


def _author(person: Any) -> Author:
    if not isinstance(person, dict):
        return Author(collective_name=str(person))
    if person.get("literal") and not person.get("family"):
        return Author(collective_name=str(person["literal"]))
    family = " ".join(p for p in (person.get("non-dropping-particle", ""), person.get("family", "")) if p)
    given = str(person.get("given", ""))
    return Author(last_name=family, fore_name=given, initials=initials_of(given))


def _list(value: Any) -> list[str]:
    return [str(v) for v in value if str(v).strip()] if isinstance(value, list) else []


def record_from_item(item: dict[str, Any]) -> Record:
    text = lambda key: str(item.get(key) or "").strip()  # noqa: E731
    keywords = item.get("keyword") or ""
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    authors = item.get("author") or []
    abstract = text("abstract")
    pmcid = text("PMCID")
    extra = {"csl_id": text("id")} if text("id") else {}
    if text("URL"):
        extra["url"] = text("URL")
    return Record(
        pmid=text("PMID") if text("PMID").isdigit() else "",
        doi=re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", text("DOI"), flags=re.IGNORECASE),
        pmcid=(pmcid if pmcid.upper().startswith("PMC") else f"PMC{pmcid}").upper() if pmcid else "",
        title=text("title"),
        abstract=[AbstractSection(abstract)] if abstract else [],
        authors=[_author(p) for p in (authors if isinstance(authors, list) else [authors])],
        journal=Journal(title=text("container-title"), iso_abbreviation=text("container-title-short")
                        or text("journalAbbreviation"), issn_print=text("ISSN"), volume=text("volume"),
                        issue=text("issue"), pages=text("page")),
        pub_date=_date(item.get("issued")),
        keywords=split_list(keywords) if isinstance(keywords, str) else _list(keywords),
        mesh=[parse_mesh_text(m) for m in _list(custom.get("mesh"))],
        languages=_list(custom.get("languages")) or ([text("language")] if text("language") else []),
        publication_types=[PublicationType(p) for p in split_list(text("genre"))],
        kind="book" if text("type") in _BOOK_TYPES else "article",
        extra=extra,
    )


def item_from_record(record: Record, item_id: str) -> dict[str, Any]:
    date = [p for p in (record.pub_date.year, record.pub_date.month, record.pub_date.day) if p]
    item: dict[str, Any] = {
        "id": item_id,
        "type": "book" if record.kind == "book" else "article-journal",
        "title": record.title,
        "author": [{"literal": a.collective_name} if a.collective_name and not a.last_name
                   else {"family": a.last_name, "given": a.fore_name or " ".join(f"{c}." for c in a.initials)}
                   for a in record.authors],
        "issued": {"date-parts": [date]} if date else None,
        "container-title": record.journal.title,
        "container-title-short": record.journal.iso_abbreviation,
        "volume": record.journal.volume,
        "issue": record.journal.issue,
        "page": record.journal.pages,
        "ISSN": record.journal.issn_print or record.journal.issn_electronic,
        "DOI": record.doi,
        "PMID": record.pmid,
        "PMCID": record.pmcid,
        "abstract": record.abstract_text.replace("\n", " "),
        "keyword": join_list(record.keywords),
        "genre": join_list([p.name for p in record.publication_types]),
        "language": record.languages[0] if record.languages else "",
        "URL": record.extra.get("url", ""),
        "custom": {k: v for k, v in {
            "mesh": [mesh_text(m) for m in record.mesh],
            "languages": record.languages if len(record.languages) > 1 else [],
        }.items() if v},
    }
    return {k: v for k, v in item.items() if v not in ("", None, [], {})}


def write_csljson(records: Iterable[Record]) -> str:
    items = []
    for n, record in enumerate(records):
        item_id = record.extra.get("csl_id") or (f"pmid:{record.pmid}" if record.pmid else
                                                 f"doi:{record.doi}" if record.doi else f"item-{n + 1}")
        items.append(item_from_record(record, item_id))
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_csljson(path, errors=options.errors, notes=options.notes))


READER = Reader(_read_file, endings=(".csl.json",))
WRITER = Writer(lambda records, labels: write_csljson(records), ending=".csl.json")

__all__ = ["item_from_record", "iter_csljson", "record_from_item", "write_csljson"]
