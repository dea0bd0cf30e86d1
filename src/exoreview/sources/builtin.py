"""The built-in sources (PubMed, Europe PMC, OpenAlex, ClinicalTrials.gov), one per `[[sources]]` name.

The PubMed client comes from the command line (identity, API key, archive);
the others are built here from the protocol's per-source settings
(`base_url`, `rate`, `page_size`), sharing the PubMed client's retry policy,
retry messages, archive and email. Each is a `registry.Source`, registered by name.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.protocol.model import SourceSpec
from exoreview.sources.json_search import CLIENTS, JsonClient, SearchRequest, retrieve_source
from exoreview.sources.pubmed import PubMedClient
from exoreview.sources.pubmed_search import RetrievalResult, retrieve_pubmed
from exoreview.sources.registry import SOURCES, SearchContext, Source
from exoreview.store import Store


def pubmed_client_for(spec: SourceSpec, client: PubMedClient) -> PubMedClient:
    """The given client, or one like it at the protocol's own base URL / rate."""
    if not spec.base_url and not spec.rate:
        return client
    return PubMedClient(base_url=spec.base_url or client.base_url, email=client.identity.get("email", ""),
                        api_key=client.identity.get("api_key", ""), tool=client.identity.get("tool", "exoreview"),
                        rate=spec.rate or None, policy=client.policy, on_retry=client.on_retry,
                        archive=client.archive, replay_searches=client.replay_searches)


def client_for(spec: SourceSpec, pubmed: PubMedClient | None = None) -> JsonClient:
    """A Europe PMC, ClinicalTrials.gov or OpenAlex client configured from the protocol entry."""
    kind = CLIENTS[spec.name]
    kwargs: dict = {"base_url": spec.base_url, "rate": spec.rate or None}
    if pubmed is not None:
        kwargs.update(policy=pubmed.policy, on_retry=pubmed.on_retry, archive=getattr(pubmed, "archive", None))
    if spec.name in ("europepmc", "openalex") and pubmed is not None:
        kwargs["email"] = pubmed.identity.get("email", "")
    return kind(**kwargs)


def search_request(spec: SourceSpec) -> SearchRequest:
    return SearchRequest(protocol_query=spec.query_string() if spec.has_query() else "",
                         native_query=spec.native_query, condition=spec.condition, intervention=spec.intervention,
                         page_size=spec.page_size, max_records=spec.max_records)


def search_source(store: Store, spec: SourceSpec, pubmed: PubMedClient | None, *, run_id: int,
                  say: Callable[[str], None] = lambda _: None,
                  progress: Callable[[int, int], None] | None = None,
                  client: JsonClient | None = None) -> RetrievalResult:
    """Search one non-PubMed source of the protocol into the store."""
    own = client is None
    client = client or client_for(spec, pubmed)
    try:
        request = search_request(spec)
        say(f"Searching {SOURCES.get(spec.name).label} ({client.base_url})")
        filters = spec.model_dump(include={"free_full_text", "date_from", "date_to", "languages"})
        result = retrieve_source(store, client, request, run_id=run_id, filters=filters, progress=progress)
        say(f"  {result.count} match, {result.retrieved} stored" + (" (resumed)" if result.resumed else ""))
        return result
    finally:
        if own:
            client.close()


def query_as_sent(spec: SourceSpec) -> tuple[str, list[str]]:
    """What `run` will send a source for this protocol entry, and the notes on what the translation
    approximated; no request is made (for `exoreview protocol show`)."""
    return SOURCES.get(spec.name).query_as_sent(spec)


def _json_query_as_sent(spec: SourceSpec) -> tuple[str, list[str]]:
    client = client_for(spec)
    try:
        request = search_request(spec)
        translation = client.translate(request.protocol_query, native_query=request.native_query,
                                       condition=request.condition, intervention=request.intervention)
    finally:
        client.close()
    sent = "&".join(f"{k}={v}" for k, v in translation.params.items()) if translation.params else translation.query
    return sent, list(translation.notes)


def _search_pubmed(spec: SourceSpec, context: SearchContext) -> RetrievalResult:
    if context.pubmed is None:
        raise ValueError("a PubMed search needs the command line's PubMed client")
    query = spec.query_string()
    context.say(f"Searching PubMed: {query}")
    client = context.client or pubmed_client_for(spec, context.pubmed)
    try:
        result = retrieve_pubmed(context.store, client, query, run_id=context.run_id, progress=context.progress,
                                 max_records=spec.max_records,
                                 filters=spec.model_dump(include={"free_full_text", "date_from", "date_to"}))
    finally:
        if client is not context.pubmed and client is not context.client:  # made for this entry's base URL or rate
            client.close()
    context.say(f"  {result.count} match, {result.retrieved} stored" + (" (resumed)" if result.resumed else ""))
    return result


def _search_json(spec: SourceSpec, context: SearchContext) -> RetrievalResult:
    return search_source(context.store, spec, context.pubmed, run_id=context.run_id, say=context.say,
                         progress=context.progress, client=context.client)


PUBMED = Source("PubMed", "MEDLINE/PubMed", "NCBI E-utilities", _search_pubmed,
                lambda spec: (spec.query_string(), []))
EUROPEPMC = Source("Europe PMC", "Europe PMC", "Europe PMC RESTful web service (search)",
                   _search_json, _json_query_as_sent)
OPENALEX = Source("OpenAlex", "OpenAlex", "OpenAlex API (works)", _search_json, _json_query_as_sent)
CTGOV = Source("ClinicalTrials.gov", "ClinicalTrials.gov", "ClinicalTrials.gov API v2 (studies)", _search_json,
               _json_query_as_sent)
