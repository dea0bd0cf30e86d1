"""RIS read and write (via rispy), entry by entry so one broken entry never costs the rest.

Tags beyond the standard ones, as PubMed, EndNote and Zotero use them:
AN holds the PMID, C2 the PMCID, DA the full date, J2 the journal abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import rispy

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.names import initials_of, year_of
from exoreview.formats.text import EntryError, load_source, read_decoded, report_entry
from exoreview.records import AbstractSection, Author, Journal, PubDate, PublicationType, Record

_ENTRY_END = re.compile(r"^ER\s{2}-\s*$", re.MULTILINE)
_TITLE_LINE = re.compile(r"^(?:TI|T1)\s{2}-\s*(.*)$", re.MULTILINE)
_ID_LINE = re.compile(r"^(?:ID|AN)\s{2}-\s*(.*)$", re.MULTILINE)
_LANGUAGES = {"english": "eng", "chinese": "chi", "korean": "kor", "japanese": "jpn", "german": "ger",
              "french": "fre", "spanish": "spa", "italian": "ita", "portuguese": "por", "russian": "rus"}
_TYPES = {"CONF": "Congress", "CPAPER": "Congress", "ABST": "Abstract", "BOOK": "Book", "CHAP": "Book Chapter",
          "THES": "Thesis", "RPRT": "Report"}


def read_text(path: str | Path) -> str:
    """Text of an export whatever its encoding (see `formats.text`)."""
    return read_decoded(path).text


def iter_ris(source: str | Path, *, errors: list[MalformedRecord] | None = None, label: str = "",
             notes: list[str] | None = None) -> Iterator[Record]:
    """Records from a RIS file path or RIS text; broken entries go to `errors` and are skipped."""
    decoded, label = load_source(source, "<ris>", label=label, notes=notes)
    chunks = [c for c in _ENTRY_END.split(decoded.text) if c.strip()]
    for position, chunk in enumerate(chunks):
        try:
            entries = rispy.loads(chunk.strip() + "\nER  - \n")
            if len(entries) != 1:
                raise ValueError("no 'TY  -' line opens this entry")
            record = record_from_ris(entries[0])
            if not record.title:
                raise ValueError("entry has no title (TI or T1)")
        except Exception as exc:  # rispy raises bare IOError/ValueError/KeyError subclasses
            title = _TITLE_LINE.search(chunk)
            ident = _ID_LINE.search(chunk)
            entry = (ident.group(1) if ident else "") or (title.group(1) if title else "")
            report_entry(EntryError(label, position, str(exc) or type(exc).__name__, entry.strip()), errors)
            continue
        yield record


def record_from_ris(entry: dict) -> Record:
    authors = [_author(a) for a in entry.get("authors", []) + entry.get("first_authors", [])]
    date = str(entry.get("date") or "")
    year = year_of(entry.get("year") or entry.get("publication_year") or date)
    month = re.match(r"^\d{4}/(\d{1,2})", date)
    abstract = entry.get("abstract") or entry.get("notes_abstract") or ""
    start, end = entry.get("start_page", ""), entry.get("end_page", "")
    accession = str(entry.get("accession_number", "")).strip()
    language = str(entry.get("language", "")).strip()
    doi = str(entry.get("doi", "")).strip()
    pmcid = str(entry.get("custom2", "")).strip()
    urls = entry.get("urls") or []
    ptype = _TYPES.get(str(entry.get("type_of_reference", "")).upper())
    return Record(
        pmid=accession if accession.isdigit() else "",
        doi=re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE),
        pmcid=pmcid.upper() if pmcid.upper().startswith("PMC") else "",
        title=" ".join((entry.get("title") or entry.get("primary_title") or "").split()),
        abstract=[AbstractSection(text=abstract.strip())] if abstract.strip() else [],
        authors=authors,
        journal=Journal(
            title=entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3") or "",
            iso_abbreviation=entry.get("alternate_title1") or entry.get("alternate_title2") or "",
            issn_print=str(entry.get("issn", "")),
            volume=str(entry.get("volume", "")),
            issue=str(entry.get("number", "")),
            pages=f"{start}-{end}" if start and end else str(start),
        ),
        pub_date=PubDate(year=year, month=int(month.group(1)) if month and year and 0 < int(month.group(1)) < 13
                         else None),
        keywords=list(entry.get("keywords", [])),
        languages=[_LANGUAGES.get(language.lower(), language.lower()[:3])] if language else [],
        publication_types=[PublicationType(ptype)] if ptype else [],
        kind="book" if ptype in {"Book", "Book Chapter"} else "article",
        extra={"url": urls[0]} if urls else {},
    )


def _author(name: str) -> Author:
    last, _, rest = name.partition(",")
    fore = rest.strip()
    if not fore and " " in last.strip() and len(last.split()) > 3:
        return Author(collective_name=last.strip())
    return Author(last_name=last.strip(), fore_name=fore, initials=initials_of(fore))


def _year(value: str) -> int | None:
    return year_of(value)


def write_ris(records: Iterable[Record]) -> str:
    entries = []
    for record in records:
        date = record.pub_date
        congress = any(p.name.startswith("Congress") for p in record.publication_types)
        entry: dict[str, object] = {
            "type_of_reference": "BOOK" if record.kind == "book" else "CONF" if congress else "JOUR",
            "title": record.title,
            "authors": [f"{a.last_name}, {a.fore_name or a.initials}".strip(", ") or a.collective_name
                        for a in record.authors],
            "year": str(date.year or ""),
            "date": (f"{date.year:04d}/{date.month:02d}/{f'{date.day:02d}' if date.day else ''}/"
                     if date.year and date.month else ""),
            "secondary_title": record.journal.title,
            "alternate_title1": record.journal.iso_abbreviation,
            "volume": record.journal.volume,
            "number": record.journal.issue,
            "issn": record.journal.issn_print or record.journal.issn_electronic,
            "abstract": record.abstract_text.replace("\n", " "),
            "doi": record.doi,
            "accession_number": record.pmid,
            "custom2": record.pmcid,
            "keywords": record.keywords,
            "language": record.languages[0] if record.languages else "",
            "urls": [record.extra["url"]] if record.extra.get("url") else [],
        }
        if record.journal.pages:
            start, _, end = record.journal.pages.partition("-")
            entry["start_page"] = start
            if end:
                entry["end_page"] = end
        entries.append({k: v for k, v in entry.items() if v})
    return rispy.dumps(entries)


__all__ = ["iter_ris", "read_text", "record_from_ris", "write_ris"]
