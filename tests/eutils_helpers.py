"""Test helpers: the real local E-utilities service over real records, and a fast client for it."""

from __future__ import annotations

import httpx

from exoreview.eutils.faults import FaultPlan
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pubmed import PubMedClient


class SleepRecorder:
    """Stands in for time.sleep in retry policies: records the waits instead of spending them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def fast_client(base_url: str, *, timeout: float = 5.0, attempts: int = 4) -> tuple[PubMedClient, SleepRecorder]:
    sleeps = SleepRecorder()
    client = PubMedClient(base_url=base_url, http=httpx.Client(timeout=timeout), rate=1000.0,
                          policy=RetryPolicy(attempts=attempts, base_delay=0.01, sleep=sleeps))
    return client, sleeps


def reset(plan: FaultPlan) -> None:
    plan.clear()
