"""`exoreview duplicates`: see the merges and the review queue, merge a doubtful pair by hand, undo a merge."""

from __future__ import annotations

from pathlib import Path

import typer

from exoreview.cli.common import out
from exoreview.dedup.stage import review_queue
from exoreview.results import DuplicateLink
from exoreview.review import ReviewFolder
from exoreview.store import Store, StoreError

duplicates_app = typer.Typer(no_args_is_help=True, help="Duplicates: merges, the review queue, manual decisions.")
DirOption = typer.Option(Path("."), "--dir", help="The review folder.")


def _open(directory: Path) -> Store:
    store_file = ReviewFolder(directory).store_file
    if not store_file.exists():
        raise FileNotFoundError(f"{store_file}: no review store here; run `exoreview run` first")
    return Store.open(store_file)


@duplicates_app.command("list")
def list_links(directory: Path = DirOption,
               undone: bool = typer.Option(False, "--undone", help="Include merges a reviewer undid.")) -> None:
    """Every merge: link id, the copy set aside, the record kept, why, and the score."""
    with _open(directory) as store:
        for link in store.duplicates(include_undone=undone):
            state = f" (undone {link.undone_at})" if link.undone_at else ""
            out.print(f"{link.id}: record {link.record_id} -> kept {link.kept_id} [{link.reason}, "
                      f"{link.score:.2f}]{state}", markup=False)


@duplicates_app.command("review")
def review(directory: Path = DirOption) -> None:
    """Pairs too uncertain to merge: decide with `duplicates merge` or leave them apart."""
    with _open(directory) as store:
        pairs = review_queue(store)
        for pair in pairs:
            a, b = store.record(pair.record_id), store.record(pair.other_id)
            out.print(f"{pair.record_id} ~ {pair.other_id} (score {pair.score:.2f}; agree on {pair.reason})",
                      markup=False)
            for record_id, record in ((pair.record_id, a), (pair.other_id, b)):
                out.print(f"  {record_id}: {record.title} | {record.first_author} | {record.year} | "
                          f"{record.journal.title} | {record.doi or record.pmid}", markup=False)
    out.print(f"{len(pairs)} pairs to review.")


@duplicates_app.command("merge")
def merge(record_id: int = typer.Argument(..., help="The copy to set aside."),
          kept_id: int = typer.Argument(..., help="The record that stands for the study."),
          directory: Path = DirOption) -> None:
    """Set a record aside as a copy of another, as a reviewer's decision (undo it with `duplicates undo`)."""
    with _open(directory) as store:
        known = set(store.record_ids())
        missing = [i for i in (record_id, kept_id) if i not in known]
        if missing or record_id == kept_id:
            raise StoreError(f"records {record_id} and {kept_id}: " + (
                f"no record {missing[0]} in this review" if missing else "a record cannot be its own copy"))
        if record_id in {d.record_id for d in store.duplicates()}:
            raise StoreError(f"record {record_id} is already set aside; undo that link first")
        store.add_duplicates([DuplicateLink(record_id=record_id, kept_id=kept_id, reason="reviewer", score=1.0)])
    out.print(f"Record {record_id} set aside as a copy of {kept_id}.")


@duplicates_app.command("undo")
def undo(link_id: int = typer.Argument(..., help="The link id from `duplicates list`."),
         directory: Path = DirOption) -> None:
    """Undo a merge: both records count again, and dedup never links that pair again."""
    with _open(directory) as store:
        if link_id not in {d.id for d in store.duplicates()}:
            raise StoreError(f"no active duplicate link {link_id}; see `exoreview duplicates list`")
        store.undo_duplicate(link_id)
    out.print(f"Link {link_id} undone.")
