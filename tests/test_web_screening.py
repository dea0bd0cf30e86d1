"""Screening in the browser: a real uvicorn server on loopback over a real review, driven by httpx and Chromium.

The review is ours: sixteen records on platelet-rich plasma and hair loss (and some that are not),
written for these tests, one with a hostile title; the rules stage has screened them as `exoreview
run` would, so some reports wait for their full text. The protocol screens blind.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from exoreview.cli.app import main
from exoreview.protocol import load_protocol
from exoreview.records import AbstractSection, Author, Journal, PubDate, Record
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, MAYBE, TITLE_ABSTRACT, Decision
from exoreview.screen.fulltext import awaiting_retrieval
from exoreview.screen.session import Collection, Ranking, ScreeningSession
from exoreview.screen.stage import screen_records
from exoreview.screen.terminal import run_screener
from exoreview.store import Store
from exoreview.store.team import add_user, unblinding
from exoreview.web.screening import LiveScreening
from tests.report_tools import Browser, artifact
from tests.test_report_layout import PRP_PROTOCOL
from tests.test_web_app import Server, browser_login

HOSTILE = '<script>alert("t")</script><img src=x onerror=alert("i")>'
PASSWORDS = {"alice": ("owner", "alice-password"), "bob": ("reviewer", "bob-password"),
             "carol": ("viewer", "carol-password"), "dave": ("reviewer", "dave-password"),
             "erin": ("reviewer", "erin-password"), "frank": ("reviewer", "frank-password")}
# What the protocol adds to the test taxonomy: search terms (highlighted), reasons, full text, blind screening.
SCREENING = """
[[sources]]
name = "pubmed"

  [[sources.blocks]]
  name = "platelet-rich plasma"
  tiab = ["platelet-rich plasma", "PRP"]

  [[sources.blocks]]
  name = "hair loss"
  tiab = ["alopecia", "hair loss", "hair density"]

[[exclude]]
id = "E1"
text = "Not about platelet-rich plasma."
stage = "title_abstract"
unless_any = ["platelet[- ]rich", "(?-i:\\\\bPRP\\\\b)"]

[[exclude]]
id = "E3"
text = "Retraction notice or erratum."
stage = "title_abstract"
title_any = ["^\\\\W*(?:retraction|erratum)\\\\b"]

[[exclude]]
id = "NR"
text = "Report not retrieved."
stage = "eligibility"
requires_full_text = true

[[exclude]]
id = "E4"
text = "Full text not in English."
stage = "eligibility"
languages = ["eng"]

[screening]
reviewer = "rules:prp-hair"
seed = 1
blind = true

"""
# (title, abstract), in our own words. The hostile record names the most search terms, so it comes first.
PAPERS = [
    (f"Platelet-rich plasma (PRP) for alopecia and hair loss {HOSTILE}",
     "PRP injections for androgenetic alopecia raised hair density; hair loss slowed in 30 patients."),
    ("Double-spin platelet-rich plasma in androgenetic alopecia: a randomized trial",
     "Forty men received PRP or saline; hair density rose with PRP at six months."),
    ("Platelet-rich plasma for alopecia areata: a case series",
     "Twelve patients with patchy alopecia areata were treated with PRP; regrowth was seen in nine."),
    ("PRP with minoxidil versus minoxidil alone for female pattern hair loss",
     "Women with hair loss were randomized; the PRP group gained more hair density."),
    ("Activated and non-activated platelet-rich plasma in hair loss",
     "A split-scalp comparison of PRP preparations in androgenetic alopecia."),
    ("Platelet-rich plasma for chronic telogen effluvium",
     "An open study of PRP injections; shedding decreased in most of the 25 women."),
    ("Long-term follow-up of PRP for androgenetic alopecia",
     "Patients treated with PRP were followed for two years; hair density effects waned without boosters."),
    ("Microneedling with platelet-rich plasma in alopecia",
     "Microneedling combined with PRP improved hair counts more than microneedling alone."),
    ("Erratum: platelet-rich plasma in alopecia",
     "A correction to the dosing table of an earlier PRP trial."),
    ("Platelet-rich plasma in knee osteoarthritis",
     "Intra-articular PRP reduced knee pain compared with hyaluronic acid at one year."),
    ("Platelet-rich plasma for lateral epicondylitis",
     "Tennis elbow treated with PRP or corticosteroid; PRP patients had less pain at six months."),
    ("Hyaluronic acid fillers for nasolabial folds",
     "A comparison of two fillers in 60 adults; both lasted about nine months."),
    ("Topical finasteride in male androgenetic alopecia",
     "A randomized trial of topical finasteride; hair counts improved over placebo."),
    ("Vitamin D levels in patients with alopecia areata",
     "Serum vitamin D was lower in alopecia areata than in controls."),
    ("Low-level laser therapy for hair loss: a sham-controlled trial",
     "Laser helmets increased hair density modestly compared with sham devices."),
    ("Botulinum toxin for masseter hypertrophy",
     "Injections narrowed the lower face in 40 patients with few side effects."),
]


def papers() -> list[Record]:
    return [Record(pmid=str(40_000_000 + n), doi=f"10.5555/web.{n}", title=title,
                   abstract=[AbstractSection(text)], authors=[Author("Tester", "Ann", "A")],
                   journal=Journal("Journal of Test Dermatology"), pub_date=PubDate(2020 + n % 4),
                   languages=["eng"]) for n, (title, text) in enumerate(PAPERS)]


class TimedBrowser(Browser):
    """The report tests' Chromium, with a deadline on every answer: a key that fails to navigate fails the test."""

    read_timeout = 20.0


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-screening") / "review"
    assert main(["init", str(folder)]) == 0
    text = PRP_PROTOCOL.read_text(encoding="utf-8").replace("[taxonomy]\n", SCREENING + "[taxonomy]\n", 1)
    (folder / "protocol.toml").write_text(text, encoding="utf-8")
    protocol = load_protocol(folder / "protocol.toml")
    with Store.open(folder / "review.sqlite") as store:
        store.add_records(papers(), source="import")
        screen_records(store, protocol)  # the rules' pass: imported references wait for their full text
        # A later search found the PMC copy of one waiting report: the full-text page links to it.
        waiting = store.record(awaiting_retrieval(store)[-1])
        waiting.pmcid = "PMC9999999"
        store.add_records([waiting], source="import")
        for name, (role, password) in PASSWORDS.items():
            add_user(store, name, role, password)
    return folder


