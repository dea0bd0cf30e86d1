"""The terminal screener driven through a real pseudo-terminal (pexpect), as a reviewer would use it.

Records: the first real PubMed records of medline16n0902 (shared fixtures).
"""

from __future__ import annotations

import os
import sys
from itertools import islice
from pathlib import Path

import pytest

from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.results import EXCLUDE, INCLUDE, MAYBE, TITLE_ABSTRACT
from exoreview.review import init_folder
from exoreview.store import Store
from tests.conftest import shared_path

pexpect = pytest.importorskip("pexpect")


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    records = list(islice(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")), 12))
    folder = init_folder(tmp_path / "review")
    with Store.open(folder.store_file) as store:
        store.add_records(records, source="pubmed")
    return folder.root


def spawn(review_dir: Path, reviewer: str):
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "exoreview.cli.app", "screen", str(review_dir), "--reviewer",
                                           reviewer], env=env, encoding="utf-8", timeout=30, dimensions=(40, 120))
    return child


def test_screen_keys_undo_note_and_resume(review_dir: Path):
    child = spawn(review_dir, "alice")
    child.expect("0/12 screened")
    child.expect("key> ")
    child.send("i")
    child.expect(r"1/12 screened .* estimated recall \d\.\d\d \(95% interval")
    child.expect(r"record \d+: include")
    child.expect("key> ")
    child.send("e")
    child.expect(r"\[2\] E1: ")
    child.expect("reason")
    child.send("2")
    child.expect(r"record \d+: exclude \(E1\)")
    child.expect("key> ")
    child.send("u")
    child.expect(r"undid record \d+: exclude")
    child.expect("key> ")
    child.send("n")
    child.expect("note> ")
    child.sendline("dose unclear, check full text")
    child.expect("note kept")
    child.expect("key> ")
    child.send("m")
    child.expect(r"record \d+: maybe")
    child.expect("key> ")
    child.send("q")
    child.expect("Saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    with Store.open(review_dir / "review.sqlite") as store:
        standing = store.decisions(TITLE_ABSTRACT, reviewer="alice")
        assert [d.label for d in standing] == [INCLUDE, MAYBE]
        assert standing[1].note == "dose unclear, check full text"
        history = store.decisions(TITLE_ABSTRACT, reviewer="alice", history=True, include_undone=True)
        assert [d.label for d in history] == [INCLUDE, EXCLUDE, MAYBE]
        assert history[1].reason_id == "E1" and history[1].undone_at

    # A second session resumes after the two standing decisions; Bob's session is blind to Alice's.
    again = spawn(review_dir, "alice")
    again.expect("2/12 screened")
    again.expect("key> ")
    again.send("q")
    again.expect(pexpect.EOF)
    bob = spawn(review_dir, "bob")
    bob.expect("0/12 screened")
    bob.expect("key> ")
    bob.send("x")
    bob.expect("unknown key")
    bob.expect("key> ")
    bob.send("q")
    bob.expect(pexpect.EOF)


def test_screen_to_the_end(review_dir: Path):
    child = spawn(review_dir, "carol")
    for _ in range(12):
        child.expect("key> ")
        child.send("e")
        child.expect("reason")
        child.send("\r")
    child.expect("Nothing left to screen")
    child.expect(pexpect.EOF)
    with Store.open(review_dir / "review.sqlite") as store:
        labels = [d.label for d in store.decisions(TITLE_ABSTRACT, reviewer="carol")]
    assert labels == [EXCLUDE] * 12
