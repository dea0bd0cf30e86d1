"""Import reference files into a review: each file is a source of its own in the PRISMA flow.

The format is found from the file's name and, where names are ambiguous
(.txt, .json, .csv), from its first bytes: RIS, MEDLINE (.nbib), PubMed XML,
BibTeX, CSV/TSV (Rayyan, Covidence, Zotero, EndNote), ASReview CSV, CSL-JSON,
OpenAlex JSON, and SYNERGY folders.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.text import decode_bytes
from exoreview.records import Record
from exoreview.store import Store

FORMATS = ("ris", "medline", "pubmed-xml", "bibtex", "csv", "asreview-csv", "csl-json", "openalex", "synergy")


_NAMED_ENDINGS = ((".asreview.csv", "asreview-csv"), (".csl.json", "csl-json"), (".openalex.json", "openalex"))
# MEDLINE records without a PMID (exported from records of other sources) still open with these tags.
_MEDLINE_TAGS = re.compile(r"^(?:STAT|DP  |TI  |FAU |AU  |CN  |JT  )- .*\n(?:[A-Z]{2,4} *- |      )", re.MULTILINE)


class UnknownFormat(ValueError):
    pass


def detect_format(path: Path) -> str:
    """One of FORMATS, from the name and the first bytes; UnknownFormat when neither tells."""
    path = Path(path)
    if path.is_dir():
        from exoreview.formats.openalex import is_synergy_folder

        if is_synergy_folder(path):
            return "synergy"
        raise UnknownFormat(f"{path}: a folder, but not a SYNERGY dataset (works_*.zip or .json plus labels.csv)")
    name = path.name.lower()
    for ending, fmt in _NAMED_ENDINGS:  # the default names `exoreview export` gives
        if name.endswith(ending):
            return fmt
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
    raise UnknownFormat(f"{path}: unknown file type; expected one of {', '.join(FORMATS)} "
                        "(.ris, .nbib/.txt, .xml, .bib, .csv/.tsv, .json, a SYNERGY folder)")


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

    `mapping` (field -> column header) applies to CSV files; `fmt` skips detection.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "ris":
        from exoreview.formats.ris import iter_ris

        return list(iter_ris(path, errors=errors, notes=notes))
    if fmt == "medline":
        from exoreview.formats.medline import iter_medline

        return list(iter_medline(path, errors=errors))
    if fmt == "pubmed-xml":
        from exoreview.formats.pubmed_xml import iter_pubmed_xml

        records: list[Record] = []
        try:
            for record in iter_pubmed_xml(path, errors=errors):
                records.append(record)
        except MalformedRecord as exc:
            errors.append(exc)  # keep every record read before the fault
        return records
    if fmt == "bibtex":
        from exoreview.formats.bibtex import iter_bibtex

        return list(iter_bibtex(path, errors=errors, notes=notes))
    if fmt == "csv":
        from exoreview.formats.csv_table import iter_csv

        return list(iter_csv(path, mapping=mapping, errors=errors, notes=notes))
    if fmt == "asreview-csv":
        from exoreview.formats.asreview_csv import iter_asreview_records

        return list(iter_asreview_records(path, errors=errors, notes=notes))
    if fmt == "csl-json":
        from exoreview.formats.csljson import iter_csljson

        return list(iter_csljson(path, errors=errors, notes=notes))
    if fmt == "openalex":
        return _read_openalex(path, errors)
    if fmt == "synergy":
        from exoreview.formats.openalex import iter_synergy

        return [row.record for row in iter_synergy(path)]
    raise UnknownFormat(f"{path}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _read_openalex(path: Path, errors: list[MalformedRecord]) -> list[Record]:
    from exoreview.formats.openalex import iter_openalex_works, work_to_record

    records = []
    try:
        for position, work in enumerate(iter_openalex_works(path)):
            try:
                records.append(work_to_record(work, path.name, position))
            except MalformedRecord as exc:
                errors.append(exc)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, zipfile.BadZipFile) as exc:
        errors.append(MalformedRecord(path.name, len(records), f"not OpenAlex JSON: {exc}"))
    return records


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
