"""Fast path for current-DTD ``PubmedArticleSet`` documents: parse in slices, ahead of the caller.

``lxml.etree.iterparse`` routes every element of a baseline file through SAX
event bookkeeping. Here the decompressed bytes are cut after a record's end tag
every ~128 KB, and each slice (re-wrapped in the document's root tag) is parsed
by one ``etree.fromstring`` call: about a fifth cheaper per record, and the
slice's tree is freed in one go. (A background thread parsing ahead was tried:
GIL hand-offs cost more than the overlap won.)

Cutting is safe because a record's end tag cannot occur inside text or an
attribute (``<`` is always escaped there). A slice that does not parse (a
truncated download, broken markup, or a cut inside a comment or CDATA section)
is handed over as bytes, and the reader parses from there to the end with
iterparse: a valid document still reads in full, and a broken one keeps every
record before the fault.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

__all__ = ["BLANKS_DROPPED", "Slice", "iter_slices", "read_prolog", "usable_prolog", "xml_offset"]

SLICE_BYTES = 128 * 1024
_PROLOG_LIMIT = 64 * 1024
# Set on a slice's root: its tree was parsed without whitespace-only text nodes.
BLANKS_DROPPED = "exoreview-blanks-dropped"
_ROOT_TAG = b"<PubmedArticleSet"
_ROOT_CLOSE = b"</PubmedArticleSet>"
_ARTICLE_END = b"</PubmedArticle>"
_OTHER_ENDS = (b"</PubmedBookArticle>", b"</DeleteCitation>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_STREAM_FAILURES: tuple[type[BaseException], ...] = (EOFError, OSError, zlib.error)
with contextlib.suppress(ImportError):
    from isal import isal_zlib

    _STREAM_FAILURES = (*_STREAM_FAILURES, isal_zlib.error)


@dataclass(slots=True)
class Slice:
    """A parsed run of whole records, or the bytes of one that failed, with the failure."""

    root: Any | None  # the re-wrapped PubmedArticleSet element; None when broken
    start: int  # offset in the XML document of the slice's first byte after the root tag
    wrapped: bytes = b""  # the bytes parsed: to re-parse a record keeping blanks
    error: BaseException | None = None
    # When broken: the document from the root start tag up to where the stream stands
    # (the slice without the added closing tag, plus bytes read past the cut).
    remainder: bytes = b""


def read_prolog(stream: Any) -> tuple[bytes, bytes, bytes, BaseException | None]:
    """Read up to the root start tag: (bytes consumed, the root start tag, bytes read past it, read failure).

    The tag and the tail are empty when no ``<PubmedArticleSet`` start tag shows
    up in the first 64 KB or the stream fails first; the caller then parses
    ``consumed`` + the rest of the stream the general way.
    """
    head = b""
    while len(head) < _PROLOG_LIMIT:
        try:
            block = stream.read(16 * 1024)
        except _STREAM_FAILURES as exc:
            return head, b"", b"", exc
        if not block:
            break
        head += block
        start = head.find(_ROOT_TAG)
        if start >= 0:
            end = head.find(b">", start)
            if end >= 0:
                return head, head[start : end + 1], head[end + 1 :], None
    return head, b"", b"", None


def usable_prolog(head: bytes, root_tag: bytes) -> bool:
    """Whether slices can be parsed standalone: a plain UTF-8 document with no internal DTD subset."""
    if not root_tag or root_tag.endswith(b"/>"):
        return False
    after = root_tag[len(_ROOT_TAG) : len(_ROOT_TAG) + 1]
    if after not in (b">", b" ", b"\t", b"\n", b"\r"):
        return False
    prolog = head[: head.find(root_tag)]
    if b"[" in prolog or b"<MedlineCitationSet" in prolog or prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declared = _ENCODING.search(prolog)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return False
    try:  # the XML declaration and DOCTYPE must themselves be well-formed
        etree.fromstring(prolog + root_tag + _ROOT_CLOSE, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return False
    return True


def _parse(wrapped: bytes, parser: etree.XMLParser) -> Any:
    root = etree.fromstring(wrapped, parser)
    root.set(BLANKS_DROPPED, "")
    return root


def _last_record_end(buffer: bytes) -> int:
    """Offset just after the last complete record end tag in ``buffer``, or 0."""
    cut = buffer.rfind(_ARTICLE_END)
    cut = cut + len(_ARTICLE_END) if cut >= 0 else 0
    for tag in _OTHER_ENDS:  # rare: only the tail after the last article is searched
        found = buffer.rfind(tag, cut)
        if found >= 0:
            cut = max(cut, found + len(tag))
    return cut


def iter_slices(stream: Any, root_tag: bytes, rest: bytes, start: int) -> Iterator[Slice]:
    """Parsed slices of the records after the root start tag.

    ``rest`` holds the bytes already read past the tag, which ends at offset ``start``.
    """
    # Dropping whitespace-only text saves a tenth of the parse; the reader re-parses the
    # rare record where that may have removed a space inside mixed content (see BLANKS_DROPPED).
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, remove_blank_text=True)
    pending = rest  # bytes after the last cut: the start of the next slice
    offset = start
    while True:
        failure: BaseException | None = None
        try:
            block = stream.read(SLICE_BYTES)
        except _STREAM_FAILURES as exc:
            block, failure = b"", exc
        if not block:  # the end, or the stream failed: what is left must close the document
            wrapped = root_tag + pending
            if failure is not None:
                yield Slice(None, offset, wrapped, failure, wrapped)
                return
            try:
                yield Slice(_parse(wrapped, parser), offset, wrapped)
            except etree.XMLSyntaxError as exc:
                yield Slice(None, offset, wrapped, exc, wrapped)
            return
        cut = _last_record_end(block)
        if cut == 0:  # no record ends in this block (a very long record): read on
            pending += block
            continue
        # One copy per slice: the join; the cut is taken through a memoryview.
        wrapped = b"".join((root_tag, pending, memoryview(block)[:cut], _ROOT_CLOSE))
        try:
            root = _parse(wrapped, parser)
        except etree.XMLSyntaxError as exc:  # broken markup, or a cut inside a comment or CDATA
            yield Slice(None, offset, wrapped, exc, wrapped[: -len(_ROOT_CLOSE)] + block[cut:])
            return
        yield Slice(root, offset, wrapped)
        offset += len(pending) + cut
        pending = block[cut:]



def xml_offset(piece: Slice, root_tag: bytes, error: etree.XMLSyntaxError) -> int | None:
    """Offset in the whole XML document of a parse error in a broken slice's remainder
    (None when the error lies further on, in bytes not kept)."""
    line, column = error.position
    at = 0
    for _ in range(max(line, 1) - 1):
        at = piece.remainder.find(b"\n", at) + 1
        if at == 0:
            return None
    return piece.start + max(at + max(column, 1) - 1 - len(root_tag), 0)
