"""One review run: the stages of `exoreview.stages` in order, in one store, with a citable log.

Each stage reads what the stages before it stored and writes its own results back; a re-run takes
only what is new, so `run` doubles as `update`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from exoreview.review import ReviewFolder
from exoreview.runlog import write_run_log, write_search_log
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.pubmed import PubMedClient
from exoreview.stages import AFTER_RUN, STAGES, RunContext, RunSummary
from exoreview.stages.context import Say
from exoreview.store import Store, open_for_writing

__all__ = ["RunSummary", "run_review", "write_review_report"]


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



def write_review_report(folder: ReviewFolder, formats: Iterable[str] = (),
                        out_dir: Path | None = None) -> dict[str, Path]:
    """Write the report from the store (the protocol's formats unless given) and record each file built,
    with its SHA-256, against the latest run; `exoreview report` and the web app both build it here."""
    from exoreview.report.write import write_report  # the report's libraries load only when one is built
    from exoreview.synthesis.build import build_synthesis

    protocol = folder.protocol()
    with Store.open(folder.store_file) as store:
        outputs = write_report(build_synthesis(store, protocol, base_dir=folder.root), out_dir or folder.root,
                               formats=tuple(formats) or tuple(protocol.report.formats))
        runs = [r["id"] for r in store.runs()]
        for name, path in outputs.items():
            store.add_report_build(runs[-1] if runs else None, name, str(path),
                                   hashlib.sha256(path.read_bytes()).hexdigest())
    return outputs
