"""Polite HTTP for every source: one rate limiter per process and service, retries with backoff and
jitter (honouring Retry-After), and an optional archive of raw answers.

A source module (PubMed, Europe PMC, ClinicalTrials.gov, OpenAlex...) makes one `SourceHttp` with its
own name, rate and base URL, and sends every request through `SourceHttp.request`: the archive is asked
first, then the service, politely. Nothing here knows about any one service.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from exoreview.sources.archive import ArchivedAnswer, ResponseArchive, request_key
from exoreview.sources.errors import SourceRateLimited, SourceUnavailable

RETRY_STATUS = {429, 500, 502, 503, 504}


class RateLimiter:
    """Spaces requests at least 1/rate seconds apart, across every thread of the process."""

    def __init__(self, rate_per_second: float) -> None:
        self.interval = 1.0 / rate_per_second
        self._lock = threading.Lock()
        self._next_slot = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)


_limiters: dict[tuple[str, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def shared_limiter(key: str, rate_per_second: float) -> RateLimiter:
    """The process-wide limiter for a service key, so two clients never double the rate."""
    with _limiters_lock:
        return _limiters.setdefault((key, rate_per_second), RateLimiter(rate_per_second))


class RetryPolicy:
    def __init__(self, attempts: int = 6, base_delay: float = 0.5, max_delay: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.rng = rng or random.Random()

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        # Full jitter: spreads retries of many clients instead of synchronizing them.
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def request_with_retries(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    source: str,
    limiter: RateLimiter,
    policy: RetryPolicy,
    on_retry: Callable[[str], None] | None = None,
    accept: Collection[int] = (),
    **kwargs: object,
) -> httpx.Response:
    """Send a request, retrying 429, 5xx and network errors; raise a SourceError when spent.

    `accept` lists error statuses (e.g. 400, 404) returned to the caller, which reads the API's own error body.
    """
    last_problem = ""
    for attempt in range(policy.attempts):
        limiter.wait()
        retry_after = None
        try:
            response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            last_problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code not in RETRY_STATUS:
                if response.is_error and response.status_code not in accept:
                    raise SourceUnavailable(source, f"HTTP {response.status_code} from {url}: "
                                                    f"{response.text[:200]}", url=url)
                return response
            retry_after = retry_after_seconds(response)
            last_problem = f"HTTP {response.status_code}"
            if response.status_code == 429 and attempt == policy.attempts - 1:
                raise SourceRateLimited(source, f"rate limited (HTTP 429) after {policy.attempts} attempts",
                                        url=url)
        if attempt < policy.attempts - 1:
            wait = policy.delay(attempt, retry_after)
            if on_retry:
                on_retry(f"{source}: {last_problem}; retry {attempt + 1} in {wait:.1f}s")
            policy.sleep(wait)
    raise SourceUnavailable(source, f"{last_problem} after {policy.attempts} attempts", url=url)


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer, from the service or from the archive."""

    status: int
    content: bytes
    content_type: str
    url: str
    key: str  # the archive key of the request
    answered_at: str = ""  # set when the answer came from the archive
    from_archive: bool = False

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class SourceHttp:
    """One source's HTTP: its name, the process-wide limiter of its service, a retry policy, an archive.

    `requests_sent` counts requests that reached the network (archive hits do not), so callers and
    tests can tell what a run cost.
    """

    def __init__(self, source: str, *, http: httpx.Client, limiter: RateLimiter, policy: RetryPolicy,
                 archive: ResponseArchive | None = None, on_retry: Callable[[str], None] | None = None) -> None:
        self.source = source
        self.http = http
        self.limiter = limiter
        self.policy = policy
        self.archive = archive
        self.on_retry = on_retry
        self.requests_sent = 0

    def request(self, method: str, url: str, params: Mapping[str, str], *, replay: bool = True,
                keep: bool = True, key_params: Mapping[str, str] | None = None, note: str = "",
                accept: Collection[int] = ()) -> Reply:
        """Send params (query string for GET, form body for POST); the archive answers first when `replay`.

        `key_params` archives the answer under another request than the one sent: a batch fetched
        through a session-bound history (WebEnv) is kept under the plain ID list, which a re-run can ask
        again. `keep=False` sends without archiving (answers only valid in one session). `accept` lists
        error statuses returned rather than raised (they are not archived).
        """
        key = request_key(method, url, key_params if key_params is not None else params)
        if replay and self.archive is not None:
            archived = self.archive.get(key)
            if archived is not None:
                return reply_from_archive(archived)
        kwargs: dict[str, object] = {"data": dict(params)} if method.upper() == "POST" else {"params": dict(params)}
        self.requests_sent += 1
        response = request_with_retries(self.http, method.upper(), url, source=self.source, limiter=self.limiter,
                                        policy=self.policy, on_retry=self.on_retry, accept=accept, **kwargs)
        content_type = response.headers.get("Content-Type", "")
        if keep and self.archive is not None and not response.is_error:
            self.archive.put(key, method=method, url=url, params=key_params if key_params is not None else params,
                             status=response.status_code, content_type=content_type, body=response.content,
                             note=note)
        return Reply(response.status_code, response.content, content_type, url, key)

    def forget(self, reply: Reply) -> None:
        """Drop an answer found bad after it was archived, so the next request goes to the service."""
        if self.archive is not None:
            self.archive.discard(reply.key)


def reply_from_archive(archived: ArchivedAnswer) -> Reply:
    return Reply(archived.status, archived.body, archived.content_type, archived.url, archived.key,
                 archived.answered_at, from_archive=True)


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def may_identify(base_url: str, home_hosts: tuple[str, ...]) -> bool:
    """Whether a caller's email and API key may go to this service.

    They belong to the public service that issued or asked for them (`home_hosts`, over HTTPS), and
    may go to this machine's own loopback services (tests, a local mirror); never to another host,
    and never over plain HTTP off this machine, where anyone on the path could read them.
    """
    parsed = httpx.URL(base_url)
    host = (parsed.host or "").lower()
    if host in LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    return parsed.scheme == "https" and any(host == h or host.endswith("." + h) for h in home_hosts)
