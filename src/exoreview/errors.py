"""One tree of the failures exoreview reports to a person, each with the exit code the README promises.

Every stage raises its own subclass (a malformed record, a protocol error, a source that stopped
answering); `cli.app.main` catches `ExoreviewError` once and exits with the class's `exit_code`,
so a new error type needs no change there.
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_SOURCE_FAILED = 3


class ExoreviewError(Exception):
    """A failure with a message for the person running exoreview: what went wrong and where."""

    exit_code = EXIT_ERROR
    advice = ""  # what to do next, printed after the message


class BadInput(ExoreviewError):
    """The input is wrong (a file, a protocol, a query, a store): fix it and run again."""

    exit_code = EXIT_BAD_INPUT


class SourceFailure(ExoreviewError):
    """A source or service failed after every retry; what was stored before the fault is kept."""

    exit_code = EXIT_SOURCE_FAILED
    advice = "Everything stored before the fault is kept; run again to resume."


__all__ = ["EXIT_BAD_INPUT", "EXIT_ERROR", "EXIT_SOURCE_FAILED", "BadInput", "ExoreviewError", "SourceFailure"]
