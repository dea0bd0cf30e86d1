"""End to end: the demo through the real client and local service; the report's PRISMA numbers equal the store's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from exoreview.cli.app import main
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, TITLE_ABSTRACT
from exoreview.store import Store


def test_demo_report_counts_equal_store_counts(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    page = html.fromstring((out / "report.html").read_bytes())
    boxes = {e.get("data-box"): int(e.get("data-count")) for e in page.iter() if e.get("data-box")}
    assert page.get_element_by_id("synthetic-notice") is not None
    with Store.open(out / "review.sqlite") as store:
        identified = store.record_count()
        duplicates = len({d.record_id for d in store.duplicates()})
        unique = set(store.unique_record_ids())
        ta = {i: d for i, d in store.final_decisions(TITLE_ABSTRACT).items() if i in unique}
        el = store.final_decisions(ELIGIBILITY)
        assert store.get_meta("corpus") == "synthetic"
        assert store.searches()[0]["translation"]
    assert boxes["identified"] == identified
    assert boxes["identified:pubmed"] + boxes["identified:import:hand-search.ris"] == identified
    assert boxes["duplicates"] == duplicates > 0
    assert boxes["screened"] == len(ta) == identified - duplicates
    assert boxes["excluded_screening"] == sum(d.label == EXCLUDE for d in ta.values())
    assert boxes["included"] == sum(d.label == INCLUDE for d in el.values()) > 0
    assert (out / "report.md").exists() and (out / "logs" / "run-0001.log").exists()


def test_malformed_protocol_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "r")]) == 0
    protocol = tmp_path / "r" / "protocol.toml"
    protocol.write_text(protocol.read_text().replace('date_from = "2014/01/01"', 'date_from = "soon"'))
    assert main(["run", str(tmp_path / "r")]) == 2
    assert "sources.0.date_from" in capsys.readouterr().err


def test_network_down_exits_3_and_keeps_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "r")]) == 0
    code = main(["run", str(tmp_path / "r"), "--base-url", "http://127.0.0.1:9/", "--attempts", "1"])
    assert code == 3
    assert "run again to resume" in capsys.readouterr().err
    with Store.open(tmp_path / "r" / "review.sqlite") as store:
        assert store.runs()[-1]["status"] == "failed"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare for a loopback-only namespace")
def test_demo_runs_with_only_loopback(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (needs root)")
    script = f"ip link set lo up; {sys.executable} -m exoreview.cli.app demo --out {tmp_path / 'demo'}"
    done = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "demo" / "report.html").exists()
