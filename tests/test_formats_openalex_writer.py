"""The OpenAlex writer: works that read back to the same records, and SYNERGY folders that load back with labels."""

from __future__ import annotations

import json
from pathlib import Path

from exoreview.formats.openalex import (
    LabelledRecord,
    invert_abstract,
    iter_synergy,
    rebuild_abstract,
    record_to_work,
    work_to_record,
    write_openalex_json,
    write_synergy,
)
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Author, MeshHeading, PubDate, PublicationType, Record


def test_abstract_index_inverts() -> None:
    text = "Exosomes reduce wrinkles ; exosomes reduce scars"
    assert rebuild_abstract(invert_abstract(text)) == text


def test_pubmed_records_become_works_and_back(shared) -> None:  # type: ignore[no-untyped-def]
    records = list(iter_pubmed_xml(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))[:200]
    for record in records:
        work = json.loads(json.dumps(record_to_work(record)))
        back = work_to_record(work)
        assert (back.pmid, back.pmcid, back.doi, back.title, back.year) == (
            record.pmid, record.pmcid, record.doi.lower(), record.title.strip(), record.year)
        assert [m.descriptor for m in back.mesh] == [m.descriptor for m in record.mesh]
        # OpenAlex keeps one display name per author; our `exoreview` object keeps the parts.
        assert [(a.last_name, a.fore_name, a.initials, a.collective_name) for a in back.authors] == [
            (a.last_name, a.fore_name, a.initials, a.collective_name) for a in record.authors]
        assert (back.pub_date.month, back.pub_date.day) == (record.pub_date.month, record.pub_date.day)


def test_surnames_of_several_words_months_without_days_and_every_language_survive() -> None:
    record = Record(title="Exosomes", pub_date=PubDate(2021, 6), languages=["eng", "por"],
                    authors=[Author("Ben Aouicha", "Mohamed", "M"), Author(collective_name="Movement Disorder Group")],
                    publication_types=[PublicationType("Journal Article")])
    [work] = json.loads(write_openalex_json([record]))
    assert work["publication_date"] == "2021-06" and work["id"] is None
    back = work_to_record(work)
    assert (back.authors, back.pub_date, back.languages, back.publication_types, back.openalex_id) == (
        record.authors, record.pub_date, record.languages, record.publication_types, "")


def test_works_of_real_openalex_shape_still_split_the_display_name() -> None:
    work = {"id": "https://openalex.org/W1", "title": "T", "publication_date": "2020-01-31",
            "authorships": [{"author": {"display_name": "Mark E. Bouton"}, "raw_affiliation_string": "U Vermont"}]}
    back = work_to_record(work)
    assert (back.authors[0].last_name, back.authors[0].fore_name, back.authors[0].affiliations) == (
        "Bouton", "Mark E.", ["U Vermont"])
    assert (back.pub_date.year, back.pub_date.month, back.pub_date.day, back.free_full_text) == (2020, 1, 31, None)


def test_a_doi_ending_with_a_slash_keeps_it() -> None:
    record = Record(title="T", doi="10.1000/x/")
    assert work_to_record(record_to_work(record)).doi == "10.1000/x/"


def test_headings_without_uis_stay_apart() -> None:
    record = Record(title="T", mesh=[MeshHeading("Exosomes", major=True), MeshHeading("Skin")])
    assert work_to_record(record_to_work(record)).mesh == record.mesh


def test_synergy_folder_round_trip(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = list(iter_synergy(shared("data", "synergy", "Sep_2021")))
    write_synergy(tmp_path / "copy", rows)
    back = list(iter_synergy(tmp_path / "copy"))
    assert [(b.record.openalex_id, b.record.title, b.record.doi, b.included) for b in back] == [
        (r.record.openalex_id, r.record.title, r.record.doi, r.included) for r in rows]
    assert isinstance(back[0], LabelledRecord)
