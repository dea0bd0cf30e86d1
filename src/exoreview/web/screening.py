"""Screening in the browser: the terminal's ScreeningSession, one per reviewer and stage, kept in the app.

A decision is written by `ScreeningSession.decide` (the same rows as `exoreview screen`) and
answered as soon as it is on disk; the learner then retrains in a background thread. The next page
waits a moment for that ranking (FRESH_WAIT, holding no thread: on a small review it is there in
tens of milliseconds) and otherwise shows the record next in the ranking before. The learner trains
without the session's lock (only the retrain thread touches it), so a decision never waits for a
retrain; the ranking is applied under the lock, less the decisions made meanwhile. Each session has
its own store connection and a lock: one thread at a time (a request or the retrain) touches the
session's queue and store.

Blind screening: `ScreeningSession` reads only its reviewer's rows, so a queue is blind by
construction; `visible` is the one rule every page applies to other people's decisions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from exoreview.errors import BadInput
from exoreview.protocol import Protocol
from exoreview.records import Record
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, MAYBE, RESOLVER, TITLE_ABSTRACT, Decision, is_judgement
from exoreview.screen.fulltext import awaiting_retrieval
from exoreview.screen.reviewers import is_person
from exoreview.screen.session import Collection, Progress, Ranking, ScreeningSession
from exoreview.screen.stopping import RecallEstimate, estimate_recall
from exoreview.store import Store
from exoreview.store.team import unblinding
from exoreview.web.ranking import RankingProcess

STAGES = (TITLE_ABSTRACT, ELIGIBILITY)
BUILD_WAIT = 2.0  # seconds a page waits for a new session (features of the whole collection) before "preparing"
FRESH_WAIT = 0.1  # seconds a page waits for the retrain after a decision before showing the ranking before


class NotQueued(BadInput, LookupError):
    """The record posted is not waiting for this reviewer's decision (decided already, or out of scope)."""


def is_blind(protocol: Protocol, store: Store) -> bool:
    return protocol.screening.blind and unblinding(store) is None


def visible(decision: Decision, viewer: str, blind: bool) -> bool:
    """Whether `viewer` may see this decision: their own and the machines' always, other people's once unblind."""
    return not blind or decision.reviewer == viewer or not is_person(decision.reviewer)


def not_retrieved_criteria(protocol: Protocol) -> set[str]:
    return {c.id for c in protocol.exclude if c.stage == ELIGIBILITY and c.requires_full_text}


def visible_inclusions(store: Store, protocol: Protocol, reviewer: str) -> set[int]:
    """Records included at title/abstract by the decisions this reviewer may see (all of them once unblind)."""
    blind = is_blind(protocol, store)
    latest = {d.record_id: d for d in store.decisions(TITLE_ABSTRACT, history=True)
              if visible(d, reviewer, blind)}  # in id order: the latest visible one stands
    return {i for i, d in latest.items() if d.label == INCLUDE}


def eligibility_scope(store: Store, protocol: Protocol, reviewer: str) -> set[int]:
    """Reports to assess for eligibility: included at title/abstract (by what this reviewer may see),
    neither awaiting retrieval nor recorded as not retrieved."""
    lost = not_retrieved_criteria(protocol)
    gone = {d.record_id for d in store.decisions(ELIGIBILITY) if d.reason_id in lost}
    return visible_inclusions(store, protocol, reviewer) - set(awaiting_retrieval(store)) - gone


def is_finding(decision: Decision) -> bool:
    """The row `screen.fulltext.record_retrieval` writes for the person who retrieved a report: a finding,
    not their eligibility judgement, so the report still waits for that judgement in their queue."""
    return not is_judgement(decision)


