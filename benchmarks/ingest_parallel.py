"""Multi-core ingest of several PubMed XML files into the review store: sequential vs ingest_pubmed_files.

Usage: python benchmarks/ingest_parallel.py [--json] [--files 4] [--records 30000] [--repeats 3] [--workers N]

Builds FILES gzipped files of RECORDS PubmedArticles each (tiled from the real
citations of shared/fixtures/pubmed_xml/medline16n0902.xml.gz, distinct PMIDs)
in a temp dir, then times, best of REPEATS, interleaved (the order alternates
each repeat), each into a fresh store:

- sequential: for each file, store.add_records(iter_pubmed_xml(file)) in this
  process: the same end product, one core;
- parallel: ingest_pubmed_files(store, files, workers=N) (default: every core):
  workers parse and build the rows, this process inserts them.
- parse_only / pool_count_only (a yardstick, no store): the files parsed in this
  process, then by a pool of N that returns only counts. Its speedup is what the
  cores free at that moment allow with nothing moved between processes.

The two stores are checked to hold the same rows (everything but the row id).
CPU seconds are reported too: `cpu_bound_speedup` = sequential CPU / (parallel
CPU of parent and workers / N) is the speedup the work split allows on N idle
cores; the wall-clock `speedup` is what this (shared, busy) machine gave.
load_avg_1m says how busy it was. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_common import shared_file

ROWS = ("SELECT source, source_id, pmid, doi, pmcid, title, year, synthetic, data, first_run_id, updated_run_id "
        "FROM records ORDER BY source, source_id")


def count_records(path: Path) -> int:
    from exoreview.formats.pubmed import iter_pubmed_xml

    return sum(1 for _record in iter_pubmed_xml(path))


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def rows_digest(db: Path) -> tuple[int, str]:
    from exoreview.store import Store

    digest = hashlib.sha256()
    count = 0
    with Store.open(db) as store:
        for row in store.db.execute(ROWS):
            digest.update(repr(tuple(row)).encode())
            count += 1
    return count, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--records", type=int, default=30_000, help="records per file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    args = parser.parse_args()

    from exoreview.bench.pubmed_tiling import tile_pubmed_xml
    from exoreview.formats.pubmed import iter_pubmed_xml
    from exoreview.store import Store
    from exoreview.store.ingest import ingest_pubmed_files

    total = args.files * args.records
    workers = args.workers or os.cpu_count() or 1
    best = {name: float("inf") for name in ("sequential", "parallel", "parse_only", "pool_count_only")}
    cpu = {"sequential": float("inf"), "parallel_parent": 0.0, "parallel_workers": 0.0}
    loads: list[float] = []

    def sequential(db: Path) -> None:
        before, _ = cpu_seconds()
        start = time.perf_counter()
        with Store.open(db) as store:
            for path in files:
                store.add_records(iter_pubmed_xml(path), source="bench")
        best["sequential"] = min(best["sequential"], time.perf_counter() - start)
        cpu["sequential"] = min(cpu["sequential"], cpu_seconds()[0] - before)

    def parallel(db: Path) -> None:
        own, children = cpu_seconds()
        start = time.perf_counter()
        with Store.open(db) as store:
            summary = ingest_pubmed_files(store, files, source="bench", workers=args.workers)
        seconds = time.perf_counter() - start
        assert summary.stored == total and not summary.errors, summary
        if seconds < best["parallel"]:
            after_own, after_children = cpu_seconds()
            best["parallel"] = seconds
            cpu["parallel_parent"], cpu["parallel_workers"] = after_own - own, after_children - children

    def yardstick() -> None:
        start = time.perf_counter()
        assert sum(count_records(path) for path in files) == total
        best["parse_only"] = min(best["parse_only"], time.perf_counter() - start)
        start = time.perf_counter()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            assert sum(pool.map(count_records, files)) == total
        best["pool_count_only"] = min(best["pool_count_only"], time.perf_counter() - start)

    with tempfile.TemporaryDirectory(prefix="exoreview-ingest-bench-") as folder:
        files = []
        for number in range(args.files):
            path = Path(folder) / f"part{number}.xml.gz"
            tile_pubmed_xml(shared_file(), path, args.records, first_pmid=90_000_000 + number * args.records)
            files.append(path)
        if not args.json:
            print(f"built {args.files} files of {args.records} records", file=sys.stderr)
        for repeat in range(args.repeats):
            seq_db, par_db = Path(folder) / f"seq{repeat}.db", Path(folder) / f"par{repeat}.db"
            loads.append(os.getloadavg()[0])
            if repeat % 2 == 0:
                sequential(seq_db)
                parallel(par_db)
            else:
                parallel(par_db)
                sequential(seq_db)
            yardstick()
            if repeat == 0:  # same rows, same JSON, whichever way they were stored
                stored = rows_digest(seq_db)
                assert stored[0] == total and rows_digest(par_db) == stored
            for db in (seq_db, par_db):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
            if not args.json:
                print(f"  repeat {repeat}: best sequential {best['sequential']:.2f} s, "
                      f"parallel {best['parallel']:.2f} s, load {loads[-1]:.2f}", file=sys.stderr)
        loads.append(os.getloadavg()[0])

    rate = {name: round(total / seconds) for name, seconds in best.items()}
    parallel_cpu = cpu["parallel_parent"] + cpu["parallel_workers"]
    figure = {
        "benchmark": "ingest_parallel",
        "sequential": rate["sequential"],
        "parallel": rate["parallel"],
        "speedup": round(best["sequential"] / best["parallel"], 2),
        "pool_count_only": rate["pool_count_only"],
        "parse_only": rate["parse_only"],
        "pool_count_only_speedup": round(best["parse_only"] / best["pool_count_only"], 2),
        "cpu_s_sequential": round(cpu["sequential"], 2),
        "cpu_s_parallel_parent": round(cpu["parallel_parent"], 2),
        "cpu_s_parallel_workers": round(parallel_cpu - cpu["parallel_parent"], 2),
        "cpu_bound_speedup": round(cpu["sequential"] / max(parallel_cpu / workers, cpu["parallel_parent"]), 2),
        "files": args.files,
        "records": total,
        "workers": workers,
        "repeats": args.repeats,
        "cpu_count": os.cpu_count(),
        "load_avg_1m": [round(load, 2) for load in loads],
        "python": platform.python_version(),
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
