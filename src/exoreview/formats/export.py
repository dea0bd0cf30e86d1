"""Write records in any export format by name: the one place the export command and others look writers up."""

from __future__ import annotations

from collections.abc import Sequence

from exoreview.records import Record

# Format -> the ending of its default file name: one each, so exports in two formats never overwrite each other,
# and `imports.detect_format` reads each back as the format it was written in.
EXPORT_FORMATS = {"ris": ".ris", "bibtex": ".bib", "nbib": ".nbib", "csv": ".csv", "csl-json": ".csl.json",
                  "asreview-csv": ".asreview.csv", "openalex": ".openalex.json"}


def write_records(records: Sequence[Record], fmt: str, labels: Sequence[bool | None] | None = None) -> str:
    """The text of `records` in `fmt` (one of EXPORT_FORMATS); `labels` fill ASReview's `included` column."""
    if fmt == "ris":
        from exoreview.formats.ris import write_ris

        return write_ris(records)
    if fmt == "bibtex":
        from exoreview.formats.bibtex import write_bibtex

        return write_bibtex(records)
    if fmt == "nbib":
        from exoreview.formats.medline import write_medline

        return write_medline(records)
    if fmt == "csv":
        from exoreview.formats.csv_table import write_csv

        return write_csv(records)
    if fmt == "csl-json":
        from exoreview.formats.csljson import write_csljson

        return write_csljson(records)
    if fmt == "asreview-csv":
        from exoreview.formats.asreview_csv import write_asreview_csv

        return write_asreview_csv(records, labels)
    if fmt == "openalex":
        from exoreview.formats.openalex import write_openalex_json

        return write_openalex_json(records)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
