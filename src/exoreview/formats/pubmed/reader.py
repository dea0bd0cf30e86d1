"""Reading PubMed XML: sources (path, bytes, stream; gzip by content), the sliced fast path for
current-DTD files (see chunks) with iterparse as the general one, and where a fault is.

Records are converted by the handlers in ``handlers``; this module only feeds them elements
and turns failures into MalformedRecord errors that say which record, and where.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

try:  # ISA-L inflates gzip about twice as fast as zlib; zlib is the fallback
    from isal import isal_zlib as _inflate_lib
except ImportError:  # pragma: no cover - isal is a declared dependency
    _inflate_lib = zlib  # type: ignore[no-redef]

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed.chunks import Slice, iter_slices, read_prolog, usable_prolog, xml_offset
from exoreview.formats.pubmed.handlers import OTHER_RECORD_KINDS, _BlanksLost, article_record, deleted_records
from exoreview.formats.registry import Reader, ReadOptions
from exoreview.records import Record

__all__ = ["READER", "PubmedXmlSource", "iter_pubmed_xml"]

log = logging.getLogger(__name__)

PubmedXmlSource = str | os.PathLike[str] | bytes | IO[bytes]

_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation", "MedlineCitation")
_ARTICLE_SET_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_RAW_READ = 256 * 1024
_LXML_POSITION = re.compile(r"(,? line \d+)+(, column \d+)?$")
_GZIP_MAGIC = b"\x1f\x8b"
_READ_FAILURES = (etree.XMLSyntaxError, EOFError, OSError, zlib.error, _inflate_lib.error)


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

    Current-DTD files are parsed in slices of about 128 KB (see chunks),
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
                    record = article_record(elem)
                except _BlanksLost:
                    record = state.with_blanks(elem, article_record)
            except Exception as exc:
                state.report(elem, exc)
            else:
                state.last_pmid = record.pmid
                state.position += 1
                yield record
                continue
            state.position += 1
        elif tag == "DeleteCitation":
            for record in deleted_records(elem):
                state.last_pmid = record.pmid
                state.position += 1
                yield record
        elif tag in OTHER_RECORD_KINDS:
            convert = OTHER_RECORD_KINDS[tag]
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


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    records: list[Record] = []
    try:
        for record in iter_pubmed_xml(path, errors=options.errors):
            records.append(record)
    except MalformedRecord as exc:
        options.errors.append(exc)  # keep every record read before the fault
    return records


READER = Reader(_read_file)
