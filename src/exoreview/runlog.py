"""The citable logs of a review: each run's log, and the PRISMA-S search log of every search.

`logs/run-NNNN.log` tells what one run did, step by step. `search-log.json`
and `search-log.md` in the review folder list every search ever sent, as
PRISMA-S asks a report to (items 1, 8, 13 and 16): database and interface,
the query exactly as sent, the database's own reading of it (PubMed's
QueryTranslation), the date and time of the search, the filters, how many
records the database reported, and the record IDs retrieved. Both files are
rebuilt from the store after every run, so they always agree with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exoreview import __version__
from exoreview.sources.registry import SOURCES
from exoreview.store import Store

SEARCH_LOG_JSON = "search-log.json"
SEARCH_LOG_MD = "search-log.md"
def _database(source: str) -> tuple[str, str]:
    """Database and interface names for a search's source; file imports name their file."""
    if source.startswith("import:"):
        return f"file: {source.removeprefix('import:')}", "exoreview import"
    if source in SOURCES:
        found = SOURCES.get(source)
        return found.database, found.interface
    return source, ""


def render_run_log(store: Store, run_id: int) -> str:
    run = next(r for r in store.runs() if r["id"] == run_id)
    lines = [
        f"exoreview run {run_id}: {run['command']}",
        f"protocol: {run['protocol_name']} (sha256 {run['protocol_hash']})",
        f"started: {run['started_at']}  finished: {run['finished_at'] or '-'}  status: {run['status']}",
        "",
        "Searches (PRISMA-S):",
    ]
    for search in store.searches():
        if search["run_id"] != run_id:
            continue
        filters = json.loads(search["filters"] or "{}")
        lines += [
            f"- source: {search['source']}" + (f" ({search['base_url']})" if search["base_url"] else ""),
            f"  date searched: {search['executed_at']}",
            f"  query as sent: {search['query']}",
            f"  translation reported: {search['translation'] or '-'}",
            f"  filters: {json.dumps(filters, sort_keys=True)}",
            f"  records found: {search['count'] if search['count'] is not None else '-'}; "
            f"stored: {search['retrieved']}; status: {search['status']}",
        ]
    lines += ["", "Steps:"]
    lines += [f"{row['at']} {row['level']:<7} {row['message']}" for row in store.run_log(run_id)]
    return "\n".join(lines) + "\n"


def write_run_log(store: Store, run_id: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{run_id:04d}.log"
    path.write_text(render_run_log(store, run_id), encoding="utf-8")
    return path


def retrieved_ids(store: Store, search_id: int) -> list[str]:
    """The source's own IDs (PMIDs for PubMed) of the records a search stored, sorted numerically."""
    rows = store.db.execute(
        "SELECT COALESCE(NULLIF(r.pmid, ''), r.source_id) FROM search_hits h "
        "JOIN records r ON r.id = h.record_id WHERE h.search_id=?",
        (search_id,),
    ).fetchall()
    return sorted((row[0] for row in rows), key=lambda i: (len(i), i))


def search_log(store: Store) -> list[dict[str, Any]]:
    """Every search in the store, oldest first, with what PRISMA-S asks to report."""
    entries = []
    for search in store.searches():
        database, interface = _database(search["source"])
        entries.append({
            "search_id": search["id"],
            "run_id": search["run_id"],
            "source": search["source"],
            "database": database,
            "interface": f"{interface} at {search['base_url']}" if search["base_url"] else interface,
            "searched_at": search["executed_at"],
            "query": search["query"],
            "query_translation": search["translation"],
            "filters": json.loads(search["filters"] or "{}"),
            "count_reported": search["count"],
            "ids_listed": len(json.loads(search["ids"] or "[]")),
            "records_retrieved": search["retrieved"],
            "status": search["status"],
            "record_ids": retrieved_ids(store, int(search["id"])),
        })
    return entries


def render_search_log_md(entries: list[dict[str, Any]]) -> str:
    lines = [
        "# Search log (PRISMA-S)",
        "",
        f"Written by exoreview {__version__} from the review's store. Each search: the database and interface, "
        "the date and time it was run (UTC), the query exactly as sent, the database's translation of it, "
        "the filters, the count the database reported and the records retrieved.",
        "",
    ]
    for entry in entries:
        ids = entry["record_ids"]
        lines += [
            f"## Search {entry['search_id']} (run {entry['run_id']}): {entry['database']}",
            "",
            f"- Interface: {entry['interface'] or '-'}",
            f"- Date searched: {entry['searched_at']}",
            f"- Query as sent: `{entry['query']}`",
            f"- Query translation reported: `{entry['query_translation'] or '-'}`",
            f"- Filters: {json.dumps(entry['filters'], sort_keys=True)}",
            f"- Records reported: {entry['count_reported'] if entry['count_reported'] is not None else '-'}",
            f"- Records retrieved: {entry['records_retrieved']} (status: {entry['status']})",
            f"- Record IDs ({len(ids)}): {', '.join(ids) if ids else '-'}",
            "",
        ]
    return "\n".join(lines)


def write_search_log(store: Store, folder: Path) -> tuple[Path, Path]:
    """Write search-log.json and search-log.md into the review folder; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = search_log(store)
    json_path, md_path = folder / SEARCH_LOG_JSON, folder / SEARCH_LOG_MD
    document = {"generator": f"exoreview {__version__}", "standard": "PRISMA-S", "searches": entries}
    json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_search_log_md(entries), encoding="utf-8")
    return json_path, md_path
