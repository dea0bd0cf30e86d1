"""Screen: the protocol's criteria decide every record without a decision, title/abstract then eligibility."""

from __future__ import annotations

from exoreview.results import ELIGIBILITY, INCLUDE
from exoreview.screen import screen_records
from exoreview.screen.fulltext import awaiting_retrieval
from exoreview.stages.context import RunContext

NAME = "screen"


def run(context: RunContext) -> None:
    summary = context.summary
    summary.screened = screen_records(context.store, context.protocol, run_id=context.run_id)
    summary.included = len(included_ids(context))
    summary.awaiting_retrieval = len(awaiting_retrieval(context.store))
    context.say(f"Screened: {sum(summary.screened.values())} decisions; {summary.included} studies included"
                + (f"; {summary.awaiting_retrieval} reports awaiting full-text retrieval"
                   if summary.awaiting_retrieval else ""))


def included_ids(context: RunContext) -> list[int]:
    return [i for i, d in context.store.final_decisions(ELIGIBILITY).items() if d.label == INCLUDE]
