"""Build a PubMed mirror from NLM's baseline and update files, on a Dask cluster or in this process.

A mirror is a folder:

    records/part-NNNNN.parquet   every live record, partitioned by PMID, sorted by PMID (pmid, title, year, data)
    labels/part-NNNNN.parquet    with --classify: each record's labels with their evidence sentence
    index.sqlite                 the on-disk E-utilities index (`serve-eutils --mirror`)
    manifest.json                the files applied, in order, with their counts; the partitions; what was built
    build.log                    what the build did, step by step, with the time of each step

The build runs in three steps: every file is parsed into per-partition shards (one task per file),
each partition's shards are merged into its last revision of every PMID (one task per partition),
then the search index is built from the merged partitions (here, because SQLite has one writer).
The work happens in MIRROR.partial; the finished folder is renamed into place, so an interrupted
build never looks like a mirror, and a rerun reuses every file already sharded.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from exoreview.errors import BadInput
from exoreview.eutils.disk_index import DiskIndex
from exoreview.mirror.shards import ShardResult, merge_partition, shard_file
from exoreview.records import Record

__all__ = ["MirrorBuild", "build_mirror", "dask_client", "mirror_records", "pubmed_files"]

Step = Callable[[str], None]  # a finished step, as the build log says it
Tick = Callable[[str, int, int], None]  # (what, tasks done, tasks in all) while a step runs
_SUFFIXES = (".xml", ".xml.gz")
INDEX_NAME = "index.sqlite"


@dataclass
class MirrorBuild:
    """What a build applied and produced."""

    out: str
    partitions: int
    files: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    skipped: list[str] = field(default_factory=list)
    labelled: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def pubmed_files(folder: Path | None) -> list[Path]:
    """The PubMed XML files of a folder (.xml or .xml.gz), in name order, which is NLM's order of release."""
    if folder is None:
        return []
    if not folder.is_dir():
        raise BadInput(f"{folder}: not a folder of PubMed XML files")
    return sorted(path for path in folder.iterdir() if path.is_file() and path.name.endswith(_SUFFIXES))


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster of `workers` processes on loopback."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def _broken_files(results: list[ShardResult]) -> list[str]:
    return [f"{result.path}: {result.broken}" for result in results if result.broken]


