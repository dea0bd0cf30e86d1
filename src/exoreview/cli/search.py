"""Retrieval commands: `exoreview retrieve` (one PubMed search into a review folder) and `exoreview audit raw`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from exoreview.cli.common import (
    ATTEMPTS_HELP,
    ApiKeyOption,
    BaseUrlOption,
    EmailOption,
    console,
    out,
    print_retry,
    progress_bar,
)
from exoreview.runlog import write_run_log, write_search_log
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.http import RetryPolicy
from exoreview.sources.pubmed import EFETCH_MAX_BATCH, NCBI_EUTILS, PubMedClient, raw_record_xml
from exoreview.store import open_for_writing

audit_app = typer.Typer(no_args_is_help=True, help="Show the raw material behind the review's records.")

STORE_FILE = "review.sqlite"


def _client(base_url: str | None, email: str | None, api_key: str | None, attempts: int, rate: float | None,
            archive: ResponseArchive | None) -> PubMedClient:
    url = base_url or NCBI_EUTILS
    key = api_key or ""
    if rate is not None and url.startswith(NCBI_EUTILS):
        rate = min(rate, 10.0 if key else 3.0)  # never above what NCBI allows
    return PubMedClient(base_url=url, email=email or "", api_key=key,
                        rate=rate, policy=RetryPolicy(attempts=max(1, attempts)), archive=archive,
                        on_retry=print_retry)


def retrieve(query: str = typer.Argument(..., help="A PubMed query, sent exactly as written."),
             directory: Path = typer.Option(Path("."), "--dir", help="Review folder (created if missing)."),
             base_url: str = BaseUrlOption, email: str = EmailOption, api_key: str = ApiKeyOption,
             batch_size: int = typer.Option(EFETCH_MAX_BATCH, help=f"PMIDs per EFetch (1-{EFETCH_MAX_BATCH})."),
             rate: float = typer.Option(None, help="Requests per second (capped at NCBI's limit for NCBI)."),
             refresh: bool = typer.Option(False, "--refresh", help="Ask PubMed again instead of replaying the "
                                          "archived search answers."),
             attempts: int = typer.Option(6, help=ATTEMPTS_HELP)) -> None:
    """Retrieve every record of one PubMed query into DIR/review.sqlite; killed, it resumes where it stopped.

    Raw answers are kept in DIR/raw (a re-run replays them without network); the PRISMA-S search log is
    written to DIR/search-log.json and DIR/search-log.md.
    """
    from exoreview.sources.pubmed_search import retrieve_pubmed

    if not 0 < batch_size <= EFETCH_MAX_BATCH:
        raise typer.BadParameter(f"must be 1-{EFETCH_MAX_BATCH}", param_hint="--batch-size")
    directory.mkdir(parents=True, exist_ok=True)
    client = _client(base_url, email, api_key, attempts, rate, ResponseArchive(directory / ARCHIVE_DIR))
    client.replay_searches = not refresh
    status = "failed"
    with open_for_writing(directory / STORE_FILE, "retrieve") as store:
        run_id = store.start_run("retrieve")
        try:
            with progress_bar("Fetching records") as progress:
                result = retrieve_pubmed(store, client, query, run_id=run_id, batch_size=batch_size,
                                         progress=progress)
            status = "ok"
        finally:
            client.close()
            store.finish_run(run_id, status)
            log_file = write_run_log(store, run_id, directory / "logs")
            json_log, md_log = write_search_log(store, directory)
    out.print(f"Search {result.search_id}: {result.count} match, {result.retrieved} stored"
              + (" (resumed)" if result.resumed else "") + f"; {result.requests_sent} requests sent.")
    for message in result.skipped:
        out.print(f"  skipped: {message}")
    out.print(f"Run log: {log_file}")
    out.print(f"Search log: {json_log} and {md_log}")


@audit_app.command("raw")
def audit_raw(pmid: str = typer.Argument(..., help="PMID of a record in the review."),
              directory: Path = typer.Option(Path("."), "--dir", help="The review folder.")) -> None:
    """Print the raw PubMed XML behind a record, exactly as PubMed sent it, from the review's archive."""
    archive_dir = directory / ARCHIVE_DIR
    if not archive_dir.is_dir():
        raise FileNotFoundError(f"{archive_dir}: no archive of raw answers in this review folder")
    found = raw_record_xml(ResponseArchive(archive_dir), pmid.strip())
    if found is None:
        raise FileNotFoundError(f"PMID {pmid}: no archived EFetch answer in {archive_dir} holds this record")
    xml, answer = found
    console.print(f"PMID {pmid}: {answer.method} {answer.url} answered {answer.answered_at} "
                  f"(HTTP {answer.status}, {answer.content_type}); archive entry {answer.key}"
                  + (f"; {answer.note}" if answer.note else ""), markup=False, highlight=False)
    sys.stdout.buffer.write(xml if xml.endswith(b"\n") else xml + b"\n")
    sys.stdout.flush()
