"""PubMed XML: a streaming reader and a writer for ``PubmedArticleSet`` documents.

The reader handles the current PubMed DTD (``PubmedArticle``, ``PubmedBookArticle``,
``DeleteCitation``) and the older MEDLINE baseline layout where bare
``MedlineCitation`` elements sit directly in a ``MedlineCitationSet``.

Speed matters here (baseline files hold 30,000 records each), so records are
converted by walking each element's children once with plain tag comparisons:
no XPath, no per-record tree searches, and every finished element is cleared.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

try:  # ISA-L inflates gzip about twice as fast as zlib; zlib is the fallback
    from isal import isal_zlib as _inflate_lib
except ImportError:  # pragma: no cover - isal is a declared dependency
    _inflate_lib = zlib  # type: ignore[no-redef]

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed_chunks import (
    BLANKS_DROPPED,
    Slice,
    iter_slices,
    read_prolog,
    usable_prolog,
    xml_offset,
)
from exoreview.formats.registry import Reader, ReadOptions
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

__all__ = [
    "collapse_whitespace",
    "elocation_id_type",
    "iter_pubmed_xml",
    "join_grant",
    "month_number",
    "normalize_orcid",
    "parse_medline_date",
    "split_grant",
    "write_pubmed_xml",
]

log = logging.getLogger(__name__)

PubmedXmlSource = str | os.PathLike[str] | bytes | IO[bytes]

_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation", "MedlineCitation")
_ARTICLE_SET_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_RAW_READ = 256 * 1024
_LXML_POSITION = re.compile(r"(,? line \d+)+(, column \d+)?$")
_GZIP_MAGIC = b"\x1f\x8b"
_READ_FAILURES = (etree.XMLSyntaxError, EOFError, OSError, zlib.error, _inflate_lib.error)

# "Cites" links are reference lists (moved to PubmedData/ReferenceList in the
# current DTD), not comments or corrections; they would dwarf the real links.
_SKIPPED_REF_TYPES = frozenset({"Cites"})


# --------------------------------------------------------------------------- shared helpers
# (medline.py imports these so both formats normalize values identically)

_ASCII_WS = " \t\n\r"
_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_MATHML_ROOT = _MATHML_NS + "math"
# Only runs that change: two or more whitespace characters, or one that is not a space.
_WS_RUN = re.compile(r"[ \t\n\r]{2,}|[\t\n\r]")

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
MONTH_ABBREVIATIONS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])")


def collapse_whitespace(text: str) -> str:
    """Runs of ASCII whitespace to one space, trimmed; other Unicode spaces are content."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip(_ASCII_WS)


def month_number(text: str) -> int | None:
    """'11', '07', 'Nov' or 'November' -> month number; anything else -> None."""
    text = text.strip()
    if text.isdigit():
        month = int(text)
        return month if 1 <= month <= 12 else None
    return MONTHS.get(text[:3].lower())


