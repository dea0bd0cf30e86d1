"""The last task of a mirror build, one per partition: read its merged records once, make the search
index's rows (so the one process that writes the index only inserts them) and, when asked, label them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from exoreview.eutils.disk_index import IndexRow, index_row
from exoreview.eutils.index import TEXT_FIELDS
from exoreview.records import Record

__all__ = ["LABEL_SCHEMA", "index_rows", "prepare_partition"]

LABEL_SCHEMA = pa.schema([("pmid", pa.int64()), ("facet", pa.string()), ("value", pa.string()),
                          ("sentence", pa.string()), ("field", pa.string()), ("start", pa.int32()),
                          ("end", pa.int32()), ("method", pa.string()), ("negated", pa.bool_()),
                          ("hedged", pa.bool_()), ("detail", pa.string())])
ROW_SCHEMA = pa.schema([("pmid", pa.string()), ("date", pa.int64()), ("number", pa.int64()), ("blob", pa.binary()),
                        *((f"words_{name}", pa.string()) for name in TEXT_FIELDS),
                        ("keys", pa.string()), ("mesh_names", pa.string())])


def _part_file(mirror: Path, folder: str, part: int) -> Path:
    return mirror / folder / f"part-{part:05d}.parquet"


def _write(table: pa.Table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, target)


def _records(mirror: Path, part: int) -> Iterator[tuple[int, Record]]:
    source = _part_file(mirror, "records", part)
    if source.exists():
        for batch in pq.ParquetFile(source).iter_batches(batch_size=500, columns=["pmid", "data"]):
            for pmid, text in zip(batch.column("pmid").to_pylist(), batch.column("data").to_pylist(), strict=True):
                yield pmid, Record.from_json(text)


def prepare_partition(part: int, mirror: str, protocol: str) -> int:
    """Write index-rows/part-<part>.parquet and, with a protocol, labels/part-<part>.parquet (each label
    with its evidence; its record id is the PMID). Returns the number of labels."""
    folder = Path(mirror)
    classifier = _classifier(protocol)
    rows: list[list] = [[] for _ in ROW_SCHEMA.names]
    labels: list[list] = [[] for _ in LABEL_SCHEMA.names]
    for pmid, record in _records(folder, part):
        row = index_row(record)
        for column, value in zip(rows, (*row[:4], *row.words, json.dumps(row.keys), json.dumps(row.mesh_names)),
                                 strict=True):
            column.append(value)
        for label in classifier.classify(record, pmid) if classifier else ():
            found = label.evidence
            for column, value in zip(labels, (pmid, label.facet, label.value, found.sentence, found.field_name,
                                              found.start, found.end, found.method, label.negated, label.hedged,
                                              label.detail), strict=True):
                column.append(value)
    _write(pa.table(rows, schema=ROW_SCHEMA), _part_file(folder, "index-rows", part))
    if classifier:
        _write(pa.table(labels, schema=LABEL_SCHEMA), _part_file(folder, "labels", part))
    return len(labels[0])


def _classifier(protocol: str) -> object:
    if not protocol:
        return None
    from exoreview.classify.base import StudyClassifier
    from exoreview.protocol import load_protocol

    return StudyClassifier(load_protocol(protocol).taxonomy)


def index_rows(mirror: Path, part: int) -> Iterator[IndexRow]:
    """The index rows prepare_partition wrote for a partition, in PMID order."""
    source = _part_file(mirror, "index-rows", part)
    for batch in pq.ParquetFile(source).iter_batches(batch_size=1000):
        columns = batch.to_pydict()
        for at in range(batch.num_rows):
            words = tuple(columns[f"words_{name}"][at] for name in TEXT_FIELDS)
            yield IndexRow(columns["pmid"][at], columns["date"][at], columns["number"][at], columns["blob"][at], words,
                           tuple(map(tuple, json.loads(columns["keys"][at]))),
                           tuple(map(tuple, json.loads(columns["mesh_names"][at]))))
