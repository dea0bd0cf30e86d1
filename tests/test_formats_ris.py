"""RIS through rispy: real MEDLINE records and SYNERGY records round-trip; a broken entry is named."""

from __future__ import annotations

from pathlib import Path

from exoreview.formats.errors import MalformedRecord
from exoreview.formats.pubmed import iter_pubmed_xml
from exoreview.formats.ris import iter_ris, write_ris
from exoreview.records import Author, MeshHeading, MeshQualifier, PubDate, PublicationType, Record
from exoreview.store import Store
from tests.formats_helpers import portable, synergy_records


def test_pubmed_records_keep_ids_dates_and_fields(shared) -> None:  # type: ignore[no-untyped-def]
    records = list(iter_pubmed_xml(shared("fixtures", "pubmed_xml", "medline16n0902.xml.gz")))[:300]
    back = list(iter_ris(write_ris(records)))
    assert [(r.pmid, r.pmcid, r.doi, r.pub_date.year, r.pub_date.month) for r in back] == [
        (r.pmid, r.pmcid, r.doi, r.pub_date.year, r.pub_date.month if r.pub_date.year else None) for r in records]
    assert [r.title for r in back] == [" ".join(r.title.split()) for r in records]


def test_synergy_records_round_trip() -> None:
    records = synergy_records("Menon_2022")
    assert [portable(r) for r in iter_ris(write_ris(records))] == [portable(r) for r in records]


def test_broken_entry_is_named_by_number_and_title() -> None:
    text = ("TY  - JOUR\nTI  - First\nER  - \n"
            "TY  - JOUR\nAU  - Nobody, A\nER  - \n"
            "XX  - junk without a type\nTI  - Orphan title\nER  - \n"
            "TY  - JOUR\nTI  - Last\nER  - \n")
    errors: list[MalformedRecord] = []
    assert [r.title for r in iter_ris(text, errors=errors)] == ["First", "Last"]
    assert str(errors[0]) == "<ris>: entry 2: entry has no title (TI or T1) (line 4)"
    assert str(errors[1]) == "<ris>: entry 3 (Orphan title): no 'TY' line opens this entry (line 7)"


MISSING_ER = ("TY  - JOUR\nTI  - First study\nAU  - Smith, Ann\nPY  - 2019\n"
              "TY  - JOUR\nTI  - Second study\nAU  - Ben Aouicha, Mohamed\nPY  - 2021\nER  - \n"
              "TY  - JOUR\nTI  - Third study\nPY  - 2022\nER  - \n")


def test_a_missing_er_line_never_merges_two_records() -> None:
    errors: list[MalformedRecord] = []
    records = list(iter_ris(MISSING_ER, errors=errors))
    assert [(r.title, r.year, [a.last_name for a in r.authors]) for r in records] == [
        ("Second study", 2021, ["Ben Aouicha"]), ("Third study", 2022, [])]
    assert [str(e) for e in errors] == [
        "<ris>: entry 1 (First study): no 'ER' line ends this entry (lines 1-4); line 5 opens the next one with 'TY'"]


def test_a_missing_er_line_is_a_bad_input_on_import(tmp_path: Path) -> None:
    from exoreview.cli.app import main

    (tmp_path / "hand.ris").write_text(MISSING_ER, encoding="utf-8")
    assert main(["init", str(tmp_path / "review")]) == 0
    assert main(["import", str(tmp_path / "hand.ris"), "--dir", str(tmp_path / "review")]) == 2
    with Store.open(tmp_path / "review" / "review.sqlite") as store:
        assert sorted(r.title for _, r in store.iter_records()) == ["Second study", "Third study"]


def test_a_file_cut_before_its_last_er_line_reports_the_entry() -> None:
    errors: list[MalformedRecord] = []
    text = "TY  - JOUR\nTI  - Kept\nER  - \n\n1.\nTY  - JOUR\nTI  - Cut short\n"
    assert [r.title for r in iter_ris(text, errors=errors)] == ["Kept"]
    assert [str(e) for e in errors] == [
        "<ris>: entry 2 (Cut short): the file ends before this entry's 'ER' line (entry opened at line 6)"]


def test_groups_mesh_publication_types_languages_and_the_day_round_trip() -> None:
    record = Record(title="Exosomes", pub_date=PubDate(2020, 3, 5), languages=["eng", "por"],
                    authors=[Author(collective_name="Movement Disorder Group"),
                             Author(last_name="Ben Aouicha", fore_name="Mohamed", initials="M")],
                    mesh=[MeshHeading("Exosomes", major=True, qualifiers=[MeshQualifier("metabolism")]),
                          MeshHeading("Skin", qualifiers=[MeshQualifier("drug effects", major=True)])],
                    publication_types=[PublicationType("Journal Article"), PublicationType("Review")])
    text = write_ris([record])
    assert "AU  - Movement Disorder Group,\n" in text and "MH  - *Exosomes/metabolism\n" in text
    [back] = iter_ris(text)
    assert back.authors == record.authors
    assert (back.mesh, back.publication_types, back.languages, back.pub_date) == (
        record.mesh, record.publication_types, record.languages, record.pub_date)
