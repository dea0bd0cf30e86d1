"""RIS read and write (via rispy), entry by entry so one broken entry never costs the rest.

An entry runs from its `TY  -` line to its `ER  -` line. A `TY  -` line always opens a new entry:
an entry whose `ER  -` line is missing is reported (by number and line) and skipped, never merged
into the next one.

Tags beyond the standard ones, as PubMed, EndNote and Zotero use them:
AN holds the PMID, C2 the PMCID, DA the full date, J2 the journal abbreviation, M3 ("type of work")
the publication types, one LA line per language. A group author ends with a comma (EndNote's mark
for a corporate name). RIS has no tag for MeSH: we write MEDLINE's `MH` lines
('*Exosomes/metabolism', * for a major topic), which other readers skip or keep as notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import rispy

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.fields import mesh_text, parse_mesh_text
from exoreview.formats.names import initials_of, year_of
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import EntryError, load_source, read_decoded, report_entry
from exoreview.records import AbstractSection, Author, Journal, PubDate, PublicationType, Record

_ENTRY_START = re.compile(r"^TY  -")
_ENTRY_END = re.compile(r"^ER  -\s*$")
_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]  -")
_TITLE_LINE = re.compile(r"^(?:TI|T1)  -\s*(.*)$", re.MULTILINE)
_ID_LINE = re.compile(r"^(?:ID|AN)  -\s*(.*)$", re.MULTILINE)
_DATE = re.compile(r"^(\d{4})/(\d{1,2})?/?(\d{1,2})?")
_DOI_LIKE = re.compile(r"\b10\.\d{4,9}/")
_LANGUAGES = {"english": "eng", "chinese": "chi", "korean": "kor", "japanese": "jpn", "german": "ger",
              "french": "fre", "spanish": "spa", "italian": "ita", "portuguese": "por", "russian": "rus"}
_TYPES = {"CONF": "Congress", "CPAPER": "Congress", "ABST": "Abstract", "BOOK": "Book", "CHAP": "Book Chapter",
          "THES": "Thesis", "RPRT": "Report"}
# Read LA and MH as lists; UR is not split at ';' (URLs hold them).
_LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "LA", "MH"]
_MAPPING = {**rispy.TAG_KEY_MAPPING, "MH": "mesh"}


def read_text(path: str | Path) -> str:
    """Text of an export whatever its encoding (see `formats.text`)."""
    return read_decoded(path).text


@dataclass(slots=True)
class _Entry:
    lines: list[str]
    first_line: int  # 1-based line number of the entry's first line in the file
    problem: str = ""


def _entries(text: str) -> Iterator[_Entry]:
    """The file cut into entries at `TY  -` and `ER  -` lines, each with the problem of its frame, if any.

    Lines between entries that hold no tag (rispy's "1." headers, blank lines, notes) are skipped;
    tagged lines outside any entry make an entry of their own, reported as not opened by `TY  -`.
    """
    lines: list[str] = []
    first, opened, tagged = 0, False, False  # tagged: a tag line outside any entry since the last one
    for number, line in enumerate(text.split("\n"), start=1):
        if _ENTRY_START.match(line):
            if opened:
                yield _Entry(lines, first, f"no 'ER' line ends this entry (lines {first}-{number - 1}); "
                                           f"line {number} opens the next one with 'TY'")
            elif tagged:
                yield _Entry(lines, first, f"no 'TY' line opens this entry (line {first})")
            lines, first, opened, tagged = [line], number, True, False
        elif _ENTRY_END.match(line):
            lines.append(line)
            if opened:
                yield _Entry(lines, first)
            elif tagged:
                yield _Entry(lines, first, f"no 'TY' line opens this entry (line {first})")
            lines, first, opened, tagged = [], 0, False, False
        else:
            if not opened and not tagged and _TAG_LINE.match(line):
                first, tagged = number, True
            lines.append(line)
    if opened:
        yield _Entry(lines, first, f"the file ends before this entry's 'ER' line (entry opened at line {first})")
    elif tagged:
        yield _Entry(lines, first, f"no 'TY' line opens this entry (line {first})")


def iter_ris(source: str | Path, *, errors: list[MalformedRecord] | None = None, label: str = "",
             notes: list[str] | None = None) -> Iterator[Record]:
    """Records from a RIS file path or RIS text; broken entries go to `errors` and are skipped."""
    decoded, label = load_source(source, "<ris>", label=label, notes=notes)
    for position, entry in enumerate(_entries(decoded.text)):
        chunk = "\n".join(entry.lines)
        try:
            if entry.problem:
                raise ValueError(entry.problem)
            # an entry without a problem ends with its own 'ER' line (rispy 0.9 reads a second one as an empty entry)
            entries = rispy.loads(chunk, list_tags=_LIST_TAGS, mapping=_MAPPING, delimiter_tags_mapping={})
            if len(entries) != 1:
                raise ValueError("no 'TY' line opens this entry")
            record = record_from_ris(entries[0])
            if not record.title:
                raise ValueError("entry has no title (TI or T1)")
        except Exception as exc:  # rispy raises bare IOError/ValueError/KeyError subclasses
            title = _TITLE_LINE.search(chunk)
            ident = _ID_LINE.search(chunk)
            name = (ident.group(1) if ident else "") or (title.group(1) if title else "")
            reason = str(exc) or type(exc).__name__
            if not entry.problem:
                reason = f"{reason} (line {entry.first_line})"
            report_entry(EntryError(label, position, reason, name.strip()), errors)
            continue
        yield record


def _strings(value: object) -> list[str]:
    """A tag's value as a list of strings, whether rispy read it as one value or several."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)] if value not in (None, "") else []


def record_from_ris(entry: dict) -> Record:
    authors = [_author(a) for a in _strings(entry.get("authors")) + _strings(entry.get("first_authors"))]
    pub_date = _ris_date(entry)
    abstract = str(entry.get("abstract") or entry.get("notes_abstract") or "").strip()
    journal = _ris_journal(entry)
    accession = str(entry.get("accession_number") or "").strip()
    doi, works = _doi_and_works(entry)
    pmcid = str(entry.get("custom2") or "").strip()
    urls = _strings(entry.get("urls"))
    ptype = _TYPES.get(str(entry.get("type_of_reference") or "").upper())
    mesh = [parse_mesh_text(m) for m in _strings(entry.get("mesh")) if m.strip()]
    return Record(
        pmid=accession if accession.isdigit() else "",
        doi=re.sub(r"^(https?://)?(dx\.)?doi\.org/|^doi:\s*", "", doi, flags=re.IGNORECASE),
        pmcid=pmcid.upper() if pmcid.upper().startswith("PMC") else "",
        title=" ".join(str(entry.get("title") or entry.get("primary_title") or "").split()),
        abstract=[AbstractSection(text=abstract)] if abstract else [],
        authors=authors,
        journal=journal,
        pub_date=pub_date,
        keywords=_strings(entry.get("keywords")),
        mesh=mesh,
        languages=[_language(v) for v in _strings(entry.get("language")) if v.strip()],
        publication_types=_publication_types(works, ptype),
        kind="book" if ptype in {"Book", "Book Chapter"} else "article",
        extra={"url": urls[0]} if urls else {},
    )


def _ris_date(entry: dict) -> PubDate:
    """Year from PY (or Y1, or DA); month and day from DA ('2020/03/05/'), kept only when in range."""
    date = str(entry.get("date") or "")
    year = year_of(entry.get("year") or entry.get("publication_year") or date)
    parts = _DATE.match(date)
    month = int(parts.group(2)) if parts and parts.group(2) and year and 0 < int(parts.group(2)) < 13 else None
    day = int(parts.group(3)) if parts and parts.group(3) and month and 0 < int(parts.group(3)) < 32 else None
    return PubDate(year=year, month=month, day=day)


def _ris_journal(entry: dict) -> Journal:
    start, end = str(entry.get("start_page") or ""), str(entry.get("end_page") or "")
    return Journal(
        title=str(entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3")
                  or ""),
        iso_abbreviation=str(entry.get("alternate_title1") or entry.get("alternate_title2") or ""),
        issn_print=str(entry.get("issn") or ""),
        volume=str(entry.get("volume") or ""),
        issue=str(entry.get("number") or ""),
        pages=f"{start}-{end}" if start and end else start,
    )


def _doi_and_works(entry: dict) -> tuple[str, list[str]]:
    """The DO tag and the M3 types of work; some exporters put the DOI in M3, which is then no type."""
    doi = str(entry.get("doi") or "").strip()
    works = [t.strip() for w in _strings(entry.get("type_of_work")) for t in w.split(";") if t.strip()]
    if any(_DOI_LIKE.search(w) for w in works):
        return doi or works[0], []
    return doi, works


def _publication_types(works: list[str], ptype: str | None) -> list[PublicationType]:
    """M3's types of work when given, else the one the TY reference type implies, if any."""
    if works:
        return [PublicationType(w) for w in works]
    return [PublicationType(ptype)] if ptype else []


def _language(value: str) -> str:
    value = value.strip().lower()
    return _LANGUAGES.get(value, value[:3])


def _author(name: str) -> Author:
    name = name.strip()
    if name.endswith(",") and name.count(",") == 1:  # 'World Health Organization,': a group (EndNote)
        return Author(collective_name=name[:-1].strip())
    last, _, rest = name.partition(",")
    fore = rest.strip()
    if not fore and " " in last.strip() and len(last.split()) > 3:
        return Author(collective_name=last.strip())
    return Author(last_name=last.strip(), fore_name=fore, initials=initials_of(fore))


def _one_line(value: str) -> str:
    """A RIS value holds no line break: a newline would end the tag (or the entry)."""
    return " ".join(value.split())


def _ris_name(author: Author) -> str:
    if author.collective_name and not author.last_name:
        return _one_line(author.collective_name) + ","
    return _one_line(f"{author.last_name}, {author.fore_name or author.initials}".strip(", "))


def write_ris(records: Iterable[Record]) -> str:
    entries = []
    for record in records:
        date = record.pub_date
        congress = any(p.name.startswith("Congress") for p in record.publication_types)
        journal = record.journal
        entry: dict[str, object] = {
            "type_of_reference": "BOOK" if record.kind == "book" else "CONF" if congress else "JOUR",
            "title": _one_line(record.title),
            "authors": [_ris_name(a) for a in record.authors],
            "year": str(date.year or ""),
            "date": (f"{date.year:04d}/{date.month:02d}/{f'{date.day:02d}' if date.day else ''}/"
                     if date.year and date.month else ""),
            "secondary_title": _one_line(journal.title),
            "alternate_title1": _one_line(journal.iso_abbreviation),
            "volume": _one_line(journal.volume),
            "number": _one_line(journal.issue),
            "issn": journal.issn_print or journal.issn_electronic,
            "abstract": _one_line(record.abstract_text),
            "doi": record.doi,
            "accession_number": record.pmid,
            "custom2": record.pmcid,
            "type_of_work": "; ".join(_one_line(p.name) for p in record.publication_types),
            "keywords": [_one_line(k) for k in record.keywords],
            "mesh": [_one_line(mesh_text(m)) for m in record.mesh],
            "language": [_one_line(x) for x in record.languages],
            "urls": [record.extra["url"]] if record.extra.get("url") else [],
        }
        if journal.pages:
            start, _, end = journal.pages.partition("-")
            entry["start_page"] = start
            if end:
                entry["end_page"] = end
        entries.append({k: v for k, v in entry.items() if v})
    return rispy.dumps(entries, list_tags=_LIST_TAGS, mapping=_MAPPING, delimiter_tags_mapping={})


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_ris(path, errors=options.errors, notes=options.notes))


READER = Reader(_read_file)
WRITER = Writer(lambda records, labels: write_ris(records), ending=".ris")

__all__ = ["iter_ris", "read_text", "record_from_ris", "write_ris"]
