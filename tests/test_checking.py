"""Two reviewers checking the same studies: what stands, what is a conflict, and their agreement (kappa).

Checks are built by hand, in the order a store would number them; the sentences are ours.
"""

from __future__ import annotations

import pytest

from exoreview.checking import (
    NOT_ADDED,
    checked_labels,
    extraction_agreement,
    facet_checks,
    label_conflicts,
    standing,
)
from exoreview.results import Evidence, Label
from exoreview.store.team import LabelCheck

WORDS = Evidence("Vesicles were injected into the scar.", 0, 37, "abstract", "reviewer:bob", "injected into the scar")


def check(n: int, record: int, facet: str, value: str, verdict: str, reviewer: str, *,
          resolves: bool = False) -> LabelCheck:
    evidence = WORDS if verdict == "added" else None
    return LabelCheck(record, facet, value, verdict, reviewer, evidence, f"2026-12-04T10:00:{n:02d}", n, resolves)


def machine(record: int, facet: str, value: str) -> Label:
    return Label(record, facet, value, Evidence("A sentence of ours.", 0, 19, "abstract", "rules", "ours"))


def test_agreed_verdicts_stand_and_split_ones_wait_for_an_owner() -> None:
    checks = [check(1, 1, "design", "rct", "accepted", "bob"), check(2, 1, "design", "rct", "accepted", "dave"),
              check(3, 1, "route", "topical", "accepted", "bob"), check(4, 1, "route", "topical", "rejected", "dave")]
    stands = standing(checks)
    assert stands[(1, "design", "rct")].id == 2  # both kept it: the latest of their checks stands
    assert (1, "route", "topical") not in stands  # one kept, one dropped: nothing stands yet
    [conflict] = label_conflicts(checks)
    assert conflict.key == (1, "route", "topical") and conflict.verdicts == {"bob": "accepted", "dave": "rejected"}
    # Meanwhile the machine's label counts as it was given, and the facet says one label is disputed.
    labels = [machine(1, "design", "rct"), machine(1, "route", "topical")]
    assert {lab.value for lab in checked_labels(labels, checks)} == {"rct", "topical"}
    route = next(r for r in facet_checks(labels, checks, {1}) if r.facet == "route")
    assert route.disputed == 1 and route.unchecked == 1

    resolved = [*checks, check(5, 1, "route", "topical", "rejected", "alice", resolves=True)]
    assert standing(resolved)[(1, "route", "topical")].reviewer == "alice"
    assert label_conflicts(resolved) == [] and len(label_conflicts(resolved, include_resolved=True)) == 1
    assert {lab.value for lab in checked_labels(labels, resolved)} == {"rct"}


def test_a_label_one_reviewer_added_is_judged_by_the_other_who_checked_that_facet() -> None:
    checks = [check(1, 1, "route", "intradermal", "added", "bob"),
              check(2, 1, "route", "topical", "accepted", "dave"),  # dave read the routes of study 1
              check(3, 2, "route", "subcutaneous", "added", "bob")]  # nobody else looked at study 2's routes
    [conflict] = label_conflicts(checks)
    assert conflict.key == (1, "route", "intradermal") and conflict.verdicts["dave"] == NOT_ADDED
    assert (1, "route", "intradermal") not in standing(checks)
    assert standing(checks)[(2, "route", "subcutaneous")].reviewer == "bob"
    kept = [*checks, check(4, 1, "route", "intradermal", "added", "alice", resolves=True)]
    added = [lab for lab in checked_labels([], kept) if lab.value == "intradermal"]
    assert added and added[0].evidence.match == "injected into the scar"


def test_kappa_per_facet_matches_hand_computation() -> None:
    bob = ["accepted", "accepted", "rejected", "accepted"]
    dave = ["accepted", "rejected", "rejected", "accepted"]
    checks = [check(n, n, "design", "rct", verdict, "bob") for n, verdict in enumerate(bob, 1)]
    checks += [check(10 + n, n, "design", "rct", verdict, "dave") for n, verdict in enumerate(dave, 1)]
    checks.append(check(30, 1, "route", "topical", "accepted", "bob"))  # judged by one only: not counted
    [design] = extraction_agreement(checks, "bob", "dave")
    # Observed 3/4; bob keeps 3/4, dave 2/4: chance agreement 3/4*2/4 + 1/4*2/4 = 1/2, kappa (3/4-1/2)/(1/2).
    assert design.facet == "design" and design.n == 4
    assert design.observed == pytest.approx(0.75) and design.kappa == pytest.approx(0.5)
    one = extraction_agreement(checks[:1] + checks[4:5], "bob", "dave")
    assert one[0].n == 1 and one[0].kappa is None