def parse_medline_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a free-text date: '2003 Nov-Dec' -> (2003, 11), '1947-1948' -> (1947, None)."""
    year_match = _YEAR.search(text)
    if year_match is None:
        return None, None
    month_match = _MONTH_NAME.search(text, year_match.end())
    month = MONTHS[month_match.group(1).lower()] if month_match else None
    return int(year_match.group(1)), month


def normalize_orcid(value: str) -> str:
    """'https://orcid.org/0000-0002-1825-0097' -> '0000-0002-1825-0097'; unrecognized values kept."""
    match = _ORCID.search(value)
    if match is None:
        return value.strip()
    return "-".join(match.groups()).upper()


def join_grant(grant_id: str, agency: str) -> str:
    """The Record form of a grant: 'ID / Agency', or whichever part exists."""
    if grant_id and agency:
        return f"{grant_id} / {agency}"
    return grant_id or agency


def split_grant(grant: str) -> tuple[str, str]:
    """Inverse of join_grant; a grant without ' / ' is taken as an ID."""
    if " / " in grant:
        grant_id, agency = grant.rsplit(" / ", 1)
        return grant_id, agency
    return grant, ""


def elocation_id_type(value: str, record: Record) -> str:
    """Choose 'doi' or 'pii' for an untyped ELocationID so that reading it back
    does not invent a DOI or PII the record did not have."""
    if record.doi and record.pii:
        return "doi" if value.startswith("10.") else "pii"
    if record.doi:
        return "doi"
    if record.pii:
        return "pii"
    return "doi" if value.startswith("10.") else "pii"


# --------------------------------------------------------------------------- reading


def iter_pubmed_xml(source: PubmedXmlSource, *, errors: list[MalformedRecord] | None = None) -> Iterator[Record]:
    """Stream Records from PubMed XML: a path, bytes, or a binary file; gzip is detected by content.

    (A str that starts with '<' is taken as the XML text itself rather than a path.)

    A record that cannot be converted (no PMID, a PMID that is not a number, a
    MeSH heading without a descriptor...) is appended to ``errors`` as a
    MalformedRecord naming its position and PMID, and skipped; without an
    ``errors`` list it is logged as a warning. If the XML itself breaks off
    (truncated download, broken markup), every record completed before the
    fault is yielded and then MalformedRecord is raised, saying after which
    record the document broke, and where (byte offset, or line and column).

    Current-DTD files are parsed in slices of about 128 KB (see pubmed_chunks),
    other layouts with iterparse; memory stays bounded either way.
    """
    with contextlib.ExitStack() as stack:
        stream, label = _open_source(source, stack)
        yield from _read(stream, label, _ReadState(label, errors))


class _ReadState:
    """Where the reader is: for error messages that say where a fault is."""

    __slots__ = ("errors", "label", "last_pmid", "piece", "position")

    def __init__(self, label: str, errors: list[MalformedRecord] | None) -> None:
        self.label = label
        self.errors = errors
        self.position = 0  # records seen, good or bad: the index of the next one
        self.last_pmid: str | None = None
        self.piece: Slice | None = None  # the slice being converted, on the fast path

    def with_blanks(self, elem: Any, convert: Callable[[Any], Record]) -> Record:
        """Convert ``elem`` again from its own bytes, parsed keeping blank text (rare: see _BlanksLost)."""
        assert self.piece is not None
        data, tag = self.piece.wrapped, elem.tag
        index = sum(1 for _ in elem.itersiblings(tag, preceding=True))
        parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
        start_tag, end_tag = f"<{tag}>".encode(), f"</{tag}>".encode()
        at = -1
        for _ in range(index + 1):
            at = data.find(start_tag, at + 1)
            if at < 0:
                break
        end = data.find(end_tag, at) if at >= 0 else -1
        if end >= 0:
            again = etree.fromstring(data[at : end + len(end_tag)], parser)
            if _peek_pmid(again) == _peek_pmid(elem):
                return convert(again)
        # The start tag had attributes, or text fooled the search: the whole slice, then.
        same = [child for child in etree.fromstring(data, parser) if child.tag == tag]
        return convert(same[index])

    def report(self, elem: Any, exc: Exception) -> None:
        error = MalformedRecord(self.label, self.position, str(exc) or type(exc).__name__, _peek_pmid(elem))
        if self.errors is None:
            log.warning("skipping %s", error)
        else:
            self.errors.append(error)

    def broken(self, exc: BaseException, where: str = "", cause: BaseException | None = None) -> MalformedRecord:
        """The error for a document that stops being readable: where, and after which record."""
        after = f"after PMID {self.last_pmid}" if self.last_pmid else "before any complete record"
        if cause is not None:
            reason = f"input broke off{where} ({after}): {type(cause).__name__}: {cause}"
        elif isinstance(exc, etree.XMLSyntaxError):
            # lxml appends its own "line, column"; on the sliced path those count from the slice.
            reason = f"XML not well-formed{where} ({after}): {_LXML_POSITION.sub('', exc.msg)}"
        else:
            reason = f"input broke off ({after}): {type(exc).__name__}: {exc}"
        return MalformedRecord(self.label, self.position, reason)


class _SliceBroken(Exception):
    def __init__(self, piece: Slice) -> None:
        super().__init__("slice did not parse")
        self.piece = piece


def _read(stream: Any, label: str, state: _ReadState) -> Iterator[Record]:
    head, root_tag, rest, failure = read_prolog(stream)
    if failure is None and usable_prolog(head, root_tag):
        try:
            slices = iter_slices(stream, root_tag, rest, len(head) - len(rest))
            yield from _records(_slice_elements(slices, state), state)
        except _SliceBroken as broken:
            # From the failed slice on, the general path reads the rest: a valid document
            # (a cut that fell in a comment) still reads in full; a broken one keeps what precedes the fault.
            piece = broken.piece
            cause = None if isinstance(piece.error, etree.XMLSyntaxError) else piece.error
            rest_of_stream = _Prepended(piece.remainder, _Failing(cause) if cause is not None else stream)
            try:
                yield from _records(_iterparse_elements(rest_of_stream, _ARTICLE_SET_TAGS), state)
            except _READ_FAILURES as exc:
                where = ""
                if isinstance(exc, etree.XMLSyntaxError):
                    offset = xml_offset(piece, root_tag, exc)
                    where = f" near byte {offset} of the XML" if offset is not None else ""
                raise state.broken(exc, where, None if exc is cause else cause) from exc
        return
    # Older layouts (MedlineCitationSet), other encodings, internal DTD subsets: iterparse.
    source: Any = _Prepended(head, _Failing(failure) if failure is not None else stream)
    try:
        yield from _records(_iterparse_elements(source, _RECORD_TAGS), state)
    except _READ_FAILURES as exc:
        where = ""
        if isinstance(exc, etree.XMLSyntaxError) and exc.position[0]:
            where = f" at line {exc.position[0]}, column {exc.position[1]}"
        raise state.broken(exc, where) from exc


class _Failing:
    """A stream whose next read raises the failure already met while reading the prolog."""

    def __init__(self, failure: BaseException) -> None:
        self._failure = failure

    def read(self, size: int = -1) -> bytes:
        raise self._failure


def _slice_elements(slices: Iterator[Slice], state: _ReadState) -> Iterator[Any]:
    for piece in slices:
        if piece.root is None:
            raise _SliceBroken(piece)
        state.piece = piece
        yield from piece.root
        piece.root = None  # the whole slice's tree is freed here, in one go


def _iterparse_elements(stream: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    context = etree.iterparse(
        stream, events=("end",), tag=tags, resolve_entities=False, huge_tree=True, recover=False, no_network=True
    )
    for _event, elem in context:
        if elem.tag == "MedlineCitation" and _is_nested(elem):
            continue  # the citation inside a PubmedArticle: handled with its parent
        yield elem
        # Free the finished record and everything before it: memory stays flat.
        elem.clear()
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]


def _records(elements: Iterator[Any], state: _ReadState) -> Iterator[Record]:
    """Records of record elements (PubmedArticle, PubmedBookArticle, DeleteCitation, MedlineCitation)."""
    for elem in elements:
        tag = elem.tag
        if tag == "PubmedArticle":  # the hot path, inlined
            try:
                try:
                    record = _article_record(elem)
                except _BlanksLost:
                    record = state.with_blanks(elem, _article_record)
            except Exception as exc:
                state.report(elem, exc)
            else:
                state.last_pmid = record.pmid
                state.position += 1
                yield record
                continue
            state.position += 1
        elif tag == "DeleteCitation":
            for record in _deleted_records(elem):
                state.last_pmid = record.pmid
                state.position += 1
                yield record
        elif tag in _OTHER_RECORD_KINDS:
            convert = _OTHER_RECORD_KINDS[tag]
            try:
                try:
                    record = convert(elem)
                except _BlanksLost:
                    record = state.with_blanks(elem, convert)
            except Exception as exc:
                state.report(elem, exc)
                state.position += 1
            else:
                state.last_pmid = record.pmid
                state.position += 1
                yield record


def _is_nested(elem: Any) -> bool:
    parent = elem.getparent()
    return parent is not None and parent.tag != "MedlineCitationSet"


def _peek_pmid(elem: Any) -> str | None:
    """Best-effort PMID for an error message (only runs on the failure path)."""
    for path in ("MedlineCitation/PMID", "BookDocument/PMID", "PMID"):
        found = elem.find(path)
        if found is not None and found.text and found.text.strip():
            return found.text.strip()
    return None


def _open_source(source: PubmedXmlSource, stack: contextlib.ExitStack) -> tuple[Any, str]:
    # In-memory sources get a BufferedReader so that _maybe_gunzip can peek().
    if isinstance(source, bytes | bytearray | memoryview):
        return _maybe_gunzip(io.BufferedReader(io.BytesIO(bytes(source))), stack), "<bytes>"
    if isinstance(source, str) and source.lstrip()[:1] == "<":
        return io.BufferedReader(io.BytesIO(source.encode("utf-8"))), "<string>"
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        return _maybe_gunzip(stack.enter_context(open(path, "rb")), stack), path
    return _maybe_gunzip(source, stack), str(getattr(source, "name", "<stream>"))


def _maybe_gunzip(stream: Any, stack: contextlib.ExitStack) -> Any:
    if hasattr(stream, "peek"):
        head = stream.peek(2)[:2]
    else:
        head = stream.read(2)
        stream = _Prepended(head, stream)
    if head == _GZIP_MAGIC:
        return _Gunzip(stream)
    return stream


class _Gunzip:
    """Read-only gzip stream: ISA-L (or zlib) in large steps, checking each member's CRC and length.

    GzipFile reads 8 KB at a time through two Python layers, with zlib and a
    separate CRC pass; on a baseline file that is a sixth of the parse time, and
    this takes about half of it. Failures: EOFError for a truncated file,
    zlib.error or isal's error for a corrupt one.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._inflate = _inflate_lib.decompressobj(wbits=31)  # 31: gzip framing, CRC32 and ISIZE checked
        self._input = b""
        self._in_member = False
        self._done = False

    def read(self, size: int = -1) -> bytes:
        limit = size if size and size > 0 else 0  # zlib's "no limit" is 0
        while True:
            if not self._input:
                if self._done:
                    return b""
                self._input = self._raw.read(_RAW_READ)
                if not self._input:
                    self._done = True
                    if self._in_member:
                        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                    return b""
            if not self._in_member:  # a new member; gzip allows zero padding between members
                self._input = self._input.lstrip(b"\x00")
                if not self._input:
                    continue
                if self._inflate.eof:
                    self._inflate = _inflate_lib.decompressobj(wbits=31)
                self._in_member = True
            out = self._inflate.decompress(self._input, limit)
            if self._inflate.eof:
                self._input = self._inflate.unused_data
                self._in_member = False
            else:
                self._input = self._inflate.unconsumed_tail
            if out:
                return out


