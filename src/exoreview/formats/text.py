"""Bytes of an export to text: encodings guessed in a fixed order, BOMs and Windows line endings removed.

Reference managers write UTF-8 (with or without a BOM), UTF-16 (EndNote on
Windows, with a BOM), or a Windows code page. We try them in that order and
say which one was used when it was not plain UTF-8, so a reader can check
the accents of an import that needed a guess.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from exoreview.formats.errors import MalformedRecord

_FALLBACKS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte string: the last resort


@dataclass(slots=True)
class DecodedText:
    text: str
    encoding: str
    note: str = ""  # set when the encoding was a guess, e.g. "decoded as cp1252 (not valid UTF-8)"


def decode_bytes(raw: bytes) -> DecodedText:
    """Text with '\\n' line endings; the encoding used and a note when it was not UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return DecodedText(_unify_newlines(raw.decode(encoding)), encoding)
            except UnicodeDecodeError:  # a BOM by chance, or a damaged file: guess as for any other bytes
                break
    for encoding in _FALLBACKS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        note = "" if encoding == "utf-8" else f"decoded as {encoding} (not valid UTF-8); check accented characters"
        return DecodedText(_unify_newlines(text), encoding, note)
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def read_decoded(path: str | Path) -> DecodedText:
    return decode_bytes(Path(path).read_bytes())


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class EntryError(MalformedRecord):
    """A broken entry, named by its 1-based number and its id or title, so a user can find it in the file."""

    def __init__(self, source: str, position: int, reason: str, entry: str = "") -> None:
        self.entry = entry
        super().__init__(source, position, reason)

    def _message(self) -> str:
        reason = " ".join(self.reason.split())
        entry = " ".join(self.entry.split())
        name = f" ({entry[:80]})" if entry else ""
        return f"{self.source}: entry {self.position + 1}{name}: {reason}"

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.source, self.position, self.reason, self.entry))


def is_source_text(source: str | Path) -> bool:
    """Readers take a path or the file's text itself; text has a newline, is long, or opens like JSON/BibTeX."""
    return not isinstance(source, Path) and ("\n" in source or len(source) >= 4096
                                             or source.lstrip().startswith(("[", "{", "@")))


def load_source(source: str | Path, default_label: str, *, label: str = "",
                notes: list[str] | None = None) -> tuple[DecodedText, str]:
    """The text to parse and the label errors name it by (`label`, else the file's name).

    A guessed encoding is noted in `notes`, so the import log says how the file was read.
    """
    if is_source_text(source):
        decoded, name = DecodedText(_unify_newlines(str(source).lstrip("\ufeff")), "str"), default_label
    else:
        decoded, name = read_decoded(source), Path(source).name
    label = label or name
    if decoded.note and notes is not None:
        notes.append(f"{label}: {decoded.note}")
    return decoded, label


def report_entry(error: EntryError, errors: list[MalformedRecord] | None) -> None:
    """Collect a broken entry so the rest of the file imports; without a list to collect into, raise it."""
    if errors is None:
        raise error
    errors.append(error)
