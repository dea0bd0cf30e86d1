"""The protocol's PubMed-style query translated for Europe PMC, OpenAlex and ClinicalTrials.gov."""

from __future__ import annotations

import pytest

from exoreview.protocol import load_protocol
from exoreview.sources.translate_query import TranslationError, to_ctgov, to_europepmc, to_openalex


def test_flagship_query_in_europepmc_syntax():
    query = load_protocol("exosome-aesthetics").sources[0].query_string()
    text = to_europepmc(query).query
    assert text.startswith('(MESH:"Exosomes" OR MESH:"Extracellular Vesicles" OR TITLE_ABS:exosome')
    assert text.endswith("AND HAS_FREE_FULLTEXT:Y AND FIRST_PDATE:[2014-01-01 TO 2024-12-31]")
    assert "[tiab]" not in text and "[MeSH Terms]" not in text


def test_openalex_lifts_filters_and_refuses_what_it_cannot_search():
    t = to_openalex('(exosome*[tiab] OR "skin aging"[mh]) AND free full text[sb] AND eng[la] AND 2014:2024[dp]')
    assert t.params["search"] == 'exosome OR "skin aging"'
    assert t.params["filter"] == ("open_access.is_oa:true,language:en,from_publication_date:2014-01-01,"
                                  "to_publication_date:2024-12-31")
    assert any("truncation" in n for n in t.notes) and any("MeSH" in n for n in t.notes)
    with pytest.raises(TranslationError, match="smith"):
        to_openalex("exosome[tiab] AND smith j[au]")
    with pytest.raises(TranslationError, match="top level"):
        to_openalex("exosome[tiab] OR 2019[dp]")


def test_ctgov_keeps_condition_and_intervention_and_drops_publication_filters():
    t = to_ctgov("(exosome[tiab] OR vesicle*[tiab]) AND 2014:2024[dp]", condition="alopecia", intervention="EV")
    assert t.params == {"query.cond": "alopecia", "query.intr": "EV", "query.term": "exosome OR vesicle"}
    assert any("left out" in n for n in t.notes)
    with pytest.raises(TranslationError, match="nothing to search"):
        to_ctgov("")
    with pytest.raises(TranslationError, match="not valid PubMed syntax"):
        to_europepmc("(exosome[tiab]")
