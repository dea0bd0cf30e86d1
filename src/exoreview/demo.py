"""The offline demo: a synthetic corpus behind the local E-utilities service, the whole review run over it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exoreview.corpus import demo_corpus
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.ris import write_ris
from exoreview.mesh.tree import MeshTree
from exoreview.pipeline import RunSummary, run_review
from exoreview.review import ReviewFolder, init_folder
from exoreview.sources.pubmed import PubMedClient
from exoreview.store import Store

MIRROR_FILE = "pubmed-mirror.sqlite"
ALL_FORMATS = ("html", "md", "docx", "pdf")
HAND_SEARCH_FILE = "hand-search.ris"


@dataclass(slots=True)
class DemoResult:
    folder: ReviewFolder
    summary: RunSummary
    mirror: Path
    base_url: str


def build_mirror(path: Path, seed: int) -> tuple[list, list]:
    """Write the synthetic PubMed records and the demo MeSH tree into a local mirror store."""
    corpus = demo_corpus(seed)
    path.unlink(missing_ok=True)
    with Store.open(path) as mirror:
        mirror.set_meta("corpus", "synthetic")
        mirror.set_meta("corpus_seed", str(seed))
        mirror.load_mesh_rows(MeshTree.demo().rows())
        mirror.add_records(corpus.pubmed, source="pubmed")
    return corpus.pubmed, corpus.hand_search


def run_demo(out: Path, *, seed: int = 2025, say: Callable[[str], None] = lambda _: None,
             progress: Callable[[int, int], None] | None = None) -> DemoResult:
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("review.sqlite", "review.sqlite-wal", "review.sqlite-shm", "protocol.toml"):
        (out / stale).unlink(missing_ok=True)
    mirror_path = out / MIRROR_FILE
    pubmed_records, hand_search = build_mirror(mirror_path, seed)
    say(f"Synthetic corpus: {len(pubmed_records)} PubMed-style records, {len(hand_search)} hand-searched")
    hand_search_path = out / HAND_SEARCH_FILE
    hand_search_path.write_text(write_ris(hand_search), encoding="utf-8")

    folder = init_folder(out, "exosome-aesthetics")
    with Store.open(folder.store_file) as store:
        store.set_meta("corpus", "synthetic")
        store.set_meta("corpus_seed", str(seed))

    service = EutilsService(pubmed_records, mesh=MeshTree.demo(), last_update="synthetic corpus")
    with RunningService(service) as running:
        say(f"Local E-utilities service on {running.base_url}")
        # Loopback needs no politeness delay; the rate limiter still runs, just with a high rate.
        client = PubMedClient(base_url=running.base_url, tool="exoreview-demo", rate=200.0)
        try:
            summary = run_review(folder, client=client, imports=[hand_search_path], command="demo",
                                 say=say, progress=progress)
        finally:
            client.close()
    write_missing_formats(folder, summary)
    return DemoResult(folder, summary, mirror_path, running.base_url)


def write_missing_formats(folder: ReviewFolder, summary: RunSummary) -> None:
    """The demo shows every format (HTML, Markdown, DOCX, PDF) whatever the protocol asks the run for."""
    missing = [fmt for fmt in ALL_FORMATS if fmt not in summary.outputs]
    if not missing:
        return
    from exoreview.report.write import write_report
    from exoreview.synthesis.build import build_synthesis

    with Store.open(folder.store_file) as store:
        written = write_report(build_synthesis(store, folder.protocol(), base_dir=folder.root), folder.root,
                               formats=missing)
        for fmt, path in written.items():
            store.add_report_build(summary.run_id, fmt, str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    summary.outputs.update(written)
