"""Import reference files into a review: each file is a source of its own in the PRISMA flow."""

from __future__ import annotations

import re
from pathlib import Path

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.medline import iter_medline
from exoreview.formats.pubmed_xml import iter_pubmed_xml
from exoreview.formats.ris import iter_ris
from exoreview.records import Record
from exoreview.store import Store


class UnknownFormat(ValueError):
    pass


def read_file(path: Path, errors: list[MalformedRecord]) -> list[Record]:
    name = path.name.lower()
    if name.endswith((".ris", ".txt")) and _looks_like_ris(path):
        return list(iter_ris(path, errors=errors))
    if name.endswith((".nbib", ".medline", ".txt")):
        return list(iter_medline(path, errors=errors))
    if name.endswith((".xml", ".xml.gz")):
        records: list[Record] = []
        try:
            for record in iter_pubmed_xml(path, errors=errors):
                records.append(record)
        except MalformedRecord as exc:
            errors.append(exc)  # keep every record read before the fault
        return records
    raise UnknownFormat(f"{path}: unknown file type; expected .ris, .nbib/.txt (MEDLINE) or .xml (PubMed XML)")


def _looks_like_ris(path: Path) -> bool:
    head = path.read_bytes()[:2048].decode("utf-8", "ignore")
    return re.search(r"^TY  -", head, re.MULTILINE) is not None


def import_file(store: Store, path: Path, *, run_id: int) -> tuple[int, list[MalformedRecord]]:
    """Store a file's records under source "import:<file name>" and log it like a search."""
    errors: list[MalformedRecord] = []
    records = read_file(path, errors)
    source = f"import:{path.name}"
    search_id = store.add_search(run_id, source, f"file import: {path.name}", filters={"path": str(path)})
    ids = store.add_records(records, source=source, run_id=run_id)
    store.add_search_hits(search_id, ids)
    store.update_search(search_id, count=len(records), retrieved=len(set(ids)), status="ok",
                        translation="(records read from a file)")
    store.log(run_id, f"import: {path.name}: {len(records)} records stored, {len(errors)} entries skipped")
    for problem in errors:
        store.log(run_id, f"import: skipped {problem}", level="warning")
    return len(records), errors
