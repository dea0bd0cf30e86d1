"""`exoreview mirror build` on a Dask LocalCluster of one worker and of two: records per second and scaling.

Writes N synthetic records (the demo's generator) as NLM baseline files (gzipped PubmedArticleSet, the
layout of ../shared/fixtures/pubmed_xml), plus update files that revise 2% of the records and delete
0.5%, then builds the same mirror once with each number of workers, each in a fresh output folder,
and checks the builds hold the same records, labels and search answers. The build's parallel steps
(parse, merge, index rows and labels per partition) run on the workers; the index file has one writer,
this process, which inserts each partition's rows while the workers prepare the next.

  python benchmarks/mirror_build.py [--records 20000] [--files 20] [--workers 1 2] [--no-classify] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from exoreview.demo.corpus import iter_records
from exoreview.eutils.disk_index import DiskIndex
from exoreview.formats.pubmed.writer import write_pubmed_xml
from exoreview.mirror import INDEX_NAME, build_mirror, dask_client
from exoreview.records import Record

QUERIES = ("exosomes", "skin AND hair", '"extracellular vesicles"[tiab]', "alopecia[mh]", "2020:2022[dp]",
           "review[pt] AND humans[mh]", "wound* OR scar*")


def write_files(folder: Path, records: int, files: int) -> tuple[Path, Path]:
    """Baseline files of `records` records, then ten update files: revisions and deletions."""
    baseline, updates = folder / "baseline", folder / "updates"
    baseline.mkdir()
    updates.mkdir()
    chunk: list[Record] = []
    per_file, number = -(-records // files), 0
    revised: list[Record] = []
    for at, record in enumerate(iter_records(records)):
        chunk.append(record)
        if at % 50 == 0:
            revised.append(record)
        if len(chunk) == per_file:
            number += 1
            (baseline / f"pubmed26n{number:04d}.xml.gz").write_bytes(gzip.compress(write_pubmed_xml(chunk), 1))
            chunk = []
    if chunk:
        (baseline / f"pubmed26n{number + 1:04d}.xml.gz").write_bytes(gzip.compress(write_pubmed_xml(chunk), 1))
    for day in range(10):
        mine = revised[day::10]
        changed = [dataclasses.replace(r, title=r.title + " (corrected)") for r in mine[::2]]
        gone = [Record(pmid=r.pmid, kind="deleted") for r in mine[1::4]]
        (updates / f"pubmed26n{2000 + day:04d}.xml.gz").write_bytes(gzip.compress(write_pubmed_xml(changed + gone), 1))
    return baseline, updates


def build(baseline: Path, updates: Path, out: Path, workers: int, classify: str) -> dict:
    started = time.perf_counter()
    with dask_client(None, workers) as client:
        ready = time.perf_counter() - started
        made = build_mirror(baseline, updates, out, client=client, classify=classify)
    seconds = time.perf_counter() - started - ready
    return {"workers": workers, "records": made.records, "seconds": round(seconds, 2),
            "cluster_start_s": round(ready, 2), "records_per_s": round(made.records / seconds, 1),
            "steps_s": made.seconds, "partitions": made.partitions}


def contents(mirror: Path) -> tuple:
    records = pq.read_table(mirror / "records").sort_by("pmid").to_pylist()
    labels = pq.read_table(mirror / "labels").to_pylist() if (mirror / "labels").exists() else []
    with DiskIndex(mirror / INDEX_NAME) as index:
        answers = [index.search(query) for query in QUERIES]
    return records, sorted(labels, key=lambda row: json.dumps(row, sort_keys=True)), answers


def measure(records: int, files: int, workers: list[int], classify: str) -> dict:
    """Build the same mirror with each number of workers; rates, speed-ups and whether the builds agree."""
    with tempfile.TemporaryDirectory(prefix="exoreview-mirror-") as tmp:
        baseline, updates = write_files(Path(tmp), records, files)
        runs = [build(baseline, updates, Path(tmp) / f"mirror-{n}", n, classify) for n in workers]
        same = len({repr(contents(Path(tmp) / f"mirror-{n}")) for n in workers}) == 1
    first = runs[0]
    for run in runs:
        run["speedup"] = round(first["seconds"] / run["seconds"] * first["workers"], 2)
        run["efficiency"] = round(run["speedup"] / run["workers"], 2)
    return {"benchmark": "mirror_build", "records_written": records, "files": files + 10, "classify": classify,
            "cores": os.cpu_count(), "runs": runs, "identical": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-classify", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    row = measure(args.records, args.files, args.workers, "" if args.no_classify else "exosome-aesthetics")
    if args.json:
        print(json.dumps(row, sort_keys=True))
    else:
        print(json.dumps(row, indent=1, sort_keys=True))
    return 0 if row["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
