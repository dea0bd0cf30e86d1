"""RIS read and write (via rispy), entry by entry so one broken entry never costs the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import rispy

from exoreview.formats.errors import MalformedRecord
from exoreview.records import AbstractSection, Author, Journal, PubDate, Record

_ENTRY_END = re.compile(r"^ER\s{2}-\s*$", re.MULTILINE)
_LANGUAGES = {"english": "eng", "chinese": "chi", "korean": "kor", "japanese": "jpn", "german": "ger",
              "french": "fre", "spanish": "spa", "italian": "ita", "portuguese": "por", "russian": "rus"}


def read_text(path: str | Path) -> str:
    """Text of an export whatever its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def iter_ris(source: str | Path, *, errors: list[MalformedRecord] | None = None,
             label: str = "") -> Iterator[Record]:
    """Records from a RIS file path or RIS text; broken entries go to `errors` and are skipped."""
    is_path = isinstance(source, Path) or (len(str(source)) < 4096 and "\n" not in str(source))
    text = read_text(source) if is_path else str(source)
    label = label or (Path(source).name if is_path else "<ris>")
    chunks = [c for c in _ENTRY_END.split(text) if c.strip()]
    for position, chunk in enumerate(chunks):
        try:
            entries = rispy.loads(chunk.strip() + "\nER  - \n")
            if len(entries) != 1:
                raise ValueError("no 'TY  -' line opens this entry")
            record = record_from_ris(entries[0])
            if not record.title:
                raise ValueError("entry has no title (TI or T1)")
        except Exception as exc:  # rispy raises bare IOError/ValueError/KeyError subclasses
            problem = MalformedRecord(source=label, position=position, pmid="", reason=str(exc) or type(exc).__name__)
            if errors is None:
                raise problem from exc
            errors.append(problem)
            continue
        yield record


def record_from_ris(entry: dict) -> Record:
    authors = [_author(a) for a in entry.get("authors", []) + entry.get("first_authors", [])]
    year = _year(entry.get("year") or entry.get("publication_year") or entry.get("date") or "")
    abstract = entry.get("abstract") or entry.get("notes_abstract") or ""
    start, end = entry.get("start_page", ""), entry.get("end_page", "")
    accession = str(entry.get("accession_number", ""))
    language = str(entry.get("language", "")).strip()
    doi = str(entry.get("doi", "")).strip()
    return Record(
        pmid=accession if accession.isdigit() else "",
        doi=re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE),
        title=(entry.get("title") or entry.get("primary_title") or "").strip(),
        abstract=[AbstractSection(text=abstract.strip())] if abstract.strip() else [],
        authors=authors,
        journal=Journal(
            title=entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3") or "",
            iso_abbreviation=entry.get("alternate_title1") or entry.get("alternate_title2") or "",
            issn_print=entry.get("issn", ""),
            volume=str(entry.get("volume", "")),
            issue=str(entry.get("number", "")),
            pages=f"{start}-{end}" if start and end else str(start),
        ),
        pub_date=PubDate(year=year),
        keywords=list(entry.get("keywords", [])),
        languages=[_LANGUAGES.get(language.lower(), language.lower()[:3])] if language else [],
        publication_types=[],
    )


def _author(name: str) -> Author:
    last, _, rest = name.partition(",")
    fore = rest.strip()
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", fore) if part)
    return Author(last_name=last.strip(), fore_name=fore, initials=initials.upper())


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[6-9]\d\d|20\d\d)\b", str(value))
    return int(match.group(1)) if match else None


def write_ris(records: Iterable[Record]) -> str:
    entries = []
    for record in records:
        entry: dict[str, object] = {
            "type_of_reference": "JOUR",
            "title": record.title,
            "authors": [f"{a.last_name}, {a.fore_name}".strip(", ") or a.collective_name for a in record.authors],
            "year": str(record.year or ""),
            "secondary_title": record.journal.title,
            "alternate_title1": record.journal.iso_abbreviation,
            "volume": record.journal.volume,
            "number": record.journal.issue,
            "abstract": record.abstract_text,
            "doi": record.doi,
            "accession_number": record.pmid,
            "keywords": record.keywords,
            "language": record.languages[0] if record.languages else "",
        }
        if record.journal.pages:
            start, _, end = record.journal.pages.partition("-")
            entry["start_page"] = start
            if end:
                entry["end_page"] = end
        entries.append({k: v for k, v in entry.items() if v})
    return rispy.dumps(entries)


__all__ = ["iter_ris", "read_text", "record_from_ris", "write_ris"]
