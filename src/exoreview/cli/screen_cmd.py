"""Commands for people screening: the terminal screener, conflicts, agreement, resolution."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import typer
from rich.console import Console
from rich.table import Table

from exoreview.cli.common import find_study, out
from exoreview.results import ELIGIBILITY, TITLE_ABSTRACT
from exoreview.review import ReviewFolder
from exoreview.screen.fulltext import RetrievalError, awaiting_retrieval, record_retrieval
from exoreview.screen.interop import export_asreview, import_asreview
from exoreview.screen.reviewers import LABELS, agreement, conflicts, people, resolve
from exoreview.screen.session import ScreeningSession
from exoreview.screen.terminal import run_screener
from exoreview.store import Store

DirArg = typer.Argument(Path("."), help="The review folder.")
StageOption = typer.Option(TITLE_ABSTRACT, "--stage", help=f"{TITLE_ABSTRACT} or {ELIGIBILITY}.")


def _check_stage(stage: str) -> str:
    if stage not in (TITLE_ABSTRACT, ELIGIBILITY):
        raise click.BadParameter(f"stage must be {TITLE_ABSTRACT} or {ELIGIBILITY}, not {stage!r}")
    return stage


def screen(directory: Path = DirArg,
           reviewer: str = typer.Option(..., "--reviewer", "-r", help="Your name; each reviewer screens blind."),
           stage: str = StageOption) -> None:
    """Screen titles and abstracts in the terminal: i include, e exclude, m maybe, u undo, n note, q quit."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError("`exoreview screen` reads one key at a time from a terminal, and none is attached "
                               "(input or output is a pipe). Screen in a terminal, or record decisions with "
                               "`exoreview resolve` or `exoreview asreview import`")
    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    with Store.open(folder.store_file) as store:
        session = ScreeningSession(store, protocol, reviewer, _check_stage(stage))
        console = Console(highlight=False)
        run_screener(session, console, read_key=lambda: click.getchar(echo=False),
                     read_line=lambda prompt: console.input(prompt))


def show_conflicts(directory: Path = DirArg,
                   reviewer: list[str] = typer.Option([], "--reviewer", "-r", help="Reviewers to compare "
                                                      "(default: every person who screened)."),
                   stage: str = StageOption,
                   all_: bool = typer.Option(False, "--all", help="Also list conflicts already resolved.")) -> None:
    """Records on which reviewers disagree."""
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        found = conflicts(store, reviewer or None, _check_stage(stage), include_resolved=all_)
        names = sorted({name for c in found for name in c.labels})
        table = Table("record", "title", *names, "resolution")
        for conflict in found:
            title = store.record(conflict.record_id).title
            table.add_row(str(conflict.record_id), title[:70], *(conflict.labels.get(n, "") for n in names),
                          conflict.resolution)
    out.print(table)
    out.print(f"{len(found)} conflict(s). Settle one with `exoreview resolve DIR RECORD LABEL`.")


def show_agreement(directory: Path = DirArg, stage: str = StageOption) -> None:
    """Cohen's kappa for every pair of reviewers."""
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        names = [n for n in people(store, _check_stage(stage)) if n != "consensus"]
        table = Table("reviewer A", "reviewer B", "both decided", "observed agreement", "Cohen's kappa")
        for i, first in enumerate(names):
            for second in names[i + 1:]:
                result = agreement(store, first, second, stage)
                kappa = "n/a (fewer than 2 shared)" if result.kappa is None else f"{result.kappa:.3f}"
                table.add_row(first, second, str(result.n_both), f"{result.observed:.3f}", kappa)
    out.print(table)


