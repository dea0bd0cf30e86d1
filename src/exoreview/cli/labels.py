"""`exoreview labels`: a study's labels and EV reporting appraisal, each with its sentence.
`exoreview appraise`: rate the included studies again, optionally from their PMC full text."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.text import Text

from exoreview.appraise import Appraiser, load_instrument, score_of
from exoreview.cli.common import ATTEMPTS_HELP, ApiKeyOption, BaseUrlOption, EmailOption, console, find_study, out
from exoreview.records import Record
from exoreview.results import ELIGIBILITY, INCLUDE, NOT_APPLICABLE, REPORTED, SCORE_ITEM, Evidence, Label, Rating
from exoreview.review import ReviewFolder
from exoreview.store import Store, open_for_writing

_MARK = {REPORTED: ("✓", "green"), NOT_APPLICABLE: ("–", "dim")}


def labels(study: str = typer.Argument(..., help="PMID, DOI or PMC ID of a study in the review (or its number)."),
           directory: Path = typer.Option(Path("."), "--dir", help="The review folder."),
           as_json: bool = typer.Option(False, "--json", help="One JSON object instead of text.")) -> None:
    """A study's labels and its EV reporting appraisal, each with the sentence that supports it."""
    folder = ReviewFolder(directory)
    with Store.open(folder.store_file) as store:
        record_id = find_study(store, study)
        record = store.record(record_id)
        found = store.labels(record_id)
        ratings = store.appraisals(record_id)
    if as_json:
        out.print_json(json.dumps(study_json(record_id, record, found, ratings), ensure_ascii=False))
        return
    print_study(record, found, ratings)


def study_json(record_id: int, record: Record, found: list[Label], ratings: list[Rating]) -> dict[str, object]:
    """What `labels --json` prints: every label and appraisal item with its evidence and match offsets."""
    instrument = load_instrument()
    texts = {item.id: item.text for item in instrument.items}
    score_row = next((r for r in ratings if r.item == SCORE_ITEM), None)
    return {
        "record_id": record_id, "pmid": record.pmid, "doi": record.doi, "pmcid": record.pmcid,
        "title": record.title, "year": record.year,
        "labels": [{"facet": lab.facet, "value": lab.value, "negated": lab.negated, "hedged": lab.hedged,
                    "detail": lab.detail, "evidence": evidence_json(lab.evidence)} for lab in found],
        "appraisal": None if score_row is None else {
            "instrument": score_row.instrument,
            "score": score_of(ratings),
            "detail": score_row.detail,
            "items": [{"id": r.item, "text": texts.get(r.item, ""), "rating": r.rating, "detail": r.detail,
                       "evidence": evidence_json(r.evidence) if r.evidence else None}
                      for r in ratings if r.item != SCORE_ITEM],
        },
    }


def evidence_json(evidence: Evidence) -> dict[str, object]:
    start, end = match_span(evidence)
    return {"sentence": evidence.sentence, "field": evidence.field_name, "start": evidence.start, "end": evidence.end,
            "method": evidence.method, "match": evidence.match, "match_start": start, "match_end": end}


def match_span(evidence: Evidence) -> tuple[int, int]:
    """Offsets of the matched words within the sentence (their first occurrence); (0, 0) when none."""
    position = evidence.sentence.find(evidence.match) if evidence.match else -1
    return (position, position + len(evidence.match)) if position >= 0 else (0, 0)


def highlighted(evidence: Evidence) -> Text:
    """The sentence with the matched words in reverse video (plain Text: brackets in it stay literal)."""
    text = Text(evidence.sentence)
    start, end = match_span(evidence)
    if end > start:
        text.stylize("reverse bold", start, end)
    return text


def print_study(record: Record, found: list[Label], ratings: list[Rating]) -> None:
    ids = ", ".join(f"{k} {v}" for k, v in (("PMID", record.pmid), ("DOI", record.doi), ("PMC", record.pmcid)) if v)
    byline = ", ".join(str(part) for part in (record.first_author, record.year) if part)
    out.print(Text.assemble((record.title or "(no title)", "bold"), f" ({byline})" if byline else "", f" {ids}"))
    if not found:
        out.print("No labels: the study is not included, or `exoreview classify` has not run.")
    facet = ""
    for label in found:
        if label.facet != facet:
            facet = label.facet
            out.print(Text(f"\n{facet}", style="bold underline"))
        flags = "".join(f" [{flag}]" for flag, on in (("negated", label.negated), ("hedged", label.hedged)) if on)
        out.print(Text.assemble("  ", (label.value, "bold"), flags, f" {label.detail}" if label.detail else ""))
        out.print(Text.assemble(f"    {label.evidence.field_name}: ", highlighted(label.evidence),
                                (f"  ({label.evidence.method})", "dim")))
    print_appraisal(ratings)


