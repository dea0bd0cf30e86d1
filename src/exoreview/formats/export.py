"""Write records in any export format by name: the one place the export command and others look writers up."""

from __future__ import annotations

from collections.abc import Sequence

from exoreview.formats.registry import WRITERS
from exoreview.records import Record

# Built-in format -> the ending of its default file name: one each, so exports in two formats never overwrite
# each other, and `imports.detect_format` reads each back as the format it was written in. Plug-ins add
# theirs to WRITERS.
EXPORT_FORMATS = {"ris": ".ris", "bibtex": ".bib", "nbib": ".nbib", "csv": ".csv", "csl-json": ".csl.json",
                  "asreview-csv": ".asreview.csv", "openalex": ".openalex.json"}


def export_formats() -> dict[str, str]:
    """Every format `export` can write, built-in or plug-in, with its default file ending."""
    return {name: writer.ending for name, writer in WRITERS.items()}


def write_records(records: Sequence[Record], fmt: str, labels: Sequence[bool | None] | None = None) -> str:
    """The text of `records` in `fmt` (a writer's name); `labels` fill ASReview's `included` column."""
    return WRITERS.get(fmt).write(records, labels)
