"""A loopback HTTP server for one local API, with the E-utilities fault plan.

A service answers `answer(path, params) -> Answer`; the server adds faults
taken from its `FaultPlan` (keyed by the service's endpoint name) and shapes
their bodies the way the real API does through `fault_body`.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from exoreview.eutils.faults import FaultPlan
from exoreview.loopback import LoopbackServer, QuietHandler, RunningServer

JSON = "application/json;charset=UTF-8"
TEXT = "text/plain;charset=UTF-8"


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(data: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), JSON)


def text_answer(text: str, status: int) -> Answer:
    return Answer(status, text.encode("utf-8"), TEXT)


def int_param(value: str | None, default: int) -> int:
    """A numeric query parameter; -1 when it is not a number, for the caller to answer 400."""
    try:
        return int(value) if value else default
    except ValueError:
        return -1


def encode_cursor(offset: int, query_key: str) -> str:
    """An opaque cursor bound to one query: its offset and a fingerprint of the query."""
    return base64.urlsafe_b64encode(json.dumps([offset, query_key]).encode()).decode().rstrip("=")


def decode_cursor(token: str, query_key: str) -> int | None:
    """The offset of a cursor made for this query, else None (a stale or foreign cursor)."""
    try:
        padded = token + "=" * (-len(token) % 4)
        offset, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    return int(offset) if key == query_key and isinstance(offset, int) and offset >= 0 else None


class LocalApi(Protocol):
    name: str
    faults: FaultPlan
    requests: list[tuple[str, dict[str, str]]]

    def endpoint(self, path: str) -> str: ...

    def answer(self, path: str, params: dict[str, str]) -> Answer: ...

    def fault_body(self, status: int) -> Answer: ...


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        service = self.server.service
        service.requests.append((split.path, params))
        fault = service.faults.take(service.endpoint(split.path))
        if fault and fault.delay:
            time.sleep(fault.delay)
        answer = service.fault_body(fault.status) if fault and fault.status else service.answer(split.path, params)
        if fault and fault.status and fault.retry_after is not None:
            answer.headers["Retry-After"] = f"{fault.retry_after:g}"
        self.send_answer(answer.status, answer.content_type, answer.body, fault, answer.headers)


class RunningApi(RunningServer):
    """A local API listening on loopback in a background thread; use as a context manager."""

    def __init__(self, service: LocalApi, *, prefix: str = "/", host: str = "127.0.0.1", port: int = 0,
                 verbose: bool = False) -> None:
        self.service = service
        self.prefix = prefix
        super().__init__(LoopbackServer((host, port), _Handler, service, verbose), name=service.name, path=prefix)
