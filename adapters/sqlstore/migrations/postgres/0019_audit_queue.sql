-- Pending leaves wait in their own queue, and the log's table only grows.
--
-- A writer's leaf used to be inserted into audit_leaves with no index, and
-- the sequencer then updated the row to give it one: an update that
-- changes an indexed column, so PostgreSQL wrote a second version of the
-- row and a new entry in each of the table's four indexes (about six WAL
-- records a leaf, on top of the five of the insert). A writer now appends
-- its leaf to audit_queue (one index); the sequencer moves a batch from
-- the queue into audit_leaves, with its indexes, in its batch's
-- transaction (the leaves inserted whole, then the queue's rows deleted;
-- 0020 guards that order). audit_leaves then takes no update at all: its trigger refuses
-- every change, with no exception for a pending leaf any more. A leaf
-- keeps the queue order (seq) it was given when it was written, from the
-- same sequence as before.
--
-- Servers of an earlier version must be stopped before this runs: one that
-- still appends to audit_leaves is refused (idx is required now).
CREATE TABLE audit_queue (
    seq         BIGINT PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    data        TEXT NOT NULL
);
DO $$
BEGIN
    EXECUTE format('ALTER TABLE audit_queue ALTER COLUMN seq SET DEFAULT nextval(%L)',
        pg_get_serial_sequence('audit_leaves', 'seq'));
END;
$$;
CREATE INDEX audit_queue_object ON audit_queue (object_id, version, seq);

-- The leaves pending now move to the queue.
INSERT INTO audit_queue (seq, object_kind, object_id, version, data)
    SELECT seq, object_kind, object_id, version, data FROM audit_leaves WHERE idx IS NULL;
ALTER TABLE audit_leaves DISABLE TRIGGER audit_leaves_no_change;
DELETE FROM audit_leaves WHERE idx IS NULL;
ALTER TABLE audit_leaves ENABLE TRIGGER audit_leaves_no_change;
DROP INDEX audit_leaves_pending;
ALTER TABLE audit_leaves ALTER COLUMN idx SET NOT NULL;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
