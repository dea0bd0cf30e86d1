"""The owner's pages of `exoreview serve`: conflicts between reviewers, and the report built from the app.

Screening conflicts are settled as the terminal's `exoreview resolve` settles them (a decision by
"consensus", with the owner's name in its note); label conflicts link to the study, where the owner
keeps or drops the label (`checking.resolve_label`). The report is `exoreview report`'s, written into
the review folder and shown here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response

from exoreview.checking import LabelConflict, label_conflicts
from exoreview.pipeline import write_review_report
from exoreview.report.exports import EXPORTS, RECORDS_BEHIND
from exoreview.results import ELIGIBILITY, EXCLUDE, INCLUDE, RESOLVER, TITLE_ABSTRACT
from exoreview.screen.reviewers import Conflict, conflicts, resolve
from exoreview.store import Store
from exoreview.store.team import Session, checks
from exoreview.synthesis.tables import class_label
from exoreview.web.screening import is_blind

if TYPE_CHECKING:
    from exoreview.web.app import ReviewApp

# The built report has its own inline style and inlined figures, and no script at all.
REPORT_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                 "base-uri 'none'; form-action 'none'")
STAGE_NAMES = {TITLE_ABSTRACT: "Titles and abstracts", ELIGIBILITY: "Eligibility"}
SETTLES = (INCLUDE, EXCLUDE)  # a resolution decides; "maybe" would leave the record where the conflict left it


@dataclass(frozen=True, slots=True)
class ScreeningDispute:
    stage: str
    conflict: Conflict
    title: str


@dataclass(frozen=True, slots=True)
class LabelDispute:
    conflict: LabelConflict
    title: str
    label: str


def owner_only(session: Session) -> Response | None:
    if session.user.role != "owner":
        return PlainTextResponse("only an owner resolves conflicts between reviewers\n", status_code=403)
    return None


async def conflicts_page(app: ReviewApp, request: Request, session: Session, error: str = "",
                         status: int = 200) -> Response:
    refused = owner_only(session)
    if refused:
        return refused
    store = app.store()
    blind = is_blind(app.protocol, store)  # the others' decisions stay hidden, from the owner too, until unblinded
    screening = [] if blind else [ScreeningDispute(stage, c, store.record(c.record_id).title)
                                  for stage in STAGE_NAMES for c in conflicts(store, stage=stage, resolver=RESOLVER)]
    labels = [LabelDispute(c, store.record(c.key[0]).title, class_label(app.protocol.taxonomy, c.key[1], c.key[2]))
              for c in label_conflicts(checks(store))]
    reasons = {stage: [(c.id, c.text) for c in app.protocol.exclude if c.stage == stage] for stage in STAGE_NAMES}
    return app.render("conflicts.html", status=status, session=session, screening=screening, labels=labels,
                      blind=blind, reasons=reasons, stage_names=STAGE_NAMES, choices=SETTLES, error=error)


async def resolve_screening(app: ReviewApp, request: Request, session: Session) -> Response:
    """An owner settles a screening conflict; the decision is the latest, so it is the one that stands."""
    refused = owner_only(session)
    if refused:
        return refused
    form: dict[str, str] = request.state.form
    store = app.store()
    stage, label, reason = form.get("stage", ""), form.get("label", ""), form.get("reason", "")
    record_id = int(form["record_id"]) if form.get("record_id", "").isdigit() else -1
    open_ones = [] if is_blind(app.protocol, store) else conflicts(store, stage=stage, resolver=RESOLVER) \
        if stage in STAGE_NAMES else []
    if not any(c.record_id == record_id for c in open_ones):
        return await conflicts_page(app, request, session, f"record {record_id}: no open conflict at that stage", 400)
    if label not in SETTLES or (label == EXCLUDE and not _reason_ok(app, stage, reason)):
        return await conflicts_page(app, request, session, "Settle it as include or exclude, and for exclude "
                                                           "choose one of the protocol's reasons.", 400)
    await asyncio.to_thread(_resolve, store.path, record_id, label, stage, reason if label == EXCLUDE else "",
                            f"resolved by {session.user.name} in the browser")
    return RedirectResponse("/conflicts", status_code=303)


def _reason_ok(app: ReviewApp, stage: str, reason: str) -> bool:
    return any(c.id == reason for c in app.protocol.exclude if c.stage == stage)


def _resolve(path: object, record_id: int, label: str, stage: str, reason: str, note: str) -> None:
    with Store.open(path, must_exist=True) as store:  # type: ignore[arg-type]
        resolve(store, record_id, label, stage=stage, reason_id=reason, note=note, resolver=RESOLVER)


async def build_report(app: ReviewApp, request: Request, session: Session) -> Response:
    """Write the report (the protocol's formats) into the review folder, as `exoreview report` does."""
    formats = tuple(dict.fromkeys(("html", *app.protocol.report.formats)))  # html: the page shows it
    await asyncio.to_thread(write_review_report, app.folder, formats)
    return RedirectResponse("/report", status_code=303)


async def report_page(app: ReviewApp, request: Request, session: Session) -> Response:
    path = app.folder.root / "report.html"
    if not path.is_file():
        return PlainTextResponse("no report built yet: build it from the dashboard (or `exoreview report`)\n",
                                 status_code=404)
    body = await asyncio.to_thread(path.read_bytes)
    return HTMLResponse(body, headers={"Content-Security-Policy": REPORT_POLICY})


# The files the report links to beside itself (a relative link from /report lands on /<name>).
REPORT_FILES = {RECORDS_BEHIND: "text/csv", EXPORTS["ris"]: "application/x-research-info-systems",
                EXPORTS["bib"]: "application/x-bibtex"}


async def report_file(app: ReviewApp, request: Request, session: Session) -> Response:
    name = request.url.path.removeprefix("/")
    path = app.folder.root / name
    if name not in REPORT_FILES or not path.is_file():
        return PlainTextResponse(f"{name} is written with the report: build it from the dashboard "
                                 "(or `exoreview report`)\n", status_code=404)
    return FileResponse(path, media_type=REPORT_FILES[name], filename=name)
