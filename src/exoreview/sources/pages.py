"""One page of a paged source search, as every JSON source client yields it."""

from __future__ import annotations

from collections.abc import Callable
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
