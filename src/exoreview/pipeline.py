"""One review run: the stages of `exoreview.stages` in order, in one store, with a citable log.

Each stage reads what the stages before it stored and writes its own results back; a re-run takes
only what is new, so `run` doubles as `update`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from exoreview.review import ReviewFolder
from exoreview.runlog import write_run_log, write_search_log
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.pubmed import PubMedClient
from exoreview.stages import AFTER_RUN, STAGES, RunContext, RunSummary
from exoreview.stages.context import Say
from exoreview.store import open_for_writing

__all__ = ["RunSummary", "run_review"]


def run_review(
    folder: ReviewFolder,
    *,
    client: PubMedClient,
    imports: list[Path] | None = None,
    command: str = "run",
    say: Say = lambda _: None,
    progress: Callable[[int, int], None] | None = None,
    clients: Mapping[str, object] | None = None,
) -> RunSummary:
    """`clients`: ready clients for sources by name (the demo's local servers); others come from the
    protocol's `[[sources]]` settings."""
    protocol = folder.protocol()
    if client.archive is None:  # raw answers live in the review folder: re-runs replay them, audits read them
        client.archive = ResponseArchive(folder.root / ARCHIVE_DIR)
    client.replay_searches = command != "update"  # an update asks PubMed again what matches today
    with open_for_writing(folder.store_file, command) as store:
        run_id = store.start_run(command, protocol.name, protocol.content_hash())
        context = RunContext(store, folder, protocol, RunSummary(run_id), client, imports=list(imports or []),
                             clients=clients or {}, say=say, progress=progress)
        _run_stages(context, command)
        for stage in AFTER_RUN:
            stage.run(context)
        return context.summary


def _run_stages(context: RunContext, command: str) -> None:
    store, protocol, run_id = context.store, context.protocol, context.run_id
    status = "failed"
    try:
        store.log(run_id, f"run {run_id}: protocol {protocol.name} v{protocol.version} "
                          f"(sha256 {protocol.content_hash()[:12]})")
        for stage in STAGES:
            stage.run(context)
        status = "ok"
    finally:
        store.finish_run(run_id, status)
        context.summary.log_file = write_run_log(store, run_id, context.folder.logs)
        write_search_log(store, context.folder.root)  # PRISMA-S: search-log.json and search-log.md

