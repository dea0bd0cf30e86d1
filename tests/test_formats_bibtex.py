"""BibTeX: LaTeX accents, identifiers in their several fields, and a broken entry named while the rest import."""

from __future__ import annotations

from exoreview.formats.bibtex import decode_latex, iter_bibtex, write_bibtex
from exoreview.formats.errors import MalformedRecord
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
