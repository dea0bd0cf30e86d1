"""The screening pages of `exoreview serve`: one record at a time, full-text retrieval, unblinding.

The decisions are `ScreeningSession`'s (see `web.screening`): the same rows, notes and undo as
`exoreview screen`. Record text is rendered by Jinja with autoescaping; the protocol's terms are
marked here, as (text, is_term) pieces, so no markup is ever built from a record.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from exoreview.classify import StudyClassifier
from exoreview.results import ELIGIBILITY, EXCLUDE, TITLE_ABSTRACT, Decision
from exoreview.screen.fulltext import RetrievalError, awaiting_retrieval, record_retrieval
from exoreview.screen.reviewers import LABELS, is_person
from exoreview.screen.rules import Labeler
from exoreview.screen.terminal import progress_line
from exoreview.store.team import Session, TeamError, unblind
from exoreview.web.pages import flow_hidden
from exoreview.web.screening import BUILD_WAIT, FRESH_WAIT, LiveScreening, NotQueued, View, is_blind, visible_inclusions

if TYPE_CHECKING:
    from exoreview.web.app import ReviewApp

PAGES = {TITLE_ABSTRACT: "/screen", ELIGIBILITY: "/screen/eligibility"}
HEADINGS = {TITLE_ABSTRACT: "Screening titles and abstracts", ELIGIBILITY: "Eligibility of full texts"}
PMC_ARTICLE = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"
POLL = 0.01  # seconds between looks at a session that is being built or retrained


def marked(text: str, pattern: re.Pattern[str] | None) -> list[tuple[str, bool]]:
    """The text in pieces, each flagged when it is one of the protocol's terms (the template marks those)."""
    if pattern is None:
        return [(text, False)] if text else []
    pieces: list[tuple[str, bool]] = []
    at = 0
    for found in pattern.finditer(text):
        if found.start() > at:
            pieces.append((text[at:found.start()], False))
        if found.end() > found.start():
            pieces.append((found.group(), True))
        at = max(at, found.end())
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


async def _waited(event: threading.Event, seconds: float) -> bool:
    """Whether the event is set within `seconds`, polled from the event loop so no thread sits waiting:
    twenty people waiting on retrains must not use up the threads that answer everyone's clicks."""
    deadline = time.monotonic() + seconds
    while not event.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(POLL)
    return event.is_set()


async def _ready_view(live: LiveScreening) -> View | None:
    """The session's view, or None while it is still being built."""
    if not await _waited(live.ready, BUILD_WAIT):
        return None
    if live.worth_waiting():
        await _waited(live.fresh, FRESH_WAIT)
    return await asyncio.to_thread(live.look)


async def screen_title_abstract(app: ReviewApp, request: Request, session: Session) -> Response:
    return await screen_page(app, session, TITLE_ABSTRACT)


async def screen_eligibility(app: ReviewApp, request: Request, session: Session) -> Response:
    return await screen_page(app, session, ELIGIBILITY)


async def screen_page(app: ReviewApp, session: Session, stage: str, error: str = "", status: int = 200) -> Response:
    """The next record for this reviewer at this stage, with the forms that decide it."""
    common = {"session": session, "stage": stage, "heading": HEADINGS[stage], "error": error}
    if not session.user.can_write:
        return app.render("screen.html", status=status, view=None, preparing=False, viewer=True, **common)
    live = app.screenings.of(session.user.name, stage)
    view = await _ready_view(live)
    if view is None:
        return app.render("screen.html", status=503 if live.error else status, view=None, viewer=False,
                          preparing=not live.error, **{**common, "error": error or live.error})
    context: dict[str, object] = {"view": view, "progress": progress_line(view.progress), "viewer": False,
                                  "preparing": False, "others": None, "ranked_now": view.ranked}
    if view.current is not None:
        record_id, record = view.current
        pattern = live.session.pattern if live.session else None
        context |= {"record_id": record_id, "record": record, "title": marked(record.title or "(no title)", pattern),
                    "abstract": marked(record.abstract_text or "(no abstract)", pattern),
                    "others": _others(app, session, stage, record_id)}
    return app.render("screen.html", status=status, **common, **context)


def _others(app: ReviewApp, session: Session, stage: str, record_id: int) -> list[Decision] | None:
    """Other people's standing decisions on the record; None while screening is blind."""
    store = app.store()
    if is_blind(app.protocol, store):
        return None
    return [d for d in store.decisions(stage, record_id=record_id) if d.reviewer != session.user.name
            and is_person(d.reviewer)]


def _stage_of(form: dict[str, str]) -> str | None:
    stage = form.get("stage", TITLE_ABSTRACT)
    return stage if stage in PAGES else None


async def _live(app: ReviewApp, session: Session, stage: str) -> LiveScreening | None:
    live = app.screenings.of(session.user.name, stage)
    ready = await _waited(live.ready, BUILD_WAIT)
    return live if ready and live.session is not None else None


