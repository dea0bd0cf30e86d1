"""Shared test fixtures.

Tests that read ../shared skip with a reason on a clone without it; with
EXOREVIEW_REQUIRE_SHARED=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("EXOREVIEW_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def shared_path(*parts: str) -> Path:
    """Path under ../shared, or skip (fail in CI) when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("EXOREVIEW_REQUIRE_SHARED") == "1":
            pytest.fail(f"required shared data missing: {path}")
        pytest.skip(f"shared data not present on this clone: {path}")
    return path


@pytest.fixture
def shared() -> object:
    return shared_path
