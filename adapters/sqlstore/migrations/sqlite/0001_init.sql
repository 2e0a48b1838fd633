-- Identity, records, sharing and the audit log (SQLite).
-- Instants are TEXT in UTC, fixed width (2006-01-02T15:04:05.000000Z);
-- dates are TEXT YYYY-MM-DD; domain values are canonical JSON TEXT.
CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    name       TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'assessor', 'reviewer', 'decision_maker', 'appraiser', 'caseworker', 'viewer')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY, -- the public lookup prefix of the key
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    hash         BLOB NOT NULL,    -- SHA-256 of the whole key
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE records (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations (id), -- the owning (handling) organisation
    status      TEXT NOT NULL DEFAULT '',
    reference   TEXT,
    name        TEXT NOT NULL DEFAULT '',
    due_on      TEXT,
    version     INTEGER NOT NULL CHECK (version >= 1),
    body        TEXT NOT NULL,
    body_digest TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX records_org_kind ON records (org_id, kind, status, id);
CREATE INDEX records_due ON records (kind, due_on) WHERE due_on IS NOT NULL;
CREATE UNIQUE INDEX records_reference ON records (kind, reference) WHERE reference IS NOT NULL;

CREATE TABLE record_shares (
    record_id  TEXT NOT NULL REFERENCES records (id),
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    shared_by  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (record_id, org_id)
);
CREATE INDEX record_shares_org ON record_shares (org_id, record_id);

CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_user    TEXT NOT NULL,
    actor_org     TEXT NOT NULL,
    action        TEXT NOT NULL,
    object_kind   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    before_digest TEXT NOT NULL,
    after_digest  TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);

CREATE INDEX audit_events_object ON audit_events (object_kind, object_id, seq);

-- The head of the chain: one row, locked by every audited transaction so
-- that appends are serialised across every server on the database.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
