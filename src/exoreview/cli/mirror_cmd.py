"""`exoreview mirror build`: a PubMed mirror from NLM's baseline and update files, on a Dask cluster."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from exoreview.cli.common import console, out


@contextmanager
def _progress() -> Iterator[tuple[Callable[[str], None], Callable[[str, int, int], None]]]:
    """A line per finished step, and a bar per step while its tasks run."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def step(text: str) -> None:
            bar.console.print(Text(text))

        def tick(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        yield step, tick


mirror_app = typer.Typer(no_args_is_help=True, help="Build a PubMed mirror from NLM's baseline and update files.")


@mirror_app.command("build")
def mirror_build(baseline: Path = typer.Option(..., "--baseline", help="Folder of NLM's annual baseline files "
                                               "(pubmed*.xml.gz), applied in name order."),
                 updates: Path = typer.Option(None, "--updates", help="Folder of NLM's daily update files, applied "
                                              "after the baseline in name order (revisions and deletions)."),
                 mirror: Path = typer.Option(..., "--out", help="The mirror folder to write."),
                 scheduler: str = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler "
                                               "(tcp://host:8786); its workers must see --baseline and --out. "
                                               "Without it a LocalCluster starts on this machine."),
                 workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=0, help="Worker processes of "
                                             "the LocalCluster; 0 runs every task in this process."),
                 partitions: int = typer.Option(0, "--partitions", min=0, help="Partitions by PMID (default one "
                                                "per four files)."),
                 classify: str = typer.Option("", "--classify", help="Label every record by this protocol's "
                                              "taxonomy (a built-in name or a protocol file)."),
                 replace: bool = typer.Option(False, "--replace", help="Build again over an existing mirror "
                                              "(it is replaced only when the new one is whole).")) -> None:
    """Parse every file into partitions by PMID, keep each PMID's last revision (deletions applied in
    order), write partitioned Parquet and the search index that `serve-eutils --mirror` answers from."""
    from exoreview.mirror import build_mirror, dask_client

    options = {"partitions": partitions, "classify": classify, "replace": replace}
    with _progress() as (step, tick):
        if workers == 0 and not scheduler:
            build = build_mirror(baseline, updates, mirror, step=step, tick=tick, **options)
        else:
            with dask_client(scheduler, workers) as client:
                build = build_mirror(baseline, updates, mirror, client=client, step=step, tick=tick, **options)
    out.print(f"{build.records} records from {len(build.files)} files in {mirror} "
              f"({build.partitions} partitions{', labelled' if build.labelled else ''}); log: {mirror / 'build.log'}")
    if build.skipped:  # every record read whole is in the mirror; the skipped ones are named, and exit 2 says so
        for message in build.skipped[:20]:
            console.print(Text(f"skipped: {message}"))
        if len(build.skipped) > 20:
            console.print(Text(f"... and {len(build.skipped) - 20} more skipped records, each named in build.log"))
        raise typer.Exit(2)
