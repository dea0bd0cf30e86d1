"""Every source a protocol names, each with its own client: what the pipeline calls per `[[sources]]` entry.

The PubMed client comes from the command line (identity, API key, archive);
the others are built here from the protocol's per-source settings
(`base_url`, `rate`, `page_size`), sharing the PubMed client's retry policy,
retry messages, archive and email.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.protocol.model import SourceSpec
from exoreview.sources.gather import CLIENTS, JsonClient, SearchRequest, retrieve_source
from exoreview.sources.pubmed import PubMedClient
from exoreview.sources.retrieve import RetrievalResult
from exoreview.store import Store

LABELS = {"pubmed": "PubMed", "europepmc": "Europe PMC", "ctgov": "ClinicalTrials.gov", "openalex": "OpenAlex"}


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
        say(f"Searching {LABELS[spec.name]} ({client.base_url})")
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
    if spec.name == "pubmed":
        return spec.query_string(), []
    client = client_for(spec)
    try:
        request = search_request(spec)
        translation = client.translate(request.protocol_query, native_query=request.native_query,
                                       condition=request.condition, intervention=request.intervention)
    finally:
        client.close()
    sent = "&".join(f"{k}={v}" for k, v in translation.params.items()) if translation.params else translation.query
    return sent, list(translation.notes)
