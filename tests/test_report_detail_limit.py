"""Past the report's detail limit a study is counted, not shown: every number stays, every link still lands.

A review of 100,000 records includes tens of thousands of studies; printing each one's labels,
sentences and reference, and every id behind every count, makes a page no browser opens. The
synthesis shows the first `detail_limit` studies (and the ones a summary cites) in full, prints the
first ids of each list, and the report writes every list whole to records-behind.csv.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from exoreview.demo.run import run_demo
from exoreview.report.write import write_report
from exoreview.review import ReviewFolder
from exoreview.store import Store
from exoreview.synthesis.build import Synthesis, build_synthesis

pytestmark = pytest.mark.slow
LIMIT = 25
IDS = 30


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Synthesis, Synthesis, Path]]:
    root = tmp_path_factory.mktemp("detail")
    run_demo(root / "demo", records=160)
    folder = ReviewFolder(root / "demo")
    store = Store.open(folder.store_file)
    whole = build_synthesis(store, folder.protocol(), base_dir=folder.root, detail_limit=0, list_limit=0)
    limited = build_synthesis(store, folder.protocol(), base_dir=folder.root, detail_limit=LIMIT, list_limit=IDS)
    write_report(limited, root / "out", formats=("html", "md"))
    yield whole, limited, root / "out"
    store.close()


def test_the_demo_has_more_studies_than_the_limit(built) -> None:
    whole, limited, _ = built
    assert len(whole.studies) > 2 * LIMIT
    assert whole.counted_only == 0 and len(whole.in_full) == len(whole.studies)
    assert limited.counted_only > 0


def test_every_count_is_the_same_with_and_without_the_limit(built) -> None:
    whole, limited, _ = built
    assert [(s.id, s.n, s.summary, s.lines) for s in limited.sections] == [
        (s.id, s.n, s.summary, s.lines) for s in whole.sections]
    assert {k: (v.n, v.ids) for k, v in limited.lists.items()} == {k: (v.n, v.ids) for k, v in whole.lists.items()}
    assert limited.challenges == whole.challenges
    assert len(limited.included_records) == len(whole.included_records)


def test_studies_in_full_are_the_first_references_and_the_ones_summaries_cite(built) -> None:
    _, limited, _ = built
    cited = {int(n) for s in limited.sections for n in _cited_refs(s.summary)}
    in_full = {s.ref for s in limited.in_full}
    assert set(range(1, LIMIT + 1)) <= in_full
    assert cited <= in_full
    assert in_full <= set(range(1, LIMIT + 1)) | cited
    assert [r.number for r in limited.references] == sorted(in_full)


def _cited_refs(summary: str) -> list[str]:
    return re.findall(r"\[(\d+)\]", summary)


def test_the_page_shows_studies_in_full_only_and_says_how_many_more(built) -> None:
    _, limited, out = built
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    for section in limited.sections:
        node = doc.xpath(f"//section[@id='{section.anchor}']")[0]
        rows = node.xpath(".//table[contains(@class, 'studies')]/tbody/tr")
        assert len(rows) == len(section.in_full)
        note = " ".join(node.xpath(".//p[contains(@class, 'counted-only')]//text()"))
        hidden = section.n - len(section.in_full)
        assert (f"{hidden} more" in note) if hidden else not note
    assert len(doc.xpath("//article[contains(@class, 'study')]")) == len(limited.in_full)
    assert len(doc.xpath("//ol[@class='references']/li")) == len(limited.in_full)


def test_every_in_page_link_still_lands(built) -> None:
    _, _, out = built
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    ids = Counter(e.get("id") for e in doc.iter() if e.get("id"))
    links = {a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("#")}
    assert len(links) > 200
    assert not sorted(h for h in links if h[1:] not in ids)


def test_lists_print_their_first_ids_and_the_csv_holds_every_list_whole(built) -> None:
    _, limited, out = built
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    long_lists = [entry for entry in limited.lists.values() if entry.n > IDS]
    assert long_lists
    assert all(entry.shown == entry.ids for entry in limited.lists.values() if entry.n <= IDS)
    for entry in long_lists:
        ids = doc.xpath(f"//section[@id='{entry.anchor}']/p[@class='ids']")[0]
        assert [int(a.text) for a in ids.xpath("a[starts-with(@href, '#rec-')]")] == list(entry.ids[:IDS])
        assert f"and {entry.n - IDS} more" in ids.text_content()
    with (out / "records-behind.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_list: dict[str, list[int]] = {}
    for row in rows:
        by_list.setdefault(row["list"], []).append(int(row["record_id"]))
    assert by_list == {k: list(v.ids) for k, v in limited.lists.items() if v.ids}
    refs = {s.record_id: s.ref for s in limited.studies}
    included = [row for row in rows if row["list"] == "flow:included"]
    assert all(int(row["ref"]) == refs[int(row["record_id"])] for row in included)


def test_exports_are_linked_not_embedded_past_the_limit(built) -> None:
    _, _, out = built
    doc = lxml.html.fromstring((out / "report.html").read_bytes())
    hrefs = {a.get("download"): a.get("href") for a in doc.xpath("//a[@download]")}
    assert hrefs == {"included-studies.ris": "included-studies.ris", "included-studies.bib": "included-studies.bib"}
    assert (out / "included-studies.ris").read_text(encoding="utf-8").count("\nER  -") >= LIMIT * 2


def test_markdown_shows_the_same_studies(built) -> None:
    _, limited, out = built
    text = (out / "report.md").read_text(encoding="utf-8")
    assert text.count('<a id="study-') == len(limited.in_full)
    assert text.count('<a id="ref-') == len(limited.in_full)
    assert "detail limit" in text



def test_the_protocol_sets_the_limits_and_zero_shows_every_study(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo", records=60)
    folder = ReviewFolder(tmp_path / "demo")
    protocol = folder.protocol()
    assert (protocol.report.detail_limit, protocol.report.list_limit) == (500, 100)  # the defaults
    small = protocol.model_copy(update={"report": protocol.report.model_copy(update={"detail_limit": 3,
                                                                                      "list_limit": 2})})
    everything = protocol.model_copy(update={"report": protocol.report.model_copy(update={"detail_limit": 0,
                                                                                           "list_limit": 0})})
    with Store.open(folder.store_file) as store:
        limited, whole = build_synthesis(store, small), build_synthesis(store, everything)
    assert (limited.detail_limit, limited.list_limit) == (3, 2) and limited.counted_only > 0
    assert whole.counted_only == 0 and all(entry.shown == entry.ids for entry in whole.lists.values())
    with pytest.raises(ValueError):
        type(protocol.report).model_validate({"title": "x", "detail_limit": -1})


def test_the_demo_answers_the_same_from_an_on_disk_pubmed_index(tmp_path: Path) -> None:
    """Past PUBMED_ON_DISK_FROM records the demo's PubMed answers from an on-disk index: the same review."""
    from exoreview.demo.run import PUBMED_INDEX_FILE

    in_memory = run_demo(tmp_path / "memory", records=60)
    on_disk = run_demo(tmp_path / "disk", records=60, pubmed_on_disk_from=1)
    assert (tmp_path / "disk" / PUBMED_INDEX_FILE).exists() and not (tmp_path / "memory" / PUBMED_INDEX_FILE).exists()
    for name in ("report.md", "search-log.json"):  # the same, but for the folder an import was read from
        disk = (tmp_path / "disk" / name).read_text(encoding="utf-8").replace("/disk/", "/memory/")
        assert disk == (tmp_path / "memory" / name).read_text(encoding="utf-8"), name
    assert in_memory.summary.included == on_disk.summary.included > 0