class _Prepended:
    """A read()-able stream that first returns bytes already consumed while sniffing."""

    def __init__(self, head: bytes, stream: Any) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        head, self._head = self._head, b""
        if size < 0:
            return head + self._stream.read()
        return head + self._stream.read(max(size - len(head), 0))

    def peek(self, size: int = 1) -> bytes:
        if len(self._head) < size:
            more = self._stream.read(size - len(self._head))
            self._head += more or b""
        return self._head


# ----- element helpers
# These run hundreds of thousands of times per file: each avoids a call or a regex
# in the common case (no markup, no whitespace runs).


def _flat(el: Any) -> str:
    """Text of a mixed-content element with inline markup (<i>, <sup>, MathML...) flattened away."""
    if len(el):
        return _flat_mixed(el)
    text = el.text
    if not text:
        return ""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip(_ASCII_WS)


def _flat_mixed(el: Any) -> str:
    if el.getroottree().getroot().get(BLANKS_DROPPED) is not None and _blanks_may_be_lost(el):
        raise _BlanksLost
    if next(el.iter(_MATHML_ROOT), None) is None:
        text = "".join(el.itertext())
    else:
        parts: list[str] = []
        _math_aware_text(el, parts, in_math=False)
        text = "".join(parts)
    return collapse_whitespace(text) if text else ""


class _BlanksLost(Exception):
    """Mixed content from a parse without blank text, where a space between words may have gone."""


def _blanks_may_be_lost(el: Any) -> bool:
    """Whether whitespace-only text that a blank-dropping parse removes could have mattered here.

    libxml2 drops such text unless its parent's first child, or the node before
    it, is text. Inside ``el`` that loses nothing when it sits at the very start
    or end (flattened text is trimmed), but between two elements, or at the edge
    of a nested element, it may have been the space between two words.
    """
    for node in el.iter():
        if not len(node):
            continue
        nested = node is not el
        if nested and not node.text:
            return True
        children = list(node)
        if any(not child.tail for child in children[:-1]):
            return True
        if nested and not children[-1].tail:
            return True
    return False


