"""Import reference files into a review: each file is a source of its own in the PRISMA flow.

The format is found from the file's name and, where names are ambiguous
(.txt, .json, .csv), from its first bytes: RIS, MEDLINE (.nbib), PubMed XML,
BibTeX, CSV/TSV (Rayyan, Covidence, Zotero, EndNote), ASReview CSV, CSL-JSON,
OpenAlex JSON, and SYNERGY folders.
"""

from __future__ import annotations

import re
from pathlib import Path

from exoreview.errors import BadInput
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.openalex import is_synergy_folder
from exoreview.formats.registry import READERS, ReadOptions
from exoreview.formats.text import decode_bytes
from exoreview.records import Record
from exoreview.store import Store

# The built-in readers (formats.registry.READERS also holds plug-ins).
FORMATS = ("ris", "medline", "pubmed-xml", "bibtex", "csv", "asreview-csv", "csl-json", "openalex", "synergy")


# MEDLINE records without a PMID (exported from records of other sources) still open with these tags.
_MEDLINE_TAGS = re.compile(r"^(?:STAT|DP  |TI  |FAU |AU  |CN  |JT  )- .*\n(?:[A-Z]{2,4} *- |      )", re.MULTILINE)


class UnknownFormat(BadInput, ValueError):
    pass


def detect_format(path: Path) -> str:
    """A reader's name, from the file's name and first bytes; UnknownFormat when neither tells."""
    path = Path(path)
    if path.is_dir():
        if is_synergy_folder(path):
            return "synergy"
        raise UnknownFormat(f"{path}: a folder, but not a SYNERGY dataset (works_*.zip or .json plus labels.csv)")
    name = path.name.lower()
    named = _named_by_ending(name)  # the default names `exoreview export` gives, and plug-ins' own endings
    if named:
        return named
    if name.endswith((".xml", ".xml.gz")):
        return "pubmed-xml"
    if name.endswith(".zip") or name.endswith(".jsonl"):
        return "openalex"
    head = _head(path)
    if re.search(r"^TY  -", head, re.MULTILINE):
        return "ris"
    if re.search(r"^PMID- ", head, re.MULTILINE) or (not name.endswith(".ris") and _MEDLINE_TAGS.search(head)):
        return "medline"
    if re.search(r"^\s*@\w+\s*[{(]", head, re.MULTILINE) and name.endswith((".bib", ".bibtex", ".txt")):
        return "bibtex"
    if name.endswith((".json", ".csljson")) or head.lstrip().startswith(("[", "{")):
        return _json_kind(head)
    if name.endswith((".csv", ".tsv", ".tab", ".txt")):
        first = head.split("\n", 1)[0].lower()
        return "asreview-csv" if re.search(r"(^|[,;\t\"])(label_included|included)([,;\t\"]|$)", first) else "csv"
    if name.endswith((".ris",)):
        return "ris"
    if name.endswith((".nbib", ".medline")):
        return "medline"
    if name.endswith((".bib", ".bibtex")):
        return "bibtex"
    raise UnknownFormat(f"{path}: unknown file type; expected one of {', '.join(READERS.names())} "
                        "(.ris, .nbib/.txt, .xml, .bib, .csv/.tsv, .json, a SYNERGY folder)")


def _named_by_ending(name: str) -> str:
    """The reader whose declared ending the name has (the longest such ending wins), or ""."""
    endings = [(ending, fmt) for fmt, reader in READERS.items() for ending in reader.endings if name.endswith(ending)]
    return max(endings, key=lambda pair: len(pair[0]))[1] if endings else ""


def _head(path: Path) -> str:
    """The first 4 KB as text: enough to tell the formats apart."""
    with path.open("rb") as handle:
        return decode_bytes(handle.read(4096)).text


def _json_kind(head: str) -> str:
    if "openalex.org/" in head or "abstract_inverted_index" in head or "authorships" in head:
        return "openalex"
    return "csl-json"


def read_file(path: Path, errors: list[MalformedRecord], *, mapping: dict[str, str] | None = None,
              notes: list[str] | None = None, fmt: str | None = None) -> list[Record]:
    """Every record the file holds; broken entries go to `errors`, encoding guesses to `notes`.

    `mapping` (field -> column header) applies to CSV files; `fmt` (a reader's name) skips detection.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in READERS:
        raise UnknownFormat(f"{path}: unknown format {fmt!r}; expected one of {', '.join(READERS.names())}")
    options = ReadOptions(errors=errors, notes=notes, mapping=mapping)
    return READERS.get(fmt).read(path, options)


def import_file(store: Store, path: Path, *, run_id: int,
                mapping: dict[str, str] | None = None) -> tuple[int, list[MalformedRecord]]:
    """Store a file's records under source "import:<file name>" and log it like a search.

    `mapping` (field -> column header) applies to CSV files and is logged with the import."""
    errors: list[MalformedRecord] = []
    notes: list[str] = []
    records = read_file(path, errors, notes=notes, mapping=mapping)
    source = f"import:{path.name}"
    filters: dict[str, object] = {"path": str(path), **({"mapping": mapping} if mapping else {})}
    search_id = store.add_search(run_id, source, f"file import: {path.name}", filters=filters)
    ids = store.add_records(records, source=source, run_id=run_id)
    store.add_search_hits(search_id, ids)
    store.update_search(search_id, count=len(records), retrieved=len(set(ids)), status="ok",
                        translation="(records read from a file)")
    store.log(run_id, f"import: {path.name}: {len(records)} records stored, {len(errors)} entries skipped")
    for note in notes:
        store.log(run_id, f"import: {note}", level="warning")
    for problem in errors:
        store.log(run_id, f"import: skipped {problem}", level="warning")
    return len(records), errors
