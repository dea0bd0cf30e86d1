"""MEDLINE text format (PubMed's "Send to: file, MEDLINE" and .nbib): reader and writer.

Each record is a block of ``TAG - value`` lines (the tag left-justified in
four columns), long values continued on lines indented by six spaces, and
records separated by blank lines. Values are normalized like the XML reader's
(runs of whitespace collapsed), so a record read from either format compares
field by field.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed.common import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    collapse_whitespace,
    elocation_id_type,
    join_grant,
    normalize_orcid,
    parse_medline_date,
    split_grant,
)
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import decode_bytes
from exoreview.records import (
    AbstractSection,
    Author,
    Correction,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

__all__ = ["iter_medline", "parse_date_published", "parse_grant", "write_medline"]

log = logging.getLogger(__name__)

MedlineSource = str | os.PathLike[str] | bytes | TextIO | Iterable[str]

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]{1,3}) *- ?(.*)")
_SIMPLE_DATE = re.compile(r"(\d{4})(?: ([A-Za-z]{3})(?: (\d{1,2}))?)?")
_SEASON_DATE = re.compile(r"(\d{4}) (?:Spring|Summer|Autumn|Fall|Winter)", re.IGNORECASE)
_ISSN = re.compile(r"(\S+)\s*\((\w+)\)")
_TYPED_ID = re.compile(r"(.*?)\s*\[(\w+)\]")
_CORRECTION = re.compile(r"(?P<source>.*?)(?:\.?\s*PMID:\s*(?P<pmid>\d+))?\s*")
_GRANT_ACRONYM = re.compile(r"[A-Z]{2,5}_?")

_LINE_WIDTH = 80  # characters of value per line, after the six-column tag
_INDENT = " " * 6

# MEDLINE tag <-> PubMed XML CommentsCorrections RefType.
CORRECTION_TAGS = {
    "CIN": "CommentIn",
    "CON": "CommentOn",
    "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom",
    "ECI": "ExpressionOfConcernIn",
    "ECF": "ExpressionOfConcernFor",
    "EIN": "ErratumIn",
    "EFR": "ErratumFor",
    "ORI": "OriginalReportIn",
    "RIN": "RetractionIn",
    "ROF": "RetractionOf",
    "RPI": "RepublishedIn",
    "RPF": "RepublishedFrom",
    "RRI": "RetractedandRepublishedIn",
    "RRF": "RetractedandRepublishedFrom",
    "SPIN": "SummaryForPatientsIn",
    "UIN": "UpdateIn",
    "UOF": "UpdateOf",
}
_CORRECTION_TAG_FOR = {ref_type: tag for tag, ref_type in CORRECTION_TAGS.items()}

# Person tags whose AD/AUID lines must not land on the preceding author.
_NON_AUTHOR_PEOPLE = frozenset({"FIR", "IR", "FED", "ED"})


# --------------------------------------------------------------------------- reading


def iter_medline(source: MedlineSource, *, errors: list[MalformedRecord] | None = None) -> Iterator[Record]:
    """Stream Records from MEDLINE text: a path, the text itself, bytes, a text file, or lines.

    A str is taken as text when it contains a newline (or starts with
    ``PMID-``), otherwise as a path. A record with neither a PMID, a title nor a DOI, or with a line
    that is neither a tag line nor a continuation, is appended to ``errors``
    (or logged when no list is given) and skipped.
    """
    with contextlib.ExitStack() as stack:
        lines, label = _open_lines(source, stack)
        for position, (fields, problem) in enumerate(_blocks(lines)):
            try:
                if problem:
                    raise ValueError(problem)
                record = _build(fields)
            except Exception as exc:
                pmid = next((value for tag, value in fields if tag == "PMID" and value), None)
                error = MalformedRecord(label, position, str(exc) or type(exc).__name__, pmid)
                if errors is None:
                    log.warning("skipping %s", error)
                else:
                    errors.append(error)
                continue
            yield record


def _open_lines(source: MedlineSource, stack: contextlib.ExitStack) -> tuple[Iterable[str], str]:
    if isinstance(source, bytes):
        return decode_bytes(source).text.split("\n"), "<bytes>"
    if isinstance(source, str):
        if "\n" in source or source.lstrip().startswith("PMID-") or not source.strip():
            return source.split("\n"), "<string>"
        source = os.fspath(source)
        return stack.enter_context(open(source, encoding="utf-8-sig", errors="replace")), source
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        return stack.enter_context(open(path, encoding="utf-8-sig", errors="replace")), str(path)
    return source, str(getattr(source, "name", "<lines>"))


_Fields = list[tuple[str, str]]
# Tags a record has at most once; a second one means two records ran together.
_ONCE_PER_RECORD = frozenset({"TI", "DP", "JT", "VI", "IP", "PG"})


def _blocks(lines: Iterable[str]) -> Iterator[tuple[_Fields, str | None]]:
    """Group lines into records of (tag, joined value), with the first problem found in each."""
    fields: _Fields = []
    tag = ""
    parts: list[str] = []
    problem: str | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            _close_field(fields, tag, parts)
            if fields or problem:
                yield fields, problem
            fields, tag, parts, problem = [], "", [], None
            continue
        if line[0] in " \t":
            if tag:
                parts.append(line.strip())
            else:
                problem = problem or f"line {number}: continuation line outside any field"
            continue
        match = _TAG_LINE.fullmatch(line)
        if match is None:
            problem = problem or f"line {number}: not a MEDLINE tag line: {line[:40]!r}"
            continue
        _close_field(fields, tag, parts)
        if match.group(1) == "PMID" and (fields or problem):
            yield fields, problem  # records not separated by a blank line
            fields, problem = [], None
        problem = problem or _repeated_tag_problem(match.group(1), fields, number)
        tag, parts = match.group(1), [match.group(2)]
    _close_field(fields, tag, parts)
    if fields or problem:
        yield fields, problem


def _close_field(fields: _Fields, tag: str, parts: list[str]) -> None:
    """Add the field being read (if any), its lines joined."""
    if tag:
        fields.append((tag, collapse_whitespace(" ".join(parts))))


def _repeated_tag_problem(tag: str, fields: _Fields, number: int) -> str | None:
    """A second once-per-record tag: the blank line and the PMID line between two records are gone.

    Reading on would give one record the title of the next; the user gets the pair named instead."""
    if tag in _ONCE_PER_RECORD and any(t == tag for t, _ in fields):
        return (f"line {number}: a second {tag} line in one record (two records "
                "with no blank line or PMID line between them?)")
    return None


class _Builder:
    """A Record being assembled from tag lines, with the author-list state between lines."""

    __slots__ = (
        "author",
        "awaiting_au",
        "book_title",
        "lid_doi",
        "lid_pii",
        "pending_affiliations",
        "rec",
        "suffix",
    )

    def __init__(self) -> None:
        self.rec = Record()
        self.author: Author | None = None  # the person AD/AUID lines currently attach to
        self.awaiting_au = False  # an FAU line was just read; its AU line gives the initials
        self.suffix = ""  # "Jr" from "FAU - Bunn, Paul A, Jr": the AU line ends with it
        self.pending_affiliations: list[str] = []  # old records: AD before any author
        self.book_title = ""
        self.lid_doi = ""
        self.lid_pii = ""

    def add_author(self, author: Author) -> None:
        if not self.rec.authors and self.pending_affiliations:
            author.affiliations.extend(self.pending_affiliations)
            self.pending_affiliations = []
        self.rec.authors.append(author)
        self.author = author

    def finish(self) -> Record:
        rec = self.rec
        if not (rec.pmid or rec.title or self.book_title or rec.doi or self.lid_doi):
            # Records from other sources, exported as MEDLINE, have no PMID; one needs a title or a DOI.
            raise ValueError("missing PMID, and no title (TI) or DOI (AID) to know the record by")
        rec.doi = rec.doi or self.lid_doi
        rec.pii = rec.pii or self.lid_pii
        rec.free_full_text = True if rec.pmcid else None  # no PMC ID: free elsewhere or not, unknown
        if self.book_title:
            rec.kind = "book"
            if rec.title:
                rec.journal.title = self.book_title
            else:
                rec.title = self.book_title
        return rec


def _build(fields: _Fields) -> Record:
    builder = _Builder()
    for tag, value in fields:
        if tag != "AU":
            builder.awaiting_au = False  # the FAU handler sets it again
        handler = _HANDLERS.get(tag)
        if handler is not None:
            handler(builder, value)
        elif tag in CORRECTION_TAGS:
            builder.rec.corrections.append(_correction(CORRECTION_TAGS[tag], value))
        elif tag in _NON_AUTHOR_PEOPLE:
            builder.author = None
    return builder.finish()


def _full_author(builder: _Builder, value: str) -> None:
    last, _, rest = value.partition(", ")
    fore, _, suffix = rest.partition(", ")
    builder.add_author(Author(last_name=last.strip(), fore_name=fore.strip()))
    builder.awaiting_au = True
    builder.suffix = suffix.strip()


def _short_author(builder: _Builder, value: str) -> None:
    author = builder.author
    if builder.awaiting_au and author is not None:
        builder.awaiting_au = False
        last = author.last_name
        if value.startswith(last + " "):
            # Initials may hold spaces ("Lim do Y"); only a suffix known from FAU is cut off.
            initials = value[len(last) + 1 :]
            if builder.suffix and initials.endswith(" " + builder.suffix):
                initials = initials[: -len(builder.suffix) - 1]
            author.initials = initials
        elif value != last:
            author.initials = value.rsplit(" ", 1)[-1]
        return
    last, _, initials = value.rpartition(" ")
    builder.add_author(Author(last_name=last, initials=initials) if last else Author(last_name=initials))


def _collective_author(builder: _Builder, value: str) -> None:
    builder.add_author(Author(collective_name=value))


def _affiliation(builder: _Builder, value: str) -> None:
    if builder.author is not None:
        builder.author.affiliations.append(value)
    elif not builder.rec.authors:
        builder.pending_affiliations.append(value)


def _author_identifier(builder: _Builder, value: str) -> None:
    scheme, _, identifier = value.partition(":")
    if builder.author is not None and scheme.strip().upper() == "ORCID":
        builder.author.orcid = normalize_orcid(identifier)


def _issn(builder: _Builder, value: str) -> None:
    journal = builder.rec.journal
    match = _ISSN.fullmatch(value)
    issn, kind = (match.group(1), match.group(2)) if match else (value, "Print")
    if kind == "Electronic":
        journal.issn_electronic = issn
    elif kind == "Linking":
        journal.issn_linking = issn
    else:
        journal.issn_print = issn


def parse_date_published(value: str) -> PubDate:
    """A DP value: '2006 Mar 1' and '2012 Winter' give parts; ranges like '2011 Mar-Apr' stay text."""
    match = _SIMPLE_DATE.fullmatch(value)
    if match and (match.group(2) is None or match.group(2).lower() in MONTHS):
        year, month, day = match.groups()
        return PubDate(
            year=int(year),
            month=MONTHS[month.lower()] if month else None,
            day=int(day) or None if day else None,
        )
    season = _SEASON_DATE.fullmatch(value)
    if season:
        return PubDate(year=int(season.group(1)))
    year, month = parse_medline_date(value)
    return PubDate(year=year, month=month, medline_date=value)


def _date_published(builder: _Builder, value: str) -> None:
    builder.rec.pub_date = parse_date_published(value)


def _mesh(builder: _Builder, value: str) -> None:
    descriptor, *qualifiers = value.split("/")
    heading = MeshHeading(descriptor=descriptor.lstrip("*"), major=descriptor.startswith("*"))
    heading.qualifiers = [MeshQualifier(name=q.lstrip("*"), major=q.startswith("*")) for q in qualifiers]
    builder.rec.mesh.append(heading)


def _chemical(builder: _Builder, value: str) -> None:
    # "0 (Proteins)", "EC 2.7.11.1 (Protein Kinases)": registry numbers never contain " (".
    opening = value.find(" (")
    name = value[opening + 2 : -1] if opening != -1 and value.endswith(")") else value
    builder.rec.chemicals.append(name)


def parse_grant(value: str) -> str:
    """A GR value 'ID/Acronym/Agency/Country' (parts may be missing, IDs may hold '/') as 'ID / Agency'."""
    parts = value.split("/")
    if len(parts) == 1:
        return value
    agency = parts[-2] if len(parts) >= 2 else ""
    rest = parts[:-2]
    if len(rest) >= 2 and (rest[-1] == "" or _GRANT_ACRONYM.fullmatch(rest[-1])):
        rest = rest[:-1]
    return join_grant("/".join(rest).strip(), agency.strip())


def _grant(builder: _Builder, value: str) -> None:
    builder.rec.grants.append(parse_grant(value))


def _typed_id(value: str) -> tuple[str, str]:
    match = _TYPED_ID.fullmatch(value)
    return (match.group(1), match.group(2)) if match else (value, "")


def _article_id(builder: _Builder, value: str) -> None:
    identifier, kind = _typed_id(value)
    rec = builder.rec
    if kind == "doi":
        rec.doi = rec.doi or identifier
    elif kind == "pii":
        rec.pii = rec.pii or identifier


def _location_id(builder: _Builder, value: str) -> None:
    identifier, kind = _typed_id(value)
    builder.rec.elocation_ids.append(identifier)
    if kind == "doi":
        builder.lid_doi = builder.lid_doi or identifier
    elif kind == "pii":
        builder.lid_pii = builder.lid_pii or identifier


def _correction(ref_type: str, value: str) -> Correction:
    match = _CORRECTION.fullmatch(value)
    if match is None:  # cannot happen: every part of the pattern is optional
        return Correction(ref_type=ref_type, source=value)
    return Correction(ref_type=ref_type, pmid=match.group("pmid") or "", source=match.group("source"))


def _setter(path: str) -> Callable[[_Builder, str], None]:
    """A handler that stores the value at 'field' or 'journal.field' of the Record."""
    owner, _, name = path.rpartition(".")

    def store(builder: _Builder, value: str) -> None:
        setattr(builder.rec.journal if owner else builder.rec, name, value)

    return store


def _appender(name: str, make: Callable[[str], object] = str) -> Callable[[_Builder, str], None]:
    def append(builder: _Builder, value: str) -> None:
        getattr(builder.rec, name).append(make(value))

    return append


def _abstract(builder: _Builder, value: str) -> None:
    # MEDLINE has one AB paragraph; a stray second AB line continues it.
    abstract = builder.rec.abstract
    if abstract:
        abstract[0].text = f"{abstract[0].text} {value}"
    else:
        abstract.append(AbstractSection(value))


def _book_title(builder: _Builder, value: str) -> None:
    builder.book_title = value


_HANDLERS: dict[str, Callable[[_Builder, str], None]] = {
    "PMID": _setter("pmid"),
    "STAT": _setter("status"),
    "TI": _setter("title"),
    "TT": _setter("vernacular_title"),
    "BTI": _book_title,
    "AB": _abstract,
    "OAB": _appender("other_abstracts", AbstractSection),
    "FAU": _full_author,
    "AU": _short_author,
    "CN": _collective_author,
    "AD": _affiliation,
    "AUID": _author_identifier,
    "TA": _setter("journal.iso_abbreviation"),
    "JT": _setter("journal.title"),
    "JID": _setter("journal.nlm_unique_id"),
    "IS": _issn,
    "VI": _setter("journal.volume"),
    "IP": _setter("journal.issue"),
    "PG": _setter("journal.pages"),
    "DP": _date_published,
    "MH": _mesh,
    "PT": _appender("publication_types", PublicationType),
    "OT": _appender("keywords"),
    "RN": _chemical,
    "GR": _grant,
    "LA": _appender("languages"),
    "AID": _article_id,
    "LID": _location_id,
    "PMC": _setter("pmcid"),
}


# --------------------------------------------------------------------------- writing


def write_medline(records: Iterable[Record]) -> str:
    """MEDLINE text for ``records``, one blank-line-separated block each.

    Deleted records have no MEDLINE form and are left out. What MEDLINE cannot
    hold (MeSH and publication-type UIs, abstract section categories, PMID
    versions) is dropped; structured abstracts become one 'LABEL: text' paragraph.
    """
    return "".join(_record_text(rec) for rec in records if rec.kind != "deleted")


def _record_text(rec: Record) -> str:
    lines: list[str] = []

    def put(tag: str, value: str) -> None:
        value = collapse_whitespace(value)
        if value:
            first, *rest = _wrap(value)
            lines.append(f"{tag:<4}- {first}")
            lines.extend(_INDENT + part for part in rest)

    # MEDLINE's own tag order, in four runs.
    _put_citation(rec, put)
    _put_people_and_types(rec, put)
    _put_journal_and_links(rec, put)
    _put_indexing(rec, put)
    return "\n".join(lines) + "\n\n"


def _put_citation(rec: Record, put: Callable[[str, str], None]) -> None:
    """PMID to AB: identifiers, ISSNs, volume, date, title, pages, location IDs, abstract."""
    journal = rec.journal
    put("PMID", rec.pmid)
    put("STAT", rec.status)
    put("IS", f"{journal.issn_print} (Print)" if journal.issn_print else "")
    put("IS", f"{journal.issn_electronic} (Electronic)" if journal.issn_electronic else "")
    put("IS", f"{journal.issn_linking} (Linking)" if journal.issn_linking else "")
    put("VI", journal.volume)
    put("IP", journal.issue)
    put("DP", _date_text(rec.pub_date))
    put("TI", rec.title if rec.kind != "book" or journal.title else "")
    put("BTI", (journal.title or rec.title) if rec.kind == "book" else "")
    put("PG", journal.pages)
    for value in rec.elocation_ids:
        put("LID", f"{value} [{elocation_id_type(value, rec)}]")
    put("AB", _paragraph(rec.abstract))


def _put_people_and_types(rec: Record, put: Callable[[str, str], None]) -> None:
    """Authors, languages, grants, publication types."""
    for author in rec.authors:
        _put_author(author, put)
    for language in rec.languages:
        put("LA", language)
    for grant in rec.grants:
        grant_id, agency = split_grant(grant)
        put("GR", f"{grant_id}//{agency}/")
    for pub_type in rec.publication_types:
        put("PT", pub_type.name)


def _put_journal_and_links(rec: Record, put: Callable[[str, str], None]) -> None:
    """Vernacular title, journal names, chemicals, comment and correction links."""
    journal = rec.journal
    put("TT", rec.vernacular_title)
    put("TA", journal.iso_abbreviation if rec.kind != "book" else "")
    put("JT", journal.title if rec.kind != "book" else "")
    put("JID", journal.nlm_unique_id)
    for chemical in rec.chemicals:
        put("RN", f"0 ({chemical})")
    for link in rec.corrections:
        tag = _CORRECTION_TAG_FOR.get(link.ref_type)
        if tag:
            put(tag, f"{link.source}. PMID: {link.pmid}" if link.pmid else link.source)


def _put_indexing(rec: Record, put: Callable[[str, str], None]) -> None:
    """MeSH, PMCID, other abstracts, keywords, article IDs."""
    for heading in rec.mesh:
        put("MH", _mesh_text(heading))
    put("PMC", rec.pmcid)
    for section in rec.other_abstracts:
        put("OAB", f"{section.label}: {section.text}" if section.label else section.text)
    for keyword in rec.keywords:
        put("OT", keyword)
    put("AID", f"{rec.doi} [doi]" if rec.doi else "")
    put("AID", f"{rec.pii} [pii]" if rec.pii else "")


def _put_author(author: Author, put: Callable[[str, str], None]) -> None:
    if author.collective_name:
        put("CN", author.collective_name)
    else:
        put("FAU", f"{author.last_name}, {author.fore_name}" if author.fore_name else author.last_name)
        put("AU", f"{author.last_name} {author.initials}".strip())
    if author.orcid:
        put("AUID", f"ORCID: {author.orcid}")
    for affiliation in author.affiliations:
        put("AD", affiliation)


def _date_text(date: PubDate) -> str:
    if date.medline_date:
        return date.medline_date
    if date.year is None:
        return ""
    parts = [f"{date.year:04d}"]
    if date.month:
        parts.append(MONTH_ABBREVIATIONS[date.month])
        if date.day:
            parts.append(str(date.day))
    return " ".join(parts)


def _paragraph(sections: list[AbstractSection]) -> str:
    return " ".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)


def _mesh_text(heading: MeshHeading) -> str:
    parts = [("*" if heading.major else "") + heading.descriptor]
    parts.extend(("*" if q.major else "") + q.name for q in heading.qualifiers)
    return "/".join(parts)


def _wrap(value: str) -> list[str]:
    """Split at spaces into lines of at most _LINE_WIDTH; a longer word gets a line of its own.

    Never breaks inside a word (not even at a hyphen): the reader re-joins
    continuation lines with a single space.
    """
    lines = []
    while len(value) > _LINE_WIDTH:
        cut = value.rfind(" ", 0, _LINE_WIDTH + 1)
        if cut <= 0:
            cut = value.find(" ", _LINE_WIDTH + 1)
            if cut == -1:
                break
        lines.append(value[:cut])
        value = value[cut + 1 :]
    lines.append(value)
    return lines


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_medline(path, errors=options.errors))


READER = Reader(_read_file)
WRITER = Writer(lambda records, labels: write_medline(records), ending=".nbib")
