"""BibTeX read (bibtexparser 2) and write: LaTeX accents decoded, authors split, broken entries reported.

Reference managers put identifiers in fields of their own: `doi`, `pmid`
(JabRef, Zotero's Better BibTeX), `pmcid`, or biblatex's `eprint` with
`eprinttype = {pubmed}`. We read all of these and write `doi`, `pmid` and `pmcid`
(DOIs and URLs verbatim, as biblatex reads them; other text with LaTeX's specials escaped).

A group author is a braced name ('{Movement Disorder Group}'); a person with
no given name and a surname of several words gets an empty one
('{Ben Aouicha}, {}') so the two stay apart. BibTeX has no field for MeSH or
publication types: we write `mesh` ('*Exosomes/metabolism; Skin', * for a
major topic) and `pubtype` ('Journal Article; Review'), which BibTeX styles
ignore; languages go in `language` joined by 'and' (biblatex's list), the day
in biblatex's `date`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import parse_single_name_into_parts as split_name
from bibtexparser.model import Entry

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.fields import mesh_text, parse_mesh_text
from exoreview.formats.names import initials_of, join_list, split_list, year_of
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import EntryError, load_source, report_entry
from exoreview.records import AbstractSection, Author, Journal, PubDate, PublicationType, Record

# The parser logs each block it cannot read; we report the same block as a skipped entry, by number and
# line, so its own warning would only say it twice (in its words, on the user's terminal).
_PARSER_LOG = logging.getLogger("bibtexparser")
_PARSER_LOG.addHandler(logging.NullHandler())
_PARSER_LOG.propagate = False

_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_LATEX_SPECIAL = str.maketrans({"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                                "\\": r"\textbackslash{}"})
_VERBATIM_SPECIAL = str.maketrans({"{": r"\{", "}": r"\}", "\\": r"\textbackslash{}"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def iter_bibtex(source: str | Path, *, errors: list[MalformedRecord] | None = None, label: str = "",
                notes: list[str] | None = None) -> Iterator[Record]:
    """Records of a .bib file (path or text); unparsable entries and entries without a title go to `errors`."""
    decoded, label = load_source(source, "<bibtex>", label=label, notes=notes)
    library = bibtexparser.parse_string(decoded.text, append_middleware=[middlewares.SeparateCoAuthors()])
    blocks = sorted([*library.entries, *library.failed_blocks], key=lambda b: b.start_line)
    for position, block in enumerate(blocks):
        if isinstance(block, Entry):
            entry = block.key
            try:
                record = record_from_entry(block)
            except (ValueError, TypeError) as exc:
                record, problem = None, f"unreadable field (from line {block.start_line + 1}): {exc}"
            else:
                problem = "" if record.title or record.doi else "entry has neither a title nor a DOI"
        else:
            record, entry = None, _raw_name(block.raw)
            why = " ".join(str(getattr(block.error, "abort_reason", "") or type(block.error).__name__).split())
            problem = f"not valid BibTeX (from line {block.start_line + 1}): {why}"
        if problem:
            report_entry(EntryError(label, position, problem, entry), errors)
            continue
        assert record is not None
        yield record


def _raw_name(raw: str) -> str:
    match = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", raw)
    return match.group(1) if match else raw.strip()[:60]


# LaTeX accent commands -> Unicode combining marks; we decode only these and the escaped specials, so
# '--' and '~' in a title stay as written (a full LaTeX decoder turns them into dashes and spaces).
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
            "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł",
            "i": "ı", "oe": "œ", "OE": "Œ"}
_ACCENT_COMMAND = re.compile(r"""\\([\"'`^~=.]|[cvuHkr](?=[\s{]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_LETTER_COMMAND = re.compile(r"\\(ss|o|O|ae|AE|aa|AA|l|L|i|oe|OE)(?![A-Za-z])\s?")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_BACKSLASH = re.compile(r"\\textbackslash(?:\{\}|(?![A-Za-z])\s?)")


def decode_latex(text: str) -> str:
    if "\\" in text:
        text = _BACKSLASH.sub("\x03", text)
        text = _ACCENT_COMMAND.sub(
            lambda m: unicodedata.normalize("NFC", (m.group(2) or m.group(3)).lstrip("\\").replace("i", "i")
                                            + _ACCENTS[m.group(1)]), text)
        text = _LETTER_COMMAND.sub(lambda m: _LETTERS[m.group(1)], text)
        text = _ESCAPED.sub(lambda m: {"{": "\x01", "}": "\x02"}.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "")
    # escaped braces and backslashes survive the brace removal
    return text.replace("\x01", "{").replace("\x02", "}").replace("\x03", "\\")


def _text(value: object) -> str:
    return " ".join(decode_latex(str(value)).split())


def _authors(value: object) -> list[Author]:
    """Authors from the co-author strings of one `author` field; ValueError for a name BibTeX cannot split."""
    authors = []
    for name in value if isinstance(value, list) else [value] if value else []:
        raw = str(name).strip()
        if _is_group(raw):
            authors.append(Author(collective_name=_text(raw)))  # '{Skin Study Group}': a group, kept whole
            continue
        person = split_name(raw)
        last = _text(" ".join(person.von + person.last))
        fore = _text(" ".join(person.first))
        authors.append(Author(last_name=last, fore_name=fore, initials=initials_of(fore)))
    return authors


def _is_group(raw: str) -> bool:
    """One braced name of several words, and nothing else: '{Movement Disorder Group}'."""
    if not (raw.startswith("{") and raw.endswith("}")) or " " not in raw.strip():
        return False
    depth = 0
    for n, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0) if raw[n - 1:n] != "\\" else 0
        if depth == 0 and n < len(raw) - 1:
            return False  # '{Ben} {Aouicha}': the braces close before the end
    return True


def record_from_entry(entry: Entry) -> Record:
    fields = {f.key.lower(): f.value for f in entry.fields}
    get = lambda key: _text(fields.get(key, ""))  # noqa: E731
    pmid = get("pmid") or (get("eprint") if get("eprinttype").lower() == "pubmed" else "")
    pages = get("pages").replace("--", "-").replace("–", "-")
    pub_date = _bibtex_date(get)
    keywords = fields.get("keywords", "")
    abstract = get("abstract")
    pubtypes = split_list(get("pubtype"))
    if not pubtypes and entry.entry_type.lower() == "inproceedings":
        pubtypes = ["Congress"]
    return Record(
        pmid=pmid if pmid.isdigit() else "",
        doi=re.sub(r"^(https?://)?(dx\.)?doi\.org/", "", get("doi"), flags=re.IGNORECASE),
        pmcid=get("pmcid").upper(),
        title=get("title"),
        abstract=[AbstractSection(abstract)] if abstract else [],
        authors=_authors(fields.get("author", [])),
        journal=_bibtex_journal(get, pages),
        pub_date=pub_date,
        keywords=split_list(_text(keywords)) if keywords else [],
        mesh=[parse_mesh_text(m) for m in split_list(get("mesh"))],
        languages=[x.strip() for x in re.split(r"\s+and\s+", get("language")) if x.strip()],
        publication_types=[PublicationType(p) for p in pubtypes],
        kind="book" if entry.entry_type.lower() in {"book", "incollection", "inbook"} else "article",
        extra={"bibtex_key": entry.key, **({"url": get("url")} if get("url") else {})},
    )


def _bibtex_date(get: Callable[[str], str]) -> PubDate:
    """Year from `year` (else biblatex's `date`), month from `month` (else `date`); the day only from a `date`
    whose year and month agree with them."""
    date = _DATE.match(get("date"))
    year = year_of(get("year")) or year_of(get("date"))
    month = _bibtex_month(get("month"), date)
    month = month if year and month and 1 <= month <= 12 else None
    day = int(date.group(3)) if date and date.group(3) and month and int(date.group(1)) == year and (
        int(date.group(2)) == month) else None
    return PubDate(year=year, month=month, day=day if day and 1 <= day <= 31 else None)


def _bibtex_month(text: str, date: re.Match[str] | None) -> int | None:
    """'mar', 'March' or '3' from the `month` field, else the month of biblatex's `date`; not yet range-checked."""
    month_text = text.lower()[:3]
    month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else None)
    if month is None and date and date.group(2):
        month = int(date.group(2))
    return month


