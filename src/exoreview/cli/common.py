"""What every command shares: the console, exit codes, the PubMed client from options."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from exoreview.records import bare_doi
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pubmed import NCBI_EUTILS, PubMedClient
from exoreview.store import Store

console = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)


# The environment variables exoreview reads, all of them, here: each is the default of its option.
EUTILS_URL_ENV, EMAIL_ENV, API_KEY_ENV = "EXOREVIEW_EUTILS_URL", "EXOREVIEW_EMAIL", "NCBI_API_KEY"

BaseUrlOption = typer.Option(None, "--base-url", envvar=EUTILS_URL_ENV, show_envvar=True,
                             help="E-utilities base URL (default NCBI's).")
EmailOption = typer.Option(None, "--email", envvar=EMAIL_ENV, show_envvar=True,
                           help="Your email, sent to NCBI as they ask (and to Europe PMC and OpenAlex).")
ApiKeyOption = typer.Option(None, "--api-key", envvar=API_KEY_ENV, show_envvar=True,
                            help="NCBI API key: 10 requests/s instead of 3.")


def email_configured() -> bool:
    return bool(os.environ.get(EMAIL_ENV))


def print_retry(message: str) -> None:
    """A retry notice, printed as written (a query's "[tiab]" is text, not Rich markup)."""
    console.print(Text(message, style="yellow"))


def make_client(base_url: str | None, email: str | None, api_key: str | None, attempts: int = 6) -> PubMedClient:
    """A PubMed client from the options (whose defaults come from the environment)."""
    return PubMedClient(policy=RetryPolicy(attempts=max(1, attempts)), base_url=base_url or NCBI_EUTILS,
                        email=email or "", api_key=api_key or "", on_retry=print_retry)


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
