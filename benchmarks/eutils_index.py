"""The local E-utilities' search index in memory (RecordIndex) and on disk (DiskIndex, SQLite FTS5), side by side.

Usage:
    python benchmarks/eutils_index.py [--sizes 10000,100000] [--json]

Per size, a synthetic corpus of N PubMed-style records (the demo's generator) is written once into an
on-disk index; then two fresh processes answer the same queries, one from an in-memory index built
from the records (what `serve-eutils --store` does) and one from the index file (`serve-eutils
--index`). Each reports its peak memory (proportional set size, sampled every 20 ms), seconds to be
ready, and milliseconds per query; the answers of the two (every PMID, in order) must be identical,
or the run fails. The queries: the built-in protocol's PubMed query, phrases, stems, MeSH, dates,
authors and a long OR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scale import _memory

QUERIES = (
    "PROTOCOL",
    "exosomes[mh]",
    '"extracellular vesicles"[tiab] AND skin[tiab]',
    "wrinkle*[tiab] OR alopecia[mh] OR melasma[tiab]",
    "2018/01/01:2022/12/31[dp] AND humans[mh]",
    "free full text[sb] AND review[pt]",
    "(hair OR scalp OR follicle*) NOT mice[mh]",
    " OR ".join(f"{word}[tiab]" for word in ("acne", "scar", "wound", "pigment*", "laser", "microneedl*",
                                              "serum", "injection", "keloid", "psoriasis")),
)


class PeakMeter:
    """Peak memory of this process and its children, sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak = 0
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        pid = os.getpid()
        while True:
            self.peak = max(self.peak, _memory(pid))
            time.sleep(0.02)


def _corpus(size: int) -> list:
    from exoreview.demo.corpus.demo import demo_corpus

    return demo_corpus(2025, size).pubmed


def _protocol_query() -> str:
    from exoreview.protocol import load_protocol

    spec = load_protocol("exosome-aesthetics").source("pubmed")
    assert spec is not None
    return spec.query_string()


def build(size: int, path: Path) -> dict:
    from exoreview.eutils.disk_index import DiskIndex

    started = time.perf_counter()
    DiskIndex.build(path, _corpus(size)).close()
    return {"build_seconds": round(time.perf_counter() - started, 1), "disk_mb": round(path.stat().st_size / 1e6, 1)}


def serve(kind: str, size: int, path: Path) -> dict:
    """Ready the index of one kind, answer every query twice (the second timed), report what it cost."""
    from exoreview.eutils.disk_index import DiskIndex
    from exoreview.eutils.index import RecordIndex
    from exoreview.mesh.tree import MeshTree

    meter = PeakMeter()
    started = time.perf_counter()
    index = RecordIndex(_corpus(size), mesh=MeshTree.demo()) if kind == "memory" else \
        DiskIndex(path, mesh=MeshTree.demo())
    ready = time.perf_counter() - started
    answers, times = hashlib.sha256(), []
    for query in QUERIES:
        query = _protocol_query() if query == "PROTOCOL" else query
        index.search(query)
        began = time.perf_counter()
        found = index.search(query)
        times.append((time.perf_counter() - began) * 1000)
        answers.update((query + "\t" + ",".join(found) + "\n").encode())
    time.sleep(0.05)
    return {"kind": kind, "ready_seconds": round(ready, 1), "peak_mb": round(meter.peak / 1e6),
            "query_ms": [round(t, 1) for t in times], "answers": answers.hexdigest()}


def run_size(size: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.sqlite"
        row = {"records": size, **_child("build", size, path)}
        for kind in ("memory", "disk"):
            row[kind] = _child(kind, size, path)
    if row["memory"]["answers"] != row["disk"]["answers"]:
        sys.exit(f"{size} records: the on-disk index answered differently from the in-memory one")
    return row


def _child(kind: str, size: int, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(size), str(path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, size, path = args.child[0], int(args.child[1]), Path(args.child[2])
        print(json.dumps(build(size, path) if kind == "build" else serve(kind, size, path)))
        return 0
    rows = [run_size(int(size)) for size in args.sizes.split(",")]
    if args.json:
        print(json.dumps({"benchmark": "eutils_index", "queries": len(QUERIES), "sizes": rows}))
        return 0
    print(f"{'records':>8} {'index':>7} {'ready s':>8} {'peak MB':>8} {'median query ms':>16} {'max query ms':>13}")
    for row in rows:
        for kind in ("memory", "disk"):
            part = row[kind]
            times = sorted(part["query_ms"])
            print(f"{row['records']:>8} {kind:>7} {part['ready_seconds']:>8} {part['peak_mb']:>8} "
                  f"{times[len(times) // 2]:>16} {times[-1]:>13}")
        print(f"{'':>8} on disk: {row['disk_mb']} MB, built in {row['build_seconds']} s; answers identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
