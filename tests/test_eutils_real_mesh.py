"""The query engine over the 604 real MEDLINE records with the real 2017 MeSH tree.

Every [mh]/[majr] answer is checked against a brute-force pass over the records' own MeSH headings
exploded through the tree: a record matches X[mh] when any of its descriptors is X or beneath X.
"""

from __future__ import annotations

import pytest

from exoreview.eutils.index import RecordIndex
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.mesh.tree import MeshTree
from exoreview.records import Record
from tests.conftest import shared_path

# Broad and narrow headings; several sit at more than one place in the tree.
HEADINGS = ["Neoplasms", "Humans", "Animals", "Skin Diseases", "Cardiovascular Diseases", "Proteins",
            "Nervous System Diseases", "Bacteria", "Brain", "Adult", "Mice", "Infant"]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Record], MeshTree, RecordIndex]:
    records = list(iter_pubmed_xml(shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))
    tree = MeshTree.from_tsv(shared_path("data", "mesh", "2017MeshTree.tsv"))
    return records, tree, RecordIndex(records, mesh=tree)


def _brute(records: list[Record], uis: set[str], *, major: bool = False) -> set[str]:
    return {r.pmid for r in records
            if any(h.ui in uis and (not major or h.major or any(q.major for q in h.qualifiers)) for h in r.mesh)}


@pytest.mark.parametrize("heading", HEADINGS)
def test_exploded_mesh_search_equals_brute_force(corpus, heading: str) -> None:
    records, tree, index = corpus
    descriptor = tree.lookup(heading)
    assert descriptor is not None, heading
    uis = tree.descendants(descriptor.ui)
    expected = _brute(records, uis)
    assert set(index.search(f"{heading}[mh]")) == expected
    assert set(index.search(f"{heading}[mh:noexp]")) == _brute(records, {descriptor.ui})
    assert set(index.search(f"{heading}[majr]")) == _brute(records, uis, major=True)


def test_explosion_finds_more_than_the_heading_alone(corpus) -> None:
    index = corpus[2]
    exploded, alone = set(index.search("neoplasms[mh]")), set(index.search("neoplasms[mh:noexp]"))
    assert alone < exploded and len(exploded) >= 10  # the records are indexed with specific tumour headings
    assert set(index.search("neoplasms[mh] NOT neoplasms[mh:noexp]")) == exploded - alone


def test_boolean_queries_on_real_records(corpus) -> None:
    records, _, index = corpus
    humans, animals = set(index.search("humans[mh]")), set(index.search("animals[mh]"))
    english = {r.pmid for r in records if "eng" in r.languages}
    assert set(index.search("humans[mh] AND animals[mh]")) == humans & animals
    assert set(index.search("humans[mh] OR animals[mh]")) == humans | animals
    assert set(index.search("english[la] NOT humans[mh]")) == english - humans
    assert set(index.search("(humans[mh] OR animals[mh]) AND english[la]")) == (humans | animals) & english
    assert index.count("humans[mh]") == len(humans) > 0


def test_translation_names_the_tree_heading(corpus) -> None:
    _, _, index = corpus
    assert index.translate("skin diseases[mh]") == '"skin diseases"[MeSH Terms]'
    assert '"neoplasms"[MeSH Terms]' in index.translate("neoplasms")
