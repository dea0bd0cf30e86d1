"""Dedup: copies of one study from several sources set aside, the best-sourced copy kept."""

from __future__ import annotations

from exoreview.dedup import deduplicate
from exoreview.stages.context import RunContext

NAME = "dedup"


def run(context: RunContext) -> None:
    context.summary.duplicates = deduplicate(context.store, run_id=context.run_id)
    context.say(f"Deduplicated: {context.summary.duplicates} copies set aside")
