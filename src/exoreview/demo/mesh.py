"""Which MeSH facts the offline demo ships, and how they are cut from a full tree.

The demo tree holds, for each descriptor the review's search and classifier
touch, every tree position with its full ancestor path and full subtree. That
is exactly enough for explosion of these descriptors to give the same answer
as the full tree, at a few hundred rows instead of ~58,000.
"""

from __future__ import annotations

from exoreview.mesh.tree import MeshTree, Row

# The descriptors named in the domain brief (2017 MeSH identifiers).
DOMAIN_DESCRIPTORS: dict[str, str] = {
    "D055354": "Exosomes",
    "D000067128": "Extracellular Vesicles",
    "D004954": "Esthetics",
    "D003357": "Cosmetic Techniques",
    "D012060": "Rejuvenation",
    "D015595": "Skin Aging",
    "D006197": "Hair",
    "D000505": "Alopecia",
    "D017495": "Hyperpigmentation",
    "D008548": "Melanosis",
    "D002921": "Cicatrix",
    "D014945": "Wound Healing",
    "D003880": "Dermatology",
    "D003358": "Cosmetics",
    "D003094": "Collagen",
    "D020782": "Matrix Metalloproteinases",
}

# Check tags the classifier reads to tell human from animal studies.
CHECK_TAGS: dict[str, str] = {
    "D006801": "Humans",
    "D000818": "Animals",
    "D051379": "Mice",
    "D051381": "Rats",
    "D013552": "Swine",
    "D005260": "Female",
    "D008297": "Male",
}

# Female and Male have no tree number in the 2017 tree file; they are carried as
# tree-less rows so that lookups by name or UI still work in the demo.
TREELESS_CHECK_TAGS: frozenset[str] = frozenset({"D005260", "D008297"})


def demo_rows(full: MeshTree) -> list[Row]:
    """Rows for the demo descriptors: every position, its ancestors and its subtree."""
    rows: dict[str, Row] = {}
    treeless: list[Row] = []
    for ui, name in {**DOMAIN_DESCRIPTORS, **CHECK_TAGS}.items():
        descriptor = full.lookup(ui)
        if descriptor is None or not descriptor.tree_numbers:
            if ui not in TREELESS_CHECK_TAGS:
                raise KeyError(f"{ui} ({name}) is not in the source tree")
            treeless.append(("", ui, name))
            continue
        for tree_number in descriptor.tree_numbers:
            parts = tree_number.split(".")
            for depth in range(1, len(parts)):
                ancestor = full.at(".".join(parts[:depth]))
                if ancestor is not None:
                    rows[".".join(parts[:depth])] = (".".join(parts[:depth]), ancestor.ui, ancestor.name)
            for row in full.subtree_rows(tree_number):
                rows[row[0]] = row
    return treeless + [rows[tn] for tn in sorted(rows)]
