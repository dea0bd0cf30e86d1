"""A plug-in package for exoreview, written the way an outside author would: it imports only exoreview's
public plug-in types and registers through entry points (see the dist-info beside it).

It adds a source (records from a JSON file of a local registry), a reader and a writer (a "lines"
format: one `year|title` per line) and a report format (a plain-text summary).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from exoreview.formats.registry import Reader, ReadOptions, Writer
from exoreview.formats.text import EntryError
from exoreview.records import PubDate, Record
from exoreview.report.renderers import Renderer
from exoreview.sources.pubmed_search import RetrievalResult
from exoreview.sources.registry import SearchContext, Source


def _registry_file(spec) -> Path:  # type: ignore[no-untyped-def]
    return Path(spec.base_url.removeprefix("file://"))


def _search(spec, context: SearchContext) -> RetrievalResult:  # type: ignore[no-untyped-def]
    entries = json.loads(_registry_file(spec).read_text(encoding="utf-8"))
    wanted = spec.query.lower()
    records = [Record(title=e["title"], abstract=[], pub_date=PubDate(e["year"]), doi=e["doi"], languages=["eng"],
                      free_full_text=True) for e in entries if wanted in e["title"].lower()]
    context.say(f"Searching the composed registry: {len(records)} match")
    search_id = context.store.add_search(context.run_id, "composed-registry", spec.query, base_url=spec.base_url)
    context.store.store_batch(search_id, 0, records[0].doi if records else "", len(records), records,
                              source="composed-registry", run_id=context.run_id)
    ids = [r.doi for r in records]
    context.store.update_search(search_id, count=len(records), ids=ids, retrieved=len(records), status="ok")
    return RetrievalResult(search_id, len(records), len(records), 1, False, [])


SOURCE = Source("Composed registry", "Composed registry of skin studies", "its JSON file", _search,
                lambda spec: (spec.query, ["matched in titles, case-insensitive"]))


def _read_lines(path: Path, options: ReadOptions) -> list[Record]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        year, _, title = line.partition("|")
        if not year.strip().isdigit() or not title.strip():
            options.errors.append(EntryError(path.name, number, f"line {number + 1}: expected 'year|title'"))
            continue
        records.append(Record(title=title.strip(), pub_date=PubDate(int(year))))
    return records


def _write_lines(records: Sequence[Record], labels: Sequence[bool | None] | None) -> str:
    return "".join(f"{r.pub_date.year or ''}|{r.title}\n" for r in records)


READER = Reader(_read_lines, endings=(".lines.txt",))
WRITER = Writer(_write_lines, ending=".lines.txt")


def _summary(synthesis, pictures) -> bytes:  # type: ignore[no-untyped-def]
    lines = [synthesis.title, f"Included studies: {len(synthesis.included_records)}"]
    lines += [f"- {r.title}" for r in synthesis.included_records]
    return ("\n".join(lines) + "\n").encode("utf-8")


RENDERER = Renderer(_summary, "report.txt")
