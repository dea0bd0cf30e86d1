"""Group copies of one study: exact identifiers first, then blocked, scored fuzzy comparison.

Pairs are linked best score first, and two groups join only if no member of
one conflicts with a member of the other (a notice with an article, two
different DOIs/PMIDs/PMCIDs, years more than two apart, a pair a reviewer
said differs): matching A~B and B~C never drags a notice or another study in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from exoreview.dedup.blocking import candidate_pairs
from exoreview.dedup.compare import DISTINCT, Fingerprint, compare, conflict, fingerprint
from exoreview.dedup.normalize import normalize_doi, normalize_title
from exoreview.dedup.notices import is_notice
from exoreview.records import Record
from exoreview.results import DuplicateLink


@dataclass(slots=True)
class ReviewPair:
    """Two records that may be one study: too uncertain to merge, too close to ignore."""

    record_id: int
    other_id: int
    score: float
    reason: str


@dataclass(slots=True)
class MatchResult:
    links: list[DuplicateLink] = field(default_factory=list)
    review: list[ReviewPair] = field(default_factory=list)


@dataclass(slots=True)
class _Group:
    doi: str
    pmid: str
    pmcid: str
    notice: tuple[bool, bool]
    year_low: int | None
    year_high: int | None
    members: list[int]


class _Groups:
    """Union-find over positions that refuses unions whose members conflict."""

    def __init__(self, prints: list[Fingerprint], forbidden: dict[int, set[int]]) -> None:
        self.prints = prints
        self.parent = list(range(len(prints)))
        self.forbidden = forbidden
        self.info: dict[int, _Group] = {}  # made when a record first joins another: most never do

    def _group(self, root: int) -> _Group:
        group = self.info.get(root)
        if group is None:
            fp = self.prints[root]
            group = self.info[root] = _Group(fp.doi, fp.pmid, fp.pmcid, fp.notice, fp.year, fp.year, [root])
        return group

    def find(self, item: int) -> int:
        root = item
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int, *, by_identifier: bool = False) -> bool:
        """Join the groups of a and b unless they conflict. A shared identifier overrides dates and names
        (an online-first year, an author spelt another way) but never a notice or another identifier."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ga, gb = self._group(ra), self._group(rb)
        years = [y for y in (ga.year_low, ga.year_high, gb.year_low, gb.year_high) if y]
        if not self._may_join(ga, gb, years, by_identifier=by_identifier):
            return False
        self._join(ra, rb, years)
        return True

    def _may_join(self, ga: _Group, gb: _Group, years: list[int], *, by_identifier: bool) -> bool:
        """No conflicting notice or identifier, years close enough, no forbidden pair, no conflicting members."""
        if _identities_differ(ga, gb):
            return False
        if years and max(years) - min(years) > 2 and not by_identifier:
            return False
        if self._forbidden_between(ga, gb):
            return False
        # complete linkage: no chain A~B~C joins records that conflict
        return by_identifier or not self._members_conflict(ga, gb)

    def _forbidden_between(self, ga: _Group, gb: _Group) -> bool:
        """A pair a reviewer said differs has one member in each group."""
        if not self.forbidden:
            return False
        small, large = (ga, gb) if len(ga.members) <= len(gb.members) else (gb, ga)
        other = set(large.members)
        return any(self.forbidden.get(m, set()) & other for m in small.members)

    def _members_conflict(self, ga: _Group, gb: _Group) -> bool:
        """Two members, one from each group, conflict (checked only when a group has more than one member)."""
        return len(ga.members) * len(gb.members) > 1 and any(
            conflict(self.prints[x], self.prints[y]) for x in ga.members for y in gb.members)

    def _join(self, ra: int, rb: int, years: list[int]) -> None:
        """Hang the smaller group under the larger, which takes the other's identifiers, years and members."""
        ga, gb = self.info[ra], self.info[rb]
        if len(ga.members) < len(gb.members):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        ga.doi, ga.pmid, ga.pmcid = ga.doi or gb.doi, ga.pmid or gb.pmid, ga.pmcid or gb.pmcid
        ga.year_low = min(years) if years else None
        ga.year_high = max(years) if years else None
        ga.members.extend(gb.members)


def _identities_differ(ga: _Group, gb: _Group) -> bool:
    """A notice against an article, or two different DOIs, PMIDs or PMCIDs."""
    if ga.notice != gb.notice:
        return True
    for name in ("doi", "pmid", "pmcid"):
        x, y = getattr(ga, name), getattr(gb, name)
        if x and y and x != y:
            return True
    return False


_IDENTIFIERS = ("pmid", "doi", "pmcid")


