"""Reference-file formats as plug-ins: a reader per format `import` understands, a writer per format `export` writes.

Built-in formats register by reference ("module:READER", in `exoreview.plugins`), so naming one
imports only its module. Another package adds a format with an entry point in the `exoreview.readers` or
`exoreview.writers` group naming a `Reader` or `Writer` (docs/architecture.md has a worked example).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exoreview import plugins
from exoreview.formats.errors import MalformedRecord
from exoreview.plugins import Registry
from exoreview.records import Record


@dataclass(slots=True)
class ReadOptions:
    """What a reader gets besides the path: where to report skipped entries, notes, a CSV column mapping."""

    errors: list[MalformedRecord] = field(default_factory=list)
    notes: list[str] | None = None  # encoding guesses and other remarks for the import log
    mapping: dict[str, str] | None = None  # field -> column header, for tables


@dataclass(frozen=True, slots=True)
class Reader:
    """Reads every record of one file; a broken entry goes to `options.errors`, never into a record.

    `endings`: file-name endings that name the format on their own (".endnote.xml"); files they do
    not settle are told apart by the built-in formats' first bytes.
    """

    read: Callable[[Path, ReadOptions], list[Record]]
    endings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Writer:
    """Writes records as one file's text; `labels` are the screening decisions, for formats that carry them."""

    write: Callable[[Sequence[Record], Sequence[bool | None] | None], str]
    ending: str  # the default file name's ending: one per format, so two exports never overwrite each other


READERS: Registry[Reader] = plugins.READERS  # built-ins: exoreview.plugins
WRITERS: Registry[Writer] = plugins.WRITERS

__all__ = ["READERS", "WRITERS", "ReadOptions", "Reader", "Writer"]
