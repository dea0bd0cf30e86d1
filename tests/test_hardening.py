"""Nothing lost, nothing doubled, every bad input named: one writer at a time, killed runs, damaged stores,
deletion notices, commands without a terminal or a network, protocol errors, and secrets."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.formats.pubmed import write_pubmed_xml
from exoreview.records import AbstractSection, PubDate, Record
from exoreview.results import ELIGIBILITY, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.sources.europepmc import EuropePmcClient
from exoreview.sources.openalex_api import OpenAlexClient
from exoreview.sources.pmc import PmcClient
from exoreview.sources.pubmed import PubMedClient
from exoreview.store import ReviewLocked, Store, StoreError, open_for_writing, writer_lock

EXOREVIEW = [sys.executable, "-m", "exoreview.cli.app"]


def _records(n: int, first: int = 80_000_000) -> list[Record]:
    return [Record(pmid=str(first + i), title=f"Composed exosome record {i}", pub_date=PubDate(2020, 1, 1),
                   abstract=[AbstractSection("Composed text about skin and vesicles.")], languages=["eng"])
            for i in range(n)]


@pytest.fixture()
def review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    capsys.readouterr()
    return folder


# -- one writer per review ------------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_the_holders_name(review: Path, tmp_path: Path, capsys) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom exoreview.store import writer_lock\n"
        f"with writer_lock({str(review / 'review.sqlite')!r}, 'run'):\n"
        "    print('held', flush=True)\n    time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        (tmp_path / "one.nbib").write_text("PMID- 1\nTI  - Composed exosome title\n", encoding="utf-8")
        assert main(["import", str(tmp_path / "one.nbib"), "--dir", str(review)]) == 2
        message = " ".join(capsys.readouterr().err.split())
        assert f"process {holder.pid}, `exoreview run`" in message and "another exoreview process" in message
        with Store.open(review / "review.sqlite") as store:
            assert store.record_count() == 0  # nothing written by the refused command
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the dead holder's lock: the next writer goes ahead.
    assert main(["import", str(tmp_path / "one.nbib"), "--dir", str(review)]) == 0


def test_two_runs_started_together_one_runs_and_the_other_is_refused(review: Path, tmp_path: Path) -> None:
    protocol = review / "protocol.toml"  # no search sources: the runs import a file only
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(re.sub(r"\[\[sources\]\].*?(?=# More sources)", "", text, count=1, flags=re.DOTALL),
                        encoding="utf-8")
    data = tmp_path / "records.xml"
    data.write_bytes(write_pubmed_xml(_records(300)))
    command = [*EXOREVIEW, "run", str(review), "--import", str(data)]
    runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "") for run in runs]
    assert sorted(code for code, _ in results) == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "another exoreview process" in " ".join(refused.split())
    with Store.open(review / "review.sqlite") as store:
        assert store.record_count() == 300
        doubled = store.db.execute(
            "SELECT COUNT(*) FROM (SELECT record_id, stage FROM decisions WHERE undone_at='' "
            "GROUP BY record_id, stage, reviewer HAVING COUNT(*) > 1)").fetchone()[0]
        assert doubled == 0
        assert [r["status"] for r in store.runs()] == ["ok"]


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    store_file = tmp_path / "r.sqlite"
    with writer_lock(store_file, "run"), writer_lock(store_file, "classify"):
        pass
    with writer_lock(store_file, "run"):  # released after both blocks
        pass
    assert not isinstance(ReviewLocked("x"), type(None))


# -- killed runs and imports ----------------------------------------------------------------------------


def test_a_killed_import_keeps_its_finished_batches_and_its_run_is_marked_interrupted(review: Path,
                                                                                    tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(write_pubmed_xml(_records(12_000)))
    store_file = review / "review.sqlite"
    process = subprocess.Popen([*EXOREVIEW, "import", str(big), "--dir", str(review)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        with Store.open(store_file) as store:
            stored = store.record_count()
        if stored >= 2000:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if stored >= 12_000:
        pytest.skip("the import finished before it could be killed")
    with Store.open(store_file) as store:
        kept = store.record_count()
        assert kept >= 2000 and kept % 1000 == 0  # whole batches only
        assert [r["status"] for r in store.runs()] == ["running"]
    # The next writer marks the dead run interrupted; importing again stores the rest, without doubles.
    assert main(["import", str(big), "--dir", str(review)]) == 0
    with Store.open(store_file) as store:
        assert store.record_count() == 12_000
        assert [r["status"] for r in store.runs()] == ["interrupted", "ok"]
        assert any("run interrupted" in row["message"] for row in store.run_log(1))


def test_an_interrupted_run_is_marked_when_the_next_writer_opens(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.sqlite") as store:
        store.start_run("run")
    with open_for_writing(tmp_path / "r.sqlite", "run") as store:
        assert [r["status"] for r in store.runs()] == ["interrupted"]


# -- damaged stores --------------------------------------------------------------------------------------


def test_a_damaged_store_is_refused_and_left_untouched(review: Path, tmp_path: Path, capsys) -> None:
    store_file = review / "review.sqlite"
    with Store.open(store_file) as store:
        store.add_records(_records(3000), source="pubmed")
    with open(store_file, "r+b") as handle:  # scribble over pages in the middle of the file
        size = handle.seek(0, os.SEEK_END)
        handle.seek(size // 2)
        handle.write(b"\xff" * 8192)
    before = store_file.read_bytes()
    (tmp_path / "one.nbib").write_text("PMID- 1\nTI  - Composed exosome title\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "one.nbib"), "--dir", str(review)]) == 2
    error = " ".join(capsys.readouterr().err.split())
    assert "review store is damaged" in error and "Traceback" not in error
    assert store_file.read_bytes() == before
    with pytest.raises(StoreError, match="not a readable review store"):
        (tmp_path / "garbage.sqlite").write_bytes(b"not sqlite at all" * 100)
        Store.open(tmp_path / "garbage.sqlite")


def test_a_mistyped_store_path_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no review store here"):
        Store.open(tmp_path / "typo.sqlite", must_exist=True)
    assert not (tmp_path / "typo.sqlite").exists()


# -- deletion notices, bad files ---------------------------------------------------------------------------


def test_a_deletion_notice_is_not_a_record(review: Path, tmp_path: Path) -> None:
    xml = write_pubmed_xml([*_records(2), Record(pmid="80000009", kind="deleted")])
    assert b"DeleteCitation" in xml
    (tmp_path / "update.xml").write_bytes(xml)
    assert main(["import", str(tmp_path / "update.xml"), "--dir", str(review)]) == 0
    with Store.open(review / "review.sqlite") as store:
        assert sorted(r.pmid for _, r in store.iter_records()) == ["80000000", "80000001"]


@pytest.mark.parametrize(("name", "content"), [
    ("random.xml", b"\x00\x17 not xml at all \xff"), ("cut.xml", b"<PubmedArticleSet><PubmedArticle><Medline"),
    ("random.ris", b"nothing here resembles RIS"), ("empty.ris", b""), ("empty.bib", b""), ("empty.nbib", b""),
    ("markup.bib", b"@article{[/x],\n  title = {Exosomes [/b] unclosed\n"),
])
def test_a_file_with_no_readable_record_exits_2_and_names_it(review: Path, tmp_path: Path, capsys,
                                                              name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    code = main(["import", str(tmp_path / name), "--dir", str(review)])
    error = " ".join(capsys.readouterr().err.split())
    assert code == 2 and name in error and "Traceback" not in error


# -- commands without a terminal, without a network -------------------------------------------------------


def test_screen_without_a_terminal_says_so(review: Path) -> None:
    result = subprocess.run([*EXOREVIEW, "screen", str(review), "-r", "alice"], input="i\n", text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 2 and "from a terminal" in " ".join(result.stderr.split())


def test_appraise_fulltext_offline_stops_at_the_first_failure_and_exits_3(review: Path, capsys) -> None:
    with Store.open(review / "review.sqlite") as store:
        ids = store.add_records([Record(pmid=str(81_000_000 + i), pmcid=f"PMC{900 + i}", title=f"Exosome study {i}",
                                        abstract=[AbstractSection("Exosomes were isolated by ultracentrifugation.")])
                                 for i in range(5)], source="pubmed")
        store.add_decisions([Decision(i, stage, INCLUDE, "rules") for i in ids for stage in (TITLE_ABSTRACT,
                                                                                              ELIGIBILITY)])
    started = time.monotonic()
    code = main(["appraise", str(review), "--fulltext", "--attempts", "2", "--base-url", "http://127.0.0.1:9/"])
    assert code == 3 and time.monotonic() - started < 30
    assert "Everything stored before the fault is kept" in " ".join(capsys.readouterr().err.split())
    with Store.open(review / "review.sqlite") as store:
        assert store.runs()[-1]["status"] == "failed"


# -- protocols -----------------------------------------------------------------------------------------------


def test_protocol_show_prints_every_source_as_sent(tmp_path: Path, capsys) -> None:
    assert main(["protocol", "show", "exosome-aesthetics"]) == 0
    shown = capsys.readouterr().out
    assert "free full text[sb]" in shown and "[tiab]" in shown and "2014/01/01:2024/12/31[dp]" in shown
    # A registry searched by condition and intervention alone, as the demo's protocol does.
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\ntitle = "t"\nquestion = "q"\n\n[[sources]]\nname = "ctgov"\n'
                    'condition = "alopecia"\nintervention = "exosome"\n\n[report]\ntitle = "t"\n', encoding="utf-8")
    assert main(["protocol", "show", str(path)]) == 0
    assert "query.cond=alopecia&query.intr=exosome" in capsys.readouterr().out


def test_protocol_errors_point_at_the_nested_key(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\ntitle = "t"\nquestion = "q"\n\n[[sources]]\nname = "pubmed"\nquery = "a"\n\n'
                    '[[sources]]\nname = "nonsense"\nquery = "b"\n\n[report]\ntitle = "t"\n', encoding="utf-8")
    assert main(["protocol", "show", str(path)]) == 2
    assert f"{path}:10: field sources.1.name" in " ".join(capsys.readouterr().err.split())


# -- secrets ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("base_url", "sent"), [
    ("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", True),
    ("http://eutils.ncbi.nlm.nih.gov/entrez/eutils/", False),  # plain HTTP off this machine
    ("https://mirror.example.org/eutils/", False),  # someone else's service
    ("http://127.0.0.1:8765/", True),  # this machine's own service
])
def test_the_api_key_and_email_go_to_ncbi_or_this_machine_only(base_url: str, sent: bool) -> None:
    for client in (PubMedClient(base_url=base_url, email="me@example.org", api_key="KEY"),
                   PmcClient(base_url=base_url, email="me@example.org", api_key="KEY")):
        assert ("api_key" in client.identity and "email" in client.identity) is sent
        client.close()


def test_the_email_goes_to_europe_pmc_and_openalex_only() -> None:
    assert EuropePmcClient(email="me@example.org").email == "me@example.org"
    assert EuropePmcClient(email="me@example.org", base_url="https://proxy.example.org/").email == ""
    assert OpenAlexClient(email="me@example.org").email == "me@example.org"
    assert OpenAlexClient(email="me@example.org", base_url="http://openalex.org.evil.example/").email == ""


@pytest.mark.slow
def test_the_crash_safety_benchmark_counts_nothing_lost_in_a_few_kills() -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "crash_safety.py"
    result = subprocess.run([sys.executable, str(script), "--kills", "3", "--records", "300", "--seed", "3", "--json"],
                            capture_output=True, text=True, timeout=300)
    line = __import__("json").loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert (line["kills"], line["lost"], line["dangling"], line["doubled"]) == (3, 0, 0, 0)
    assert line["kills_by_command"] == {"import": 1, "run": 1, "serve": 1}


def test_a_thousand_ored_terms_translate_for_every_source() -> None:
    from exoreview.sources.translate_query import to_ctgov, to_europepmc, to_openalex

    query = " OR ".join(f"term{i}[tiab]" for i in range(1000)) + " AND 2014:2024[dp]"
    assert to_europepmc(query).query.count(" OR ") == 999
    assert to_openalex(query).params["search"].count(" OR ") == 999
    assert to_ctgov(query).params["query.term"].count(" OR ") == 999
