"""CSV (or tab/semicolon separated) tables of references, with their columns found by name.

Rayyan, Covidence, Zotero, EndNote and ASReview each name their columns
differently ("Publication Year", "year", "PY"...). `detect_mapping` finds
each field by a list of known header names (compared without case, spaces
or punctuation); an explicit `mapping` overrides or completes it.

What we write reads back unchanged: authors as 'Smith, John; {Movement Disorder
Group}' (a group in braces), dates as precise as known ('2020', '2020-03',
'2020-03-05'), lists (keywords, MeSH, publication types, languages) separated by
'; '. A cell that a spreadsheet would run as a formula (one opening with '=',
'+', '-', '@', a tab or a carriage return) is written behind a single quote,
and reading removes exactly that quote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.fields import mesh_text, parse_mesh_text
from exoreview.formats.names import join_authors, join_list, split_authors, split_list, year_of
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import EntryError, load_source, report_entry
from exoreview.records import AbstractSection, Journal, PubDate, PublicationType, Record, bare_doi

# Field -> header names as they appear in exports, normalized by `_header_key`. First match wins.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "primarytitle", "articletitle", "documenttitle", "ti", "t1"),
    "abstract": ("abstract", "abstractnote", "notesabstract", "abstracttext", "ab"),
    "authors": ("authors", "author", "authornames", "authorfullnames", "firstauthors", "au"),
    "year": ("year", "publicationyear", "publishedyear", "pubyear", "yearpublished", "py"),
    "date": ("date", "publicationdate", "pubdate", "datepublished", "da"),
    "doi": ("doi", "di", "digitalobjectidentifier"),
    "pmid": ("pmid", "pubmedid", "pubmed"),
    "pmcid": ("pmcid", "pmc"),
    "journal": ("journal", "journaltitle", "publicationtitle", "sourcetitle", "secondarytitle", "journalname",
                "containertitle", "source", "so", "jo", "t2"),
    "journal_abbrev": ("journalabbreviation", "journalabbrev", "isoabbreviation", "abbreviatedsourcetitle", "ja",
                       "j2"),
    "issn": ("issn", "sn"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page", "pg"),
    "start_page": ("startpage", "pagestart", "firstpage", "sp"),
    "end_page": ("endpage", "pageend", "lastpage", "ep"),
    "keywords": ("keywords", "keyword", "authorkeywords", "manualtags", "kw", "tags"),
    "mesh": ("mesh", "meshterms", "meshheadings", "mh"),
    "language": ("language", "la"),
    "publication_type": ("publicationtype", "itemtype", "documenttype", "referencetype", "pt", "type"),
    "url": ("url", "link", "ur"),
    "openalex_id": ("openalexid", "openalex"),
    "accession": ("accessionnumber", "an"),
    "record_id": ("recordid", "covidence", "covidencenumber", "key", "ref", "id"),
    "label": ("labelincluded", "included", "finalincluded", "includedfinal", "includedlabel", "label", "include"),
    "extra": ("extra", "notes"),
}
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")  # what a spreadsheet runs, with any quotes already put before it
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_PMID_IN_TEXT = re.compile(r"\bPMID:\s*(\d+)", re.IGNORECASE)
_PMCID_IN_TEXT = re.compile(r"\bPMCID:\s*(PMC\d+)", re.IGNORECASE)


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def detect_mapping(headers: Iterable[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> the header that holds it. `mapping` (field -> header) is taken as given, then names are matched."""
    headers = list(headers)
    found = dict(mapping or {})
    unknown = [h for h in found.values() if h not in headers]
    if unknown:
        raise ValueError(f"column(s) {', '.join(map(repr, unknown))} not in the header row ({', '.join(headers)})")
    taken = set(found.values())
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_header_key(header), header)
    for name, candidates in HEADER_NAMES.items():
        if name in found:
            continue
        for candidate in candidates:
            header = by_key.get(candidate)
            if header is not None and header not in taken:
                found[name] = header
                taken.add(header)
                break
    return found


@dataclass(slots=True)
class TableRow:
    """One data row: its record, and the cells a caller may want beyond it (a label, the row's own id)."""

    position: int  # 0-based among data rows
    record: Record
    cells: dict[str, str] = field(default_factory=dict)  # field -> raw cell text, for mapped fields


