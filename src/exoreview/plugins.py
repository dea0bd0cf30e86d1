"""Named plug-ins of one kind (sources, readers, writers, renderers, classifiers), built-in or from other packages.

A registry maps a name (what a protocol, a command option or a file's format calls the plug-in) to
an object. Built-ins register as "module:attribute" references, resolved on first use, so looking a
name up imports only the plug-in asked for. Other packages add theirs without changing exoreview,
through an entry-point group in their `pyproject.toml`, the way ASReview takes readers and models:

    [project.entry-points."exoreview.readers"]
    endnote-xml = "my_package.endnote:READER"

An installed plug-in with the name of a built-in replaces it; a name nothing answers to is a
`BadInput` that lists every known name.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from exoreview.errors import BadInput

T = TypeVar("T")


class UnknownPlugin(BadInput, ValueError, LookupError):
    """No plug-in of this kind answers to the name."""


class Registry(Generic[T]):
    """The plug-ins of one kind, by name, in registration order (built-ins first)."""

    def __init__(self, group: str, kind: str) -> None:
        self.group = group  # the entry-point group other packages register under
        self.kind = kind  # what one plug-in is called in messages: "source", "reader"
        self._entries: dict[str, T | str] = {}
        self._loaded = False

    def register(self, name: str, plugin: T | str) -> None:
        """Add (or replace) `name`: the plug-in itself, or a "module:attribute" reference to it."""
        self._entries[name] = plugin

    def names(self) -> list[str]:
        self._load_entry_points()
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def get(self, name: str) -> T:
        self._load_entry_points()
        if name not in self._entries:
            raise UnknownPlugin(f"unknown {self.kind} {name!r}; known: {', '.join(self._entries)} "
                                f"(other packages add {self.kind}s under the {self.group!r} entry-point group)")
        entry = self._entries[name]
        if isinstance(entry, str):
            entry = self._entries[name] = _resolve(entry)
        return entry

    def items(self) -> Iterator[tuple[str, T]]:
        for name in self.names():
            yield name, self.get(name)

    def _load_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for entry in entry_points(group=self.group):
            self._entries[entry.name] = entry.value  # resolved, like a built-in, when first asked for


def _resolve(reference: str) -> object:
    module, _, attribute = reference.partition(":")
    target: object = importlib.import_module(module)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


# The registries, with the built-ins as references: this module imports no stage, so any stage (and the
# protocol loader, which checks the names a protocol uses) can look names up without import cycles.
# The plug-in types live with their stage: sources.registry.Source, formats.registry.Reader and Writer,
# report.renderers.Renderer, classify.base.Classifier.
SOURCES: Registry = Registry("exoreview.sources", "source")
READERS: Registry = Registry("exoreview.readers", "reader")
WRITERS: Registry = Registry("exoreview.writers", "writer")
RENDERERS: Registry = Registry("exoreview.renderers", "report format")

_BUILT_INS = {
    SOURCES: {"pubmed": "exoreview.sources.builtin:PUBMED", "europepmc": "exoreview.sources.builtin:EUROPEPMC",
              "openalex": "exoreview.sources.builtin:OPENALEX", "ctgov": "exoreview.sources.builtin:CTGOV"},
    READERS: {"ris": "exoreview.formats.ris:READER", "medline": "exoreview.formats.medline:READER",
              "pubmed-xml": "exoreview.formats.pubmed.reader:READER", "bibtex": "exoreview.formats.bibtex:READER",
              "csv": "exoreview.formats.csv_table:READER", "asreview-csv": "exoreview.formats.asreview_csv:READER",
              "csl-json": "exoreview.formats.csljson:READER", "openalex": "exoreview.formats.openalex:READER",
              "synergy": "exoreview.formats.openalex:SYNERGY_READER"},
    WRITERS: {"ris": "exoreview.formats.ris:WRITER", "bibtex": "exoreview.formats.bibtex:WRITER",
              "nbib": "exoreview.formats.medline:WRITER", "csv": "exoreview.formats.csv_table:WRITER",
              "csl-json": "exoreview.formats.csljson:WRITER", "asreview-csv": "exoreview.formats.asreview_csv:WRITER",
              "openalex": "exoreview.formats.openalex:WRITER"},
    RENDERERS: {"html": "exoreview.report.html:RENDERER", "md": "exoreview.report.markdown:RENDERER",
                "docx": "exoreview.report.docx:RENDERER", "pdf": "exoreview.report.pdf:RENDERER"},
}
for _registry, _references in _BUILT_INS.items():
    for _name, _reference in _references.items():
        _registry.register(_name, _reference)

__all__ = ["READERS", "RENDERERS", "SOURCES", "WRITERS", "Registry", "UnknownPlugin"]