@pytest.fixture(scope="module")
def server(review: Path) -> Iterator[Server]:
    running = Server(review)
    yield running
    running.close()


def logged_in(server: Server, name: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=20)
    answer = client.post("/login", data={"name": name, "password": PASSWORDS[name][1]})
    assert answer.status_code == 303
    return client


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def ready_page(client: httpx.Client, path: str) -> httpx.Response:
    """The page once the reviewer's queue is built: a page asked for while it is still being built ("being
    prepared", reloading itself) is asked for again, as the browser would; on a busy machine the build of
    the collection's features can outlast the page's own wait."""
    deadline = time.monotonic() + 60
    while True:
        page = client.get(path)
        preparing = page.status_code == 503 or 'http-equiv="refresh"' in page.text  # the page reloads itself
        if not preparing or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def current_record(client: httpx.Client, path: str = "/screen") -> int:
    found = re.search(r'name="record_id" value="(\d+)"', ready_page(client, path).text)
    assert found, f"no record on {path}"
    return int(found.group(1))


def rows(review: Path, reviewer: str, stage: str = TITLE_ABSTRACT) -> list[Decision]:
    with Store.open(review / "review.sqlite") as store:
        return store.decisions(stage, reviewer=reviewer, history=True, include_undone=True)


POSTS = {"/screen/decide": {"stage": TITLE_ABSTRACT, "record_id": "1", "label": INCLUDE},
         "/screen/undo": {"stage": TITLE_ABSTRACT}, "/screen/unblind": {},
         "/fulltext/retrieval": {"record_id": "1", "outcome": "retrieved"}}


def test_screening_pages_need_a_session(server: Server) -> None:
    anonymous = httpx.Client(base_url=server.url, timeout=10)
    for path in ("/screen", "/screen/eligibility", "/fulltext"):
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    for path, form in POSTS.items():
        assert anonymous.post(path, data=form).status_code == 401, path


def test_posts_without_the_csrf_token_or_by_a_viewer_are_refused(server: Server, review: Path) -> None:
    bob = logged_in(server, "bob")
    for path, form in POSTS.items():
        answer = bob.post(path, data=form)
        assert answer.status_code == 403 and "CSRF" in answer.text, path
    carol = logged_in(server, "carol")
    assert 'id="decide"' not in carol.get("/screen").text  # a viewer is shown no form that writes
    assert 'class="retrieval"' not in carol.get("/fulltext").text.split("</h1>", 1)[1].split("<article")[0]
    token = csrf_of(carol)
    for path, form in POSTS.items():
        answer = carol.post(path, data={"csrf": token, **form})
        assert answer.status_code == 403 and "viewer" in answer.text, path
    with Store.open(review / "review.sqlite") as store:
        written = store.decisions(TITLE_ABSTRACT, history=True) + store.decisions(ELIGIBILITY, history=True)
        assert not [d for d in written if d.reviewer in ("bob", "carol")]
        assert unblinding(store) is None


