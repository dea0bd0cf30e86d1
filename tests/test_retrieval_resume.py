"""Kill -9 in the middle of a retrieval, start it again: it continues from the last completed batch.

A real `exoreview retrieve` process talks over HTTP to the local E-utilities service (in this test's
process), which serves the 604 real records of medline16n0902 and answers EFetch slowly, so the kill
lands mid-run. The service's request log shows what each run asked for.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exoreview.eutils.faults import Fault
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.formats.pubmed import iter_pubmed_xml
from tests.conftest import shared_path

QUERY = "english[la]"
BATCH = 20


def _retrieve_command(base_url: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "exoreview.cli.app", "retrieve", QUERY, "--dir", str(folder), "--base-url",
            base_url, "--batch-size", str(BATCH), "--rate", "200", "--attempts", "2"]


def _completed_batches(store_file: Path) -> list[tuple[int, str, int]]:
    if not store_file.exists():
        return []
    try:
        with sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT batch_index, first_id, size FROM fetch_batches ORDER BY batch_index").fetchall()
    except sqlite3.OperationalError:  # the table is not there yet
        return []


def _efetched_ids(requests: list[tuple[str, dict[str, str]]]) -> list[str]:
    return [pmid for utility, params in requests if utility == "efetch.fcgi" for pmid in params["id"].split(",")]


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_has_no_gaps_and_no_doubles(tmp_path: Path) -> None:
    records = list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))
    service = EutilsService(records)
    expected = service.index.search(QUERY)
    total_batches = -(-len(expected) // BATCH)
    assert total_batches >= 20
    folder = tmp_path / "review"
    store_file = folder / "review.sqlite"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    with RunningService(service) as running:
        service.faults.add(Fault("efetch.fcgi", delay=0.25, times=10_000))  # slow enough to kill mid-run
        first = subprocess.Popen(_retrieve_command(running.base_url, folder), env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while len(_completed_batches(store_file)) < 4:
            assert first.poll() is None, "the retrieval ended before it could be killed"
            assert time.monotonic() < deadline, "no batch completed within two minutes"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=30) == -signal.SIGKILL
        done_before = _completed_batches(store_file)
        assert 4 <= len(done_before) < total_batches  # killed mid-run

        with sqlite3.connect(store_file) as db:
            [(saved_ids, status)] = db.execute("SELECT ids, status FROM searches").fetchall()
        saved_ids = json.loads(saved_ids)
        assert saved_ids == expected and status == "running"  # the full list was saved before fetching
        position = {pmid: i for i, pmid in enumerate(saved_ids)}
        stored_before = {pmid for _, first_id, size in done_before
                         for pmid in saved_ids[position[first_id]:position[first_id] + size]}

        time.sleep(1.0)  # let the request the killed process left in flight finish inside the service
        service.faults.clear()
        service.requests.clear()
        second = subprocess.run(_retrieve_command(running.base_url, folder), env=env, capture_output=True,
                                text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        assert "(resumed)" in second.stdout
        second_requests = list(service.requests)

    # The second run asked for no search (the ID list was saved) and for no PMID already stored.
    assert [u for u, _ in second_requests if u == "esearch.fcgi"] == []
    refetched = _efetched_ids(second_requests)
    assert not set(refetched) & stored_before
    assert len(refetched) == len(set(refetched))

    with sqlite3.connect(store_file) as db:
        stored = [row[0] for row in db.execute("SELECT pmid FROM records WHERE source='pubmed'")]
        hits = db.execute("SELECT COUNT(*) FROM search_hits").fetchone()[0]
        batches = db.execute("SELECT batch_index, first_id, size FROM fetch_batches ORDER BY batch_index").fetchall()
        [(retrieved, status)] = db.execute("SELECT retrieved, status FROM searches").fetchall()
    assert sorted(stored) == sorted(expected) and hits == len(expected) == retrieved and status == "ok"
    # The batches tile the ID list exactly: every position once, none twice.
    covered = sorted(i for _, first_id, size in batches for i in range(position[first_id], position[first_id] + size))
    assert covered == list(range(len(expected)))
    assert batches[: len(done_before)] == done_before  # what was done before the kill is untouched
