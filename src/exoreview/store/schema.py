"""The store's schema as an ordered list of migrations.

Each entry moves the database from version N-1 to N. Never edit a released
migration: append a new one, so that every review file upgrades in place.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        protocol_name TEXT NOT NULL DEFAULT '',
        protocol_hash TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
    );

    CREATE TABLE run_log (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
    );

    -- One row per query sent to a source: the PRISMA-S search log.
    CREATE TABLE searches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source TEXT NOT NULL,
        query TEXT NOT NULL,
        translation TEXT NOT NULL DEFAULT '',
        filters TEXT NOT NULL DEFAULT '{}',
        base_url TEXT NOT NULL DEFAULT '',
        executed_at TEXT NOT NULL,
        count INTEGER,
        retrieved INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'running',
        ids TEXT NOT NULL DEFAULT '[]'
    );

    -- Fetch batches of a search, so an interrupted retrieval resumes where it stopped.
    CREATE TABLE fetch_batches (
        search_id INTEGER NOT NULL REFERENCES searches(id),
        batch_index INTEGER NOT NULL,
        first_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        stored INTEGER NOT NULL,
        errors TEXT NOT NULL DEFAULT '[]',
        completed_at TEXT NOT NULL,
        PRIMARY KEY (search_id, batch_index)
    );

    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        source_id TEXT NOT NULL,
        pmid TEXT NOT NULL DEFAULT '',
        doi TEXT NOT NULL DEFAULT '',
        pmcid TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        year INTEGER,
        synthetic INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        first_run_id INTEGER REFERENCES runs(id),
        updated_run_id INTEGER REFERENCES runs(id),
        UNIQUE (source, source_id)
    );
    CREATE INDEX records_pmid ON records(pmid) WHERE pmid != '';
    CREATE INDEX records_doi ON records(doi) WHERE doi != '';

    CREATE TABLE search_hits (
        search_id INTEGER NOT NULL REFERENCES searches(id),
        record_id INTEGER NOT NULL REFERENCES records(id),
        PRIMARY KEY (search_id, record_id)
    );

    -- A copy set aside as a duplicate of a kept record; undone rows stay for the audit trail.
    CREATE TABLE duplicates (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id),
        kept_id INTEGER NOT NULL REFERENCES records(id),
        reason TEXT NOT NULL,
        score REAL NOT NULL,
        decided_at TEXT NOT NULL,
        undone_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX duplicates_record ON duplicates(record_id);

    -- Every screening decision ever made; the latest per (record, stage, reviewer) counts.
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id),
        stage TEXT NOT NULL,
        label TEXT NOT NULL CHECK (label IN ('include', 'exclude', 'maybe')),
        reviewer TEXT NOT NULL,
        reason_id TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        score REAL,
        decided_at TEXT NOT NULL
    );
    CREATE INDEX decisions_record ON decisions(record_id, stage);

    CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id),
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        sentence TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        field TEXT NOT NULL,
        method TEXT NOT NULL,
        match TEXT NOT NULL DEFAULT '',
        negated INTEGER NOT NULL DEFAULT 0,
        hedged INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '',
        run_id INTEGER REFERENCES runs(id)
    );
    CREATE INDEX labels_record ON labels(record_id, facet);

    CREATE TABLE appraisals (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id),
        instrument TEXT NOT NULL,
        item TEXT NOT NULL,
        rating TEXT NOT NULL,
        sentence TEXT NOT NULL DEFAULT '',
        field TEXT NOT NULL DEFAULT '',
        run_id INTEGER REFERENCES runs(id)
    );
    CREATE INDEX appraisals_record ON appraisals(record_id);

    -- Check tags such as Female have no tree number, hence the two-column key.
    CREATE TABLE mesh_tree (
        tree_number TEXT NOT NULL,
        ui TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (tree_number, ui)
    );

    CREATE TABLE report_builds (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        format TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        built_at TEXT NOT NULL
    );
    """,
    # 2 (reviewers): a decision a reviewer took back; the row stays for the audit trail.
    """
    ALTER TABLE decisions ADD COLUMN undone_at TEXT NOT NULL DEFAULT '';
    """,
    # 3 (appraise): an appraisal's evidence as precise as a label's: where the sentence sits in its
    # field, the words that matched, the rule that matched them, and a detail (why not applicable).
    """
    ALTER TABLE appraisals ADD COLUMN start INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE appraisals ADD COLUMN end INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE appraisals ADD COLUMN match TEXT NOT NULL DEFAULT '';
    ALTER TABLE appraisals ADD COLUMN method TEXT NOT NULL DEFAULT '';
    ALTER TABLE appraisals ADD COLUMN detail TEXT NOT NULL DEFAULT '';
    """,
    # 4 (team): the people who work on a review in the browser, their sessions, and every check of a
    # machine label (accepted, rejected, or a label a person added with the words that state it).
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE label_checks (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id),
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'added')),
        reviewer TEXT NOT NULL,
        sentence TEXT NOT NULL DEFAULT '',
        field TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL DEFAULT 0,
        end INTEGER NOT NULL DEFAULT 0,
        match TEXT NOT NULL DEFAULT '',
        checked_at TEXT NOT NULL
    );
    CREATE INDEX label_checks_record ON label_checks(record_id, facet);
    """,
    # 5: one reviewer's decisions found without reading every reviewer's; an owner's resolution of
    # two reviewers' differing checks of a label is a check that says so
    """
    CREATE INDEX decisions_stage_reviewer ON decisions(stage, reviewer, undone_at, record_id);
    ALTER TABLE label_checks ADD COLUMN resolves INTEGER NOT NULL DEFAULT 0;
    """,
]
