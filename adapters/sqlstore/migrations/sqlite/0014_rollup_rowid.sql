-- The casework rollup's cells in a table with row ids.
--
-- A cell's counts are about 1,200 bytes of text, up to about 3,000. A
-- table WITHOUT ROWID keeps at most about 1,000 bytes of a row on its
-- page and spills the rest into an overflow page, so every write of a case
-- that rewrote its cell put four pages into the write-ahead log at its
-- commit: the row's page, a new overflow page, the free list's page and
-- the database header. A table with row ids keeps a row of up to about
-- 4,000 bytes on its page, and the key (org_id, month, kind) is a unique
-- index that a rewrite of the counts leaves alone: one page a write.
CREATE TABLE case_rollup_0014 (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    counts TEXT NOT NULL
);
INSERT INTO case_rollup_0014 (org_id, month, kind, counts)
SELECT org_id, month, kind, counts FROM case_rollup ORDER BY org_id, month, kind;
DROP TABLE case_rollup;
ALTER TABLE case_rollup_0014 RENAME TO case_rollup;
CREATE UNIQUE INDEX case_rollup_key ON case_rollup (org_id, month, kind);
