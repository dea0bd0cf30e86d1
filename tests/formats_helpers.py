"""What a round trip through a flat format must keep, and real records to send through it."""

from __future__ import annotations

from pathlib import Path

from exoreview.formats.openalex import iter_synergy
from exoreview.records import Record


def synergy_records(name: str) -> list[Record]:
    from tests.conftest import shared_path

    return [row.record for row in iter_synergy(shared_path("data", "synergy", name)) if row.record.title]


def all_synergy() -> list[Path]:
    from tests.conftest import shared_path

    root = shared_path("data", "synergy")
    return sorted(p for p in root.iterdir() if (p / "labels.csv").exists())


def portable(record: Record, *, abbreviation: bool = True) -> dict[str, object]:
    """The fields every export format carries (names trimmed of stray separators some sources leave)."""
    return {
        "title": record.title,
        "doi": record.doi.lower(),
        "pmid": record.pmid,
        "year": record.year,
        "journal": record.journal.title,
        "volume": record.journal.volume,
        "issue": record.journal.issue,
        "pages": record.journal.pages,
        "abstract": " ".join(record.abstract_text.split()),
        "authors": [a.collective_name or (a.last_name.strip(" ,;"), a.fore_name.strip(" ,;")) for a in record.authors],
        "keywords": record.keywords,
    }
