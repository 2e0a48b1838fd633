-- The casework rollup without a hot row (see the PostgreSQL migration of
-- the same number): on PostgreSQL a write appends its differences to
-- case_rollup_pending and a fold moves them into case_rollup; SQLite, one
-- writer at a time, writes case_rollup directly, and its figures read the
-- same union of both tables.
CREATE TABLE case_rollup_pending (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      INTEGER NOT NULL
);
