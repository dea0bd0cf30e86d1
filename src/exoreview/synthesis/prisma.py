"""The PRISMA 2020 flow, counted from the store, with the record ids behind every number.

Each box is computed on its own from the stored rows (records, duplicate links, the standing
decision per record and stage) rather than by subtraction, so that `check()` really tests the
store: if the boxes do not add up, something in the store is inconsistent and the report must
not print numbers a reader would take on trust.

A living review is often part-way through screening. Records with no standing include or
exclude decision (none yet, or "maybe") are counted in boxes of their own, "awaiting screening"
and "awaiting assessment", so that the arithmetic closes at every stage of the work.
"""

from __future__ import annotations

from dataclasses import dataclass

from exoreview.errors import ExoreviewError
from exoreview.protocol.model import Criterion, Protocol
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.store.database import Store

IMPORT_PREFIX = "import:"
# Sources that are trial registers, which PRISMA 2020 counts apart from bibliographic databases.
REGISTER_SOURCES = frozenset({"ctgov"})
# Reviewer names that mean a machine decided, per the Decision contract ("rules:<protocol>", "model:<name>").
AUTOMATION_PREFIXES = ("rules", "model")

Ids = tuple[int, ...]


class PrismaError(ExoreviewError, ValueError):
    """The flow's numbers do not add up; the message names the box and the numbers."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One exclusion reason of a box: the protocol criterion and the records it excluded."""

    id: str
    text: str
    ids: Ids

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class PrismaFlow:
    identified: dict[str, Ids]  # source -> record ids, databases first, then imported files
    duplicates: Ids
    awaiting_screening: Ids
    screened: Ids
    excluded_screening: Ids
    screening_reasons: tuple[Reason, ...]
    excluded_by_automation: Ids
    sought: Ids
    not_retrieved: Ids
    not_retrieved_reasons: tuple[Reason, ...]
    awaiting_assessment: Ids
    assessed: Ids
    excluded_eligibility: Ids
    eligibility_reasons: tuple[Reason, ...]
    included: Ids

    # -- derived numbers ------------------------------------------------------------------------

    @property
    def database_sources(self) -> list[str]:
        return [s for s in self.identified if not s.startswith(IMPORT_PREFIX)]

    @property
    def register_sources(self) -> list[str]:
        """The database sources that are trial registers (a subset of `database_sources`)."""
        return [s for s in self.database_sources if s in REGISTER_SOURCES]

    @property
    def register_ids(self) -> Ids:
        return tuple(sorted(i for s in self.register_sources for i in self.identified[s]))

    @property
    def other_sources(self) -> list[str]:
        return [s for s in self.identified if s.startswith(IMPORT_PREFIX)]

    @property
    def identified_ids(self) -> Ids:
        return tuple(sorted(i for ids in self.identified.values() for i in ids))

    @property
    def database_ids(self) -> Ids:
        return tuple(sorted(i for s in self.database_sources for i in self.identified[s]))

    @property
    def other_ids(self) -> Ids:
        return tuple(sorted(i for s in self.other_sources for i in self.identified[s]))

    @property
    def excluded_by_reviewer(self) -> Ids:
        automated = set(self.excluded_by_automation)
        return tuple(i for i in self.excluded_screening if i not in automated)

    def boxes(self) -> dict[str, Ids]:
        """Every number of the flow under a stable key, the key the report writes as `data-box`."""
        result: dict[str, Ids] = {
            "identified": self.identified_ids,
            "databases": self.database_ids,
            "other_methods": self.other_ids,
            "registers": self.register_ids,  # part of "databases" ("Databases and registers")
        }
        result.update({f"identified:{s}": ids for s, ids in self.identified.items()})
        result.update({
            "duplicates": self.duplicates,
            "awaiting_screening": self.awaiting_screening,
            "screened": self.screened,
            "excluded_screening": self.excluded_screening,
            "excluded_screening_automation": self.excluded_by_automation,
            "excluded_screening_reviewer": self.excluded_by_reviewer,
        })
        result.update({f"excluded_screening:{r.id}": r.ids for r in self.screening_reasons})
        result.update({"sought": self.sought, "not_retrieved": self.not_retrieved})
        result.update({f"not_retrieved:{r.id}": r.ids for r in self.not_retrieved_reasons})
        result.update({
            "awaiting_assessment": self.awaiting_assessment,
            "assessed": self.assessed,
            "excluded_eligibility": self.excluded_eligibility,
        })
        result.update({f"excluded_eligibility:{r.id}": r.ids for r in self.eligibility_reasons})
        result.update({"included": self.included, "included_reports": self.included})
        return result

    def counts(self) -> dict[str, int]:
        return {key: len(ids) for key, ids in self.boxes().items()}

    # -- the arithmetic ---------------------------------------------------------------------------

    def check(self) -> None:
        """Raise PrismaError naming the first box whose number does not follow from the boxes above it."""
        n = self.counts()
        _equal("Records identified", n["databases"] + n["other_methods"], n["identified"],
               f"databases and registers ({n['databases']}) + other methods ({n['other_methods']})")
        _equal("Records screened", n["identified"] - n["duplicates"] - n["awaiting_screening"], n["screened"],
               f"identified ({n['identified']}) − duplicates removed ({n['duplicates']}) − awaiting screening "
               f"({n['awaiting_screening']})")
        _equal("Reports sought for retrieval", n["screened"] - n["excluded_screening"], n["sought"],
               f"screened ({n['screened']}) − excluded ({n['excluded_screening']})")
        _equal("Reports assessed for eligibility",
               n["sought"] - n["not_retrieved"] - n["awaiting_assessment"], n["assessed"],
               f"sought ({n['sought']}) − not retrieved ({n['not_retrieved']}) − awaiting assessment "
               f"({n['awaiting_assessment']})")
        _equal("Studies included in review", n["assessed"] - n["excluded_eligibility"], n["included"],
               f"assessed ({n['assessed']}) − excluded ({n['excluded_eligibility']})")
        for box, total, reasons in (
            ("Records excluded", self.excluded_screening, self.screening_reasons),
            ("Reports not retrieved", self.not_retrieved, self.not_retrieved_reasons),
            ("Reports excluded", self.excluded_eligibility, self.eligibility_reasons),
        ):
            _equal(box, sum(r.n for r in reasons), len(total),
                   "the sum of its reasons (" + ", ".join(f"{r.id or 'none'}: {r.n}" for r in reasons) + ")")


