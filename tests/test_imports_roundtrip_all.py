"""Every writer's output reads back to the same fields, on the real records of all six SYNERGY datasets."""

from __future__ import annotations

import json

import pytest

from exoreview.formats.asreview_csv import iter_asreview_records, write_asreview_csv
from exoreview.formats.bibtex import iter_bibtex, write_bibtex
from exoreview.formats.csljson import iter_csljson, write_csljson
from exoreview.formats.csv_table import iter_csv, write_csv
from exoreview.formats.openalex import iter_synergy, work_to_record, write_openalex_json
from exoreview.formats.ris import iter_ris, write_ris
from exoreview.records import Record
from tests.formats_helpers import all_synergy, portable

FORMATS = {
    "ris": (write_ris, lambda text, errors: iter_ris(text, errors=errors)),
    "bibtex": (write_bibtex, lambda text, errors: iter_bibtex(text, errors=errors)),
    "csv": (write_csv, lambda text, errors: iter_csv(text, errors=errors)),
    "csl-json": (write_csljson, lambda text, errors: iter_csljson(text, errors=errors)),
    "asreview-csv": (write_asreview_csv, lambda text, errors: iter_asreview_records(text, errors=errors)),
    "openalex": (write_openalex_json, lambda text, errors: (work_to_record(w) for w in json.loads(text))),
}


@pytest.fixture(scope="module")
def datasets() -> dict[str, list[Record]]:
    return {p.name: [row.record for row in iter_synergy(p) if row.record.title] for p in all_synergy()}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_then_import_keeps_every_field(fmt: str, datasets: dict[str, list[Record]]) -> None:
    write, read = FORMATS[fmt]
    assert len(datasets) == 6
    for name, records in datasets.items():
        errors: list = []
        back = list(read(write(records), errors))
        assert errors == [] and len(back) == len(records), name
        for before, after in zip(records, back, strict=True):
            expected, got = portable(before), portable(after)
            if fmt == "asreview-csv":  # ASReview's columns carry no journal details
                expected = {k: v for k, v in expected.items() if k not in {"volume", "issue", "pages"}}
                got = {k: got[k] for k in expected}
            assert got == expected, (name, before.title)
