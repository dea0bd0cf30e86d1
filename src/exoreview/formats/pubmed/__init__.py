"""PubMed XML: a streaming reader and a writer for ``PubmedArticleSet`` documents.

The reader handles the current PubMed DTD (``PubmedArticle``, ``PubmedBookArticle``,
``DeleteCitation``) and the older MEDLINE baseline layout where bare
``MedlineCitation`` elements sit directly in a ``MedlineCitationSet``.

Modules: ``common`` (date, identifier and whitespace helpers, shared with medline.py),
``reader`` (sources, gzip, sliced and iterparse reading, error positions; the registered READER),
``handlers`` (elements to Records) and ``writer``.
"""

from exoreview.formats.pubmed.common import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    collapse_whitespace,
    elocation_id_type,
    join_grant,
    month_number,
    normalize_orcid,
    parse_medline_date,
    split_grant,
)
from exoreview.formats.pubmed.reader import READER, PubmedXmlSource, iter_pubmed_xml
from exoreview.formats.pubmed.writer import write_pubmed_xml

__all__ = [
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "READER",
    "PubmedXmlSource",
    "collapse_whitespace",
    "elocation_id_type",
    "iter_pubmed_xml",
    "join_grant",
    "month_number",
    "normalize_orcid",
    "parse_medline_date",
    "split_grant",
    "write_pubmed_xml",
]
