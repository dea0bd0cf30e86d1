"""Multi-core ingest: several PubMed XML files parsed sequentially vs with iter_pubmed_files.

Usage: python benchmarks/ingest_parallel.py [--json] [--files 4] [--records 30000] [--repeats 2] [--workers N]

Builds FILES gzipped files of RECORDS PubmedArticles each (tiled from the real
citations of shared/fixtures/pubmed_xml/medline16n0902.xml.gz, distinct PMIDs),
in a temp dir, then times, best of REPEATS, interleaved:

- sequential: iter_pubmed_xml over each file in turn, in this process;
- parallel: iter_pubmed_files(files, workers=N) (default: every core), whose
  helper processes send Records back in compact batches;
- pool_count_only (a yardstick, not an ingest): a process pool of N that parses
  the files and returns only counts. Its speedup is what the cores free at that
  moment allow with no records moved at all.

Both deliver every Record to this process, which collects the PMIDs and checks
they are exactly the ones written. Prints one JSON line with records/s
for each and the speedup. The machine is shared: load_avg_1m says how busy it was.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")


def shared_fixture() -> Path:
    shared = Path(os.environ.get("EXOREVIEW_SHARED", ROOT.parent / "shared"))
    path = shared / FIXTURE
    if not path.exists():
        sys.exit(f"missing {path}: set EXOREVIEW_SHARED to the shared data folder")
    return path


def count_records(path: Path) -> int:
    from exoreview.formats.pubmed_xml import iter_pubmed_xml

    return sum(1 for _record in iter_pubmed_xml(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--records", type=int, default=30_000, help="records per file")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    args = parser.parse_args()

    from exoreview.formats.parallel import iter_pubmed_files
    from exoreview.formats.pubmed_tiling import tile_pubmed_xml
    from exoreview.formats.pubmed_xml import iter_pubmed_xml

    total = args.files * args.records
    best = {"sequential": float("inf"), "parallel": float("inf"), "pool_count_only": float("inf")}
    workers = args.workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="exoreview-ingest-") as folder:
        files = []
        for number in range(args.files):
            path = Path(folder) / f"part{number}.xml.gz"
            tile_pubmed_xml(shared_fixture(), path, args.records, first_pmid=90_000_000 + number * args.records)
            files.append(path)
        if not args.json:
            print(f"built {args.files} files of {args.records} records", file=sys.stderr)
        expected = {str(90_000_000 + index) for index in range(total)}
        for _ in range(args.repeats):
            start = time.perf_counter()
            pmids = {record.pmid for path in files for record in iter_pubmed_xml(path)}
            best["sequential"] = min(best["sequential"], time.perf_counter() - start)
            assert pmids == expected, len(pmids)

            start = time.perf_counter()
            pmids = {record.pmid for record in iter_pubmed_files(files, workers=args.workers)}
            best["parallel"] = min(best["parallel"], time.perf_counter() - start)
            assert pmids == expected, len(pmids)

            start = time.perf_counter()
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                count = sum(pool.map(count_records, files))
            best["pool_count_only"] = min(best["pool_count_only"], time.perf_counter() - start)
            assert count == total, count
            if not args.json:
                print(f"  sequential {best['sequential']:.2f} s, parallel {best['parallel']:.2f} s", file=sys.stderr)

    rate = {name: round(total / seconds) for name, seconds in best.items()}
    figure = {
        "benchmark": "ingest_parallel",
        "sequential": rate["sequential"],
        "parallel": rate["parallel"],
        "speedup": round(best["sequential"] / best["parallel"], 2),
        "pool_count_only": rate["pool_count_only"],
        "pool_count_only_speedup": round(best["sequential"] / best["pool_count_only"], 2),
        "files": args.files,
        "records": total,
        "workers": workers,
        "repeats": args.repeats,
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
