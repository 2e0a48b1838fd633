-- The casework rollup as one row per organisation, month and kind of case.
--
-- A province's year by organisation and month read about 200,000 rollup
-- rows, one per count, more than half of them the histogram of handling
-- days that the exact 90th percentile needs. A row (a cell) now holds all
-- the counts of one organisation's month and kind in the text column
-- counts, a line "METRIC N" each (a backslash in a metric written as two,
-- a line feed as a backslash and n), so that the province is about 2,400
-- rows and the figures stay exact. Counts of zero are not written; a cell
-- with none is deleted. Writes still append their differences to
-- case_rollup_pending, one row per count; the fold adds them to the cells.
-- The pending differences are folded in here, with the writers held off
-- until the migration commits.
LOCK TABLE case_rollup_pending IN EXCLUSIVE MODE;
CREATE TABLE case_rollup_0013 (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (org_id, month, kind)
);
INSERT INTO case_rollup_0013 (org_id, month, kind, counts)
SELECT org_id, month, kind,
    string_agg(replace(replace(metric, '\', '\\'), E'\n', '\n') || ' ' || n, E'\n' ORDER BY metric)
FROM (SELECT org_id, month, kind, metric, SUM(n) AS n
    FROM (SELECT org_id, month, kind, metric, n FROM case_rollup
        UNION ALL SELECT org_id, month, kind, metric, n FROM case_rollup_pending) AS u
    GROUP BY org_id, month, kind, metric HAVING SUM(n) <> 0) AS c
GROUP BY org_id, month, kind;
DELETE FROM case_rollup_pending;
DROP TABLE case_rollup;
ALTER TABLE case_rollup_0013 RENAME TO case_rollup;
ALTER INDEX case_rollup_0013_pkey RENAME TO case_rollup_pkey;
