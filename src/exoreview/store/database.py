"""SQLite store: records, runs and their logs, searches, decisions, labels, duplicates.

Writes go through short transactions so that a killed process loses at most
the batch it was writing; WAL lets a reader (the report, a second terminal)
look while a run writes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

from exoreview.errors import BadInput
from exoreview.records import Record
from exoreview.results import RESOLVER, Decision, DuplicateLink, Evidence, Label, Rating, is_judgement, is_person
from exoreview.store.schema import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)
COMMIT_EVERY = 1000  # records per import transaction: what a killed import can lose at most


_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()


def _writer_of(path: Path) -> threading.RLock:
    """The one write lock of this process for a review file (reentrant: a transaction may nest a call)."""
    key = str(Path(path).resolve())
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.RLock())


class StoreError(BadInput, RuntimeError):
    """The review file cannot be used as asked (newer schema, not a review, locked)."""


# A fixed "now" for every timestamp the store writes, while set (see `pinned_clock`).
_PINNED_NOW: ContextVar[str] = ContextVar("exoreview_pinned_now", default="")


def utc_now() -> str:
    return _PINNED_NOW.get() or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@contextmanager
def pinned_clock(stamp: str) -> Iterator[None]:
    """Every store timestamp is `stamp` (ISO 8601 UTC) inside the block: the offline demo's report, which
    prints run and search times, must be the same bytes on every run."""
    token = _PINNED_NOW.set(stamp)
    try:
        yield
    finally:
        _PINNED_NOW.reset(token)


def record_key(record: Record) -> str:
    """The identifier a source knows a record by; PMID first, then DOI, then the title."""
    if record.extra.get("nct_id"):  # a trial registration: its NCT ID is the only identifier it has
        return f"nct:{record.extra['nct_id']}"
    if record.pmid:
        return f"pmid:{record.pmid}"
    if record.doi:
        return f"doi:{record.doi.lower()}"
    if record.pmcid:
        return f"pmc:{record.pmcid}"
    return f"title:{record.title.lower()[:200]}|{record.year or ''}"


RecordRow = tuple[str, str, str, str, str, int | None, int, str]


def record_row(record: Record) -> RecordRow:
    """The columns a record is stored under (source_id, pmid, doi, pmcid, title, year, synthetic, data):
    one function, so that rows built in another process (store.ingest) are the bytes `add_records` writes."""
    return (record_key(record), record.pmid, record.doi.lower(), record.pmcid, record.title, record.year,
            int(record.synthetic), record.to_json())


# Parameters: source, *record_row(record), first_run_id, updated_run_id.
_UPSERT_RECORD = """INSERT INTO records(source, source_id, pmid, doi, pmcid, title, year, synthetic, data,
                                       first_run_id, updated_run_id)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(source, source_id) DO UPDATE SET
                     pmid=excluded.pmid, doi=excluded.doi, pmcid=excluded.pmcid, title=excluded.title,
                     year=excluded.year, synthetic=excluded.synthetic, data=excluded.data,
                     updated_run_id=excluded.updated_run_id"""


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file (PRAGMA integrity_check) before any write could make it worse."""
    problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise StoreError(f"{path}: the review store is damaged ({'; '.join(problems)}); nothing was written "
                         "to it. Restore it from a backup, or start a new review")


