"""Faults the local E-utilities service can inject, to test clients against bad days."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(slots=True)
class Fault:
    """One misbehaviour, applied to the next request of `utility` ("*" for any)."""

    utility: str = "*"
    status: int = 0  # answer with this HTTP status instead (429, 500, 503...)
    retry_after: float | None = None  # Retry-After header with a 429
    delay: float = 0.0  # seconds to wait before answering
    cut: float = 0.0  # send only this fraction of the body, as a complete (but broken) answer
    drop: bool = False  # close the connection half-way through the body
    times: int = 1  # how many requests this fault applies to
    after: int = 0  # let this many matching requests through untouched first


class FaultPlan:
    """A thread-safe queue of faults consumed by matching requests, in order."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self._faults = list(faults or [])
        self._lock = threading.Lock()
        self.applied: list[tuple[str, Fault]] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, utility: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.utility in ("*", utility):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    self.applied.append((utility, fault))
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.applied.clear()

    def pending(self) -> int:
        with self._lock:
            return len(self._faults)
