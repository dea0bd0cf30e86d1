"""Large PubMed XML files made from real records, for benchmarks and memory tests.

A baseline-sized file (30,000 records, ~200 MB of XML) is built by re-wrapping
the ``MedlineCitation`` elements of a real file in current-DTD
``PubmedArticle`` envelopes and repeating them with fresh PMIDs, so the file
has realistic content and no duplicate identifiers.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

from lxml import etree

__all__ = ["read_citations", "tile_pubmed_xml"]

# The DOCTYPE names a DTD that Biopython ships, so Entrez.read never fetches one.
_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
_FOOTER = b"</PubmedArticleSet>\n"
_OWN_PMID = re.compile(rb"<PMID Version=\"(\d+)\">\d+</PMID>")
_PMID_SLOT = b"\x00PMID\x00"


def read_citations(source: str | os.PathLike[str]) -> list[bytes]:
    """Each MedlineCitation of a (possibly gzipped) PubMed or MEDLINE file, serialized,
    with its own PMID (the first one; later ones are links) replaced by a slot."""
    citations: list[bytes] = []
    with gzip.open(source, "rb") if str(source).endswith(".gz") else open(source, "rb") as stream:
        for _event, elem in etree.iterparse(stream, events=("end",), tag="MedlineCitation"):
            parent = elem.getparent()
            if parent is not None and parent.tag in ("MedlineCitationSet", "PubmedArticle"):
                xml = etree.tostring(elem, encoding="utf-8", with_tail=False)
                citations.append(_OWN_PMID.sub(rb'<PMID Version="\1">' + _PMID_SLOT + b"</PMID>", xml, count=1))
                elem.clear()
    if not citations:
        raise ValueError(f"{os.fspath(source)}: no MedlineCitation elements to tile")
    return citations


def tile_pubmed_xml(
    source: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    n_records: int,
    *,
    first_pmid: int = 90_000_000,
    compresslevel: int | None = 6,
) -> int:
    """Write ``n_records`` PubmedArticles tiled from ``source``'s citations to ``dest``.

    PMIDs run from ``first_pmid`` upwards. ``compresslevel=None`` writes plain XML,
    otherwise gzip. Returns the size of the XML written, in bytes (uncompressed).
    """
    citations = read_citations(source)
    size = 0
    dest = Path(dest)
    with gzip.open(dest, "wb", compresslevel=compresslevel) if compresslevel is not None else dest.open("wb") as out:
        out.write(_HEADER)
        size += len(_HEADER)
        for index in range(n_records):
            pmid = str(first_pmid + index).encode()
            chunk = b"".join(
                (
                    b"<PubmedArticle>",
                    citations[index % len(citations)].replace(_PMID_SLOT, pmid),
                    b"<PubmedData><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
                    b'<ArticleId IdType="pubmed">',
                    pmid,
                    b"</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n",
                )
            )
            out.write(chunk)
            size += len(chunk)
        out.write(_FOOTER)
        size += len(_FOOTER)
    return size
