-- The sequencer's lease is PostgreSQL's (several servers on one database,
-- one of them leading); on SQLite the single writer is the only
-- sequencer. Nothing changes here: the number is kept so that both
-- dialects run the same versions.
SELECT 1;
