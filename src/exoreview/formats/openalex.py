"""OpenAlex works (API JSON, and the SYNERGY dataset layout) to records.

A SYNERGY folder holds `works_*.zip` (or `works_*.json`) of OpenAlex works
plus `labels.csv` (openalex_id, doi, pmid, label_included). Rows of
`labels.csv` fix the dataset's order, which is the order ASReview counts
record indices in, so `iter_synergy` yields records in that order.

OpenAlex gives each author one display name, so reading one splits it at the
last word. What OpenAlex has no field for, our writer keeps in an `exoreview`
object on each work, which other readers ignore: each author's surname, given
name and initials (or group name), every language, the publication types. A
date without a day is written as `YYYY-MM`, never with a made-up day, and a
record without an OpenAlex ID gets none (`"id": null`).
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
from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.records import (
    AbstractSection,
    Author,
    Journal,
    MeshHeading,
    MeshQualifier,
    PubDate,
    PublicationType,
    Record,
)

_OPENALEX_PREFIX = "https://openalex.org/"


def short_openalex_id(value: str | None) -> str:
    """'https://openalex.org/W123' -> 'W123'."""
    if not value:
        return ""
    return str(value).rsplit("/", 1)[-1]


def strip_id_url(value: str | None) -> str:
    """DOI, PMID and PMCID come as URLs in OpenAlex; keep the bare identifier."""
    if not value:
        return ""
    text = str(value).strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "https://pubmed.ncbi.nlm.nih.gov/", "https://www.ncbi.nlm.nih.gov/pmc/articles/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    return text if text.startswith("10.") else text.strip("/")  # a DOI may end with '/'; PMIDs do not


def rebuild_abstract(inverted: dict[str, list[int]] | None) -> str:
    """OpenAlex ships abstracts as word -> positions; put the words back in order."""
    if not inverted:
        return ""
    slots: dict[int, str] = {}
    for word, positions in inverted.items():
        for pos in positions:
            slots[pos] = word
    return " ".join(slots[i] for i in sorted(slots))


def _author(authorship: dict[str, Any], parts: Any = None) -> Author:
    """One authorship; `parts` (our writer's `exoreview.authors` entry) gives the name's parts when present."""
    person = _dict(authorship.get("author"))
    name = str(person.get("display_name") or "").strip()
    words = name.split()
    last = words[-1] if words else ""
    fore = " ".join(words[:-1])
    initials = "".join(p[0] for p in fore.replace("-", " ").split() if p[:1].isalpha()).upper()
    affiliations = authorship.get("raw_affiliation_strings")
    if not isinstance(affiliations, list):
        single = authorship.get("raw_affiliation_string")
        affiliations = [single] if single else []
    orcid = strip_id_url(person.get("orcid")).replace("https://orcid.org/", "").rsplit("/", 1)[-1]
    author = Author(last_name=last, fore_name=fore, initials=initials,
                    affiliations=[str(a) for a in affiliations if a], orcid=orcid)
    if isinstance(parts, dict):
        if parts.get("group"):
            author.collective_name, author.last_name, author.fore_name, author.initials = (
                str(parts["group"]), "", "", "")
        else:
            author.last_name = str(parts.get("family") or "")
            author.fore_name = str(parts.get("given") or "")
            author.initials = str(parts.get("initials") or "")
    return author


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value if v not in (None, "")] if isinstance(value, list) else []


def _pub_date(work: dict[str, Any]) -> PubDate:
    """'2020-03-05', or '2020-03' as our writer gives a date without a day; else publication_year alone."""
    date = str(work.get("publication_date") or "")
    year = work.get("publication_year")
    year = int(year) if isinstance(year, int | str) and str(year).strip().isdigit() else None
    month = day = None
    parts = date.split("-")
    if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) == 3 else None
        if not 1 <= month <= 12:
            month = day = None
        elif day is not None and not 1 <= day <= 31:
            day = None
    return PubDate(year=year or None, month=month, day=day)


def _journal(work: dict[str, Any]) -> Journal:
    location = _dict(work.get("primary_location"))
    source = _dict(location.get("source") or work.get("host_venue"))
    biblio = _dict(work.get("biblio"))
    text = lambda mapping, key: str(mapping.get(key) or "")  # noqa: E731
    first, last = text(biblio, "first_page"), text(biblio, "last_page")
    pages = f"{first}-{last}" if first and last and first != last else first
    issns = _strings(source.get("issn"))
    return Journal(title=text(source, "display_name"), iso_abbreviation=text(source, "abbreviated_title"),
                   issn_linking=text(source, "issn_l"), issn_print=issns[0] if issns else "",
                   volume=text(biblio, "volume"), issue=text(biblio, "issue"), pages=pages)


def _mesh(work: dict[str, Any]) -> list[MeshHeading]:
    headings: dict[tuple[str, str], MeshHeading] = {}
    for row in work.get("mesh") or []:
        row = _dict(row)
        ui, name = str(row.get("descriptor_ui") or ""), str(row.get("descriptor_name") or "")
        key = (ui, "") if ui else ("", name)  # headings without a UI (from MEDLINE text) by their name
        heading = headings.get(key)
        if heading is None:
            heading = headings[key] = MeshHeading(descriptor=name, ui=ui)
        qualifier = row.get("qualifier_name")
        if qualifier:
            heading.qualifiers.append(MeshQualifier(name=qualifier, ui=row.get("qualifier_ui") or "",
                                                    major=bool(row.get("is_major_topic"))))
        elif row.get("is_major_topic"):
            heading.major = True
    return list(headings.values())


def work_to_record(work: dict[str, Any], source: str = "openalex", position: int = 0) -> Record:
    """One OpenAlex work object to a Record. Raises MalformedRecord for a work that is not a JSON object,
    has neither an id, a title nor a DOI, or has a field of the wrong shape."""
    if not isinstance(work, dict):
        raise MalformedRecord(source, position, f"OpenAlex work is a JSON {type(work).__name__}, not an object")
    if not (work.get("id") or work.get("title") or work.get("display_name") or work.get("doi")):
        raise MalformedRecord(source, position, "OpenAlex work without an 'id', a title or a DOI")
    try:
        return _work_to_record(work)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
        raise MalformedRecord(source, position, f"OpenAlex work with an unreadable field: "
                              f"{type(exc).__name__}: {exc}") from exc


def _work_to_record(work: dict[str, Any]) -> Record:
    # Fields are read in a fixed order so that, of several bad fields, the same one is reported.
    ids = _dict(work.get("ids"))
    abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    oa = _dict(work.get("open_access"))
    ours = _dict(work.get("exoreview"))
    authorships = work.get("authorships") or []
    parts = _author_parts(ours, authorships)
    keywords = _keywords(work)
    cited = work.get("cited_by_count")
    url = str(_dict(work.get("primary_location")).get("landing_page_url") or "")
    return Record(
        pmid=strip_id_url(ids.get("pmid")),
        doi=strip_id_url(work.get("doi") or ids.get("doi")).lower(),
        pmcid=_pmcid(ids.get("pmcid")),
        title=str(work.get("title") or work.get("display_name") or "").strip(),
        abstract=[AbstractSection(text=abstract)] if abstract else [],
        authors=[_author(_dict(a), p) for a, p in zip(authorships, parts, strict=True)],
        journal=_journal(work),
        pub_date=_pub_date(work),
        mesh=_mesh(work),
        keywords=[k for k in keywords if k],
        languages=_languages(work, ours),
        publication_types=[PublicationType(p) for p in _strings(ours.get("publication_types"))],
        free_full_text=oa["is_oa"] if isinstance(oa.get("is_oa"), bool) else None,
        kind="article",
        openalex_id=short_openalex_id(work.get("id")) if work.get("id") else "",
        work_type=str(work.get("type") or ""),
        cited_by_count=_count(cited),
        referenced_works=[short_openalex_id(str(w)) for w in work.get("referenced_works") or []],
        extra={"url": url} if url else {},
    )


def _author_parts(ours: dict[str, Any], authorships: Any) -> list[Any]:
    """Our writer's name parts per authorship, or None for each when they are missing or do not line up."""
    parts = ours.get("authors") if isinstance(ours.get("authors"), list) else []
    return parts if len(parts) == len(authorships) else [None] * len(authorships)


def _keywords(work: dict[str, Any]) -> list[str]:
    """Keyword names, as objects (display_name or keyword) or bare strings; empty ones kept for the caller."""
    return [str(k.get("display_name") or k.get("keyword") or "") if isinstance(k, dict) else str(k)
            for k in work.get("keywords") or []]


def _languages(work: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Every language our writer kept, else OpenAlex's single one."""
    return _strings(ours.get("languages")) or ([str(work["language"])] if work.get("language") else [])


def _count(value: Any) -> int | None:
    """An int count, or None (a bool is not a count, though Python calls it an int)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pmcid(value: str | None) -> str:
    text = strip_id_url(str(value) if value else "")
    if not text:
        return ""
    return text if text.upper().startswith("PMC") else f"PMC{text}"


def iter_works_json(data: Any) -> Iterator[dict[str, Any]]:
    """Works from a parsed JSON document: a list, or an API page with 'results' (anything else is yielded as
    it is, for `work_to_record` to refuse)."""
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    yield from data if isinstance(data, list) else [data]


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


# -- writing: the inverse of work_to_record, in the OpenAlex API's field names ----------------------------

def invert_abstract(text: str) -> dict[str, list[int]] | None:
    """Words of an abstract -> their positions, as OpenAlex ships them."""
    if not text:
        return None
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


def record_to_work(record: Record) -> dict[str, Any]:
    """A Record as an OpenAlex work object that `work_to_record` reads back to the same fields."""
    return {
        "id": _openalex_url(record.openalex_id),
        "doi": _doi_url(record.doi),
        "title": record.title,
        "display_name": record.title,
        "publication_year": record.pub_date.year,
        "publication_date": _iso_date(record.pub_date),
        "ids": _work_ids(record),
        "language": record.languages[0] if record.languages else None,
        "type": record.work_type or None,
        "authorships": [_authorship(a) for a in record.authors],
        "primary_location": _primary_location(record),
        "biblio": _biblio(record.journal),
        "open_access": {"is_oa": record.free_full_text},
        "cited_by_count": record.cited_by_count,
        "keywords": [{"display_name": k} for k in record.keywords],
        "mesh": _mesh_rows(record.mesh),
        "referenced_works": [_OPENALEX_PREFIX + w for w in record.referenced_works],
        "abstract_inverted_index": invert_abstract(record.abstract_text.replace("\n", " ")),
        "exoreview": {
            "authors": [_author_parts_out(a) for a in record.authors],
            "languages": list(record.languages),
            "publication_types": [p.name for p in record.publication_types],
        },
    }


def _openalex_url(openalex_id: str) -> str | None:
    return _OPENALEX_PREFIX + openalex_id if openalex_id else None


def _doi_url(doi: str) -> str | None:
    return f"https://doi.org/{doi}" if doi else None


def _work_ids(record: Record) -> dict[str, str]:
    """The work's `ids` object, with only the identifiers the record has."""
    ids = {
        "openalex": _openalex_url(record.openalex_id),
        "doi": _doi_url(record.doi),
        "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}" if record.pmid else None,
        "pmcid": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{record.pmcid}" if record.pmcid else None,
    }
    return {k: v for k, v in ids.items() if v}


def _is_group(author: Author) -> bool:
    return bool(author.collective_name and not author.last_name)


def _authorship(author: Author) -> dict[str, Any]:
    """One authorship: OpenAlex's single display name, ORCID as a URL, the raw affiliations."""
    if _is_group(author):
        name = author.collective_name
    else:
        name = f"{author.fore_name or author.initials} {author.last_name}".strip()
    return {
        "author": {"display_name": name, "orcid": f"https://orcid.org/{author.orcid}" if author.orcid else None},
        "raw_affiliation_string": author.affiliations[0] if author.affiliations else None,
        "raw_affiliation_strings": list(author.affiliations),
    }


def _author_parts_out(author: Author) -> dict[str, str]:
    """The name's parts, kept in our `exoreview` object since OpenAlex has only a display name."""
    if _is_group(author):
        return {"group": author.collective_name}
    return {"family": author.last_name, "given": author.fore_name, "initials": author.initials}


def _primary_location(record: Record) -> dict[str, Any]:
    journal = record.journal
    issns = [i for i in (journal.issn_print, journal.issn_electronic) if i]
    return {"landing_page_url": record.extra.get("url") or None, "source": {
        "display_name": journal.title or None, "abbreviated_title": journal.iso_abbreviation or None,
        "issn_l": journal.issn_linking or None, "issn": issns or None}}


def _biblio(journal: Journal) -> dict[str, str | None]:
    first, _, last = journal.pages.partition("-")
    return {"volume": journal.volume or None, "issue": journal.issue or None,
            "first_page": first or None, "last_page": last or first or None}


def _mesh_rows(headings: list[MeshHeading]) -> list[dict[str, Any]]:
    """One row per descriptor/qualifier pair, plus a qualifier-less row for a major or unqualified heading."""
    rows: list[dict[str, Any]] = []
    for heading in headings:
        base = {"descriptor_ui": heading.ui, "descriptor_name": heading.descriptor}
        if heading.major or not heading.qualifiers:
            rows.append({**base, "qualifier_ui": "", "qualifier_name": None, "is_major_topic": heading.major})
        for q in heading.qualifiers:
            rows.append({**base, "qualifier_ui": q.ui, "qualifier_name": q.name, "is_major_topic": q.major})
    return rows


def _iso_date(date: PubDate) -> str | None:
    """'2020-03-05', or '2020-03' for a month without a day (ISO 8601's reduced precision), never a made-up day."""
    if not (date.year and date.month):
        return None
    return f"{date.year:04d}-{date.month:02d}" + (f"-{date.day:02d}" if date.day else "")


def write_openalex_json(records: Iterable[Record]) -> str:
    """A JSON list of works, readable by `iter_openalex_records` and by tools that read OpenAlex pages.

    A record without an OpenAlex ID is written with `"id": null` rather than an invented one, which two
    exports would share and deduplication would take for the same work."""
    return json.dumps([record_to_work(record) for record in records], ensure_ascii=False) + "\n"


def write_synergy(folder: Path, rows: Iterable[LabelledRecord]) -> Path:
    """A SYNERGY-layout folder: works_1.json plus labels.csv (openalex_id, doi, pmid, label_included).

    Records without an OpenAlex id get one made from their PMID or position ("P123", "X7") so
    labels.csv can point at them.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    works, labels = [], []
    for n, row in enumerate(rows):
        work = record_to_work(row.record)
        if not work["id"]:
            made = f"P{row.record.pmid}" if row.record.pmid else f"X{n}"
            work["id"] = work["ids"]["openalex"] = _OPENALEX_PREFIX + made
        works.append(work)
        labels.append({"openalex_id": work["id"], "doi": work["doi"] or "",
                       "pmid": work["ids"].get("pmid", ""), "label_included": int(row.included)})
    (folder / "works_1.json").write_text(json.dumps(works, ensure_ascii=False), encoding="utf-8")
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["openalex_id", "doi", "pmid", "label_included"])
        writer.writeheader()
        writer.writerows(labels)
    return folder


def _read_file(path: Path, options: ReadOptions) -> list[Record]:
    records = []
    try:
        for position, work in enumerate(iter_openalex_works(path)):
            try:
                records.append(work_to_record(work, path.name, position))
            except MalformedRecord as exc:
                options.errors.append(exc)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, zipfile.BadZipFile) as exc:
        options.errors.append(MalformedRecord(path.name, len(records), f"not OpenAlex JSON: {exc}"))
    return records


READER = Reader(_read_file, endings=(".openalex.json",))
SYNERGY_READER = Reader(lambda folder, options: [row.record for row in iter_synergy(folder)])
WRITER = Writer(lambda records, labels: write_openalex_json(records), ending=".openalex.json")