def _math_aware_text(el: Any, parts: list[str], in_math: bool) -> None:
    """itertext(), minus the indentation between MathML tokens, so that a pretty-printed
    formula reads 'VO2max' rather than 'V O 2 m a x'."""
    text = el.text
    if text and not (in_math and text.isspace()):
        parts.append(text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            _math_aware_text(child, parts, in_math or tag.startswith(_MATHML_NS))
        tail = child.tail
        if tail and not (in_math and tail.isspace()):
            parts.append(tail)


def _leaf(el: Any) -> str:
    """Text of an element the DTD declares as plain #PCDATA (no markup inside)."""
    text = el.text
    if not text:
        return ""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip(_ASCII_WS)


def _to_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() else None


def _version(el: Any) -> int:
    version = el.get("Version")
    if version is None or version == "1":
        return 1
    return _to_int(version) or 1


class _Draft:
    """A Record under construction plus the facts that are only settled at the end."""

    __slots__ = ("article_affiliations", "article_date", "eloc_doi", "eloc_pii", "medline_ta", "other_pmc", "rec")

    def __init__(self, kind: str = "article") -> None:
        self.rec = Record(kind=kind)
        self.eloc_doi = ""
        self.eloc_pii = ""
        self.other_pmc = ""
        self.medline_ta = ""
        self.article_affiliations: list[str] | None = None
        self.article_date: PubDate | None = None

    def finish(self) -> Record:
        rec = self.rec
        if not rec.pmid:
            raise ValueError("missing PMID")
        if not rec.doi:
            rec.doi = self.eloc_doi
        if not rec.pii:
            rec.pii = self.eloc_pii
        if not rec.pmcid:
            rec.pmcid = self.other_pmc
        rec.free_full_text = True if rec.pmcid else None  # no PMC ID: free elsewhere or not, unknown
        if not rec.journal.iso_abbreviation:
            rec.journal.iso_abbreviation = self.medline_ta
        if rec.pub_date.year is None and self.article_date is not None and self.article_date.year:
            fallback = self.article_date
            rec.pub_date.year, rec.pub_date.month, rec.pub_date.day = fallback.year, fallback.month, fallback.day
        if self.article_affiliations and rec.authors:
            # Pre-2014 citations carry one affiliation for the article: the first author's.
            rec.authors[0].affiliations.extend(self.article_affiliations)
        return rec


# ----- record kinds


def _article_record(elem: Any) -> Record:
    draft = _Draft()
    for part in elem:
        tag = part.tag
        if tag == "MedlineCitation":
            _medline_citation(part, draft)
        elif tag == "PubmedData":
            for child in part:
                if child.tag == "ArticleIdList":
                    _article_id_list(child, draft)
    return draft.finish()


def _citation_record(elem: Any) -> Record:
    draft = _Draft()
    _medline_citation(elem, draft)
    return draft.finish()


def _deleted_records(elem: Any) -> Iterator[Record]:
    for child in elem:
        if child.tag == "PMID":
            yield Record(pmid=_leaf(child), pmid_version=_version(child), kind="deleted")


def _book_record(elem: Any) -> Record:
    draft = _Draft(kind="book")
    for child in elem:
        tag = child.tag
        if tag == "BookDocument":
            _book_document(child, draft)
        elif tag == "PubmedBookData":
            _pubmed_data(child, draft)
    return draft.finish()


# ----- MedlineCitation and Article
# The frequent children are tested inline, most frequent first; the rest go
# through the handler tables at the end of this section.


def _medline_citation(mc: Any, draft: _Draft) -> None:
    rec = draft.rec
    rec.status = mc.get("Status") or ""
    for child in mc:
        tag = child.tag
        if tag == "Article":
            _article(child, draft)
        elif tag == "PMID":
            _pmid(child, draft)
        elif tag == "MedlineJournalInfo":
            _medline_journal_info(child, draft)
        elif tag == "MeshHeadingList":
            _mesh_heading_list(child, draft)
        else:
            handler = _CITATION_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)


def _article(article: Any, draft: _Draft) -> None:
    rec = draft.rec
    for child in article:
        tag = child.tag
        if tag == "AuthorList":
            _author_list(child, draft)
        elif tag == "Abstract":
            rec.abstract = _abstract_sections(child)
        elif tag == "ArticleTitle":
            rec.title = _flat(child)
        elif tag == "Journal":
            _journal(child, draft)
        elif tag == "Language":
            rec.languages.append(_leaf(child))
        elif tag == "PublicationTypeList":
            append = rec.publication_types.append
            for pub_type in child:
                if pub_type.tag == "PublicationType":
                    append(PublicationType(_leaf(pub_type), pub_type.get("UI") or ""))
        else:
            handler = _ARTICLE_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)


def _pmid(el: Any, draft: _Draft) -> None:
    pmid = _leaf(el)
    if pmid and not (pmid.isdigit() and pmid.isascii()):
        raise ValueError(f"PMID {pmid!r} is not a number")
    draft.rec.pmid = pmid
    draft.rec.pmid_version = _version(el)


def _article_title(el: Any, draft: _Draft) -> None:
    draft.rec.title = _flat(el)


def _vernacular_title(el: Any, draft: _Draft) -> None:
    draft.rec.vernacular_title = _flat(el)


def _abstract(el: Any, draft: _Draft) -> None:
    draft.rec.abstract = _abstract_sections(el)


def _other_abstract(el: Any, draft: _Draft) -> None:
    draft.rec.other_abstracts.extend(_abstract_sections(el))


def _abstract_sections(el: Any) -> list[AbstractSection]:
    sections = []
    for child in el:
        if child.tag == "AbstractText":
            get = child.get
            sections.append(AbstractSection(_flat(child), get("Label") or "", get("NlmCategory") or ""))
    return sections


def _author_list(el: Any, draft: _Draft) -> None:
    if el.get("Type") != "editors":
        _read_authors(el, draft.rec.authors.append)