def match_records(
    records: Iterable[tuple[int, Record]],
    *,
    preference: dict[int, int] | None = None,
    forbidden: set[frozenset[int]] | None = None,
) -> MatchResult:
    """Links from each copy to the record kept for its study, and the pairs a reviewer should decide.

    `preference` ranks records (lower is kept first, e.g. PubMed before imports);
    `forbidden` holds pairs a reviewer said are different studies (undone merges).
    """
    items = list(records)
    ids = [record_id for record_id, _ in items]
    prints = [fingerprint(record) for _, record in items]
    position_of = {record_id: n for n, record_id in enumerate(ids)}
    groups = _Groups(prints, _banned(forbidden or set(), position_of))
    reasons: dict[int, tuple[str, float]] = {}  # position -> (reason, score) of the link that first joined it
    _link_identifiers(groups, reasons)
    scored, review = _fuzzy_pairs(groups, ids)
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    for score, x, y, reason in scored:
        _link(groups, reasons, x, y, reason, score)
    links = _kept_links(items, groups, reasons, preference or {})
    find = groups.find
    review = [r for r in review if find(position_of[r.record_id]) != find(position_of[r.other_id])]
    return MatchResult(links, sorted(review, key=lambda r: -r.score))


def _banned(forbidden: set[frozenset[int]], position_of: dict[int, int]) -> dict[int, set[int]]:
    """Position -> positions it must never join: the forbidden pairs whose records are both here."""
    banned: dict[int, set[int]] = {}
    for pair in forbidden:
        if len(pair) == 2 and all(i in position_of for i in pair):
            x, y = (position_of[i] for i in pair)
            banned.setdefault(x, set()).add(y)
            banned.setdefault(y, set()).add(x)
    return banned


def _link(groups: _Groups, reasons: dict[int, tuple[str, float]], x: int, y: int, reason: str, score: float) -> None:
    """Join x and y if their groups allow it; each record keeps the reason of the first link that joined it."""
    if groups.union(x, y, by_identifier=reason in _IDENTIFIERS):
        reasons.setdefault(x, (reason, score))
        reasons.setdefault(y, (reason, score))


def _link_identifiers(groups: _Groups, reasons: dict[int, tuple[str, float]]) -> None:
    """Link records that share a PMID, DOI or PMCID (the union still refuses a notice or a conflicting id)."""
    for name in _IDENTIFIERS:
        buckets: dict[str, list[int]] = {}
        for n, fp in enumerate(groups.prints):
            value = getattr(fp, name)
            if value:
                buckets.setdefault(value, []).append(n)
        for members in buckets.values():
            for other in members[1:]:
                _link(groups, reasons, members[0], other, name, 1.0)


def _fuzzy_pairs(groups: _Groups, ids: list[int]) -> tuple[list[tuple[float, int, int, str]], list[ReviewPair]]:
    """Candidate pairs not yet in one group, compared: (score, x, y, reason) to merge, and pairs to review."""
    prints, find = groups.prints, groups.find
    scored: list[tuple[float, int, int, str]] = []
    review: list[ReviewPair] = []
    for x, y in candidate_pairs(prints):
        if find(x) == find(y):
            continue
        verdict = compare(prints[x], prints[y])
        if verdict.decision == DISTINCT:
            continue
        if verdict.decision == "merge":
            scored.append((verdict.score, x, y, verdict.reason))
        else:
            review.append(ReviewPair(ids[x], ids[y], verdict.score, verdict.reason))
    return scored, review


def _kept_links(items: list[tuple[int, Record]], groups: _Groups, reasons: dict[int, tuple[str, float]],
                rank: dict[int, int]) -> list[DuplicateLink]:
    """In each group, a link from every other member to the one kept (preferred, richest, lowest id)."""
    ids = [record_id for record_id, _ in items]
    by_root: dict[int, list[int]] = {}
    for n in range(len(items)):
        by_root.setdefault(groups.find(n), []).append(n)
    links: list[DuplicateLink] = []
    for members in by_root.values():
        if len(members) < 2:
            continue
        kept = min(members, key=lambda n: (rank.get(ids[n], 0), -_richness(items[n][1]), ids[n]))
        for n in members:
            if n != kept:
                reason, score = reasons.get(n, ("linked", 1.0))
                links.append(DuplicateLink(record_id=ids[n], kept_id=ids[kept], reason=reason, score=score))
    return sorted(links, key=lambda d: d.record_id)


def find_duplicates(
    records: Iterable[tuple[int, Record]],
    *,
    preference: dict[int, int] | None = None,
    forbidden: set[frozenset[int]] | None = None,
) -> list[DuplicateLink]:
    """Links from each copy to the record kept for its study (see `match_records`)."""
    return match_records(records, preference=preference, forbidden=forbidden).links


def _richness(record: Record) -> int:
    """How much a copy tells: the kept copy should carry the most."""
    return (bool(record.pmid) * 4 + bool(record.abstract) * 2 + bool(record.doi) + len(record.mesh) // 5)


__all__ = ["MatchResult", "ReviewPair", "find_duplicates", "is_notice", "match_records", "normalize_doi",
           "normalize_title"]
