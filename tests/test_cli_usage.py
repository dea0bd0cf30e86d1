"""Usage mistakes end with a one-line message and exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("argv, message", [
    (["nosuch"], "No such command"),
    (["screen", "."], "Missing option '--reviewer'"),
    (["report", ".", "--format", "xyz"], "unknown format 'xyz'"),
    (["resolve", ".", "1", "perhaps"], "label must be one of"),
])
def test_usage_errors_exit_2_without_traceback(argv, message, tmp_path):
    result = subprocess.run([sys.executable, "-m", "exoreview.cli.app", *argv], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "╭" not in result.stderr
