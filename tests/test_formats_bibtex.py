"""BibTeX: LaTeX accents, identifiers in their several fields, and a broken entry named while the rest import."""

from __future__ import annotations

from exoreview.formats.bibtex import decode_latex, iter_bibtex, write_bibtex
from exoreview.formats.errors import MalformedRecord
from exoreview.records import Author, MeshHeading, MeshQualifier, PubDate, PublicationType, Record
from tests.formats_helpers import portable, synergy_records

BIB = r"""@article{mueller2020,
  title = {{Exosome} therapy in {M}{\"u}ller's model: 50\% fewer scars},
  author = {M{\"u}ller, J{\"o}rg and van der Berg, Anna and {Skin Study Group}},
  journal = {J Invest Dermatol}, year = {2020}, month = mar, pages = {10--19},
  eprinttype = {pubmed}, eprint = {31234567}, doi = {https://doi.org/10.1000/ABC}
}
@article{broken2021, title = {Never closed,
@inproceedings{ok2019, title = {A conference abstract}, booktitle = {Congress 2019}, year = 2019}
@misc{empty2018, note = {no title}}
"""


def test_latex_is_decoded_but_dashes_are_left_alone() -> None:
    assert decode_latex(r"{\'E}cole \c{c}a \ss{} 10--20 \& \{x\}") == "École ça ß 10--20 & {x}"


def test_fields_and_identifiers_are_read() -> None:
    errors: list[MalformedRecord] = []
    records = list(iter_bibtex(BIB, errors=errors))
    first = records[0]
    assert first.title == "Exosome therapy in Müller's model: 50% fewer scars"
    assert [(a.last_name, a.fore_name) for a in first.authors[:2]] == [("Müller", "Jörg"), ("van der Berg", "Anna")]
    assert first.authors[2].collective_name == "Skin Study Group"
    assert (first.pmid, first.doi, first.year, first.pub_date.month, first.journal.pages) == (
        "31234567", "10.1000/ABC", 2020, 3, "10-19")
    assert records[1].publication_types[0].name == "Congress"


def test_broken_entries_are_named_and_the_rest_import() -> None:
    errors: list[MalformedRecord] = []
    titles = [r.title for r in iter_bibtex(BIB, errors=errors)]
    assert titles[1] == "A conference abstract"
    messages = [str(e) for e in errors]
    assert any("entry 2 (broken2021)" in m for m in messages)
    assert any("entry 4 (empty2018)" in m and "neither a title nor a DOI" in m for m in messages)


def test_real_records_round_trip() -> None:
    records = synergy_records("Sep_2021")
    back = list(iter_bibtex(write_bibtex(records)))
    assert [portable(r) for r in back] == [portable(r) for r in records]


def test_mesh_publication_types_languages_groups_and_backslashes_survive() -> None:
    record = Record(title=r"A \'e {braced} 100% title", pub_date=PubDate(2020, 3, 5), languages=["eng", "por"],
                    authors=[Author(last_name="Ben Aouicha"), Author(collective_name="Movement Disorder Group"),
                             Author("de la Cruz", "Ana", "A")],
                    keywords=["skin, ageing"], mesh=[MeshHeading("Exosomes", major=True,
                                                                 qualifiers=[MeshQualifier("metabolism")])],
                    publication_types=[PublicationType("Journal Article"), PublicationType("Review")])
    [back] = iter_bibtex(write_bibtex([record]))
    assert (back.title, back.authors, back.keywords) == (record.title, record.authors, record.keywords)
    assert (back.mesh, back.publication_types, back.languages, back.pub_date) == (
        record.mesh, record.publication_types, record.languages, record.pub_date)


def test_a_broken_entry_is_reported_once_in_our_words_and_the_parser_stays_quiet(capfd) -> None:  # type: ignore[no-untyped-def]
    errors: list[MalformedRecord] = []
    text = "@article{a,\n title={One},\n author={Smith, A}\n@article{b,\n title={Two}, author={Jones, B}}\n"
    records = list(iter_bibtex(text, errors=errors, label="x.bib"))
    assert [r.title for r in records] == ["Two"]
    assert len(errors) == 1 and "entry 1 (a): not valid BibTeX (from line 1)" in str(errors[0])
    assert "Exception" not in str(errors[0])
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