async def decide(app: ReviewApp, request: Request, session: Session) -> Response:
    """Store one decision (committed before the answer), then show the next record."""
    form: dict[str, str] = request.state.form
    stage = _stage_of(form)
    if stage is None:
        return PlainTextResponse(f"stage must be {TITLE_ABSTRACT} or {ELIGIBILITY}\n", status_code=400)
    label, reason = form.get("label", ""), form.get("reason", "")
    if label not in LABELS or not form.get("record_id", "").isdigit():
        return await screen_page(app, session, stage, f"A decision needs a record and one of {', '.join(LABELS)}.",
                                 400)
    live = await _live(app, session, stage)
    if live is None:
        return await screen_page(app, session, stage, "Your queue is still being prepared; try again.", 503)
    reasons = {i for i, _ in live.session.reasons()} if live.session else set()
    reason = reason if label == EXCLUDE else ""  # the terminal asks for a reason only when excluding
    if label == EXCLUDE and reasons and reason not in reasons:
        return await screen_page(app, session, stage, "Choose the reason for excluding (one of the protocol's "
                                                      f"criteria: {', '.join(sorted(reasons))}).", 400)
    try:
        await asyncio.to_thread(live.decide, int(form["record_id"]), label, reason, form.get("note", ""))
    except NotQueued as exc:
        return await screen_page(app, session, stage, f"{exc}; here is the record next in your queue.", 409)
    return RedirectResponse(PAGES[stage], status_code=303)


async def undo(app: ReviewApp, request: Request, session: Session) -> Response:
    """Take back this reviewer's latest decision at the stage, as the terminal's u does."""
    stage = _stage_of(request.state.form)
    if stage is None:
        return PlainTextResponse(f"stage must be {TITLE_ABSTRACT} or {ELIGIBILITY}\n", status_code=400)
    live = await _live(app, session, stage)
    if live is None:
        return await screen_page(app, session, stage, "Your queue is still being prepared; try again.", 503)
    undone = await asyncio.to_thread(live.undo)
    if undone is None:
        return await screen_page(app, session, stage, "Nothing to undo: you have no decision at this stage.", 409)
    return RedirectResponse(PAGES[stage], status_code=303)


async def unblind_screening(app: ReviewApp, request: Request, session: Session) -> Response:
    """An owner lifts blind screening; stored in the review, so it holds across restarts."""
    if not app.protocol.screening.blind:
        return PlainTextResponse("this review's protocol does not screen blind; nothing to unblind\n", status_code=400)
    try:
        unblind(app.store(), session.user)
    except TeamError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=403)
    return RedirectResponse("/#screening", status_code=303)


async def fulltext(app: ReviewApp, request: Request, session: Session, error: str = "", status: int = 200) -> Response:
    """Reports awaiting full-text retrieval, each with its PMC link where it has one and the retrieval form."""
    store = app.store()
    rows = []
    waiting = awaiting_retrieval(store)
    if flow_hidden(app, session):  # while blind: only reports this reviewer's own inclusions sent here
        seen = visible_inclusions(store, app.protocol, session.user.name)
        waiting = [i for i in waiting if i in seen]
    for record_id in waiting:
        record = store.record(record_id)
        pmcid = record.pmcid.upper() if record.pmcid else ""
        pmcid = pmcid if not pmcid or pmcid.startswith("PMC") else f"PMC{pmcid}"
        rows.append((record_id, record, PMC_ARTICLE.format(pmcid=pmcid) if pmcid else ""))
    return app.render("fulltext.html", status=status, session=session, rows=rows, error=error)


async def retrieval(app: ReviewApp, request: Request, session: Session) -> Response:
    """Record that a report's full text was retrieved (its eligibility criteria then apply) or could not be."""
    form: dict[str, str] = request.state.form
    outcome = form.get("outcome", "")
    if outcome not in ("retrieved", "not_retrieved") or not form.get("record_id", "").isdigit():
        return await fulltext(app, request, session, "Say whether the full text was retrieved.", 400)
    note = " ".join(form.get("note", "").split())
    if outcome == "not_retrieved" and not note:
        return await fulltext(app, request, session, "Say why the full text could not be retrieved.", 400)
    try:
        record_retrieval(app.store(), app.protocol, int(form["record_id"]), retrieved=outcome == "retrieved",
                         reviewer=session.user.name, note=note, labeler=await _labeler(app))
    except RetrievalError as exc:
        return await fulltext(app, request, session, str(exc), 400)
    return RedirectResponse("/fulltext", status_code=303)


async def _labeler(app: ReviewApp) -> Labeler | None:
    """The classifier, built once in a thread (about a third of a second), for eligibility criteria that read labels."""
    if not any(c.requires_labels or c.excludes_labels for c in app.protocol.exclude if c.stage == ELIGIBILITY):
        return None
    if app.classifier is None:
        app.classifier = await asyncio.to_thread(StudyClassifier, app.protocol.taxonomy)
    return app.classifier.classify
