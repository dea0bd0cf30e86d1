"""People's checks of machine labels, and the labels the review counts once people have checked them.

A reviewer accepts a machine label, rejects it, or adds a label by selecting the words of the record
that state it. The latest check of a label stands. The report counts the checked labels: a rejected
machine label is dropped, an added one counts with the reviewer's words as its evidence, and the
Methods say how many labels a person verified and how often the machine agreed with them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from exoreview.results import Label
from exoreview.store import Store
from exoreview.store.team import LabelCheck, added_label, checks

LabelKey = tuple[int, str, str]  # (record, facet, value)


def standing(all_checks: Iterable[LabelCheck]) -> dict[LabelKey, LabelCheck]:
    """The check that stands for each label: the latest made."""
    latest: dict[LabelKey, LabelCheck] = {}
    for check in all_checks:
        latest[(check.record_id, check.facet, check.value)] = check
    return latest


def checked_labels(machine: Iterable[Label], all_checks: Iterable[LabelCheck]) -> list[Label]:
    """The machine's labels less those a person rejected, plus those a person added."""
    verdicts = standing(all_checks)
    kept = [label for label in machine
            if getattr(verdicts.get((label.record_id, label.facet, label.value)), "verdict", "") != "rejected"]
    have = {(label.record_id, label.facet, label.value) for label in kept}
    added = [added_label(c) for key, c in verdicts.items() if c.verdict == "added" and key not in have]
    return kept + added


@dataclass(frozen=True, slots=True)
class FacetChecks:
    facet: str
    machine: int  # machine labels of the included studies
    accepted: int
    rejected: int
    added: int  # labels a person added that the machine did not give

    @property
    def verified(self) -> int:
        return self.accepted + self.added

    @property
    def unchecked(self) -> int:
        return self.machine - self.accepted - self.rejected

    @property
    def agreement(self) -> float | None:
        """How often the machine's label stood when a person checked it (None before any check)."""
        judged = self.accepted + self.rejected + self.added
        return self.accepted / judged if judged else None


def facet_checks(machine: Iterable[Label], all_checks: Iterable[LabelCheck], records: set[int]) -> list[FacetChecks]:
    """Per facet, over the given records: machine labels, and how people's checks went."""
    machine_keys = {(lab.record_id, lab.facet, lab.value) for lab in machine if lab.record_id in records}
    verdicts = {k: c.verdict for k, c in standing(all_checks).items() if k[0] in records}
    facets = sorted({k[1] for k in machine_keys} | {k[1] for k in verdicts})
    return [_facet_row(facet, {k for k in machine_keys if k[1] == facet},
                       {k: v for k, v in verdicts.items() if k[1] == facet}) for facet in facets]


def _facet_row(facet: str, machine: set[LabelKey], verdicts: dict[LabelKey, str]) -> FacetChecks:
    kinds = Counter(("machine" if key in machine else "new", verdict) for key, verdict in verdicts.items())
    return FacetChecks(facet, len(machine), accepted=kinds["machine", "accepted"] + kinds["machine", "added"],
                       rejected=kinds["machine", "rejected"], added=kinds["new", "added"])


def review_labels(store: Store) -> list[Label]:
    """The labels the review counts: the store's machine labels as people checked them."""
    return checked_labels(store.labels(), checks(store))


def checks_sentence(rows: list[FacetChecks]) -> str:
    """The Methods' line on checking: how many labels a person verified, and how often the machine agreed."""
    machine = sum(r.machine for r in rows)
    checked = sum(r.accepted + r.rejected for r in rows)
    if not checked and not any(r.added for r in rows):
        return ""
    if all(r.unchecked == 0 for r in rows):
        head = f"Every label was verified by a reviewer ({machine} machine labels checked)."
    else:
        head = f"Reviewers have checked {checked} of the {machine} machine labels of the included studies."
    parts = []
    for r in rows:
        if r.agreement is None:
            continue
        parts.append(f"{r.facet.replace('_', ' ')} {r.verified} verified, {r.unchecked} machine-only, "
                     f"agreement {r.agreement:.0%}")
    return f"{head} Per facet: {'; '.join(parts)}." if parts else head
