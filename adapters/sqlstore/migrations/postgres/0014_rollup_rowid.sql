-- The casework rollup's cells in a table with row ids: a change of
-- SQLite's layout (a table WITHOUT ROWID spilled every rewritten cell into
-- an overflow page). PostgreSQL's tables are heaps already, and its cells
-- are rewritten by the fold, not by each write: nothing changes here.
SELECT 1;
