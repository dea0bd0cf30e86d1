"""MeSH descriptors from NCBI's MeSH database through E-utilities (`db=mesh`): ESearch, then ESummary.

The same client as PubMed searches (rate limit, retries, identity), so the
local service answers it too when it holds a tree.
"""

from __future__ import annotations

from lxml import etree

from exoreview.mesh.tree import Descriptor
from exoreview.sources.errors import SourceMalformedResponse
from exoreview.sources.pubmed import PubMedClient, parse_esearch

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def parse_mesh_esummary(content: bytes) -> list[Descriptor]:
    """Descriptors of an eSummaryResult for db=mesh (DocumentSummary with DS_MeshUI, DS_MeshTerms, DS_IdxLinks)."""
    try:
        root = etree.fromstring(content, parser=_SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse("mesh", f"ESummary answer is not XML: {exc}") from exc
    found = []
    for summary in root.iter("DocumentSummary"):
        ui = summary.findtext("DS_MeshUI") or ""
        terms = [e.text or "" for e in summary.iterfind("DS_MeshTerms/string")]
        if not ui or not terms:
            continue  # an <error> summary for an unknown UID
        numbers = tuple(sorted(e.text or "" for e in summary.iterfind("DS_IdxLinks/LinksType/TreeNum") if e.text))
        found.append(Descriptor(ui, terms[0], numbers))
    return found


def lookup_online(client: PubMedClient, term: str, *, limit: int = 10) -> tuple[list[Descriptor], str]:
    """Descriptors NCBI's MeSH database finds for a term, and its translation of the term."""
    search = parse_esearch(client.eutil("esearch.fcgi", {"db": "mesh", "term": term, "retmax": str(limit)},
                                        replay=False).content)
    if not search.ids:
        return [], search.translation
    summary = client.eutil("esummary.fcgi", {"db": "mesh", "id": ",".join(search.ids)}, replay=False)
    return parse_mesh_esummary(summary.content), search.translation
