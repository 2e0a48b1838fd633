-- A queued leaf leaves the queue only into the log (see PostgreSQL's 0020):
-- the sequencer inserts a batch's leaves into audit_leaves and then
-- deletes them from audit_queue; any other deletion, and any change of a
-- queued leaf, is refused.
CREATE TRIGGER audit_queue_no_delete BEFORE DELETE ON audit_queue
WHEN NOT EXISTS (SELECT 1 FROM audit_leaves WHERE seq = OLD.seq AND data = OLD.data)
BEGIN SELECT RAISE(ABORT, 'audit_queue: a queued leaf is not deleted before it is in audit_leaves'); END;
CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
BEGIN SELECT RAISE(ABORT, 'audit_queue: a queued leaf is not changed'); END;
