"""Open-access full text from PubMed Central: EFetch db=pmc, JATS XML, the Methods section.

The client knows only a base URL, like the PubMed client: NCBI's E-utilities by default,
exoreview's local service in tests (which serves JATS files from disk). Requests go through
the same process-wide rate limiter and retry policy as every other NCBI request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from lxml import etree

from exoreview import __version__
from exoreview.sources.errors import SourceMalformedResponse, SourceUnavailable
from exoreview.sources.http import RetryPolicy, may_identify, request_with_retries, shared_limiter
from exoreview.sources.pubmed import NCBI_EUTILS, NCBI_HOSTS

SOURCE = "pmc"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# Section titles and sec-type values that mark a Methods section.
_METHODS_TITLE = re.compile(
    r"\b(?:methods?|methodology|materials|experimental (?:procedures?|section|design)|study design"
    r"|patients and|subjects and)\b",
    re.IGNORECASE,
)
_METHODS_TYPE = re.compile(r"methods|materials", re.IGNORECASE)
_SKIP = {"table-wrap", "fig", "table", "disp-formula", "supplementary-material", "title", "label"}
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Section:
    title: str
    text: str  # paragraphs joined by "\n", so a sentence never runs across two paragraphs
    methods: bool = False


@dataclass(slots=True)
class FullText:
    pmcid: str  # "PMC1234567"
    pmid: str = ""
    title: str = ""
    article_type: str = ""
    sections: list[Section] = field(default_factory=list)

    @property
    def methods_text(self) -> str:
        """The text of every Methods section, in order; "" when the article has none."""
        return "\n".join(s.text for s in self.sections if s.methods and s.text)


def normalize_pmcid(pmcid: str) -> str:
    """'PMC8435807', 'pmc8435807' or '8435807' -> 'PMC8435807'; a clear error for anything else."""
    value = pmcid.strip().upper().removeprefix("PMC")
    if not value.isdigit():
        raise ValueError(f"{pmcid!r} is not a PMC ID (expected PMC followed by digits, e.g. PMC8435807)")
    return f"PMC{value}"


def parse_jats(content: bytes, pmcid: str = "") -> FullText:
    """The first <article> of a JATS document (or a pmc-articleset answer) as sections of text."""
    try:
        root = etree.fromstring(content, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceMalformedResponse(SOURCE, f"{pmcid or 'article'}: not JATS XML: {exc}") from exc
    article = _first_article(root, pmcid)
    ids = {e.get("pub-id-type", ""): (e.text or "").strip() for e in article.iterfind("front/article-meta/article-id")}
    found = ids.get("pmcid") or ids.get("pmc") or pmcid
    text = FullText(
        pmcid=normalize_pmcid(found) if found else "",
        pmid=ids.get("pmid", ""),
        title=_text(article.find("front/article-meta/title-group/article-title")),
        article_type=article.get("article-type", ""),
    )
    body = article.find("body")
    if body is not None:
        text.sections = _body_sections(body)
    return text


def _first_article(root: etree._Element, pmcid: str) -> etree._Element:
    """The root <article>, or the first one inside it; an answer without one carries PMC's error instead."""
    if _local(root.tag) == "article":
        return root
    article = next((e for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) == "article"), None)
    if article is None:
        error = root.findtext(".//error") or root.findtext(".//ERROR") or "no <article> element"
        raise SourceUnavailable(SOURCE, f"{pmcid or 'article'}: {error.strip()}")
    return article


def _body_sections(body: etree._Element) -> list[Section]:
    """Every <sec> of the body, nested ones after their parent; paragraphs outside any <sec> come first,
    as one untitled section."""
    sections: list[Section] = []
    for sec in body.iterfind("sec"):
        sections.extend(_sections(sec, inherited=False))
    loose = [_text(p) for p in body.iterfind("p")]
    if any(loose):
        sections.insert(0, Section("", "\n".join(p for p in loose if p)))
    return sections


def _sections(sec: etree._Element, inherited: bool) -> list[Section]:
    title = _text(sec.find("title"))
    methods = inherited or bool(_METHODS_TYPE.search(sec.get("sec-type", ""))) or bool(
        _METHODS_TITLE.search(title))
    paragraphs = [_text(p) for p in sec.iterfind("p")]
    found = [Section(title, "\n".join(p for p in paragraphs if p), methods)]
    for child in sec.iterfind("sec"):
        found.extend(_sections(child, methods))
    return found


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    parts: list[str] = []
    _collect(element, parts)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _collect(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) not in _SKIP:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class PmcClient:
    """Fetches open-access articles from PMC through EFetch, politely (rate limit, retries)."""

    def __init__(self, *, base_url: str = NCBI_EUTILS, http: httpx.Client | None = None, tool: str = "exoreview",
                 email: str = "", api_key: str = "", rate: float | None = None, policy: RetryPolicy | None = None,
                 on_retry: Callable[[str], None] | None = None, timeout: float = 60.0) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._owns_http = http is None
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": f"exoreview/{__version__}"})
        self.identity = {"tool": tool}
        if email and may_identify(self.base_url, NCBI_HOSTS):  # NCBI's (or this machine's) only
            self.identity["email"] = email
        if api_key and may_identify(self.base_url, NCBI_HOSTS):
            self.identity["api_key"] = api_key
        # The same limiter key as the PubMed client: both count against one NCBI allowance.
        self.limiter = shared_limiter(self.base_url, rate or (10.0 if api_key else 3.0))
        self.policy = policy or RetryPolicy()
        self.on_retry = on_retry

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> PmcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def efetch_xml(self, pmcid: str) -> bytes:
        number = normalize_pmcid(pmcid).removeprefix("PMC")
        params = {"db": "pmc", "id": number, "retmode": "xml", **self.identity}
        response = request_with_retries(self.http, "GET", self.base_url + "efetch.fcgi", source=SOURCE,
                                        limiter=self.limiter, policy=self.policy, on_retry=self.on_retry,
                                        params=params)
        return response.content

    def fetch(self, pmcid: str) -> FullText:
        """The article's full text; SourceUnavailable when PMC has no such open-access article."""
        return parse_jats(self.efetch_xml(pmcid), normalize_pmcid(pmcid))
