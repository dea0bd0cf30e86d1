"""Facts tables the report prints as given (e.g. regulatory status): sourced, dated, editable TOML files.

A protocol names them in `report.facts`. A path is looked up beside the protocol file first (an
edited copy), then in the built-in protocol pack. Bad entries are errors that name the file,
the entry and the field, because an undated or unsourced "fact" must not reach the report.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from exoreview.protocol.model import ProtocolError

_BUILTIN = "exoreview.protocol.builtin"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED = ("jurisdiction", "authority", "statement", "source", "url", "date")


@dataclass(frozen=True, slots=True)
class Fact:
    jurisdiction: str
    authority: str
    statement: str
    source: str
    url: str
    date: str
    checked: str = ""


@dataclass(frozen=True, slots=True)
class FactsTable:
    name: str  # the reference as the protocol gives it
    title: str
    as_of: str
    scope: str
    entries: tuple[Fact, ...]


def _read(ref: str, base_dir: Path | None) -> tuple[str, str]:
    if base_dir is not None and (base_dir / ref).is_file():
        path = base_dir / ref
        return path.read_text(encoding="utf-8"), str(path)
    resource = resources.files(_BUILTIN).joinpath(*ref.split("/"))
    if resource.is_file():
        return resource.read_text(encoding="utf-8"), f"<builtin {ref}>"
    where = f"{base_dir} nor " if base_dir is not None else ""
    raise ProtocolError(f"report.facts: {ref!r} is neither in {where}the built-in protocol pack")


def load_facts(ref: str, base_dir: Path | None = None) -> FactsTable:
    text, label = _read(ref, base_dir)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{label}: not valid TOML: {exc}") from exc
    as_of = str(data.get("as_of", ""))
    if not _DATE.match(as_of):
        raise ProtocolError(f"{label}: field as_of: needs a date as YYYY-MM-DD, got {as_of!r}")
    entries = []
    for k, entry in enumerate(data.get("entries", []), start=1):
        missing = [f for f in REQUIRED if not str(entry.get(f, "")).strip()]
        if missing:
            raise ProtocolError(f"{label}: entries[{k}]: field {missing[0]} is missing or empty")
        for field in ("date", "checked"):
            if entry.get(field) and not _DATE.match(str(entry[field])):
                raise ProtocolError(f"{label}: entries[{k}]: field {field}: needs YYYY-MM-DD, got {entry[field]!r}")
        if not str(entry["url"]).startswith(("https://", "http://")):
            raise ProtocolError(f"{label}: entries[{k}]: field url: needs an http(s) address")
        entries.append(Fact(*(" ".join(str(entry.get(f, "")).split()) for f in (*REQUIRED, "checked"))))
    return FactsTable(ref, str(data.get("title", "Facts")), as_of, " ".join(str(data.get("scope", "")).split()),
                      tuple(entries))
