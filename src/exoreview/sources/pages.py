"""One page of a paged source search, as every JSON source client yields it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.records import Record


@dataclass(slots=True)
class Page:
    index: int  # 0-based position of the page in the search
    count: int  # how many records the source says match the whole search
    records: list[Record]
    errors: list[str] = field(default_factory=list)  # results that could not be read, each naming its place
    cursor: str = ""  # the cursor or token this page was asked for with


def page_records(items: list[Any], page: int,
                 convert: Callable[[Any, int], Record]) -> tuple[list[Record], list[str]]:
    """Map one page's items to records; an item that cannot be read is named in the errors, the rest kept."""
    records: list[Record] = []
    errors: list[str] = []
    for position, item in enumerate(items):
        try:
            records.append(convert(item, position))
        except MalformedRecord as exc:
            errors.append(f"page {page}: {exc}")
    return records, errors


@dataclass(slots=True)
class RawPage:
    """One answer of a cursor-paged search, before its items are mapped."""

    items: list[Any]
    count: int | None  # the source's total for the whole search; None: not stated, keep the last one
    following: str  # the cursor or token of the next page; "" when the source names none


def cursor_pages(fetch: Callable[[str], RawPage], convert: Callable[[Any, int], Record],
                 first: str = "") -> Iterator[Page]:
    """Every page of a cursor-paged search, in order, each with its records mapped.

    Asks with `first`, then with each answer's next cursor; stops at an empty page, at a page that
    names no next cursor, or at one that names the cursor it was asked with (it would loop).
    """
    cursor, index, count = first, 0, 0
    while True:
        raw = fetch(cursor)
        count = count if raw.count is None else raw.count
        records, errors = page_records(raw.items, index, convert)
        yield Page(index=index, count=count, records=records, errors=errors, cursor=cursor)
        if not raw.items or not raw.following or raw.following == cursor:
            return
        cursor, index = raw.following, index + 1
