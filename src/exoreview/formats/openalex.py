"""OpenAlex works (API JSON, and the SYNERGY dataset layout) to records.

A SYNERGY folder holds `works_*.zip` (or `works_*.json`) of OpenAlex works
plus `labels.csv` (openalex_id, doi, pmid, label_included). Rows of
`labels.csv` fix the dataset's order, which is the order ASReview counts
record indices in, so `iter_synergy` yields records in that order.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exoreview.formats.errors import MalformedRecord
from exoreview.records import AbstractSection, Author, Journal, MeshHeading, MeshQualifier, PubDate, Record

_OPENALEX_PREFIX = "https://openalex.org/"


def short_openalex_id(value: str | None) -> str:
    """'https://openalex.org/W123' -> 'W123'."""
    if not value:
        return ""
    return value.rsplit("/", 1)[-1]


def strip_id_url(value: str | None) -> str:
    """DOI, PMID and PMCID come as URLs in OpenAlex; keep the bare identifier."""
    if not value:
        return ""
    text = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "https://pubmed.ncbi.nlm.nih.gov/", "https://www.ncbi.nlm.nih.gov/pmc/articles/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    return text.strip("/")


def rebuild_abstract(inverted: dict[str, list[int]] | None) -> str:
    """OpenAlex ships abstracts as word -> positions; put the words back in order."""
    if not inverted:
        return ""
    slots: dict[int, str] = {}
    for word, positions in inverted.items():
        for pos in positions:
            slots[pos] = word
    return " ".join(slots[i] for i in sorted(slots))


def _author(authorship: dict[str, Any]) -> Author:
    person = authorship.get("author") or {}
    name = (person.get("display_name") or "").strip()
    parts = name.split()
    last = parts[-1] if parts else ""
    fore = " ".join(parts[:-1])
    initials = "".join(p[0] for p in fore.replace("-", " ").split() if p[:1].isalpha()).upper()
    affiliation = authorship.get("raw_affiliation_string") or ""
    orcid = strip_id_url(person.get("orcid")).replace("https://orcid.org/", "")
    return Author(last_name=last, fore_name=fore, initials=initials,
                  affiliations=[affiliation] if affiliation else [], orcid=orcid.rsplit("/", 1)[-1])


def _pub_date(work: dict[str, Any]) -> PubDate:
    date = work.get("publication_date") or ""
    year = work.get("publication_year")
    month = day = None
    parts = date.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
    return PubDate(year=int(year) if year else None, month=month, day=day)


def _journal(work: dict[str, Any]) -> Journal:
    location = work.get("primary_location") or {}
    source = location.get("source") or work.get("host_venue") or {}
    biblio = work.get("biblio") or {}
    first, last = biblio.get("first_page") or "", biblio.get("last_page") or ""
    pages = f"{first}-{last}" if first and last and first != last else first
    issns = source.get("issn") or []
    return Journal(title=source.get("display_name") or "", issn_linking=source.get("issn_l") or "",
                   issn_print=issns[0] if issns else "", volume=biblio.get("volume") or "",
                   issue=biblio.get("issue") or "", pages=pages)


def _mesh(work: dict[str, Any]) -> list[MeshHeading]:
    headings: dict[str, MeshHeading] = {}
    for row in work.get("mesh") or []:
        ui = row.get("descriptor_ui") or ""
        heading = headings.get(ui)
        if heading is None:
            heading = headings[ui] = MeshHeading(descriptor=row.get("descriptor_name") or "", ui=ui)
        qualifier = row.get("qualifier_name")
        if qualifier:
            heading.qualifiers.append(MeshQualifier(name=qualifier, ui=row.get("qualifier_ui") or "",
                                                    major=bool(row.get("is_major_topic"))))
        elif row.get("is_major_topic"):
            heading.major = True
    return list(headings.values())


def work_to_record(work: dict[str, Any], source: str = "openalex", position: int = 0) -> Record:
    """One OpenAlex work object to a Record. Raises MalformedRecord without an id."""
    if not isinstance(work, dict) or not work.get("id"):
        raise MalformedRecord(source, position, "OpenAlex work without an 'id'")
    ids = work.get("ids") or {}
    abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    oa = work.get("open_access") or {}
    return Record(
        pmid=strip_id_url(ids.get("pmid")),
        doi=strip_id_url(work.get("doi") or ids.get("doi")).lower(),
        pmcid=_pmcid(ids.get("pmcid")),
        title=(work.get("title") or work.get("display_name") or "").strip(),
        abstract=[AbstractSection(text=abstract)] if abstract else [],
        authors=[_author(a) for a in work.get("authorships") or []],
        journal=_journal(work),
        pub_date=_pub_date(work),
        mesh=_mesh(work),
        keywords=[k.get("display_name") or k.get("keyword") or "" if isinstance(k, dict) else str(k)
                  for k in work.get("keywords") or []],
        languages=[work["language"]] if work.get("language") else [],
        free_full_text=bool(oa.get("is_oa")),
        kind="article",
        openalex_id=short_openalex_id(work.get("id")),
        work_type=work.get("type") or "",
        cited_by_count=work.get("cited_by_count"),
        referenced_works=[short_openalex_id(w) for w in work.get("referenced_works") or []],
    )


def _pmcid(value: str | None) -> str:
    text = strip_id_url(value)
    if not text:
        return ""
    return text if text.upper().startswith("PMC") else f"PMC{text}"


def iter_works_json(data: Any) -> Iterator[dict[str, Any]]:
    """Works from a parsed JSON document: a list, or an API page with 'results'."""
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    yield from data


def iter_openalex_works(path: Path) -> Iterator[dict[str, Any]]:
    """Raw work objects from a .zip of JSON pages, a .json file, or a .jsonl file."""
    path = Path(path)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = sorted((n for n in archive.namelist() if n.endswith(".json")), key=_page_order)
            for name in names:
                yield from iter_works_json(json.loads(archive.read(name)))
    elif path.suffix == ".jsonl":
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
    else:
        yield from iter_works_json(json.loads(path.read_text(encoding="utf-8-sig")))


def _page_order(name: str) -> tuple[int, str]:
    # works_25_50.json sorts after works_0_25.json by its first number, not as text.
    stem = Path(name).stem.split("_")
    number = int(stem[1]) if len(stem) > 1 and stem[1].isdigit() else 0
    return number, name


def iter_openalex_records(path: Path) -> Iterator[Record]:
    for position, work in enumerate(iter_openalex_works(path)):
        yield work_to_record(work, str(path), position)


@dataclass(slots=True)
class LabelledRecord:
    record: Record
    included: bool


def is_synergy_folder(path: Path) -> bool:
    path = Path(path)
    return path.is_dir() and (path / "labels.csv").exists() and any(_work_files(path))


def _work_files(folder: Path) -> Iterable[Path]:
    return sorted(list(folder.glob("works_*.zip")) + list(folder.glob("works_*.json")))


def iter_synergy(folder: Path) -> Iterator[LabelledRecord]:
    """Records of a SYNERGY dataset with their inclusion label, in labels.csv order.

    A label row whose work is missing from the works files is yielded as a
    record carrying only the identifiers from labels.csv, so indices stay aligned.
    """
    folder = Path(folder)
    works: dict[str, Record] = {}
    for file in _work_files(folder):
        for record in iter_openalex_records(file):
            works[record.openalex_id] = record
    with (folder / "labels.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = short_openalex_id(row.get("openalex_id"))
            record = works.get(key) or Record(openalex_id=key, doi=strip_id_url(row.get("doi")).lower(),
                                              pmid=strip_id_url(row.get("pmid")))
            yield LabelledRecord(record=record, included=row.get("label_included", "0").strip() == "1")


def synergy_datasets(root: Path) -> list[Path]:
    """Every SYNERGY folder directly under root, sorted by name."""
    return [p for p in sorted(Path(root).iterdir()) if is_synergy_folder(p)]
