"""What several benchmark scripts share: where ../shared is, and the seed-list option."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXOREVIEW_SHARED", REPO.parent / "shared"))
SYNERGY = SHARED / "data" / "synergy"
MEDLINE_SAMPLE = Path("fixtures", "pubmed_xml", "medline16n0902.xml.gz")  # 604 real citations


def shared_file(relative: Path = MEDLINE_SAMPLE) -> Path:
    """A file under ../shared, or exit saying how to point at it."""
    path = SHARED / relative
    if not path.exists():
        sys.exit(f"missing {path}: set EXOREVIEW_SHARED to the shared data folder")
    return path


def parse_seeds(text: str) -> list[int]:
    """'1-10' or '1,3,5-7' -> [1, ..., 10] / [1, 3, 5, 6, 7]."""
    seeds: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        seeds.extend(range(int(low), int(high or low) + 1))
    return seeds


def timed(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `command`; its output, CPU seconds (user + system of the child, so the other core's load does
    not count) and wall seconds."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return done, cpu, time.perf_counter() - started
