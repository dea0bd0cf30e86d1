"""The included studies as reference-manager files: RIS (formats.ris) and BibTeX.

BibTeX comes from `exoreview.formats.bibtex` when that module offers a writer; until then a
minimal writer on bibtexparser 2 stands in. Both list studies in reference-number order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import bibtexparser
from bibtexparser.model import Entry, Field

from exoreview.formats.ris import write_ris
from exoreview.records import Record
from exoreview.synthesis.tables import clean_title

_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def included_ris(records: Iterable[Record]) -> str:
    return write_ris(list(records))


def included_bibtex(records: Iterable[Record]) -> str:
    records = list(records)
    try:  # the formats module's writer, when it exists, is the one the project maintains
        from exoreview.formats import bibtex as formats_bibtex  # type: ignore[attr-defined]

        writer = getattr(formats_bibtex, "write_bibtex", None)
        if writer is not None:
            return writer(records)
    except ImportError:
        pass
    return _bibtex(records)


def _bibtex(records: list[Record]) -> str:
    library = bibtexparser.Library()
    used: set[str] = set()
    for number, record in enumerate(records, start=1):
        first = next((a.last_name or a.collective_name for a in record.authors if a.last_name or a.collective_name),
                     "anon")
        key = _KEY_UNSAFE.sub("", first) + str(record.year or "") or f"ref{number}"
        while key in used:
            key += "a"
        used.add(key)
        fields = [
            ("author", " and ".join(a.collective_name or f"{a.last_name}, {a.fore_name or a.initials}".strip(", ")
                                    for a in record.authors if a.collective_name or a.last_name)),
            ("title", "{" + clean_title(record.title) + "}"),
            ("journal", record.journal.title or record.journal.iso_abbreviation),
            ("year", str(record.year or "")),
            ("volume", record.journal.volume),
            ("number", record.journal.issue),
            ("pages", record.journal.pages.replace("-", "--")),
            ("doi", record.doi),
            ("pmid", record.pmid),
        ]
        library.add(Entry("article", key, [Field(k, v) for k, v in fields if v]))
    return bibtexparser.write_string(library)
