"""Streaming with bounded memory: a ~200 MB PubMed XML file parses in under 300 MB of RSS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from exoreview.bench.pubmed_tiling import tile_pubmed_xml

pytestmark = [pytest.mark.shared, pytest.mark.slow]

RECORDS = 30_000  # ~6.6 KB each: ~200 MB of XML
LIMIT_MB = 300

# Run in a fresh interpreter so that the peak RSS is the parse's alone. VmHWM, not ru_maxrss:
# Linux carries ru_maxrss over exec, so a child of a big pytest process would report the parent's size.
CHILD = """
import json, resource, sys
from exoreview.formats.pubmed import iter_pubmed_xml
errors = []
count = sum(1 for _ in iter_pubmed_xml(sys.argv[1], errors=errors))
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "errors": len(errors), "peak_mb": peak_kb / 1024}))
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import shared_path

    source = shared_path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")
    path = tmp_path_factory.mktemp("big") / "baseline.xml"
    size = tile_pubmed_xml(source, path, RECORDS, compresslevel=None)
    assert size > 190_000_000
    return path


def general_path_copy(path: Path) -> Path:
    """The same file, routed to the iterparse path (see test_formats_pubmed_xml_fields.general_path)."""
    copy = path.with_name("general.xml")
    with path.open("rb") as src, copy.open("wb") as dst:
        head = src.read(4096)
        at = head.index(b"<PubmedArticleSet")
        dst.write(head[:at] + b"<!-- [general path] -->\n" + head[at:])
        while block := src.read(1 << 20):
            dst.write(block)
    return copy


@pytest.mark.parametrize("route", ["sliced", "iterparse"])
def test_200_mb_file_parses_under_300_mb_rss(big_file: Path, route: str) -> None:
    path = big_file if route == "sliced" else general_path_copy(big_file)
    try:
        command = [sys.executable, "-c", CHILD, str(path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    finally:
        if path != big_file:
            path.unlink()
    result = json.loads(done.stdout)
    assert (result["count"], result["errors"]) == (RECORDS, 0)
    print(f"{route}: peak RSS {result['peak_mb']:.0f} MB")
    assert result["peak_mb"] < LIMIT_MB, result
