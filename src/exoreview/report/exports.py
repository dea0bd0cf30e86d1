"""The included studies as reference-manager files, in reference-number order: RIS and BibTeX.

Both come from the format writers that `exoreview export` uses, so a study reads the same in the
report's exports as in a full export.
"""

from __future__ import annotations

from collections.abc import Iterable

from exoreview.formats.bibtex import write_bibtex
from exoreview.formats.ris import write_ris
from exoreview.records import Record


def included_ris(records: Iterable[Record]) -> str:
    return write_ris(list(records))


def included_bibtex(records: Iterable[Record]) -> str:
    return write_bibtex(list(records))
