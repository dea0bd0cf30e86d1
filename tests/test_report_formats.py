"""All four report formats from one review folder: same store, same bytes; contents a reader checks.

The review store is `build_review`'s (invented records only) plus an invented registered trial and
an appraisal of two studies, so every section of the report has something to show.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import bibtexparser
import docx
import lxml.html
import pytest
import rispy

from exoreview.protocol.model import ProtocolError
from exoreview.records import Record
from exoreview.report.write import write_report
from exoreview.results import NOT_APPLICABLE, NOT_REPORTED, REPORTED, SCORE_ITEM, Rating
from exoreview.review import ReviewFolder, init_folder
from exoreview.store import Store
from exoreview.synthesis import build_synthesis
from exoreview.synthesis.facts import load_facts
from tests.report_tools import require_tool
from tests.test_synthesis_prisma import FINISHED_AT, build_review

FORMATS = ("html", "md", "docx", "pdf")
INSTRUMENT = "exoreview-misev@1"


def make_folder(root: Path, *, synthetic: bool = True) -> tuple[ReviewFolder, dict[str, int]]:
    folder = init_folder(root)
    store, ids = build_review(folder.store_file, synthetic=synthetic)
    try:
        trial = Record(title="Invented trial of a vesicle serum for photoaging", synthetic=True,
                       extra={"nct_id": "NCT99999901", "overall_status": "RECRUITING", "phase": "PHASE2",
                              "conditions": "Photoaging", "enrollment": "40", "start_date": "2024-02"})
        ids["trial"] = store.add_records([trial], source="clinicaltrials")[0]
        store.replace_appraisals(ids["p1"], [
            Rating(ids["p1"], INSTRUMENT, "isolation_method", REPORTED),
            Rating(ids["p1"], INSTRUMENT, "negative_marker", NOT_REPORTED),
            Rating(ids["p1"], INSTRUMENT, "culture_conditions", NOT_APPLICABLE),
            Rating(ids["p1"], INSTRUMENT, SCORE_ITEM, "0.5", detail="1 of 2 applicable items reported"),
        ])
        store.replace_appraisals(ids["p3"], [
            Rating(ids["p3"], INSTRUMENT, "isolation_method", NOT_REPORTED),
            Rating(ids["p3"], INSTRUMENT, "negative_marker", NOT_REPORTED),
            Rating(ids["p3"], INSTRUMENT, "culture_conditions", NOT_REPORTED),
        ])
    finally:
        store.close()
    return folder, ids


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReviewFolder, dict[str, int], dict[str, Path]]:
    folder, ids = make_folder(tmp_path_factory.mktemp("review") / "r")
    with Store.open(folder.store_file) as store:
        synthesis = build_synthesis(store, folder.protocol(), base_dir=folder.root)
    return folder, ids, write_report(synthesis, folder.root / "out", formats=FORMATS)


def test_same_store_same_bytes_in_every_format_and_process(built, tmp_path: Path) -> None:
    folder, _, first = built
    with Store.open(folder.store_file) as store:
        again = write_report(build_synthesis(store, folder.protocol(), base_dir=folder.root), tmp_path / "again",
                             formats=FORMATS)
    # A fresh interpreter: no font registered, no figure cached, another hash seed.
    done = subprocess.run([sys.executable, "-m", "exoreview.cli.app", "report", str(folder.root), "--out",
                           str(tmp_path / "cli"), *(a for f in FORMATS for a in ("--format", f))],
                          capture_output=True, text=True, timeout=300, env={"PYTHONHASHSEED": "7",
                                                                           "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    for fmt in FORMATS:
        assert first[fmt].read_bytes() == again[fmt].read_bytes() == (tmp_path / "cli" / first[fmt].name
                                                                      ).read_bytes(), fmt
    for name in ("figures/prisma.png", "figures/evidence-map.png", "included-studies.ris", "included-studies.bib"):
        assert (first["html"].parent / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_every_count_links_to_the_records_behind_it(built) -> None:
    _, ids, paths = built
    doc = lxml.html.fromstring(paths["html"].read_bytes())
    anchors = {e.get("id") for e in doc.iter() if e.get("id")}
    links = [a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("#")]
    assert len(links) > 100
    assert not [h for h in links if h.removeprefix("#") not in anchors]
    counts = doc.xpath("//a[@class='count']")
    assert len(counts) > 40
    for a in counts:
        target = doc.get_element_by_id(a.get("href")[1:])
        assert target.get("data-list") == a.get("data-list")
        assert int(a.text_content()) == int(target.get("data-count")) == len(target.xpath(".//p[@class='ids']/a"))
    # The PRISMA figure's numbers are links too, and "included" lists exactly the included studies.
    svg_links = {a.get("href") for a in doc.xpath("//svg//a")}
    assert "#n-flow-included" in svg_links and "#n-flow-duplicates" in svg_links
    included = doc.get_element_by_id("n-flow-included").xpath(".//p[@class='ids']/a/text()")
    assert sorted(map(int, included)) == sorted(ids[k] for k in ("p1", "p2", "p3", "p11", "h13"))


def test_prisma_numbers_add_up_and_equal_store_counts(built) -> None:
    folder, _, paths = built
    doc = lxml.html.fromstring(paths["html"].read_bytes())
    boxes = {e.get("data-box"): int(e.get("data-count")) for e in doc.iter() if e.get("data-box")}
    with Store.open(folder.store_file) as store:
        assert boxes["identified"] == store.record_count() == 14
        assert boxes["identified:clinicaltrials"] == 1
        assert boxes["duplicates"] == len({d.record_id for d in store.duplicates()}) == 1
    assert boxes["identified"] == boxes["databases"] + boxes["other_methods"]
    assert boxes["screened"] == boxes["identified"] - boxes["duplicates"] - boxes["awaiting_screening"]
    assert boxes["sought"] == boxes["screened"] - boxes["excluded_screening"]
    assert boxes["assessed"] == boxes["sought"] - boxes["not_retrieved"] - boxes["awaiting_assessment"]
    assert boxes["included"] == boxes["assessed"] - boxes["excluded_eligibility"] == 5
    reasons = [v for k, v in boxes.items() if k.startswith("excluded_screening:")]
    assert sum(reasons) == boxes["excluded_screening"]


def test_sections_challenges_trials_facts_and_misev_in_html(built) -> None:
    _, ids, paths = built
    doc = lxml.html.fromstring(paths["html"].read_bytes())
    text = doc.text_content()
    challenges = {li.get("id"): li for li in doc.xpath("//ul[@class='challenges']/li")}
    assert list(challenges) == ["challenge-isolation", "challenge-negative_marker", "challenge-single_vesicle",
                                "challenge-human_data", "challenge-adverse_events"]
    # Primary studies: the five included, none a review. p1 names an isolation method; p1 studied people.
    assert "1 of 5 (20%) primary studies name how their vesicles were isolated" in text
    assert challenges["challenge-human_data"].get("data-share") == "20%"
    trial = doc.xpath("//table[@class='trials']/tbody/tr")
    assert len(trial) == 1 and "NCT99999901" in trial[0].text_content() and "RECRUITING" in trial[0].text_content()
    assert not trial[0].xpath(".//a[starts-with(@href, 'https://clinicaltrials.gov')]")  # synthetic: not linked
    facts = load_facts("facts/exosome-aesthetics-regulatory.toml")
    assert f"Regulatory status (as of {facts.as_of})" in text
    rows = doc.xpath("//table[@class='facts']/tbody/tr")
    assert len(rows) == len(facts.entries) >= 3
    assert all(row.xpath(".//a[starts-with(@href, 'https://')]") for row in rows)
    misev = {int(r.get("data-record")): r.xpath("td")[-1].text_content() for r in doc.xpath(
        "//table[@class='studies']/tbody/tr")}
    assert misev[ids["p1"]] == "1/2" and misev[ids["p3"]] == "0/3" and misev[ids["p2"]] == "—"
    assert "Studies per number of items reported: 0: 1; 1: 1" in " ".join(text.split())


def test_docx_has_the_sections_tables_and_figures(built) -> None:
    folder, _, paths = built
    document = docx.Document(io.BytesIO(paths["docx"].read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    for wanted in ("Review question", "Methods", "Flow of records (PRISMA 2020)", "Evidence at a glance",
                   "Included studies by indication", "Challenges, counted", "Clinical trials and regulatory status",
                   "References", "Appendix: search log (PRISMA-S)"):
        assert wanted in headings, wanted
    assert document.paragraphs[0].text.startswith("SYNTHETIC DATA: NOT EVIDENCE")
    assert len(document.inline_shapes) == 5
    studies = [t for t in document.tables if t.rows[0].cells[0].text == "Ref."]
    with Store.open(folder.store_file) as store:
        synthesis = build_synthesis(store, folder.protocol(), base_dir=folder.root)
    assert len(studies) == len(synthesis.sections)
    assert [len(t.rows) - 1 for t in studies] == [s.n for s in synthesis.sections]
    assert studies[0].rows[0].cells[-1].text == "MISEV"
    props = document.core_properties
    assert props.created.isoformat().startswith(FINISHED_AT[:19]) and props.modified == props.created


def test_pdf_says_synthetic_on_page_one_and_holds_every_section(built) -> None:
    require_tool("pdftotext")
    _, _, paths = built
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(paths["pdf"]), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "SYNTHETIC DATA: NOT EVIDENCE" in first
    everything = " ".join(subprocess.run(["pdftotext", str(paths["pdf"]), "-"], capture_output=True, text=True,
                                         check=True).stdout.split())
    for wanted in ("Flow of records (PRISMA 2020)", "Evidence map", "Challenges, counted", "Registered trials",
                   "Regulatory status (as of", "References", "PMID: 99000001", "search log (PRISMA-S)"):
        assert wanted in everything, wanted


def test_exports_read_back_in_reference_order(built) -> None:
    _, _, paths = built
    out = paths["html"].parent
    ris = rispy.loads((out / "included-studies.ris").read_text(encoding="utf-8"))
    bib = bibtexparser.parse_string((out / "included-studies.bib").read_text(encoding="utf-8"))
    assert len(ris) == len(bib.entries) == 5
    assert ris[0]["doi"] == "10.99999/invented.1" and bib.entries[0]["doi"] == "10.99999/invented.1"
    assert not bib.failed_blocks


def test_no_registry_no_appraisal_says_so(tmp_path: Path) -> None:
    folder = init_folder(tmp_path / "plain")
    store, _ = build_review(folder.store_file, synthetic=False, synthetic_record=False)
    store.close()
    with Store.open(folder.store_file) as store:
        s = build_synthesis(store, folder.protocol(), base_dir=folder.root)
    paths = write_report(s, tmp_path / "out", formats=("html",))
    text = " ".join(lxml.html.fromstring(paths["html"].read_bytes()).text_content().split())
    assert "does not search a trial registry" in text
    assert "No included study has been appraised for reporting quality yet" in text
    assert s.appraisal is None and not s.trials


def test_edited_facts_beside_the_protocol_win_and_bad_ones_name_the_entry(tmp_path: Path) -> None:
    folder = init_folder(tmp_path / "r")
    facts = folder.root / "facts" / "exosome-aesthetics-regulatory.toml"
    facts.parent.mkdir()
    facts.write_text('title = "Regulatory status"\nas_of = "2030-01-31"\n[[entries]]\njurisdiction = "Nowhere"\n'
                     'authority = "Invented Agency"\nstatement = "An invented statement."\nsource = "Invented"\n'
                     'url = "https://example.invalid/x"\ndate = "2029-12-01"\n', encoding="utf-8")
    table = load_facts("facts/exosome-aesthetics-regulatory.toml", folder.root)
    assert table.as_of == "2030-01-31" and table.entries[0].authority == "Invented Agency"
    facts.write_text(facts.read_text().replace('date = "2029-12-01"\n', ""), encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"regulatory\.toml: entries\[1\]: field date is missing"):
        load_facts("facts/exosome-aesthetics-regulatory.toml", folder.root)
    with pytest.raises(ProtocolError, match="neither in"):
        load_facts("facts/none.toml", folder.root)
