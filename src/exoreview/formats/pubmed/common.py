"""Date, identifier and whitespace helpers shared by the PubMed XML reader, its writer and medline.py,
so that a record read from either format compares field by field."""

from __future__ import annotations

import re

from exoreview.records import Record

__all__ = [
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "collapse_whitespace",
    "elocation_id_type",
    "join_grant",
    "month_number",
    "normalize_orcid",
    "parse_medline_date",
    "split_grant",
]

ASCII_WS = " \t\n\r"  # what collapse_whitespace trims; other Unicode spaces are content
# Only runs that change: two or more whitespace characters, or one that is not a space.
WS_RUN = re.compile(r"[ \t\n\r]{2,}|[\t\n\r]")

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
MONTH_ABBREVIATIONS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])")


def collapse_whitespace(text: str) -> str:
    """Runs of ASCII whitespace to one space, trimmed; other Unicode spaces are content."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = WS_RUN.sub(" ", text)
    return text.strip(ASCII_WS)


def month_number(text: str) -> int | None:
    """'11', '07', 'Nov' or 'November' -> month number; anything else -> None."""
    text = text.strip()
    if text.isdigit():
        month = int(text)
        return month if 1 <= month <= 12 else None
    return MONTHS.get(text[:3].lower())


def parse_medline_date(text: str) -> tuple[int | None, int | None]:
    """Year and month of a free-text date: '2003 Nov-Dec' -> (2003, 11), '1947-1948' -> (1947, None)."""
    year_match = _YEAR.search(text)
    if year_match is None:
        return None, None
    month_match = _MONTH_NAME.search(text, year_match.end())
    month = MONTHS[month_match.group(1).lower()] if month_match else None
    return int(year_match.group(1)), month


def normalize_orcid(value: str) -> str:
    """'https://orcid.org/0000-0002-1825-0097' -> '0000-0002-1825-0097'; unrecognized values kept."""
    match = _ORCID.search(value)
    if match is None:
        return value.strip()
    return "-".join(match.groups()).upper()


def join_grant(grant_id: str, agency: str) -> str:
    """The Record form of a grant: 'ID / Agency', or whichever part exists."""
    if grant_id and agency:
        return f"{grant_id} / {agency}"
    return grant_id or agency


def split_grant(grant: str) -> tuple[str, str]:
    """Inverse of join_grant; a grant without ' / ' is taken as an ID."""
    if " / " in grant:
        grant_id, agency = grant.rsplit(" / ", 1)
        return grant_id, agency
    return grant, ""


def elocation_id_type(value: str, record: Record) -> str:
    """Choose 'doi' or 'pii' for an untyped ELocationID so that reading it back
    does not invent a DOI or PII the record did not have."""
    if record.doi and record.pii:
        return "doi" if value.startswith("10.") else "pii"
    if record.doi:
        return "doi"
    if record.pii:
        return "pii"
    return "doi" if value.startswith("10.") else "pii"

