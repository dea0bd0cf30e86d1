"""Typed bibliographic records: the currency every stage reads and writes.

Plain slotted dataclasses rather than pydantic models because parsers build
hundreds of thousands of them per file; validation happens at the edges
(protocol files, imports), not on every construction.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

_DOI_PREFIX = re.compile(r"^(https?://)?(dx\.)?doi\.org/|^doi:\s*", re.IGNORECASE)


def bare_doi(value: str) -> str:
    """A DOI without the URL or 'doi:' prefix exports put before it ("https://doi.org/10.1/x" -> "10.1/x")."""
    return _DOI_PREFIX.sub("", value.strip()).strip()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


def plain_dict(obj: Any) -> dict[str, Any]:
    """`dataclasses.asdict` for these records, several times faster (it deep-copies every value).

    Writing records to the store is dominated by this conversion, so it is kept to plain loops.
    """
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None or kind is float:
            out[name] = value
        elif kind is list:
            # Lists hold one kind of thing: all plain values, or all records' parts.
            if value and type(value[0]) not in _PLAIN:
                out[name] = [plain_dict(item) for item in value]
            else:
                out[name] = list(value)
        elif kind is dict:
            out[name] = dict(value)
        else:
            out[name] = plain_dict(value)
    return out


@dataclass(slots=True)
class AbstractSection:
    text: str
    label: str = ""
    nlm_category: str = ""


@dataclass(slots=True)
class Author:
    last_name: str = ""
    fore_name: str = ""
    initials: str = ""
    collective_name: str = ""
    affiliations: list[str] = field(default_factory=list)
    orcid: str = ""

    @property
    def display(self) -> str:
        """Vancouver-style name: 'Smith JA', or the collective name."""
        if self.collective_name:
            return self.collective_name
        return f"{self.last_name} {self.initials}".strip()


@dataclass(slots=True)
class Journal:
    title: str = ""
    iso_abbreviation: str = ""
    issn_print: str = ""
    issn_electronic: str = ""
    issn_linking: str = ""
    nlm_unique_id: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""


@dataclass(slots=True)
class PubDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    medline_date: str = ""  # free-text dates such as "2003 Nov-Dec"

    def iso(self) -> str:
        """YYYY/MM/DD with missing parts as 01, the way PubMed compares dates."""
        if self.year is None:
            return ""
        return f"{self.year:04d}/{self.month or 1:02d}/{self.day or 1:02d}"


@dataclass(slots=True)
class MeshQualifier:
    name: str
    ui: str = ""
    major: bool = False


@dataclass(slots=True)
class MeshHeading:
    descriptor: str
    ui: str = ""
    major: bool = False
    qualifiers: list[MeshQualifier] = field(default_factory=list)

    @property
    def is_major(self) -> bool:
        """PubMed's [majr]: the descriptor or any of its qualifiers is starred."""
        return self.major or any(q.major for q in self.qualifiers)


@dataclass(slots=True)
class PublicationType:
    name: str
    ui: str = ""


@dataclass(slots=True)
class Correction:
    """A CommentsCorrections link, e.g. RetractionIn, ErratumFor, CommentOn."""

    ref_type: str
    pmid: str = ""
    source: str = ""


@dataclass(slots=True)
class Record:
    """One bibliographic record as a source reported it."""

    pmid: str = ""
    pmid_version: int = 1
    doi: str = ""
    pmcid: str = ""
    pii: str = ""
    title: str = ""
    vernacular_title: str = ""
    abstract: list[AbstractSection] = field(default_factory=list)
    other_abstracts: list[AbstractSection] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    journal: Journal = field(default_factory=Journal)
    pub_date: PubDate = field(default_factory=PubDate)
    mesh: list[MeshHeading] = field(default_factory=list)
    publication_types: list[PublicationType] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    chemicals: list[str] = field(default_factory=list)
    grants: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    elocation_ids: list[str] = field(default_factory=list)
    # True: a source says the full text is free to read; False: a source says it is not; None: no
    # source said (an imported reference), so a reviewer must look.
    free_full_text: bool | None = None
    synthetic: bool = False
    status: str = ""  # MEDLINE citation status, e.g. "MEDLINE", "PubMed-not-MEDLINE"
    kind: str = "article"  # "article", "book", or "deleted"
    openalex_id: str = ""  # short form, e.g. "W2560438049"
    work_type: str = ""  # source's own type, e.g. OpenAlex "journal-article"
    cited_by_count: int | None = None
    referenced_works: list[str] = field(default_factory=list)
    # Identifiers and facts a source reports that have no field above (e.g. nct_id, europepmc id).
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return self.pub_date.year

    @property
    def abstract_text(self) -> str:
        """Abstract as one string, section labels kept as 'LABEL: text'."""
        parts = []
        for section in self.abstract:
            parts.append(f"{section.label}: {section.text}" if section.label else section.text)
        return "\n".join(parts)

    @property
    def first_author(self) -> str:
        return self.authors[0].display if self.authors else ""

    @property
    def is_retracted(self) -> bool:
        return any(c.ref_type == "RetractionIn" for c in self.corrections) or any(
            p.name == "Retracted Publication" for p in self.publication_types
        )

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        data = dict(data)
        data["abstract"] = [AbstractSection(**s) for s in data.get("abstract", [])]
        data["other_abstracts"] = [AbstractSection(**s) for s in data.get("other_abstracts", [])]
        data["authors"] = [Author(**a) for a in data.get("authors", [])]
        data["journal"] = Journal(**data.get("journal", {}))
        data["pub_date"] = PubDate(**data.get("pub_date", {}))
        data["mesh"] = [
            MeshHeading(
                descriptor=m["descriptor"],
                ui=m.get("ui", ""),
                major=m.get("major", False),
                qualifiers=[MeshQualifier(**q) for q in m.get("qualifiers", [])],
            )
            for m in data.get("mesh", [])
        ]
        data["publication_types"] = [PublicationType(**p) for p in data.get("publication_types", [])]
        data["corrections"] = [Correction(**c) for c in data.get("corrections", [])]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json(cls, text: str) -> Record:
        return cls.from_dict(json.loads(text))
