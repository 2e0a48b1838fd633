-- The transparency log (透明日志) that replaces the hash chain of 0001 as the
-- audit log: one leaf per audited event, appended to a pending queue in the
-- writer's own transaction (no shared row to lock), and integrated in
-- batches by one sequencer into an RFC 6962 Merkle tree whose hashes are
-- stored as golang.org/x/mod/sumdb/tlog lays them out. After each batch the
-- sequencer writes a checkpoint (C2SP tlog-checkpoint), signed with a key
-- kept outside the database. The chain of 0001 is adopted as the first
-- leaves once, after it has been verified, and is not written any more.
CREATE TABLE audit_leaves (
    seq         INTEGER PRIMARY KEY,  -- queue order
    idx         INTEGER UNIQUE,       -- leaf index once integrated, NULL while pending
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,     -- the record version the event made, 0 for other objects
    data        TEXT NOT NULL         -- the leaf: the event as JSON, hashed as stored
);
CREATE INDEX audit_leaves_pending ON audit_leaves (seq) WHERE idx IS NULL;
CREATE INDEX audit_leaves_object ON audit_leaves (object_id, version, seq);

-- tlog's stored hashes, by tlog.StoredHashIndex.
CREATE TABLE audit_hashes (
    id   INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

-- One checkpoint per integrated batch: the note as signed (or the bare
-- checkpoint text when the server has no key).
CREATE TABLE audit_checkpoints (
    size       INTEGER PRIMARY KEY,
    root       BLOB NOT NULL,
    note       TEXT NOT NULL,
    signed     INTEGER NOT NULL CHECK (signed IN (0, 1)),
    created_at TEXT NOT NULL
);

-- The sequencer's state: how many leaves the tree holds, and whether the
-- chain of 0001 has been adopted.
CREATE TABLE audit_tree (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    size    INTEGER NOT NULL,
    adopted INTEGER NOT NULL CHECK (adopted IN (0, 1))
);
INSERT INTO audit_tree (id, size, adopted) VALUES (1, 0, 0);

CREATE TRIGGER audit_leaves_no_delete BEFORE DELETE ON audit_leaves
BEGIN SELECT RAISE(ABORT, 'audit_leaves is append-only'); END;
CREATE TRIGGER audit_leaves_no_update BEFORE UPDATE ON audit_leaves
WHEN OLD.idx IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.data IS NOT OLD.data OR NEW.object_kind IS NOT OLD.object_kind
  OR NEW.object_id IS NOT OLD.object_id OR NEW.version IS NOT OLD.version
BEGIN SELECT RAISE(ABORT, 'audit_leaves is append-only: only a pending leaf gets its index'); END;
CREATE TRIGGER audit_hashes_no_update BEFORE UPDATE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'audit_hashes is append-only'); END;
CREATE TRIGGER audit_hashes_no_delete BEFORE DELETE ON audit_hashes
BEGIN SELECT RAISE(ABORT, 'audit_hashes is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
