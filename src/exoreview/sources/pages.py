"""One page of a paged source search, as every JSON source client yields it."""

from __future__ import annotations

from dataclasses import dataclass, field

from exoreview.records import Record


@dataclass(slots=True)
class Page:
    index: int  # 0-based position of the page in the search
    count: int  # how many records the source says match the whole search
    records: list[Record]
    errors: list[str] = field(default_factory=list)  # results that could not be read, each naming its place
    cursor: str = ""  # the cursor or token this page was asked for with
