"""CSL-JSON (Zotero, Mendeley, pandoc/citeproc): a JSON list of items with CSL variable names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.names import initials_of, split_list, year_of
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
            except (TypeError, ValueError, AttributeError) as exc:
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
    parts = (value.get("date-parts") or [[]])[0] or []
    numbers = [int(p) for p in parts if str(p).strip().lstrip("-").isdigit()]
    if numbers:
        return PubDate(*[*numbers, None, None][:3])  # type: ignore[arg-type]
    return PubDate(year=year_of(value.get("raw") or value.get("literal")))


def _author(person: Any) -> Author:
    if not isinstance(person, dict):
        return Author(collective_name=str(person))
    if person.get("literal") and not person.get("family"):
        return Author(collective_name=str(person["literal"]))
    family = " ".join(p for p in (person.get("non-dropping-particle", ""), person.get("family", "")) if p)
    given = str(person.get("given", ""))
    return Author(last_name=family, fore_name=given, initials=initials_of(given))


def record_from_item(item: dict[str, Any]) -> Record:
    text = lambda key: str(item.get(key) or "").strip()  # noqa: E731
    keywords = item.get("keyword") or ""
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
        authors=[_author(p) for p in item.get("author") or []],
        journal=Journal(title=text("container-title"), iso_abbreviation=text("container-title-short")
                        or text("journalAbbreviation"), issn_print=text("ISSN"), volume=text("volume"),
                        issue=text("issue"), pages=text("page")),
        pub_date=_date(item.get("issued")),
        keywords=split_list(keywords) if isinstance(keywords, str) else [str(k) for k in keywords],
        languages=[text("language")] if text("language") else [],
        publication_types=[PublicationType(text("genre"))] if text("genre") else [],
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
        "keyword": ("; " if any("," in k for k in record.keywords) else ", ").join(record.keywords),
        "language": record.languages[0] if record.languages else "",
        "URL": record.extra.get("url", ""),
    }
    return {k: v for k, v in item.items() if v not in ("", None, [])}


def write_csljson(records: Iterable[Record]) -> str:
    items = []
    for n, record in enumerate(records):
        item_id = record.extra.get("csl_id") or (f"pmid:{record.pmid}" if record.pmid else
                                                 f"doi:{record.doi}" if record.doi else f"item-{n + 1}")
        items.append(item_from_record(record, item_id))
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


__all__ = ["item_from_record", "iter_csljson", "record_from_item", "write_csljson"]
