"""The demo's report, link by link: every in-page link lands, every label on its sentence, every score on its items.

The demo builds a whole synthetic review (about 180 included studies, most of them appraised); the
report is parsed with lxml and every claim it links is checked against the review store itself.
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
from exoreview.results import REPORTED, SCORE_ITEM
from exoreview.review import ReviewFolder
from exoreview.store import Store
from exoreview.synthesis.build import LIST_LIMIT

pytestmark = pytest.mark.slow


def _words(text: str) -> str:
    return " ".join(text.split())


class Page:
    """The parsed report with its elements by id (lxml's get_element_by_id scans the whole page per call)."""

    def __init__(self, html: bytes) -> None:
        self.doc = lxml.html.fromstring(html)
        self.ids = Counter(e.get("id") for e in self.doc.iter() if e.get("id"))
        self.by_id = {e.get("id"): e for e in self.doc.iter() if e.get("id")}

    def target(self, href: str) -> lxml.html.HtmlElement:
        return self.by_id[href.removeprefix("#")]

    def xpath(self, path: str) -> list:
        return self.doc.xpath(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Page, Store]]:
    out = tmp_path_factory.mktemp("links") / "demo"
    run_demo(out)
    page = Page((out / "report.html").read_bytes())
    store = Store.open(ReviewFolder(out).store_file)
    yield out, page, store
    store.close()


def test_every_in_page_link_lands_on_an_element(demo) -> None:
    _, page, _ = demo
    ids = page.ids
    assert not [i for i, n in ids.items() if n > 1], "ids used twice"
    links = [a.get("href") for a in page.doc.iter("a") if (a.get("href") or "").startswith("#")]
    links += [a.get("href") for a in page.xpath("//svg//a") if (a.get("href") or "").startswith("#")]
    assert len(links) > 5000
    missing = sorted({h for h in links if h[1:] not in ids})
    assert not missing, missing[:10]


def test_every_label_links_to_its_sentence_in_the_store(demo) -> None:
    _, page, store = demo
    sentences: dict[tuple[int, str, str], str] = {}
    for lab in store.labels():
        if not lab.negated:
            sentences.setdefault((lab.record_id, lab.facet, lab.value), lab.evidence.sentence)
    chips = page.xpath("//a[contains(concat(' ', @class, ' '), ' label ')]")
    assert len(chips) > 500
    for chip in chips:
        record = int(chip.xpath("ancestor::tr[@data-record]/@data-record")[0])
        href = chip.get("href")
        assert href.startswith("#ev-"), href
        target = page.target(href)
        assert target.xpath("ancestor::article/@id") == [f"study-{record}"]
        stored = sentences[(record, chip.get("data-facet"), chip.get("data-value"))]
        assert _words(stored) in _words(target.text_content()), href
        assert _words(target.xpath(".//q[@class='sentence']")[0].text_content()) == _words(stored), href
        assert _words(chip.get("title")) == _words(stored)


def test_every_score_links_to_its_items_and_they_match_the_store(demo) -> None:
    _, page, store = demo
    ratings: dict[int, dict[str, object]] = {}
    for rating in store.appraisals():
        ratings.setdefault(rating.record_id, {})[rating.item] = rating
    scored = page.xpath("//table[@class='studies']/tbody/tr/td[last()]/a[@class='score']")
    assert len(scored) > 100
    for link in scored:
        record = int(link.xpath("ancestor::tr/@data-record")[0])
        block = page.target(link.get("href"))
        assert block.xpath("ancestor::article/@id") == [f"study-{record}"]
        stored = ratings[record]
        if link.text_content() == "n/a":
            assert _words(stored[SCORE_ITEM].detail) in _words(block.text_content())
            continue
        met, applicable = map(int, link.text_content().split("/"))
        assert stored[SCORE_ITEM].detail == f"{met} of {applicable} applicable items reported"
        rows = block.xpath(".//tbody/tr")
        assert [r.get("data-item") for r in rows] == [i for i in stored if i != SCORE_ITEM]
        for row in rows:
            item = stored[row.get("data-item")]
            assert row.get("data-rating") == item.rating
            if item.rating == REPORTED:
                assert _words(row.xpath(".//q")[0].text_content()) == _words(item.evidence.sentence)
                assert _words(item.evidence.match) in _words(" ".join(row.xpath(".//q/mark/text()")))


def _records_behind(out: Path) -> dict[str, list[int]]:
    """Every list whole, from the CSV beside the report (the page prints the first LIST_LIMIT ids of each)."""
    lists: dict[str, list[int]] = {}
    with (out / "records-behind.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lists.setdefault(row["list"], []).append(int(row["record_id"]))
    return lists


def test_item_summary_counts_equal_the_store(demo) -> None:
    out, page, store = demo
    behind = _records_behind(out)
    included = set(behind["flow:included"])
    assert len(included) > LIST_LIMIT  # the demo's list is longer than the page prints
    reported: Counter[str] = Counter()
    applies: Counter[str] = Counter()
    for rating in store.appraisals():
        if rating.record_id in included and rating.item != SCORE_ITEM:
            reported[rating.item] += rating.rating == REPORTED
            applies[rating.item] += rating.rating != "not_applicable"
    rows = page.xpath("//table[@id='misev-items']/tbody/tr")
    assert len(rows) == 18
    for row in rows:
        counts = row.xpath(".//a[@class='count']")
        assert [int(c.text_content()) for c in counts[:2]] == [reported[row.get("data-item")],
                                                              applies[row.get("data-item")]]
        for count in counts:
            target = page.target(count.get("href"))
            shown = [int(i) for i in target.xpath(".//p[@class='ids']/a[starts-with(@href, '#rec-')]/text()")]
            whole = behind.get(target.get("data-list"), [])
            assert len(whole) == int(count.text_content()) and shown == whole[:LIST_LIMIT]


def test_markdown_links_land_too(demo) -> None:
    out, _, _ = demo
    text = (out / "report.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    targets = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(targets) > 2000
    assert not sorted(set(targets) - anchors)[:10]
