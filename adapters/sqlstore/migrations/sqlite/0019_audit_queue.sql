-- Pending leaves wait in their own queue, and the log's table only grows
-- (see PostgreSQL's 0019: there the sequencer's update of each leaf was a
-- second version of the row and an entry in each of its indexes). A
-- writer appends its leaf to audit_queue; the sequencer moves a batch
-- into audit_leaves in its batch's transaction. The queue's order (seq)
-- continues the leaves': AUTOINCREMENT, started after the last seq given.
CREATE TABLE audit_queue (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX audit_queue_object ON audit_queue (object_id, version, seq);
INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_queue', COALESCE(MAX(seq), 0) FROM audit_leaves;

-- The leaves pending now move to the queue.
INSERT INTO audit_queue (seq, object_kind, object_id, version, data)
    SELECT seq, object_kind, object_id, version, data FROM audit_leaves WHERE idx IS NULL;
DROP TRIGGER audit_leaves_no_delete;
DELETE FROM audit_leaves WHERE idx IS NULL;
DROP INDEX audit_leaves_pending;

-- audit_leaves takes no change at all now.
DROP TRIGGER audit_leaves_no_update;
CREATE TRIGGER audit_leaves_no_delete BEFORE DELETE ON audit_leaves
BEGIN SELECT RAISE(ABORT, 'audit_leaves is append-only'); END;
CREATE TRIGGER audit_leaves_no_update BEFORE UPDATE ON audit_leaves
BEGIN SELECT RAISE(ABORT, 'audit_leaves is append-only'); END;
CREATE TRIGGER audit_leaves_no_pending BEFORE INSERT ON audit_leaves
WHEN NEW.idx IS NULL
BEGIN SELECT RAISE(ABORT, 'audit_leaves holds integrated leaves only: a pending leaf goes to audit_queue'); END;
