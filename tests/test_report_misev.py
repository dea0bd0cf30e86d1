"""The EV reporting appraisal explained item by item in every report format, each count linked to its records.

The store is `build_review`'s (invented records only) with an appraisal written the way the appraise stage
writes it: one row per item of the built-in instrument, with evidence for reported items, a reason for items
that do not apply, and a score row; one study has only a score row (the checklist did not apply to it).
"""

from __future__ import annotations

import io
import re
import subprocess

import docx
import lxml.html
import pytest

from exoreview.appraise import load_instrument
from exoreview.report.write import write_report
from exoreview.results import NOT_APPLICABLE, NOT_REPORTED, REPORTED, SCORE_ITEM, Evidence, Rating
from exoreview.review import ReviewFolder, init_folder
from exoreview.store import Store
from exoreview.synthesis import Synthesis, build_synthesis
from exoreview.synthesis.tables import excerpt
from tests.report_tools import require_tool
from tests.test_synthesis_prisma import build_review

FORMATS = ("html", "md", "docx", "pdf")
SPUN = "They were spun at 100,000 g."  # p1's isolation label sentence in build_review
LONG = ("In this invented study the vesicles, " + "which were handled with great care and " * 8
        + "kept at -80 °C in PBS, were thawed once.")


def appraise(store: Store, ids: dict[str, int]) -> str:
    """p1 rated on every item of the built-in instrument; h13 only a score row. Returns the instrument name."""
    instrument = load_instrument()
    name = instrument.name
    ratings = []
    for item in instrument.items:
        if item.id == "separation_method":  # evidence that is one of the study's labels
            evidence = Evidence(SPUN, 0, len(SPUN), "abstract", "label:isolation.differential_ultracentrifugation",
                                "spun at 100,000 g")
            ratings.append(Rating(ids["p1"], name, item.id, REPORTED, evidence))
        elif item.id == "storage_conditions":  # a pattern's evidence in a long sentence
            evidence = Evidence(LONG, 0, len(LONG), "abstract", "pattern:storage_conditions", "kept at -80 °C")
            ratings.append(Rating(ids["p1"], name, item.id, REPORTED, evidence))
        elif item.id == "source_conditions":
            ratings.append(Rating(ids["p1"], name, item.id, NOT_APPLICABLE,
                                  detail="applies when vesicles came from cultured cells; no cell source was named"))
        else:
            ratings.append(Rating(ids["p1"], name, item.id, NOT_REPORTED))
    applicable = len(instrument.items) - 1
    ratings.append(Rating(ids["p1"], name, SCORE_ITEM, f"{2 / applicable:.3f}",
                          detail=f"2 of {applicable} applicable items reported"))
    store.replace_appraisals(ids["p1"], ratings)
    store.replace_appraisals(ids["h13"], [Rating(ids["h13"], name, SCORE_ITEM, NOT_APPLICABLE,
                                                 detail="not an EV study: no vesicles named in the title or abstract")])
    return name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReviewFolder, dict[str, int], Synthesis, dict]:
    folder = init_folder(tmp_path_factory.mktemp("misev") / "r")
    store, ids = build_review(folder.store_file, synthetic=True)
    try:
        appraise(store, ids)
    finally:
        store.close()
    with Store.open(folder.store_file) as store:
        synthesis = build_synthesis(store, folder.protocol(), base_dir=folder.root)
    return folder, ids, synthesis, write_report(synthesis, folder.root / "out", formats=FORMATS)


def test_synthesis_reads_each_item_in_instrument_order_with_its_words(built) -> None:
    _, ids, s, _ = built
    instrument = load_instrument()
    a = s.appraisal
    assert a.instrument == instrument.name and a.items == tuple(i.id for i in instrument.items)
    assert [i.text for i in a.item_info] == [" ".join(i.text.split()) for i in instrument.items]
    p1 = a.studies[ids["p1"]]
    assert (p1.met, p1.applicable) == (2, len(instrument.items) - 1) and a.scores[ids["p1"]] == (p1.met, p1.applicable)
    separation = next(r for r in p1.ratings if r.item.id == "separation_method")
    assert separation.label_anchor == f"ev-{ids['p1']}-isolation-differential_ultracentrifugation"
    assert not a.studies[ids["h13"]].appraised and a.not_appraised() == (ids["h13"],)
    assert ids["h13"] not in a.scores
    by_id = {st.record_id: st for st in s.studies}
    assert by_id[ids["p1"]].misev_text == f"2/{len(instrument.items) - 1}"
    assert by_id[ids["h13"]].misev_text == "n/a" and by_id[ids["p2"]].misev_text == "—"
    assert s.link("misev:item:storage_conditions:reported").ids == (ids["p1"],)
    assert s.link("misev:item:source_conditions:not_applicable").ids == (ids["p1"],)
    assert s.link("misev:item:source_conditions:applies").ids == ()
    assert s.link("misev:not_appraised").ids == (ids["h13"],)


