"""The pages of `exoreview serve`: the dashboard, the included studies, and checking a study's labels."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from exoreview.checking import (
    KEPT,
    LabelKey,
    each_reviewers,
    extraction_agreement,
    extractors,
    facet_checks,
    judgements,
    label_conflicts,
    resolve_label,
    standing,
)
from exoreview.classify.sentences import field_text, split_sentences
from exoreview.protocol import Taxonomy
from exoreview.records import Record
from exoreview.results import Evidence, Label
from exoreview.store import Store
from exoreview.store.team import (
    LabelCheck,
    Session,
    TeamError,
    add_check,
    added_label,
    checks,
    unblinding,
    users,
)
from exoreview.synthesis.prisma import compute_flow
from exoreview.synthesis.tables import class_label, facet_names
from exoreview.web.screening import STAGES, is_blind, team_progress

if TYPE_CHECKING:
    from exoreview.web.app import ReviewApp

CHECKED_FIELDS = ("title", "abstract")  # where a reviewer may select the words behind a label


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One label on the check page: what it says, the sentence it stands on, and how people judged it."""

    facet: str
    value: str
    label: str
    before: str  # the evidence sentence around the matched words
    match: str
    after: str
    field: str
    verdict: str  # the check this person sees (see `verdicts_seen`), "" while unchecked
    reviewer: str
    machine: bool
    others: tuple[tuple[str, str], ...] = ()  # (reviewer, verdict) of every reviewer, for an owner
    conflict: bool = False  # reviewers checked it differently and no owner has resolved it


def flow_hidden(app: ReviewApp, session: Session) -> bool:
    """While screening is blind, people who screen do not see counts that follow from the others' decisions."""
    return session.user.can_write and is_blind(app.protocol, app.store())


async def dashboard(app: ReviewApp, request: Request, session: Session) -> Response:
    store = app.store()
    flow = compute_flow(store, app.protocol)
    included = set(flow.included)
    all_checks = checks(store)
    by_reviewer = Counter(c.reviewer for c in all_checks)
    hidden = flow_hidden(app, session)
    boxes = [("Records identified", len(flow.identified_ids)), ("Duplicates removed", len(flow.duplicates))]
    if not hidden:
        # The PRISMA 2020 boxes in order, so each step's numbers add up to the next one's.
        boxes += [("Records screened", len(flow.screened)), ("Excluded at screening", len(flow.excluded_screening)),
                  ("Awaiting screening", len(flow.awaiting_screening)), ("Reports sought", len(flow.sought)),
                  ("Reports not retrieved", len(flow.not_retrieved)),
                  ("Awaiting full text or assessment", len(flow.awaiting_assessment)),
                  ("Reports assessed", len(flow.assessed)), ("Excluded at eligibility", len(flow.excluded_eligibility)),
                  ("Studies included", len(included))]
    own_only = session.user.role == "reviewer"  # extracting blind: a reviewer's counts are their own checks
    shown_checks = [c for c in all_checks if c.reviewer == session.user.name] if own_only else all_checks
    rows = facet_checks(store.labels(), shown_checks, included) if not hidden else []
    checkers = extractors(all_checks)
    agreements = [] if hidden or own_only else [a for i, first in enumerate(checkers) for second in checkers[i + 1:]
                                                for a in extraction_agreement(all_checks, first, second)]
    machine = sum(r.machine for r in rows)
    verified = sum(r.accepted + r.rejected for r in rows)
    accounts = users(store)
    roles = {u.name: u.role for u in accounts}
    progress = team_progress(store, app.protocol, [u.name for u in accounts], session.user.name,
                             len(flow.screened) + len(flow.awaiting_screening))
    team = [(name, roles.get(name, ""), stages, by_reviewer.get(name, 0)) for name, stages in progress.items()]
    return app.render("dashboard.html", session=session, boxes=boxes, rows=rows, machine=machine,
                      verified=verified, team=team, stages=STAGES, hidden=hidden,
                      blind=app.protocol.screening.blind, unblinded=unblinding(store),
                      names=facet_names(app.protocol.taxonomy), agreements=agreements,
                      disputed=sum(r.disputed for r in rows), last_search=last_search(store), own_only=own_only)


@dataclass(frozen=True, slots=True)
class LastSearch:
    source: str
    query: str  # an import is logged as a search too: "file import: NAME"
    at: str
    found: int | None  # what the source said it holds for the query
    added: int  # records the search's run stored for the first time

    @property
    def what(self) -> str:
        """"an import of records.ris" or "a pubmed search (the query)"."""
        if self.source.startswith("import:"):
            return f"an import of {self.source.removeprefix('import:')}"
        query = self.query if len(self.query) <= 120 else self.query[:117] + "..."
        return f"a {self.source} search ({query})"