def _dialect(text: str) -> type[csv.Dialect]:
    """Comma, semicolon (European Excel) or tab (EndNote): whichever the header row uses most."""
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def iter_csv_rows(source: str | Path, *, mapping: dict[str, str] | None = None,
                  errors: list[MalformedRecord] | None = None, label: str = "",
                  notes: list[str] | None = None) -> Iterator[TableRow]:
    """Rows of a CSV file (path or text). A row without a title or DOI is reported and skipped.

    A quote opened and never closed would read the rest of the file into one cell: that row is
    reported (with its line), not imported.
    """
    decoded, label = load_source(source, "<csv>", label=label, notes=notes)
    dialect = _dialect(decoded.text)
    reader = csv.reader(io.StringIO(decoded.text, newline=""), dialect)
    headers = _header_row(reader, label)
    index = _column_index(headers, mapping, label)
    lines = decoded.text.split("\n")
    for position, row, problem in _rows(reader, lines, dialect):
        if not problem and _not_a_record(row, headers, position, label, notes):
            continue
        cells = {name: unquote_formula(row[i].strip()) if i < len(row) else "" for name, i in index.items()}
        problem = problem or _row_problem(row, headers, cells)
        if problem:
            entry = cells.get("record_id") or cells.get("title", "")[:60]
            report_entry(EntryError(label, position, problem, entry), errors)
            continue
        yield TableRow(position, record_from_cells(cells), cells)


def _header_row(reader: Iterator[list[str]], label: str) -> list[str]:
    """The column names of the first row; refuses a file whose first row is not valid CSV or names nothing."""
    try:
        headers = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    except csv.Error as exc:
        raise EntryError(label, 0, f"the header row is not valid CSV: {exc}") from exc
    if not any(headers):
        raise EntryError(label, 0, "no header row; the first line must name the columns")
    return headers


def _column_index(headers: list[str], mapping: dict[str, str] | None, label: str) -> dict[str, int]:
    """Field name -> column position; a table needs a title or a DOI column to give records."""
    columns = detect_mapping(headers, mapping)
    if "title" not in columns and "doi" not in columns:
        raise EntryError(label, 0, f"no title or DOI column among {', '.join(headers)}; pass a column mapping")
    return {name: headers.index(header) for name, header in columns.items()}


def _not_a_record(row: list[str], headers: list[str], position: int, label: str,
                  notes: list[str] | None) -> bool:
    """A blank row, or the header row again (two exports joined into one file): skipped, the latter noted."""
    if not any(cell.strip() for cell in row):
        return True
    if [cell.strip().lstrip("\ufeff") for cell in row] != headers:
        return False
    if notes is not None:
        notes.append(f"{label}: entry {position + 1} repeats the header row; read as a header, not a record")
    return True


def _row_problem(row: list[str], headers: list[str], cells: dict[str, str]) -> str:
    """Why a row that read as CSV is still not a record, or ''."""
    if len(row) > len(headers):
        return f"{len(row)} cells but {len(headers)} columns (an unquoted separator?)"
    if not cells.get("title") and not cells.get("doi"):
        return "neither a title nor a DOI"
    return ""


def _rows(reader: Iterator[list[str]], lines: list[str], dialect: type[csv.Dialect]
          ) -> Iterator[tuple[int, list[str], str]]:
    """(position, cells, problem) per data row; the problem says why a row is not one: the CSV breaks
    there, or the last row opens a quote that never closes (and so holds every line after it)."""
    end = 1  # the last line read: the header row's
    held: tuple[int, list[str], int, int] | None = None  # the row read last, yielded once the next one reads
    position = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if held:
                yield held[0], held[1], ""
            yield position, [], f"line {end + 1}: not valid CSV ({exc}); the rows from here on were not read"
            return
        if held:
            yield held[0], held[1], ""
        held = (position, row, end + 1, getattr(reader, "line_num", end + 1))
        end = held[3]
        position += 1
    if held:
        number, row, first, last = held
        problem = ""
        if last > first and _unclosed_quote("\n".join(lines[first - 1:last]), dialect):
            problem = f"a quote opened on line {first} is never closed: lines {first}-{last} would be read as one row"
        yield number, row, problem


def _unclosed_quote(text: str, dialect: type[csv.Dialect]) -> bool:
    class Strict(dialect):  # type: ignore[misc,valid-type]
        strict = True

    try:
        list(csv.reader(io.StringIO(text, newline=""), Strict))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def iter_csv(source: str | Path, *, mapping: dict[str, str] | None = None,
             errors: list[MalformedRecord] | None = None, label: str = "",
             notes: list[str] | None = None) -> Iterator[Record]:
    for row in iter_csv_rows(source, mapping=mapping, errors=errors, label=label, notes=notes):
        yield row.record