class BrowserScreening(ScreeningSession):
    """The terminal's session, with three things the browser needs and nothing else changed.

    - `deferred`: while set, `rerank` only drops what is decided (and brings back what an undo
      freed) and marks the ranking stale; the full rerank (the learner's) runs later, off the request.
    - `front`: the record an undo brought back stays first after a later rerank, as in the terminal
      where nothing reranks between the undo and the next key.
    - `scope`: at eligibility, only the reports that reached it are queued.
    """

    def __init__(self, store: Store, protocol: Protocol, reviewer: str, stage: str,
                 scope: Callable[[], set[int]] | None = None, collection: Collection | None = None) -> None:
        self.scope = scope  # set before the base class ranks for the first time
        self.deferred = False
        self.stale = False
        self.front: int | None = None
        super().__init__(store, protocol, reviewer, stage, collection)

    def rerank(self) -> None:
        if self.deferred:
            self.follow_store()
            self.stale = True
        else:
            super().rerank()
            self.stale = False
            self._keep_in_scope()
        if self.front is not None:
            self.bring_forward(self.front)

    def apply(self, ranking: tuple[list[int], Any]) -> None:
        """A ranking trained off the lock, applied under it: decisions made meanwhile stay out of the queue."""
        self.apply_ranking(ranking)
        self.follow_store()
        if self.front is not None:
            self.bring_forward(self.front)

    def follow_store(self, still_waiting: Callable[[Decision], bool] = is_finding) -> bool:
        before = self.queue()
        super().follow_store(still_waiting)  # a retrieval finding still waits for judgement
        self._keep_in_scope()
        return self.queue() != before  # compared after the scope: records outside it come back every time

    def _keep_in_scope(self) -> None:
        if self.scope is not None:
            self.restrict(self.scope(), {i for i, d in self.mine().items() if is_finding(d)})

    def pin(self, record_id: int) -> None:
        """Put the record the reviewer is looking at first, so the decision is about it."""
        if not self.bring_forward(record_id):
            raise NotQueued(f"record {record_id} is not waiting for {self.reviewer}'s decision at {self.stage}")

    def reasons(self) -> list[tuple[str, str]]:
        """The stage's exclusion reasons, without 'not retrieved': that one is recorded on the full-text page."""
        lost = not_retrieved_criteria(self.protocol)
        return [(i, text) for i, text in super().reasons() if i not in lost]

    def progress(self, fresh_recall: bool = False) -> Progress:
        """Counts now; the recall estimate as the retrain thread last worked it out (see LiveScreening)."""
        if self.scope is None:
            return super().progress(fresh_recall)
        allowed = self.scope()
        judged = [d for i, d in self.mine().items() if i in allowed and not is_finding(d)]
        counts = {label: sum(d.label == label for d in judged) for label in (INCLUDE, EXCLUDE, MAYBE)}
        return Progress(len(judged), len(allowed), counts[INCLUDE], counts[EXCLUDE], counts[MAYBE], None)


@dataclass(frozen=True, slots=True)
class View:
    """What a screening page shows, taken under the session's lock so that it holds together."""

    current: tuple[int, Record] | None
    progress: Progress
    reasons: list[tuple[str, str]]
    recent: list[Decision]  # this reviewer's latest decisions at the stage, newest first
    ranked: bool = True  # the order reflects every decision (no retrain pending when it was taken)


