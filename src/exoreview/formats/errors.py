"""The error every format reader raises or reports for a record it cannot use."""

from __future__ import annotations

from exoreview.errors import BadInput


class MalformedRecord(BadInput):
    """A record (or the stream around it) that a reader could not turn into a Record.

    ``position`` is the 0-based index of the record in its source, counting
    records that failed as well as those that parsed, so it points at the
    offending record even when earlier ones were skipped.
    """

    def __init__(self, source: str, position: int, reason: str, pmid: str | None = None) -> None:
        self.source = source
        self.position = position
        self.reason = reason
        self.pmid = pmid
        super().__init__(self._message())

    def _message(self) -> str:
        pmid = self.pmid or "unknown"
        reason = " ".join(self.reason.split())
        return f"{self.source}: record {self.position} (PMID {pmid}): {reason}"

    def __reduce__(self) -> tuple[type[MalformedRecord], tuple[str, int, str, str | None]]:
        # Exception pickling replays self.args, which here is the formatted message.
        return (type(self), (self.source, self.position, self.reason, self.pmid))
