"""Parse several PubMed XML files on every core.

The calling process parses files itself, and ``workers - 1`` helper processes
parse the others, sending their Records back in compact batches (see
record_codec). The caller taking a share matters on small machines: on two
cores, two helpers plus a caller that only decodes would keep three processes
busy, and the decoding would come out of the parsing's share.

Files are handed out one at a time to whoever is free, so uneven sizes balance.
Records of one file keep their order; files interleave.

Batches travel through files in a spool folder (in /dev/shm where there is one),
with only their names on the queue: a batch of ~200 KB sent through the queue's
pipe goes in 64 KB chunks, each one waiting for the helper's writer thread to
get the GIL back from its parsing thread, and that stalled both processes.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed_xml import iter_pubmed_xml
from exoreview.formats.record_codec import decode_batch, encode_batch
from exoreview.records import Record

__all__ = ["iter_pubmed_files"]

BATCH = 256  # records per batch (~750 KB): amortizes the per-batch costs
_POLL_EVERY = 32  # own records between looks at the helpers' messages
_IN_FLIGHT = 4096  # records per helper sent but not yet taken: bounds memory
_HELPER_TIMEOUT = 2.0  # seconds between liveness checks while waiting on helpers


def iter_pubmed_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    errors: list[MalformedRecord] | None = None,
) -> Iterator[Record]:
    """Records of every file in ``paths`` (PubMed XML, gzip or not), using ``workers`` cores (default: all).

    Malformed records go to ``errors`` as with iter_pubmed_xml. A file that breaks
    off (truncated, not well-formed) keeps the records before the fault; its
    MalformedRecord goes to ``errors`` too, or, without a list, is raised once all
    other files are done, so nothing readable is lost.
    """
    files = [os.fspath(path) for path in paths]
    helpers = min((workers or os.cpu_count() or 1) - 1, len(files) - 1)
    failures: list[MalformedRecord] = []
    if helpers <= 0:
        for path in files:
            yield from _own_records(path, errors, failures)
    else:
        yield from _with_helpers(files, helpers, errors, failures)
    if failures and errors is None:
        raise failures[0]


def _own_records(path: str, errors: list[MalformedRecord] | None, failures: list[MalformedRecord]) -> Iterator[Record]:
    try:
        yield from iter_pubmed_xml(path, errors=errors)
    except MalformedRecord as exc:
        _note_failure(exc, errors, failures)
    except OSError as exc:  # unreadable file: reported like any other broken input
        _note_failure(MalformedRecord(path, 0, f"cannot read: {exc}"), errors, failures)


def _note_failure(exc: MalformedRecord, errors: list[MalformedRecord] | None, failures: list[MalformedRecord]) -> None:
    if errors is not None:
        errors.append(exc)
    failures.append(exc)


def _context() -> Any:
    # fork is cheap (no re-import), but unsafe when the parent runs other threads.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _with_helpers(
    files: list[str], helpers: int, errors: list[MalformedRecord] | None, failures: list[MalformedRecord]
) -> Iterator[Record]:
    context = _context()
    spool = tempfile.mkdtemp(prefix="exoreview-ingest-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    results = context.Queue(maxsize=_IN_FLIGHT // BATCH * helpers)  # also bounds the spool's size
    tasks = [context.Queue() for _ in range(helpers)]
    processes = [
        context.Process(target=_helper, args=(number, tasks[number], results, spool), daemon=True)
        for number in range(helpers)
    ]
    for process in processes:
        process.start()
    waiting = deque(files)
    busy: dict[int, str] = {}  # helper number -> file it is parsing
    stopped = 0

    def handle(message: tuple[Any, ...]) -> Iterator[Record]:
        nonlocal stopped
        kind = message[0]
        if kind == "batch":
            with open(message[1], "rb") as batch:
                data = batch.read()
            os.unlink(message[1])
            yield from decode_batch(data)
            if message[2] and errors is not None:
                errors.extend(message[2])
        elif kind == "broken":
            _note_failure(message[1], errors, failures)
        elif kind == "ready":
            number = message[1]
            busy.pop(number, None)
            if waiting:
                busy[number] = waiting.popleft()
                tasks[number].put(busy[number])
            else:
                tasks[number].put(None)
                stopped += 1

    try:
        while True:
            if waiting:  # take a file for this process, answering helpers every few records
                for count, record in enumerate(_own_records(waiting.popleft(), errors, failures)):
                    yield record
                    if count % _POLL_EVERY == 0:
                        yield from _drain(results, handle)
                continue
            if stopped == helpers:
                return
            try:
                message = results.get(timeout=_HELPER_TIMEOUT)
            except queue.Empty:
                _check_alive(processes, busy)
                continue
            yield from handle(message)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # only reached early: the caller stopped, or a helper failed
            process.join(timeout=5)
        shutil.rmtree(spool, ignore_errors=True)


def _drain(results: Any, handle: Any) -> Iterator[Record]:
    while True:
        try:
            message = results.get_nowait()
        except queue.Empty:
            return
        yield from handle(message)


def _check_alive(processes: list[Any], busy: dict[int, str]) -> None:
    for number, process in enumerate(processes):
        if not process.is_alive() and number in busy:
            raise RuntimeError(f"PubMed parsing process {number} died (exit code {process.exitcode}) on {busy[number]}")


def _helper(number: int, tasks: Any, results: Any, spool: str) -> None:
    """A helper process: parse each file it is given, send Records back in batches."""
    sent = 0

    def send(batch: list[Record], errors: list[MalformedRecord]) -> None:
        nonlocal sent
        name = os.path.join(spool, f"{number}-{sent}.batch")
        sent += 1
        with open(name, "wb") as spooled:
            spooled.write(encode_batch(batch))
        results.put(("batch", name, errors))

    results.put(("ready", number))
    while (path := tasks.get()) is not None:
        errors: list[MalformedRecord] = []
        batch: list[Record] = []
        failure: MalformedRecord | None = None
        try:
            for record in iter_pubmed_xml(path, errors=errors):
                batch.append(record)
                if len(batch) == BATCH:
                    send(batch, errors)
                    batch, errors = [], []
        except MalformedRecord as exc:
            failure = exc
        except OSError as exc:
            failure = MalformedRecord(path, 0, f"cannot read: {exc}")
        send(batch, errors)
        if failure is not None:
            results.put(("broken", failure))
        results.put(("ready", number))
