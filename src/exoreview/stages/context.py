"""What every stage of a run gets: the store, the protocol, the run, and where to say what it did."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol as TypingProtocol

from exoreview.protocol import Protocol
from exoreview.review import ReviewFolder
from exoreview.sources.pubmed import PubMedClient
from exoreview.store import Store

Say = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class RunSummary:
    run_id: int
    new_records: int = 0
    duplicates: int = 0
    screened: dict[str, int] = field(default_factory=dict)
    included: int = 0
    awaiting_retrieval: int = 0  # reports whose full text a reviewer must look for (`exoreview fulltext`)
    labels: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    log_file: Path | None = None
    skipped: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RunContext:
    store: Store
    folder: ReviewFolder
    protocol: Protocol
    summary: RunSummary
    client: PubMedClient  # the command line's: identity, retries, raw archive; sources share it
    imports: list[Path] = field(default_factory=list)
    clients: Mapping[str, object] = field(default_factory=dict)  # ready clients by source name (the demo's)
    say: Say = lambda _: None
    progress: Progress | None = None

    @property
    def run_id(self) -> int:
        return self.summary.run_id


class Stage(TypingProtocol):
    NAME: str

    def run(self, context: RunContext) -> None: ...


__all__ = ["Progress", "RunContext", "RunSummary", "Say", "Stage"]
