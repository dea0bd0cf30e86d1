"""What every local service (E-utilities, Europe PMC, OpenAlex, ClinicalTrials.gov) shares:
a threaded HTTP server on loopback holding its service, and a handle that runs it in the background.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], service: Any,
                 verbose: bool) -> None:
        super().__init__(address, handler)
        self.service = service
        self.verbose = verbose

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hung up (killed, timed out) is not the service's fault: stay quiet about it.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class QuietHandler(BaseHTTPRequestHandler):
    """Logs requests only when the server was started verbose."""

    server: LoopbackServer

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class RunningServer:
    """A loopback server in a background thread; use as a context manager."""

    def __init__(self, server: LoopbackServer, *, name: str, path: str) -> None:
        self._server = server
        self._path = path
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self._server.server_address[0]}:{self.port}{self._path}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread (the `serve-*` commands), until interrupted."""
        self._server.serve_forever()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
