"""`exoreview serve`: the review in the browser, on the same review.sqlite as the commands.

Server-rendered pages (Jinja2, autoescaped) on Starlette and uvicorn; a little of our own JavaScript
(selecting words to add a label) and every form working with JavaScript off. Every route but the
login page needs a session; every POST needs the session's CSRF token; a viewer never writes.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exoreview.protocol import Protocol
from exoreview.results import TITLE_ABSTRACT
from exoreview.review import ReviewFolder
from exoreview.store import Store
from exoreview.store.team import Session, authenticate, close_session, find_session, open_session
from exoreview.web import owner_pages, pages, screen_pages
from exoreview.web.screening import Screenings

if TYPE_CHECKING:
    from exoreview.classify import StudyClassifier

COOKIE = "exoreview_session"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
FAILURES_ALLOWED = 5  # wrong passwords per name and address in the window before logins are slowed
FAILURE_WINDOW = 300.0  # seconds
SLOW_DOWN = 1.0  # seconds each further wrong attempt waits
# Seconds a session found in the store is trusted from memory: every click of every reviewer then
# costs no query on the event loop. Logging out forgets it at once; an expiry shows within this time.
SESSION_RECHECK = 30.0


class LoginThrottle:
    """Wrong passwords per (name, address): past the allowance, tries wait their turn, one at a time and
    SLOW_DOWN apart, so guessing is slowed to a crawl while the right password still gets its owner in
    (refusing it would let anyone lock an owner out by typing wrong passwords under their name)."""

    def __init__(self) -> None:
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._turns: dict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)  # used on the event loop

    def turn(self, key: tuple[str, str]) -> asyncio.Lock:
        return self._turns[key]

    def blocked(self, key: tuple[str, str]) -> bool:
        with self._lock:
            recent = self._failures[key]
            while recent and recent[0] < time.monotonic() - FAILURE_WINDOW:
                recent.popleft()
            return len(recent) >= FAILURES_ALLOWED

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures[key].append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


class ReviewApp:
    """The app over one review folder: the protocol read once, one store connection.

    Every endpoint is async, so every request runs on the event loop's thread, which opens the
    connection on first use and keeps it (SQLite connections stay in the thread that opened them).
    Screening sessions (`web.screening`) have connections of their own, used in worker threads.
    """

    def __init__(self, folder: ReviewFolder) -> None:
        self.folder = folder
        self.protocol: Protocol = folder.protocol()
        self.throttle = LoginThrottle()
        self.screenings = Screenings(folder.store_file, self.protocol, folder.root)
        self.classifier: StudyClassifier | None = None  # built on first need (web.screen_pages._labeler)
        self.sessions: dict[str, tuple[Session, float]] = {}  # token -> (session, when read from the store)
        self._store: Store | None = None
        templates = resources.files("exoreview.web") / "templates"
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True,
                                      undefined=jinja2.StrictUndefined)

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.folder.store_file, must_exist=True)
        return self._store

    def render(self, name: str, status: int = 200, **context: object) -> HTMLResponse:
        body = self.env.get_template(name).render(protocol=self.protocol, **context)
        return HTMLResponse(body, status_code=status)


async def form_of(request: Request) -> dict[str, str]:
    """The posted form (application/x-www-form-urlencoded), one value per field."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}


def _session(app: ReviewApp, request: Request) -> Session | None:
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    known = app.sessions.get(token)
    if known is not None and time.monotonic() - known[1] < SESSION_RECHECK:
        return known[0]
    session = find_session(app.store(), token)
    if session is None:
        app.sessions.pop(token, None)
    else:
        app.sessions[token] = (session, time.monotonic())
    return session


Handler = Callable[[ReviewApp, Request, Session], Awaitable[Response]]


