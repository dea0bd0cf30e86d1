"""Settings from the environment: each variable is the default of one option, read in one place."""

from __future__ import annotations

import pytest

from exoreview.cli.app import main
from exoreview.eutils.server import EutilsService, RunningService
from exoreview.records import AbstractSection, PubDate, Record


@pytest.fixture(scope="module")
def service():  # type: ignore[no-untyped-def]
    records = [Record(pmid=str(91_000_000 + n), title=f"Composed exosome study {n} of the scalp",
                      pub_date=PubDate(2021), abstract=[AbstractSection("Composed text on hair growth.")])
               for n in range(3)]
    with RunningService(EutilsService(records)) as running:
        yield running


def test_the_service_address_comes_from_the_environment(service: RunningService, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EXOREVIEW_EUTILS_URL", service.base_url)
    monkeypatch.setenv("EXOREVIEW_EMAIL", "reviewer@example.org")
    assert main(["search", "scalp", "--count"]) == 0
    assert "Count: 3" in capsys.readouterr().out


def test_an_option_on_the_command_line_wins_over_the_environment(service: RunningService,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EXOREVIEW_EUTILS_URL", "http://127.0.0.1:9/nothing-listens-here/")
    assert main(["search", "scalp", "--count", "--base-url", service.base_url]) == 0
    assert "Count: 3" in capsys.readouterr().out


def test_help_names_the_variables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for variable in ("EXOREVIEW_EUTILS_URL", "EXOREVIEW_EMAIL", "NCBI_API_KEY"):
        assert variable in shown
