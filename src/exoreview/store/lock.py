"""One writer per review: an advisory lock beside `review.sqlite`, released when its process dies.

Two `exoreview run` on one review at once would both add the same new records and decisions.
Commands that write a review's records, decisions or labels hold `writer_lock` while they work;
the lock is an flock on `review.sqlite.lock`, which the kernel releases on exit, crash or
kill -9, so a dead holder never blocks the next run. The lock file says who holds it (process,
command, since when), and a refused command names that process.

Whoever takes the lock knows no other writer is running, so runs still marked "running" were
cut short (killed, a crash, a full disk): they are marked "interrupted" on the spot.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exoreview.store.database import Store, StoreError, utc_now

_HELD: dict[Path, int] = {}  # lock files this process holds -> how many times (the lock is re-entrant)


class ReviewLocked(StoreError):
    """Another process is writing this review."""


def lock_path(store_file: Path) -> Path:
    return store_file.with_name(store_file.name + ".lock")


@contextmanager
def writer_lock(store_file: str | Path, command: str) -> Iterator[None]:
    """Hold the review's writer lock for the block; raise ReviewLocked naming the holder if another has it."""
    path = lock_path(Path(store_file).resolve())
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReviewLocked(f"{store_file}: another exoreview process is writing this review "
                               f"({_holder(fd)}); wait for it to finish, or stop it, then run again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "command": command, "since": utc_now()}).encode(), 0)
        _HELD[path] = 1
        try:
            yield
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        return "a process that did not say which"
    return f"process {data.get('pid', '?')}, `exoreview {data.get('command', '?')}`, since {data.get('since', '?')}"


@contextmanager
def open_for_writing(store_file: str | Path, command: str) -> Iterator[Store]:
    """The review's store, opened under its writer lock, with runs left dangling by a dead writer closed."""
    with writer_lock(store_file, command), Store.open(store_file) as store:
        interrupted = store.interrupt_dangling_runs()
        if interrupted:
            for run_id in interrupted:
                store.log(run_id, "run interrupted: its process stopped before the run finished "
                                  f"(found by `exoreview {command}`)", level="warning")
        yield store
