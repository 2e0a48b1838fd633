-- Identity, records, sharing and the audit log (PostgreSQL).
CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    name       TEXT NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
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
    hash         BYTEA NOT NULL,   -- SHA-256 of the whole key
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE records (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations (id), -- the owning (handling) organisation
    status      TEXT NOT NULL DEFAULT '',
    reference   TEXT,
    name        TEXT NOT NULL DEFAULT '',
    due_on      DATE,
    version     BIGINT NOT NULL CHECK (version >= 1),
    body        JSONB NOT NULL,
    body_digest TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX records_org_kind ON records (org_id, kind, status, id);
CREATE INDEX records_due ON records (kind, due_on) WHERE due_on IS NOT NULL;
CREATE UNIQUE INDEX records_reference ON records (kind, reference) WHERE reference IS NOT NULL;

CREATE TABLE record_shares (
    record_id  TEXT NOT NULL REFERENCES records (id),
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    shared_by  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, org_id)
);
CREATE INDEX record_shares_org ON record_shares (org_id, record_id);

CREATE TABLE audit_events (
    seq           BIGINT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
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

-- The head of the chain: one row, locked (SELECT ... FOR UPDATE) by every
-- audited transaction so that appends are serialised across every server.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
