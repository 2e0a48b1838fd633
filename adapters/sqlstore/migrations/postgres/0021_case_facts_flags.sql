-- The five yes-or-no facts of a case (within its limits, mediated, an
-- agreement, performed, judicially confirmed) become BOOLEAN columns: the
-- type holds them to yes or no, as the CHECK (x IN (0, 1)) constraints on
-- SMALLINT columns did, without the constraints' expressions that
-- PostgreSQL reads back and compiles at every statement writing the table
-- (every write of a case writes its row). The kind keeps its CHECK.
ALTER TABLE case_facts
    DROP CONSTRAINT case_facts_within_limit_check,
    DROP CONSTRAINT case_facts_mediated_check,
    DROP CONSTRAINT case_facts_agreement_check,
    DROP CONSTRAINT case_facts_performed_check,
    DROP CONSTRAINT case_facts_confirmed_check,
    ALTER COLUMN within_limit TYPE BOOLEAN USING within_limit = 1,
    ALTER COLUMN mediated TYPE BOOLEAN USING mediated = 1,
    ALTER COLUMN agreement TYPE BOOLEAN USING agreement = 1,
    ALTER COLUMN performed TYPE BOOLEAN USING performed = 1,
    ALTER COLUMN confirmed TYPE BOOLEAN USING confirmed = 1;
