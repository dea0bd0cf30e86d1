"""Test helpers for the JSON sources: real local servers over real data, fast clients for them."""

from __future__ import annotations

import gzip
from functools import cache

import httpx

from exoreview.formats.openalex import iter_openalex_works
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Record
from exoreview.sources.http import RetryPolicy
from tests.conftest import shared_path
from tests.eutils_helpers import SleepRecorder

MEDLINE = ("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
SYNERGY = ("data", "synergy", "Donners_2021", "works_1.zip")


@cache
def _medline_records() -> tuple[Record, ...]:
    return tuple(iter_pubmed_xml(gzip.open(shared_path(*MEDLINE)).read()))


def medline_records() -> list[Record]:
    """The real PubMed records of a MEDLINE baseline file in ../shared."""
    return list(_medline_records())


@cache
def _synergy_works() -> tuple[dict, ...]:
    return tuple(iter_openalex_works(shared_path(*SYNERGY)))


def synergy_works() -> list[dict]:
    """Real OpenAlex works of a SYNERGY dataset in ../shared."""
    return list(_synergy_works())


def fast(kind: type, base_url: str, *, attempts: int = 4, **kwargs: object) -> tuple:
    """A client of `kind` at base_url that records its retry waits instead of sleeping them."""
    sleeps = SleepRecorder()
    client = kind(base_url=base_url, http=httpx.Client(timeout=5.0), rate=1000.0,
                  policy=RetryPolicy(attempts=attempts, base_delay=0.01, sleep=sleeps), **kwargs)
    return client, sleeps
