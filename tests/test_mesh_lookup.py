"""`exoreview mesh lookup`: offline from the real 2017 tree, online through E-utilities db=mesh.

Online lookups go over real HTTP to the local service holding the 2017 tree; its answers are shaped
like NCBI's MeSH database (numeric UIDs, DocumentSummary with DS_MeshUI, DS_MeshTerms, DS_IdxLinks).
"""

from __future__ import annotations

import pytest
from lxml import etree

from exoreview.cli.app import main
from exoreview.eutils.mesh_db import ui_of, uid_of
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.mesh.tree import MeshTree
from exoreview.sources.mesh_online import lookup_online, parse_mesh_esummary
from tests.conftest import shared_path
from tests.eutils_helpers import fast_client


@pytest.fixture(scope="module")
def tree() -> MeshTree:
    return MeshTree.from_tsv(shared_path("data", "mesh", "2017MeshTree.tsv"))


@pytest.fixture(scope="module")
def mesh_service(tree: MeshTree):
    with RunningService(EutilsService([], mesh=tree)) as running:
        yield running


def test_uids_follow_ncbi(tree: MeshTree) -> None:
    assert uid_of("D055354") == "68055354" and ui_of("68055354") == "D055354"
    assert uid_of("D000067128") == "68000067128" and ui_of("68000067128") == "D000067128"
    assert ui_of("not a uid") == ""


def test_offline_lookup_from_the_2017_tree(capsys: pytest.CaptureFixture[str]) -> None:
    tree_file = shared_path("data", "mesh", "2017MeshTree.tsv")
    assert main(["mesh", "lookup", "extracellular vesicles", "--tree", str(tree_file)]) == 0
    printed = capsys.readouterr().out
    assert "Extracellular Vesicles [D000067128] A11.284.295.588" in printed
    assert "explodes to 2 narrower descriptors" in printed
    assert main(["mesh", "lookup", "no such heading at all", "--tree", str(tree_file)]) == 1


def test_offline_lookup_uses_the_shipped_demo_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mesh", "lookup", "Exosomes"]) == 0
    assert "Exosomes [D055354]" in capsys.readouterr().out


def test_mesh_esearch_and_esummary_are_shaped_like_ncbi(mesh_service: RunningService) -> None:
    client, _ = fast_client(mesh_service.base_url)
    search = client.eutil("esearch.fcgi", {"db": "mesh", "term": "exosomes[mh]"})
    root = etree.fromstring(search.content)
    assert root.findtext("Count") == "1" and root.findtext("IdList/Id") == "68055354"
    assert root.findtext("QueryTranslation") == '"Exosomes"[MeSH Terms]'
    summary = etree.fromstring(client.eutil("esummary.fcgi", {"db": "mesh", "id": "68000067128"}).content)
    [doc] = summary.iter("DocumentSummary")
    assert doc.get("uid") == "68000067128" and doc.findtext("DS_MeshUI") == "D000067128"
    assert [s.text for s in doc.iterfind("DS_MeshTerms/string")] == ["Extracellular Vesicles"]
    [link] = doc.iterfind("DS_IdxLinks/LinksType")
    assert link.findtext("TreeNum") == "A11.284.295.588"
    assert link.findtext("Parent") == uid_of(client_tree_ui(mesh_service, "A11.284.295"))
    assert sorted(i.text for i in link.iterfind("Children/int")) == ["68055252", "68055354"]


def client_tree_ui(running: RunningService, tree_number: str) -> str:
    descriptor = running.service.mesh.at(tree_number)
    assert descriptor is not None
    return descriptor.ui


def test_online_lookup_matches_the_tree(mesh_service: RunningService, tree: MeshTree) -> None:
    client, _ = fast_client(mesh_service.base_url)
    found, translation = lookup_online(client, "Exosomes")
    assert translation == '"Exosomes"[MeSH Terms]'
    assert [(d.ui, d.name, d.tree_numbers) for d in found] == [("D055354", "Exosomes", tree.tree_numbers("D055354"))]
    several, _ = lookup_online(client, "alopecia", limit=5)
    assert several and all("alopecia" in d.name.casefold() for d in several)
    assert [d.tree_numbers for d in several] == [tree.tree_numbers(d.ui) for d in several]
    assert lookup_online(client, "qqqzzzxxx") == ([], "qqqzzzxxx[All Fields]")
    assert parse_mesh_esummary(client.eutil("esummary.fcgi", {"db": "mesh", "id": "68999999"}).content) == []


def test_online_lookup_command(mesh_service: RunningService, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mesh", "lookup", "skin aging", "--online", "--base-url", mesh_service.base_url]) == 0
    printed = capsys.readouterr().out
    assert "Skin Aging [D015595] G13.750.804" in printed and '"Skin Aging"[MeSH Terms]' in printed
    assert main(["mesh", "lookup", "qqqzzzxxx", "--online", "--base-url", mesh_service.base_url]) == 1