def page(app: ReviewApp, handler: Handler, *, writes: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """A route that needs a session; one that writes also needs the CSRF token and a role that writes."""

    async def endpoint(request: Request) -> Response:
        session = _session(app, request)
        if session is None:
            if request.method == "GET":
                return RedirectResponse("/login", status_code=303)
            return PlainTextResponse("log in first\n", status_code=401)
        if request.method == "POST":
            form = await form_of(request)
            request.state.form = form
            if not secrets.compare_digest(form.get("csrf", ""), session.csrf):
                return PlainTextResponse("the form's CSRF token is missing or wrong; reload the page\n",
                                         status_code=403)
            if writes and not session.user.can_write:
                return PlainTextResponse(f"{session.user.name} is a viewer: viewers do not write\n",
                                         status_code=403)
        return await handler(app, request, session)

    return endpoint


async def login_page(app: ReviewApp, request: Request) -> Response:
    return app.render("login.html", error="")


async def login(app: ReviewApp, request: Request) -> Response:
    form = await form_of(request)
    name, password = form.get("name", "").strip(), form.get("password", "")
    key = (name, request.client.host if request.client else "")
    if app.throttle.blocked(key):
        async with app.throttle.turn(key):  # one try at a time for this name and address ...
            await asyncio.sleep(SLOW_DOWN)  # ... each after a wait; the server goes on serving the others
            return await _checked_login(app, request, key, name, password, slowed=True)
    return await _checked_login(app, request, key, name, password, slowed=False)


async def _checked_login(app: ReviewApp, request: Request, key: tuple[str, str], name: str, password: str, *,
                         slowed: bool) -> Response:
    user = authenticate(app.store(), name, password)
    if user is None:
        app.throttle.failed(key)
        if slowed:
            return app.render("login.html", status=429, error="Too many wrong passwords: each try now waits "
                                                              "its turn. Check the name and password.")
        return app.render("login.html", status=401, error="Wrong name or password.")
    app.throttle.succeeded(key)
    token, _ = open_session(app.store(), user)
    if user.can_write:
        app.screenings.of(user.name, TITLE_ABSTRACT)  # starts ranking their queue while they read the dashboard
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        path="/")
    return response


async def logout(app: ReviewApp, request: Request, session: Session) -> Response:
    token = request.cookies.get(COOKIE, "")
    app.sessions.pop(token, None)
    close_session(app.store(), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


class SecurityHeaders:
    """ASGI middleware: every answer carries the security headers, and pages are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(folder: ReviewFolder | Path) -> Starlette:
    review = ReviewApp(folder if isinstance(folder, ReviewFolder) else ReviewFolder(Path(folder)))

    def bare(handler: Callable[[ReviewApp, Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await handler(review, request)
        return endpoint

    static = resources.files("exoreview.web") / "static"
    routes = [
        Route("/login", bare(login_page), methods=["GET"]),
        Route("/login", bare(login), methods=["POST"]),
        Route("/logout", page(review, logout), methods=["POST"]),
        Route("/", page(review, pages.dashboard), methods=["GET"]),
        Route("/studies", page(review, pages.studies), methods=["GET"]),
        Route("/studies/{record_id:int}", page(review, pages.study), methods=["GET"]),
        Route("/studies/{record_id:int}/check", page(review, pages.check, writes=True), methods=["POST"]),
        Route("/screen", page(review, screen_pages.screen_title_abstract), methods=["GET"]),
        Route("/screen/eligibility", page(review, screen_pages.screen_eligibility), methods=["GET"]),
        Route("/screen/decide", page(review, screen_pages.decide, writes=True), methods=["POST"]),
        Route("/screen/undo", page(review, screen_pages.undo, writes=True), methods=["POST"]),
        Route("/screen/unblind", page(review, screen_pages.unblind_screening, writes=True), methods=["POST"]),
        Route("/fulltext", page(review, screen_pages.fulltext), methods=["GET"]),
        Route("/fulltext/retrieval", page(review, screen_pages.retrieval, writes=True), methods=["POST"]),
        Route("/studies/{record_id:int}/resolve", page(review, pages.resolve, writes=True), methods=["POST"]),
        Route("/conflicts", page(review, owner_pages.conflicts_page), methods=["GET"]),
        Route("/screen/resolve", page(review, owner_pages.resolve_screening, writes=True), methods=["POST"]),
        Route("/report", page(review, owner_pages.report_page), methods=["GET"]),
        Route("/report", page(review, owner_pages.build_report, writes=True), methods=["POST"]),
        *(Route(f"/{name}", page(review, owner_pages.report_file), methods=["GET"])
          for name in owner_pages.REPORT_FILES),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(review.screenings.close)  # lets a retrain finish, then closes its connections

    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)], lifespan=lifespan)
    app.state.review = review
    return app
