"""Commands around the review: protocols, MeSH, searching, the local service, imports, labels, status."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
import typer
from rich.table import Table

from exoreview.cli.common import (
    ATTEMPTS_HELP,
    ApiKeyOption,
    BaseUrlOption,
    EmailOption,
    console,
    email_configured,
    make_client,
    out,
)
from exoreview.errors import BadInput
from exoreview.protocol import builtin_names, load_protocol
from exoreview.protocol.model import ReportLayout
from exoreview.records import Record
from exoreview.results import ELIGIBILITY, TITLE_ABSTRACT
from exoreview.review import ReviewFolder
from exoreview.store import Store, open_for_writing

if TYPE_CHECKING:
    from exoreview.eutils.server import EutilsService

protocol_app = typer.Typer(no_args_is_help=True, help="Show and list review protocols.")
mesh_app = typer.Typer(no_args_is_help=True, help="Load and look up the MeSH tree.")


@protocol_app.command("list")
def protocol_list() -> None:
    """The built-in protocols."""
    for name in builtin_names():
        out.print(f"{name}: {load_protocol(name).title}")


@protocol_app.command("show")
def protocol_show(name: str = typer.Argument(..., help="A built-in protocol name or a protocol file.")) -> None:
    """Print a protocol and the exact query each source will be sent."""
    from exoreview.sources.builtin import query_as_sent

    protocol = load_protocol(name)
    lines = [f"{protocol.name} (version {protocol.version}, sha256 {protocol.content_hash()})",
             f"Title: {protocol.title}", f"Question: {protocol.question}"]
    for source in protocol.sources:
        sent, notes = query_as_sent(source)
        lines += ["", f"Source: {source.name}", f"Query as sent: {sent}"]
        lines += [f"  note: {note}" for note in notes]
    if not protocol.sources:
        lines += ["", "Sources: none; records come from `exoreview run DIR --import FILE` or `exoreview import`."]
    lines += ["", "Inclusion criteria:"] + [f"  {c.id}: {c.text}" for c in protocol.include]
    lines += ["Exclusion criteria:"] + [f"  {c.id} ({c.stage}): {c.text}" for c in protocol.exclude]
    lines += ["", f"Taxonomy {protocol.taxonomy.version}:"]
    lines += [f"  {facet}: {', '.join(classes)}" for facet, classes in protocol.taxonomy.facets.items()]
    lines += ["", *_report_layout(protocol.taxonomy.report)]
    for line in lines:  # as written: "[tiab]" and "[sb]" are query syntax, not Rich markup
        out.print(line, markup=False)


def _report_layout(layout: ReportLayout) -> list[str]:
    """What the report does with the facets ([taxonomy.report]), one line per part."""
    return [
        "Report layout:",
        f"  results grouped by: {layout.group_by}",
        f"  evidence map: {layout.map_rows} (rows) by {layout.map_columns} (columns)",
        f"  study table: {', '.join(c.heading for c in layout.columns)}",
        f"  methods figures: {', '.join(layout.method_facets) or 'none'}",
        f"  challenges: {', '.join(layout.challenges) or 'none'}",
        f"  EV reporting appraisal (MISEV): {'yes' if layout.appraisal else 'no'}",
    ]


@mesh_app.command("load")
def mesh_load(tree_file: Path = typer.Argument(..., help="NLM MeSH tree file (tree number, UI, name per line)."),
              store_file: Path = typer.Option(Path("review.sqlite"), "--store", help="Store to load it into.")) -> None:
    """Load a MeSH tree into a store, for explosion of [MeSH] terms by the local service."""
    from exoreview.mesh.tree import MeshTree

    tree = MeshTree.from_tsv(tree_file)
    with Store.open(store_file) as store:
        count = store.load_mesh_rows(tree.rows())
    out.print(f"Loaded {count} tree numbers into {store_file}.")


@mesh_app.command("lookup")
def mesh_lookup(term: str = typer.Argument(..., help="A descriptor name, part of one, or a UI."),
                store_file: Path = typer.Option(None, "--store", help="Store with a loaded tree (default: the "
                                                "shipped demo tree)."),
                tree_file: Path = typer.Option(None, "--tree", help="An NLM MeSH tree file to read instead."),
                online: bool = typer.Option(False, "--online", help="Ask NCBI's MeSH database (E-utilities)."),
                base_url: str = BaseUrlOption, email: str = EmailOption, api_key: str = ApiKeyOption,
                limit: int = typer.Option(10, help="How many descriptors to list.")) -> None:
    """Find MeSH descriptors, offline from a loaded tree or online from NCBI, with their tree numbers."""
    from exoreview.mesh.tree import MeshTree

    if online:
        from exoreview.sources.mesh_online import lookup_online

        client = make_client(base_url, email, api_key)
        try:
            found, translation = lookup_online(client, term, limit=limit)
        finally:
            client.close()
        out.print(f"NCBI MeSH database, translation: {translation or '-'}")
        if not found:
            out.print(f"No descriptor matches {term!r}.")
            raise typer.Exit(1)
        for descriptor in found:
            out.print(f"{descriptor.name} [{descriptor.ui}] {', '.join(descriptor.tree_numbers) or '(no tree number)'}")
        return
    tree = MeshTree.from_tsv(tree_file) if tree_file else MeshTree.demo()
    if store_file:
        with Store.open(store_file) as store:
            rows = store.mesh_rows()
        tree = MeshTree.from_rows(rows) if rows else tree
    exact = tree.lookup(term)
    matches = [exact] if exact else tree.search_names(term)[:limit]
    if not matches:
        out.print(f"No descriptor matches {term!r}.")
        raise typer.Exit(1)
    for descriptor in matches:
        below = len(tree.descendants(descriptor.ui)) - 1
        out.print(f"{descriptor.name} [{descriptor.ui}] {', '.join(tree.tree_numbers(descriptor.ui))} "
                  f"(explodes to {below} narrower descriptors)")


def search(query: str = typer.Argument(..., help="A PubMed query."),
           source: str = typer.Option("pubmed", help="Only pubmed in this version."),
           count: bool = typer.Option(False, "--count", help="Print the count and PubMed's translation only."),
           limit: int = typer.Option(20, help="How many PMIDs to list."),
           base_url: str = BaseUrlOption, email: str = EmailOption, api_key: str = ApiKeyOption,
           attempts: int = typer.Option(6, help=ATTEMPTS_HELP)) -> None:
    """Ask PubMed how many records a query finds, and how it read the query."""
    if source != "pubmed":
        raise typer.BadParameter(f"source {source!r} is not available in this version", param_hint="--source")
    client = make_client(base_url, email, api_key, attempts)
    try:
        result = client.esearch(query, retmax=0 if count else limit)
        out.print(f"Count: {result.count}")
        out.print(f"Translation: {result.translation}")
        if result.count == 0:
            for phrase in result.phrases_not_found:
                out.print(f"Phrase not found: {phrase}")
            suggestion = client.espell(query)
            if suggestion and suggestion != query:
                out.print(f"Did you mean: {suggestion}")
            else:
                out.print("No spelling suggestion.")
        if not count:
            for pmid in result.ids:
                out.print(pmid)
    finally:
        client.close()


def serve_eutils(store_file: Path = typer.Option(None, "--store", help="Store whose records with a PMID to serve "
                                                 "(searched, imported, whatever their source); it must exist."),
                 port: int = typer.Option(8765, help="Port on 127.0.0.1 (0 picks a free one)."),
                 demo: bool = typer.Option(False, "--demo", help="Serve the synthetic demo corpus."),
                 index_file: Path = typer.Option(None, "--index", help="Serve from this on-disk search index "
                                                 "(SQLite FTS5), for a mirror larger than memory; with --store, "
                                                 "built from the store first when the file does not exist."),
                 mirror: Path = typer.Option(None, "--mirror", help="Serve a mirror made by `exoreview mirror build` "
                                             "(its search index).")) -> None:
    """Answer E-utilities (esearch, efetch, esummary, espell, einfo) over local records, on loopback.

    The access log goes to stderr, with the value of any api_key or email parameter hidden."""
    from exoreview.eutils.server import EutilsService, RunningService
    from exoreview.mesh.tree import MeshTree

    if mirror is not None:
        index_file = _mirror_index(mirror)
    if index_file is not None:
        service, served = _disk_service(index_file, store_file)
        running = RunningService(service, port=port, verbose=True)
        out.print(f"Serving {served} records from {index_file} at {running.base_url} (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            running.serve_forever()
        return
    if demo or store_file is None:
        from exoreview.demo.corpus import demo_corpus

        records, tree = demo_corpus().pubmed, MeshTree.demo()
    else:
        # A mistyped path is an error (exit 2, naming it), never a new empty store served as if it were the mirror.
        with Store.open(store_file, must_exist=True) as store:
            records = _records_to_serve(store)
            rows = store.mesh_rows()
        tree = MeshTree.from_rows(rows) if rows else MeshTree.demo()
    running = RunningService(EutilsService(records, mesh=tree), port=port, verbose=True)
    out.print(f"Serving {len(records)} records at {running.base_url} (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        running.serve_forever()


def _mirror_index(mirror: Path) -> Path:
    from exoreview.mirror import INDEX_NAME

    if not (mirror / INDEX_NAME).is_file():
        raise BadInput(f"{mirror}: not a mirror (no {INDEX_NAME}); build one with `exoreview mirror build`")
    return mirror / INDEX_NAME


def _disk_service(index_file: Path, store_file: Path | None) -> tuple[EutilsService, int]:
    """The service over an on-disk index, built from the store first when the index is new; (service, records)."""
    from exoreview.eutils.disk_index import DiskIndex
    from exoreview.eutils.server import EutilsService
    from exoreview.mesh.tree import MeshTree

    rows: list = []
    if store_file is not None:
        with Store.open(store_file, must_exist=True) as store:
            rows = store.mesh_rows()
            if not index_file.exists():
                out.print(f"Building the search index {index_file} from {store_file} "
                          f"({store.record_count()} stored records; done once, later runs open it at once)")
                with DiskIndex.written(index_file) as index:
                    index.add(_stored_with_pmid(store), replace=False)
    elif not index_file.exists():
        raise BadInput(f"{index_file}: no search index there; give --store to build one from a store")
    tree = MeshTree.from_rows(rows) if rows else MeshTree.demo()
    index = DiskIndex(index_file, mesh=tree)
    return EutilsService(index=index, mesh=tree), len(index)


def _stored_with_pmid(store: Store) -> Iterator[Record]:
    """Every stored record with a PMID, streamed, PubMed's own copies first (then store order): the first of a
    PMID is the copy to serve. Streamed, so an on-disk index built from it does not grow with the store."""
    for from_pubmed in (True, False):
        for record_id, record in store.iter_records():
            if record.pmid and (store.record_source(record_id) == "pubmed") == from_pubmed:
                yield record


def _records_to_serve(store: Store) -> list[Record]:
    """Every stored record with a PMID, one per PMID: PubMed's own copy when there is one, else the first stored."""
    chosen: dict[str, Record] = {}
    for record in _stored_with_pmid(store):
        chosen.setdefault(record.pmid, record)
    return list(chosen.values())