def last_search(store: Store) -> LastSearch | None:
    searches = store.searches()
    if not searches:
        return None
    row = searches[-1]
    return LastSearch(row["source"], row["query"], row["executed_at"], row["count"],
                      store.records_first_stored_in(row["run_id"]))


async def studies(app: ReviewApp, request: Request, session: Session) -> Response:
    store = app.store()
    if flow_hidden(app, session):  # which studies are included follows from the other screeners' decisions
        return app.render("studies.html", session=session, rows=[], hidden=True)
    included = compute_flow(store, app.protocol).included
    all_checks = checks(store)
    verdicts = (each_reviewers(all_checks).get(session.user.name, {}) if session.user.role == "reviewer"
                else standing(all_checks))  # a reviewer counts their own checks, blind to the others'
    machine = Counter(label.record_id for label in store.labels())
    checked = Counter(key[0] for key, c in verdicts.items() if c.verdict in ("accepted", "rejected"))
    rows = [(i, store.record(i), machine.get(i, 0), checked.get(i, 0)) for i in sorted(included)]
    return app.render("studies.html", session=session, rows=rows, hidden=False)


BLIND_REFUSAL = "hidden while screening is blind: which studies have labels follows from the others' decisions\n"


async def study(app: ReviewApp, request: Request, session: Session, error: str = "", status: int = 200) -> Response:
    if flow_hidden(app, session):
        return PlainTextResponse(BLIND_REFUSAL, status_code=403)
    record_id = int(request.path_params["record_id"])
    store = app.store()
    if not store.has_record(record_id):
        return PlainTextResponse(f"no record {record_id} in this review\n", status_code=404)
    record = store.record(record_id)
    taxonomy = app.protocol.taxonomy
    record_checks = checks(store, record_id)
    verdicts = verdicts_seen(session, record_checks)
    rows = [_row(label, verdicts, taxonomy, machine=True) for label in store.labels(record_id)]
    made = {(r.facet, r.value) for r in rows}
    rows += [_row(added_label(c), verdicts, taxonomy, machine=False)
             for (_, facet, value), c in verdicts.items() if c.verdict == "added" and (facet, value) not in made]
    if session.user.role != "reviewer":
        rows = _with_reviewers(rows, record_checks)
    facets = {facet: [(value, spec.label) for value, spec in classes.items()]
              for facet, classes in taxonomy.facets.items()}
    return app.render("study.html", status=status, session=session, record_id=record_id, record=record,
                      rows=sorted(rows, key=lambda r: (r.facet, r.value)), facets=facets, error=error,
                      names=facet_names(taxonomy))


def verdicts_seen(session: Session, record_checks: list[LabelCheck]) -> dict[LabelKey, LabelCheck]:
    """A reviewer sees their own checks only, so two people extract independently; an owner and a viewer
    see what stands (agreed, resolved, or checked by one), and an owner also each reviewer's verdict."""
    if session.user.role == "reviewer":
        return each_reviewers(record_checks).get(session.user.name, {})
    shown = standing(record_checks)
    for conflict in label_conflicts(record_checks):  # an added label in dispute still shows, to be resolved
        added = next((c for c in conflict.checks.values() if c.verdict == "added"), None)
        if added is not None and conflict.key not in shown:
            shown[conflict.key] = replace(added, verdict="added", reviewer="")
    return shown


def _with_reviewers(rows: list[LabelRow], record_checks: list[LabelCheck]) -> list[LabelRow]:
    by_label = {key[1:]: tuple(verdicts.items()) for key, verdicts in judgements(each_reviewers(record_checks)).items()}
    disputed = {c.key[1:] for c in label_conflicts(record_checks)}
    return [replace(r, others=tuple(by_label.get((r.facet, r.value), ())), conflict=(r.facet, r.value) in disputed,
                    verdict="" if (r.facet, r.value) in disputed else r.verdict,
                    reviewer=_agreeing(r, by_label.get((r.facet, r.value), ())))
            for r in rows]


def _agreeing(row: LabelRow, verdicts: tuple[tuple[str, str], ...]) -> str:
    """Who stands behind a standing verdict: everyone who judged the label alike, not only the last of them."""
    if not row.reviewer or row.reviewer not in dict(verdicts):
        return row.reviewer  # an owner's resolution, or a label no reviewer judged
    alike = [name for name, verdict in verdicts if (verdict in KEPT) == (row.verdict in KEPT)]
    return " and ".join(alike) if alike else row.reviewer


