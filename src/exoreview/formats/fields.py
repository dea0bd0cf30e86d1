"""Which fields of a record each export format carries, so a file written and read back compares equal.

`FIELDS` names a comparable view of each field of a Record; `CARRIED` says, for every export format,
which of those views survive `write_records` followed by `imports.read_file`. The round-trip tests
compare exactly these, and `fields_table` prints them as the README's table: one dict, one truth.

Values are compared as every reader normalises them: text with runs of whitespace collapsed and no
leading or trailing blanks, DOIs in lower case (they are case-insensitive), abstracts as one paragraph.
"""

from __future__ import annotations

from collections.abc import Callable

from exoreview.records import Author, MeshHeading, MeshQualifier, Record


def mesh_text(heading: MeshHeading) -> str:
    """A heading as MEDLINE's MH line writes it: '*Exosomes/metabolism/*therapeutic use' (* = major topic)."""
    parts = [("*" if heading.major else "") + heading.descriptor]
    parts.extend(("*" if q.major else "") + q.name for q in heading.qualifiers)
    return "/".join(parts)


def parse_mesh_text(text: str) -> MeshHeading:
    """Inverse of `mesh_text`."""
    descriptor, *qualifiers = text.strip().split("/")
    return MeshHeading(descriptor=descriptor.lstrip("*").strip(), major=descriptor.startswith("*"),
                       qualifiers=[MeshQualifier(name=q.lstrip("*").strip(), major=q.startswith("*"))
                                   for q in qualifiers])


def _name(author: Author) -> tuple[str, str]:
    if author.collective_name and not author.last_name:
        return ("(group)", author.collective_name)
    return (author.last_name, author.fore_name)


def _text(value: str) -> str:
    return " ".join(value.split())


_MEDLINE_ONLY = "status, vernacular title, NLM ID, PII, ELocationIDs, chemicals, grants, corrections, other abstracts"

FIELDS: dict[str, Callable[[Record], object]] = {
    "title": lambda r: _text(r.title),
    "abstract": lambda r: _text(r.abstract_text),
    "authors": lambda r: [_name(a) for a in r.authors],
    "author initials": lambda r: [a.initials for a in r.authors],
    "affiliations": lambda r: [a.affiliations for a in r.authors],
    "ORCID": lambda r: [a.orcid for a in r.authors],
    "year": lambda r: r.pub_date.year,
    "month": lambda r: r.pub_date.month,
    "day": lambda r: r.pub_date.day,
    "journal": lambda r: r.journal.title,
    "journal abbreviation": lambda r: r.journal.iso_abbreviation,
    "ISSN": lambda r: r.journal.issn_print or r.journal.issn_electronic,
    "ISSN print/electronic/linking": lambda r: (r.journal.issn_print, r.journal.issn_electronic,
                                                r.journal.issn_linking),
    "volume": lambda r: r.journal.volume,
    "issue": lambda r: r.journal.issue,
    "pages": lambda r: r.journal.pages,
    "DOI": lambda r: r.doi.lower(),
    "PMID": lambda r: r.pmid,
    "PMCID": lambda r: r.pmcid,
    "keywords": lambda r: r.keywords,
    "MeSH": lambda r: [mesh_text(m) for m in r.mesh],
    "MeSH UIs": lambda r: [(m.ui, [q.ui for q in m.qualifiers]) for m in r.mesh],
    "publication types": lambda r: [p.name for p in r.publication_types],
    "languages": lambda r: r.languages,
    "URL": lambda r: r.extra.get("url", ""),
    "OpenAlex ID": lambda r: r.openalex_id,
    "OpenAlex type, citations, references, open access": lambda r: (
        r.work_type, r.cited_by_count, r.referenced_works, r.free_full_text),
    _MEDLINE_ONLY: lambda r: (r.status, r.vernacular_title, r.journal.nlm_unique_id, r.pii, r.elocation_ids,
                                 r.chemicals, r.grants, [(c.ref_type, c.pmid, c.source) for c in r.corrections],
                                 [_text(f"{s.label}: {s.text}" if s.label else s.text) for s in r.other_abstracts]),
}

_EVERYWHERE = ("title", "abstract", "authors", "year", "month", "journal", "ISSN", "volume", "issue", "pages",
               "DOI", "PMID", "PMCID", "keywords", "MeSH", "publication types", "languages")
_TABLE = (*_EVERYWHERE, "day", "journal abbreviation", "URL", "OpenAlex ID")

# Export format -> the fields a record keeps through that format.
CARRIED: dict[str, tuple[str, ...]] = {
    "ris": (*_EVERYWHERE, "day", "journal abbreviation", "URL"),
    "nbib": (*_EVERYWHERE, "day", "journal abbreviation", "author initials", "affiliations", "ORCID",
             "ISSN print/electronic/linking", _MEDLINE_ONLY),
    "bibtex": (*_EVERYWHERE, "day", "journal abbreviation", "URL"),
    "csv": (*_TABLE,),
    "asreview-csv": (*_TABLE,),
    "csl-json": (*_EVERYWHERE, "day", "journal abbreviation", "URL"),
    "openalex": (*_EVERYWHERE, "day", "journal abbreviation", "author initials", "affiliations", "ORCID", "URL",
                 "OpenAlex ID", "MeSH UIs", "OpenAlex type, citations, references, open access"),
}

# Where each format keeps a field it has no field of its own for: the cells of the README table.
WHERE: dict[tuple[str, str], str] = {
    ("ris", "MeSH"): "`MH` lines (MEDLINE's tag)",
    ("ris", "publication types"): "`M3`",
    ("ris", "languages"): "one `LA` line each",
    ("ris", "authors"): "groups end with a comma (EndNote)",
    ("bibtex", "MeSH"): "`mesh` field",
    ("bibtex", "publication types"): "`pubtype` field",
    ("bibtex", "languages"): "`language`, joined by `and`",
    ("bibtex", "day"): "biblatex `date`",
    ("bibtex", "authors"): "groups in `{braces}`",
    **{(fmt, name): where for fmt in ("csv", "asreview-csv") for name, where in {
        "authors": "groups in `{braces}`", "month": "`date` column", "day": "`date` column",
        "MeSH": "`mesh` column", "languages": "`language`, joined by `;`"}.items()},
    ("csl-json", "MeSH"): "`custom.mesh`",
    ("csl-json", "publication types"): "`genre`, joined by `;`",
    ("csl-json", "languages"): "`custom.languages`",
    ("openalex", "authors"): "`exoreview.authors`",
    ("openalex", "author initials"): "`exoreview.authors`",
    ("openalex", "publication types"): "`exoreview.publication_types`",
    ("openalex", "languages"): "`exoreview.languages`",
    ("openalex", "month"): "`publication_date` `YYYY-MM`",
}


def carried(record: Record, fmt: str) -> dict[str, object]:
    """The fields of `record` that `fmt` keeps, by name: what a round trip must give back unchanged."""
    return {name: FIELDS[name](record) for name in CARRIED[fmt]}


def fields_table() -> str:
    """CARRIED as a Markdown table: one row per field, one column per format."""
    formats = list(CARRIED)
    lines = ["| field | " + " | ".join(formats) + " |", "|---|" + "---|" * len(formats)]
    for name in FIELDS:
        cells = []
        for fmt in formats:
            mark = "yes" if name in CARRIED[fmt] else "no"
            where = WHERE.get((fmt, name))
            cells.append(f"{mark}: {where}" if where and mark == "yes" else mark)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


__all__ = ["CARRIED", "FIELDS", "WHERE", "carried", "fields_table", "mesh_text", "parse_mesh_text"]
