-- PostgreSQL keeps compressed record bodies of up to 4 KB in the row:
-- SQLite has no TOAST table, nothing changes here.
SELECT 1;
