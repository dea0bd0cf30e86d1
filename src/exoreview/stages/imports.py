"""Import: the files given with `--import`, each a source of its own in the PRISMA flow."""

from __future__ import annotations

from exoreview.imports import import_file
from exoreview.stages.context import RunContext

NAME = "import"


def run(context: RunContext) -> None:
    before = context.store.record_count()
    for path in context.imports:
        count, errors = import_file(context.store, path, run_id=context.run_id)
        context.summary.skipped += [str(e) for e in errors]
        context.say(f"Imported {count} records from {path.name}" + (f", {len(errors)} skipped" if errors else ""))
    context.summary.new_records += context.store.record_count() - before
