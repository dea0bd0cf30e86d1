"""Classify: label every included study (each label with its sentence) and appraise its EV reporting.

It sits above both `exoreview.classify` and `exoreview.appraise` (which builds on the classifier),
so neither package imports the other's stage.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.appraise import Appraiser
from exoreview.classify.base import StudyClassifier
from exoreview.classify.rules import RuleClassifier
from exoreview.protocol.model import Taxonomy
from exoreview.records import Record
from exoreview.stages.context import RunContext
from exoreview.stages.screen import included_ids
from exoreview.store.database import Store

NAME = "classify"

Progress = Callable[[int, int], None]  # (records done, records in total)
# Given a record, the text of its full-text Methods section ("" when there is none or it failed).
MethodsText = Callable[[Record], str]


def classify_records(
    store: Store,
    record_ids: list[int],
    taxonomy: Taxonomy,
    run_id: int | None = None,
    progress: Progress | None = None,
    *,
    appraise: bool | None = None,
    methods_text: MethodsText | None = None,
) -> int:
    """Label each record, appraise its EV reporting, and replace both in the store; returns the labels written.

    Each record's labels and appraisal are replaced in their own transactions, so an interrupted
    run leaves every record either with its old results or with its new ones, never with a mix.
    `methods_text` supplies the Methods section of a record's full text for the appraisal.
    `appraise` defaults to what the taxonomy's report layout says (EV reporting applies to vesicle studies).
    """
    if appraise is None:
        appraise = taxonomy.report.appraisal
    classifier = StudyClassifier(taxonomy)
    appraiser = Appraiser(classifier=RuleClassifier(taxonomy)) if appraise else None
    total = len(record_ids)
    written = appraised = 0
    for done, (record_id, record) in enumerate(store.iter_records(record_ids), start=1):
        labels = classifier.classify(record, record_id)
        store.replace_labels(record_id, labels, run_id)
        written += len(labels)
        if appraiser is not None:
            methods = methods_text(record) if methods_text is not None else ""
            store.replace_appraisals(record_id, appraiser.appraise(record, labels, record_id, methods), run_id)
            appraised += 1
        if progress is not None:
            progress(done, total)
    if run_id is not None:
        store.log(run_id, f"classify: {written} labels for {total} records"
                          + (f"; {appraised} appraised against {appraiser.instrument.name}" if appraiser else ""))
    return written


def run(context: RunContext) -> None:
    included = included_ids(context)
    context.summary.labels = classify_records(context.store, included, context.protocol.taxonomy,
                                              run_id=context.run_id)
    context.store.log(context.run_id, f"classify: {context.summary.labels} labels on {len(included)} included studies")
    context.say(f"Classified: {context.summary.labels} labels, each with its supporting sentence")
