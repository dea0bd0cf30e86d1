"""`exoreview report`: write the report from the store (same store, same bytes)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import typer

from exoreview.cli.common import out
from exoreview.review import ReviewFolder
from exoreview.store import Store


def report(directory: Path = typer.Argument(Path("."), help="The review folder."),
           fmt: list[str] = typer.Option(
               [], "--format", help="html, md, docx, pdf or a plug-in's (repeatable); default: the protocol's."),
           out_dir: Path = typer.Option(None, "--out", help="Folder to write into (default: the review folder).")
           ) -> None:
    """Write the report from the store: HTML, Markdown, DOCX, PDF, the figures and RIS/BibTeX exports."""
    from exoreview.report.renderers import RENDERERS
    from exoreview.report.write import write_report
    from exoreview.synthesis.build import build_synthesis

    unknown = [f for f in fmt if f not in RENDERERS]
    if unknown:
        raise typer.BadParameter(f"unknown format {unknown[0]!r}; use one of {', '.join(RENDERERS.names())}",
                                 param_hint="--format")
    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    with Store.open(folder.store_file) as store:
        outputs = write_report(build_synthesis(store, protocol, base_dir=folder.root), out_dir or folder.root,
                               formats=tuple(fmt or protocol.report.formats))
        runs = [r["id"] for r in store.runs()]
        for name, path in outputs.items():
            store.add_report_build(runs[-1] if runs else None, name, str(path),
                                   hashlib.sha256(path.read_bytes()).hexdigest())
    for name, path in sorted(outputs.items()):
        out.print(f"Report ({name}): {path}")