def _bibtex_journal(get: Callable[[str], str], pages: str) -> Journal:
    return Journal(title=get("journal") or get("journaltitle") or get("booktitle"),
                   iso_abbreviation=get("shortjournal"), issn_print=get("issn"), volume=get("volume"),
                   issue=get("number") or get("issue"), pages=pages)


# -- writing ---------------------------------------------------------------------------------------

def _latex(text: str) -> str:
    return text.translate(_LATEX_SPECIAL)


def _verbatim(text: str) -> str:
    """A DOI or URL as biblatex reads them, verbatim ('10.1002/(SICI)_x%20'): only braces and backslashes,
    which would break the entry, are escaped."""
    return text.translate(_VERBATIM_SPECIAL)


def _key(record: Record, taken: set[str]) -> str:
    name = (record.authors[0].last_name or record.authors[0].collective_name) if record.authors else ""
    surname = re.sub(r"[^A-Za-z]", "", unicodedata.normalize("NFKD", name))[:20] or "anon"
    word = next((w for w in re.findall(r"[A-Za-z]{4,}", record.title)), "")
    base = f"{surname}{record.year or ''}{word.lower()}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2) if n < 28 else n}"
    taken.add(key)
    return key


def _protect(part: str) -> str:
    """A name part BibTeX would split ('a, b', 'x and y', 'van der Berg') or read as a 'von' part
    ('de', 'ibn') kept whole in braces."""
    text = _latex(part)
    if "," in part or " " in part or part[:1].islower() or not part[:1].isalpha():
        return "{" + text + "}"
    return text