class Store:
    """One review file. Open with `Store.open(path)`; close or use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path
        self._writer = _writer_of(path)

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, must_exist: bool = False, any_thread: bool = False) -> Store:
        """Open (or create) a review file; a damaged one is refused before anything is written to it.

        `must_exist`: a missing file is an error (a mistyped path), not a new empty review.
        `any_thread`: the connection may be used from a thread other than the one that opened it; the
        caller then lets one thread at a time use it (the web app's screening sessions hold a lock).
        """
        path = Path(path)
        existed = path.exists()
        if must_exist and not existed:
            raise StoreError(f"{path}: no review store here; check the path (nothing was created)")
        if existed and path.is_dir():
            raise StoreError(f"{path}: is a folder, not a review store")
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=not any_thread)
        try:
            connection.row_factory = sqlite3.Row
            if existed:
                _check_integrity(connection, path)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            store = cls(connection, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            connection.close()
            # SQLite says "malformed" when a page it needs is scribbled over: a damaged review store, not
            # some other file given by mistake
            what = "the review store is damaged" if "malformed" in str(exc) else "not a readable review store"
            raise StoreError(f"{path}: {what} ({exc}); nothing was written to it. "
                             "Restore it from a backup, or start a new review") from exc
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        # Connections of one process to one file take turns here first: a waiting writer wakes the
        # moment the last one commits, instead of sleeping through SQLite's busy back-off.
        with self._writer:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def schema_version(self) -> int:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if not has_meta:
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer exoreview (schema {current}, this one knows "
                f"{SCHEMA_VERSION}); upgrade exoreview to open it"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            # One script per migration, inside one transaction: it applies whole or not at all.
            self.db.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]};\n"
                f"INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '{version}');\nCOMMIT;"
            )

    # -- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- runs and their logs ---------------------------------------------------------------------

    def start_run(self, command: str, protocol_name: str = "", protocol_hash: str = "") -> int:
        cursor = self.db.execute(
            "INSERT INTO runs(command, protocol_name, protocol_hash, started_at) VALUES (?, ?, ?, ?)",
            (command, protocol_name, protocol_hash, utc_now()),
        )
        return int(cursor.lastrowid or 0)

    def interrupt_dangling_runs(self) -> list[int]:
        """Mark runs still "running" as "interrupted"; call only while holding the review's writer lock."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM runs WHERE status='running' ORDER BY id")]
        if ids:
            self.db.execute("UPDATE runs SET status='interrupted', finished_at=? WHERE status='running'",
                            (utc_now(),))
        return ids

    def finish_run(self, run_id: int, status: str = "ok") -> None:
        self.db.execute("UPDATE runs SET finished_at=?, status=? WHERE id=?", (utc_now(), status, run_id))

    def log(self, run_id: int, message: str, level: str = "info") -> None:
        self.db.execute(
            "INSERT INTO run_log(run_id, at, level, message) VALUES (?, ?, ?, ?)",
            (run_id, utc_now(), level, message),
        )

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id").fetchall()

    def run_log(self, run_id: int | None = None) -> list[sqlite3.Row]:
        if run_id is None:
            return self.db.execute("SELECT * FROM run_log ORDER BY id").fetchall()
        return self.db.execute("SELECT * FROM run_log WHERE run_id=? ORDER BY id", (run_id,)).fetchall()

    # -- searches and fetch batches ----------------------------------------------------------------

    def add_search(
        self, run_id: int, source: str, query: str, *, filters: dict | None = None, base_url: str = ""
    ) -> int:
        cursor = self.db.execute(
            "INSERT INTO searches(run_id, source, query, filters, base_url, executed_at) VALUES (?,?,?,?,?,?)",
            (run_id, source, query, json.dumps(filters or {}, sort_keys=True), base_url, utc_now()),
        )
        return int(cursor.lastrowid or 0)

    def update_search(self, search_id: int, **fields: object) -> None:
        allowed = {"translation", "count", "retrieved", "status", "ids", "executed_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"update_search: unknown fields {sorted(unknown)}")
        values = [json.dumps(v) if k == "ids" else v for k, v in fields.items()]
        assignments = ", ".join(f"{k}=?" for k in fields)
        self.db.execute(f"UPDATE searches SET {assignments} WHERE id=?", (*values, search_id))

    def search(self, search_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM searches WHERE id=?", (search_id,)).fetchone()

    def records_first_stored_in(self, run_id: int) -> int:
        """How many records a run added (stored for the first time), against those it only found again."""
        return int(self.db.execute("SELECT COUNT(*) FROM records WHERE first_run_id=?", (run_id,)).fetchone()[0])

    def searches(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM searches ORDER BY id").fetchall()

    def unfinished_search(self, source: str, query: str) -> sqlite3.Row | None:
        """The latest search of this query that did not finish, to resume it."""
        return self.db.execute(
            "SELECT * FROM searches WHERE source=? AND query=? AND status != 'ok' ORDER BY id DESC LIMIT 1",
            (source, query),
        ).fetchone()

    def completed_batches(self, search_id: int) -> set[int]:
        rows = self.db.execute("SELECT batch_index FROM fetch_batches WHERE search_id=?", (search_id,))
        return {row[0] for row in rows}

    def completed_batch_spans(self, search_id: int) -> list[tuple[int, str, int]]:
        """(batch_index, first_id, size) of every stored batch of a search, in batch order."""
        rows = self.db.execute("SELECT batch_index, first_id, size FROM fetch_batches WHERE search_id=? "
                               "ORDER BY batch_index", (search_id,))
        return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]

    def store_batch(
        self,
        search_id: int,
        batch_index: int,
        first_id: str,
        size: int,
        records: Iterable[Record],
        *,
        source: str,
        run_id: int,
        errors: list[str] | None = None,
    ) -> int:
        """Store one fetched batch and mark it complete, atomically: all of it or none."""
        with self.transaction():
            ids = self._upsert(records, source, run_id)
            self.db.executemany(
                "INSERT OR IGNORE INTO search_hits(search_id, record_id) VALUES (?, ?)",
                [(search_id, record_id) for record_id in ids],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO fetch_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                (search_id, batch_index, first_id, size, len(ids), json.dumps(errors or []), utc_now()),
            )
        return len(ids)

    # -- records -----------------------------------------------------------------------------------

    def add_records(self, records: Iterable[Record], *, source: str, run_id: int | None = None) -> list[int]:
        """Insert or update records from one source; returns their row ids in input order.

        Records are committed COMMIT_EVERY at a time, so a process killed in a large import keeps every
        batch it finished (importing the file again stores the rest, without doubles: rows are keyed
        by source and identifier). A deletion notice (MEDLINE <DeleteCitation>) is not a record: it is
        not stored and has no id.
        """
        ids: list[int] = []
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) == COMMIT_EVERY:
                with self.transaction():
                    ids += self._upsert(batch, source, run_id)
                batch = []
        if batch:
            with self.transaction():
                ids += self._upsert(batch, source, run_id)
        return ids

    def add_record_rows(self, rows: Iterable[RecordRow], *, source: str, run_id: int | None = None) -> int:
        """Insert or update rows made by `record_row`, in one transaction, as `add_records` would; returns
        how many. No ids come back: executemany cannot return rows, and it is the cheaper path."""
        with self.transaction():
            cursor = self.db.executemany(_UPSERT_RECORD, [(source, *row, run_id, run_id) for row in rows])
        return cursor.rowcount

    def _upsert(self, records: Iterable[Record], source: str, run_id: int | None) -> list[int]:
        ids: list[int] = []
        for record in records:
            if record.kind == "deleted":
                continue
            cursor = self.db.execute(_UPSERT_RECORD + " RETURNING id", (source, *record_row(record), run_id, run_id))
            ids.append(int(cursor.fetchone()[0]))
        return ids

    def record(self, record_id: int) -> Record:
        row = self.db.execute("SELECT data FROM records WHERE id=?", (record_id,)).fetchone()
        if row is None:
            raise KeyError(f"no record with id {record_id}")
        return Record.from_json(row[0])

    def record_source(self, record_id: int) -> str:
        row = self.db.execute("SELECT source FROM records WHERE id=?", (record_id,)).fetchone()
        return row[0] if row else ""

    def iter_records(self, ids: Iterable[int] | None = None) -> Iterator[tuple[int, Record]]:
        if ids is None:
            for row in self.db.execute("SELECT id, data FROM records ORDER BY id"):
                yield row[0], Record.from_json(row[1])
            return
        for record_id in ids:
            yield record_id, self.record(record_id)

    def record_ids(self, source: str | None = None) -> list[int]:
        if source is None:
            return [r[0] for r in self.db.execute("SELECT id FROM records ORDER BY id")]
        return [r[0] for r in self.db.execute("SELECT id FROM records WHERE source=? ORDER BY id", (source,))]

    def record_count(self, source: str | None = None) -> int:
        return len(self.record_ids(source))

    def find_record(self, *, pmid: str = "", doi: str = "", pmcid: str = "") -> int | None:
        """The first record with this PMID, DOI (any case) or PMC ID; None when there is none."""
        if pmid:
            row = self.db.execute("SELECT id FROM records WHERE pmid=? ORDER BY id LIMIT 1", (pmid,)).fetchone()
        elif doi:
            row = self.db.execute(
                "SELECT id FROM records WHERE doi=? ORDER BY id LIMIT 1", (doi.lower(),)
            ).fetchone()
        elif pmcid:
            wanted = pmcid.strip().upper()
            wanted = wanted if wanted.startswith("PMC") else f"PMC{wanted}"
            row = self.db.execute("SELECT id FROM records WHERE upper(pmcid)=? ORDER BY id LIMIT 1",
                                  (wanted,)).fetchone()
        else:
            row = None
        return row[0] if row else None

    def has_record(self, record_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM records WHERE id=?", (record_id,)).fetchone() is not None

    def free_full_text_ids(self) -> set[int]:
        """Records a search found with a free-full-text filter (so their full text is free), and the
        records their duplicates stand for."""
        rows = self.db.execute(
            "SELECT DISTINCT h.record_id FROM search_hits h JOIN searches s ON s.id = h.search_id "
            "WHERE json_extract(s.filters, '$.free_full_text') = 1")
        found = {r[0] for r in rows}
        return found | {d.kept_id for d in self.duplicates() if d.record_id in found}

    def add_search_hits(self, search_id: int, record_ids: Iterable[int]) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR IGNORE INTO search_hits(search_id, record_id) VALUES (?, ?)",
                                [(search_id, i) for i in record_ids])

    def search_hit_ids(self, search_id: int) -> list[int]:
        rows = self.db.execute("SELECT record_id FROM search_hits WHERE search_id=? ORDER BY record_id",
                               (search_id,))
        return [r[0] for r in rows]

    # -- duplicates --------------------------------------------------------------------------------

    def add_duplicates(self, links: Iterable[DuplicateLink]) -> None:
        now = utc_now()
        with self.transaction():
            self.db.executemany(
                "INSERT INTO duplicates(record_id, kept_id, reason, score, decided_at) VALUES (?,?,?,?,?)",
                [(d.record_id, d.kept_id, d.reason, d.score, now) for d in links],
            )

    def undo_duplicate(self, link_id: int) -> None:
        self.db.execute("UPDATE duplicates SET undone_at=? WHERE id=? AND undone_at=''", (utc_now(), link_id))

    def duplicates(self, *, include_undone: bool = False) -> list[DuplicateLink]:
        sql = "SELECT * FROM duplicates" + ("" if include_undone else " WHERE undone_at=''") + " ORDER BY id"
        return [
            DuplicateLink(r["record_id"], r["kept_id"], r["reason"], r["score"], r["id"], r["decided_at"],
                          r["undone_at"])
            for r in self.db.execute(sql)
        ]

    def unique_record_ids(self) -> list[int]:
        """Records that stand for a study: every record not set aside as a duplicate."""
        set_aside = {d.record_id for d in self.duplicates()}
        return [i for i in self.record_ids() if i not in set_aside]

    # -- decisions ----------------------------------------------------------------------------------

    def add_decisions(self, decisions: Iterable[Decision]) -> None:
        now = utc_now()
        with self.transaction():
            self.db.executemany(
                """INSERT INTO decisions(record_id, stage, label, reviewer, reason_id, note, score, decided_at)
                   VALUES (?,?,?,?,?,?,?,?)""",
                [
                    (d.record_id, d.stage, d.label, d.reviewer, d.reason_id, d.note, d.score, d.decided_at or now)
                    for d in decisions
                ],
            )

    def decisions(self, stage: str, *, reviewer: str | None = None, record_id: int | None = None,
                  history: bool = False, include_undone: bool = False, last: int | None = None,
                  after_id: int = 0) -> list[Decision]:
        """The latest standing decision per (record, reviewer) at a stage; every row with `history`.

        A decision its reviewer undid no longer stands, so the one before it (if any) counts again;
        `include_undone` keeps undone rows in a history listing. `reviewer` and `record_id` narrow
        the rows read (both by index), so one person's queue never reads the whole team's decisions;
        `last` keeps only the newest rows (still oldest first); `after_id` only rows newer than that id.
        """
        where = "stage=?" + ("" if include_undone else " AND undone_at=''") + (" AND id>?" if after_id else "")
        args: list[object] = [stage, after_id] if after_id else [stage]
        for column, value in (("reviewer", reviewer), ("record_id", record_id)):
            if value is not None:
                where += f" AND {column}=?"
                args.append(value)
        sql = f"SELECT * FROM decisions WHERE {where}"
        if not history:  # the latest standing row per (record, reviewer), among the same rows
            latest = where + (" AND undone_at=''" if include_undone else "")
            sql += f" AND id IN (SELECT MAX(id) FROM decisions WHERE {latest} GROUP BY record_id, reviewer)"
            args += args
        if last is not None:
            sql += " ORDER BY id DESC LIMIT ?"
            args.append(last)
        else:
            sql += " ORDER BY id"
        found = [
            Decision(r["record_id"], r["stage"], r["label"], r["reviewer"], r["reason_id"], r["note"],
                     r["score"], r["decided_at"], r["id"], r["undone_at"])
            for r in self.db.execute(sql, args)
        ]
        return found[::-1] if last is not None else found

    def decision_marks(self, stage: str, reviewer: str) -> tuple[int, int, int]:
        """(rows, newest id, undone rows) of one reviewer at a stage, read from the index alone: while
        they stand, that reviewer's decisions are as they were, whatever the rest of the team does."""
        row = self.db.execute("""SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(undone_at != ''), 0)
                                 FROM decisions WHERE stage=? AND reviewer=?""", (stage, reviewer)).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def undo_decision(self, decision_id: int) -> None:
        """Take a decision back; the row stays, marked with the time it was undone."""
        with self.transaction():
            self.db.execute("UPDATE decisions SET undone_at=? WHERE id=? AND undone_at=''", (utc_now(), decision_id))

    def final_decisions(self, stage: str) -> dict[int, Decision]:
        """The decision that stands for each record at a stage.

        A resolution ("consensus") stands over everything. Otherwise people's decisions stand over the
        rules' and models': when every person who decided a record gave the same label, the latest of
        theirs stands; when they differ, none does (the record waits for a resolution, as a conflict).
        A record no person decided keeps the latest machine decision. Each reviewer's latest standing
        decision is theirs (an undone one gives way to the one before).
        """
        return self._standing_and_disputed(stage)[0]

    def disputed(self, stage: str) -> list[int]:
        """Records that people decided differently at a stage and no one has resolved: they wait."""
        return self._standing_and_disputed(stage)[1]

    def _standing_and_disputed(self, stage: str) -> tuple[dict[int, Decision], list[int]]:
        latest: dict[int, Decision] = {}
        people: dict[int, list[Decision]] = {}
        settled: dict[int, Decision] = {}
        for d in self.decisions(stage):  # each reviewer's standing decision, oldest first
            if d.reviewer == RESOLVER:
                settled[d.record_id] = d
            elif is_person(d.reviewer) and is_judgement(d):
                people.setdefault(d.record_id, []).append(d)
            elif is_person(d.reviewer):
                continue  # a person's finding (full text at hand): the rules' decision after it stands
            else:
                latest[d.record_id] = d
        disputed = []
        for record_id, decided in people.items():
            if len({d.label for d in decided}) == 1:
                latest[record_id] = max(decided, key=lambda d: d.id or 0)
            else:
                latest.pop(record_id, None)  # people differ: nothing stands until it is resolved
                if record_id not in settled:
                    disputed.append(record_id)
        latest.update(settled)
        return dict(sorted(latest.items(), key=lambda item: item[1].id or 0)), sorted(disputed)

    # -- labels and appraisals ---------------------------------------------------------------------------

    def replace_labels(self, record_id: int, labels: Iterable[Label], run_id: int | None = None) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM labels WHERE record_id=?", (record_id,))
            self.db.executemany(
                """INSERT INTO labels(record_id, facet, value, sentence, start, end, field, method, match,
                                      negated, hedged, detail, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [
                    (record_id, lab.facet, lab.value, lab.evidence.sentence, lab.evidence.start,
                     lab.evidence.end, lab.evidence.field_name, lab.evidence.method, lab.evidence.match,
                     int(lab.negated), int(lab.hedged), lab.detail, run_id)
                    for lab in labels
                ],
            )

    def labels(self, record_id: int | None = None) -> list[Label]:
        sql = "SELECT * FROM labels" + (" WHERE record_id=?" if record_id is not None else "") + " ORDER BY id"
        args = (record_id,) if record_id is not None else ()
        return [
            Label(
                r["record_id"], r["facet"], r["value"],
                Evidence(r["sentence"], r["start"], r["end"], r["field"], r["method"], r["match"]),
                bool(r["negated"]), bool(r["hedged"]), r["detail"],
            )
            for r in self.db.execute(sql, args)
        ]

    def replace_appraisals(self, record_id: int, ratings: Iterable[Rating], run_id: int | None = None) -> None:
        """Replace a study's appraisal (every instrument) in one transaction."""
        with self.transaction():
            self.db.execute("DELETE FROM appraisals WHERE record_id=?", (record_id,))
            self.db.executemany(
                """INSERT INTO appraisals(record_id, instrument, item, rating, sentence, field, start, end, match,
                                          method, detail, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                [
                    (record_id, r.instrument, r.item, r.rating, *_evidence_columns(r.evidence), r.detail, run_id)
                    for r in ratings
                ],
            )

    def appraisals(self, record_id: int | None = None) -> list[Rating]:
        """Stored ratings in the order written (items in instrument order, the score last)."""
        sql = "SELECT * FROM appraisals" + (" WHERE record_id=?" if record_id is not None else "") + " ORDER BY id"
        args = (record_id,) if record_id is not None else ()
        return [
            Rating(r["record_id"], r["instrument"], r["item"], r["rating"],
                   Evidence(r["sentence"], r["start"], r["end"], r["field"], r["method"], r["match"])
                   if r["sentence"] else None, r["detail"])
            for r in self.db.execute(sql, args)
        ]

    # -- MeSH tree ---------------------------------------------------------------------------------------

    def load_mesh_rows(self, rows: Iterable[tuple[str, str, str]]) -> int:
        with self.transaction():
            self.db.execute("DELETE FROM mesh_tree")
            cursor = self.db.executemany("INSERT INTO mesh_tree VALUES (?, ?, ?)", rows)
        return cursor.rowcount

    def mesh_rows(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT tree_number, ui, name FROM mesh_tree")]

    # -- report builds -----------------------------------------------------------------------------------

    def add_report_build(self, run_id: int | None, fmt: str, path: str, sha256: str) -> None:
        self.db.execute(
            "INSERT INTO report_builds(run_id, format, path, sha256, built_at) VALUES (?,?,?,?,?)",
            (run_id, fmt, path, sha256, utc_now()),
        )


def _evidence_columns(evidence: Evidence | None) -> tuple[str, str, int, int, str, str]:
    """sentence, field, start, end, match, method of an appraisal row; empty when nothing was found."""
    if evidence is None:
        return ("", "", 0, 0, "", "")
    return (evidence.sentence, evidence.field_name, evidence.start, evidence.end, evidence.match, evidence.method)

