-- PostgreSQL's case_facts keeps its five yes-or-no facts as BOOLEAN
-- columns from here on; SQLite has no such type and keeps its 0/1
-- INTEGER columns with their CHECK constraints (which it compiles once
-- per prepared statement): nothing changes here.
SELECT 1;
