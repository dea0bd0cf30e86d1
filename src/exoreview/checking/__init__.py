"""People's checks of machine labels, and the labels the review counts once people have checked them.

A reviewer accepts a machine label, rejects it, or adds a label by selecting the words of the record
that state it; a reviewer's latest check of a label is theirs. Two reviewers may check the same
studies independently: where they agree, their verdict stands; where one kept a label and the other
dropped it, an owner resolves it, and until then the label is a conflict and counts as the machine
gave it. Agreement between two reviewers is Cohen's kappa per facet. The report counts the checked
labels: a rejected machine label is dropped, an added one counts with the reviewer's words as its
evidence, and the Methods say how many labels a person verified and how often the machine agreed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sklearn.metrics import cohen_kappa_score

from exoreview.results import Label
from exoreview.store import Store
from exoreview.store.team import LabelCheck, TeamError, User, add_check, added_label, checks

LabelKey = tuple[int, str, str]  # (record, facet, value)
KEPT = ("accepted", "added")  # verdicts that keep a label; "rejected" drops it


NOT_ADDED = "not added"  # a reviewer who checked a facet of a study without adding a label another added


def keeps(check: LabelCheck) -> bool:
    return check.verdict in KEPT


def each_reviewers(all_checks: Iterable[LabelCheck]) -> dict[str, dict[LabelKey, LabelCheck]]:
    """Each reviewer's own checks (their latest per label), owners' resolutions left out."""
    mine: dict[str, dict[LabelKey, LabelCheck]] = {}
    for check in all_checks:
        if not check.resolves:
            mine.setdefault(check.reviewer, {})[(check.record_id, check.facet, check.value)] = check
    return mine


def resolutions(all_checks: Iterable[LabelCheck]) -> dict[LabelKey, LabelCheck]:
    """An owner's latest resolution of each label reviewers checked differently."""
    return {(c.record_id, c.facet, c.value): c for c in all_checks if c.resolves}


def judgements(mine: dict[str, dict[LabelKey, LabelCheck]]) -> dict[LabelKey, dict[str, str]]:
    """Per label, each reviewer's verdict. A reviewer who checked a facet of a study and did not add a
    label that another reviewer added there judged it too: they read the study and saw no such label."""
    found: dict[LabelKey, dict[str, str]] = {}
    for reviewer, checked in sorted(mine.items()):
        for key, check in checked.items():
            found.setdefault(key, {})[reviewer] = check.verdict
    worked = {reviewer: {key[:2] for key in checked} for reviewer, checked in mine.items()}
    for key, verdicts in found.items():
        if "added" in verdicts.values():
            for reviewer in sorted(worked):
                if reviewer not in verdicts and key[:2] in worked[reviewer]:
                    verdicts[reviewer] = NOT_ADDED
    return found


def split(verdicts: dict[str, str]) -> bool:
    """Whether one reviewer kept a label (accepted or added it) and another dropped it."""
    return len({v in KEPT for v in verdicts.values()}) > 1


@dataclass(frozen=True, slots=True)
class LabelConflict:
    key: LabelKey
    verdicts: dict[str, str]  # reviewer -> accepted, rejected, added or "not added"
    checks: dict[str, LabelCheck]  # the reviewers' own check rows (none for "not added")
    resolution: LabelCheck | None


def label_conflicts(all_checks: Iterable[LabelCheck], *, include_resolved: bool = False) -> list[LabelConflict]:
    """Labels that one reviewer kept and another dropped, in record order; resolved ones on request."""
    all_checks = list(all_checks)
    settled = resolutions(all_checks)
    mine = each_reviewers(all_checks)
    found = []
    for key, verdicts in sorted(judgements(mine).items()):
        if split(verdicts) and (include_resolved or key not in settled):
            found.append(LabelConflict(key, verdicts, {r: mine[r][key] for r in verdicts if key in mine[r]},
                                       settled.get(key)))
    return found


def standing(all_checks: Iterable[LabelCheck]) -> dict[LabelKey, LabelCheck]:
    """The check that stands for each label: an owner's resolution; else, when every reviewer who
    judged it kept it or every one dropped it, the latest of their checks. A label reviewers judged
    differently has none until an owner resolves it (the machine's label counts meanwhile)."""
    all_checks = list(all_checks)
    mine = each_reviewers(all_checks)
    disputed = {key for key, verdicts in judgements(mine).items() if split(verdicts)}
    found: dict[LabelKey, LabelCheck] = {}
    for checked in mine.values():
        for key, check in checked.items():
            if key not in disputed and (key not in found or check.id >= found[key].id):
                found[key] = check
    found.update(resolutions(all_checks))
    return found


def checked_labels(machine: Iterable[Label], all_checks: Iterable[LabelCheck]) -> list[Label]:
    """The machine's labels less those a person rejected, plus those a person added."""
    verdicts = standing(all_checks)
    kept = [label for label in machine
            if getattr(verdicts.get((label.record_id, label.facet, label.value)), "verdict", "") != "rejected"]
    have = {(label.record_id, label.facet, label.value) for label in kept}
    added = [added_label(c) for key, c in verdicts.items() if c.verdict == "added" and key not in have]
    return kept + added


@dataclass(frozen=True, slots=True)
class FacetAgreement:
    """How two reviewers who checked the same studies agreed on one facet's labels (kept or dropped)."""

    facet: str
    pair: tuple[str, str]
    n: int  # labels both judged
    observed: float | None  # share judged alike
    kappa: float | None  # Cohen's kappa; None under two labels


