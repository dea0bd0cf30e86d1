"""What every command shares: the console, exit codes, the PubMed client from options."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from exoreview.records import bare_doi
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pubmed import NCBI_EUTILS, PubMedClient
from exoreview.store import Store

console = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_SOURCE_FAILED = 0, 1, 2, 3


def make_client(base_url: str | None, email: str | None, api_key: str | None, attempts: int = 6) -> PubMedClient:
    """A client configured from options, else EXOREVIEW_EUTILS_URL / EXOREVIEW_EMAIL / NCBI_API_KEY."""
    return PubMedClient(
        policy=RetryPolicy(attempts=max(1, attempts)),
        base_url=base_url or os.environ.get("EXOREVIEW_EUTILS_URL") or NCBI_EUTILS,
        email=email or os.environ.get("EXOREVIEW_EMAIL", ""),
        api_key=api_key or os.environ.get("NCBI_API_KEY", ""),
        on_retry=lambda message: console.print(f"[yellow]{message}[/]"),
    )


@contextmanager
def progress_bar(description: str) -> Iterator[object]:
    """A rich progress bar; yields a (done, total) callback."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


ATTEMPTS_HELP = "How many times to try a request before giving up (retries back off exponentially)."


def find_study(store: Store, study: str) -> int:
    """The record a reviewer means: a PMID, a DOI (with or without https://doi.org/), a PMC ID, or a record number.

    Digits are read as a PMID first; when no record has that PMID, as the store's record number.
    Raises FileNotFoundError (bad input, exit 2) naming the store when nothing matches.
    """
    text = study.strip()
    record_id: int | None = None
    if text.upper().startswith("PMC"):
        record_id = store.find_record(pmcid=text)
    elif text.isdigit():
        record_id = store.find_record(pmid=text)
        if record_id is None and store.has_record(int(text)):
            record_id = int(text)
    elif text:
        record_id = store.find_record(doi=bare_doi(text))
    if record_id is None:
        raise FileNotFoundError(f"{study}: no record with this PMID, DOI, PMC ID or number in {store.path}")
    return record_id