KEYS = ["i", "e1", "m", "n", "e2", "i", "m", "e1", "i", "e1"]  # ten decisions; "n" notes, then includes
NOTE = "dose schedule unclear"


def press(browser: Browser, key: str, *, navigates: bool) -> None:
    """A real key press (keydown, char, keyup) as Chromium's input pipeline delivers it."""
    code = f"Digit{key}" if key.isdigit() else ("Escape" if key == "Escape" else f"Key{key.upper()}")
    down: dict = {"type": "keyDown", "key": key, "code": code}
    if len(key) == 1:
        down |= {"text": key, "windowsVirtualKeyCode": ord(key.upper())}
    else:
        down["windowsVirtualKeyCode"] = 27
    browser.call("Input.dispatchKeyEvent", down)
    browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code},
                 wait_event="Page.loadEventFired" if navigates else "")


def ranked_on_every_decision(browser: Browser) -> None:
    """Reload until the page says its order reflects every decision (the terminal reranks before each key)."""
    deadline = time.monotonic() + 30
    while browser.evaluate("document.getElementById('ranking').dataset.current") != "true":
        assert time.monotonic() < deadline, "the ranking never caught up with the decisions"
        time.sleep(0.05)
        browser.call("Page.reload", wait_event="Page.loadEventFired")


def screen_with_keys(browser: Browser) -> None:
    for keys in KEYS:
        ranked_on_every_decision(browser)
        if keys == "n":
            press(browser, "n", navigates=False)
            assert browser.evaluate("document.activeElement.id") == "note"
            browser.call("Input.insertText", {"text": NOTE})
            press(browser, "Escape", navigates=False)
            keys = "i"
        if keys.startswith("e"):
            press(browser, "e", navigates=False)
            assert browser.evaluate("document.activeElement.id") == "reason"
            press(browser, keys[1], navigates=True)
        else:
            press(browser, keys, navigates=True)
    press(browser, "u", navigates=True)


def terminal_twin(review: Path, reviewer: str) -> None:
    """The same keys in the terminal screener, for another reviewer on the same review."""
    keys = iter([k for keys in KEYS for k in (["n", "i"] if keys == "n" else list(keys))] + ["u", "q"])
    protocol = load_protocol(review / "protocol.toml")
    with Store.open(review / "review.sqlite") as store:
        session = ScreeningSession(store, protocol, reviewer)
        run_screener(session, Console(file=io.StringIO(), width=100), read_key=lambda: next(keys),
                     read_line=lambda prompt: NOTE)


UNLABELLED = ("[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
              ".filter(e => !e.id || !document.querySelector(`label[for='${e.id}']`)).length"
              " + [...document.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label')"
              " || b.textContent).trim()).length")


