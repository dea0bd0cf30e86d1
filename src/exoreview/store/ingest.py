"""Ingest several PubMed XML files into the store on every core.

Worker processes parse the files AND turn each record into the row the store
writes (`record_row`: key, identifiers, title, year and the record's JSON);
this process only inserts those rows, one transaction per batch. Building the
JSON costs about as much as parsing, so almost all the work moves to the
workers; the parent's share (reading a batch off a pipe, one executemany) is
about a tenth of it, and both cores parse.

Each worker has its own pipe, enlarged so one batch fits and the worker goes
on parsing while the batch waits to be read. A worker blocks when its pipe is
full, so at most about two batches per worker are in memory. A worker that
dies closes its pipe: the parent sees end-of-file before the worker's "done"
and raises, keeping every batch already committed.

Files are handed out one at a time to whichever worker is free (a shared
counter), so uneven sizes balance. Records of one file are stored in their
order; files interleave, so row ids differ from a one-file-after-another
ingest while the rows themselves are the same. A record present in two of the
files is stored as found in whichever file's batch is inserted last: give
update files that revise each other one call at a time, in order.
"""

from __future__ import annotations

import contextlib
import fcntl
import marshal
import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from exoreview.errors import ExoreviewError
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed.reader import iter_pubmed_xml
from exoreview.store.database import RecordRow, Store, record_row

__all__ = ["IngestError", "IngestSummary", "ingest_pubmed_files"]

BATCH = 128  # rows per message (~530 KB with the JSON): amortizes a commit and a pipe transfer
_PIPE_BYTES = 1 << 20  # Linux's default ceiling for F_SETPIPE_SZ: a whole batch fits
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


class IngestError(ExoreviewError, RuntimeError):
    """A worker process failed or died; rows committed before it stay stored."""


@dataclass
class IngestSummary:
    files: int = 0
    stored: int = 0  # rows inserted or updated
    skipped: int = 0  # malformed records left out
    broken_files: list[str] = field(default_factory=list)  # files that broke off or could not be read
    errors: list[MalformedRecord] = field(default_factory=list)  # every problem, with file, position and PMID


def ingest_pubmed_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    source: str,
    run_id: int | None = None,
    workers: int | None = None,
    errors: list[MalformedRecord] | None = None,
) -> IngestSummary:
    """Store every record of the PubMed XML files (gzip or not) under `source`, with `workers` processes.

    Rows are those `store.add_records` writes, with the same upsert. A malformed record is
    skipped and reported; a file that breaks off keeps the records before the fault and is
    reported; an unreadable file is reported. Problems go to the summary's `errors` and, when
    given, to `errors`. `workers` defaults to every core; 1 ingests in this process.
    """
    files = [os.fspath(path) for path in paths]
    summary = IngestSummary(files=len(files))
    count = min(workers or os.cpu_count() or 1, len(files))
    try:
        if count <= 1:
            for index in range(len(files)):
                for message in _file_messages(files, index):
                    _apply(message, store, source, run_id, summary)
        else:
            _ingest_with_workers(store, files, count, source, run_id, summary)
    finally:
        if errors is not None:
            errors.extend(summary.errors)
    return summary


# -- messages: ("rows", rows, errors) and ("broken", error) from the parsing of one file -----------------

_Problem = tuple[str, int, str, "str | None"]  # MalformedRecord's source, position, reason, pmid: marshal-able


def _problem(exc: MalformedRecord) -> _Problem:
    return (exc.source, exc.position, exc.reason, exc.pmid)


def _file_messages(files: list[str], index: int) -> Iterable[tuple[Any, ...]]:
    """The messages for one file, in order: batches of rows with the records skipped among them, then
    ("broken", problem) if the file broke off or could not be read."""
    path = files[index]
    problems: list[MalformedRecord] = []
    rows: list[RecordRow] = []
    broken: MalformedRecord | None = None
    try:
        for record in iter_pubmed_xml(path, errors=problems):
            if record.kind == "deleted":  # a deletion notice, as add_records skips it
                continue
            rows.append(record_row(record))
            if len(rows) == BATCH:
                yield ("rows", rows, [_problem(p) for p in problems])
                rows, problems = [], []
    except MalformedRecord as exc:
        broken = exc
    except OSError as exc:  # unreadable file: reported like any other broken input
        broken = MalformedRecord(path, 0, f"cannot read: {exc}")
    if rows or problems:
        yield ("rows", rows, [_problem(p) for p in problems])
    if broken is not None:
        yield ("broken", _problem(broken))


