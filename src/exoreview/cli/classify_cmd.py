"""`exoreview classify`: label a review's included studies, or label records straight from a file or folder.

`exoreview classify --input PATH --json` needs no review: PATH is a SYNERGY folder, an OpenAlex
JSON/zip, PubMed XML(.gz), MEDLINE (.nbib/.txt), RIS, BibTeX, CSV or CSL-JSON file (format from the
name and first bytes, see `exoreview.imports.detect_format`), or a folder of such files. It
prints one JSON object per record:

    {"id": "W2560438049", "id_type": "openalex", "source": "works_1.zip", "position": 0,
     "title": "...", "subjects": ["human"], "design": "rct", "evidence_level": 2,
     "indications": ["scars"], "ev_sources": ["adipose_msc"],
     "labels": {"design": ["rct"], "delivery": ["fractional_laser", "topical"], "safety": ["no_adverse_events"],
                "outcome": ["improved"], "isolation": [...], "characterization": [...], "mechanism": [...], ...},
     "evidence": {"subjects": {"human": {"sentence": "...", "start": 0, "end": 80, "field": "abstract",
                  "method": "pattern:subjects.human", "match": "25 patients"}}, "delivery": {...}, ...}}

Every facet the taxonomy labels is printed with the sentence behind each class; `subjects` lists
what the study studied (people, animals, cells, tissue), never where its cells came from.

Entries a reader cannot use are reported on stderr (file, record position, PMID, why) and
skipped; every other record is still printed, and the exit code is then 2.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import typer

from exoreview.cli.common import out
from exoreview.errors import EXIT_BAD_INPUT
from exoreview.formats.errors import MalformedRecord
from exoreview.records import Record
from exoreview.results import Evidence, Label
from exoreview.review import ReviewFolder
from exoreview.store import open_for_writing

# Facets printed as lists, under the key they are printed with.
LIST_FACETS = {"indication": "indications", "ev_source": "ev_sources"}
SUBJECTS_FACET, DESIGN_FACET = "subjects", "design"


def classify(
    directory: Path = typer.Argument(Path("."), help="The review folder (ignored with --input)."),
    input_path: Path = typer.Option(None, "--input", help="Label the records of this file or folder instead."),
    as_json: bool = typer.Option(False, "--json", help="With --input: one JSON object per record."),
    protocol: str = typer.Option(None, help="With --input: protocol whose taxonomy labels the records "
                                            "(default: the review folder's, else exosome-aesthetics)."),
) -> None:
    """Label the included studies again with the protocol's taxonomy, or the records of --input."""
    if input_path is not None:
        skipped = classify_input(input_path, as_json=as_json, protocol=protocol or _default_protocol(directory))
        if skipped:
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    if as_json or protocol:
        raise click.UsageError("--json and --protocol go with --input PATH; a review uses its own protocol")
    _classify_review(directory)


def _classify_review(directory: Path) -> None:
    from exoreview.results import ELIGIBILITY, INCLUDE
    from exoreview.stages.classify import classify_records

    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    with open_for_writing(folder.store_file, "classify") as store:
        run_id = store.start_run("classify", protocol.name, protocol.content_hash())
        included = [i for i, d in store.final_decisions(ELIGIBILITY).items() if d.label == INCLUDE]
        count = classify_records(store, included, protocol.taxonomy, run_id=run_id)
        store.log(run_id, f"classify: {count} labels on {len(included)} included studies")
        store.finish_run(run_id)
    out.print(f"{count} labels on {len(included)} included studies.")


def _default_protocol(directory: Path) -> str:
    folder_protocol = Path(directory) / "protocol.toml"
    return str(folder_protocol) if folder_protocol.is_file() else "exosome-aesthetics"


# -- records straight from files -----------------------------------------------------------------------


def input_files(path: Path) -> list[Path]:
    """The file itself, a SYNERGY folder as one unit, or the files of a plain folder (sorted, not hidden)."""
    from exoreview.formats.openalex import is_synergy_folder

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_file() or is_synergy_folder(path):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))