IMPORT_HELP = ("Reference files: RIS, MEDLINE (.nbib/.txt), PubMed XML, BibTeX, CSV/TSV (Rayyan, Covidence, Zotero, "
               "EndNote; columns found by name), ASReview CSV, CSL-JSON, OpenAlex JSON, or a SYNERGY folder.")
MAP_HELP = ("For CSV files: the column holding a field, as FIELD=COLUMN (repeat for more fields), e.g. "
            "--map 'title=Article Title' --map 'year=Publication Year'. Fields not given are found by their usual "
            "column names. Fields: {fields}.")


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """--map FIELD=COLUMN options as {field: column}; a bad pair is a usage error naming it."""
    from exoreview.formats.csv_table import HEADER_NAMES

    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not field or not column:
            raise click.BadParameter(f"{pair!r}: expected FIELD=COLUMN, e.g. 'title=Article Title'", param_hint="--map")
        if field not in HEADER_NAMES:
            raise click.BadParameter(f"{pair!r}: unknown field {field!r}; fields are {', '.join(HEADER_NAMES)}",
                                     param_hint="--map")
        if field in mapping:
            raise click.BadParameter(f"{pair!r}: field {field!r} is mapped twice", param_hint="--map")
        mapping[field] = column
    return mapping


def _map_help() -> str:
    from exoreview.formats.csv_table import HEADER_NAMES

    return MAP_HELP.format(fields=", ".join(HEADER_NAMES))


