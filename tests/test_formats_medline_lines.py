"""MEDLINE text round trip at the level of lines: writing what was read reproduces, value for
value, every line of the shared .nbib fixtures that a Record models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from exoreview.formats.medline import iter_medline, write_medline

pytestmark = pytest.mark.shared

# Tags a Record holds in full. Not here, by design: RN (only the substance name is kept,
# not the registry number), GR (grant ID and agency, not acronym and country), DP (days
# are written without a leading zero), AID (a DOI given only as LID is also written as AID).
MODELED = frozenset(
    [
        "PMID",
        "STAT",
        "TI",
        "TT",
        "AB",
        "OAB",
        "FAU",
        "AU",
        "CN",
        "AD",
        "AUID",
        "TA",
        "JT",
        "JID",
        "IS",
        "VI",
        "IP",
        "PG",
        "MH",
        "PT",
        "OT",
        "LA",
        "LID",
        "PMC",
    ]
)
FIXTURES = {"mesh_papers.txt": 284, "pubmed_result1.txt": 1, "pubmed_result2.txt": 4, "pubmed_result3.txt": 1}


def tagged_values(text: str) -> Counter[tuple[str, str]]:
    """(tag, value) pairs of MEDLINE text, continuation lines joined, whitespace collapsed."""
    fields: list[list[str]] = []
    for line in text.splitlines():
        if len(line) > 5 and line[4:6] == "- " and line[:4].strip():
            fields.append([line[:4].strip(), line[6:]])
        elif line.startswith("      ") and fields:
            fields[-1][1] += " " + line.strip()
    return Counter((tag, " ".join(value.split())) for tag, value in fields if tag in MODELED)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_written_lines_match_the_original(name: str, shared: Callable[..., Path]) -> None:
    path = shared("fixtures", "medline", name)
    records = list(iter_medline(path))
    assert len(records) == FIXTURES[name]
    original = tagged_values(path.read_text(encoding="utf-8"))
    written = tagged_values(write_medline(records))
    assert sum(original.values()) > 10 * len(records)
    assert written == original
