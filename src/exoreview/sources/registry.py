"""Search sources as plug-ins: what a protocol's `[[sources]] name = "..."` can name.

A `Source` searches one protocol entry into the store and says what it would send; the pipeline
calls every entry's source the same way, PubMed included. Built-ins register by reference;
another package adds a source with an entry point in the `exoreview.sources` group naming a
`Source` (docs/architecture.md has a worked example), and its name is then valid in a protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exoreview import plugins
from exoreview.plugins import Registry

if TYPE_CHECKING:  # types only: the protocol loader imports this module to check source names
    from exoreview.protocol.model import SourceSpec
    from exoreview.sources.pubmed import PubMedClient
    from exoreview.sources.pubmed_search import RetrievalResult
    from exoreview.store import Store


@dataclass(slots=True)
class SearchContext:
    """What one search gets besides its protocol entry."""

    store: Store
    run_id: int
    # The command line's PubMed client: the identity (email, API key), retry policy, retry messages and
    # raw archive every source shares; None for `protocol show`, which sends nothing.
    pubmed: PubMedClient | None
    say: Callable[[str], None] = lambda _: None
    progress: Callable[[int, int], None] | None = None
    client: Any = None  # a ready client for this source (the demo's local services), else the source makes one


@dataclass(frozen=True, slots=True)
class Source:
    label: str  # the name people know it by, in messages, the report and the PRISMA flow
    database: str  # PRISMA-S: the database searched ("MEDLINE/PubMed")
    interface: str  # PRISMA-S: how it was searched ("NCBI E-utilities")
    search: Callable[[SourceSpec, SearchContext], RetrievalResult]
    query_as_sent: Callable[[SourceSpec], tuple[str, list[str]]]  # (query, translation notes); sends nothing


SOURCES: Registry[Source] = plugins.SOURCES  # built-ins: exoreview.plugins


def source_label(name: str) -> str:
    """The source's label for a store's source name; other names (imported files) as they are."""
    return SOURCES.get(name).label if name in SOURCES else name


__all__ = ["SOURCES", "SearchContext", "Source", "source_label"]