class BadImport(BadInput, ValueError):
    """A file gave no records, or some of its entries could not be read (exit 2, the rest is stored)."""


def import_files(files: list[Path] = typer.Argument(..., help=IMPORT_HELP),
                 directory: Path = typer.Option(Path("."), "--dir", help="The review folder."),
                 map_pairs: list[str] = typer.Option([], "--map", metavar="FIELD=COLUMN", help=_map_help())) -> None:
    """Add reference files to a review; the next `exoreview run` deduplicates and screens them.

    Each file becomes a source of its own ("other methods" in the PRISMA flow), logged like a search.
    """
    from exoreview.imports import detect_format, import_file

    mapping = parse_mapping(map_pairs)
    if mapping:
        for path in files:
            fmt = detect_format(path)
            if fmt != "csv":
                raise click.BadParameter(f"{path.name}: --map applies to CSV files; this file reads as {fmt}",
                                         param_hint="--map")
    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    faults: list[str] = []
    with open_for_writing(folder.store_file, "import") as store:
        run_id = store.start_run("import", protocol.name, protocol.content_hash())
        for path in files:
            try:
                count, errors = import_file(store, path, run_id=run_id, mapping=mapping or None)
            except ValueError as exc:  # e.g. a --map column the file does not have; files before it are kept
                store.finish_run(run_id, "failed")
                raise click.BadParameter(f"{path.name}: {exc}", param_hint="--map" if mapping else "FILES") from exc
            out.print(f"{path.name}: {count} records imported" + (f", {len(errors)} skipped:" if errors else "."),
                      markup=False)
            for problem in errors:
                out.print(f"  {problem}", markup=False)
            if errors:
                faults.append(f"{path.name}: {len(errors)} entries skipped")
            elif not count:
                faults.append(f"{path.name}: no records in the file")
        store.finish_run(run_id, "ok" if not faults else "partial")
    if faults:
        # Bad input exits 2, after everything readable was stored: "; ".join names each file.
        raise BadImport("; ".join(faults) + ". Every readable record was stored; fix the file and import it again")


def print_status(folder: ReviewFolder) -> None:
    protocol = folder.protocol()
    with Store.open(folder.store_file) as store:
        table = Table(title=f"{protocol.name}: {folder.root}")
        table.add_column("what")
        table.add_column("count", justify="right")
        sources: dict[str, int] = {}
        for record_id in store.record_ids():
            source = store.record_source(record_id)
            sources[source] = sources.get(source, 0) + 1
        for source, n in sorted(sources.items()):
            table.add_row(f"records from {source}", str(n))
        table.add_row("duplicates set aside", str(len(store.duplicates())))
        for stage in (TITLE_ABSTRACT, ELIGIBILITY):
            tally: dict[str, int] = {}
            for decision in store.final_decisions(stage).values():
                tally[decision.label] = tally.get(decision.label, 0) + 1
            for label, n in sorted(tally.items()):
                table.add_row(f"{stage}: {label}", str(n))
        runs = store.runs()
        out.print(table)
        if runs:
            last = runs[-1]
            out.print(f"Last run {last['id']} ({last['command']}): {last['status']}, finished {last['finished_at']}")
    if not email_configured():
        console.print("Tip: set EXOREVIEW_EMAIL so NCBI can reach you about heavy use.")