async def resolve(app: ReviewApp, request: Request, session: Session) -> Response:
    """An owner keeps or drops a label two reviewers checked differently."""
    record_id = int(request.path_params["record_id"])
    form: dict[str, str] = request.state.form
    store = app.store()
    if not store.has_record(record_id):
        return PlainTextResponse(f"no record {record_id} in this review\n", status_code=404)
    if session.user.role != "owner":
        return PlainTextResponse("only an owner resolves reviewers' conflicts\n", status_code=403)
    key = (record_id, form.get("facet", ""), form.get("value", ""))
    try:
        resolve_label(store, session.user, key, keep=form.get("keep") == "1")
    except TeamError as exc:
        return await study(app, request, session, str(exc), 400)
    return RedirectResponse(f"/studies/{record_id}#facet-{key[1]}-{key[2]}", status_code=303)


async def check(app: ReviewApp, request: Request, session: Session) -> Response:
    """Accept or reject a label, or add one standing on words the reviewer selected in the record."""
    if flow_hidden(app, session):
        return PlainTextResponse(BLIND_REFUSAL, status_code=403)
    record_id = int(request.path_params["record_id"])
    form: dict[str, str] = request.state.form
    store = app.store()
    if not store.has_record(record_id):
        return PlainTextResponse(f"no record {record_id} in this review\n", status_code=404)
    facet, value, verdict = form.get("facet", ""), form.get("value", ""), form.get("verdict", "")
    if value not in app.protocol.taxonomy.classes(facet) and not _machine_has(store.labels(record_id), facet, value):
        return await study(app, request, session, f"{facet}.{value}: the taxonomy has no such label", 400)
    if record_id not in set(compute_flow(store, app.protocol).included):
        return await study(app, request, session, "This record is not an included study: its labels are not "
                                                  "checked.", 409)
    refusal = _unseen_label(store, session, record_id, facet, value, verdict)
    if refusal:
        return await study(app, request, session, refusal, 400)
    evidence = None
    if verdict == "added":
        words = form.get("words", "")
        evidence = words_evidence(store.record(record_id), words, session.user.name, form.get("field", ""))
        if evidence is None:
            why = ("the words given are too short (three characters at least)" if len(" ".join(words.split())) < 3
                   else "the words given are not in this record")
            return await study(app, request, session, "Select (or type) words of the title or abstract that state "
                                                      f"the label: {why}.", 400)
    try:
        add_check(store, LabelCheck(record_id, facet, value, verdict, session.user.name, evidence, ""))
    except TeamError as exc:
        return await study(app, request, session, str(exc), 400)
    return RedirectResponse(f"/studies/{record_id}#facet-{facet}", status_code=303)


def _unseen_label(store: Store, session: Session, record_id: int, facet: str, value: str, verdict: str) -> str:
    """Why a reviewer may not accept or reject this label (empty when they may): only a label they can see,
    the machine's or one they added, is theirs to judge; another's label stays unseen while extracting blind."""
    if verdict not in ("accepted", "rejected") or _machine_has(store.labels(record_id), facet, value):
        return ""
    own = each_reviewers(checks(store, record_id)).get(session.user.name, {}).get((record_id, facet, value))
    if own is not None and own.verdict == "added":
        return ""
    return (f"{facet}.{value}: there is no such label on this study to {verdict[:-2]}; add it with the words "
            "that state it.")


def words_evidence(record: Record, words: str, reviewer: str, field: str = "") -> Evidence | None:
    """The sentence of the title or abstract holding the selected words, as a label's evidence; looked for
    first in `field`, where the reviewer selected them (the same words may stand in the title too)."""
    words = " ".join(words.split())
    if len(words) < 3:
        return None
    for field_name in sorted(CHECKED_FIELDS, key=lambda name: name != field):
        text = field_text(record, field_name)
        for sentence in split_sentences(text):
            at = " ".join(sentence.text.split()).find(words)
            if at >= 0:
                return Evidence(sentence.text, sentence.start, sentence.end, field_name, f"reviewer:{reviewer}",
                                words)
    return None


def _machine_has(labels: list[Label], facet: str, value: str) -> bool:
    return any(label.facet == facet and label.value == value for label in labels)


def _row(label: Label, verdicts: dict[LabelKey, LabelCheck], taxonomy: Taxonomy, *, machine: bool) -> LabelRow:
    sentence, match = label.evidence.sentence, label.evidence.match
    at = sentence.find(match) if match else -1
    before, after = (sentence, "") if at < 0 else (sentence[:at], sentence[at + len(match):])
    judged = verdicts.get((label.record_id, label.facet, label.value))
    return LabelRow(label.facet, label.value, class_label(taxonomy, label.facet, label.value),
                    before, match if at >= 0 else "", after, label.evidence.field_name,
                    judged.verdict if judged else "", judged.reviewer if judged else "", machine)
