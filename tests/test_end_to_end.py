"""End to end: the demo through the real client and local service; the report's PRISMA numbers equal the store's."""

from __future__ import annotations

import json
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
    per_source = {k.removeprefix("identified:"): n for k, n in boxes.items() if k.startswith("identified:")}
    assert set(per_source) == {"pubmed", "europepmc", "openalex", "ctgov", "import:hand-search.ris"}
    assert sum(per_source.values()) == identified
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


def test_import_csv_with_column_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "r")]) == 0
    table = tmp_path / "colleague.csv"
    table.write_text("Headline,Issued,Identifier\n"
                     "Exosomes for scars: a pilot,2021,10.1000/xyz1\n"
                     "Vesicles and hair regrowth,2019,https://doi.org/10.1000/XYZ2\n", encoding="utf-8")
    args = ["import", str(table), "--dir", str(tmp_path / "r")]
    # Columns with names no export uses: found by nothing, so the file is refused, and says why.
    assert main(args) == 2
    assert "no title or DOI column" in capsys.readouterr().err
    assert main([*args, "--map", "titel=Headline"]) == 2
    assert "unknown field 'titel'" in capsys.readouterr().err
    assert main([*args, "--map", "title=Heading"]) == 2
    assert "'Heading'" in capsys.readouterr().err
    assert main([*args, "--map", "title=Headline", "--map", "year=Issued", "--map", "doi=Identifier"]) == 0
    with Store.open(tmp_path / "r" / "review.sqlite") as store:
        ids = store.record_ids("import:colleague.csv")
        records = sorted((r.title, r.year, r.doi) for _, r in store.iter_records(ids))
        [search] = [s for s in store.searches() if s["source"] == "import:colleague.csv"]
    assert records == [("Exosomes for scars: a pilot", 2021, "10.1000/xyz1"),
                       ("Vesicles and hair regrowth", 2019, "10.1000/XYZ2")]
    assert json.loads(search["filters"])["mapping"] == {"title": "Headline", "year": "Issued", "doi": "Identifier"}
