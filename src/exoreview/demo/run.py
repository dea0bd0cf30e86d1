"""The offline demo: a synthetic corpus behind local PubMed, Europe PMC, OpenAlex and ClinicalTrials.gov
services, the whole review run over it.

Every service listens on loopback only and serves a view of the SAME synthetic
corpus (`localapis.demo_corpus`), so deduplication, the PRISMA flow per source
and the trials table all have work. The demo's report is the same bytes on
every run with the same seed: the services are addressed by fixed names under
`.localhost` (their random ports never reach the store), and the store's clock
is pinned to `DEMO_CLOCK` while the demo runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from exoreview.demo.corpus import demo_corpus
from exoreview.demo.corpus.demo import DEMO_SIZE
from exoreview.demo.localapis import demo_corpus as views
from exoreview.demo.localapis import europepmc as epmc_api
from exoreview.demo.localapis.base import RunningApi
from exoreview.demo.localapis.ctgov import PREFIX as CTGOV_PREFIX
from exoreview.demo.localapis.ctgov import ClinicalTrialsService
from exoreview.demo.localapis.openalex import OpenAlexService
from exoreview.demo.localapis.routing import LoopbackRouter
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.ris import write_ris
from exoreview.mesh.tree import MeshTree
from exoreview.pipeline import RunSummary, run_review
from exoreview.protocol.model import SourceSpec
from exoreview.review import ReviewFolder, init_folder
from exoreview.sources.archive import ARCHIVE_DIR, ResponseArchive
from exoreview.sources.ctgov import ClinicalTrialsClient
from exoreview.sources.europepmc import EuropePmcClient
from exoreview.sources.json_search import JsonClient
from exoreview.sources.openalex_api import OpenAlexClient
from exoreview.sources.pubmed import PubMedClient
from exoreview.store import Store
from exoreview.store.database import pinned_clock

MIRROR_FILE = "pubmed-mirror.sqlite"
PUBMED_INDEX_FILE = "pubmed-index.sqlite"
# From this many records the demo's PubMed answers from an on-disk index (the same answers, tested): at 100k
# the in-memory index alone holds about 1.5 GB, the on-disk one about 60 MB (docs/scale.md).
PUBMED_ON_DISK_FROM = 20_000
ALL_FORMATS = ("html", "md", "docx", "pdf")
HAND_SEARCH_FILE = "hand-search.ris"


def build_mirror(path: Path, seed: int, size: int = DEMO_SIZE) -> tuple[list, list]:
    """Write the synthetic PubMed records and the demo MeSH tree into a local mirror store."""
    corpus = demo_corpus(seed, size)
    path.unlink(missing_ok=True)
    with Store.open(path) as mirror:
        mirror.set_meta("corpus", "synthetic")
        mirror.set_meta("corpus_seed", str(seed))
        mirror.load_mesh_rows(MeshTree.demo().rows())
        mirror.add_records(corpus.pubmed, source="pubmed")
    return corpus.pubmed, corpus.hand_search


# Every timestamp the demo's store writes (runs, searches, decisions): the report prints them.
DEMO_CLOCK = "2025-01-01T00:00:00Z"
# Loopback needs no politeness delay; the rate limiter still runs, just with a high rate.
DEMO_RATE = 200.0
# Fixed names for the local services (RFC 6761 `.localhost`: always this machine), with their API paths.
DEMO_URLS = {
    "pubmed": "http://eutils.demo.localhost/entrez/eutils/",
    "europepmc": f"http://europepmc.demo.localhost{epmc_api.PREFIX}",
    "openalex": "http://openalex.demo.localhost/",
    "ctgov": f"http://clinicaltrials.demo.localhost{CTGOV_PREFIX}",
}
# What the demo's ClinicalTrials.gov search asks (the built-in protocol's commented ctgov entry, plus
# plural forms: the local service does not stem words as the real one does).
CTGOV_INTERVENTION = 'exosome OR exosomes OR "extracellular vesicle" OR "extracellular vesicles" OR secretome'
CTGOV_CONDITION = ('skin OR hair OR alopecia OR "skin aging" OR photoaging OR wrinkles OR melasma OR '
                   'hyperpigmentation OR scar OR scars OR acne OR "atopic dermatitis" OR psoriasis OR vitiligo '
                   'OR wound OR wounds')


@dataclass(slots=True)
class DemoResult:
    folder: ReviewFolder
    summary: RunSummary
    mirror: Path
    base_url: str  # the PubMed service's (stable) address
    base_urls: dict[str, str] = field(default_factory=dict)  # every source's address, by source name


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list of strings is valid TOML


def demo_sources_toml(pubmed: SourceSpec) -> str:
    """`[[sources]]` entries for Europe PMC, OpenAlex and ClinicalTrials.gov, appended to the demo's protocol.

    Europe PMC and OpenAlex take PubMed's blocks and filters (translated, and logged, per source);
    ClinicalTrials.gov searches conditions and interventions. No `base_url`: the demo hands the pipeline
    clients for its local services, so the protocol stays the one a reviewer would run for real.
    """
    out = ["", "# Added by `exoreview demo`: the demo searches every source, each answered by a local service",
           "# serving the SYNTHETIC demo corpus. A review of your own names its sources the same way."]
    for name in ("europepmc", "openalex"):
        out += ["", "[[sources]]", f"name = {_toml(name)}"]
        if pubmed.free_full_text:
            out.append("free_full_text = true")
        for key in ("date_from", "date_to"):
            if getattr(pubmed, key):
                out.append(f"{key} = {_toml(getattr(pubmed, key))}")
        for block in pubmed.blocks:
            out += ["", "  [[sources.blocks]]", f"  name = {_toml(block.name)}", f"  mesh = {_toml(block.mesh)}",
                    f"  tiab = {_toml(block.tiab)}"]
    out += ["", "[[sources]]", 'name = "ctgov"', f"intervention = {_toml(CTGOV_INTERVENTION)}",
            f"condition = {_toml(CTGOV_CONDITION)}", ""]
    return "\n".join(out)


def with_all_formats(protocol_text: str) -> str:
    """The protocol asking for every report format, so the run renders figures once for all of them."""
    head, sep, tail = protocol_text.partition("\n[report]\n")
    formats = "formats = " + _toml(list(ALL_FORMATS))
    tail, found = re.subn(r"(?m)^formats\s*=\s*\[[^\]]*\]", formats, tail, count=1)
    if not sep:
        return protocol_text  # no [report] table to edit: write_missing_formats adds the rest
    return head + sep + (tail if found else f"{formats}\n{tail}")


def pubmed_service(out: Path, records: list, on_disk_from: int, stack: ExitStack) -> EutilsService:
    """The demo's E-utilities service: an in-memory index, or from `on_disk_from` records an on-disk one
    (closed with the stack)."""
    target = out / PUBMED_INDEX_FILE
    target.unlink(missing_ok=True)
    if len(records) < on_disk_from:
        return EutilsService(records, mesh=MeshTree.demo(), last_update="synthetic corpus")
    from exoreview.eutils.disk_index import DiskIndex

    with DiskIndex.written(target) as index:
        index.add(records)
    index = stack.enter_context(DiskIndex(target, mesh=MeshTree.demo()))
    return EutilsService(index=index, mesh=MeshTree.demo(), last_update="synthetic corpus")


def run_demo(out: Path, *, seed: int = 2025, records: int = DEMO_SIZE, say: Callable[[str], None] = lambda _: None,
             progress: Callable[[int, int], None] | None = None,
             pubmed_on_disk_from: int = PUBMED_ON_DISK_FROM) -> DemoResult:
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("review.sqlite", "review.sqlite-wal", "review.sqlite-shm", "protocol.toml"):
        (out / stale).unlink(missing_ok=True)
    # The raw archive is keyed by URL, and the demo's URLs are the same every run: answers archived for
    # another seed must not be replayed into this one.
    shutil.rmtree(out / ARCHIVE_DIR, ignore_errors=True)
    mirror_path = out / MIRROR_FILE
    pubmed_records, hand_search = build_mirror(mirror_path, seed, records)
    epmc_records = views.europepmc_records(pubmed_records, seed)
    works = views.openalex_works(pubmed_records, seed)
    studies = views.registry(seed)
    say(f"Synthetic corpus: {len(pubmed_records)} PubMed-style records ({len(epmc_records)} also in Europe PMC, "
        f"{len(works)} as OpenAlex works), {len(studies)} registered trials, {len(hand_search)} hand-searched")
    hand_search_path = out / HAND_SEARCH_FILE
    hand_search_path.write_text(write_ris(hand_search), encoding="utf-8")

    folder = init_folder(out, "exosome-aesthetics")
    pubmed_spec = folder.protocol().source("pubmed")
    assert pubmed_spec is not None, "the built-in protocol searches PubMed"
    text = folder.protocol_file.read_text(encoding="utf-8")
    folder.protocol_file.write_text(with_all_formats(text) + demo_sources_toml(pubmed_spec), encoding="utf-8")
    folder.protocol()  # still valid, or fail here with the loader's message

    with pinned_clock(DEMO_CLOCK), ExitStack() as stack:
        with Store.open(folder.store_file) as store:
            store.set_meta("corpus", "synthetic")
            store.set_meta("corpus_seed", str(seed))
        router = LoopbackRouter()
        pubmed = pubmed_service(out, pubmed_records, pubmed_on_disk_from, stack)
        servers = {
            "pubmed": RunningService(pubmed),
            "europepmc": RunningApi(epmc_api.EuropePmcService(epmc_records), prefix=epmc_api.PREFIX),
            "openalex": RunningApi(OpenAlexService(works)),
            "ctgov": RunningApi(ClinicalTrialsService(studies), prefix=CTGOV_PREFIX),
        }
        for name, server in servers.items():
            stack.enter_context(server)
            router.add(httpx.URL(DEMO_URLS[name]).host, server.port)
        say("Local services (loopback only, synthetic data): " + ", ".join(DEMO_URLS.values()))
        http = stack.enter_context(httpx.Client(transport=router, timeout=60.0))
        archive = ResponseArchive(out / ARCHIVE_DIR)
        client = PubMedClient(base_url=DEMO_URLS["pubmed"], http=http, tool="exoreview-demo", rate=DEMO_RATE,
                              archive=archive)
        clients: dict[str, JsonClient] = {
            "europepmc": EuropePmcClient(base_url=DEMO_URLS["europepmc"], http=http, rate=DEMO_RATE, archive=archive),
            "openalex": OpenAlexClient(base_url=DEMO_URLS["openalex"], http=http, rate=DEMO_RATE, archive=archive),
            "ctgov": ClinicalTrialsClient(base_url=DEMO_URLS["ctgov"], http=http, rate=DEMO_RATE, archive=archive),
        }
        summary = run_review(folder, client=client, imports=[hand_search_path], command="demo", say=say,
                             progress=progress, clients=clients)
        write_missing_formats(folder, summary)
    return DemoResult(folder, summary, mirror_path, DEMO_URLS["pubmed"], dict(DEMO_URLS))


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