def test_html_score_links_to_the_breakdown_item_by_item(built) -> None:
    _, ids, s, paths = built
    doc = lxml.html.fromstring(paths["html"].read_bytes())
    p1 = ids["p1"]
    cells = doc.xpath(f"//table[@class='studies']/tbody/tr[@data-record='{p1}']/td[last()]/a")
    assert cells and all(c.get("href") == f"#misev-{p1}" for c in cells)
    block = doc.get_element_by_id(f"misev-{p1}")
    assert block.getparent().get("id") == f"study-{p1}"  # inside the study's evidence block
    assert block.get("data-score") == cells[0].text_content() == f"2/{len(s.appraisal.items) - 1}"
    rows = block.xpath(".//table[@class='misev-study']/tbody/tr")
    assert [r.get("data-item") for r in rows] == list(s.appraisal.items)
    by_item = {r.get("data-item"): r for r in rows}
    separation = by_item["separation_method"]
    assert separation.get("data-rating") == "reported" and "✓ reported" in separation.text_content()
    assert separation.xpath(".//q/mark/text()") == ["spun at 100,000 g"]
    assert separation.xpath(".//q")[0].text_content() == SPUN
    label_link = separation.xpath(".//span[@class='where']/a/@href")[0]
    assert doc.get_element_by_id(label_link[1:]).get("data-facet") == "isolation"
    assert separation.xpath("th/a/@href") == ["#misev-item-separation_method"]
    assert by_item["storage_conditions"].xpath(".//q")[0].text_content() == LONG  # whole in the HTML
    not_applicable = by_item["source_conditions"]
    assert not_applicable.get("data-rating") == "not_applicable"
    assert "no cell source was named" in not_applicable.text_content()
    assert "✗ not reported" in by_item["purity_ratio"].text_content()
    # The study the checklist does not apply to: "n/a", linked to the reason.
    h13 = ids["h13"]
    na = doc.xpath(f"//table[@class='studies']/tbody/tr[@data-record='{h13}']/td[last()]/a")
    assert na[0].text_content() == "n/a"
    assert "no vesicles named" in doc.get_element_by_id(na[0].get("href")[1:]).text_content()


def test_html_item_summary_counts_link_to_their_records(built) -> None:
    _, ids, s, paths = built
    doc = lxml.html.fromstring(paths["html"].read_bytes())
    rows = doc.xpath("//table[@id='misev-items']/tbody/tr")
    assert [r.get("data-item") for r in rows] == list(s.appraisal.items)
    storage = doc.get_element_by_id("misev-item-storage_conditions")
    assert load_instrument().get("storage_conditions").text.split()[0] in storage.text_content()
    counts = storage.xpath(".//a[@class='count']")
    assert [c.text_content() for c in counts] == ["1", "1", "0"]
    assert storage.xpath("td[contains(@class, 'share')]/text()") == ["100%"]
    for count in counts:
        target = doc.get_element_by_id(count.get("href")[1:])
        listed = [int(i) for i in target.xpath(".//p[@class='ids']/a/text()")]
        assert len(listed) == int(count.text_content()) and set(listed) <= {ids["p1"]}
    assert doc.get_element_by_id("misev-item-source_conditions").xpath("td[contains(@class, 'share')]/text()") == ["—"]


def test_markdown_tables_each_study_item_by_item(built) -> None:
    _, ids, s, paths = built
    text = paths["md"].read_text(encoding="utf-8")
    p1 = ids["p1"]
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert targets <= anchors, sorted(targets - anchors)[:5]
    assert f"[2/{len(s.appraisal.items) - 1}](#misev-{p1})" in text
    block = text[text.index(f'<a id="misev-{p1}"></a>'):]
    block = block[:block.index("\n\n###")]
    assert ("| [Separation method](#misev-item-separation_method) | ✓ reported | “They were **spun at 100,000 g**.”"
            in block)
    assert "| [Purity ratio](#misev-item-purity_ratio) | ✗ not reported | — |" in block
    assert "no cell source was named" in block
    assert f'<a id="misev-{ids["h13"]}"></a>EV reporting' in text and "not appraised, not an EV study" in text
    assert "| <a id=\"misev-item-storage_conditions\"></a>**Storage conditions** `storage_conditions` |" in text


def test_docx_and_pdf_carry_the_appendix(built) -> None:
    require_tool("pdftotext")
    _, _, s, paths = built
    document = docx.Document(io.BytesIO(paths["docx"].read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Appendix: supporting sentences and EV reporting, per study" in headings
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    items = tables["Item"]
    assert [r.cells[0].text for r in items.rows[1:]] == [i.name for i in s.appraisal.item_info]
    breakdown = next(t for head, t in tables.items() if head.startswith("EV reporting item (2 of"))
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in breakdown.rows[1:]}
    assert rows["Separation method"][0] == "✓ reported" and SPUN in rows["Separation method"][1]
    assert rows["Storage conditions"][1].startswith(f"“{excerpt(LONG, 'kept at -80 °C', 180)}”")
    assert "kept at -80 °C" in rows["Storage conditions"][1] and "…" in rows["Storage conditions"][1]
    label_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Label"]
    assert len(label_tables) == sum(1 for st in s.studies if st.labels)
    pdf = " ".join(subprocess.run(["pdftotext", str(paths["pdf"]), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for wanted in ("Appendix: supporting sentences and EV reporting, per study", "EV reporting item (2 of",
                   "Separation method ✓ reported", "not appraised, not an EV study", SPUN):
        assert wanted in pdf, wanted


def test_excerpt_keeps_the_matched_words_and_cuts_at_words() -> None:
    cut = excerpt(LONG, "kept at -80 °C", 120)
    assert "kept at -80 °C" in cut and cut.startswith("…") and len(cut) <= 122
    assert all(word in LONG.split() for word in cut.strip("…").split())
    assert excerpt("Short sentence.", "nothing") == "Short sentence."
    head = excerpt(LONG, "not in it", 60)
    assert head.endswith("…") and LONG.startswith(head[:-1])
