"""RIS through rispy: real MEDLINE records and SYNERGY records round-trip; a broken entry is named."""

from __future__ import annotations

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed_xml import iter_pubmed_xml
from exoreview.formats.ris import iter_ris, write_ris
from tests.formats_helpers import portable, synergy_records


def test_pubmed_records_keep_ids_dates_and_fields(shared) -> None:  # type: ignore[no-untyped-def]
    records = list(iter_pubmed_xml(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))[:300]
    back = list(iter_ris(write_ris(records)))
    assert [(r.pmid, r.pmcid, r.doi, r.pub_date.year, r.pub_date.month) for r in back] == [
        (r.pmid, r.pmcid, r.doi, r.pub_date.year, r.pub_date.month if r.pub_date.year else None) for r in records]
    assert [r.title for r in back] == [" ".join(r.title.split()) for r in records]


def test_synergy_records_round_trip() -> None:
    records = synergy_records("Menon_2022")
    assert [portable(r) for r in iter_ris(write_ris(records))] == [portable(r) for r in records]


def test_broken_entry_is_named_by_number_and_title() -> None:
    text = ("TY  - JOUR\nTI  - First\nER  - \n"
            "TY  - JOUR\nAU  - Nobody, A\nER  - \n"
            "XX  - junk without a type\nTI  - Orphan title\nER  - \n"
            "TY  - JOUR\nTI  - Last\nER  - \n")
    errors: list[MalformedRecord] = []
    assert [r.title for r in iter_ris(text, errors=errors)] == ["First", "Last"]
    assert str(errors[0]) == "<ris>: entry 2: entry has no title (TI or T1)"
    assert str(errors[1]).startswith("<ris>: entry 3 (Orphan title): ")
