"""Files written beside the report: the included studies as RIS and BibTeX, in reference-number order, and
every list of records behind a number as CSV.

RIS and BibTeX come from the format writers that `exoreview export` uses, so a study reads the same in
the report's exports as in a full export.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from exoreview.formats.bibtex import write_bibtex
from exoreview.formats.ris import write_ris
from exoreview.records import Record
from exoreview.synthesis.build import Synthesis

EXPORTS = {"ris": "included-studies.ris", "bib": "included-studies.bib"}
RECORDS_BEHIND = "records-behind.csv"
RECORDS_BEHIND_HEADER = ("list", "record_id", "ref")


def included_ris(records: Iterable[Record]) -> str:
    return write_ris(list(records))


def included_bibtex(records: Iterable[Record]) -> str:
    return write_bibtex(list(records))


def write_records_behind(synthesis: Synthesis, path: Path) -> None:
    """One row per record per list, every list whole (the report prints the first ids of each): the list's key
    (the report's `data-list`, e.g. "flow:included"), the record id and the record's reference number when it is
    an included study. Written row by row: a review of 100,000 records has millions of rows, so the label each
    list has in the report is not repeated on each."""
    refs = {s.record_id: s.ref for s in synthesis.studies}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RECORDS_BEHIND_HEADER)
        for entry in synthesis.lists.values():
            writer.writerows((entry.key, record_id, refs.get(record_id, ""))
                             for record_id in entry.ids)
