"""One reviewer's screening session, apart from any user interface.

The queue holds the unique records this reviewer has not decided, best
first: ranked by the active learner (`screen.active`) trained on this
reviewer's own decisions once they include both labels, and by the
protocol's search terms before that. Only the
reviewer's own rows are read, which is what keeps dual screening blind.
Everything is in the store the moment it is decided, so a session killed at
any point resumes where it stopped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from exoreview.protocol import Protocol
from exoreview.records import Record
from exoreview.results import EXCLUDE, INCLUDE, MAYBE, TITLE_ABSTRACT, Decision
from exoreview.screen.active import ActiveLearner
from exoreview.screen.ranker import record_text
from exoreview.screen.reviewers import reviewer_decisions
from exoreview.screen.stopping import RecallEstimate, estimate_recall
from exoreview.store import Store


def protocol_terms(protocol: Protocol) -> list[str]:
    """The words a reviewer looks for: every MeSH and title/abstract term of the protocol's queries."""
    terms: set[str] = set()
    for source in protocol.sources:
        for block in source.blocks:
            terms.update(t for t in [*block.mesh, *block.tiab] if t.strip())
    return sorted(terms, key=lambda t: (-len(t), t.lower()))


def terms_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for all terms; PubMed's trailing * becomes a word-stem match."""
    parts = []
    for term in terms:
        escaped = re.escape(term.strip().strip('"')).replace(r"\*", r"\w*")
        parts.append(rf"\b{escaped}")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass(slots=True)
class Progress:
    screened: int
    total: int
    included: int
    excluded: int
    maybe: int
    recall: RecallEstimate | None  # None before the first decision

    @property
    def remaining(self) -> int:
        return self.total - self.screened


def _learner_for(protocol: Protocol) -> ActiveLearner:
    # Before both an include and an exclude exist, the learner ranks by the protocol's terms.
    return ActiveLearner(protocol.screening.ranker, random_state=protocol.screening.seed,
                         keywords=[t.replace("*", "").strip('"') for t in protocol_terms(protocol)])


@dataclass(frozen=True)
class Collection:
    """The records to screen with their features and keyword scores, built once and shared by sessions."""

    records: dict[int, Record]
    ids: list[int]
    features: Any  # the learner's sparse feature matrix, one row per id
    prior: Any  # the keyword scores, one per id

    @classmethod
    def of(cls, store: Store, protocol: Protocol, ids: Sequence[int] | None = None) -> Collection:
        """The store's unique records (or exactly `ids`, so another process builds the same collection)."""
        records = dict(store.iter_records(list(ids) if ids is not None else store.unique_record_ids()))
        ordered = sorted(records)
        learner = _learner_for(protocol).set_documents([records[i] for i in ordered])
        return cls(records, ordered, learner.X_, learner.prior_scores())


Ranking = tuple[list[int], Any]  # record ids, next first; the scores by row of the collection


class Ranker:
    """The active learner over one collection for one reviewer: train on decisions, rank, nothing else.

    It touches no store, so a front end may run it off its request threads, or in another process
    (`web.ranking`). It warm-starts, so each retrain after a decision stays short.
    """

    def __init__(self, protocol: Protocol, collection: Collection) -> None:
        self.ids = collection.ids
        self.row = {record_id: row for row, record_id in enumerate(self.ids)}
        self.learner = _learner_for(protocol)
        self.learner.set_documents([collection.records[i] for i in self.ids], collection.features, collection.prior)

    def rank(self, labels: Mapping[int, str]) -> Ranking:
        """Retrain on the labels by record id and rank every record."""
        # Maybes stay out of training: the learner sees only what the reviewer called include or exclude.
        labelled = {self.row[i]: label == INCLUDE for i, label in labels.items() if label != MAYBE and i in self.row}
        self.learner.fit(None, labelled)
        return [self.ids[row] for row in self.learner.rank()], self.learner.scores_.copy()