class LiveScreening:
    """One reviewer's session at one stage, built in the background and retrained off the request."""

    def __init__(self, path: Path, protocol: Protocol, reviewer: str, stage: str, pool: ThreadPoolExecutor,
                 collection: Callable[[Store], Collection],
                 remote: Callable[[], RankingProcess | None] | None = None) -> None:
        self.path, self.protocol, self.reviewer, self.stage, self.pool = path, protocol, reviewer, stage, pool
        self.collection, self.remote = collection, remote
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.fresh = threading.Event()  # set while the ranking reflects every decision
        self.session: BrowserScreening | None = None
        self.view: View | None = None
        self.error = ""
        self._retraining = False
        self.retrain_seconds = 0.0  # how long a ranking takes lately to catch up (moving average, queue included)
        self._stale_since = 0.0
        pool.submit(self._build)

    def _build(self) -> None:
        try:
            store = Store.open(self.path, must_exist=True, any_thread=True)
            scope = (lambda: eligibility_scope(store, self.protocol, self.reviewer)) if self.stage == ELIGIBILITY \
                else None
            with self.lock:
                self.session = BrowserScreening(store, self.protocol, self.reviewer, self.stage, scope,
                                                self.collection(store))
                if scope is None:  # before the first page: the estimate for decisions made in earlier runs
                    self.session.recall_of(self.session.recall_labels())
                self.view = self._snapshot()
            self.fresh.set()
        except Exception as exc:  # shown on the page: a session that cannot start must say why
            self.error = f"screening could not start for {self.reviewer}: {exc}"
        finally:
            self.ready.set()

    @contextmanager
    def _changing(self) -> Iterator[BrowserScreening]:
        """The session, under the lock, with reranking deferred; the retrain is scheduled on the way out."""
        assert self.session is not None
        with self.lock:  # the record decided on is pinned from the form: no need to wait for a fresh ranking
            self.session.deferred = True
            try:
                yield self.session
            finally:
                self.session.deferred = False
                self.view = self._snapshot()
                self._schedule()

    def decide(self, record_id: int, label: str, reason_id: str, note: str) -> Decision:
        with self._changing() as session:
            session.pin(record_id)
            if note.strip():
                session.note(note)  # the terminal's n: kept for, and saved with, this decision
            decision = session.decide(label, reason_id)
            session.front = None
            return decision

    def undo(self) -> Decision | None:
        with self._changing() as session:
            undone = session.undo()
            session.front = undone.record_id if undone else None
            return undone

    def worth_waiting(self) -> bool:
        """Whether a page should wait (up to FRESH_WAIT) for the running retrain: only when retrains end
        well within it, as on a small review; under load they take longer, and waiting in vain would
        cost every page the whole wait, so the page shows the order before."""
        behind = 0.0 if self.fresh.is_set() else time.monotonic() - self._stale_since  # still catching up
        return max(self.retrain_seconds, behind) <= FRESH_WAIT / 2

    def look(self) -> View | None:
        """The page's view, in step with the store; while a retrain runs, the one after the last decision."""
        if self.session is None or not self.fresh.is_set() or not self.lock.acquire(timeout=0.05):
            # still retraining: the ranking before, as it stood after the last decision, said to be so
            return replace(self.view, ranked=False) if self.view is not None else None
        try:
            if self.session.follow_store():  # decisions made elsewhere (the terminal, a retrieval) count
                self.session.stale = True
                self._schedule()
            # whether the order is current is read with the view, under the lock: a retrain ending between
            # taking the view and rendering it must not make an old order look current
            self.view = replace(self._snapshot(), ranked=self.fresh.is_set())
        finally:
            self.lock.release()
        return self.view

    def _schedule(self) -> None:
        """Called under the lock: one retrain at a time per session, repeated while decisions keep coming."""
        assert self.session is not None
        if self.session.stale:
            if self.fresh.is_set():
                self._stale_since = time.monotonic()
            self.fresh.clear()
            if not self._retraining:
                self._retraining = True
                self.pool.submit(self._retrain)

    def _retrain(self) -> None:
        """Retrain until the ranking reflects every decision; the training itself runs without the lock,
        in the ranking process when the app has one (see web.ranking), else in this thread."""
        session = self.session
        assert session is not None
        while True:
            with self.lock:
                if not session.stale:
                    self._retraining = False
                    caught_up = time.monotonic() - self._stale_since
                    self.retrain_seconds = 0.7 * self.retrain_seconds + 0.3 * caught_up
                    self.fresh.set()
                    return
                session.stale = False  # decisions made while this trains set it again
                decided = session.mine()
                labels = session.recall_labels() if session.scope is None else ()
            try:
                ranking = self._trained(session, decided, labels)
            except Exception as exc:  # keep the ranking before; say why on the page, and stop retraining
                self.error = f"retraining failed for {self.reviewer}; the ranking before stays: {exc}"
                continue
            with self.lock:
                session.apply(ranking)
                self.view = self._snapshot()

    def _trained(self, session: BrowserScreening, decided: dict[int, Decision], labels: tuple[bool, ...]) -> Ranking:
        remote = self.remote() if self.remote else None
        if remote is None:
            ranking = session.train(decided)  # only this thread touches the learner
            session.recall_of(labels)  # the costly part of progress, here rather than on a request
            return ranking
        ranking, estimate = remote.retrain(self.reviewer, self.stage, {i: d.label for i, d in decided.items()}, labels)
        if estimate is not None:
            session.known_recall = (labels, estimate)
        return ranking

    def _snapshot(self) -> View:
        assert self.session is not None
        session = self.session
        recent = session.store.decisions(self.stage, reviewer=self.reviewer, history=True, last=5)[::-1]
        return View(session.current(), session.progress(), session.reasons(), recent)

    def close(self) -> None:
        with self.lock:
            if self.session is not None:
                self.session.store.close()


