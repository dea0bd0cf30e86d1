"""Sentence splitting with offsets: every sentence slices back out of its field's text."""

from __future__ import annotations

import pytest

from exoreview.classify.sentences import field_text, list_items, record_sentences, split_sentences
from exoreview.records import AbstractSection, MeshHeading, PublicationType, Record


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def assert_offsets(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vesicles (e.g. ADSC-Exos) were applied. Wrinkles improved.",
            ["Vesicles (e.g. ADSC-Exos) were applied.", "Wrinkles improved."],
        ),
        (
            "As Kim et al. showed, vesicles help. We agree.",
            ["As Kim et al. showed, vesicles help.", "We agree."],
        ),
        (
            "Treated vs. untreated skin differed. It was clear.",
            ["Treated vs. untreated skin differed.", "It was clear."],
        ),
        ("Small vesicles, i.e. exosomes, were used. Then we tested.", ["Small vesicles, i.e. exosomes, were used.",
                                                                        "Then we tested."]),
        ("Size was 1.5 times larger (p < 0.05). Next came TEM.", ["Size was 1.5 times larger (p < 0.05).",
                                                                 "Next came TEM."]),
        ("Particles were seen (Fig. 2). Dose was 1 × 10^9 particles. Done.",
         ["Particles were seen (Fig. 2).", "Dose was 1 × 10^9 particles.", "Done."]),
        ("Vesicles from L. plantarum reduced redness. It was mild.",
         ["Vesicles from L. plantarum reduced redness.", "It was mild."]),
        ("Cells were cultured. hUCMSC-Exos were then added.", ["Cells were cultured.", "hUCMSC-Exos were then added."]),
        ("Does it work? Yes! It does.", ["Does it work?", "Yes!", "It does."]),
        ("Batch No. 3 was used. It passed.", ["Batch No. 3 was used.", "It passed."]),
        ("First line\nsecond line", ["First line", "second line"]),
        ("Dosing was given i.v. daily. Mice survived.", ["Dosing was given i.v. daily.", "Mice survived."]),
        ("  Leading and trailing spaces.  ", ["Leading and trailing spaces."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected
    assert_offsets(text)


def test_offsets_are_shifted_by_the_texts_place_in_its_field() -> None:
    sentences = split_sentences("One. Two.", offset=10, section="RESULTS")
    assert [(s.start, s.end, s.section) for s in sentences] == [(10, 14, "RESULTS"), (15, 19, "RESULTS")]


def record() -> Record:
    return Record(
        title="Exosomes for scars. A pilot study",
        abstract=[
            AbstractSection("Scars are common. Vesicles may help.", "BACKGROUND", "BACKGROUND"),
            AbstractSection("Twelve patients were treated (Fig. 1). Scars flattened.", "RESULTS", "RESULTS"),
            AbstractSection("An unlabelled closing remark."),
        ],
        keywords=["exosomes", " keloid ", "scar"],
        mesh=[MeshHeading("Cicatrix", "D002921"), MeshHeading("Humans", "D006801")],
        publication_types=[PublicationType("Journal Article")],
    )


def test_title_is_one_sentence_even_with_a_period_inside() -> None:
    sentences = [s for field, s in record_sentences(record()) if field == "title"]
    assert [s.text for s in sentences] == ["Exosomes for scars. A pilot study"]


def test_every_record_sentence_slices_back_out_of_its_field() -> None:
    rec = record()
    pairs = record_sentences(rec)
    assert {field for field, _ in pairs} == {"title", "abstract", "keywords"}
    for field_name, sentence in pairs:
        assert field_text(rec, field_name)[sentence.start : sentence.end] == sentence.text


def test_abstract_sentences_carry_their_section_and_skip_its_label() -> None:
    abstract = [(s.text, s.section) for f, s in record_sentences(record()) if f == "abstract"]
    assert abstract == [
        ("Scars are common.", "BACKGROUND"),
        ("Vesicles may help.", "BACKGROUND"),
        ("Twelve patients were treated (Fig. 1).", "RESULTS"),
        ("Scars flattened.", "RESULTS"),
        ("An unlabelled closing remark.", ""),
    ]


def test_keywords_are_sentences_of_the_joined_list() -> None:
    rec = record()
    keywords = [s for f, s in record_sentences(rec) if f == "keywords"]
    assert [s.text for s in keywords] == ["exosomes", "keloid", "scar"]
    assert field_text(rec, "keywords") == "exosomes;  keloid ; scar"


def test_list_items_and_field_text_for_headings() -> None:
    rec = record()
    items = list_items([h.descriptor for h in rec.mesh])
    joined = field_text(rec, "mesh")
    assert [joined[i.start : i.end] for i in items] == ["Cicatrix", "Humans"]
    assert field_text(rec, "publication_types") == "Journal Article"
    with pytest.raises(ValueError, match="unknown field"):
        field_text(rec, "fulltext")