def _name(author: Author) -> str:
    if author.collective_name and not author.last_name:
        return "{" + _latex(author.collective_name) + "}"
    first = author.fore_name or " ".join(f"{c}." for c in author.initials)
    last = _protect(author.last_name)
    if not first:
        return last + ", {}" if last.startswith("{") else last  # '{Ben Aouicha}' alone would read as a group
    return f"{last}, {'{' + _latex(first) + '}' if ',' in first or ' and ' in first else _latex(first)}"


def write_bibtex(records: Iterable[Record]) -> str:
    """A .bib text, one @article (or @book / @inproceedings) per record, fields in a fixed order."""
    taken: set[str] = set()
    out = []
    for record in records:
        kind = "book" if record.kind == "book" else (
            "inproceedings" if any(p.name.startswith("Congress") for p in record.publication_types) else "article")
        fields = [
            ("title", "{" + _latex(record.title) + "}" if record.title else ""),
            ("author", " and ".join(_name(a) for a in record.authors)),
            ("journal" if kind != "inproceedings" else "booktitle", _latex(record.journal.title)),
            ("shortjournal", _latex(record.journal.iso_abbreviation)),
            ("year", str(record.year or "")),
            ("month", str(record.pub_date.month or "") if record.year else ""),
            ("date", f"{record.year:04d}-{record.pub_date.month:02d}-{record.pub_date.day:02d}"
             if record.year and record.pub_date.month and record.pub_date.day else ""),
            ("volume", _latex(record.journal.volume)),
            ("number", _latex(record.journal.issue)),
            ("pages", record.journal.pages.replace("-", "--")),
            ("issn", record.journal.issn_print or record.journal.issn_electronic),
            ("doi", _verbatim(record.doi)),
            ("pmid", record.pmid),
            ("pmcid", record.pmcid),
            ("language", _latex(" and ".join(record.languages))),
            ("keywords", _latex(join_list(record.keywords))),
            ("mesh", _latex(join_list([mesh_text(m) for m in record.mesh]))),
            ("pubtype", _latex(join_list([p.name for p in record.publication_types]))),
            ("url", _verbatim(record.extra.get("url", ""))),
            ("abstract", _latex(record.abstract_text.replace("\n", " "))),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        out.append(f"@{kind}{{{_key(record, taken)},\n{body}\n}}\n")
    return "\n".join(out)


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_bibtex(path, errors=options.errors, notes=options.notes))


READER = Reader(_read_file)
WRITER = Writer(lambda records, labels: write_bibtex(records), ending=".bib")

__all__ = ["iter_bibtex", "record_from_entry", "write_bibtex"]
