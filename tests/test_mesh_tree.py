"""MeSH tree loading, lookup and explosion, against the real 2017 tree and the demo file."""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.demo.mesh import CHECK_TAGS, DOMAIN_DESCRIPTORS, TREELESS_CHECK_TAGS, demo_rows
from exoreview.mesh import MeshTree

_FULL: dict[Path, MeshTree] = {}


@pytest.fixture
def full(shared) -> MeshTree:
    """The 2017 tree, parsed once per session (it is ~58,000 rows)."""
    path = shared("data", "mesh", "2017MeshTree.tsv")
    if path not in _FULL:
        _FULL[path] = MeshTree.from_tsv(path)
    return _FULL[path]


def _explode_by_scan(tree: MeshTree, ui: str) -> set[str]:
    """Reference explosion by a full pass, to check the bisect range scan against."""
    numbers = tree.tree_numbers(ui)
    found = {ui}
    for tree_number, row_ui, _ in tree.rows():
        if any(tree_number.startswith(n + ".") for n in numbers):
            found.add(row_ui)
    return found


# -- the real 2017 tree ------------------------------------------------------------


def test_reads_bom_and_header(full: MeshTree) -> None:
    assert full.lookup("Tree Number") is None
    assert full.at("A01").name == "Body Regions"  # first data row, right after the BOM'd header
    assert len(full) > 28_000


def test_extracellular_vesicles_explode_to_exosomes(full: MeshTree) -> None:
    exploded = full.descendants("D000067128")
    assert "D055354" in exploded  # Exosomes
    assert exploded == {"D000067128", "D055252", "D055354"}  # + Cell-Derived Microparticles
    assert full.descendants("extracellular vesicles") == exploded  # by name, any case


def test_exosomes_has_two_positions(full: MeshTree) -> None:
    assert full.tree_numbers("D055354") == ("A11.284.295.588.750", "A11.284.430.214.190.875.190.880.495")
    assert "D000067128" in full.ancestors("Exosomes")
    assert full.descendants("Exosomes") == {"D055354"}


def test_skin_aging_is_a_leaf(full: MeshTree) -> None:
    assert full.tree_numbers("Skin Aging") == ("G13.750.804",)
    assert full.descendants("D015595") == {"D015595"}


def test_alopecia_subtree_from_both_positions(full: MeshTree) -> None:
    names = {full.lookup(ui).name for ui in full.descendants("Alopecia")}
    assert names == {"Alopecia", "Alopecia Areata", "Loose Anagen Hair Syndrome", "Mucinosis, Follicular"}


def test_tree_number_lookup(full: MeshTree) -> None:
    assert full.at("A11.284.295.588").ui == "D000067128"
    assert full.at("C17.800.621.430.530").name == "Melanosis"
    assert full.at("Z99.999") is None


@pytest.mark.parametrize("name", ["Animals", "Skin Diseases", "Matrix Metalloproteinases", "Hair", "Esthetics"])
def test_range_scan_agrees_with_full_scan(full: MeshTree, name: str) -> None:
    ui = full.lookup(name).ui
    assert full.descendants(ui) == _explode_by_scan(full, ui)


def test_lookup_is_case_insensitive(full: MeshTree) -> None:
    assert full.lookup("SKIN AGING").ui == "D015595"
    assert full.lookup("d003880").name == "Dermatology"
    assert full.lookup("no such heading") is None
    assert full.descendants("no such heading") == set()


def test_search_names_ranks_exact_then_prefix(full: MeshTree) -> None:
    hits = [d.name for d in full.search_names("skin", limit=None)]
    assert hits[0] == "Skin"
    first_non_prefix = next(i for i, h in enumerate(hits) if not h.casefold().startswith("skin"))
    assert all(not h.casefold().startswith("skin") for h in hits[first_non_prefix:])
    assert "Skin Aging" in hits[:first_non_prefix]
    assert "Cosmetic Techniques" in [d.name for d in full.search_names("cosmetic tech")]
    assert len(full.search_names("a", limit=5)) == 5
    assert full.search_names("  ") == []


# -- the shipped demo tree -----------------------------------------------------------


def test_demo_loads() -> None:
    demo = MeshTree.demo()
    assert demo.lookup("Exosomes").ui == "D055354"
    assert "D055354" in demo.descendants("Extracellular Vesicles")
    assert demo.lookup("female").ui == "D005260"  # tree-less check tag
    assert demo.descendants("Male") == {"D008297"}


@pytest.mark.parametrize("ui", sorted({**DOMAIN_DESCRIPTORS, **CHECK_TAGS}))
def test_demo_agrees_with_full_tree(full: MeshTree, ui: str) -> None:
    demo = MeshTree.demo()
    if ui in TREELESS_CHECK_TAGS:
        assert full.lookup(ui) is None and demo.lookup(ui) is not None
        return
    assert demo.lookup(ui).name == full.lookup(ui).name == {**DOMAIN_DESCRIPTORS, **CHECK_TAGS}[ui]
    assert demo.tree_numbers(ui) == full.tree_numbers(ui)
    assert demo.descendants(ui) == full.descendants(ui)
    assert demo.ancestors(ui) == full.ancestors(ui)


def test_demo_file_is_up_to_date(full: MeshTree) -> None:
    """The shipped file is exactly what scripts/build_demo_mesh.py makes from the tree."""
    assert MeshTree.demo().rows() == MeshTree.from_rows(demo_rows(full)).rows()


# -- small invented trees --------------------------------------------------------------

ROWS = [
    ("A01", "D000001", "Root"),
    ("A01.1", "D000002", "Child"),
    ("A01.10", "D000003", "Tenth Child"),
    ("A01.1.5", "D000004", "Grandchild"),
    ("A011", "D000005", "Lookalike"),
    ("B02.3", "D000002", "Child"),  # a second position for Child
    ("B02.3.1", "D000006", "Elsewhere"),
]


def test_explosion_respects_tree_number_boundaries() -> None:
    tree = MeshTree.from_rows(ROWS)
    # Elsewhere sits under Child's other position (B02.3), not beneath A01: PubMed
    # explodes positions of the searched term, not every position of each child.
    assert tree.descendants("D000001") == {"D000001", "D000002", "D000003", "D000004"}
    assert "D000005" not in tree.descendants("Root")  # A011 is not beneath A01
    assert tree.descendants("Child") == {"D000002", "D000004", "D000006"}  # via both positions
    assert tree.ancestors("Elsewhere") == {"D000002"}  # B02 itself has no row


def test_rows_round_trip_through_tsv(tmp_path: Path) -> None:
    tree = MeshTree.from_rows([*ROWS, ("", "D000009", "Treeless")])
    path = tmp_path / "tree.tsv"
    tree.write_tsv(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as NLM ships it
    again = MeshTree.from_tsv(path)
    assert again.rows() == tree.rows()
    assert again.lookup("treeless").tree_numbers == ()
    assert ("B02.3", "D000002", "Child") in again.rows()


def test_malformed_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Tree Number\tDesc Ui\tTerm\nA01\tD000001\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        MeshTree.from_tsv(path)
