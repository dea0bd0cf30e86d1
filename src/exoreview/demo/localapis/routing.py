"""Stable addresses for local servers that listen on random loopback ports.

A local server binds a free port, so its URL changes from run to run; the URL
ends up in the store's search log and in the report. The offline demo's report
must be the same bytes on every run, so its clients address each server by a
fixed name under `.localhost` (RFC 6761: always this machine), e.g.
`http://europepmc.demo.localhost/...`, and `LoopbackRouter` sends each request
to the port that name stands for. A name it does not know is refused: nothing
routed here ever leaves loopback.
"""

from __future__ import annotations

import httpx

LOOPBACK = "127.0.0.1"


class LoopbackRouter(httpx.BaseTransport):
    """An httpx transport mapping host names to loopback ports."""

    def __init__(self, ports: dict[str, int] | None = None) -> None:
        self.ports = dict(ports or {})
        self._transport = httpx.HTTPTransport()

    def add(self, host: str, port: int) -> None:
        self.ports[host.lower()] = port

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        port = self.ports.get(request.url.host.lower())
        if port is None:
            raise httpx.ConnectError(f"{request.url.host}: not a local server of this run "
                                     f"(known: {', '.join(sorted(self.ports)) or 'none'})", request=request)
        # The Host header keeps the stable name; only the socket goes to the real port.
        request.url = request.url.copy_with(scheme="http", host=LOOPBACK, port=port)
        return self._transport.handle_request(request)

    def close(self) -> None:
        self._transport.close()
