"""Polite HTTP: one rate limiter per process and host, retries with backoff and jitter."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx

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
    **kwargs: object,
) -> httpx.Response:
    """Send a request, retrying 429, 5xx and network errors; raise a SourceError when spent."""
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
                if response.is_error:
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
