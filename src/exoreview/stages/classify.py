"""Classify: label every included study (each label with its sentence) and appraise its EV reporting.

It sits above both `exoreview.classify` and `exoreview.appraise` (which builds on the classifier),
so neither package imports the other's stage.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from exoreview.appraise import Appraiser
from exoreview.appraise.instrument import load_instrument
from exoreview.classify.base import StudyClassifier
from exoreview.classify.rules import RuleClassifier
from exoreview.protocol.model import Taxonomy
from exoreview.records import Record
from exoreview.results import Label, Rating
from exoreview.stages.context import RunContext
from exoreview.stages.screen import included_ids
from exoreview.store.database import Store

NAME = "classify"

Progress = Callable[[int, int], None]  # (records done, records in total)
# Given a record, the text of its full-text Methods section ("" when there is none or it failed).
MethodsText = Callable[[Record], str]
# Below this many records one process is quicker than starting workers (each imports the rules once).
PARALLEL_FROM = 400
CHUNK = 64  # records a worker labels per task: large enough that sending them costs little
Labelled = tuple[int, list[Label], list[Rating] | None]  # record id, labels, appraisal (None: not appraised)


@dataclass(slots=True)
class _Labeller:
    classifier: StudyClassifier
    appraiser: Appraiser | None

    @classmethod
    def for_taxonomy(cls, taxonomy: Taxonomy, appraise: bool) -> _Labeller:
        return cls(StudyClassifier(taxonomy), Appraiser(classifier=RuleClassifier(taxonomy)) if appraise else None)

    def label(self, record_id: int, record: Record, methods: str) -> Labelled:
        labels = self.classifier.classify(record, record_id)
        ratings = self.appraiser.appraise(record, labels, record_id, methods) if self.appraiser else None
        return record_id, labels, ratings


_worker: _Labeller | None = None  # each worker process's own classifier, built once


def _start_worker(taxonomy: Taxonomy, appraise: bool) -> None:
    global _worker
    _worker = _Labeller.for_taxonomy(taxonomy, appraise)


def _label_chunk(chunk: list[tuple[int, Record, str]]) -> list[Labelled]:
    assert _worker is not None, "the worker was not started"
    return [_worker.label(*item) for item in chunk]


def worker_count(records: int, workers: int | None = None) -> int:
    """Processes to label `records` with: `workers` if given, else every core once there are enough records."""
    if workers is not None:
        return max(1, workers)
    return (os.cpu_count() or 1) if records >= PARALLEL_FROM else 1


def _labelled(items: Iterable[tuple[int, Record, str]], taxonomy: Taxonomy, appraise: bool,
              workers: int) -> Iterator[Labelled]:
    """Every record's labels and appraisal, in the order given, from `workers` processes.

    The rules are deterministic and a record's labels depend on that record alone, so the output is
    the same whatever the number of workers. At most two chunks per worker are in flight: memory
    stays flat however many records there are.
    """
    if workers == 1:
        labeller = _Labeller.for_taxonomy(taxonomy, appraise)
        yield from (labeller.label(*item) for item in items)
        return
    chunks = iter(lambda: list(islice(items, CHUNK)), [])
    # Workers forked from a large review would each come to copy much of its memory (reference counts write
    # to every page they touch); started by a fork server they hold only the classifier and their chunks.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # imported once in the server, not again in every worker
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(taxonomy, appraise)) as pool:
        pending: deque[Future[list[Labelled]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_label_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def classify_records(
    store: Store,
    record_ids: list[int],
    taxonomy: Taxonomy,
    run_id: int | None = None,
    progress: Progress | None = None,
    *,
    appraise: bool | None = None,
    methods_text: MethodsText | None = None,
    workers: int | None = None,
) -> int:
    """Label each record, appraise its EV reporting, and replace both in the store; returns the labels written.

    Each record's labels and appraisal are replaced in their own transactions, so an interrupted
    run leaves every record either with its old results or with its new ones, never with a mix.
    `methods_text` supplies the Methods section of a record's full text for the appraisal.
    `appraise` defaults to what the taxonomy's report layout says (EV reporting applies to vesicle studies).
    `workers`: processes that label (default: every core from PARALLEL_FROM records on); the store is
    written by this process alone, in the order of `record_ids`.
    """
    if appraise is None:
        appraise = taxonomy.report.appraisal
    total = len(record_ids)
    count = worker_count(total, workers)
    items = ((record_id, record, methods_text(record) if appraise and methods_text is not None else "")
             for record_id, record in store.iter_records(record_ids))
    written = appraised = 0
    for done, (record_id, labels, ratings) in enumerate(_labelled(items, taxonomy, appraise, count), start=1):
        store.replace_labels(record_id, labels, run_id)
        written += len(labels)
        if ratings is not None:
            store.replace_appraisals(record_id, ratings, run_id)
            appraised += 1
        if progress is not None:
            progress(done, total)
    if run_id is not None:
        appraisal = f"; {appraised} appraised against {load_instrument().name}" if appraise else ""
        store.log(run_id, f"classify: {written} labels for {total} records"
                          f" ({count} process{'es' if count > 1 else ''}){appraisal}")
    return written


def run(context: RunContext) -> None:
    included = included_ids(context)
    context.summary.labels = classify_records(context.store, included, context.protocol.taxonomy,
                                              run_id=context.run_id)
    context.store.log(context.run_id, f"classify: {context.summary.labels} labels on {len(included)} included studies")
    context.say(f"Classified: {context.summary.labels} labels, each with its supporting sentence")