def _equal(box: str, expected: int, actual: int, how: str) -> None:
    if expected != actual:
        raise PrismaError(f"PRISMA flow does not add up at {box!r}: expected {how} = {expected}, "
                          f"but the store gives {actual}; check the store's duplicates and decisions")


# -- counting from the store ----------------------------------------------------------------------


def compute_flow(store: Store, protocol: Protocol) -> PrismaFlow:
    """The flow of the store's records under the protocol, every box with the record ids behind it."""
    identified, duplicates, unique = _identification(store, protocol)
    ta = store.final_decisions(TITLE_ABSTRACT)
    screened, awaiting_screening = _standing(unique, ta)
    excluded_ta, sought = _labelled(screened, ta, EXCLUDE), _labelled(screened, ta, INCLUDE)

    criteria = {c.id: c for c in protocol.exclude}
    el = store.final_decisions(ELIGIBILITY)
    decided, awaiting_assessment = _standing(sought, el)
    not_retrieved, assessed = _split_not_retrieved(decided, el, criteria)
    excluded_el, included = _labelled(assessed, el, EXCLUDE), _labelled(assessed, el, INCLUDE)

    return PrismaFlow(
        identified=identified,
        duplicates=duplicates,
        awaiting_screening=tuple(awaiting_screening),
        screened=tuple(screened),
        excluded_screening=tuple(excluded_ta),
        screening_reasons=_reasons(excluded_ta, ta, _stage_criteria(protocol, TITLE_ABSTRACT), criteria),
        excluded_by_automation=tuple(i for i in excluded_ta if ta[i].reviewer.startswith(AUTOMATION_PREFIXES)),
        sought=tuple(sought),
        not_retrieved=tuple(not_retrieved),
        not_retrieved_reasons=_reasons(not_retrieved, el, [c for c in protocol.exclude if _not_retrieved(c)],
                                       criteria),
        awaiting_assessment=tuple(awaiting_assessment),
        assessed=tuple(assessed),
        excluded_eligibility=tuple(excluded_el),
        eligibility_reasons=_reasons(excluded_el, el, _stage_criteria(protocol, ELIGIBILITY), criteria),
        included=tuple(included),
    )