class ScreeningSession:
    # The learner retrains after every decision; it warm-starts, so each step stays interactive.
    def __init__(self, store: Store, protocol: Protocol, reviewer: str, stage: str = TITLE_ABSTRACT,
                 collection: Collection | None = None) -> None:
        self.store = store
        self.protocol = protocol
        self.reviewer = reviewer
        self.stage = stage
        self.pattern = terms_pattern(protocol_terms(protocol))
        collection = collection or Collection.of(store, protocol)
        self._records = collection.records
        self._ids = collection.ids
        self._all = frozenset(self._ids)
        self._ranker = Ranker(protocol, collection)
        self._row = self._ranker.row
        self._learner = self._ranker.learner
        self._queue: list[int] = []
        self._ranked_scores: Any = None
        self._scored: frozenset[int] = frozenset()  # the records the last ranking scored
        self.pending_note = ""
        self.known_recall: tuple[tuple[bool, ...], RecallEstimate] | None = None  # (labels, their estimate)
        self._mine: tuple[tuple[int, int, int], dict[int, Decision]] | None = None  # (marks, decisions)
        self.rerank()

    # -- the queue -------------------------------------------------------------------------------

    def mine(self) -> dict[int, Decision]:
        """This reviewer's standing decisions at the stage, oldest first.

        Read again only when this reviewer's rows change (others' decisions leave them be), and then
        only the new rows, unless one was undone: the decision before an undone one stands again.
        """
        marks = self.store.decision_marks(self.stage, self.reviewer)
        known = self._mine
        if known is not None and known[0] == marks:
            return dict(known[1])
        if known is not None and known[0][2] == marks[2] and known[0][1] <= marks[1]:
            found = dict(known[1])
            for d in self.store.decisions(self.stage, reviewer=self.reviewer, history=True, after_id=known[0][1]):
                if d.record_id in self._records:
                    found.pop(d.record_id, None)  # re-inserted: the dict stays oldest first
                    found[d.record_id] = d
        else:
            found = {i: d for i, d in reviewer_decisions(self.store, self.reviewer, self.stage).items()
                     if i in self._records}
        self._mine = (marks, found)
        return dict(found)

    def rerank(self) -> None:
        decided = self.mine()
        self.apply_ranking(self.train(decided), decided)

    def train(self, decided: dict[int, Decision]) -> Ranking:
        """Retrain on `decided` and rank. Touches only the learner, so a front end may run it without
        holding up decisions and apply the ranking after."""
        return self._ranker.rank({i: d.label for i, d in decided.items()})

    def apply_ranking(self, ranking: Ranking, decided: dict[int, Decision] | None = None) -> None:
        """The queue in a ranking's order, less what is decided (now, unless `decided` is given)."""
        ranked, scores = ranking
        decided = self.mine() if decided is None else decided
        self._queue = [i for i in ranked if i not in decided]
        self._ranked_scores = scores  # by row; a decision reads its record's score (a dict of all costs a pass)
        self._scored = frozenset(self._queue)

    def score_of(self, record_id: int) -> float | None:
        """The learner's score of a record in the last ranking; None for one it did not rank (undecided since)."""
        if record_id not in self._scored:
            return None
        return round(float(self._ranked_scores[self._row[record_id]]), 4)

    def term_hits(self, record: Record) -> int:
        if self.pattern is None:
            return 0
        return len(self.pattern.findall(record_text(record)))

    def current(self) -> tuple[int, Record] | None:
        if not self._queue:
            return None
        record_id = self._queue[0]
        return record_id, self._records[record_id]

    # -- actions -----------------------------------------------------------------------------------

    def decide(self, label: str, reason_id: str = "", note: str = "") -> Decision:
        item = self.current()
        if item is None:
            raise LookupError("nothing left to screen")
        if label not in (INCLUDE, EXCLUDE, MAYBE):
            raise ValueError(f"unknown label {label!r}")
        record_id, _ = item
        text = " ".join(n for n in (self.pending_note, note) if n)
        decision = Decision(record_id, self.stage, label, self.reviewer, reason_id, text,
                            self.score_of(record_id))
        self.store.add_decisions([decision])
        self.pending_note = ""
        self.rerank()
        return decision

    def undo(self) -> Decision | None:
        """Take back this reviewer's latest standing decision; its record goes back to the front."""
        standing = self.store.decisions(self.stage, reviewer=self.reviewer, history=True)
        if not standing:
            return None
        last = standing[-1]
        if last.id is not None:
            self.store.undo_decision(last.id)
        self.rerank()
        self.bring_forward(last.record_id)
        return last

    # -- the queue, for front ends that decide out of order (the browser) -------------------------

    def queue(self) -> tuple[int, ...]:
        """The records waiting for this reviewer, next first."""
        return tuple(self._queue)

    def bring_forward(self, record_id: int) -> bool:
        """Put a queued record first (the one on screen, or one an undo freed); False if it is not queued."""
        if record_id not in self._queue:
            return False
        self._queue.remove(record_id)
        self._queue.insert(0, record_id)
        return True

    def follow_store(self, still_waiting: Callable[[Decision], bool] = lambda d: False) -> bool:
        """Without retraining: the queue less what is decided now, plus what is undecided again.

        `still_waiting` keeps a decided record queued (a row that is a finding, not a judgement).
        True when the queue changed.
        """
        decided = {i for i, d in self.mine().items() if not still_waiting(d)}
        before = list(self._queue)
        freed = sorted(self._all - decided - set(before), key=self._row.__getitem__)  # in collection order
        self._queue = freed + [i for i in before if i not in decided]
        return self._queue != before

    def restrict(self, allowed: set[int], also: Set[int] = frozenset()) -> None:
        """Keep only queued records in `allowed`, adding those of `also` (in `allowed`) not yet queued."""
        queued = set(self._queue)
        self._queue = [i for i in self._queue if i in allowed] + sorted((also & allowed) - queued)

    def note(self, text: str) -> None:
        """A note for the record on screen, saved with the decision that follows."""
        self.pending_note = " ".join(n for n in (self.pending_note, text.strip()) if n)

    def reasons(self) -> list[tuple[str, str]]:
        """Exclusion reasons the protocol defines for this stage, as (id, text)."""
        return [(c.id, c.text) for c in self.protocol.exclude if c.stage == self.stage]

    # -- where the reviewer stands -----------------------------------------------------------------

    def progress(self, fresh_recall: bool = True) -> Progress:
        """Counts now; the recall estimate for these decisions, or with `fresh_recall` off the last one
        worked out (its `screened` says for how many), since the estimate is the costly part."""
        ordered = sorted(self.mine().values(), key=lambda d: d.id or 0)
        counts = {INCLUDE: 0, EXCLUDE: 0, MAYBE: 0}
        for d in ordered:
            counts[d.label] += 1
        # A 'maybe' is treated as relevant: the conservative reading for a recall estimate.
        labels = tuple(d.label != EXCLUDE for d in ordered)
        recall = self.recall_of(labels) if fresh_recall else self.known_recall[1] if self.known_recall else None
        return Progress(len(ordered), len(self._records), counts[INCLUDE], counts[EXCLUDE], counts[MAYBE],
                        recall if ordered else None)

    def recall_labels(self) -> tuple[bool, ...]:
        """This reviewer's decisions in order as the recall estimate reads them (relevant unless excluded)."""
        return tuple(d.label != EXCLUDE for d in sorted(self.mine().values(), key=lambda d: d.id or 0))

    def recall_of(self, labels: tuple[bool, ...]) -> RecallEstimate | None:
        """The estimate for these labels, worked out once; a front end may call it off its lock."""
        if not labels:
            return None
        known = self.known_recall
        if known is not None and known[0] == labels:
            return known[1]
        estimate = estimate_recall(list(labels), len(self._records))
        self.known_recall = (labels, estimate)
        return estimate
