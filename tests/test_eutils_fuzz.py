"""Properties of the query parser and the local E-utilities service on arbitrary input (Hypothesis).

Bounded for the suite: 80 examples per property, the same ones every run. EXOREVIEW_FUZZ_EXAMPLES=5000
runs that many, drawn afresh each time, to look for new failures. Records are composed; none is real.
"""

from __future__ import annotations

import os

import httpx
import pytest
from lxml import etree

from exoreview.eutils.query import QuerySyntaxError, parse
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.mesh.tree import MeshTree
from exoreview.records import AbstractSection, MeshHeading, PubDate, Record

pytest.importorskip("hypothesis", reason="the property tests need hypothesis (pip install hypothesis)")
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

FUZZ_EXAMPLES = os.environ.get("EXOREVIEW_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(FUZZ_EXAMPLES or 80), derandomize=FUZZ_EXAMPLES is None, deadline=None,
                database=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of PubMed syntax, right and wrong, so generated strings reach deep into the parser.
PIECES = ["(", ")", "(", ")", "AND", "OR", "NOT", "and", '"', '"skin aging"', "[tiab]", "[mh]", "[dp]", "[au]",
          "[pt]", "[la]", "[sb]", "[aid]", "[pmid]", "[majr:noexp]", "[foo]", "[", "]", ":", "*", "skin", "ski*",
          "exosomes", "Skin", "2019", "2014:2024", "2014/02/30", "2014/01/01", "0000", "9999/12/31", "smith j",
          "free full text", "eng", "10.1000/x", "-", "&", "é", "\x00", "\u2028", " ", "  "]
query_like = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
joined = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
depth = st.one_of(st.integers(0, 10), st.integers(90, 110), st.integers(300, 1200))
nested = st.tuples(depth, depth, st.sampled_from(["skin", "a OR b", "", "x[ti]"])).map(
    lambda t: "(" * t[0] + t[2] + ")" * t[1])
flat = st.tuples(st.integers(1, 1500), st.sampled_from(["OR", "AND", "NOT", ""])).map(
    lambda t: f" {t[1]} ".join(f"word{i}" for i in range(t[0])))
queries = st.one_of(st.text(max_size=200), query_like, joined, nested, flat)
# The two queries of the issue, always tried: 400 nested parentheses, 1,000 OR'd terms.
DEEP, LONG = "(" * 400 + "skin" + ")" * 400, " OR ".join(f"word{i}" for i in range(1000))


@FUZZ
@given(queries)
@example(DEEP)
@example(LONG)
def test_the_parser_parses_or_raises_query_syntax_error(query: str) -> None:
    try:
        parse(query)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(query) and exc.reason


def _records() -> list[Record]:
    return [Record(pmid=str(83_000_000 + i), title=f"Composed skin word{i} title", languages=["eng"],
                   pub_date=PubDate(2010 + i % 15, 1 + i % 12), abstract=[AbstractSection("Composed text.")],
                   mesh=[MeshHeading("Skin", ui="D012867")] if i % 2 else [])
            for i in range(40)]


@pytest.fixture(scope="module")
def service():
    with RunningService(EutilsService(_records(), mesh=MeshTree.demo())) as running:
        yield running


@FUZZ
@given(term=queries, target=st.sampled_from([("esearch.fcgi", "pubmed"), ("espell.fcgi", "pubmed"),
                                              ("esearch.fcgi", "mesh")]),
       retmode=st.sampled_from(["xml", "json"]), post=st.booleans())
@example(term=DEEP, target=("esearch.fcgi", "pubmed"), retmode="xml", post=False)
@example(term=LONG, target=("esearch.fcgi", "pubmed"), retmode="xml", post=True)
def test_the_service_answers_every_term(service: RunningService, term: str, target: tuple[str, str], retmode: str,
                                        post: bool) -> None:
    """Whatever the term, an answer comes back: a result or NCBI's ERROR, well-formed, never a closed connection."""
    utility, db = target
    params = {"db": db, "term": term, "retmode": retmode}
    url = service.base_url + utility
    response = httpx.post(url, data=params, timeout=30) if post else httpx.get(url, params=params, timeout=30)
    if retmode == "json" and (utility != "esearch.fcgi" or db != "pubmed"):
        assert response.status_code == 400 and "retmode=json" in response.text
        return
    assert response.status_code == 200, response.text
    if retmode == "json":
        result = response.json()["esearchresult"]
        assert "ERROR" in result or int(result["count"]) >= len(result["idlist"])
        return
    root = etree.fromstring(response.content)
    if utility == "esearch.fcgi":
        assert root.tag == "eSearchResult" and (root.find("Count") is not None or root.findtext("ERROR"))
    else:
        assert root.tag == "eSpellResult"

