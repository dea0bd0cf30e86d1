"""The stages of a review run, in order: search, import, dedup, screen, classify, then synthesize and report.

Each stage is a module with `NAME` and `run(context)`: it reads what earlier stages stored and writes
its own results back through the store, and adds its counts to `context.summary`. `STAGES` is the
run; `exoreview.pipeline` opens the store, walks the list and writes the logs around it.
"""

from __future__ import annotations

from exoreview.stages import classify, dedup, imports, report, screen, search
from exoreview.stages.context import RunContext, RunSummary, Stage

# Synthesis and report come after the run is marked finished: they read the run's own log.
STAGES: tuple[Stage, ...] = (search, imports, dedup, screen, classify)
AFTER_RUN: tuple[Stage, ...] = (report,)

__all__ = ["AFTER_RUN", "STAGES", "RunContext", "RunSummary", "Stage"]
