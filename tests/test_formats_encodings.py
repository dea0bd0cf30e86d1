"""Exports in Windows code pages, with BOMs, UTF-16 and CRLF line endings import with their accents intact."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from exoreview.formats.bibtex import iter_bibtex
from exoreview.formats.csv_table import iter_csv
from exoreview.formats.ris import iter_ris, write_ris
from exoreview.formats.text import decode_bytes
from exoreview.records import Author, Record

RECORD = Record(title="Exosomes in café-au-lait macules: a naïve approach", authors=[Author("Müller", "Jörg", "J")],
                doi="10.1000/x1")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_ris_in_any_encoding_and_line_ending(tmp_path: Path, encoding: str, newline: str) -> None:
    path = tmp_path / "export.ris"
    path.write_bytes(write_ris([RECORD, RECORD]).replace("\n", newline).encode(encoding))
    notes: list[str] = []
    records = list(iter_ris(path, notes=notes))
    assert [(r.title, r.authors[0].last_name) for r in records] == [(RECORD.title, "Müller")] * 2
    assert bool(notes) == (encoding in {"cp1252", "latin-1"})  # a guess is reported, a BOM or UTF-8 is not
    if notes:
        assert notes[0].startswith("export.ris: decoded as cp1252")


def test_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "rayyan.csv"
    path.write_bytes(codecs.BOM_UTF8 + "title,authors,year\r\n\"Naïve, café\",Müller J,2020\r\n".encode())
    [record] = iter_csv(path)
    assert (record.title, record.authors[0].last_name, record.year) == ("Naïve, café", "Müller", 2020)


def test_bibtex_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_bytes("@article{k, title={Café study}, author={Müller, Jörg}, year={2019}}\n".encode("cp1252"))
    [record] = iter_bibtex(path)
    assert (record.title, record.authors[0].fore_name) == ("Café study", "Jörg")


def test_undecodable_bytes_fall_back_to_latin1() -> None:
    decoded = decode_bytes(b"caf\x81 \x8d")  # bytes cp1252 leaves undefined
    assert decoded.encoding == "latin-1" and decoded.note


def test_a_utf16_bom_on_bytes_that_are_not_utf16_is_a_guess_not_a_crash(tmp_path: Path) -> None:
    damaged = codecs.BOM_UTF16_BE + b"TY  - JOUR\nTI  - Cut\n"  # odd length: not UTF-16
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "cp1252" and decoded.note
    path = tmp_path / "damaged.ris"
    path.write_bytes(damaged)
    errors: list = []
    list(iter_ris(path, errors=errors))  # read as well as it can be, or reported: never a UnicodeDecodeError
