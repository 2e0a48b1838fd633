-- PostgreSQL's authentication cache is invalidated by triggers that
-- notify its listeners; SQLite keeps no such cache (its reads are in
-- process): nothing changes here.
SELECT 1;
