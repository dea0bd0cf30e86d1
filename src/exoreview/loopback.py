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
    """Logs requests only when the server was started verbose; sends answers with their planned faults."""

    server: LoopbackServer

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def send_answer(self, status: int, content_type: str, body: bytes, fault: Any = None,
                    headers: dict[str, str] | None = None) -> None:
        """Send one answer. A fault (eutils.faults.Fault) may cut the body short while the headers
        announce the short length, or drop the connection halfway through the announced full length."""
        sent = body[: int(len(body) * fault.cut)] if fault and fault.cut else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body if fault and fault.drop else sent)))
        self.end_headers()
        if fault and fault.drop:
            self.wfile.write(sent[: len(sent) // 2])
            self.close_connection = True
            return
        self.wfile.write(sent)


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
