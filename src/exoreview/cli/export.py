"""`exoreview export`: a review's included (or all unique) records as RIS, BibTeX, MEDLINE, CSV, CSL-JSON,
ASReview CSV or OpenAlex JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from exoreview.cli.common import out
from exoreview.formats.export import export_formats, write_records
from exoreview.imports import UnknownFormat
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, TITLE_ABSTRACT
from exoreview.review import ReviewFolder
from exoreview.store import Store


def export(directory: Path = typer.Argument(Path("."), help="The review folder."),
           fmt: str = typer.Option("ris", "--format",
                                   help="ris, bibtex, nbib, csv, csl-json, asreview-csv, openalex, or a plug-in's."),
           out_file: Path = typer.Option(None, "--out", help="File to write (default: export-<which><ending> in the "
                                         "review folder, the ending one per format: .ris, .bib, .nbib, .csv, "
                                         ".csl.json, .asreview.csv, .openalex.json); '-' prints to standard "
                                         "output."),
           all_records: bool = typer.Option(False, "--all", help="Every unique record, not only the included ones.")
           ) -> None:
    """Write the review's included studies (or, with --all, every record not set aside as a duplicate)."""
    formats = export_formats()
    if fmt not in formats:
        raise UnknownFormat(f"--format {fmt!r}: expected one of {', '.join(formats)}")
    folder = ReviewFolder(directory)
    if not folder.store_file.exists():
        raise FileNotFoundError(f"{folder.store_file}: no review store here; run `exoreview run` first")
    with Store.open(folder.store_file) as store:
        unique = store.unique_record_ids()
        screened = store.final_decisions(TITLE_ABSTRACT)
        eligible = store.final_decisions(ELIGIBILITY)
        labels: dict[int, bool | None] = {}
        for record_id in unique:
            decisions = [d for d in (screened.get(record_id), eligible.get(record_id)) if d is not None]
            if any(d.label == EXCLUDE for d in decisions):
                labels[record_id] = False
            elif record_id in eligible and eligible[record_id].label == INCLUDE:
                labels[record_id] = True
            else:
                labels[record_id] = None
        chosen = unique if all_records else [i for i in unique if labels[i]]
        records = [record for _, record in store.iter_records(chosen)]
    text = write_records(records, fmt, [labels[i] for i in chosen])
    if str(out_file) == "-":
        out.print(text, end="", markup=False, highlight=False)
        return
    target = out_file or folder.root / f"export-{'all' if all_records else 'included'}{formats[fmt]}"
    target.write_text(text, encoding="utf-8")
    out.print(f"{len(records)} {'unique' if all_records else 'included'} records written to {target} ({fmt}).")