def resolve_conflict(directory: Path = DirArg, record_id: int = typer.Argument(..., help="The record's number."),
                     label: str = typer.Argument(..., help=" / ".join(LABELS)),
                     reason: str = typer.Option("", help="Exclusion reason id from the protocol, e.g. E1."),
                     note: str = typer.Option("", help="Why, in a sentence."),
                     resolver: str = typer.Option("consensus", help="Name the resolution is recorded under."),
                     stage: str = StageOption) -> None:
    """Settle a conflict; the resolution is the decision that stands."""
    if label not in LABELS:
        raise click.BadParameter(f"label must be one of {', '.join(LABELS)}, not {label!r}")
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        try:
            store.record(record_id)  # an unknown record is bad input, said before writing anything
        except KeyError as exc:
            raise click.BadParameter(f"{folder.store_file}: {exc.args[0]}") from exc
        resolve(store, record_id, label, stage=_check_stage(stage), reason_id=reason, note=note, resolver=resolver)
    out.print(f"record {record_id}: {label} (by {resolver})")


asreview_app = typer.Typer(no_args_is_help=True, help="Exchange screening labels with ASReview LAB (CSV).")


@asreview_app.command("export")
def asreview_export(directory: Path = DirArg,
                    out_file: Path = typer.Argument(..., help="CSV to write."),
                    stage: str = StageOption) -> None:
    """Write the review's records with their standing labels (1 include, 0 exclude, empty otherwise)."""
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        rows = export_asreview(store, out_file, stage=_check_stage(stage))
    out.print(f"{out_file}: {rows} records")


@asreview_app.command("import")
def asreview_import(directory: Path = DirArg,
                    csv_file: Path = typer.Argument(..., help="An ASReview dataset or project export (CSV)."),
                    reviewer: str = typer.Option(..., "--reviewer", "-r", help="Name the labels are recorded under."),
                    stage: str = StageOption) -> None:
    """Take labels from ASReview: labelled rows become this reviewer's decisions."""
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        summary = import_asreview(store, csv_file, reviewer=reviewer, stage=_check_stage(stage))
    for problem in summary.errors:
        out.print(f"skipped: {problem}", markup=False)
    out.print(f"{csv_file}: {summary.rows} rows, {summary.labelled} labels taken as {reviewer}'s decisions; "
              f"{summary.matched} matched stored records, {summary.added} added.")


def register(app: typer.Typer) -> None:
    app.add_typer(asreview_app, name="asreview")
    app.command("screen")(screen)
    app.command("conflicts")(show_conflicts)
    app.command("agreement")(show_agreement)
    app.command("resolve")(resolve_conflict)


def fulltext(directory: Path = DirArg,
             record: str = typer.Argument("", help="Record number, PMID, DOI or PMC ID; omit to list what waits."),
             retrieved: bool = typer.Option(None, "--retrieved/--not-retrieved",
                                            help="Whether you obtained the report's full text."),
             reviewer: str = typer.Option("", "--reviewer", "-r", help="Your name."),
             note: str = typer.Option("", help="Where you found it, or why it could not be had.")) -> None:
    """Full texts to retrieve: list them, or record that one was retrieved (or could not be)."""
    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    with Store.open(folder.store_file) as store:
        if not record:
            waiting = awaiting_retrieval(store)
            for record_id in waiting:
                r = store.record(record_id)
                ids = " ".join(x for x in (f"PMID {r.pmid}" if r.pmid else "", r.doi, r.pmcid) if x)
                out.print(f"{record_id}\t{ids}\t{r.title[:90]}", markup=False)
            out.print(f"{len(waiting)} report(s) awaiting full-text retrieval. Record each with "
                      "`exoreview fulltext DIR RECORD --retrieved|--not-retrieved --reviewer NAME`.")
            return
        if retrieved is None or not reviewer:
            raise click.UsageError("give --retrieved or --not-retrieved, and --reviewer")
        record_id = find_study(store, record)
        try:
            decision = record_retrieval(store, protocol, record_id, retrieved=retrieved, reviewer=reviewer,
                                        note=note)
        except RetrievalError as exc:
            raise click.BadParameter(str(exc)) from exc
    reason = f" ({decision.reason_id})" if decision.reason_id else ""
    out.print(f"record {record_id}: {decision.label}{reason} at eligibility", markup=False)
