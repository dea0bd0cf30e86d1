"""Two reviewers extract in the browser blind to each other; the owner resolves label and screening
conflicts and builds the report from the app. A real uvicorn server on loopback over a real review
(the layout test's two records, in our own words), driven over HTTP.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from exoreview.results import EXCLUDE, INCLUDE, TITLE_ABSTRACT, Decision
from exoreview.store import Store
from exoreview.store.team import checks
from exoreview.web.owner_pages import REPORT_POLICY
from tests.report_tools import Browser, artifact
from tests.test_report_layout import RECORDS as LAYOUT_RECORDS
from tests.test_web_app import Server, add_accounts, browser_login, prp_review
from tests.test_web_screening import logged_in

RECORD_IDS = {"trial": "randomized trial", "series": "case series"}


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = prp_review(tmp_path_factory.mktemp("extraction"), LAYOUT_RECORDS)  # the layout test's two records
    add_accounts(folder)
    return folder


@pytest.fixture(scope="module")
def server(review: Path) -> Iterator[Server]:
    running = Server(review)
    yield running
    running.close()


def csrf(client: httpx.Client) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)


def record_of(review: Path, which: str) -> int:
    with Store.open(review / "review.sqlite") as store:
        return next(i for i in store.record_ids() if RECORD_IDS[which] in store.record(i).title)


def article(page: str, facet: str, value: str) -> str:
    found = re.search(rf'<article [^>]*data-facet="{facet}" data-value="{value}".*?</article>', page, re.S)
    return found.group(0) if found else ""


def test_two_reviewers_extract_blind_and_the_owner_resolves_what_they_differ_on(server: Server,
                                                                                review: Path) -> None:
    trial = record_of(review, "trial")
    bob, dave, alice = (logged_in(server, n) for n in ("bob", "dave", "alice"))

    def post(client: httpx.Client, **form: str) -> httpx.Response:
        return client.post(f"/studies/{trial}/check", data={"csrf": csrf(client), **form})

    assert article(bob.get(f"/studies/{trial}").text, "design", "rct"), "the machine labels the trial an RCT"
    assert post(bob, facet="design", value="rct", verdict="accepted").status_code == 303
    assert post(bob, facet="preparation", value="double_spin", verdict="accepted").status_code == 303
    assert post(bob, facet="condition", value="alopecia_areata", verdict="added",
                words="Hair density improved").status_code == 303
    assert post(dave, facet="design", value="rct", verdict="rejected").status_code == 303
    assert post(dave, facet="preparation", value="double_spin", verdict="accepted").status_code == 303
    assert post(dave, facet="condition", value="androgenetic_alopecia", verdict="accepted").status_code == 303

    # Blind to each other: dave sees his own verdicts, never bob's, nor the label bob added.
    page = dave.get(f"/studies/{trial}").text
    assert "You rejected it" in article(page, "design", "rct") and "bob" not in page.split("</header>", 1)[1]
    assert not article(page, "condition", "alopecia_areata")

    dashboard = alice.get("/").text
    assert 'data-disputed="2"' in dashboard  # the RCT label, and the label bob added where dave saw none
    assert re.search(r'data-pair="bob\+dave" data-facet="preparation" data-kappa=""', dashboard)
    bobs = bob.get("/").text  # blind extraction: bob's counts are his own checks, no agreement, no conflicts
    assert 'id="own-checks"' in bobs and "data-disputed" not in bobs and "data-pair" not in bobs
    assert "/conflicts" not in bobs and re.search(r'data-checked="2" data-machine="\d+"', bobs)
    refused = post(dave, facet="condition", value="alopecia_areata", verdict="accepted")  # bob's, unseen
    assert refused.status_code == 400 and "add it with the words" in refused.text
    conflicts = alice.get("/conflicts").text
    assert 'id="label-count" data-open="2"' in conflicts and "dave not added" in conflicts
    owner_page = alice.get(f"/studies/{trial}").text
    rct = article(owner_page, "design", "rct")
    assert 'data-conflict="1"' in rct and 'data-reviewer="bob" data-verdict="accepted"' in rct
    assert 'data-reviewer="dave" data-verdict="rejected"' in rct
    assert "Accepted by bob and dave" in article(owner_page, "preparation", "double_spin")  # both, not the last

    refused = bob.post(f"/studies/{trial}/resolve", data={"csrf": csrf(bob), "facet": "design", "value": "rct",
                                                          "keep": "1"})
    assert refused.status_code == 403 and bob.get("/conflicts").status_code == 403
    for value, facet, keep in (("rct", "design", "1"), ("alopecia_areata", "condition", "0")):
        answer = alice.post(f"/studies/{trial}/resolve", data={"csrf": csrf(alice), "facet": facet, "value": value,
                                                               "keep": keep})
        assert answer.status_code == 303
    again = alice.post(f"/studies/{trial}/resolve", data={"csrf": csrf(alice), "facet": "preparation",
                                                          "value": "double_spin", "keep": "1"})
    assert again.status_code == 400 and "nothing to resolve" in again.text  # they agreed on it
    assert 'data-disputed="0"' in alice.get("/").text
    with Store.open(review / "review.sqlite") as store:
        resolutions = [(c.facet, c.value, c.verdict) for c in checks(store) if c.resolves]
    assert resolutions == [("design", "rct", "accepted"), ("condition", "alopecia_areata", "rejected")]
    assert "Accepted by alice" in article(alice.get(f"/studies/{trial}").text, "design", "rct")


def test_the_owner_resolves_a_screening_conflict_and_builds_the_report(server: Server, review: Path) -> None:
    series = record_of(review, "series")
    with Store.open(review / "review.sqlite") as store:
        store.add_decisions([Decision(series, TITLE_ABSTRACT, INCLUDE, "bob"),
                             Decision(series, TITLE_ABSTRACT, EXCLUDE, "dave", "E1")])
    alice, carol = logged_in(server, "alice"), logged_in(server, "carol")
    # Until the conflict is resolved the record is not an included study: its labels are not checked.
    waiting = alice.post(f"/studies/{series}/check", data={"csrf": csrf(alice), "facet": "design",
                                                            "value": "case_series", "verdict": "accepted"})
    assert waiting.status_code == 409 and "not an included study" in waiting.text
    page = alice.get("/conflicts").text
    assert f'data-record="{series}" data-stage="{TITLE_ABSTRACT}"' in page
    wrong = alice.post("/screen/resolve", data={"csrf": csrf(alice), "stage": TITLE_ABSTRACT,
                                                "record_id": str(series), "label": EXCLUDE, "reason": "nonsense"})
    assert wrong.status_code == 400 and "reasons" in wrong.text
    undecided = alice.post("/screen/resolve", data={"csrf": csrf(alice), "stage": TITLE_ABSTRACT,
                                                    "record_id": str(series), "label": "maybe"})
    assert undecided.status_code == 400 and "include or exclude" in undecided.text  # a resolution decides
    answer = alice.post("/screen/resolve", data={"csrf": csrf(alice), "stage": TITLE_ABSTRACT,
                                                 "record_id": str(series), "label": INCLUDE})
    assert answer.status_code == 303
    assert 'id="screening-count" data-open="0"' in alice.get("/conflicts").text
    dashboard = alice.get("/").text  # each screener's estimated recall and the stopping rule's signal
    assert re.search(r'<tr data-reviewer="dave">.*?<td class="recall" data-stop="0">\d+% \(95% interval from \d+%\); '
                     r'keep screening</td>', dashboard, re.S)
    assert re.search(r'id="last-search" data-added="2">Last search: an import of records.ris, ', dashboard)
    with Store.open(review / "review.sqlite") as store:
        [settled] = [d for d in store.decisions(TITLE_ABSTRACT, reviewer="consensus")]
    assert settled.label == INCLUDE and settled.note == "resolved by alice in the browser"

    assert carol.post("/report", data={"csrf": csrf(carol)}).status_code == 403  # a viewer builds nothing
    built = alice.post("/report", data={"csrf": csrf(alice)})
    assert built.status_code == 303 and built.headers["location"] == "/report"
    report = carol.get("/report")
    assert report.status_code == 200 and report.headers["content-security-policy"] == REPORT_POLICY
    assert "<script" not in report.text and "machine labels" in report.text
    assert (review / "report.html").read_bytes() == report.content
    for name in ("records-behind.csv", "included-studies.ris", "included-studies.bib"):  # linked beside the page
        answer = carol.get(f"/{name}")
        assert answer.status_code == 200 and answer.content == (review / name).read_bytes(), name
    assert carol.get("/review.sqlite").status_code == 404  # only the report's own files
    assert alice.get("/records-behind.csv").text.startswith("list,record_id,ref\n")


def test_the_owner_watches_resolves_and_reports_in_chromium(server: Server, review: Path, tmp_path: Path) -> None:
    trial = record_of(review, "trial")
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Runtime.enable")
        browser_login(browser, server, "alice")
        browser.evaluate("window.samepage = true")  # gone if the page were loaded again
        assert browser.evaluate("document.querySelector('tr[data-reviewer=\"erin\"]')") is None
        with Store.open(review / "review.sqlite") as store:  # two people screen from the terminal meanwhile
            store.add_decisions([Decision(trial, TITLE_ABSTRACT, INCLUDE, "erin"),
                                 Decision(trial, TITLE_ABSTRACT, EXCLUDE, "frank", "E1")])
        deadline = time.monotonic() + 30
        while not browser.evaluate("!!document.querySelector('tr[data-reviewer=\"erin\"] td[data-decided=\"1\"]')"):
            assert time.monotonic() < deadline, "the live dashboard did not show erin's decision"
            time.sleep(0.5)
        assert browser.evaluate("window.samepage") is True
        browser.screenshot(artifact("web-dashboard-live.png"))

        browser.open(f"{server.url}/conflicts", 390, 844, mobile=True)
        browser.screenshot(artifact("web-conflicts-phone.png"))
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        browser.open(f"{server.url}/conflicts", 1280, 900, mobile=False)
        browser.screenshot(artifact("web-conflicts-desktop.png"))
        unlabeled = browser.evaluate(
            "[...document.querySelectorAll('input:not([type=hidden]), select')]"
            ".filter(e => !document.querySelector(`label[for='${e.id}']`)).length"
            " + [...document.querySelectorAll('button')].filter(b => !b.textContent.trim()).length")
        assert unlabeled == 0
        button = f"article[data-record=\"{trial}\"][data-stage=\"{TITLE_ABSTRACT}\"] button[value=\"include\"]"
        browser.call("Runtime.evaluate", {"expression": f"document.querySelector('{button}').click()"},
                     wait_event="Page.loadEventFired")
        assert browser.evaluate(f"document.querySelector('{button}')") is None  # resolved: gone from the list

        # Correct the machine: reject a label, then add one by selecting the words that state it.
        series = record_of(review, "series")
        browser.open(f"{server.url}/studies/{series}", 1280, 900, mobile=False)
        reject = browser.evaluate("(() => { const b = document.querySelector('article[data-facet=\"design\"] "
                                  "button[value=\"rejected\"]'); return b ? b.getAttribute('aria-label') : ''; })()")
        assert reject, "the case series has a design label to check"
        browser.call("Runtime.evaluate", {"expression": "document.querySelector('article[data-facet=\"design\"] "
                                                        "button[value=\"rejected\"]').click()"},
                     wait_event="Page.loadEventFired")
        browser.evaluate("(() => { const a = document.getElementById('abstract'); const r = document.createRange();"
                         " const t = a.firstChild; const i = t.textContent.indexOf('alopecia areata');"
                         " r.setStart(t, i); r.setEnd(t, i + 15); const s = window.getSelection();"
                         " s.removeAllRanges(); s.addRange(r);"
                         " a.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); })()")
        assert browser.evaluate("document.getElementById('add-words').value") == "alopecia areata"
        browser.evaluate("document.getElementById('add-facet').value = 'condition';"
                         "document.getElementById('add-facet').dispatchEvent(new Event('change'));"
                         "document.getElementById('add-value').value = 'alopecia_areata'")
        browser.call("Runtime.evaluate", {"expression": "document.querySelector('form.add button').click()"},
                     wait_event="Page.loadEventFired")
        browser.screenshot(artifact("web-study-corrected.png"))

        browser.open(f"{server.url}/", 1280, 900, mobile=False)
        browser.call("Runtime.evaluate", {"expression": "document.querySelector('form.build-report button').click()"},
                     wait_event="Page.loadEventFired")
        assert browser.evaluate("location.pathname") == "/report"
        assert browser.evaluate("document.images.length") > 0 and browser.evaluate(
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)")  # inlined figures load
        browser.screenshot(artifact("web-report-desktop.png"))
    finally:
        browser.close()
    with Store.open(review / "review.sqlite") as store:
        assert [d.label for d in store.decisions(TITLE_ABSTRACT, reviewer="consensus", record_id=trial)] == [INCLUDE]
        mine = [(c.facet, c.verdict, c.evidence.field_name if c.evidence else "") for c in checks(store, series)
                if c.reviewer == "alice"]
    # the words selected in the abstract stand on the abstract's sentence, though the title holds them too
    assert ("design", "rejected", "") in mine and ("condition", "added", "abstract") in mine
    kinds = {e["method"] for e in browser.events}
    assert "Runtime.exceptionThrown" not in kinds
    errors = [e for e in browser.events if e["method"] == "Runtime.consoleAPICalled"
              and e["params"].get("type") == "error"]
    assert not errors, errors


def test_demo_serve_opens_the_demo_review_with_accounts_to_log_in_with(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = subprocess.Popen([sys.executable, "-m", "exoreview.cli.app", "demo", "--out", str(tmp_path / "demo"),
                             "--serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        assert demo.stdout is not None
        printed = []
        for line in demo.stdout:
            printed.append(line)
            if line.startswith("Serving "):
                break
        accounts = dict(re.findall(r"Account (\w+) \(\w+\), password (\S+)", "".join(printed)))
        assert set(accounts) == {"owner", "reviewer1", "reviewer2"}, "".join(printed)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = client.post("/login", data={"name": "owner", "password": accounts["owner"]})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert answer.status_code == 303
        dashboard = client.get("/").text
        assert 'data-box="Studies included"' in dashboard
        assert re.search(r'id="last-search" data-added="\d+">Last search: an? ', dashboard)
        box = {name: int(n) for n, name in re.findall(r'data-box="[^"]+"><span class="n">(\d+)</span> ([^<]+)</li>',
                                                      dashboard)}
        # The PRISMA boxes add up, step to step, as the PRISMA 2020 diagram does.
        assert box["Records screened"] - box["Excluded at screening"] == box["Reports sought"]
        assert box["Reports sought"] - box["Reports not retrieved"] - box["Awaiting full text or assessment"] \
            == box["Reports assessed"]
        assert box["Reports assessed"] - box["Excluded at eligibility"] == box["Studies included"]
        assert client.get("/studies").text.count('href="/studies/') > 10  # the demo's included studies
    finally:
        demo.terminate()
        demo.wait(timeout=30)
