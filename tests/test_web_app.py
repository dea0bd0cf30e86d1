"""`exoreview serve`: a real uvicorn server on loopback over a real review, driven by HTTP and by Chromium.

Accounts and roles, sessions and CSRF, slowed logins, checking labels (accept, reject, add by
selecting words) and the report counting what people checked. Records are ours, one of them with a
hostile title that must render inert.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from exoreview.cli.app import main
from exoreview.store import Store
from exoreview.store.team import checks
from exoreview.web.app import FAILURES_ALLOWED, create_app
from tests.report_tools import Browser, artifact
from tests.test_report_layout import PRP_PROTOCOL
from tests.test_report_layout import RECORDS as LAYOUT_RECORDS

HOSTILE = '<script>alert("t")</script><img src=x onerror=alert("i")>'
# The layout test's two records, the second with a hostile title.
RECORDS = LAYOUT_RECORDS.replace("a case series\n", f"a case series {HOSTILE}\n")
PASSWORDS = {"alice": ("owner", "alice-password"), "bob": ("reviewer", "bob-password"),
             "carol": ("viewer", "carol-password"), "dave": ("reviewer", "dave-password")}


class Server:
    """uvicorn serving the app on a loopback port of its own, in a thread; stopped by `close`."""

    def __init__(self, review: Path) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(review), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def prp_review(root: Path, records: str = RECORDS) -> Path:
    """A review of the PRP protocol run over `records` (RIS) by `exoreview run --import`."""
    folder = root / "review"
    assert main(["init", str(folder)]) == 0
    shutil.copy(PRP_PROTOCOL, folder / "protocol.toml")
    (root / "records.ris").write_text(records, encoding="utf-8")
    assert main(["run", str(folder), "--import", str(root / "records.ris")]) == 0
    return folder


def add_accounts(folder: Path) -> None:
    """PASSWORDS' four people, added with `exoreview user add --password-stdin`."""
    for name, (role, password) in PASSWORDS.items():
        stdin = io.StringIO(password + "\n")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", stdin)
            assert main(["user", "add", str(folder), name, "--role", role, "--password-stdin"]) == 0


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prp_review(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def server(review: Path) -> Iterator[Server]:
    add_accounts(review)
    running = Server(review)
    yield running
    running.close()


def logged_in(server: Server, name: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=10)
    answer = client.post("/login", data={"name": name, "password": PASSWORDS[name][1]})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    return client


def csrf_of(client: httpx.Client, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def browser_login(browser: Browser, server: Server, name: str, password: str = "") -> None:
    """Log in through the login form in Chromium (PASSWORDS' password unless given); the dashboard follows."""
    browser.open(f"{server.url}/login", 1280, 900, mobile=False)
    browser.call("Runtime.evaluate", {"expression": (
        f"document.getElementById('name').value='{name}';"
        f"document.getElementById('password').value='{password or PASSWORDS[name][1]}';"
        "document.querySelector('form.login').submit()")}, wait_event="Page.loadEventFired")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Dashboard"


def study_ids(review: Path) -> dict[str, int]:
    with Store.open(review / "review.sqlite") as store:
        return {("hostile" if "script" in store.record(i).title else "trial"): i for i in store.record_ids()}


def test_every_page_needs_a_session(server: Server, review: Path) -> None:
    anonymous = httpx.Client(base_url=server.url, timeout=10)
    trial = study_ids(review)["trial"]
    for path in ("/", "/studies", f"/studies/{trial}"):
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    refused = anonymous.post(f"/studies/{trial}/check", data={"facet": "design", "value": "rct", "verdict": "accepted"})
    assert refused.status_code == 401
    login = anonymous.get("/login")
    assert login.status_code == 200 and "Content-Security-Policy" in login.headers


def test_a_post_without_the_csrf_token_or_by_a_viewer_is_refused(server: Server, review: Path) -> None:
    trial = study_ids(review)["trial"]
    bob = logged_in(server, "bob")
    answer = bob.post(f"/studies/{trial}/check", data={"facet": "design", "value": "rct", "verdict": "accepted"})
    assert answer.status_code == 403 and "CSRF" in answer.text
    carol = logged_in(server, "carol")
    page = carol.get(f"/studies/{trial}").text
    assert "Accept" not in page and 'name="words"' not in page  # a viewer sees no forms that write
    token = csrf_of(carol, f"/studies/{trial}")
    answer = carol.post(f"/studies/{trial}/check",
                        data={"csrf": token, "facet": "design", "value": "rct", "verdict": "accepted"})
    assert answer.status_code == 403 and "viewer" in answer.text
    with Store.open(review / "review.sqlite") as store:
        assert not [c for c in checks(store) if c.reviewer in ("carol",) or c.verdict not in ("accepted", "rejected",
                                                                                                 "added")]


def test_wrong_passwords_are_slowed_one_try_at_a_time(server: Server) -> None:
    client = httpx.Client(base_url=server.url, timeout=20)
    for _ in range(FAILURES_ALLOWED):
        assert client.post("/login", data={"name": "dave", "password": "wrong"}).status_code == 401
    started = time.monotonic()
    answer = client.post("/login", data={"name": "dave", "password": "wrong again"})
    assert answer.status_code == 429 and time.monotonic() - started >= 0.9
    assert "exoreview_session" not in answer.headers.get("set-cookie", "")

    async def three_guesses() -> list[int]:  # sent together, answered one after another
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as guesser:
            answers = await asyncio.gather(*(guesser.post("/login", data={"name": "dave", "password": f"guess{k}"})
                                             for k in range(3)))
        return [a.status_code for a in answers]

    started = time.monotonic()
    assert asyncio.run(three_guesses()) == [429, 429, 429] and time.monotonic() - started >= 2.7
    # The right password still lets its owner in, after the wait: no one locks an account by guessing.
    started = time.monotonic()
    answer = client.post("/login", data={"name": "dave", "password": PASSWORDS["dave"][1]})
    assert answer.status_code == 303 and time.monotonic() - started >= 0.9


def test_checked_labels_are_what_the_report_counts(server: Server, review: Path) -> None:
    trial = study_ids(review)["trial"]
    alice = logged_in(server, "alice")
    token = csrf_of(alice, f"/studies/{trial}")
    page = alice.get(f"/studies/{trial}").text
    assert 'data-facet="design" data-value="rct"' in page and "<mark>randomized</mark>" in page

    def post(**form: str) -> httpx.Response:
        return alice.post(f"/studies/{trial}/check", data={"csrf": token, **form})

    assert post(facet="design", value="rct", verdict="accepted").status_code == 303
    assert post(facet="preparation", value="double_spin", verdict="rejected").status_code == 303
    added = post(facet="condition", value="alopecia_areata", verdict="added", words="Hair density improved")
    assert added.status_code == 303
    missing = post(facet="condition", value="alopecia_areata", verdict="added", words="words nowhere in it")
    assert missing.status_code == 400 and "not in this record" in missing.text
    unknown = post(facet="condition", value="scurvy", verdict="accepted")
    assert unknown.status_code == 400

    dashboard = alice.get("/").text
    assert re.search(r'data-checked="2" data-machine="\d+"', dashboard)
    assert main(["report", str(review)]) == 0
    report = (review / "report.md").read_text(encoding="utf-8")
    assert "Reviewers have checked 2 of the" in report
    assert "condition 1 verified" in report  # the label alice added
    table_row = next(line for line in report.splitlines() if line.startswith("| [\\[") and "Double-spin" in line)
    assert "Double-spin preparation" not in table_row.split("|", 4)[4]  # rejected: out of the study's labels
    assert "Hair density improved" in report and "reviewer:alice" in report


def test_a_hostile_title_renders_inert_in_chromium(server: Server, review: Path, tmp_path: Path) -> None:
    hostile = study_ids(review)["hostile"]
    alice = logged_in(server, "alice")
    assert HOSTILE not in alice.get(f"/studies/{hostile}").text and "&lt;script&gt;" in alice.get(
        f"/studies/{hostile}").text
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Runtime.enable")
        browser_login(browser, server, "alice")
        browser.open(f"{server.url}/studies/{hostile}", 1280, 900, mobile=False)
        assert HOSTILE in browser.evaluate("document.querySelector('h1').textContent")
        # Selecting words of the abstract fills the form, as a reviewer adding a label would.
        browser.evaluate("(() => { const a = document.getElementById('abstract'); const r = document.createRange();"
                         " const t = a.firstChild; const i = t.textContent.indexOf('12 patients');"
                         " r.setStart(t, i); r.setEnd(t, i + 11); const s = window.getSelection();"
                         " s.removeAllRanges(); s.addRange(r);"
                         " a.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); })()")
        assert browser.evaluate("document.getElementById('add-words').value") == "12 patients"
        browser.screenshot(artifact("web-study-desktop.png"))
        browser.open(f"{server.url}/studies/{hostile}", 390, 844, mobile=True)
        browser.screenshot(artifact("web-study-phone.png"))
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        unlabeled = browser.evaluate(
            "[...document.querySelectorAll('input:not([type=hidden]), select')]"
            ".filter(e => !document.querySelector(`label[for='${e.id}']`)).length")
        assert unlabeled == 0
    finally:
        browser.close()
    kinds = {e["method"] for e in browser.events}
    assert "Page.javascriptDialogOpening" not in kinds  # no alert() ran
    assert "Runtime.exceptionThrown" not in kinds
