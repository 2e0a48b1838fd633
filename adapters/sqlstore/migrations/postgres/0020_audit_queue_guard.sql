-- A queued leaf leaves the queue only into the log. The sequencer moves a
-- batch by inserting its leaves into audit_leaves and then deleting them
-- from audit_queue; a deletion of a leaf that is not in the log with the
-- same bytes is refused, and so is any change of a queued leaf, so that
-- nobody writing to the database without lifting its triggers (as the
-- operator can, which the signed checkpoints answer) drops or rewrites an
-- event in the moment before it is in the tree: a role change, a key, a
-- caseworker's action told as a colleague's.
CREATE FUNCTION audit_queue_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_leaves WHERE seq = OLD.seq AND data = OLD.data) THEN
        RETURN OLD; -- the leaf is in the log
    END IF;
    RAISE EXCEPTION 'audit_queue: a queued leaf is neither changed nor deleted before it is in audit_leaves';
END;
$$;
CREATE TRIGGER audit_queue_guard BEFORE UPDATE OR DELETE ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION audit_queue_guard();
CREATE TRIGGER audit_queue_no_truncate BEFORE TRUNCATE ON audit_queue
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
