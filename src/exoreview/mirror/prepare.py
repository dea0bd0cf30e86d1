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
_FLUSH = 2000  # rows per row group


def _part_file(mirror: Path, folder: str, part: int) -> Path:
    return mirror / folder / f"part-{part:05d}.parquet"


def _records(mirror: Path, part: int) -> Iterator[tuple[int, Record]]:
    source = _part_file(mirror, "records", part)
    if source.exists():
        for batch in pq.ParquetFile(source).iter_batches(batch_size=500, columns=["pmid", "data"]):
            for pmid, text in zip(batch.column("pmid").to_pylist(), batch.column("data").to_pylist(), strict=True):
                yield pmid, Record.from_json(text)


class _PartWriter:
    """One partition's Parquet file written in row groups of `_FLUSH` rows, so a task's memory does not
    grow with its partition; renamed into place when whole."""

    def __init__(self, target: Path, schema: pa.Schema) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target, self.partial = target, target.with_name(target.name + ".partial")
        self.writer = pq.ParquetWriter(self.partial, schema, compression="zstd")
        self.columns: list[list] = [[] for _ in schema.names]
        self.rows = 0

    def add(self, row: tuple) -> None:
        for column, value in zip(self.columns, row, strict=True):
            column.append(value)
        self.rows += 1
        if len(self.columns[0]) >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        self.writer.write_table(pa.table(self.columns, schema=self.writer.schema))
        self.columns = [[] for _ in self.columns]

    def close(self) -> int:
        self._flush()
        self.writer.close()
        os.replace(self.partial, self.target)
        return self.rows


def prepare_partition(part: int, mirror: str, protocol: str) -> int:
    """Write index-rows/part-<part>.parquet and, with a protocol, labels/part-<part>.parquet (each label
    with its evidence; its record id is the PMID), in row groups. Returns the number of labels."""
    folder = Path(mirror)
    classifier = _classifier(protocol)
    rows = _PartWriter(_part_file(folder, "index-rows", part), ROW_SCHEMA)
    labels = _PartWriter(_part_file(folder, "labels", part), LABEL_SCHEMA) if classifier else None
    for pmid, record in _records(folder, part):
        row = index_row(record)
        rows.add((*row[:4], *row.words, json.dumps(row.keys), json.dumps(row.mesh_names)))
        for label in classifier.classify(record, pmid) if classifier else ():
            found = label.evidence
            labels.add((pmid, label.facet, label.value, found.sentence, found.field_name, found.start, found.end,
                        found.method, label.negated, label.hedged, label.detail))
    rows.close()
    return labels.close() if labels else 0


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
