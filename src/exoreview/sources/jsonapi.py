"""What the JSON sources (Europe PMC, ClinicalTrials.gov, OpenAlex) share: polite GETs, error bodies, an archive hook.

Each client knows only a base URL: the public service by default, one of
exoreview's local servers (`exoreview.demo.localapis`) in tests and the demo.
Rate limiting and retries are PubMed's (`sources.http`): one limiter per
process and host, 429/5xx/network faults retried with backoff and Retry-After.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from exoreview import __version__
from exoreview.sources.errors import SourceMalformedResponse, SourceQueryError, SourceUnavailable
from exoreview.sources.http import RetryPolicy, request_with_retries, shared_limiter

# Statuses whose body explains a problem with the request itself: read it, say it, do not retry.
CLIENT_ERRORS = (400, 404, 422)


class ResponseArchive(Protocol):
    """Keeps every raw answer a source gave (the PubMed engineer's `sources.archive` fits this shape)."""

    def save(self, source: str, url: str, params: dict[str, str], status: int, body: bytes) -> None: ...


class JsonSourceClient:
    """A GET-only JSON client for one service: limiter per host, retry policy, optional raw-response archive."""

    source = "json"
    default_base_url = ""
    default_rate = 5.0

    def __init__(
        self,
        *,
        base_url: str = "",
        http: httpx.Client | None = None,
        rate: float | None = None,
        policy: RetryPolicy | None = None,
        on_retry: Callable[[str], None] | None = None,
        archive: ResponseArchive | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = (base_url or self.default_base_url).rstrip("/") + "/"
        self.http = http or httpx.Client(timeout=timeout, headers={"User-Agent": f"exoreview/{__version__}"})
        # One limiter per host and process: two clients of the same service never double the rate.
        self.limiter = shared_limiter(f"{self.source}:{urlsplit(self.base_url).netloc}", rate or self.default_rate)
        self.policy = policy or RetryPolicy()
        self.on_retry = on_retry
        self.archive = archive
        self.requests_sent = 0

    def close(self) -> None:
        self.http.close()

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET base_url + path; the parsed JSON, or a SourceError that quotes the service's own message."""
        url = self.base_url + path.lstrip("/")
        params = {k: v for k, v in (params or {}).items() if v not in ("", None)}
        response = request_with_retries(self.http, "GET", url, source=self.source, limiter=self.limiter,
                                        policy=self.policy, on_retry=self.on_retry, accept=CLIENT_ERRORS,
                                        params=params)
        self.requests_sent += 1
        if self.archive is not None and response.status_code < 400:
            self.archive.save(self.source, url, params, response.status_code, response.content)
        if response.status_code in CLIENT_ERRORS:
            raise SourceQueryError(self.source, f"HTTP {response.status_code}: {self.error_message(response)}",
                                   url=str(response.url))
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceMalformedResponse(self.source, f"answer from {url} is not JSON ({exc}): "
                                                       f"{response.text[:120]!r}", url=str(response.url)) from exc

    def error_message(self, response: httpx.Response) -> str:
        """The service's explanation from an error body; subclasses know their API's shape."""
        return response.text.strip()[:300] or response.reason_phrase


def require(data: Any, key: str, source: str, what: str) -> Any:
    """A documented key of an answer, or SourceMalformedResponse naming it."""
    if not isinstance(data, dict) or key not in data:
        raise SourceMalformedResponse(source, f"{what} has no {key!r}: not the shape the API documents")
    return data[key]


__all__ = ["JsonSourceClient", "ResponseArchive", "SourceUnavailable", "require"]
