"""Search: every `[[sources]]` entry of the protocol, through the source registered under its name."""

from __future__ import annotations

from exoreview.sources.registry import SOURCES, SearchContext
from exoreview.stages.context import RunContext

NAME = "search"


def run(context: RunContext) -> None:
    before = context.store.record_count()
    for spec in context.protocol.sources:
        search = SearchContext(context.store, context.run_id, context.client, say=context.say,
                               progress=context.progress, client=context.clients.get(spec.name))
        context.summary.skipped += SOURCES.get(spec.name).search(spec, search).skipped
    context.summary.new_records += context.store.record_count() - before
