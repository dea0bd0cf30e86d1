"""The fast record-to-dict conversion gives exactly what dataclasses.asdict gives, on real records."""

from __future__ import annotations

import dataclasses

from exoreview.formats.openalex import iter_synergy
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.records import Record
from tests.conftest import shared_path


def test_to_dict_equals_asdict_on_real_pubmed_and_openalex_records():
    records = list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))
    records += [row.record for row in iter_synergy(shared_path("data", "synergy", "Sep_2021"))]
    records[0].extra["nct_id"] = "NCT00000000"
    for record in records:
        assert record.to_dict() == dataclasses.asdict(record)
        assert Record.from_json(record.to_json()) == record


def test_to_dict_copies_lists_so_the_record_is_not_shared():
    record = Record(title="t", keywords=["a"], extra={"k": "v"})
    data = record.to_dict()
    data["keywords"].append("b")
    data["extra"]["k"] = "w"
    assert record.keywords == ["a"] and record.extra == {"k": "v"}
