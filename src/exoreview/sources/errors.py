"""Exceptions that say which source failed, on which request, and why."""

from __future__ import annotations

from exoreview.errors import BadInput, SourceFailure


class SourceError(SourceFailure, RuntimeError):
    """A source could not answer; records stored before the fault are kept."""

    def __init__(self, source: str, message: str, *, url: str = "", batch: int | None = None) -> None:
        self.source = source
        self.url = url
        self.batch = batch
        where = f" (batch {batch})" if batch is not None else ""
        super().__init__(f"{source}{where}: {message}")


class SourceUnavailable(SourceError):
    """Network down, timeouts or 5xx after every retry."""


class SourceRateLimited(SourceUnavailable):
    """HTTP 429 after every retry."""


class SourceMalformedResponse(SourceError):
    """The source answered, but not with what its API documents (cut or invalid XML)."""


class SourceQueryError(SourceError, BadInput):
    """The source rejected the query itself; fix the query, retrying will not help."""

    exit_code = BadInput.exit_code
    advice = ""
