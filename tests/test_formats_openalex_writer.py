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
    write_synergy,
)
from exoreview.formats.pubmed_xml import iter_pubmed_xml


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
        # OpenAlex keeps one display name per author; its last word is what comes back as the surname.
        assert [a.last_name for a in back.authors] == [(a.last_name or a.collective_name).split()[-1]
                                                      for a in record.authors]


def test_synergy_folder_round_trip(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = list(iter_synergy(shared("data", "synergy", "Sep_2021")))
    write_synergy(tmp_path / "copy", rows)
    back = list(iter_synergy(tmp_path / "copy"))
    assert [(b.record.openalex_id, b.record.title, b.record.doi, b.included) for b in back] == [
        (r.record.openalex_id, r.record.title, r.record.doi, r.included) for r in rows]
    assert isinstance(back[0], LabelledRecord)