def extractors(all_checks: Iterable[LabelCheck]) -> list[str]:
    """The people who checked labels themselves (resolutions aside), by name."""
    return sorted(each_reviewers(all_checks))


def extraction_agreement(all_checks: Iterable[LabelCheck], first: str, second: str) -> list[FacetAgreement]:
    """Per facet, Cohen's kappa and raw agreement between two reviewers over the labels both judged
    (kept: accepted or added; dropped: rejected, or not added where the other added it)."""
    pairs: dict[str, list[tuple[bool, bool]]] = {}
    for key, verdicts in sorted(judgements(each_reviewers(list(all_checks))).items()):
        if first in verdicts and second in verdicts:
            pairs.setdefault(key[1], []).append((verdicts[first] in KEPT, verdicts[second] in KEPT))
    return [_agreement(facet, (first, second), pairs[facet]) for facet in sorted(pairs)]


def _agreement(facet: str, pair: tuple[str, str], judged: list[tuple[bool, bool]]) -> FacetAgreement:
    observed = sum(x == y for x, y in judged) / len(judged)
    if len(judged) < 2:
        return FacetAgreement(facet, pair, len(judged), observed, None)
    left, right = zip(*judged, strict=True)
    # Both judging every label alike and the same way leaves kappa undefined by formula (chance
    # agreement 1): reported as 1, as screening agreement is.
    single = len(set(left) | set(right)) == 1
    kappa = 1.0 if single else float(cohen_kappa_score(left, right, labels=[True, False]))
    return FacetAgreement(facet, pair, len(judged), observed, kappa)


@dataclass(frozen=True, slots=True)
class FacetChecks:
    facet: str
    machine: int  # machine labels of the included studies
    accepted: int
    rejected: int
    added: int  # labels a person added that the machine did not give
    disputed: int = 0  # labels reviewers checked differently, not yet resolved by an owner

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
    all_checks = list(all_checks)
    machine_keys = {(lab.record_id, lab.facet, lab.value) for lab in machine if lab.record_id in records}
    verdicts = {k: c.verdict for k, c in standing(all_checks).items() if k[0] in records}
    disputed = Counter(c.key[1] for c in label_conflicts(all_checks) if c.key[0] in records)
    facets = sorted({k[1] for k in machine_keys} | {k[1] for k in verdicts} | set(disputed))
    return [_facet_row(facet, {k for k in machine_keys if k[1] == facet},
                       {k: v for k, v in verdicts.items() if k[1] == facet}, disputed[facet]) for facet in facets]


def _facet_row(facet: str, machine: set[LabelKey], verdicts: dict[LabelKey, str], disputed: int) -> FacetChecks:
    kinds = Counter(("machine" if key in machine else "new", verdict) for key, verdict in verdicts.items())
    return FacetChecks(facet, len(machine), accepted=kinds["machine", "accepted"] + kinds["machine", "added"],
                       rejected=kinds["machine", "rejected"], added=kinds["new", "added"], disputed=disputed)


def resolve_label(store: Store, owner: User, key: LabelKey, keep: bool) -> LabelCheck:
    """An owner settles a label two reviewers checked differently; the resolution is a check row of its own.
    A kept label the machine never gave keeps the words its reviewer selected as its evidence."""
    if owner.role != "owner":
        raise TeamError(f"{owner.name} is a {owner.role}: only an owner resolves reviewers' conflicts")
    record_id, facet, value = key
    conflict = next((c for c in label_conflicts(checks(store, record_id), include_resolved=True) if c.key == key),
                    None)
    if conflict is None:
        raise TeamError(f"{facet}.{value} of record {record_id}: the reviewers did not check it differently; "
                        "nothing to resolve")
    verdict, evidence = ("rejected", None)
    if keep:
        adder = next((c for c in conflict.checks.values() if c.verdict == "added"), None)
        given = any(lab.facet == facet and lab.value == value for lab in store.labels(record_id))
        verdict, evidence = ("accepted", None) if given or adder is None else ("added", adder.evidence)
    check = LabelCheck(record_id, facet, value, verdict, owner.name, evidence, "", resolves=True)
    return replace(check, id=add_check(store, check))


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
    disputed = sum(r.disputed for r in rows)
    if disputed:
        head += (f" {disputed} label{'s' if disputed != 1 else ''} that two reviewers checked differently "
                 f"{'await' if disputed != 1 else 'awaits'} an owner's decision and "
                 f"{'count' if disputed != 1 else 'counts'} as the machine gave {'them' if disputed != 1 else 'it'}.")
    parts = []
    for r in rows:
        if r.agreement is None:
            continue
        parts.append(f"{r.facet.replace('_', ' ')} {r.verified} verified, {r.unchecked} machine-only, "
                     f"agreement {r.agreement:.0%}")
    return f"{head} Per facet: {'; '.join(parts)}." if parts else head


def verified_line(rows: list[FacetChecks]) -> str:
    """The report's first page on its labels: all verified by people, some, or none (machine labels)."""
    machine = sum(r.machine for r in rows)
    checked = sum(r.accepted + r.rejected for r in rows)
    if not machine and not any(r.added for r in rows):
        return ""
    if all(r.unchecked == 0 and r.disputed == 0 for r in rows):
        return "Every label of the included studies was verified by a reviewer."
    if not checked and not any(r.added for r in rows):
        return "Its labels are machine labels that no person has checked yet (see Methods)."
    return (f"Reviewers have checked {checked} of the {machine} machine labels of the included studies; "
            "the rest stand as the machine gave them (see Methods).")
