"""EFetch db=pmc for the local service: JATS articles read from files, served by PMC ID.

NCBI answers `efetch.fcgi?db=pmc&id=N` with a <pmc-articleset> holding the article; this
does the same over articles held in memory, so tests and offline users exercise the real
full-text client path. Unknown IDs get PMC's answer for them: an articleset with an <error>.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from exoreview.eutils.server import Answer

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_HEAD = b'<?xml version="1.0" ?>\n<pmc-articleset>'
_TAIL = b"</pmc-articleset>\n"


class PmcArticles:
    """JATS articles by PMC number ("8435807"), for `EutilsService.pmc`."""

    def __init__(self, articles: dict[str, bytes] | None = None) -> None:
        self.articles: dict[str, bytes] = dict(articles or {})

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> PmcArticles:
        """Every <article> of each file (a single article or a pmc-articleset), keyed by its PMC ID."""
        held = cls()
        for path in paths:
            try:
                root = etree.fromstring(Path(path).read_bytes(), parser=_PARSER)
            except etree.XMLSyntaxError as exc:
                raise ValueError(f"{path}: not XML ({exc}); expected a JATS article or a pmc-articleset") from exc
            articles = [root] if _local(root.tag) == "article" else [
                e for e in root if isinstance(e.tag, str) and _local(e.tag) == "article"]
            if not articles:
                raise ValueError(f"{path}: no <article> element; expected a JATS article or a pmc-articleset")
            for article in articles:
                number = _pmc_number(article)
                if not number:
                    raise ValueError(f"{path}: an article has no article-id of pub-id-type 'pmc' or 'pmcid'")
                held.articles[number] = etree.tostring(article, encoding="utf-8")
        return held

    def efetch(self, params: dict[str, str]) -> Answer:
        ids = [i.strip().upper().removeprefix("PMC") for i in params.get("id", "").split(",") if i.strip()]
        if not ids:
            return Answer(400, b"efetch db=pmc: give one or more PMC IDs with id=\n", "text/plain")
        parts = [self.articles.get(i) or f"<error>ID {i} not found in PMC</error>".encode() for i in ids]
        return Answer(200, _HEAD + b"".join(parts) + _TAIL)


def _pmc_number(article: etree._Element) -> str:
    for element in article.iter():
        if isinstance(element.tag, str) and _local(element.tag) == "article-id" and element.get(
                "pub-id-type") in ("pmc", "pmcid"):
            return (element.text or "").strip().upper().removeprefix("PMC")
    return ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