@dataclass
class Screenings:
    """Every live session of the app, by (reviewer, stage); the pool builds them and waits on retrains.

    With `folder` set, the learners train in one ranking process (web.ranking) started with the
    collection; without it (tests of one session), in the pool's threads.
    """

    path: Path
    protocol: Protocol
    folder: Path | None = None
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="screening"))
    live: dict[tuple[str, str], LiveScreening] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    shared: Collection | None = None  # the records and their features, built once for every session
    ranking: RankingProcess | None = None
    building: threading.Lock = field(default_factory=threading.Lock)

    def collection(self, store: Store) -> Collection:
        """The collection every session screens, built by the first session that needs it."""
        with self.building:
            if self.shared is None:
                self.shared = Collection.of(store, self.protocol)
                if self.folder is not None:
                    self.ranking = RankingProcess(self.folder, self.shared.ids)
            return self.shared

    def of(self, reviewer: str, stage: str) -> LiveScreening:
        with self.lock:
            key = (reviewer, stage)
            live = self.live.get(key)
            if live is None or (live.ready.is_set() and live.session is None):  # a failed build is tried again
                live = self.live[key] = LiveScreening(self.path, self.protocol, reviewer, stage, self.pool,
                                                      self.collection, lambda: self.ranking)
            return live

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.ranking is not None:
            self.ranking.close()
        for live in self.live.values():
            live.close()


@dataclass(frozen=True, slots=True)
class StageCount:
    decided: int
    labels: dict[str, int] | None  # include/exclude/maybe; None while blind keeps them from the viewer
    recall: RecallEstimate | None = None  # titles and abstracts: estimated recall and the stopping signal


@lru_cache(maxsize=256)
def _recall(labels: tuple[bool, ...], n_total: int) -> RecallEstimate | None:
    """The stopping rule's estimate for one person's decisions in order (a maybe counts as relevant, as the
    screener counts it); worked out once per set of decisions, since every dashboard view asks again."""
    return estimate_recall(list(labels), n_total) if labels and len(labels) <= n_total else None


def team_progress(store: Store, protocol: Protocol, names: list[str], viewer: str,
                  to_screen: int = 0) -> dict[str, dict[str, StageCount]]:
    """Each person's standing decisions per stage (people with an account, and anyone else who screened),
    with, at titles and abstracts, the recall estimate over `to_screen` records.

    While screening is blind everyone sees how far the others are, never how they decided.
    """
    blind = is_blind(protocol, store)
    by_stage = {stage: [d for d in store.decisions(stage) if is_person(d.reviewer) and d.reviewer != RESOLVER]
                for stage in STAGES}  # a resolution is no one's screening
    everyone = list(dict.fromkeys([*names, *sorted({d.reviewer for ds in by_stage.values() for d in ds})]))
    table: dict[str, dict[str, StageCount]] = {}
    for name in everyone:
        table[name] = {}
        for stage, decisions in by_stage.items():
            own = [d for d in decisions if d.reviewer == name]
            shown = not blind or name == viewer
            labels = {label: sum(d.label == label for d in own) for label in (INCLUDE, EXCLUDE, MAYBE)}
            recall = None
            if shown and stage == TITLE_ABSTRACT and to_screen:
                recall = _recall(tuple(d.label != EXCLUDE for d in sorted(own, key=lambda d: d.id or 0)), to_screen)
            table[name][stage] = StageCount(len(own), labels if shown else None, recall)
    return table
