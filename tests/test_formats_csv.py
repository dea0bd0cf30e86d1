"""CSV tables: columns found by the names reference managers give them, or by an explicit mapping."""

from __future__ import annotations

import csv
import io

import pytest

from exoreview.formats.csv_table import detect_mapping, iter_csv, write_csv
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.names import name_last_first
from exoreview.records import (
    Author,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)
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


# -- what a round trip through CSV used to lose or change -----------------------------------------------------

def _issue_record() -> Record:
    return Record(title="Exosomes for scars", pmid="31", pmcid="PMC7", pub_date=PubDate(2020, 3),
                  authors=[Author("Ben Aouicha", "Mohamed", "M"), Author(collective_name="Movement Disorder Group")],
                  journal=Journal(title="J Skin", issn_print="1234-5678", volume="12", issue="3", pages="45-51"),
                  mesh=[MeshHeading("Exosomes", major=True, qualifiers=[MeshQualifier("metabolism")])],
                  languages=["eng", "por"], publication_types=[PublicationType("Journal Article")])


def test_groups_month_issn_mesh_and_languages_survive() -> None:
    record = _issue_record()
    [back] = iter_csv(write_csv([record]))
    assert back.authors == record.authors
    assert (back.pub_date, back.journal.issn_print, back.mesh, back.languages) == (
        record.pub_date, "1234-5678", record.mesh, ["eng", "por"])


def test_a_lone_group_or_a_surname_of_several_words_is_kept_whole() -> None:
    for author in (Author(collective_name="Society for Skin and Hair"), Author(last_name="Ben Aouicha"),
                   Author("van A", "A A", "AA")):
        [back] = iter_csv(write_csv([Record(title="T", authors=[author])]))
        assert back.authors == [author]


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\")", "+1", "-2 exosomes", "@SUM(A1)", "'=kept", "'plain"])
def test_formula_cells_are_neutralised_and_read_back_as_written(title: str) -> None:
    text = write_csv([Record(title=title, journal=Journal(pages="-5"))])
    row = next(csv.DictReader(io.StringIO(text)))
    assert not row["title"].startswith(("=", "+", "-", "@")) and not row["pages"].startswith("-")
    [back] = iter_csv(text)
    assert (back.title, back.journal.pages) == (title, "-5")


def test_a_quote_never_closed_does_not_merge_rows() -> None:
    errors: list[MalformedRecord] = []
    text = 'title,year\nA,2020\n"B,2021\nC,2022\n'
    assert [r.title for r in iter_csv(text, errors=errors)] == ["A"]
    assert [str(e) for e in errors] == ["<csv>: entry 2 (B,2021 C,2022): a quote opened on line 3 is never closed: "
                                        "lines 3-4 would be read as one row"]
    long = 'title,year\nA,2020\n"B,2021\n' + "".join(f"T{n},2020\n" for n in range(20000))
    errors = []
    assert [r.title for r in iter_csv(long, errors=errors)] == ["A"]
    assert "line 3: not valid CSV (field larger than field limit" in str(errors[0])