def _read_authors(el: Any, append: Callable[[Author], None]) -> None:
    """Authors, one inlined loop per list: this is the reader's hottest code."""
    for author in el:
        if author.tag != "Author":
            continue
        last = fore = initials = collective = orcid = ""
        affiliations: list[str] = []
        for child in author:
            tag = child.tag
            # Names are only trimmed, not whitespace-collapsed.
            if tag == "LastName":
                text = child.text
                if text:
                    last = text.strip()
            elif tag == "ForeName":
                text = child.text
                if text:
                    fore = text.strip()
            elif tag == "Initials":
                text = child.text
                if text:
                    initials = text.strip()
            elif tag == "AffiliationInfo":
                for info in child:
                    if info.tag == "Affiliation":
                        affiliations.append(_flat(info))
            elif tag == "Identifier":
                if child.get("Source") == "ORCID":
                    orcid = normalize_orcid(_leaf(child))
            elif tag == "CollectiveName":
                collective = _flat(child)
            elif tag == "Affiliation":  # pre-2015 DTD: no AffiliationInfo wrapper
                affiliations.append(_flat(child))
        append(Author(last, fore, initials, collective, affiliations, orcid))


def _article_affiliation(el: Any, draft: _Draft) -> None:
    if draft.article_affiliations is None:
        draft.article_affiliations = []
    draft.article_affiliations.append(_flat(el))


def _journal(el: Any, draft: _Draft) -> None:
    rec = draft.rec
    journal = rec.journal
    for child in el:
        tag = child.tag
        if tag == "JournalIssue":
            for part in child:
                part_tag = part.tag
                if part_tag == "PubDate":
                    rec.pub_date = _pub_date(part)
                elif part_tag == "Volume":
                    journal.volume = _leaf(part)
                elif part_tag == "Issue":
                    journal.issue = _leaf(part)
        elif tag == "ISSN":
            if child.get("IssnType") == "Electronic":
                journal.issn_electronic = _leaf(child)
            else:
                journal.issn_print = _leaf(child)
        elif tag == "Title":
            journal.title = _leaf(child)
        elif tag == "ISOAbbreviation":
            journal.iso_abbreviation = _leaf(child)


def _pub_date(el: Any) -> PubDate:
    date = PubDate()
    for child in el:
        tag = child.tag
        text = child.text
        if not text:
            continue
        if tag == "Year":
            date.year = _to_int(text)
        elif tag == "Month":
            date.month = month_number(text)
        elif tag == "Day":
            date.day = _to_int(text) or None
        elif tag == "MedlineDate":
            date.medline_date = _leaf(child)
            date.year, date.month = parse_medline_date(date.medline_date)
    if date.year is None and not date.medline_date:
        date.month = date.day = None  # a month without a year dates nothing
    return date


def _article_date(el: Any, draft: _Draft) -> None:
    if draft.article_date is None:
        draft.article_date = _pub_date(el)


def _pagination(el: Any, draft: _Draft) -> None:
    start = end = ""
    for child in el:
        tag = child.tag
        if tag == "MedlinePgn":
            draft.rec.journal.pages = _leaf(child)
            return
        if tag == "StartPage":
            start = _leaf(child)
        elif tag == "EndPage":
            end = _leaf(child)
    draft.rec.journal.pages = f"{start}-{end}" if start and end else start or end


def _elocation_id(el: Any, draft: _Draft) -> None:
    value = _leaf(el)
    if not value:
        return
    draft.rec.elocation_ids.append(value)
    kind = el.get("EIdType")
    if kind == "doi":
        draft.eloc_doi = draft.eloc_doi or value
    elif kind == "pii":
        draft.eloc_pii = draft.eloc_pii or value


def _language(el: Any, draft: _Draft) -> None:
    draft.rec.languages.append(_leaf(el))


def _grant_list(el: Any, draft: _Draft) -> None:
    for grant in el:
        if grant.tag != "Grant":
            continue
        grant_id = agency = ""
        for child in grant:
            if child.tag == "GrantID":
                grant_id = _leaf(child)
            elif child.tag == "Agency":
                agency = _leaf(child)
        draft.rec.grants.append(join_grant(grant_id, agency))


def _publication_type(el: Any, draft: _Draft) -> None:
    draft.rec.publication_types.append(PublicationType(name=_leaf(el), ui=el.get("UI") or ""))


def _medline_journal_info(el: Any, draft: _Draft) -> None:
    journal = draft.rec.journal
    for child in el:
        tag = child.tag
        if tag == "MedlineTA":
            draft.medline_ta = _leaf(child)
        elif tag == "NlmUniqueID":
            journal.nlm_unique_id = _leaf(child)
        elif tag == "ISSNLinking":
            journal.issn_linking = _leaf(child)


def _chemical_list(el: Any, draft: _Draft) -> None:
    append = draft.rec.chemicals.append
    for chemical in el:
        for child in chemical:
            if child.tag == "NameOfSubstance":
                append(_leaf(child))


def _mesh_heading_list(el: Any, draft: _Draft) -> None:
    append = draft.rec.mesh.append
    for heading in el:
        if heading.tag != "MeshHeading":
            continue
        descriptor: MeshHeading | None = None
        qualifiers: list[MeshQualifier] = []
        for child in heading:
            tag = child.tag
            text = child.text  # controlled vocabulary: trimming is enough
            name = text.strip() if text else ""
            if tag == "QualifierName":
                qualifiers.append(MeshQualifier(name, child.get("UI") or "", child.get("MajorTopicYN") == "Y"))
            elif tag == "DescriptorName":
                descriptor = MeshHeading(name, child.get("UI") or "", child.get("MajorTopicYN") == "Y", qualifiers)
        if descriptor is None or not descriptor.descriptor:
            raise ValueError(f"MeshHeading {len(draft.rec.mesh) + 1} has no DescriptorName")
        append(descriptor)


