"""A PubMed-like search index in one SQLite file, for mirrors larger than memory.

The same query language and the same answers as the in-memory RecordIndex: both evaluate queries
with QueryEngine, and this index only supplies the postings from disk.

- Word fields live in an FTS5 table, one column per field (ti, ab, kw, mesh, pt, chem, au, ta).
  Text is tokenized by our own textnorm.tokenize before it reaches SQLite and stored as tokens
  joined by spaces, so FTS5's tokenizer only splits on the spaces and both indexes see the same
  words. Between two values of a repeated field (two MeSH headings) stands the token "_", which our
  tokenizer never produces, so a phrase cannot span the values (RecordIndex's GAP).
- Exact-value fields (MeSH UIs and names, publication types, languages, author and journal keys,
  subsets, article identifiers) live in one (kind, key, doc) table, prefix scans by key range.
- Records are stored as zlib-compressed JSON for efetch and esummary.

Replacing a record (the same PMID added again) or deleting it marks the old document dead, as the
in-memory index does. Held in memory: three small arrays per document (date, PMID number, alive),
about 13 bytes a record, and the speller's vocabulary when espell is first asked.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from exoreview.eutils.index import TEXT_FIELDS, QueryEngine, date_key, exact_keys, text_fields
from exoreview.eutils.postings import EMPTY, Docs, sorted_unique
from exoreview.eutils.query import Term
from exoreview.eutils.spell import Speller
from exoreview.eutils.textnorm import normalize, tokenize
from exoreview.mesh.tree import MeshTree
from exoreview.records import Record

_INSERT_WORDS = f"INSERT INTO words (rowid, {', '.join(TEXT_FIELDS)}) VALUES (?{', ?' * len(TEXT_FIELDS)})"
GAP_TOKEN = "_"  # between values of a repeated field; textnorm.tokenize never yields it
_BATCH = 2000  # records per transaction while building
_LOOKUP = 500  # PMIDs per lookup of which are indexed already
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS docs (
    doc INTEGER PRIMARY KEY, pmid TEXT NOT NULL, date INTEGER NOT NULL, pmid_number INTEGER NOT NULL,
    alive INTEGER NOT NULL, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS docs_pmid ON docs (pmid) WHERE alive = 1;
CREATE INDEX IF NOT EXISTS docs_date ON docs (date);
CREATE TABLE IF NOT EXISTS keys (kind TEXT NOT NULL, key TEXT NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (kind, key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mesh_names (key TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5 ({", ".join(TEXT_FIELDS)}, content='',
    tokenize="unicode61 remove_diacritics 0 tokenchars '{GAP_TOKEN}'");
CREATE VIRTUAL TABLE IF NOT EXISTS words_vocabulary USING fts5vocab (words, col);
"""


def _field_text(values: list[str]) -> str:
    """A word field's values as our tokens joined by spaces, GAP_TOKEN between values."""
    parts = [" ".join(tokens) for value in values if (tokens := tokenize(value))]
    return f" {GAP_TOKEN} ".join(parts)


class IndexRow(NamedTuple):
    """Everything the index stores of one record, computed from the record alone: rows can be made in
    worker processes (a mirror build) and inserted by the one process that writes the file."""

    pmid: str
    date: int
    number: int  # the PMID as a number; negative when the PMID is not spelled by its number
    blob: bytes  # the record as zlib-compressed JSON
    words: tuple[str, ...]  # TEXT_FIELDS' texts, our tokens joined by spaces
    keys: tuple[tuple[str, str], ...]  # exact-value (kind, key) pairs
    mesh_names: tuple[tuple[str, str], ...]  # (normalized descriptor, descriptor)


def index_row(record: Record) -> IndexRow:
    number = int(record.pmid) if record.pmid.isdigit() else 0
    if str(number) != record.pmid:  # not spelled by its number: marked so, and ranked as RecordIndex ranks it
        number = -1 - number
    fields = text_fields(record)
    return IndexRow(record.pmid, date_key(record), number, zlib.compress(record.to_json().encode("utf-8"), 1),
                    tuple(_field_text(fields[name]) for name in TEXT_FIELDS), tuple(exact_keys(record)),
                    tuple((normalize(h.descriptor), h.descriptor) for h in record.mesh))


class _DiskKeys:
    """One kind of exact-value postings, read from the keys table."""

    def __init__(self, db: sqlite3.Connection, kind: str) -> None:
        self._db, self._kind = db, kind

    def get(self, key: str) -> Docs:
        rows = self._db.execute("SELECT doc FROM keys WHERE kind = ? AND key = ?", (self._kind, key))
        return np.fromiter((row[0] for row in rows), dtype=np.int32)

    def get_prefix(self, prefix: str) -> Docs:
        rows = self._db.execute("SELECT doc FROM keys WHERE kind = ? AND key >= ? AND key < ?",
                                (self._kind, prefix, prefix + "\U0010ffff"))
        return sorted_unique(np.fromiter((row[0] for row in rows), dtype=np.int32))


