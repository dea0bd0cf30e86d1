"""Every summary sentence of the demo's report read against its own numbers and the store.

A heading may not say "few" over a share that says "most", counts that split a group must add up
to the group, and every "X of Y (Z%)" must be arithmetic that holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.protocol import load_protocol
from exoreview.results import ELIGIBILITY, INCLUDE
from exoreview.store import Store
from exoreview.synthesis.prisma import compute_flow

SHARE = re.compile(r"(\d+) of (\d+) \((\d+)%\)")
CHALLENGE = re.compile(r"^- \*\*(?P<title>.+?)\*\* \((?P<share>\d+%|—)\): (?P<text>.+)$", re.MULTILINE)
SECTION = re.compile(r"^(?P<n>\d+) included stud(?:y|ies) (?:address(?:es)?|ha(?:s|ve) no indication label).*$",
                     re.MULTILINE)
OUTCOMES = re.compile(r"Of the (?P<n>\d+) stud(?:y|ies) stating an outcome, (?P<parts>[^.]+)\.")
DESIGNS = re.compile(r"by design: (?P<parts>[^.]+?)\.(?: |$)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("truthful") / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def report(demo: Path) -> str:
    return (demo / "report.md").read_text(encoding="utf-8").replace("\\", "")


def test_every_share_is_right(report: str) -> None:
    shares = SHARE.findall(report)
    assert shares
    for part, whole, percent in shares:
        assert int(part) <= int(whole) and int(percent) == round(100 * int(part) / int(whole)), (part, whole)


def test_challenge_headings_agree_with_their_numbers(report: str) -> None:
    found = list(CHALLENGE.finditer(report))
    assert len(found) == 5
    for challenge in found:
        part, whole, _ = SHARE.search(challenge["text"]).groups()
        share = int(part) / int(whole)
        title = challenge["title"].lower()
        if re.search(r"\b(?:few|rarely|no)\b", title):
            assert share < 0.5, challenge.group()
        elif re.search(r"\b(?:every|throughout)\b", title):
            assert share == 1, challenge.group()
        else:
            assert 0.5 <= share < 1, challenge.group()


def test_counts_that_split_a_group_add_up_to_the_group(report: str) -> None:
    sections = list(SECTION.finditer(report))
    assert sections
    for section in sections:
        n, line = int(section["n"]), section.group()
        designs = DESIGNS.search(line)
        if designs:
            counts = [int(c) for c in re.findall(r"\((\d+)\)(?! across)", designs["parts"])]
            counts += [int(c) for c in re.findall(r"(\d+) across \d+ other designs", designs["parts"])]
            assert sum(counts) == n, line
        people = re.search(r"(\d+) of them studied people", line)
        assert not people or int(people.group(1)) <= n, line
        outcomes = OUTCOMES.search(line)
        if outcomes:
            stated = int(outcomes["n"])
            assert stated <= n, line
            assert sum(int(c) for c in re.findall(r"(\d+) reports?", outcomes["parts"])) == stated, line


def test_outcome_counts_match_the_store(demo: Path, report: str) -> None:
    protocol = load_protocol(demo / "protocol.toml")
    with Store.open(demo / "review.sqlite") as store:
        included = [i for i, d in store.final_decisions(ELIGIBILITY).items() if d.label == INCLUDE]
        flow = compute_flow(store, protocol)
        stated = {value: sum(1 for i in included if any(lab.facet == "indication" and lab.value == value
                                                         for lab in store.labels(i))
                             and any(lab.facet == "outcome" for lab in store.labels(i)))
                  for value in protocol.taxonomy.classes("indication")}
    overview = re.search(r"(\d+) studies met the criteria, from (\d+) records identified", report)
    assert (int(overview.group(1)), int(overview.group(2))) == (len(flow.included), len(flow.identified_ids))
    said = [int(m["n"]) for m in OUTCOMES.finditer(report)]
    assert sorted(said) == sorted(n for n in stated.values() if n)


def test_the_report_says_its_labels_are_machine_labels_and_how_good_they_are(report: str) -> None:
    assert "The labels are machine labels" in report
    assert re.search(r"Measured against hand labels on \d+ real papers never used for tuning", report)
    assert re.search(r"study design accuracy 0\.\d\d", report)
