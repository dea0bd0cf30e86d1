"""One review run: search, import, deduplicate, screen, classify, synthesize, report.

Each step reads what the previous steps stored and writes its own results
back; a re-run takes only what is new, so `run` doubles as `update`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from exoreview.classify.stage import classify_records
from exoreview.dedup import deduplicate
from exoreview.imports import import_file
from exoreview.protocol import Protocol
from exoreview.report.write import write_report
from exoreview.results import ELIGIBILITY, INCLUDE
from exoreview.review import ReviewFolder
from exoreview.runlog import write_run_log, write_search_log
from exoreview.screen import screen_records
from exoreview.screen.fulltext import awaiting_retrieval
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.pubmed import PubMedClient
from exoreview.sources.registry import SOURCES, SearchContext
from exoreview.store import Store, open_for_writing
from exoreview.synthesis.build import build_synthesis

Say = Callable[[str], None]


@dataclass(slots=True)
class RunSummary:
    run_id: int
    new_records: int = 0
    duplicates: int = 0
    screened: dict[str, int] = field(default_factory=dict)
    included: int = 0
    awaiting_retrieval: int = 0  # reports whose full text a reviewer must look for (`exoreview fulltext`)
    labels: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    log_file: Path | None = None
    skipped: list[str] = field(default_factory=list)


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
        return _run(store, folder, protocol, client, imports or [], command, say, progress, clients or {})


def _run(store: Store, folder: ReviewFolder, protocol: Protocol, client: PubMedClient, imports: list[Path],
         command: str, say: Say, progress: Callable[[int, int], None] | None,
         clients: Mapping[str, object]) -> RunSummary:
    before = store.record_count()
    run_id = store.start_run(command, protocol.name, protocol.content_hash())
    summary = RunSummary(run_id)
    status = "failed"
    try:
        store.log(run_id, f"run {run_id}: protocol {protocol.name} v{protocol.version} "
                          f"(sha256 {protocol.content_hash()[:12]})")
        for spec in protocol.sources:
            context = SearchContext(store, run_id, client, say=say, progress=progress, client=clients.get(spec.name))
            summary.skipped += SOURCES.get(spec.name).search(spec, context).skipped
        for path in imports:
            count, errors = import_file(store, path, run_id=run_id)
            summary.skipped += [str(e) for e in errors]
            say(f"Imported {count} records from {path.name}" + (f", {len(errors)} skipped" if errors else ""))
        summary.new_records = store.record_count() - before

        summary.duplicates = deduplicate(store, run_id=run_id)
        say(f"Deduplicated: {summary.duplicates} copies set aside")
        summary.screened = screen_records(store, protocol, run_id=run_id)
        included = [i for i, d in store.final_decisions(ELIGIBILITY).items() if d.label == INCLUDE]
        summary.included = len(included)
        summary.awaiting_retrieval = len(awaiting_retrieval(store))
        say(f"Screened: {sum(summary.screened.values())} decisions; {summary.included} studies included"
            + (f"; {summary.awaiting_retrieval} reports awaiting full-text retrieval" if summary.awaiting_retrieval
               else ""))
        summary.labels = classify_records(store, included, protocol.taxonomy, run_id=run_id)
        store.log(run_id, f"classify: {summary.labels} labels on {len(included)} included studies")
        say(f"Classified: {summary.labels} labels, each with its supporting sentence")
        status = "ok"
    finally:
        store.finish_run(run_id, status)
        summary.log_file = write_run_log(store, run_id, folder.logs)
        write_search_log(store, folder.root)  # PRISMA-S: search-log.json and search-log.md
    synthesis = build_synthesis(store, protocol, base_dir=folder.root)
    summary.outputs = write_report(synthesis, folder.root, formats=tuple(protocol.report.formats))
    for fmt, path in summary.outputs.items():
        store.add_report_build(run_id, fmt, str(path), _sha256(path))
    return summary


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
