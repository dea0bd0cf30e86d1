"""One error tree: every failure exoreview reports is an ExoreviewError carrying its exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import exoreview
from exoreview.errors import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_SOURCE_FAILED, BadInput, ExoreviewError, SourceFailure
from exoreview.formats.errors import MalformedRecord
from exoreview.protocol import ProtocolError
from exoreview.sources.errors import SourceQueryError, SourceUnavailable
from exoreview.store import ReviewLocked, StoreError

# Modules that need optional extras at import time are skipped; their errors are still checked
# through the modules that import them.
_SKIP = ("exoreview.cli", "exoreview.demo")


def _package_errors() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(exoreview.__path__, "exoreview."):
        if info.name.startswith(_SKIP):
            continue
        module = importlib.import_module(info.name)
        found.extend(obj for _, obj in inspect.getmembers(module, inspect.isclass)
                     if issubclass(obj, Exception) and obj.__module__ == module.__name__
                     and not obj.__name__.startswith("_"))
    return found


def test_every_public_exception_of_the_package_is_an_exoreview_error() -> None:
    errors = _package_errors()
    assert len(errors) >= 15
    assert [e.__qualname__ for e in errors if not issubclass(e, ExoreviewError)] == []


@pytest.mark.parametrize(("error", "code"), [
    (ProtocolError, EXIT_BAD_INPUT), (MalformedRecord, EXIT_BAD_INPUT), (StoreError, EXIT_BAD_INPUT),
    (ReviewLocked, EXIT_BAD_INPUT), (SourceQueryError, EXIT_BAD_INPUT), (SourceUnavailable, EXIT_SOURCE_FAILED),
])
def test_each_kind_carries_the_exit_code_the_readme_promises(error: type[ExoreviewError], code: int) -> None:
    assert error.exit_code == code
    assert issubclass(error, BadInput if code == EXIT_BAD_INPUT else SourceFailure)
    assert ExoreviewError.exit_code == EXIT_ERROR
