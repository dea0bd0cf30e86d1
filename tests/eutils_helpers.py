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


def synthetic_dated_records(n: int, *, seed: int = 7, first_pmid: int = 70_000_000) -> list:
    """A lightweight SYNTHETIC PubMed corpus for scale tests: n records with varied publication dates.

    Most records carry a full date; some only a month or a year (PubMed files those under the first day),
    some a MedlineDate string, a few none at all, and one day is crowded, so date splitting has to go deep.
    Titles are our own template words; every record is flagged synthetic.
    """
    import random

    from exoreview.records import PubDate, Record

    rng = random.Random(seed)
    records = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.06:
            date = PubDate(2019, 1, 1)  # the crowded day: several thousand records
        elif roll < 0.12:
            date = PubDate(rng.randint(1995, 2024), rng.randint(1, 12))
        elif roll < 0.14:
            date = PubDate(rng.randint(1970, 2024))
        elif roll < 0.15:
            date = PubDate(medline_date=f"{rng.randint(1980, 2020)} Nov-Dec")
        elif roll < 0.152:
            date = PubDate()
        else:
            date = PubDate(rng.randint(1960, 2025), rng.randint(1, 12), rng.randint(1, 28))
        records.append(Record(pmid=str(first_pmid + i), title=f"Synthetic skin study number {i}",
                              pub_date=date, languages=["eng"], synthetic=True))
    return records
