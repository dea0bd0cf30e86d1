"""ASReview CSV: SYNERGY labels survive a round trip; ASReview's export shape (`included`, empty = unlabelled) reads."""

from __future__ import annotations

from exoreview.formats.asreview_csv import (
    DATASET_LABEL,
    iter_asreview_csv,
    parse_label,
    write_asreview_csv,
)
from exoreview.formats.csv_table import iter_csv
from exoreview.formats.openalex import iter_synergy
from exoreview.records import Journal, Record


def test_synergy_labels_round_trip(shared) -> None:  # type: ignore[no-untyped-def]
    rows = list(iter_synergy(shared("data", "synergy", "Donners_2021")))
    text = write_asreview_csv([r.record for r in rows], [r.included for r in rows], label_column=DATASET_LABEL)
    header = text.splitlines()[0]
    assert header.startswith("record_id,title,abstract,authors,keywords,doi,year,journal,pmid,")
    assert header.endswith(",label_included")
    back = list(iter_asreview_csv(text))
    assert [b.included for b in back] == [r.included for r in rows]
    assert [b.record_id for b in back] == [str(n) for n in range(len(rows))]
    assert [(b.record.title, b.record.doi) for b in back] == [(r.record.title, r.record.doi) for r in rows]


def test_export_shape_with_unlabelled_rows_and_its_own_ids() -> None:
    text = ("record_id,title,abstract,included\n"
            "17,Exosomes for acne scars,An abstract.,1\n"
            "18,Microneedling alone,Another.,0\n"
            "19,Not yet screened,,\n")
    rows = list(iter_asreview_csv(text))
    assert [(r.record_id, r.included) for r in rows] == [("17", True), ("18", False), ("19", None)]
    rewritten = write_asreview_csv([r.record for r in rows], [r.included for r in rows])
    assert rewritten.splitlines()[1].startswith("17,Exosomes for acne scars")
    assert rewritten.splitlines()[3].endswith(",")


def test_it_is_also_a_plain_csv_table() -> None:
    text = write_asreview_csv([r for r in iter_csv("title,year\nA study of skin,2020\n")], [True])
    [record] = iter_csv(text)
    assert (record.title, record.year) == ("A study of skin", 2020)


def test_label_spellings() -> None:
    assert [parse_label(v) for v in ("1", "yes", "Included", "0", "exclude", "", "maybe")] == [
        True, True, True, False, False, None, None]


def test_journal_details_and_pmcid_survive_and_formulas_are_neutralised() -> None:
    record = Record(title="=cmd|' /C calc'!A0", pmcid="PMC9", journal=Journal(volume="12", issue="3", pages="45-51"))
    text = write_asreview_csv([record], [None])
    assert ",'=cmd|" in text.splitlines()[1]
    [row] = iter_asreview_csv(text)
    assert (row.record.title, row.record.pmcid, row.record.journal.volume, row.record.journal.issue,
            row.record.journal.pages, row.included) == (record.title, "PMC9", "12", "3", "45-51", None)
