-- The casework rollup without a hot row.
--
-- Every write of a case changed a few case_rollup rows shared by all the
-- cases of its organisation and month (the count of cases, the backlog by
-- state), and held their row locks until it committed: on PostgreSQL the
-- writes of one organisation queued behind each other's commits, whatever
-- the number of servers. A write now appends its differences here, in its
-- own transaction, with no row another writer touches; a fold moves the
-- committed differences into case_rollup in batches (see the sequencer's
-- loop), and a figure sums both tables in one snapshot, so it sees every
-- committed write exactly once, folded or not. SQLite, one writer at a
-- time, keeps writing case_rollup directly and leaves this table empty.
CREATE TABLE case_rollup_pending (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      BIGINT NOT NULL
);
