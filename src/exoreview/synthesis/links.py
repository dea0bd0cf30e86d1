"""The records behind every number: each count the report prints is a named list of record ids.

Writers turn a count into a link to its list's anchor; the list names each record, so a
reader goes from any number to the records that make it without a server or a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Ids = tuple[int, ...]
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class IdList:
    key: str
    label: str
    ids: Ids
    anchor: str
    limit: int = 0  # how many ids the report prints; 0 prints them all

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def shown(self) -> Ids:
        """The ids the report prints; the rest are counted in `n` and written to records-behind.csv."""
        return self.ids[: self.limit] if self.limit else self.ids

    @property
    def more(self) -> int:
        return self.n - len(self.shown)


@dataclass(frozen=True, slots=True)
class RecordEntry:
    record_id: int
    citation: str
    title: str
    source: str
    ref: int = 0  # reference number when the record is an included study

    @property
    def anchor(self) -> str:
        return f"rec-{self.record_id}"


class Lists:
    """Ordered registry of id lists; the same key always gives the same anchor. `limit` caps the ids each list
    prints (0: no cap), so a report on 100,000 records stays readable."""

    def __init__(self, limit: int = 0) -> None:
        self.limit = limit
        self.by_key: dict[str, IdList] = {}
        self._anchors: set[str] = set()

    def add(self, key: str, label: str, ids: Ids) -> IdList:
        if key in self.by_key:
            return self.by_key[key]
        base = "n-" + _UNSAFE.sub("-", key).strip("-")
        anchor, k = base, 1
        while anchor in self._anchors:  # two keys that differ only in unsafe characters
            k += 1
            anchor = f"{base}-{k}"
        self._anchors.add(anchor)
        entry = IdList(key, label, tuple(sorted(set(ids))), anchor, self.limit)
        self.by_key[key] = entry
        return entry

    def shown_ids(self) -> set[int]:
        return {i for entry in self.by_key.values() for i in entry.shown}
