"""CSL-JSON: items with CSL variable names; broken items named by number and id, the rest import."""

from __future__ import annotations

import json

import pytest

from exoreview.formats.csljson import iter_csljson, write_csljson
from exoreview.formats.errors import MalformedRecord
from exoreview.records import MeshHeading, MeshQualifier, PublicationType, Record
from tests.formats_helpers import portable, synergy_records


def test_zotero_style_item_is_read() -> None:
    item = {"id": "http://zotero.org/1", "type": "article-journal", "title": "Exosomes and hair",
            "author": [{"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
                       {"literal": "Hair Research Consortium"}],
            "issued": {"date-parts": [["2021", 4]]}, "container-title": "J Dermatol Sci", "page": "1-9",
            "DOI": "10.1/XYZ", "PMID": "33333333", "PMCID": "123", "keyword": "exosomes, alopecia"}
    [record] = iter_csljson(json.dumps([item]))
    assert [a.last_name or a.collective_name for a in record.authors] == ["van der Berg", "Hair Research Consortium"]
    assert (record.year, record.pub_date.month, record.pmid, record.pmcid) == (2021, 4, "33333333", "PMC123")
    assert record.keywords == ["exosomes", "alopecia"]


def test_broken_items_are_named() -> None:
    errors: list[MalformedRecord] = []
    items = [{"id": "a", "title": "Fine"}, "not an item", {"id": "c"}, {"id": "d", "DOI": "10.1/d"}]
    assert [r.doi or r.title for r in iter_csljson(json.dumps(items), errors=errors)] == ["Fine", "10.1/d"]
    assert [str(e) for e in errors] == ["<csl-json>: entry 2: item is a JSON str, not an object",
                                        "<csl-json>: entry 3 (c): item has neither a title nor a DOI"]
    with pytest.raises(MalformedRecord, match="not JSON"):
        list(iter_csljson("[{\n"))


def test_real_records_round_trip() -> None:
    records = synergy_records("Meijboom_2021")
    assert [portable(r) for r in iter_csljson(write_csljson(records))] == [portable(r) for r in records]


def test_mesh_publication_types_and_languages_survive_in_genre_and_custom() -> None:
    record = Record(title="T", languages=["eng", "por"], keywords=["skin, ageing"],
                    mesh=[MeshHeading("Exosomes", major=True, qualifiers=[MeshQualifier("metabolism", major=True)])],
                    publication_types=[PublicationType("Journal Article"), PublicationType("Review")])
    [item] = json.loads(write_csljson([record]))
    assert item["genre"] == "Journal Article; Review" and item["language"] == "eng"
    assert item["custom"] == {"mesh": ["*Exosomes/*metabolism"], "languages": ["eng", "por"]}
    [back] = iter_csljson(json.dumps([item]))
    assert (back.mesh, back.publication_types, back.languages, back.keywords) == (
        record.mesh, record.publication_types, record.languages, record.keywords)
