"""Deduplication on real MEDLINE records: copies merge, different studies and notices never do."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from exoreview.dedup import deduplicate, find_duplicates, normalize_doi, normalize_title
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import PublicationType, Record
from exoreview.store import Store


@pytest.fixture(scope="module")
def real_records() -> list[Record]:
    from tests.conftest import shared_path

    return list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))


def test_normalizers() -> None:
    title = "<i>In vivo</i> Effects of Café-Exosomes: a Trial!"
    assert normalize_title(title) == "in vivo effects of cafe exosomes a trial"
    assert normalize_doi("https://doi.org/10.1000/ABC.1") == normalize_doi("doi: 10.1000/abc.1") == "10.1000/abc.1"


def test_distinct_real_records_are_never_merged(real_records: list[Record]) -> None:
    assert find_duplicates(list(enumerate(real_records))) == []


def test_export_copies_merge_by_identifier_or_title(real_records: list[Record]) -> None:
    originals = [r for r in real_records if r.doi and len(r.title) > 30][:40]
    copies = []
    for n, record in enumerate(originals):
        copy = dataclasses.replace(record, pmid="", pmcid="")
        if n % 2:  # an export that lost the DOI and changed case and punctuation
            copy = dataclasses.replace(copy, doi="", title=record.title.upper().rstrip(".") + "?")
        else:
            copy = dataclasses.replace(copy, doi="https://doi.org/" + record.doi.upper())
        copies.append(copy)
    items = list(enumerate(originals + copies))
    links = find_duplicates(items, preference={i: int(i >= len(originals)) for i, _ in items})
    assert len(links) == len(originals)
    assert all(link.kept_id == link.record_id - len(originals) for link in links)
    reasons = {link.reason for link in links}
    assert "doi" in reasons and len(reasons) == 2
    assert all(r == "doi" or r.startswith("title+year+author") for r in reasons)


def test_notices_and_same_title_in_another_year_stay_apart(real_records: list[Record]) -> None:
    article = next(r for r in real_records if r.doi and len(r.title) > 30)
    erratum = dataclasses.replace(article, pmid="1", doi="", pmcid="",
                                  publication_types=[PublicationType("Published Erratum")])
    later_date = dataclasses.replace(article.pub_date, year=(article.year or 0) + 3)
    later = dataclasses.replace(article, pmid="2", doi="", pmcid="", pub_date=later_date)
    assert find_duplicates([(1, article), (2, erratum), (3, later)]) == []


def test_stage_records_links_and_respects_undo(real_records: list[Record], tmp_path: Path) -> None:
    record = real_records[0]
    copy = dataclasses.replace(record, title=record.title.lower())
    with Store.open(tmp_path / "r.sqlite") as store:
        [kept] = store.add_records([record], source="pubmed")
        [dup] = store.add_records([copy], source="import:colleague.ris")
        assert deduplicate(store) == 1
        [link] = store.duplicates()
        assert (link.record_id, link.kept_id, link.reason) == (dup, kept, "pmid")
        assert deduplicate(store) == 0  # nothing new
        assert link.id is not None
        store.undo_duplicate(link.id)
        assert deduplicate(store) == 0  # a reviewer's "these differ" stands
        assert store.unique_record_ids() == [kept, dup]
