"""The two kinds of task a mirror build is made of, each a plain function a Dask worker (or this process) runs.

* `shard_file` (map): parse one PubMed XML file and split its records by PMID into partitions, one
  Parquet shard per partition: (pmid, seq, pos, deleted, data). `seq` is the file's place in the
  order the files apply (baseline first, then updates, each sorted by name), `pos` the record's place
  in its file, so a later file, or a later record of the same file, wins.
* `merge_partition` (reduce): read every file's shard of one partition and keep, for each PMID, the
  row with the highest (seq, pos); a PMID whose last row is a deletion is dropped. Written sorted by
  PMID, so the result does not depend on which worker parsed which file or when.

Tasks take and return only paths and plain values, and write into a directory every worker can
see (a shared file system on a multi-node cluster).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed.reader import iter_pubmed_xml

__all__ = ["ShardResult", "merge_partition", "partition_of", "shard_file", "shard_folder"]

SHARD_SCHEMA = pa.schema([("pmid", pa.int64()), ("seq", pa.int32()), ("pos", pa.int32()), ("deleted", pa.bool_()),
                          ("title", pa.string()), ("year", pa.int32()), ("data", pa.string())])
RECORD_SCHEMA = pa.schema([("pmid", pa.int64()), ("title", pa.string()), ("year", pa.int32()), ("data", pa.string())])
_DONE = "done.json"
_PMID = re.compile(r"[1-9][0-9]{0,17}")


def partition_of(pmid: str, partitions: int) -> int:
    return int(pmid) % partitions


def shard_folder(work: Path, seq: int) -> Path:
    return work / "shards" / f"file-{seq:05d}"


@dataclass
class ShardResult:
    """What parsing one file gave: its records and deletions, and every record it had to skip."""

    path: str
    seq: int
    size: int
    mtime_ns: int
    partitions: int
    records: int = 0
    deletions: int = 0
    skipped: list[str] = field(default_factory=list)  # one message per malformed record: file, position, PMID
    broken: str = ""  # why the file broke off ("" when read to its end)


def _file_identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _already_sharded(folder: Path, path: Path, partitions: int) -> ShardResult | None:
    """The earlier result for this file when its shards were written whole from the same bytes."""
    done = folder / _DONE
    if not done.exists():
        return None
    try:
        earlier = ShardResult(**json.loads(done.read_text(encoding="utf-8")))
    except (TypeError, ValueError):  # written by another version: parse the file again
        return None
    size, mtime_ns = _file_identity(path)
    same = (earlier.size, earlier.mtime_ns, earlier.path, earlier.partitions) == (size, mtime_ns, str(path), partitions)
    return earlier if same else None


def shard_file(path: str, seq: int, work: str, partitions: int) -> ShardResult:
    """Parse one file into per-partition shards under work/shards/file-<seq>; skipped when done before.

    A malformed record is skipped and named in the result; a file that breaks off returns `broken`
    and writes no shard, so a later run parses it again once it is whole."""
    source, folder = Path(path), shard_folder(Path(work), seq)
    earlier = _already_sharded(folder, source, partitions)
    if earlier is not None:
        return earlier
    size, mtime_ns = _file_identity(source)
    result = ShardResult(path=str(source), seq=seq, size=size, mtime_ns=mtime_ns, partitions=partitions)
    columns: list[list[list]] = [[[], [], [], [], [], []] for _ in range(partitions)]
    errors: list[MalformedRecord] = []
    try:
        for pos, record in enumerate(iter_pubmed_xml(source, errors=errors)):
            if not _PMID.fullmatch(record.pmid):  # the partition key and the int64 column need a plain number
                errors.append(MalformedRecord(str(source), pos, f"PMID {record.pmid!r} is not a number of at most "
                                              "18 digits without a leading zero", record.pmid))
                continue
            deleted = record.kind == "deleted"
            result.deletions += deleted
            result.records += not deleted
            row = (int(record.pmid), pos, deleted, record.title, record.year, "" if deleted else record.to_json())
            for column, value in zip(columns[partition_of(record.pmid, partitions)], row, strict=True):
                column.append(value)
    except MalformedRecord as broke:
        result.broken = str(broke)
    result.skipped = [str(error) for error in errors if str(error) != result.broken]
    if not result.broken:
        _write_shards(folder, seq, columns)
        (folder / _DONE).write_text(json.dumps(asdict(result)), encoding="utf-8")
    return result


def _write_shards(folder: Path, seq: int, columns: list[list[list]]) -> None:
    shutil.rmtree(folder, ignore_errors=True)  # shards of an earlier run, perhaps into other partitions
    folder.mkdir(parents=True)
    for part, (pmids, positions, deleted, titles, years, data) in enumerate(columns):
        if not pmids:
            continue
        table = pa.table([pmids, [seq] * len(pmids), positions, deleted, titles, years, data], schema=SHARD_SCHEMA)
        pq.write_table(table, folder / f"part-{part:05d}.parquet", compression="zstd")


def _last_rows(table: pa.Table) -> pa.Table:
    """For each PMID the row of the highest (seq, pos), deletions dropped, sorted by PMID."""
    if table.num_rows == 0:
        return table
    order = table.sort_by([("pmid", "ascending"), ("seq", "ascending"), ("pos", "ascending")])
    pmids = order.column("pmid").to_numpy()
    last = np.ones(len(pmids), dtype=bool)
    last[:-1] = pmids[:-1] != pmids[1:]
    kept = order.filter(pa.array(last))
    return kept.filter(pc.invert(kept.column("deleted")))


def merge_partition(part: int, work: str, seqs: list[int], out: str) -> int:
    """Merge partition `part` of the files `seqs` into out/records/part-<part>.parquet; returns its record count."""
    shards = [path for seq in seqs if (path := shard_folder(Path(work), seq) / f"part-{part:05d}.parquet").exists()]
    table = pa.concat_tables([pq.read_table(path) for path in shards]) if shards else SHARD_SCHEMA.empty_table()
    result = _last_rows(table).select(RECORD_SCHEMA.names)
    target = Path(out) / "records" / f"part-{part:05d}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    pq.write_table(result, partial, compression="zstd", row_group_size=2000)
    os.replace(partial, target)
    return result.num_rows

