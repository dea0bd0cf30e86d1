"""`exoreview report`: write the report from the store (same store, same bytes)."""

from __future__ import annotations

from pathlib import Path

import typer

from exoreview.cli.common import out
from exoreview.review import ReviewFolder


def report(directory: Path = typer.Argument(Path("."), help="The review folder."),
           fmt: list[str] = typer.Option(
               [], "--format", help="html, md, docx, pdf or a plug-in's (repeatable); default: the protocol's."),
           out_dir: Path = typer.Option(None, "--out", help="Folder to write into (default: the review folder).")
           ) -> None:
    """Write the report from the store: HTML, Markdown, DOCX, PDF, the figures and RIS/BibTeX exports."""
    from exoreview.pipeline import write_review_report
    from exoreview.report.renderers import RENDERERS

    unknown = [f for f in fmt if f not in RENDERERS]
    if unknown:
        raise typer.BadParameter(f"unknown format {unknown[0]!r}; use one of {', '.join(RENDERERS.names())}",
                                 param_hint="--format")
    outputs = write_review_report(ReviewFolder(directory), fmt, out_dir)
    for name, path in sorted(outputs.items()):
        out.print(f"Report ({name}): {path}")
