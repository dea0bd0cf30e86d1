"""`exoreview duplicates`: list merges, show the review queue, merge by hand, undo; dedup respects the undo."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.dedup import deduplicate
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Author, Journal
from exoreview.store import Store


def test_review_merge_and_undo(shared, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    records = [r for r in iter_pubmed_xml(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz"))
               if len(r.title.split()) > 8][:3]
    doubtful = dataclasses.replace(records[0], pmid="", pmcid="", doi="", authors=[Author("Zzyzx", "Q", "Q")],
                                   journal=Journal())
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    with Store.open(folder / "review.sqlite") as store:
        ids = store.add_records([*records, doubtful], source="pubmed")
        assert deduplicate(store) == 0
    capsys.readouterr()
    assert main(["duplicates", "review", "--dir", str(folder)]) == 0
    assert "1 pairs to review." in capsys.readouterr().out
    assert main(["duplicates", "merge", str(ids[3]), str(ids[0]), "--dir", str(folder)]) == 0
    assert main(["duplicates", "merge", str(ids[3]), str(ids[1]), "--dir", str(folder)]) == 2  # already set aside
    assert main(["duplicates", "list", "--dir", str(folder)]) == 0
    assert f"record {ids[3]} -> kept {ids[0]} [reviewer" in capsys.readouterr().out
    with Store.open(folder / "review.sqlite") as store:
        [link] = store.duplicates()
    assert main(["duplicates", "undo", str(link.id), "--dir", str(folder)]) == 0
    with Store.open(folder / "review.sqlite") as store:
        assert store.duplicates() == [] and deduplicate(store) == 0
        assert len(store.unique_record_ids()) == 4
