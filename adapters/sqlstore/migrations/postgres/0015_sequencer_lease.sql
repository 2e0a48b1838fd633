-- The lease of the leading sequencer (RunSequencer). The leader holds the
-- session-level advisory lock leaderLock; this row says which session that
-- is (its backend's pid), in which term (epoch, raised by every leader
-- that takes the lock: the fencing token its batches must still hold),
-- and when it last renewed the lease, by the database's clock. A standby
-- that finds the lock held by the session the row names, and the lease
-- older than its length, ends that session and takes the lock.
CREATE TABLE sequencer_lease (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    epoch   BIGINT NOT NULL,
    pid     INTEGER NOT NULL,
    renewed TIMESTAMPTZ NOT NULL
);
INSERT INTO sequencer_lease (id, epoch, pid, renewed) VALUES (1, 0, 0, now());

-- The term of the leader whose batch wrote the checkpoint; NULL for a
-- checkpoint written before leases, or by a batch outside the leader's
-- turns (Drain, Sequence).
ALTER TABLE audit_checkpoints ADD COLUMN leader_epoch BIGINT;