def _identification(store: Store, protocol: Protocol) -> tuple[dict[str, Ids], Ids, list[int]]:
    """(record ids per source in report order, duplicates removed, the unique records left), ids ascending."""
    by_source = record_sources(store)
    identified = {s: tuple(by_source[s]) for s in order_sources(by_source, protocol)}
    all_ids = {i for ids in identified.values() for i in ids}
    duplicates = tuple(sorted({d.record_id for d in store.duplicates()} & all_ids))
    return identified, duplicates, sorted(all_ids - set(duplicates))


def _standing(ids: list[int], decisions: dict[int, Decision]) -> tuple[list[int], list[int]]:
    """(ids with a standing include or exclude, ids awaiting one: no decision yet, or "maybe")."""
    decided = [i for i in ids if i in decisions and decisions[i].label in (INCLUDE, EXCLUDE)]
    awaiting = [i for i in ids if i not in decisions or decisions[i].label not in (INCLUDE, EXCLUDE)]
    return decided, awaiting


def _labelled(ids: list[int], decisions: dict[int, Decision], label: str) -> list[int]:
    return [i for i in ids if decisions[i].label == label]


def _split_not_retrieved(decided: list[int], decisions: dict[int, Decision], criteria: dict[str, Criterion]
                         ) -> tuple[list[int], list[int]]:
    """(reports excluded by a criterion that counts as "not retrieved", the reports assessed for eligibility)."""
    not_retrieved = [i for i in decided if decisions[i].label == EXCLUDE
                     and _not_retrieved(criteria.get(decisions[i].reason_id))]
    missing = set(not_retrieved)
    return not_retrieved, [i for i in decided if i not in missing]


def _stage_criteria(protocol: Protocol, stage: str) -> list[Criterion]:
    """The protocol's exclusion criteria at a stage, except those that count as not retrieved."""
    return [c for c in protocol.exclude if c.stage == stage and not _not_retrieved(c)]


def _not_retrieved(criterion: Criterion | None) -> bool:
    return criterion is not None and criterion.counts_as == "not_retrieved"


def _reasons(ids: list[int], decisions: dict[int, Decision], expected: list[Criterion],
             criteria: dict[str, Criterion]) -> tuple[Reason, ...]:
    """Every criterion the protocol applies at this box (zero counts included), then any other reason seen.

    Reasons the protocol does not name (a reviewer's free reason id, or none) are kept rather than
    dropped, so the reasons always sum to the box.
    """
    grouped: dict[str, list[int]] = {}
    for record_id in ids:
        grouped.setdefault(decisions[record_id].reason_id, []).append(record_id)
    order = [c.id for c in expected]
    order += sorted(r for r in grouped if r not in order and r)
    order += [""] if "" in grouped else []
    reasons = []
    for reason_id in order:
        if reason_id in criteria:
            text = criteria[reason_id].text
        elif reason_id:
            text = f"Reason {reason_id} (not a criterion of this protocol)"
        else:
            text = "No reason recorded"
        reasons.append(Reason(reason_id, text, tuple(grouped.get(reason_id, ()))))
    return tuple(reasons)


def search_counts(store: Store) -> dict[str, dict[str, int]]:
    """Per source, from the search log: searches run, records the source reported, records stored."""
    totals: dict[str, dict[str, int]] = {}
    for row in store.searches():
        entry = totals.setdefault(row["source"], {"searches": 0, "reported": 0, "stored": 0})
        entry["searches"] += 1
        entry["reported"] += int(row["count"] or 0)
        entry["stored"] += int(row["retrieved"] or 0)
    return totals


def record_sources(store: Store) -> dict[str, list[int]]:
    """Record ids per source, ascending. One query instead of one `record_source` call per record."""
    grouped: dict[str, list[int]] = {}
    for row in store.db.execute("SELECT id, source FROM records ORDER BY id"):
        grouped.setdefault(row[1], []).append(row[0])
    return grouped


def order_sources(sources: dict[str, list[int]] | list[str], protocol: Protocol) -> list[str]:
    """Databases in protocol order, other databases by name, then imported files by name."""
    names = list(sources)
    declared = [s.name for s in protocol.sources if s.name in names]
    databases = sorted(n for n in names if not n.startswith(IMPORT_PREFIX) and n not in declared)
    imports = sorted(n for n in names if n.startswith(IMPORT_PREFIX))
    return declared + databases + imports
