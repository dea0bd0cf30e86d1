"""The fuzzy matcher on real records: copies merge, notices and other studies never do, doubt goes to review."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from exoreview.bench.dedup_testset import abbreviate_journal, build_testset
from exoreview.dedup import deduplicate, match_records
from exoreview.dedup.compare import compare, fingerprint
from exoreview.dedup.normalize import journal_tokens, journals_compatible, normalize_title
from exoreview.formats.openalex import iter_synergy
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Author, Correction, PublicationType, Record
from exoreview.store import Store


@pytest.fixture(scope="module")
def articles() -> list[Record]:
    from tests.conftest import shared_path

    records = iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz"))
    return [r for r in records if len(r.title.split()) >= 8 and r.authors and r.year and r.journal.title][:60]


def _copy(record: Record, **changes: object) -> Record:
    copy = Record.from_dict(record.to_dict())
    copy.pmid = copy.pmcid = copy.doi = ""
    return dataclasses.replace(copy, **changes)


def _decision(a: Record, b: Record) -> str:
    return compare(fingerprint(a), fingerprint(b)).decision


def test_normalized_titles_ignore_tags_entities_accents_and_greek() -> None:
    assert normalize_title("<i>α</i>-Synuclein &amp; Ørsted's café") == "alpha synuclein and orsted s cafe"


def test_journal_abbreviations_fit_their_full_names() -> None:
    full = journal_tokens("Journal of Investigative Dermatology")
    assert journals_compatible(journal_tokens("J Invest Dermatol"), full)
    assert journals_compatible(journal_tokens("JAMA"), journal_tokens("Journal of the American Medical Association"))
    assert not journals_compatible(journal_tokens("Br J Dermatol"), full)
    assert abbreviate_journal("Journal of Affective Disorders") == "J Affe Diso"


def test_export_variants_of_real_articles_merge(articles: list[Record]) -> None:
    for record in articles:
        truncated = " ".join(record.title.split()[:-2])
        shifted = dataclasses.replace(record.pub_date, year=(record.year or 0) + 1)
        initials = [Author(a.last_name, "", a.initials) for a in record.authors]
        assert _decision(record, _copy(record, title=record.title.upper())) == "merge"
        assert _decision(record, _copy(record, title=truncated + "...")) == "merge"
        assert _decision(record, _copy(record, pub_date=shifted, authors=initials)) == "merge", record.title


def test_notices_never_merge_with_their_article(articles: list[Record]) -> None:
    for record in articles[:20]:
        notices = [
            _copy(record, title="Erratum: " + record.title),
            _copy(record, title="Retraction notice to: " + record.title),
            _copy(record, title="Reply to: " + record.title),
            _copy(record, publication_types=[PublicationType("Published Erratum")]),
            _copy(record, publication_types=[PublicationType("Comment")]),
            _copy(record, work_type="erratum"),
            _copy(record, corrections=[Correction("ErratumFor", record.pmid)]),
        ]
        for notice in notices:
            assert _decision(record, notice) == "distinct"
        result = match_records(enumerate([record, *notices]))
        assert all({link.record_id, link.kept_id} != {0, n} for link in result.links for n in range(1, 8))


def test_same_title_in_other_years_and_other_studies_stay_apart(articles: list[Record]) -> None:
    for record in articles:
        year = record.year or 2000
        later = _copy(record, pub_date=dataclasses.replace(record.pub_date, year=year + 2))
        assert _decision(record, later) == "distinct"
        other_author = [Author("Zzyzx", "Quentin", "Q")]
        next_year_other = _copy(record, pub_date=dataclasses.replace(record.pub_date, year=year + 1),
                                authors=other_author, journal=dataclasses.replace(record.journal, title="Other",
                                                                                  pages="999-1001"))
        assert _decision(record, next_year_other) != "merge"
        words = record.title.split()
        swapped = _copy(record, title=" ".join([*words[:3], "hamsters", *words[4:]]))
        assert _decision(record, swapped) == "distinct"


def test_numbers_in_titles_tell_studies_apart() -> None:
    base = Record(title="Efficacy of drug X in the phase 2 trial of plaque psoriasis patients", pub_date=_year(2020),
                  authors=[Author("Smith", "John", "J")])
    phase3 = dataclasses.replace(base, title=base.title.replace("phase 2", "phase 3"))
    assert _decision(base, phase3) == "distinct"


def _year(year: int):  # type: ignore[no-untyped-def]
    from exoreview.records import PubDate

    return PubDate(year=year)


def test_same_title_and_year_but_another_first_author_and_no_journal_goes_to_review(articles: list[Record]) -> None:
    record = articles[0]
    other = _copy(record, authors=[Author("Zzyzx", "Quentin", "Q")], journal=type(record.journal)())
    result = match_records([(1, record), (2, other)])
    assert result.links == []
    assert [(r.record_id, r.other_id) for r in result.review] in ([(1, 2)], [(2, 1)])


def test_testset_from_real_synergy_meets_the_quality_targets() -> None:
    from tests.conftest import shared_path

    originals = [row.record for row in iter_synergy(shared_path("data", "synergy", "Sep_2021"))]
    testset = build_testset(originals, seed=7)
    result = match_records(enumerate(testset.records))
    same = [testset.study[link.record_id] == testset.study[link.kept_id] for link in result.links]
    copies = sum(k.startswith("copy:") for k in testset.kind)
    assert sum(same) / len(same) >= 0.99  # precision over links
    assert sum(same) / copies >= 0.95
    negatives = {n for n, k in enumerate(testset.kind) if k.startswith("negative:")}
    assert not [link for link in result.links if link.record_id in negatives or link.kept_id in negatives]


def test_demo_hand_search_copies_all_merge_and_nothing_else(tmp_path: Path) -> None:
    from exoreview.demo.corpus import demo_corpus
    from exoreview.demo.corpus.demo import truth_key
    from exoreview.formats.ris import iter_ris, write_ris

    corpus = demo_corpus(2025)
    imported = list(iter_ris(write_ris(corpus.hand_search)))  # through RIS, as the demo imports them
    with Store.open(tmp_path / "r.sqlite") as store:
        pubmed_ids = store.add_records(corpus.pubmed, source="pubmed")
        import_ids = store.add_records(imported, source="import:hand-search.ris")
        deduplicate(store)
        links = {d.record_id: d.kept_id for d in store.duplicates()}
    pmid_of = {i: r.pmid for i, r in zip(pubmed_ids, corpus.pubmed, strict=True)}
    expected = {}
    for record_id, record in zip(import_ids, corpus.hand_search, strict=True):
        original = corpus.truth[truth_key(record)].get("duplicate_of")
        if original:
            expected[record_id] = original
    assert len(expected) == 20
    assert {i: pmid_of.get(k) for i, k in links.items()} == expected


def test_a_shared_doi_outweighs_an_online_first_year_and_a_respelt_author(articles: list[Record]) -> None:
    record = next(r for r in articles if r.doi)
    year = record.year or 2000
    copy = _copy(record, doi="https://doi.org/" + record.doi.upper(), authors=[Author("Other", "Name", "N")],
                 pub_date=dataclasses.replace(record.pub_date, year=year + 2))
    [link] = match_records([(1, record), (2, copy)]).links
    assert (link.record_id, link.kept_id, link.reason) == (2, 1, "doi")
    erratum = dataclasses.replace(copy, publication_types=[PublicationType("Published Erratum")])
    assert match_records([(1, record), (2, erratum)]).links == []


def test_the_stage_logs_the_review_queue(articles: list[Record], tmp_path: Path) -> None:
    record = articles[0]
    doubtful = _copy(record, authors=[Author("Zzyzx", "Quentin", "Q")], journal=type(record.journal)())
    with Store.open(tmp_path / "r.sqlite") as store:
        run_id = store.start_run("run", "p", "h")
        ids = store.add_records([record, doubtful], source="pubmed")
        assert deduplicate(store, run_id=run_id) == 0
        lines = [row["message"] for row in store.db.execute("SELECT message FROM run_log WHERE run_id=?", (run_id,))]
    assert any(f"records {ids[0]} and {ids[1]} may be one study" in line or
               f"records {ids[1]} and {ids[0]} may be one study" in line for line in lines)