def read_input(path: Path, errors: list[MalformedRecord]) -> Iterator[tuple[str, int, Record]]:
    """(source name, position, record) of every readable record; what cannot be read goes to `errors`."""
    from exoreview.imports import UnknownFormat, read_file

    for file in input_files(path):
        try:
            records = read_file(file, errors)
        except UnknownFormat as exc:
            errors.append(MalformedRecord(file.name, 0, str(exc)))
            continue
        except (OSError, ValueError, SyntaxError, zlib.error, zipfile.BadZipFile) as exc:
            # unreadable bytes, broken XML or archive: that file is lost, not the run
            errors.append(MalformedRecord(file.name, 0, f"cannot read the file: {exc}"))
            continue
        for position, record in enumerate(records):
            yield file.name, position, record


def classify_input(path: Path, *, as_json: bool, protocol: str) -> int:
    """Print each record's labels; returns how many entries could not be read (reported on stderr)."""
    from exoreview.classify import StudyClassifier
    from exoreview.protocol import load_protocol

    classifier = StudyClassifier(load_protocol(protocol).taxonomy)
    errors: list[MalformedRecord] = []
    count = 0
    for source, position, record in read_input(path, errors):
        row = record_json(source, position, record, classifier.classify(record))
        typer.echo(json.dumps(row, ensure_ascii=False) if as_json else _text_line(row))
        count += 1
    for problem in errors:  # plain lines, never wrapped: one problem per line for grep
        typer.echo(f"error: skipped {problem}", err=True)
    typer.echo(f"{count} records labelled from {path}; {len(errors)} entries skipped.", err=True)
    return len(errors)


def record_id(record: Record) -> tuple[str, str]:
    """(id, kind): the record's own ID, OpenAlex ID before PMID before DOI; ("", "") when it has none."""
    for kind, value in (("openalex", record.openalex_id), ("pmid", record.pmid), ("doi", record.doi)):
        if value:
            return value, kind
    return "", ""


def evidence_json(evidence: Evidence, label: Label | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"sentence": evidence.sentence, "start": evidence.start, "end": evidence.end,
                           "field": evidence.field_name, "method": evidence.method, "match": evidence.match}
    if label is not None and label.hedged:
        row["hedged"] = True
    if label is not None and label.detail:
        row["detail"] = label.detail
    return row


def record_json(source: str, position: int, record: Record, labels: list[Label]) -> dict[str, Any]:
    """One record's labels as the JSON object `--json` prints. Negated labels are left out.

    Besides the headline keys (design, subjects, indications, EV sources), `labels` holds every
    facet the taxonomy and the details give (delivery, safety, outcome, isolation, characterization,
    mechanism, dose...) as facet -> classes, and `evidence` holds facet -> class -> the sentence.
    """
    identifier, kind = record_id(record)
    affirmed = [label for label in labels if not label.negated]
    headline = (SUBJECTS_FACET, DESIGN_FACET, *LIST_FACETS.values())
    evidence: dict[str, dict[str, Any]] = {key: {} for key in headline}
    by_facet: dict[str, list[str]] = {}
    row: dict[str, Any] = {"id": identifier or f"{source}#{position}", "id_type": kind or "position",
                           "source": source, "position": position, "title": record.title,
                           SUBJECTS_FACET: [], DESIGN_FACET: None, "evidence_level": None,
                           **{k: [] for k in LIST_FACETS.values()}}
    for label in affirmed:
        values = by_facet.setdefault(label.facet, [])
        if label.value in values:
            continue
        values.append(label.value)
        key = LIST_FACETS.get(label.facet, label.facet)
        evidence.setdefault(key, {})[label.value] = evidence_json(label.evidence, label)
        if label.facet == DESIGN_FACET:
            row[DESIGN_FACET] = label.value
            level = label.detail.removeprefix("evidence_level=") if label.detail else ""
            row["evidence_level"] = int(level) if level.isdigit() else None
        elif label.facet == SUBJECTS_FACET or label.facet in LIST_FACETS:
            row[LIST_FACETS.get(label.facet, label.facet)].append(label.value)
    row["labels"] = by_facet
    row["evidence"] = evidence
    return row


def _text_line(row: dict[str, Any]) -> str:
    parts = [f"subjects={','.join(row['subjects']) or '-'}", f"design={row['design'] or '-'}",
             f"indications={','.join(row['indications']) or '-'}", f"ev_sources={','.join(row['ev_sources']) or '-'}"]
    return f"{row['id']}: " + "; ".join(parts)
