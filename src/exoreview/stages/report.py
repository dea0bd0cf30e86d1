"""Synthesize and report: the synthesis of what the store holds, written in the protocol's formats."""

from __future__ import annotations

import hashlib

from exoreview.report.write import write_report
from exoreview.stages.context import RunContext
from exoreview.synthesis.build import build_synthesis

NAME = "report"


def run(context: RunContext) -> None:
    synthesis = build_synthesis(context.store, context.protocol, base_dir=context.folder.root)
    context.summary.outputs = write_report(synthesis, context.folder.root,
                                           formats=tuple(context.protocol.report.formats))
    for fmt, path in context.summary.outputs.items():
        context.store.add_report_build(context.run_id, fmt, str(path), hashlib.sha256(path.read_bytes()).hexdigest())