def _apply(message: tuple[Any, ...], store: Store, source: str, run_id: int | None, summary: IngestSummary) -> None:
    kind = message[0]
    if kind == "rows":
        if message[1]:
            summary.stored += store.add_record_rows(message[1], source=source, run_id=run_id)
        summary.skipped += len(message[2])
        summary.errors.extend(MalformedRecord(*problem) for problem in message[2])
    elif kind == "broken":
        problem = MalformedRecord(*message[1])
        summary.broken_files.append(problem.source)
        summary.errors.append(problem)


# -- worker processes ----------------------------------------------------------------------------------


def _context() -> Any:
    # fork is cheap (no re-import), but unsafe when the parent runs other threads.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _ingest_with_workers(
    store: Store, files: list[str], count: int, source: str, run_id: int | None, summary: IngestSummary
) -> None:
    context = _context()
    next_file = context.Value("i", 0)
    pipes: dict[Connection, int] = {}  # reading end -> worker number
    processes = []
    try:
        for number in range(count):
            reader, writer = context.Pipe(duplex=False)
            _enlarge(writer)
            process = context.Process(target=_worker, args=(files, next_file, writer), daemon=True)
            process.start()
            writer.close()  # only the worker holds the writing end, so its death reads as end-of-file
            pipes[reader] = number
            processes.append(process)
        on_file: dict[int, int] = {}  # worker number -> index of the file it is parsing
        while pipes:
            for reader in wait(list(pipes)):
                number = pipes[reader]
                try:
                    message = marshal.loads(reader.recv_bytes())
                except EOFError:
                    processes[number].join(timeout=5)
                    where = f" while parsing {files[on_file[number]]}" if number in on_file else ""
                    raise IngestError(
                        f"PubMed ingest worker {number} died (exit code {processes[number].exitcode}){where}; "
                        f"{summary.stored} rows stored before it are kept"
                    ) from None
                kind = message[0]
                if kind == "file":
                    on_file[number] = message[1]
                elif kind == "done":
                    del pipes[reader]
                    reader.close()
                elif kind == "failed":
                    where = f" on {files[message[1]]}" if 0 <= message[1] < len(files) else ""
                    raise IngestError(
                        f"PubMed ingest worker {number} failed{where}; "
                        f"{summary.stored} rows stored before it are kept:\n{message[2]}"
                    )
                else:
                    _apply(message, store, source, run_id, summary)
    finally:
        for reader in pipes:
            reader.close()
        for process in processes:
            if process.is_alive():
                process.terminate()  # only reached early: a worker failed, or the insert did
            process.join(timeout=5)


def _enlarge(connection: Connection) -> None:
    with contextlib.suppress(OSError):  # not Linux, or over the system's limit: a smaller pipe still works
        fcntl.fcntl(connection.fileno(), _F_SETPIPE_SZ, _PIPE_BYTES)


def _worker(files: list[str], next_file: Any, pipe: Connection) -> None:
    """One worker process: take the next file not yet taken, send its rows, until none is left."""
    index = -1
    try:
        while True:
            with next_file.get_lock():
                index = next_file.value
                next_file.value += 1
            if index >= len(files):
                break
            pipe.send_bytes(marshal.dumps(("file", index)))
            for message in _file_messages(files, index):
                pipe.send_bytes(marshal.dumps(message))
        pipe.send_bytes(marshal.dumps(("done",)))
    except Exception:  # a bug, not bad input (that is reported above): tell the parent what it was
        with contextlib.suppress(OSError):
            pipe.send_bytes(marshal.dumps(("failed", index, traceback.format_exc())))
    finally:
        pipe.close()
