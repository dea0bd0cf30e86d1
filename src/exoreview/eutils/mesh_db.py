"""The `db=mesh` side of the local service: ESearch and ESummary over a loaded MeSH tree.

Shaped like NCBI's answers for its MeSH database: numeric UIDs made from the
descriptor UI (the letter's character code, then the digits: D055354 is
68055354), and `DocumentSummary` elements with `DS_MeshUI`, `DS_MeshTerms`
and `DS_IdxLinks` (parent, tree number, children per position). The tree
file holds names and positions only, so scope notes and entry terms are empty.
"""

from __future__ import annotations

import re

from exoreview.eutils import responses
from exoreview.eutils.responses import escape
from exoreview.mesh.tree import Descriptor, MeshTree

_TAG_RE = re.compile(r"\[(mh|mesh|mesh terms|majr|all|all fields)\]\s*$", re.IGNORECASE)
_UID_RE = re.compile(r"^\d{7,11}$")
_XML = '<?xml version="1.0" encoding="UTF-8" ?>\n'
_QUOTE = {'"': "&quot;"}  # a requested UID goes into an attribute


def uid_of(descriptor_ui: str) -> str:
    """NCBI's numeric MeSH UID of a descriptor UI: D055354 -> 68055354."""
    return f"{ord(descriptor_ui[0].upper())}{descriptor_ui[1:]}"


def ui_of(uid: str) -> str:
    """The descriptor UI of a numeric MeSH UID: 68055354 -> D055354."""
    return f"{chr(int(uid[:2]))}{uid[2:]}" if _UID_RE.match(uid) else ""


def search(tree: MeshTree, term: str) -> tuple[list[Descriptor], str]:
    """Descriptors a MeSH-database query finds, and how it was read."""
    text = _TAG_RE.sub("", term.strip()).strip().strip('"').strip()
    if not text:
        return [], ""
    exact = tree.lookup(text)
    if exact is not None:
        return [exact], f'"{exact.name}"[MeSH Terms]'
    return tree.search_names(text, limit=None), f"{text}[All Fields]"


def esearch_xml(tree: MeshTree, term: str, *, retstart: int = 0, retmax: int = 20) -> bytes:
    found, translation = search(tree, term)
    ids = [uid_of(d.ui) for d in found]
    not_found = [term] if not found and term.strip() else None
    return responses.esearch_xml(len(ids), ids[retstart:retstart + retmax], retstart, translation, not_found=not_found)


def esummary_xml(tree: MeshTree, uids: list[str]) -> bytes:
    parts = [
        f"{_XML}<!DOCTYPE eSummaryResult PUBLIC \"-//NLM//DTD eSummaryResult//EN\" "
        "\"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20160808/esummary_mesh.dtd\">\n"
        "<eSummaryResult>\n<DocumentSummarySet status=\"OK\">\n"
    ]
    for uid in uids:
        descriptor = tree.lookup(ui_of(uid)) if ui_of(uid) else None
        if descriptor is None:
            parts.append(f"<DocumentSummary uid=\"{escape(uid, _QUOTE)}\">\n"
                         "\t<error>cannot get document summary</error>\n</DocumentSummary>\n")
            continue
        parts.append(_summary(tree, uid, descriptor))
    parts.append("</DocumentSummarySet>\n</eSummaryResult>\n")
    return "".join(parts).encode()


def _summary(tree: MeshTree, uid: str, descriptor: Descriptor) -> str:
    links = []
    for tree_number in descriptor.tree_numbers:
        parent = tree.at(tree_number.rsplit(".", 1)[0]) if "." in tree_number else None
        children = [tree.at(tn) for tn, _, _ in tree.subtree_rows(tree_number)
                    if tn.count(".") == tree_number.count(".") + 1]
        child_ids = "".join(f"\t\t\t\t<int>{uid_of(c.ui)}</int>\n" for c in children if c is not None)
        links.append(
            "\t\t<LinksType>\n"
            f"\t\t\t<Parent>{uid_of(parent.ui) if parent else ''}</Parent>\n"
            f"\t\t\t<TreeNum>{escape(tree_number)}</TreeNum>\n"
            f"\t\t\t<Children>\n{child_ids}\t\t\t</Children>\n"
            "\t\t</LinksType>\n"
        )
    return (
        f"<DocumentSummary uid=\"{uid}\">\n"
        f"\t<DS_MeshUI>{descriptor.ui}</DS_MeshUI>\n"
        f"\t<DS_MeshTerms>\n\t\t<string>{escape(descriptor.name)}</string>\n\t</DS_MeshTerms>\n"
        "\t<DS_ScopeNote></DS_ScopeNote>\n"
        f"\t<DS_IdxLinks>\n{''.join(links)}\t</DS_IdxLinks>\n"
        "</DocumentSummary>\n"
    )
