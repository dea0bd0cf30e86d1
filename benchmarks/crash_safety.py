"""Kill imports, runs and the local web service at random points, finish them, and count what was lost or left dangling.

Usage: python benchmarks/crash_safety.py [--kills 50] [--records 2000] [--seed 1] [--json]

Rounds take turns. An `import` round starts `exoreview import` (a PubMed XML file of composed records)
and a `run` round `exoreview run --import` (a review with no search sources: import, dedup,
screening, classification, report) in a fresh process, kills it with SIGKILL, then runs the same
command again to the end. Three kills in ten land anywhere in the command's usual duration (start-up
included); the rest land at a random point after the store holds its first record, where a kill can
lose or double something. A `serve` round
starts `exoreview serve-eutils` on a review's store while a client searches it, kills the service,
then checks the store and starts the service again: it must serve every record it served before.
Everything is local: temporary folders, loopback only, no network.

It reports, over all kills:
- `lost`: records of the input missing after the finishing run, plus records the store held at the
  kill and no longer holds (must be 0);
- `dangling`: runs still marked "running" after the finishing run (must be 0);
- `doubled`: records with more than one standing automation decision at a stage (must be 0);
and, for context, how many kills landed before anything was stored.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from exoreview.formats.pubmed import write_pubmed_xml
from exoreview.records import AbstractSection, PubDate, Record
from exoreview.store import Store

EXOREVIEW = [sys.executable, "-m", "exoreview.cli.app"]


def composed_records(n: int) -> list[Record]:
    """Records we write ourselves: enough text for the classifier, identifiers for dedup, no real abstract."""
    return [Record(pmid=str(82_000_000 + i), title=f"Composed exosome study {i} of skin ageing in mice",
                   pub_date=PubDate(2015 + i % 10, 1 + i % 12, 1), languages=["eng"],
                   abstract=[AbstractSection("Mice were treated with topical adipose stem cell exosomes; "
                                             "wrinkles fell and no adverse events occurred.")])
              for i in range(n)]


def new_review(root: Path) -> Path:
    folder = root / "review"
    subprocess.run([*EXOREVIEW, "init", str(folder)], check=True, capture_output=True)
    protocol = folder / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(re.sub(r"\[\[sources\]\].*?(?=# More sources)", "", text, count=1, flags=re.DOTALL),
                        encoding="utf-8")
    return folder


def timed(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=False, capture_output=True)
    return time.monotonic() - started


def store_state(store_file: Path) -> tuple[set[str], int, int]:
    """(stored PMIDs, runs still running, records with doubled automation decisions)."""
    with Store.open(store_file) as store:
        pmids = {r.pmid for _, r in store.iter_records()}
        dangling = sum(1 for r in store.runs() if r["status"] == "running")
        doubled = store.db.execute(
            "SELECT COUNT(*) FROM (SELECT record_id, stage FROM decisions WHERE reviewer LIKE 'rules:%' "
            "AND undone_at='' GROUP BY record_id, stage HAVING COUNT(*) > 1)").fetchone()[0]
    return pmids, dangling, doubled


def wait_for_first_record(store_file: Path, process: subprocess.Popen[bytes], deadline: float) -> None:
    """Poll the store read-only until it holds a record, the command ends or the deadline passes."""
    while time.monotonic() < deadline and process.poll() is None:
        with (contextlib.suppress(sqlite3.Error),
              contextlib.closing(sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=1)) as db):
            if db.execute("SELECT EXISTS (SELECT 1 FROM records)").fetchone()[0]:
                return
        time.sleep(0.02)


def one_round(root: Path, kind: str, data: Path, expected: set[str], duration: float,
              rng: random.Random) -> dict[str, int]:
    shutil.rmtree(root / "review", ignore_errors=True)
    folder = new_review(root)
    command = ([*EXOREVIEW, "import", str(data), "--dir", str(folder)] if kind == "import"
               else [*EXOREVIEW, "run", str(folder), "--import", str(data)])
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if rng.random() < 0.3:  # anywhere, start-up included
        time.sleep(rng.uniform(0.05, max(0.1, duration * 0.95)))
    else:  # once something is stored: the kills that can lose or double something
        wait_for_first_record(folder / "review.sqlite", process, deadline=started + duration)
        time.sleep(rng.uniform(0, max(0.05, duration * 0.95 - (time.monotonic() - started))))
    finished_first = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    held, _, _ = store_state(folder / "review.sqlite")
    subprocess.run(command, check=False, capture_output=True)
    final, dangling, doubled = store_state(folder / "review.sqlite")
    return {"lost": len(expected - final) + len(held - final), "dangling": dangling, "doubled": doubled,
            "empty_at_kill": int(not held), "finished_before_kill": int(finished_first)}


def start_service(store_file: Path) -> tuple[subprocess.Popen[str], str]:
    """`serve-eutils` on a free loopback port, and its base URL once it says it is serving."""
    process = subprocess.Popen([*EXOREVIEW, "serve-eutils", "--store", str(store_file), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/\S*", line)
    if not match:
        process.kill()
        raise RuntimeError(f"serve-eutils did not start: {line!r}")
    return process, match.group(0)


def served_count(base_url: str) -> int:
    answer = httpx.get(f"{base_url}esearch.fcgi", params={"db": "pubmed", "term": "composed", "retmode": "json",
                                                          "retmax": "0"}, timeout=30)
    return int(answer.json()["esearchresult"]["count"])


def serve_round(root: Path, store_file: Path, expected: set[str], rng: random.Random) -> dict[str, int]:
    """Kill the service while a client searches; the store must stay whole and serve as much again."""
    copy = root / "served.sqlite"
    shutil.copyfile(store_file, copy)
    process, base_url = start_service(copy)
    stop_at = time.monotonic() + rng.uniform(0.05, 1.5)
    with httpx.Client(timeout=5) as client:  # searching when the kill lands
        while time.monotonic() < stop_at:
            client.get(f"{base_url}esearch.fcgi", params={"db": "pubmed", "term": "exosome", "retmax": "20"})
    process.send_signal(signal.SIGKILL)
    process.wait()
    held, dangling, doubled = store_state(copy)
    again, base_url = start_service(copy)
    try:
        count = served_count(base_url)
    finally:
        again.kill()
        again.wait()
    return {"lost": len(expected - held) + max(0, len(expected) - count), "dangling": dangling, "doubled": doubled,
            "empty_at_kill": 0, "finished_before_kill": 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    totals = {"kills": 0, "lost": 0, "dangling": 0, "doubled": 0, "empty_at_kill": 0, "finished_before_kill": 0}
    by_kind: dict[str, int] = {"import": 0, "run": 0, "serve": 0}
    with tempfile.TemporaryDirectory(prefix="exoreview-crash-") as tmp:
        root = Path(tmp)
        records = composed_records(args.records)
        data = root / "records.xml"
        data.write_bytes(write_pubmed_xml(records))
        expected = {r.pmid for r in records}
        durations = {}
        for kind in ("import", "run"):  # how long an uninterrupted command takes, to aim the kills
            folder = new_review(root)
            command = ([*EXOREVIEW, "import", str(data), "--dir", str(folder)] if kind == "import"
                       else [*EXOREVIEW, "run", str(folder), "--import", str(data)])
            durations[kind] = timed(command)
            if kind == "run":  # kept: the store the service rounds serve
                served = root / "finished.sqlite"
                shutil.copyfile(folder / "review.sqlite", served)
            shutil.rmtree(folder)
        for n in range(args.kills):
            kind = ("import", "run", "serve")[n % 3]
            result = (serve_round(root, served, expected, rng) if kind == "serve"
                      else one_round(root, kind, data, expected, durations[kind], rng))
            by_kind[kind] += 1
            totals["kills"] += 1
            for key in ("lost", "dangling", "doubled", "empty_at_kill", "finished_before_kill"):
                totals[key] += result[key]
    line = {"benchmark": "crash_safety", **totals, "kills_by_command": by_kind, "records": args.records,
            "seconds_uninterrupted": {k: round(v, 2) for k, v in durations.items()}, "seed": args.seed,
            "machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    print(json.dumps(line) if args.json else json.dumps(line, indent=1))
    return 0 if totals["lost"] == totals["dangling"] == totals["doubled"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