def test_ten_records_screened_with_keys_in_chromium_are_the_terminal_rows(server: Server, review: Path,
                                                                          tmp_path: Path) -> None:
    browser = TimedBrowser(tmp_path / "profile")
    try:
        for domain in ("Runtime.enable", "Log.enable"):
            browser.call(domain)
        browser_login(browser, server, "erin", PASSWORDS["erin"][1])
        browser.open(f"{server.url}/screen", 1280, 900, mobile=False)
        # The hostile record comes first: its title is text, its <script> and onerror never run.
        assert HOSTILE in browser.evaluate("document.querySelector('.record-title').textContent")
        assert browser.evaluate("document.querySelectorAll('#record img, #record script').length") == 0
        assert browser.evaluate("[...document.querySelectorAll('.record-title mark')].map(m => m.textContent)") == [
            "Platelet-rich plasma", "PRP", "alopecia", "hair loss"]
        assert browser.evaluate("document.getElementById('others')") is None  # blind: no one else's decisions
        assert browser.evaluate(UNLABELLED) == 0
        browser.screenshot(artifact("web-screen-desktop.png"))
        screen_with_keys(browser)
        assert browser.evaluate("document.getElementById('progress').dataset.screened") == "9"
        browser.open(f"{server.url}/screen", 390, 844, mobile=True)
        browser.screenshot(artifact("web-screen-phone.png"))
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        for path in ("/fulltext", "/screen/eligibility", "/"):
            browser.open(f"{server.url}{path}", 1280, 900, mobile=False)
            assert browser.evaluate(UNLABELLED) == 0, path
            if path == "/fulltext":  # the hostile record waits for its full text: listed, inert
                assert HOSTILE in browser.evaluate("document.querySelector('main').textContent")
                assert browser.evaluate("document.querySelectorAll('main img, main script').length") == 0
    finally:
        browser.close()
    kinds = {e["method"] for e in browser.events}
    assert "Page.javascriptDialogOpening" not in kinds  # no alert() ran
    assert "Runtime.exceptionThrown" not in kinds
    errors = [e for e in browser.events
              if (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
              or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")]
    assert errors == [], [e["params"].get("entry", e["params"]) for e in errors]

    terminal_twin(review, "erin-in-the-terminal")
    browser_rows, terminal_rows = rows(review, "erin"), rows(review, "erin-in-the-terminal")
    assert len(browser_rows) == 10 and sum(bool(d.undone_at) for d in browser_rows) == 1
    assert [(d.record_id, d.stage, d.label, d.reason_id, d.note, d.score, bool(d.undone_at)) for d in browser_rows] \
        == [(d.record_id, d.stage, d.label, d.reason_id, d.note, d.score, bool(d.undone_at)) for d in terminal_rows]
    assert [d.label for d in browser_rows][:4] == [INCLUDE, EXCLUDE, MAYBE, INCLUDE]
    assert browser_rows[3].note == NOTE and browser_rows[1].reason_id == "E1" and browser_rows[4].reason_id == "E3"
    assert any(d.score is not None for d in browser_rows)  # the learner ranked once both labels were there


def test_full_text_retrieved_or_not_then_eligibility(server: Server, review: Path) -> None:
    with Store.open(review / "review.sqlite") as store:
        waiting = awaiting_retrieval(store)
    assert len(waiting) >= 3
    frank = logged_in(server, "frank")
    page = frank.get("/fulltext").text
    assert all(f'data-record="{i}"' in page for i in waiting)
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC9999999/"' in page
    token = csrf_of(frank, "/fulltext")
    found, lost = waiting[0], waiting[1]

    def post(**form: str) -> httpx.Response:
        return frank.post("/fulltext/retrieval", data={"csrf": token, **form})

    assert post(record_id=str(found), outcome="retrieved", note="from the library").status_code == 303
    assert post(record_id=str(lost), outcome="not_retrieved").status_code == 400  # the reason is asked for
    assert post(record_id=str(lost), outcome="not_retrieved", note="author did not answer").status_code == 303
    assert post(record_id=str(lost), outcome="retrieved").status_code == 400  # no longer waiting
    after = frank.get("/fulltext").text
    assert f'data-record="{found}"' not in after and f'data-record="{lost}"' not in after
    eligibility = rows(review, "frank", ELIGIBILITY)
    assert [(d.record_id, d.label, d.reason_id, d.note) for d in eligibility] == [
        (found, MAYBE, "", "full text retrieved: from the library"), (lost, EXCLUDE, "NR", "author did not answer")]

    # The retrieved report waits for frank's eligibility judgement; the one not retrieved does not.
    page = ready_page(frank, "/screen/eligibility").text
    assert 'value="NR"' not in page  # "not retrieved" is said on the full-text page, not here
    shown = current_record(frank, "/screen/eligibility")
    assert shown == found
    decided = frank.post("/screen/decide", data={"csrf": token, "stage": ELIGIBILITY, "record_id": str(found),
                                                 "label": EXCLUDE, "reason": "E4", "note": "in Spanish"})
    assert decided.status_code == 303 and decided.headers["location"] == "/screen/eligibility"
    latest = rows(review, "frank", ELIGIBILITY)[-1]
    assert (latest.record_id, latest.label, latest.reason_id, latest.note) == (found, EXCLUDE, "E4", "in Spanish")
    assert f'name="record_id" value="{found}"' not in frank.get("/screen/eligibility").text


def test_a_decision_is_answered_before_the_learner_retrains(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    protocol = load_protocol(review / "protocol.toml")
    pool = ThreadPoolExecutor(1)
    live = LiveScreening(review / "review.sqlite", protocol, "gina", TITLE_ABSTRACT, pool,
                         lambda store: Collection.of(store, protocol))
    try:
        assert live.ready.wait(20) and live.view is not None and live.view.current is not None
        train = ScreeningSession.train

        def slow(self: ScreeningSession, decided: dict[int, Decision]) -> Ranking:  # as slow as a large review's
            time.sleep(1.0)
            return train(self, decided)

        monkeypatch.setattr(ScreeningSession, "train", slow)
        first = live.view.current[0]
        started = time.monotonic()
        live.decide(first, INCLUDE, "", "")
        assert time.monotonic() - started < 0.5 and [d.record_id for d in rows(review, "gina")] == [first]
        started = time.monotonic()
        view = live.look()  # the page does not wait out the retrain: the ranking before, less what is decided
        assert time.monotonic() - started < 0.8 and not live.fresh.is_set()
        assert view is not None and view.current is not None and view.current[0] != first
        assert view.progress.screened == 1
        assert live.fresh.wait(5)  # then the retrain ends and the next page has its ranking
        monkeypatch.setattr(ScreeningSession, "train", train)
        assert live.look() is not None and live.fresh.is_set()  # a page that changes nothing starts no retrain
    finally:
        pool.shutdown(wait=True)
        live.close()


def test_blind_screening_hides_the_others_until_an_owner_unblinds(server: Server, review: Path) -> None:
    bob, dave, alice = logged_in(server, "bob"), logged_in(server, "dave"), logged_in(server, "alice")
    first = current_record(bob)
    assert current_record(dave) == first  # the same first record for both: the protocol's terms rank it
    token = csrf_of(bob, "/screen")
    secret = "bob-secret-note"
    answer = bob.post("/screen/decide", data={"csrf": token, "stage": TITLE_ABSTRACT, "record_id": str(first),
                                              "label": INCLUDE, "note": secret})
    assert answer.status_code == 303
    # bob includes a record the rules excluded: it reaches eligibility for him, not for dave.
    with Store.open(review / "review.sqlite") as store:
        off_topic = next(d.record_id for d in store.decisions(TITLE_ABSTRACT, reviewer="rules:prp-hair")
                         if d.label == EXCLUDE)
    assert bob.post("/screen/decide", data={"csrf": token, "stage": TITLE_ABSTRACT, "record_id": str(off_topic),
                                            "label": INCLUDE}).status_code == 303

    def totals(client: httpx.Client) -> int:
        found = re.search(r'data-total="(\d+)"', ready_page(client, "/screen/eligibility").text)
        assert found
        return int(found.group(1))

    assert totals(bob) == totals(dave) + 1
    dave_token = csrf_of(dave, "/screen")
    assert dave.post("/screen/undo", data={"csrf": dave_token, "stage": TITLE_ABSTRACT}).status_code == 409
    for path in ("/", "/screen", "/screen/eligibility", "/fulltext", "/studies",
                 f"/screen?reviewer=bob&record={first}"):
        page = dave.get(path).text
        assert secret not in page and 'id="others"' not in page, path
        assert not re.search(r'data-reviewer="bob".*?\(\d+ include', page, re.S), path
    assert 'data-box="Studies included"' not in dave.get("/").text  # counts that follow from bob's decisions
    # A study's page would show which records have labels (the included ones): refused while blind.
    assert dave.get(f"/studies/{first}").status_code == 403
    assert dave.post(f"/studies/{first}/check", data={"csrf": dave_token, "facet": "design", "value": "rct",
                                                      "verdict": "accepted"}).status_code == 403
    assert "Unblind" not in dave.get("/").text and "Unblind" in alice.get("/").text
    assert len(rows(review, "bob")) == 2  # dave's undo took back nothing of bob's

    refused = dave.post("/screen/unblind", data={"csrf": dave_token})
    assert refused.status_code == 403 and "owner" in refused.text
    assert alice.post("/screen/unblind", data={"csrf": csrf_of(alice)}).status_code == 303
    restarted = Server(review)  # stored in the review: it holds after a restart
    try:
        again = logged_in(restarted, "dave")
        page = ready_page(again, "/screen").text
        assert 'id="others"' in page and secret in page and 'data-reviewer="bob"' in page
        assert re.search(r'data-reviewer="bob".*?\(2 include · 0 exclude', again.get("/").text, re.S)
    finally:
        restarted.close()


def test_sessions_built_on_one_shared_collection_rank_as_a_session_alone(review: Path) -> None:
    """The app builds the records' features once for every reviewer; the ranking must not change."""
    protocol = load_protocol(review / "protocol.toml")
    with Store.open(review / "review.sqlite") as store:
        shared = Collection.of(store, protocol)
        alone = ScreeningSession(store, protocol, "nobody-yet")
        first = ScreeningSession(store, protocol, "nobody-yet", collection=shared)
        second = ScreeningSession(store, protocol, "nobody-else", collection=shared)
        assert first.queue() == alone.queue() == second.queue()
        assert first._learner.X_ is second._learner.X_  # one matrix in memory, not one per reviewer
