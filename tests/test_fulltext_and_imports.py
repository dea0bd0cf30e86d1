"""A review of imported files only: run, full-text retrieval by a reviewer, labels found by any identifier."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, MAYBE
from exoreview.store import Store

RIS = """TY  - JOUR
TI  - Composed: adipose stem cell exosomes smooth wrinkles in photoaged mice
AB  - We treated photoaged mice with topical exosomes from adipose-derived stem cells. Wrinkles fell and collagen rose.
PY  - 2021
DO  - 10.9999/composed.1
ER  -
TY  - JOUR
TI  - Composed: umbilical cord MSC exosomes and acne scars after laser
AB  - Twenty patients received fractional laser followed by topical exosomes. Scars improved; no adverse events.
PY  - 2022
DO  - 10.9999/composed.2
ER  -
TY  - JOUR
TI  - Composed: exosome serum for melasma
AB  - Thirty women applied an exosome serum for melasma. Pigment fell.
PY  - 2025
DO  - 10.9999/composed.3
ER  -
"""


@pytest.fixture()
def review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    protocol = folder / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    # No search sources at all: this review is built from imported files.
    text = re.sub(r"\[\[sources\]\].*?(?=# More sources)", "", text, count=1, flags=re.DOTALL)
    protocol.write_text(text, encoding="utf-8")
    (tmp_path / "refs.ris").write_text(RIS, encoding="utf-8")
    assert main(["run", str(folder), "--import", str(tmp_path / "refs.ris")]) == 0
    capsys.readouterr()
    return folder


def test_imports_only_wait_for_retrieval_and_the_date_window_applies(review: Path) -> None:
    with Store.open(review / "review.sqlite") as store:
        eligibility = store.final_decisions(ELIGIBILITY)
        labels = sorted(d.label for d in eligibility.values())
        ta = {store.record(i).doi: d for i, d in store.final_decisions("title_abstract").items()}
    assert labels == [MAYBE, MAYBE]  # unknown full text is not "no full text"
    assert (ta["10.9999/composed.3"].label, ta["10.9999/composed.3"].reason_id) == (EXCLUDE, "E0")


def test_a_reviewer_records_retrieval_and_the_next_run_classifies(review: Path, capsys) -> None:
    assert main(["fulltext", str(review)]) == 0
    listing = capsys.readouterr().out
    assert "10.9999/composed.1" in listing and "2 report(s) awaiting full-text retrieval" in listing
    assert main(["fulltext", str(review), "10.9999/composed.1", "--retrieved", "-r", "alice", "--note", "PDF"]) == 0
    assert main(["fulltext", str(review), "https://doi.org/10.9999/composed.2", "--not-retrieved", "-r", "alice",
                 "--note", "paywalled"]) == 0
    assert main(["fulltext", str(review), "10.9999/composed.2", "--retrieved", "-r", "bob"]) == 2  # not waiting
    assert main(["run", str(review)]) == 0
    with Store.open(review / "review.sqlite") as store:
        history = store.decisions(ELIGIBILITY, history=True)
        final = {store.record(i).doi: d for i, d in store.final_decisions(ELIGIBILITY).items()}
        kept = store.find_record(doi="10.9999/composed.1")
        assert {lab.facet for lab in store.labels(kept)} >= {"design", "indication", "ev_source"}
    assert final["10.9999/composed.1"].label == INCLUDE
    assert (final["10.9999/composed.2"].label, final["10.9999/composed.2"].reason_id,
            final["10.9999/composed.2"].reviewer) == (EXCLUDE, "NR", "alice")
    assert any(d.reviewer == "alice" and d.note == "full text retrieved: PDF" for d in history)


def test_labels_finds_a_study_by_doi_pmcid_or_number(review: Path, capsys) -> None:
    main(["fulltext", str(review), "10.9999/composed.1", "--retrieved", "-r", "alice"])
    main(["run", str(review)])
    capsys.readouterr()
    assert main(["labels", "10.9999/composed.1", "--dir", str(review), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["doi"] == "10.9999/composed.1" and any(lab["facet"] == "design" for lab in shown["labels"])
    assert main(["labels", str(shown["record_id"]), "--dir", str(review), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["record_id"] == shown["record_id"]
    assert main(["labels", "PMC0000000", "--dir", str(review)]) == 2
    assert "PMC0000000: no record" in " ".join(capsys.readouterr().err.split())


def test_find_record_by_pmcid(tmp_path: Path) -> None:
    from exoreview.records import Record

    with Store.open(tmp_path / "r.sqlite") as store:
        [rid] = store.add_records([Record(pmid="1", pmcid="PMC123", title="t")], source="x")
        assert store.find_record(pmcid="pmc123") == store.find_record(pmcid="123") == rid
