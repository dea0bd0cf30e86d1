"""CSV tables: columns found by the names reference managers give them, or by an explicit mapping."""

from __future__ import annotations

import csv
import io

import pytest

from exoreview.formats.csv_table import detect_mapping, iter_csv, write_csv
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.names import name_last_first
from exoreview.records import Record
from tests.formats_helpers import synergy_records

# Header rows as each tool writes them, and how it separates authors.
EXPORTS = {
    "rayyan": (["key", "title", "authors", "journal", "issn", "volume", "issue", "pages", "year", "publisher",
                "pubmed_id", "abstract", "doi", "keywords"], " and "),
    "covidence": (["Title", "Authors", "Abstract", "Published Year", "Journal", "Volume", "Issue", "Pages",
                   "Accession Number", "DOI", "Covidence #"], "; "),
    "zotero": (["Key", "Item Type", "Publication Year", "Author", "Title", "Publication Title", "ISSN", "DOI",
                "Abstract Note", "Pages", "Issue", "Volume", "Manual Tags", "Extra"], "; "),
    "endnote": (["Reference Type", "Author", "Year", "Title", "Journal", "Volume", "Issue", "Pages",
                 "Accession Number", "DOI", "Abstract", "Keywords"], "; "),
}


def _cells(record: Record, header: str, separator: str) -> str:
    key = header.lower()
    if "title" in key and "publication" not in key:
        return record.title
    if key in {"authors", "author"}:
        return separator.join(name_last_first(a) for a in record.authors)
    if key in {"journal", "publication title"}:
        return record.journal.title
    if "year" in key:
        return str(record.year or "")
    if key == "doi":
        return record.doi
    if key in {"pubmed_id", "accession number"}:
        return record.pmid
    if key == "extra":
        return f"PMID: {record.pmid}" if record.pmid else ""
    if "abstract" in key:
        return record.abstract_text
    return {"volume": record.journal.volume, "issue": record.journal.issue, "pages": record.journal.pages}.get(key, "")


@pytest.mark.parametrize("tool", sorted(EXPORTS))
def test_exports_of_each_tool_are_read_by_their_header_names(tool: str) -> None:
    header, separator = EXPORTS[tool]
    records = synergy_records("Sep_2021")[:40]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if tool == "endnote" else ",")
    writer.writerow(header)
    for record in records:
        writer.writerow([_cells(record, h, separator) for h in header])
    back = list(iter_csv(buffer.getvalue()))
    assert [(r.title, r.doi, r.year, r.pmid, r.journal.pages) for r in back] == [
        (r.title, r.doi, r.year, r.pmid, r.journal.pages) for r in records]
    assert [[a.last_name for a in r.authors] for r in back] == [[a.last_name for a in r.authors] for r in records]


def test_explicit_mapping_and_semicolons() -> None:
    text = "Nom;Annee;Resume\nExosomes et peau;2021;Un resume.\n"
    [record] = iter_csv(text, mapping={"title": "Nom", "year": "Annee", "abstract": "Resume"})
    assert (record.title, record.year, record.abstract_text) == ("Exosomes et peau", 2021, "Un resume.")
    with pytest.raises(ValueError, match="'Titre'"):
        detect_mapping(["Nom"], {"title": "Titre"})


def test_broken_rows_are_named_and_the_rest_import() -> None:
    text = "id,title,year\nr1,First study,2020\nr2,,2021\nr3,Third, with a stray comma,2022\nr4,Fourth,2023\n"
    errors: list[MalformedRecord] = []
    titles = [r.title for r in iter_csv(text, errors=errors)]
    assert titles == ["First study", "Fourth"]
    assert [str(e) for e in errors] == ["<csv>: entry 2 (r2): neither a title nor a DOI",
                                        "<csv>: entry 3 (r3): 4 cells but 3 columns (an unquoted separator?)"]


def test_round_trip_of_real_records() -> None:
    records = synergy_records("Nelson_2002")
    back = list(iter_csv(write_csv(records)))
    assert [(r.title, r.doi, r.pmid, r.year, r.journal.title, r.keywords) for r in back] == [
        (r.title, r.doi, r.pmid, r.year, r.journal.title, r.keywords) for r in records]
