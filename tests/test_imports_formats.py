"""Import detection and dispatch: every format by name or content, into a store, and `exoreview export` back."""

from __future__ import annotations

from pathlib import Path

import pytest

from exoreview.cli.app import main
from exoreview.formats.errors import MalformedRecord
from exoreview.formats.export import EXPORT_FORMATS, write_records
from exoreview.imports import UnknownFormat, detect_format, import_file, read_file
from exoreview.store import Store
from tests.formats_helpers import synergy_records


@pytest.fixture(scope="module")
def records():  # type: ignore[no-untyped-def]
    return synergy_records("Sep_2021")[:50]


@pytest.mark.parametrize(("fmt", "name"), [
    ("ris", "a.ris"), ("ris", "a.txt"), ("bibtex", "a.bib"), ("bibtex", "a.txt"), ("csv", "a.csv"),
    ("csv", "a.txt"), ("asreview-csv", "a.csv"), ("csl-json", "a.json"), ("openalex", "a.json"),
    ("nbib", "a.nbib"), ("nbib", "a.txt"),
])
def test_written_files_are_detected_and_read_back(tmp_path: Path, records, fmt: str, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(write_records(records, fmt, [True] * len(records)), encoding="utf-8")
    assert detect_format(path) == {"nbib": "medline"}.get(fmt, fmt)
    errors: list[MalformedRecord] = []
    back = read_file(path, errors)
    assert errors == [] and [r.title for r in back] == [r.title for r in records]


def test_existing_formats_and_folders_are_detected(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert detect_format(shared("fixtures", "medline", "pubmed_result1.txt")) == "medline"
    assert detect_format(shared("fixtures", "pubmed_xml", "pubmed-29768149.xml")) == "pubmed-xml"
    assert detect_format(shared("data", "synergy", "Sep_2021")) == "synergy"
    assert detect_format(shared("data", "synergy", "Sep_2021", "works_1.zip")) == "openalex"
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnknownFormat, match=r"notes\.docx"):
        detect_format(unknown)


def test_import_keeps_good_entries_and_logs_the_broken(tmp_path: Path) -> None:
    path = tmp_path / "colleague.bib"
    path.write_text("@article{a, title={Kept}, year=2020}\n@article{b, title={Broken\n@article{c, title={Also kept}}\n")
    with Store.open(tmp_path / "r.sqlite") as store:
        run_id = store.start_run("import", "p", "h")
        count, errors = import_file(store, path, run_id=run_id)
        titles = sorted(r.title for _, r in store.iter_records())
    assert (count, titles) == (2, ["Also kept", "Kept"])
    assert "entry 2 (b)" in str(errors[0])


def test_export_command_writes_every_format_and_it_imports_back(tmp_path: Path, records) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    with Store.open(folder / "review.sqlite") as store:
        store.add_records(records, source="import:seed.ris")
    for fmt, ext in EXPORT_FORMATS.items():
        target = tmp_path / f"all-{fmt}{ext}"
        assert main(["export", str(folder), "--format", fmt, "--all", "--out", str(target)]) == 0
        back = read_file(target, [])
        assert sorted(r.title for r in back) == sorted(r.title for r in records), fmt
    assert main(["export", str(folder), "--format", "docx"]) == 2


def test_default_export_names_are_one_per_format(tmp_path: Path, records) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "review"
    assert main(["init", str(folder)]) == 0
    with Store.open(folder / "review.sqlite") as store:
        store.add_records(records, source="import:seed.ris")
    for fmt in EXPORT_FORMATS:
        assert main(["export", str(folder), "--format", fmt, "--all"]) == 0
    written = sorted(p.name for p in folder.glob("export-all*"))
    assert written == sorted(f"export-all{ending}" for ending in EXPORT_FORMATS.values())
    assert len(written) == len(EXPORT_FORMATS) == 7
    for fmt, ending in EXPORT_FORMATS.items():
        assert detect_format(folder / f"export-all{ending}") == {"nbib": "medline"}.get(fmt, fmt)
