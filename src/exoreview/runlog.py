"""The citable run log: every search as sent (PRISMA-S), then every step's message."""

from __future__ import annotations

import json
from pathlib import Path

from exoreview.store import Store


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
