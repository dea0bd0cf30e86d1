"""The active learner of every browser session, retrained in a process of its own.

Training and the recall estimate are numerical Python: run in the server's threads they hold the
interpreter lock, and every click of twenty reviewers then queues behind them. One worker process
(spawned, so it inherits no thread or lock of the server) builds the same collection from the
review file, keeps one warm-started `Ranker` per reviewer and stage, and answers each retrain with
the ranking and the recall estimate. The server's retrain threads only wait for its answers. The
worker runs at a lower CPU priority: on a busy machine answering a click comes before a retrain.

The worker stops by itself when the server that started it is gone (a kill -9 included), so a
restarted server never leaves a learner behind.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from exoreview.review import ReviewFolder
from exoreview.screen.session import Collection, Ranker, Ranking
from exoreview.screen.stopping import RecallEstimate, estimate_recall
from exoreview.store import Store

PARENT_CHECK = 1.0  # seconds between the worker's looks at whether its server still runs
WORKER_NICENESS = 10

_worker: dict[str, object] = {}  # in the worker process: the protocol, the collection and the rankers


def _start_worker(folder: str, ids: list[int], parent: int) -> None:
    os.nice(WORKER_NICENESS)  # background work: the server answering clicks comes first for the CPU
    review = ReviewFolder(Path(folder))
    protocol = review.protocol()
    with Store.open(review.store_file, must_exist=True) as store:
        collection = Collection.of(store, protocol, ids)
    _worker.update(protocol=protocol, collection=collection, rankers={})
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(0)  # the server is gone: nobody will ask for a ranking again


def _retrain(key: tuple[str, str], labels: Mapping[int, str],
             recall_labels: Sequence[bool]) -> tuple[Ranking, RecallEstimate | None]:
    rankers: dict[tuple[str, str], Ranker] = _worker["rankers"]  # type: ignore[assignment]
    collection: Collection = _worker["collection"]  # type: ignore[assignment]
    ranker = rankers.get(key)
    if ranker is None:
        ranker = rankers[key] = Ranker(_worker["protocol"], collection)  # type: ignore[arg-type]
    estimate = estimate_recall(list(recall_labels), len(collection.ids)) if recall_labels else None
    return ranker.rank(labels), estimate


class RankingProcess:
    """The worker process, started on first use; a broken one is started again on the next retrain."""

    def __init__(self, folder: Path, ids: list[int]) -> None:
        self.folder, self.ids = folder, ids
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=_start_worker,
                                                 initargs=(str(self.folder), self.ids, os.getpid()))
            return self._pool

    def retrain(self, reviewer: str, stage: str, labels: Mapping[int, str],
                recall_labels: Sequence[bool]) -> tuple[Ranking, RecallEstimate | None]:
        """The ranking for these decisions (record id -> label) and the recall estimate for `recall_labels`."""
        pool = self._running()
        try:
            return pool.submit(_retrain, (reviewer, stage), dict(labels), tuple(recall_labels)).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
