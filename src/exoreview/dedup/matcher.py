"""Match copies of one study: exact identifiers first, then normalized title, year and author.

Notices about an article (errata, retractions, comments) share its title but
are different records: they are never merged with the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from exoreview.records import Record
from exoreview.results import DuplicateLink

_TAGS = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DOI_PREFIX = re.compile(r"^(https?://)?(dx\.)?doi\.org/|^doi:\s*", re.IGNORECASE)
_NOTICE_TYPES = {"Published Erratum", "Retraction of Publication", "Comment", "Expression of Concern"}
_NOTICE_TITLE = re.compile(r"^\s*(erratum|corrigendum|correction|retraction|retracted|comment on|reply)\b",
                           re.IGNORECASE)


def normalize_title(title: str) -> str:
    """Lowercase ASCII words only: tags, accents, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKD", _TAGS.sub(" ", title))
    text = text.encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub(" ", text).strip()


def normalize_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).strip().lower()


def is_notice(record: Record) -> bool:
    """An erratum, retraction notice, comment or reply: about an article, not the article."""
    return any(p.name in _NOTICE_TYPES for p in record.publication_types) or bool(_NOTICE_TITLE.match(record.title))


def _author_key(record: Record) -> str:
    if not record.authors:
        return ""
    author = record.authors[0]
    return normalize_title(author.last_name or author.collective_name).split(" ")[0] if (
        author.last_name or author.collective_name) else ""


class _Groups:
    """Union-find over record ids; the smallest id of a group is its root."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def find_duplicates(
    records: Iterable[tuple[int, Record]],
    *,
    preference: dict[int, int] | None = None,
    forbidden: set[frozenset[int]] | None = None,
) -> list[DuplicateLink]:
    """Links from each copy to the record kept for its study.

    `preference` ranks records (lower is kept first, e.g. PubMed before imports);
    `forbidden` holds pairs a reviewer said are different studies (undone merges).
    """
    items = list(records)
    by_id = dict(items)
    forbidden = forbidden or set()
    groups = _Groups()
    reasons: dict[int, tuple[str, float]] = {}

    def link(ids: list[int], reason: str, score: float) -> None:
        for other in ids[1:]:
            if frozenset((ids[0], other)) in forbidden:
                continue
            if is_notice(by_id[ids[0]]) != is_notice(by_id[other]):
                continue
            if groups.union(ids[0], other):
                reasons.setdefault(other, (reason, score))
                reasons.setdefault(ids[0], (reason, score))

    for key_name, key in (
        ("pmid", lambda r: r.pmid),
        ("doi", lambda r: normalize_doi(r.doi)),
        ("pmcid", lambda r: r.pmcid.upper()),
    ):
        buckets: dict[str, list[int]] = {}
        for record_id, record in items:
            value = key(record)
            if value:
                buckets.setdefault(value, []).append(record_id)
        for ids in buckets.values():
            if len(ids) > 1:
                link(ids, key_name, 1.0)

    title_buckets: dict[tuple[str, int | None], list[int]] = {}
    for record_id, record in items:
        title = normalize_title(record.title)
        if len(title) >= 20:  # short titles ("Editorial") say too little to merge on
            title_buckets.setdefault((title, record.year), []).append(record_id)
    for ids in title_buckets.values():
        if len(ids) < 2:
            continue
        authors = {record_id: _author_key(by_id[record_id]) for record_id in ids}
        for i, first in enumerate(ids):
            same = [first] + [
                other for other in ids[i + 1:]
                if not authors[first] or not authors[other] or authors[first] == authors[other]
            ]
            if len(same) > 1:
                link(same, "title+year+author", 0.98)

    rank = preference or {}
    members: dict[int, list[int]] = {}
    for record_id, _ in items:
        members.setdefault(groups.find(record_id), []).append(record_id)
    links: list[DuplicateLink] = []
    for group in members.values():
        if len(group) < 2:
            continue
        kept = min(group, key=lambda i: (rank.get(i, 0), -_richness(by_id[i]), i))
        for record_id in sorted(group):
            if record_id != kept:
                reason, score = reasons.get(record_id, ("linked", 1.0))
                links.append(DuplicateLink(record_id=record_id, kept_id=kept, reason=reason, score=score))
    return sorted(links, key=lambda d: d.record_id)


def _richness(record: Record) -> int:
    """How much a copy tells: the kept copy should carry the most."""
    return (bool(record.pmid) * 4 + bool(record.abstract) * 2 + bool(record.doi) + len(record.mesh) // 5)