def record_from_cells(cells: dict[str, str]) -> Record:
    get = cells.get
    extra_text = get("extra", "")
    pmid = get("pmid", "") or _first(_PMID_IN_TEXT, extra_text)
    accession = get("accession", "")
    if not pmid and accession.isdigit():
        pmid = accession  # EndNote and Covidence put the PMID in "Accession Number"
    pmcid = get("pmcid", "") or _first(_PMCID_IN_TEXT, extra_text)
    pages = get("pages", "")
    if not pages and get("start_page"):
        pages = get("start_page", "") + (f"-{get('end_page')}" if get("end_page") else "")
    date = get("date", "")
    year = year_of(get("year")) or year_of(date)
    month, day = _month_day(date)
    extra = {}
    if get("record_id"):
        extra["record_id"] = get("record_id", "")
    if get("url"):
        extra["url"] = get("url", "")
    abstract = get("abstract", "")
    ptype = get("publication_type", "")
    return Record(
        pmid=pmid if pmid.isdigit() else "",
        doi=bare_doi(get("doi", "")),
        pmcid=pmcid.upper() if pmcid else "",
        title=" ".join(get("title", "").split()),
        abstract=[AbstractSection(abstract)] if abstract else [],
        authors=split_authors(get("authors", "")),
        journal=Journal(title=get("journal", ""), iso_abbreviation=get("journal_abbrev", ""),
                        issn_print=get("issn", ""), volume=get("volume", ""), issue=get("issue", ""), pages=pages),
        pub_date=PubDate(year=year, month=month if year else None, day=day if year and month else None),
        keywords=split_list(get("keywords", "")),
        mesh=[parse_mesh_text(m) for m in split_list(get("mesh", ""))],
        languages=split_list(get("language", "")),
        publication_types=[PublicationType(p) for p in split_list(ptype)] if ptype else [],
        openalex_id=get("openalex_id", "").rsplit("/", 1)[-1],
        extra=extra,
    )


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group(1) if match else ""


def _month_day(date: str) -> tuple[int | None, int | None]:
    match = re.match(r"^\d{4}[-/](\d{1,2})(?:[-/](\d{1,2}))?", date.strip())
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None, None
    day = int(match.group(2)) if match.group(2) and 1 <= int(match.group(2)) <= 31 else None
    return int(match.group(1)), day


def quote_formula(cell: str) -> str:
    """A cell a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1', '-2', '@SUM') behind a single quote.

    Cells already opening with quotes before such a character get one more, so `unquote_formula` can
    remove exactly one and give back what was written."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unquote_formula(cell: str) -> str:
    """The inverse of `quote_formula`."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def _date(date: PubDate) -> str:
    """'2020', '2020-03' or '2020-03-05': as precise as the record, never a made-up month or day."""
    if date.year is None:
        return ""
    parts = [f"{date.year:04d}"]
    if date.month:
        parts.append(f"{date.month:02d}")
        if date.day:
            parts.append(f"{date.day:02d}")
    return "-".join(parts)


# -- writing ---------------------------------------------------------------------------------------

DEFAULT_COLUMNS = ("title", "authors", "year", "date", "journal", "journal_abbrev", "issn", "volume", "issue", "pages",
                   "doi", "pmid", "pmcid", "abstract", "keywords", "mesh", "language", "publication_type", "url",
                   "openalex_id")


def record_cells(record: Record) -> dict[str, str]:
    """A record as flat cells, in the field names of HEADER_NAMES."""
    return {
        "title": record.title,
        "abstract": record.abstract_text.replace("\n", " "),
        "authors": join_authors(record.authors),
        "year": str(record.year or ""),
        "date": _date(record.pub_date),
        "doi": record.doi,
        "pmid": record.pmid,
        "pmcid": record.pmcid,
        "journal": record.journal.title,
        "journal_abbrev": record.journal.iso_abbreviation,
        "issn": record.journal.issn_print or record.journal.issn_electronic,
        "volume": record.journal.volume,
        "issue": record.journal.issue,
        "pages": record.journal.pages,
        "keywords": join_list(record.keywords),
        "mesh": join_list([mesh_text(m) for m in record.mesh]),
        "language": join_list(record.languages),
        "publication_type": join_list([p.name for p in record.publication_types]),
        "url": record.extra.get("url", ""),
        "openalex_id": record.openalex_id,
        "record_id": record.extra.get("record_id", ""),
    }


def write_csv(records: Iterable[Record], columns: Iterable[str] = DEFAULT_COLUMNS,
              extra: Iterable[dict[str, str]] | None = None) -> str:
    """CSV text with a header row of `columns` (field names); `extra` adds cells per record (e.g. a label)."""
    rows = [record_cells(r) for r in records]
    if extra is not None:
        for row, more in zip(rows, extra, strict=True):
            row.update(more)
    rows = [{name: quote_formula(value) for name, value in row.items()} for row in rows]
    columns = list(columns)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_csv(path, mapping=options.mapping, errors=options.errors, notes=options.notes))


READER = Reader(_read_file)
WRITER = Writer(lambda records, labels: write_csv(records), ending=".csv")

__all__ = ["DEFAULT_COLUMNS", "HEADER_NAMES", "TableRow", "detect_mapping", "iter_csv", "iter_csv_rows",
           "quote_formula", "record_cells", "record_from_cells", "unquote_formula", "write_csv"]