def _keyword_list(el: Any, draft: _Draft) -> None:
    draft.rec.keywords.extend(_flat(child) for child in el if child.tag == "Keyword")


def _comments_corrections_list(el: Any, draft: _Draft) -> None:
    for link in el:
        ref_type = link.get("RefType")
        if ref_type is None or ref_type in _SKIPPED_REF_TYPES:
            continue
        correction = Correction(ref_type=ref_type)
        for child in link:
            if child.tag == "RefSource":
                correction.source = _leaf(child)
            elif child.tag == "PMID":
                correction.pmid = _leaf(child)
        draft.rec.corrections.append(correction)


def _other_id(el: Any, draft: _Draft) -> None:
    # Old baseline files give the PMC id only here, e.g. "PMC4688250 [Available on 12/22/16]".
    value = _leaf(el)
    if value.startswith("PMC") and not draft.other_pmc:
        draft.other_pmc = value.split()[0]


def _pubmed_data(el: Any, draft: _Draft) -> None:
    for child in el:
        if child.tag == "ArticleIdList":
            _article_id_list(child, draft)


def _article_id_list(el: Any, draft: _Draft) -> None:
    rec = draft.rec
    for child in el:
        kind = child.get("IdType")
        if kind == "doi":
            rec.doi = rec.doi or _leaf(child)
        elif kind == "pmc":
            rec.pmcid = rec.pmcid or _leaf(child)
        elif kind == "pii":
            rec.pii = rec.pii or _leaf(child)


# ----- books


def _book_document(doc: Any, draft: _Draft) -> None:
    book_title = ""
    book_authors: list[Author] = []
    for child in doc:
        tag = child.tag
        if tag == "Book":
            book_title, book_authors = _book(child, draft)
        elif tag == "PublicationType":
            _publication_type(child, draft)
        else:
            handler = _BOOK_HANDLERS.get(tag)
            if handler is not None:
                handler(child, draft)
    rec = draft.rec
    if rec.title:
        rec.journal.title = book_title  # a chapter: the book plays the journal's part
    else:
        rec.title = book_title
    if not rec.authors:
        rec.authors = book_authors


def _book(el: Any, draft: _Draft) -> tuple[str, list[Author]]:
    title = ""
    authors: list[Author] = []
    for child in el:
        tag = child.tag
        if tag == "BookTitle":
            title = _flat(child)
        elif tag == "PubDate":
            draft.rec.pub_date = _pub_date(child)
        elif tag == "Volume":
            draft.rec.journal.volume = _leaf(child)
        elif tag == "ELocationID":
            _elocation_id(child, draft)
        elif tag == "AuthorList" and child.get("Type") != "editors":
            _read_authors(child, authors.append)
    return title, authors


_Handler = Callable[[Any, _Draft], None]

_OTHER_RECORD_KINDS: dict[str, Callable[[Any], Record]] = {
    "PubmedBookArticle": _book_record,
    "MedlineCitation": _citation_record,
}

_CITATION_HANDLERS: dict[str, _Handler] = {
    "ChemicalList": _chemical_list,
    "KeywordList": _keyword_list,
    "CommentsCorrectionsList": _comments_corrections_list,
    "OtherAbstract": _other_abstract,
    "OtherID": _other_id,
}

_ARTICLE_HANDLERS: dict[str, _Handler] = {
    "VernacularTitle": _vernacular_title,
    "Pagination": _pagination,
    "ELocationID": _elocation_id,
    "Affiliation": _article_affiliation,
    "GrantList": _grant_list,
    "ArticleDate": _article_date,
}

_BOOK_HANDLERS: dict[str, _Handler] = {
    "PMID": _pmid,
    "ArticleIdList": _article_id_list,
    "ArticleTitle": _article_title,
    "VernacularTitle": _vernacular_title,
    "Pagination": _pagination,
    "Language": _language,
    "AuthorList": _author_list,
    "Abstract": _abstract,
    "GrantList": _grant_list,
    "KeywordList": _keyword_list,
}


# --------------------------------------------------------------------------- writing

