-- PostgreSQL's record bodies move to lz4 compression; SQLite does not
-- compress them: nothing changes here.
SELECT 1;
