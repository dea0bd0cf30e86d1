"""Many reviewers screening at once in `exoreview serve`, a kill -9 in the middle, and a count of what was lost.

Usage: python benchmarks/web_load.py [--records 10000] [--reviewers 20] [--seconds 60] [--kill-at 0.5] [--json]

A fresh review of composed records (text we write ourselves) gets one account per reviewer. The real
server (`exoreview serve`, uvicorn) runs in its own process on a loopback port. Every simulated
reviewer is an httpx async client that logs in and then, until the time is up, asks for the next
record (`GET /screen`) and saves a decision on it (`POST /screen/decide`). At `--kill-at` of the
way through, the server is killed with SIGKILL and started again; the clients keep going (their
sessions live in the review file, so they stay logged in). At the end every decision the server
acknowledged (answered 303) must be in the store.

Prints p50/p95 milliseconds of "next record" and "save decision", the errors (answers other than
the expected ones, outside the restart), the decisions acknowledged and the ones lost (must be 0),
and the machine. Loopback only; the count of clients and the time are bounded by the arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from exoreview.records import AbstractSection, PubDate, Record
from exoreview.results import TITLE_ABSTRACT
from exoreview.store import Store
from exoreview.store.team import add_user

EXOREVIEW = [sys.executable, "-m", "exoreview.cli.app"]
PASSWORD = "load-test-password-1"
TOPICS = ("skin ageing", "hair loss", "melasma", "diabetic wounds", "acne scars", "kidney injury", "bone repair")


def composed_records(n: int) -> list[Record]:
    """Varied records we write ourselves, so the learner has something to tell apart."""
    rng = random.Random(1)
    records = []
    for i in range(n):
        topic = rng.choice(TOPICS)
        agent = rng.choice(("exosomes", "extracellular vesicles", "platelet-rich plasma", "a retinoid cream"))
        records.append(Record(pmid=str(83_000_000 + i), title=f"Study {i}: {agent} for {topic}",
                              pub_date=PubDate(2015 + i % 10, 1 + i % 12, 1), languages=["eng"],
                              abstract=[AbstractSection(f"We tested {agent} in {topic}; outcomes improved.")]))
    return records


def new_review(root: Path, records: int, reviewers: int) -> Path:
    folder = root / "review"
    subprocess.run([*EXOREVIEW, "init", str(folder)], check=True, capture_output=True)
    with Store.open(folder / "review.sqlite") as store:
        store.add_records(composed_records(records), source="import")
        for k in range(reviewers):
            add_user(store, f"reviewer{k:02d}", "reviewer", PASSWORD)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([*EXOREVIEW, "serve", str(folder), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("exoreview serve did not answer within 60 s")


class Tally:
    def __init__(self) -> None:
        self.next_ms: list[float] = []
        self.save_ms: list[float] = []
        self.errors = 0
        self.during_restart = 0
        self.acknowledged: list[tuple[str, int]] = []
        self.restarting = False


async def reviewer(name: str, base: str, deadline: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await client.post("/login", data={"name": name, "password": PASSWORD})
        while time.monotonic() < deadline:
            try:
                await one_decision(client, tally, name)
            except httpx.HTTPError:
                if tally.restarting:
                    tally.during_restart += 1
                else:
                    tally.errors += 1
                await asyncio.sleep(0.2)


async def one_decision(client: httpx.AsyncClient, tally: Tally, name: str) -> None:
    started = time.perf_counter()
    page = await client.get("/screen")
    tally.next_ms.append((time.perf_counter() - started) * 1000)
    record = re.search(r'name="record_id" value="(\d+)"', page.text)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    if page.status_code != 200 or not record or not token:
        if page.status_code not in (200, 503):  # 503: the session is still being prepared
            tally.errors += 1
        await asyncio.sleep(0.3)
        return
    reason = re.search(r'<option value="(E\d+)"', page.text)
    label = "include" if random.random() < 0.3 or not reason else "exclude"
    form = {"csrf": token.group(1), "stage": TITLE_ABSTRACT, "record_id": record.group(1), "label": label,
            "reason": reason.group(1) if reason and label == "exclude" else ""}
    started = time.perf_counter()
    answer = await client.post("/screen/decide", data=form)
    tally.save_ms.append((time.perf_counter() - started) * 1000)
    if answer.status_code == 303:
        tally.acknowledged.append((name, int(record.group(1))))
    elif answer.status_code != 409:  # 409: someone else's page was stale; not an error of the server
        tally.errors += 1


async def load(folder: Path, reviewers: int, seconds: float, kill_at: float) -> tuple[Tally, int]:
    port = free_port()
    server = start_server(folder, port)
    tally = Tally()
    deadline = time.monotonic() + seconds
    names = [f"reviewer{k:02d}" for k in range(reviewers)]
    tasks = [asyncio.create_task(reviewer(n, f"http://127.0.0.1:{port}", deadline, tally)) for n in names]
    restarts = 0
    if 0 < kill_at < 1:
        await asyncio.sleep(seconds * kill_at)
        tally.restarting = True
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        server = await asyncio.to_thread(start_server, folder, port)
        tally.restarting = False
        restarts = 1
    await asyncio.gather(*tasks)
    server.terminate()
    server.wait(timeout=30)
    return tally, restarts


def lost_decisions(folder: Path, acknowledged: list[tuple[str, int]]) -> int:
    with Store.open(folder / "review.sqlite", must_exist=True) as store:
        stored = {(d.reviewer, d.record_id) for d in store.decisions(TITLE_ABSTRACT, history=True)}
    return sum(1 for pair in acknowledged if pair not in stored)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1) if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-at", type=float, default=0.5,
                        help="fraction of the time at which to kill -9 (0: never)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
        folder = new_review(Path(tmp), args.records, args.reviewers)
        tally, restarts = asyncio.run(load(folder, args.reviewers, args.seconds, args.kill_at))
        lost = lost_decisions(folder, tally.acknowledged)
    result = {
        "benchmark": "web_load", "records": args.records, "reviewers": args.reviewers, "seconds": args.seconds,
        "p50_ms_next": percentile(tally.next_ms, 50), "p95_ms_next": percentile(tally.next_ms, 95),
        "p50_ms_save": percentile(tally.save_ms, 50), "p95_ms_save": percentile(tally.save_ms, 95),
        "requests": len(tally.next_ms) + len(tally.save_ms), "errors": tally.errors,
        "failed_during_restart": tally.during_restart, "restarts": restarts,
        "acknowledged": len(tally.acknowledged), "lost": lost,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
