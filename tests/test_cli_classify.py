"""`exoreview classify --input PATH --json` through the real entry point, on real SYNERGY and PubMed files."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest

from exoreview.classify.sentences import field_text
from exoreview.cli.app import main
from exoreview.formats.openalex import iter_synergy
from exoreview.formats.pubmed import iter_pubmed_xml

KEYS = {"id", "subjects", "design", "indications", "ev_sources", "labels", "evidence"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines() if line.strip()]
    return code, rows, " ".join(captured.err.split())  # the console wraps long lines


def _check_evidence(row: dict, record) -> None:
    for facet in ("subjects", "indications", "ev_sources"):
        assert set(row["evidence"][facet]) == set(row[facet]), (row["id"], facet)
    if row["design"]:
        assert set(row["evidence"]["design"]) == {row["design"]}
    for facet, by_class in row["evidence"].items():
        for value, ev in by_class.items():
            assert {"sentence", "start", "end", "field", "method", "match"} <= set(ev), (facet, value)
            if ev["sentence"]:
                assert field_text(record, ev["field"])[ev["start"] : ev["end"]] == ev["sentence"], (facet, value)


def test_synergy_folder(shared, capsys) -> None:
    folder = shared("data", "synergy", "Donners_2021")
    code, rows, err = _run(capsys, "classify", "--input", str(folder), "--json")
    assert code == 0, err
    with (folder / "labels.csv").open(encoding="utf-8-sig", newline="") as handle:
        expected = [row["openalex_id"].rsplit("/", 1)[-1] for row in csv.DictReader(handle)]
    assert [row["id"] for row in rows] == expected
    records = {item.record.openalex_id: item.record for item in iter_synergy(folder)}
    for row in rows:
        assert set(row) >= KEYS and row["id_type"] == "openalex"
        assert set(row["subjects"]) <= {"human", "animal", "in_vitro", "ex_vivo"}
        _check_evidence(row, records[row["id"]])
    # Donners_2021 is about haemophilia treatment: people far more often than animals; reviews study no one.
    assert sum("human" in row["subjects"] for row in rows) > 3 * sum("animal" in row["subjects"] for row in rows)
    reviews = [row for row in rows if row["design"] in ("narrative_review", "systematic_review", "meta_analysis")]
    assert reviews and not any(row["subjects"] for row in reviews)
    assert all(set(row["labels"]) >= {"design"} for row in rows)
    assert "258 records labelled" in err


def test_pubmed_xml(shared, capsys) -> None:
    path = shared("fixtures", "pubmed_xml", "pubmed-29768149.xml")
    code, rows, _ = _run(capsys, "classify", "--input", str(path), "--json")
    assert code == 0
    assert [(row["id"], row["id_type"]) for row in rows] == [("29768149", "pmid")]
    _check_evidence(rows[0], next(iter_pubmed_xml(path)))
    assert set(rows[0]) >= KEYS


def test_pubmed_xml_gz_of_many_records(shared, capsys) -> None:
    path = shared("fixtures", "pubmed_xml", "test_current_medline.xml.gz")
    expected = [r.pmid or r.doi for r in iter_pubmed_xml(path)]
    code, rows, err = _run(capsys, "classify", "--input", str(path), "--json")
    assert code == 0, err
    assert [row["id"] for row in rows] == expected


def test_bad_files_are_named_and_the_others_kept(shared, capsys, tmp_path: Path) -> None:
    good = shared("fixtures", "pubmed_xml", "pubmed-29768149.xml")
    medline = shared("fixtures", "medline", "pubmed_result1.txt")
    shutil.copy(good, tmp_path / "a_good.xml")
    shutil.copy(medline, tmp_path / "b_medline.nbib")
    (tmp_path / "c_broken.xml.gz").write_bytes(gzip.compress(b"<PubmedArticleSet><PubmedArticle><Medline")[:30])
    (tmp_path / "d_mystery.bin").write_bytes(b"\x00\x01 not a reference file")
    code, rows, err = _run(capsys, "classify", "--input", str(tmp_path), "--json")
    assert code == 2
    sources = {row["source"] for row in rows}
    assert {"a_good.xml", "b_medline.nbib"} <= sources
    assert "29768149" in {row["id"] for row in rows}
    assert "c_broken.xml.gz" in err and "d_mystery.bin" in err
    assert "error: skipped" in err


def test_text_output_and_missing_input(shared, capsys, tmp_path: Path) -> None:
    path = shared("fixtures", "pubmed_xml", "pubmed-29768149.xml")
    assert main(["classify", "--input", str(path)]) == 0
    assert capsys.readouterr().out.startswith("29768149: subjects=")
    assert main(["classify", "--input", str(tmp_path / "nothing.xml")]) == 2
    assert "no such file or folder" in " ".join(capsys.readouterr().err.split())


def test_review_folder_behaviour_is_kept(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    capsys.readouterr()
    assert main(["classify", str(folder)]) == 0
    assert "labels on 0 included studies" in capsys.readouterr().out
    assert main(["classify", str(folder), "--json"]) == 2  # --json needs --input


def test_every_facet_is_printed_with_its_evidence(capsys, tmp_path: Path) -> None:
    ris = tmp_path / "one.ris"
    ris.write_text("TY  - JOUR\nTI  - Composed: exosomes after fractional laser for acne scars\n"
                   "AB  - Twenty patients received fractional CO2 laser and topical adipose-derived stem cell "
                   "exosomes isolated by ultracentrifugation and checked for CD63. Scars improved; no adverse "
                   "events occurred.\nPY  - 2022\nDO  - 10.9999/x.1\nER  - \n", encoding="utf-8")
    code, rows, _ = _run(capsys, "classify", "--input", str(ris), "--json")
    assert code == 0
    (row,) = rows
    facets = row["labels"]
    assert set(facets["delivery"]) == {"topical", "fractional_laser"}
    assert facets["safety"] == ["no_adverse_events"] and facets["outcome"] == ["improved"]
    assert facets["isolation"] == ["differential_ultracentrifugation"]
    assert "positive_cd63" in facets["characterization"]
    for facet, values in facets.items():
        key = {"indication": "indications", "ev_source": "ev_sources"}.get(facet, facet)
        assert set(row["evidence"][key]) == set(values), facet
        for evidence in row["evidence"][key].values():
            assert evidence["sentence"], facet
