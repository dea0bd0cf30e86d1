"""The taxonomy's `[taxonomy.report]` layout drives the report: a review on another topic, with facets
of its own, gets its sections, evidence map, tables and challenges with no code change."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.protocol import ProtocolError
from exoreview.protocol.loader import parse_protocol

PRP_PROTOCOL = Path(__file__).parent / "data" / "prp_hair_protocol.toml"

# Two records on platelet-rich plasma for hair loss, in our own words.
RECORDS = """TY  - JOUR
TI  - Double-spin platelet-rich plasma for androgenetic alopecia: a randomized trial
AB  - Forty patients with androgenetic alopecia were randomized to double-spin PRP or saline injections. \
Hair density improved with PRP.
PY  - 2021
ER  -
TY  - JOUR
TI  - Single-spin PRP in alopecia areata: a case series
AB  - We describe a case series of 12 patients with alopecia areata treated with single-spin PRP. \
Regrowth improved in most.
PY  - 2019
ER  -
"""


@pytest.fixture()
def prp_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    review = tmp_path / "prp"
    assert main(["init", str(review)]) == 0
    shutil.copy(PRP_PROTOCOL, review / "protocol.toml")
    records = tmp_path / "records.ris"
    records.write_text(RECORDS, encoding="utf-8")
    assert main(["run", str(review), "--import", str(records)]) == 0
    capsys.readouterr()
    return review


def test_a_review_on_another_topic_gets_a_report_laid_out_by_its_own_facets(prp_review: Path) -> None:
    report = (prp_review / "report.md").read_text(encoding="utf-8")
    assert "## Included studies by condition" in report
    assert "They cover 2 conditions" in report
    assert "Androgenetic alopecia (1 study)" in report and "Alopecia areata (1 study)" in report
    assert "![Evidence map: condition by PRP preparation]" in report
    assert "| Condition | Double-spin preparation | Single-spin preparation |" in report
    assert "- **Preparations**: Double-spin preparation (1)" in report
    assert "the preparation used most often is double-spin preparation (1)" in report
    assert "| Ref. | Study | Design | Participants | Preparation | Outcome |" in report
    assert "- **PRP preparation**: Double-spin preparation (1); Single-spin preparation (1)" in report
    # Nothing of the exosome review's own layout leaks in: no EV source, no MISEV, no vesicle challenges.
    for words in ("EV source", "MISEV", "vesicle", "isolation", "Included studies by indication"):
        assert words not in report, words


def test_every_edition_follows_the_layout_and_drops_what_does_not_apply(prp_review: Path) -> None:
    html = re.sub(r'(?:src|href)="data:[^"]*"', "", (prp_review / "report.html").read_text(encoding="utf-8"))
    document = zipfile.ZipFile(prp_review / "report.docx").read("word/document.xml").decode("utf-8")
    docx = re.sub(r"<[^>]+>", "", document)
    for text in (html, docx):
        assert "Included studies by condition" in text
        assert "PRP preparation" in text
        for words in ("EV source", "MISEV", "EV reporting", "vesicle", "Isolation and characterization"):
            assert words not in text, words
    assert '<th scope="col">Condition</th>' in html
    assert not (prp_review / "figures" / "misev.png").exists()


def test_a_layout_naming_a_facet_the_taxonomy_lacks_is_a_protocol_error_at_its_line() -> None:
    text = PRP_PROTOCOL.read_text(encoding="utf-8").replace('map_columns = "preparation"', 'map_columns = "prep"')
    with pytest.raises(ProtocolError) as raised:
        parse_protocol(text, "prp.toml")
    message = str(raised.value)
    line = 1 + text[:text.index('map_columns = "prep"')].count("\n")
    assert f"prp.toml:{line}: field taxonomy.report.map_columns" in message
    assert "no facet 'prep'" in message and "preparation" in message


def test_the_default_layout_written_out_keeps_the_protocols_hash() -> None:
    text = PRP_PROTOCOL.read_text(encoding="utf-8")
    bare = text[:text.index("[taxonomy.report]")] + text[text.index("[report]"):]
    explicit = bare.replace("[report]", '[taxonomy.report]\ngroup_by = "indication"\n\n[report]', 1)
    assert parse_protocol(explicit).content_hash() == parse_protocol(bare).content_hash()
    assert parse_protocol(text).content_hash() != parse_protocol(bare).content_hash()


def test_protocol_show_says_what_the_report_does_with_each_facet(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["protocol", "show", str(PRP_PROTOCOL)]) == 0
    shown = capsys.readouterr().out
    assert "results grouped by: condition" in shown
    assert "evidence map: condition (rows) by preparation (columns)" in shown
    assert "study table: Design, Participants, Preparation, Outcome" in shown
    assert "EV reporting appraisal (MISEV): no" in shown


def test_a_section_line_counts_one_facet() -> None:
    text = PRP_PROTOCOL.read_text(encoding="utf-8").replace(
        '{ heading = "Preparations", facets = ["preparation"] }',
        '{ heading = "Preparations", facets = ["preparation", "condition"] }')
    with pytest.raises(ProtocolError, match="a section line counts one facet"):
        parse_protocol(text, "prp.toml")