class DiskIndex(QueryEngine):
    """Search index over Records in a SQLite file; build() writes one, DiskIndex(path) opens one."""

    def __init__(self, path: Path, mesh: MeshTree | None = None) -> None:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no search index there (build one with DiskIndex.build)")
        self.path = path
        self.mesh = mesh
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._arrays: tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[np.bool_]] | None = None
        self._speller: Speller | None = None
        self._key_lookups = {kind: _DiskKeys(self._db, kind) for kind in (
            "mesh_ui", "mesh_name", "major_ui", "major_name", "ptype", "language", "author", "journal",
            "subsets", "article_ids")}

    @classmethod
    def build(cls, path: Path, records: Iterable[Record], mesh: MeshTree | None = None) -> DiskIndex:
        """A new index at path (an existing file there is added to) holding records."""
        path = Path(path)
        sqlite3.connect(path).close()
        index = cls(path, mesh)
        index.add(records)
        return index

    @classmethod
    @contextmanager
    def written(cls, path: Path, mesh: MeshTree | None = None) -> Iterator[DiskIndex]:
        """A new index filled in the block at PATH.partial, renamed to PATH when the block ends without an
        error: an interrupted build is never taken for the index."""
        partial = Path(path).with_name(Path(path).name + ".partial")
        partial.unlink(missing_ok=True)
        with cls.build(partial, (), mesh) as index:
            yield index
        partial.replace(path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DiskIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building -------------------------------------------------------------------

    def add(self, records: Iterable[Record], *, replace: bool = True) -> None:
        """Index more records, in batches; a record whose PMID is indexed replaces it, a "deleted" one removes it.

        With replace=False a record whose PMID is already indexed is skipped instead (the first copy
        stays). Records without a PMID are skipped, as RecordIndex skips them.
        """
        batches = iter(records)
        while batch := list(islice(batches, _BATCH)):
            with self._db:
                if replace and all(record.pmid and record.kind != "deleted" for record in batch):
                    self._insert_rows([index_row(record) for record in batch])
                    continue
                for record in batch:
                    if record.pmid and (replace or self._pmid_doc(record.pmid) is None):
                        self._add_one(record)
        self._arrays = None
        self._speller = None

    def add_prepared(self, rows: Iterable[IndexRow]) -> None:
        """Index rows made by `index_row` (perhaps in other processes), in batches; as `add` with replace=True.

        A batch whose PMIDs are all new to the index, each once (a mirror's partitions), is written with one
        statement per table; any other batch row by row, each row replacing the PMID's earlier document."""
        batches = (row for row in rows if row.pmid)  # as `add`, which skips records without a PMID
        while batch := list(islice(batches, _BATCH)):
            with self._db:
                self._insert_rows(batch)
        self._arrays = None
        self._speller = None

    def _insert_rows(self, batch: list[IndexRow]) -> None:
        if self._all_new(batch):
            self._insert_new(batch)
        else:
            for row in batch:
                self._insert(row)

    def _all_new(self, batch: list[IndexRow]) -> bool:
        pmids = [row.pmid for row in batch]
        if len(set(pmids)) != len(pmids):
            return False
        for start in range(0, len(pmids), _LOOKUP):  # under the 999 variables of SQLite before 3.32
            chunk = pmids[start:start + _LOOKUP]
            marks = ",".join("?" * len(chunk))
            if self._db.execute(f"SELECT 1 FROM docs WHERE alive = 1 AND pmid IN ({marks}) LIMIT 1",
                                chunk).fetchone() is not None:
                return False
        return True

    def _insert_new(self, batch: list[IndexRow]) -> None:
        first = self._db.execute("SELECT coalesce(max(doc) + 1, 0) FROM docs").fetchone()[0]
        numbered = list(enumerate(batch, first))
        self._db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, 1, ?)",
                             ((doc, row.pmid, row.date, row.number, row.blob) for doc, row in numbered))
        self._db.executemany(_INSERT_WORDS, ((doc, *row.words) for doc, row in numbered))
        self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)",
                             ((kind, key, doc) for doc, row in numbered for kind, key in row.keys))
        self._db.executemany("INSERT OR IGNORE INTO mesh_names VALUES (?, ?)",
                             (names for _, row in numbered for names in row.mesh_names))

    def _add_one(self, record: Record) -> None:
        if record.kind == "deleted":
            self._db.execute("UPDATE docs SET alive = 0 WHERE pmid = ? AND alive = 1", (record.pmid,))
        else:
            self._insert(index_row(record))

    def _insert(self, row: IndexRow) -> None:
        self._db.execute("UPDATE docs SET alive = 0 WHERE pmid = ? AND alive = 1", (row.pmid,))
        doc = self._db.execute("SELECT coalesce(max(doc) + 1, 0) FROM docs").fetchone()[0]
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, 1, ?)", (doc, row.pmid, row.date, row.number, row.blob))
        self._db.execute(_INSERT_WORDS,
                         (doc, *row.words))
        self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)",
                             ((kind, key, doc) for kind, key in row.keys))
        self._db.executemany("INSERT OR IGNORE INTO mesh_names VALUES (?, ?)", row.mesh_names)

    # -- reading ---------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM docs WHERE alive = 1").fetchone()[0])

    def __contains__(self, pmid: object) -> bool:
        return isinstance(pmid, str) and self._pmid_doc(pmid) is not None

    def get(self, pmid: str) -> Record | None:
        row = self._db.execute("SELECT record FROM docs WHERE pmid = ? AND alive = 1", (pmid,)).fetchone()
        return Record.from_json(zlib.decompress(row[0]).decode("utf-8")) if row else None

    def spell(self, query: str) -> str:
        """ESpell over the indexed words, each counted by the documents holding it, summed over fields."""
        if self._speller is None:
            rows = self._db.execute("SELECT term, sum(doc) FROM words_vocabulary WHERE term != ? GROUP BY term",
                                    (GAP_TOKEN,))
            self._speller = Speller({term: int(count) for term, count in rows})
        return self._speller.correct(query)

    # -- the engine's primitives ------------------------------------------------------

    def _columns(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """(date, PMID number, alive) of every document, read once after each change."""
        if self._arrays is None:
            size = self._size()
            dates = np.zeros(size, dtype=np.int32)
            numbers = np.zeros(size, dtype=np.int64)
            alive = np.zeros(size, dtype=bool)
            for doc, date, number, live in self._db.execute("SELECT doc, date, pmid_number, alive FROM docs"):
                dates[doc], numbers[doc], alive[doc] = date, number, live
            self._arrays = (dates, numbers, alive)
        return self._arrays

    def _size(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(doc) + 1, 0) FROM docs").fetchone()[0])

    def _live_only(self, docs: Docs) -> Docs:
        return docs[self._columns()[2][docs]]

    def _date_range(self, low: int, high: int) -> Docs:
        rows = self._db.execute("SELECT doc FROM docs WHERE date BETWEEN ? AND ?", (low, high))
        return np.sort(np.fromiter((row[0] for row in rows), dtype=np.int32))

    def _keys(self, name: str) -> _DiskKeys:
        return self._key_lookups[name]

    def _pmid_doc(self, pmid: str) -> int | None:
        row = self._db.execute("SELECT doc FROM docs WHERE pmid = ? AND alive = 1", (pmid,)).fetchone()
        return int(row[0]) if row else None

    def _ordered_pmids(self, docs: Docs) -> list[str]:
        dates, numbers, _ = self._columns()
        rank_numbers = np.where(numbers[docs] < 0, -1 - numbers[docs], numbers[docs])  # undo the mark
        ordered = docs[np.lexsort((docs, rank_numbers, dates[docs]))[::-1]]
        return self._pmids(ordered)

    def _pmids(self, docs: Docs) -> list[str]:
        """PMIDs of docs in their order: spelled from the number (PubMed's PMIDs are plain numbers), read
        from the table for the rare one that is not (letters, a leading zero)."""
        numbers = self._columns()[1]
        pmids = [str(n) for n in numbers[docs].tolist()]
        for position in np.flatnonzero(numbers[docs] < 0).tolist():
            row = self._db.execute("SELECT pmid FROM docs WHERE doc = ?", (int(docs[position]),)).fetchone()
            pmids[position] = row[0]
        return pmids

    def _words(self, term: Term, fields: tuple[str, ...]) -> Docs:
        words = tokenize(term.text)
        if not words:
            return EMPTY
        phrase = '"' + " ".join(words) + '"' + (" *" if term.truncated else "")
        match = "{" + " ".join(fields) + "} : " + phrase
        rows = self._db.execute("SELECT rowid FROM words WHERE words MATCH ? ORDER BY rowid", (match,))
        return np.fromiter((row[0] for row in rows), dtype=np.int32)

    def _descriptor_name(self, text: str) -> str | None:
        """The MeSH name text exactly spells (tree if given, else names seen in records)."""
        if self.mesh is not None:
            descriptor = self.mesh.lookup(text)
            return descriptor.name if descriptor and descriptor.name.casefold() == text.casefold() else None
        row = self._db.execute("SELECT name FROM mesh_names WHERE key = ?", (normalize(text),)).fetchone()
        return row[0] if row else None