_XML_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    if _XML_INVALID.search(text):
        text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    # Parsers turn raw newlines and tabs in attributes into spaces; character references survive.
    return _esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def write_pubmed_xml(records: Iterable[Record]) -> bytes:
    """A PubmedArticleSet document (current DTD layout) holding ``records``.

    Deleted records go into one trailing DeleteCitation. Everything
    iter_pubmed_xml reads is written, so reading the output back gives equal
    Records. Where a Record holds more than the DTD allows (both a print and
    an electronic ISSN) the extra element is written anyway rather than lost.
    """
    out: list[str] = [_XML_HEADER]
    deleted: list[Record] = []
    for rec in records:
        if rec.kind == "deleted":
            deleted.append(rec)
        elif rec.kind == "book":
            _write_book(rec, out)
        else:
            _write_article(rec, out)
    if deleted:
        out.append("<DeleteCitation>")
        out.extend(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>' for rec in deleted)
        out.append("</DeleteCitation>\n")
    out.append("</PubmedArticleSet>\n")
    return "".join(out).encode("utf-8")


def _write_article(rec: Record, out: list[str]) -> None:
    add = out.append
    status = f' Status="{_attr(rec.status)}"' if rec.status else ""
    add(f'<PubmedArticle><MedlineCitation{status} Owner="NLM">')
    add(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>')
    add('<Article PubModel="Print">')
    _write_journal(rec, add)
    add(f"<ArticleTitle>{_esc(rec.title)}</ArticleTitle>")
    _write_pagination(rec, add)
    _write_elocation_ids(rec, add)
    _write_abstract("Abstract", "", rec.abstract, add)
    _write_authors(rec.authors, add)
    for language in rec.languages:
        add(f"<Language>{_esc(language)}</Language>")
    _write_grants(rec.grants, add)
    if rec.publication_types:
        add("<PublicationTypeList>")
        _write_publication_types(rec, add)
        add("</PublicationTypeList>")
    if rec.vernacular_title:
        add(f"<VernacularTitle>{_esc(rec.vernacular_title)}</VernacularTitle>")
    _write_article_date(rec.pub_date, add)
    add("</Article>")
    _write_journal_info(rec, add)
    _write_citation_lists(rec, add)
    add("</MedlineCitation>")
    _write_pubmed_data("PubmedData", rec, add)
    add("</PubmedArticle>\n")


def _write_journal(rec: Record, add: Callable[[str], None]) -> None:
    journal = rec.journal
    add("<Journal>")
    if journal.issn_print:
        add(f'<ISSN IssnType="Print">{_esc(journal.issn_print)}</ISSN>')
    if journal.issn_electronic:
        add(f'<ISSN IssnType="Electronic">{_esc(journal.issn_electronic)}</ISSN>')
    medium = "Internet" if journal.issn_electronic and not journal.issn_print else "Print"
    add(f'<JournalIssue CitedMedium="{medium}">')
    if journal.volume:
        add(f"<Volume>{_esc(journal.volume)}</Volume>")
    if journal.issue:
        add(f"<Issue>{_esc(journal.issue)}</Issue>")
    _write_date("PubDate", rec.pub_date, add)
    add("</JournalIssue>")
    if journal.title:
        add(f"<Title>{_esc(journal.title)}</Title>")
    if journal.iso_abbreviation:
        add(f"<ISOAbbreviation>{_esc(journal.iso_abbreviation)}</ISOAbbreviation>")
    add("</Journal>")


def _write_date(tag: str, date: PubDate, add: Callable[[str], None], attrs: str = "") -> None:
    parts = [f"<{tag}{attrs}>"]
    if date.medline_date:
        parts.append(f"<MedlineDate>{_esc(date.medline_date)}</MedlineDate>")
    elif date.year is not None:
        parts.append(f"<Year>{date.year:04d}</Year>")
        if date.month:
            parts.append(f"<Month>{MONTH_ABBREVIATIONS[date.month]}</Month>")
            if date.day:
                parts.append(f"<Day>{date.day:02d}</Day>")
    parts.append(f"</{tag}>")
    add("".join(parts))


def _write_article_date(date: PubDate, add: Callable[[str], None]) -> None:
    """An ArticleDate only for a free-text PubDate without a year, whose year the
    reader takes from ArticleDate; any other PubDate reads back as written."""
    if date.medline_date and date.year is not None and parse_medline_date(date.medline_date)[0] is None:
        _write_date("ArticleDate", PubDate(date.year, date.month, date.day), add, ' DateType="Electronic"')


def _write_pagination(rec: Record, add: Callable[[str], None]) -> None:
    if rec.journal.pages:
        add(f"<Pagination><MedlinePgn>{_esc(rec.journal.pages)}</MedlinePgn></Pagination>")


def _write_elocation_ids(rec: Record, add: Callable[[str], None]) -> None:
    for value in rec.elocation_ids:
        kind = elocation_id_type(value, rec)
        add(f'<ELocationID EIdType="{kind}" ValidYN="Y">{_esc(value)}</ELocationID>')


def _write_abstract(tag: str, attrs: str, sections: list[AbstractSection], add: Callable[[str], None]) -> None:
    if not sections:
        return
    parts = [f"<{tag}{attrs}>"]
    for section in sections:
        label = f' Label="{_attr(section.label)}"' if section.label else ""
        category = f' NlmCategory="{_attr(section.nlm_category)}"' if section.nlm_category else ""
        parts.append(f"<AbstractText{label}{category}>{_esc(section.text)}</AbstractText>")
    parts.append(f"</{tag}>")
    add("".join(parts))


def _write_authors(authors: list[Author], add: Callable[[str], None], list_attrs: str = "") -> None:
    if not authors:
        return
    parts = [f'<AuthorList CompleteYN="Y"{list_attrs}>']
    for author in authors:
        parts.append('<Author ValidYN="Y">')
        if author.last_name or author.fore_name or author.initials:
            parts.append(f"<LastName>{_esc(author.last_name)}</LastName>")
            if author.fore_name:
                parts.append(f"<ForeName>{_esc(author.fore_name)}</ForeName>")
            if author.initials:
                parts.append(f"<Initials>{_esc(author.initials)}</Initials>")
        if author.collective_name:
            parts.append(f"<CollectiveName>{_esc(author.collective_name)}</CollectiveName>")
        if author.orcid:
            parts.append(f'<Identifier Source="ORCID">{_esc(author.orcid)}</Identifier>')
        for affiliation in author.affiliations:
            parts.append(f"<AffiliationInfo><Affiliation>{_esc(affiliation)}</Affiliation></AffiliationInfo>")
        parts.append("</Author>")
    parts.append("</AuthorList>")
    add("".join(parts))


def _write_grants(grants: list[str], add: Callable[[str], None]) -> None:
    if not grants:
        return
    parts = ['<GrantList CompleteYN="Y">']
    for grant in grants:
        grant_id, agency = split_grant(grant)
        id_part = f"<GrantID>{_esc(grant_id)}</GrantID>" if grant_id else ""
        parts.append(f"<Grant>{id_part}<Agency>{_esc(agency)}</Agency></Grant>")
    parts.append("</GrantList>")
    add("".join(parts))


def _write_publication_types(rec: Record, add: Callable[[str], None]) -> None:
    for pub_type in rec.publication_types:
        ui = f' UI="{_attr(pub_type.ui)}"' if pub_type.ui else ""
        add(f"<PublicationType{ui}>{_esc(pub_type.name)}</PublicationType>")


def _write_journal_info(rec: Record, add: Callable[[str], None]) -> None:
    journal = rec.journal
    parts = ["<MedlineJournalInfo>", f"<MedlineTA>{_esc(journal.iso_abbreviation)}</MedlineTA>"]
    if journal.nlm_unique_id:
        parts.append(f"<NlmUniqueID>{_esc(journal.nlm_unique_id)}</NlmUniqueID>")
    if journal.issn_linking:
        parts.append(f"<ISSNLinking>{_esc(journal.issn_linking)}</ISSNLinking>")
    parts.append("</MedlineJournalInfo>")
    add("".join(parts))


def _write_citation_lists(rec: Record, add: Callable[[str], None]) -> None:
    """ChemicalList, CommentsCorrectionsList, MeshHeadingList, OtherAbstract, KeywordList (DTD order)."""
    if rec.chemicals:
        add(
            "<ChemicalList>"
            + "".join(
                f"<Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance>{_esc(name)}</NameOfSubstance></Chemical>"
                for name in rec.chemicals
            )
            + "</ChemicalList>"
        )
    if rec.corrections:
        parts = ["<CommentsCorrectionsList>"]
        for link in rec.corrections:
            pmid = f'<PMID Version="1">{_esc(link.pmid)}</PMID>' if link.pmid else ""
            parts.append(
                f'<CommentsCorrections RefType="{_attr(link.ref_type)}">'
                f"<RefSource>{_esc(link.source)}</RefSource>{pmid}</CommentsCorrections>"
            )
        parts.append("</CommentsCorrectionsList>")
        add("".join(parts))
    if rec.mesh:
        add("<MeshHeadingList>" + "".join(_mesh_xml(heading) for heading in rec.mesh) + "</MeshHeadingList>")
    _write_abstract("OtherAbstract", ' Type="Publisher"', rec.other_abstracts, add)
    if rec.keywords:
        add(
            '<KeywordList Owner="NOTNLM">'
            + "".join(f'<Keyword MajorTopicYN="N">{_esc(k)}</Keyword>' for k in rec.keywords)
            + "</KeywordList>"
        )


def _mesh_xml(heading: MeshHeading) -> str:
    ui = f' UI="{_attr(heading.ui)}"' if heading.ui else ""
    parts = [
        f'<MeshHeading><DescriptorName{ui} MajorTopicYN="{"Y" if heading.major else "N"}">'
        f"{_esc(heading.descriptor)}</DescriptorName>"
    ]
    for qualifier in heading.qualifiers:
        qui = f' UI="{_attr(qualifier.ui)}"' if qualifier.ui else ""
        parts.append(
            f'<QualifierName{qui} MajorTopicYN="{"Y" if qualifier.major else "N"}">'
            f"{_esc(qualifier.name)}</QualifierName>"
        )
    parts.append("</MeshHeading>")
    return "".join(parts)


def _write_pubmed_data(tag: str, rec: Record, add: Callable[[str], None]) -> None:
    # PublicationStatus is mandatory in the DTD; a Record does not carry it.
    parts = [f"<{tag}><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"]
    parts.append(f'<ArticleId IdType="pubmed">{_esc(rec.pmid)}</ArticleId>')
    if rec.doi:
        parts.append(f'<ArticleId IdType="doi">{_esc(rec.doi)}</ArticleId>')
    if rec.pii:
        parts.append(f'<ArticleId IdType="pii">{_esc(rec.pii)}</ArticleId>')
    if rec.pmcid:
        parts.append(f'<ArticleId IdType="pmc">{_esc(rec.pmcid)}</ArticleId>')
    parts.append(f"</ArticleIdList></{tag}>")
    add("".join(parts))


def _write_book(rec: Record, out: list[str]) -> None:
    add = out.append
    add("<PubmedBookArticle><BookDocument>")
    add(f'<PMID Version="{rec.pmid_version}">{_esc(rec.pmid)}</PMID>')
    add(f'<ArticleIdList><ArticleId IdType="pubmed">{_esc(rec.pmid)}</ArticleId></ArticleIdList>')
    # A chapter keeps its book's title in journal.title; a whole book has only a title.
    is_chapter = bool(rec.journal.title)
    book_title = rec.journal.title if is_chapter else rec.title
    add(f"<Book><Publisher><PublisherName></PublisherName></Publisher><BookTitle>{_esc(book_title)}</BookTitle>")
    _write_date("PubDate", rec.pub_date, add)
    if rec.journal.volume:
        add(f"<Volume>{_esc(rec.journal.volume)}</Volume>")
    _write_elocation_ids(rec, add)
    add("</Book>")
    if is_chapter:
        add(f"<ArticleTitle>{_esc(rec.title)}</ArticleTitle>")
    if rec.vernacular_title:
        add(f"<VernacularTitle>{_esc(rec.vernacular_title)}</VernacularTitle>")
    _write_pagination(rec, add)
    for language in rec.languages:
        add(f"<Language>{_esc(language)}</Language>")
    _write_authors(rec.authors, add, ' Type="authors"')
    _write_publication_types(rec, add)
    _write_abstract("Abstract", "", rec.abstract, add)
    _write_grants(rec.grants, add)
    if rec.keywords:
        add("<KeywordList>" + "".join(f"<Keyword>{_esc(k)}</Keyword>" for k in rec.keywords) + "</KeywordList>")
    add("</BookDocument>")
    _write_pubmed_data("PubmedBookData", rec, add)
    add("</PubmedBookArticle>\n")


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    records: list[Record] = []
    try:
        for record in iter_pubmed_xml(path, errors=options.errors):
            records.append(record)
    except MalformedRecord as exc:
        options.errors.append(exc)  # keep every record read before the fault
    return records


READER = Reader(_read_file)