def build_mirror(baseline: Path, updates: Path | None, out: Path, *, client: Any = None, partitions: int = 0,
                 classify: str = "", replace: bool = False, step: Step = lambda _: None,
                 tick: Tick = lambda *_: None) -> MirrorBuild:
    """Build the mirror `out` from every file of `baseline`, then of `updates`, applied in that order.

    `client` is a Dask client (None: every task in this process). `partitions` defaults to one per
    four files. `classify` names a protocol whose taxonomy labels every record. A file that breaks
    off stops the build (BadInput naming it) before anything is merged; the files sharded before it
    are kept in OUT.partial for the next run."""
    # Absolute paths: the workers of a cluster on other machines resolve them against their own directory.
    baseline, out = baseline.resolve(), out.resolve()
    files = pubmed_files(baseline) + pubmed_files(updates.resolve() if updates else None)
    if not files:
        raise BadInput(f"{baseline}: no PubMed XML files (.xml or .xml.gz) to build a mirror from")
    _check_target(out, replace)
    work = out.with_name(out.name + ".partial")
    build = MirrorBuild(out=str(out), partitions=partitions or max(1, -(-len(files) // 4)))
    log = _BuildLog(work, step, tick)
    try:
        log.line(f"Building {out} from {len(files)} files into {build.partitions} partitions")
        shards = _shard_files(files, work, build, client, log)
        _merge(work, build, shards, client, log)
        _prepare_and_index(work, build, _protocol_path(classify), client, log)
        _write_manifest(work, build, log)
    except BaseException as failure:
        log.line(f"Stopped: {type(failure).__name__}: {failure}")
        raise
    finally:
        log.close()
    _swap_into_place(work, out)
    return build


def is_mirror(folder: Path) -> bool:
    return (folder / "manifest.json").is_file() and (folder / INDEX_NAME).is_file()


def _check_target(out: Path, replace: bool) -> None:
    """A new folder, or with --replace a mirror: never a folder of anything else, which replacing would delete."""
    if not out.exists():
        return
    if not replace:
        raise BadInput(f"{out}: already exists; give --replace to build it again")
    if not is_mirror(out):
        raise BadInput(f"{out}: exists and is not a mirror (no manifest.json and {INDEX_NAME}); "
                       "--replace replaces only a mirror")


def _protocol_path(classify: str) -> str:
    """A protocol file as an absolute path (workers elsewhere resolve relative ones against their own directory)."""
    return str(Path(classify).resolve()) if classify and Path(classify).is_file() else classify


def _shard_files(files: list[Path], work: Path, build: MirrorBuild, client: Any, log: _BuildLog) -> list[ShardResult]:
    started = time.perf_counter()
    calls = [(str(path), seq, str(work), build.partitions) for seq, path in enumerate(files)]
    results = list(_in_order(client, shard_file, calls, log.tick, "Parsing files"))
    build.seconds["parse"] = round(time.perf_counter() - started, 2)
    if broken := _broken_files(results):
        raise BadInput("the build stopped: a file broke off (the files read whole are kept for the next run): "
                       + "; ".join(broken))
    for result in results:
        build.skipped.extend(result.skipped)
        for message in result.skipped:
            log.detail(f"Skipped: {message}")
        build.files.append({"path": result.path, "seq": result.seq, "records": result.records,
                            "deletions": result.deletions, "skipped": len(result.skipped)})
    log.line(f"Parsed {len(results)} files: {sum(r.records for r in results)} records, "
             f"{sum(r.deletions for r in results)} deletions, {len(build.skipped)} malformed records skipped "
             f"({build.seconds['parse']} s)")
    return results


def _merge(work: Path, build: MirrorBuild, shards: list[ShardResult], client: Any, log: _BuildLog) -> None:
    started = time.perf_counter()
    shutil.rmtree(work / "records", ignore_errors=True)  # partitions of an interrupted run may be split otherwise
    seqs = [result.seq for result in shards]
    calls = [(part, str(work), seqs, str(work)) for part in range(build.partitions)]
    build.records = sum(_in_order(client, merge_partition, calls, log.tick, "Merging partitions"))
    build.seconds["merge"] = round(time.perf_counter() - started, 2)
    log.line(f"Merged {build.partitions} partitions: {build.records} live records ({build.seconds['merge']} s)")


def _prepare_and_index(work: Path, build: MirrorBuild, protocol: str, client: Any, log: _BuildLog) -> None:
    """Index rows (and labels) made per partition on the workers; this process inserts each partition's rows,
    in partition order, while the workers go on with the later ones."""
    from exoreview.mirror.prepare import index_rows, prepare_partition

    started = time.perf_counter()
    for stale in ("labels", "index-rows"):  # of an interrupted run, perhaps with other partitions or no labels
        shutil.rmtree(work / stale, ignore_errors=True)
    calls = [(part, str(work), protocol) for part in range(build.partitions)]
    labels = 0
    with DiskIndex.written(work / INDEX_NAME) as index:
        for part, labelled in enumerate(_in_order(client, prepare_partition, calls, log.tick, "Indexing partitions")):
            labels += labelled
            index.add_prepared(index_rows(work, part))
    shutil.rmtree(work / "index-rows", ignore_errors=True)
    build.labelled = bool(protocol)
    build.seconds["index"] = round(time.perf_counter() - started, 2)
    labelled_by = f", {labels} labels by {protocol}" if protocol else ""
    log.line(f"Indexed {build.records} records in {INDEX_NAME}{labelled_by} ({build.seconds['index']} s)")


def _in_order(client: Any, task: Callable[..., Any], calls: list[tuple], tick: Tick, what: str) -> Iterator[Any]:
    """task(*call)'s results one by one in the calls' order, each as soon as it and those before it are done."""
    tick(what, 0, len(calls))
    pending = (task(*call) for call in calls) if client is None else _windowed(client, task, calls)
    for done, result in enumerate(pending, 1):
        yield result
        tick(what, done, len(calls))


def _windowed(client: Any, task: Callable[..., Any], calls: list[tuple]) -> Iterator[Any]:
    """Results in order, with at most two tasks per worker submitted ahead of the one awaited: the workers
    stay busy while the writer takes each result, and finished results do not pile up on disk."""
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    waiting: deque[Any] = deque()
    for call in calls:
        waiting.append(client.submit(task, *call, pure=False))
        if len(waiting) > window:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


def _write_manifest(work: Path, build: MirrorBuild, log: _BuildLog) -> None:
    shutil.rmtree(work / "shards", ignore_errors=True)
    (work / "manifest.json").write_text(json.dumps(asdict(build), indent=1) + "\n", encoding="utf-8")
    log.line(f"Done: {build.records} records in {build.out}")


def _swap_into_place(work: Path, out: Path) -> None:
    """The finished folder takes the mirror's name; an older mirror there is removed only after. A MIRROR.old
    left by a swap that was cut off is kept while no mirror stands at `out`, since it is the last whole one."""
    old = out.with_name(out.name + ".old")
    if out.exists():
        if old.exists() and is_mirror(old):
            shutil.rmtree(old)
        out.replace(old)
        work.replace(out)
        shutil.rmtree(old)
    else:
        work.replace(out)


def mirror_records(mirror: Path, *, batch: int = 1000) -> Iterator[Record]:
    """Every record of a mirror (or of its .partial folder), partition by partition, in PMID order; streamed."""
    for part in sorted((mirror / "records").glob("part-*.parquet")):
        for rows in pq.ParquetFile(part).iter_batches(batch_size=batch, columns=["data"]):
            yield from (Record.from_json(text) for text in rows.column("data").to_pylist())


class _BuildLog:
    """build.log in the work folder: every step with the time it finished; progress goes to the caller."""

    def __init__(self, work: Path, step: Step, tick: Tick) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self._file = (work / "build.log").open("a", encoding="utf-8")
        self.step, self.tick = step, tick

    def detail(self, text: str) -> None:
        """A line for the log only (each skipped record, say), not for the screen."""
        self._file.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {text}\n")

    def line(self, text: str) -> None:
        self.detail(text)
        self._file.flush()
        self.step(text)

    def close(self) -> None:
        self._file.close()

