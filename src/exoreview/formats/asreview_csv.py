"""ASReview-compatible CSV: the general CSV table with ASReview's columns and its inclusion label.

ASReview reads title, abstract, authors, keywords, doi, year and a label
column (`label_included`, or `included` / `final_included`); its exports add
`included` (1, 0, or empty when unlabelled) to the dataset's columns, with
`record_id` numbering the rows. We read both shapes and write either, with
ASReview's columns first and then every other column of `csv_table` (pages,
volume, issue, PMCID, MeSH...), which ASReview keeps as they are. Cells that
would run as spreadsheet formulas are neutralised as in `csv_table`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from exoreview.formats.csv_table import DEFAULT_COLUMNS, iter_csv_rows, write_csv
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.records import Record

_ASREVIEW_FIRST = ("record_id", "title", "abstract", "authors", "keywords", "doi", "year", "journal", "pmid")
COLUMNS = (*_ASREVIEW_FIRST, *(c for c in DEFAULT_COLUMNS if c not in _ASREVIEW_FIRST))
DATASET_LABEL = "label_included"  # a labelled dataset (SYNERGY, ASReview's simulation input)
EXPORT_LABEL = "included"  # what ASReview LAB writes when exporting a project
_YES = {"1", "1.0", "yes", "y", "true", "include", "included"}
_NO = {"0", "0.0", "no", "n", "false", "exclude", "excluded", "-1"}


@dataclass(slots=True)
class LabelledRow:
    record: Record
    record_id: str  # the file's own id for the row (its position when the file has none)
    included: bool | None  # None: not labelled


def parse_label(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def iter_asreview_csv(source: str | Path, *, errors: list[MalformedRecord] | None = None,
                      label: str = "", notes: list[str] | None = None) -> Iterator[LabelledRow]:
    """Rows of an ASReview dataset or export, with their label (None where unlabelled)."""
    for row in iter_csv_rows(source, errors=errors, label=label, notes=notes):
        record_id = row.cells.get("record_id") or str(row.position)
        row.record.extra.setdefault("record_id", record_id)
        yield LabelledRow(row.record, record_id, parse_label(row.cells.get("label", "")))


def iter_asreview_records(source: str | Path, *, errors: list[MalformedRecord] | None = None,
                          label: str = "", notes: list[str] | None = None) -> Iterator[Record]:
    for row in iter_asreview_csv(source, errors=errors, label=label, notes=notes):
        yield row.record


def write_asreview_csv(records: Iterable[Record], labels: Iterable[bool | None] | None = None, *,
                       label_column: str = EXPORT_LABEL) -> str:
    """CSV ASReview can read. With `labels`, a `label_column` of 1/0/empty; record_id numbers rows from 0
    unless a record carries its own."""
    records = list(records)
    label_list = list(labels) if labels is not None else None
    if label_list is not None and len(label_list) != len(records):
        raise ValueError(f"{len(label_list)} labels for {len(records)} records")
    extra = []
    for n, record in enumerate(records):
        cells = {"record_id": record.extra.get("record_id") or str(n)}
        if label_list is not None:
            value = label_list[n]
            cells[label_column] = "" if value is None else str(int(value))
        extra.append(cells)
    columns = list(COLUMNS) + ([label_column] if label_list is not None else [])
    return write_csv(records, columns, extra)


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    return list(iter_asreview_records(path, errors=options.errors, notes=options.notes))


READER = Reader(_read_file, endings=(".asreview.csv",))
WRITER = Writer(write_asreview_csv, ending=".asreview.csv")

__all__ = ["COLUMNS", "DATASET_LABEL", "EXPORT_LABEL", "LabelledRow", "iter_asreview_csv", "iter_asreview_records",
           "parse_label", "write_asreview_csv"]