def print_appraisal(ratings: list[Rating]) -> None:
    score_row = next((r for r in ratings if r.item == SCORE_ITEM), None)
    if score_row is None:
        out.print("\nNo EV reporting appraisal stored: run `exoreview classify` or `exoreview appraise`.")
        return
    texts = {item.id: item.text for item in load_instrument().items}
    score = score_of(ratings)
    heading = (f"EV reporting ({score_row.instrument}): not applicable, {score_row.detail}" if score is None
               else f"EV reporting ({score_row.instrument}): score {score:.2f}, {score_row.detail}")
    out.print(Text(f"\n{heading}", style="bold underline"))
    for rating in ratings:
        if rating.item == SCORE_ITEM:
            continue
        mark, style = _MARK.get(rating.rating, ("✗", "red"))
        out.print(Text.assemble("  ", (mark, style), " ", (rating.item, "bold"), f" ({rating.rating}) ",
                                (texts.get(rating.item, ""), "dim")))
        if rating.evidence is not None:
            out.print(Text.assemble(f"    {rating.evidence.field_name}: ", highlighted(rating.evidence),
                                    (f"  ({rating.evidence.method})", "dim")))
        elif rating.detail:
            out.print(Text(f"    {rating.detail}", style="dim"))


def appraise(directory: Path = typer.Argument(Path("."), help="The review folder."),
             fulltext: bool = typer.Option(False, "--fulltext",
                                           help="Fetch open-access PMC articles and read their Methods section."),
             base_url: str = BaseUrlOption, email: str = EmailOption, api_key: str = ApiKeyOption,
             attempts: int = typer.Option(6, help=ATTEMPTS_HELP)) -> None:
    """Rate the included studies' EV reporting (MISEV/EV-METRIC items) from their stored labels."""
    from exoreview.classify.rules import RuleClassifier
    from exoreview.sources.errors import SourceError, SourceUnavailable
    from exoreview.sources.http import RetryPolicy
    from exoreview.sources.pmc import PmcClient
    from exoreview.sources.pubmed import NCBI_EUTILS

    folder = ReviewFolder(directory)
    protocol = folder.protocol()
    appraiser = Appraiser(classifier=RuleClassifier(protocol.taxonomy))
    client = PmcClient(base_url=base_url or NCBI_EUTILS, email=email or "", api_key=api_key or "",
                       policy=RetryPolicy(attempts=max(1, attempts))) if fulltext else None
    fetched = failed = scored = 0
    try:
        with open_for_writing(folder.store_file, "appraise") as store:
            run_id = store.start_run("appraise", protocol.name, protocol.content_hash())
            included = [i for i, d in store.final_decisions(ELIGIBILITY).items() if d.label == INCLUDE]
            for record_id, record in store.iter_records(included):
                methods = ""
                if client is not None and record.pmcid:
                    try:
                        methods = client.fetch(record.pmcid).methods_text
                        fetched += 1
                    except SourceUnavailable as exc:
                        # The service is down after every retry: asking for each article again would only
                        # repeat the wait. What was appraised is kept; the command exits 3.
                        store.log(run_id, f"appraise: stopped at record {record_id}: {exc}; {scored} studies "
                                          "appraised before it are kept", level="error")
                        store.finish_run(run_id, "failed")
                        raise
                    except (SourceError, ValueError) as exc:  # this article only: the abstract is appraised
                        failed += 1
                        store.log(run_id, f"appraise: record {record_id} ({record.pmcid}): no full text: {exc}",
                                  level="warning")
                        console.print(f"{record.pmcid}: no full text ({exc}); abstract only", markup=False,
                                      style="yellow")
                ratings = appraiser.appraise(record, store.labels(record_id), record_id, methods)
                store.replace_appraisals(record_id, ratings, run_id)
                scored += score_of(ratings) is not None
            store.log(run_id, f"appraise: {len(included)} studies, {scored} scored, {fetched} full texts"
                              + (f", {failed} failed" if failed else ""))
            store.finish_run(run_id)
    finally:
        if client is not None:
            client.close()
    out.print(f"{len(included)} included studies appraised against {appraiser.instrument.name}: {scored} EV studies "
              f"scored" + (f"; Methods read from {fetched} PMC articles" if fulltext else "") + ".")
