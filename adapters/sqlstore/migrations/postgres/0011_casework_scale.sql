-- The casework figures at the scale of a province, and a lighter write.
--
-- Overdue and due-soon lists are one organisation's cases in deadline
-- order: the due index leads with the organisation, so a first page reads
-- its own rows and no other organisation's.
DROP INDEX records_due;
CREATE INDEX records_org_due ON records (org_id, kind, due_on, id) WHERE due_on IS NOT NULL;

-- Writing a case's facts becomes one row and one index entry. A case's
-- duties move into its facts row (duties: a JSON array of [profile, rule,
-- status, due]) and case_duties goes; open duties are counted in the
-- rollup by rule and due date (open:YYYY-MM-DD:PROFILE/RULE), so that
-- those past due at any measuring date are a sum as well. The facts' key
-- leads with the organisation (org_id, record_id), which serves the
-- queries of an organisation, and the other indexes go. Counts of zero go.
ALTER TABLE case_facts ADD COLUMN duties JSONB NOT NULL DEFAULT '[]';
UPDATE case_facts f SET duties = d.duties
FROM (SELECT record_id, jsonb_agg(jsonb_build_array(profile, rule, status, to_char(due, 'YYYY-MM-DD')) ORDER BY n) AS duties
      FROM case_duties GROUP BY record_id) AS d
WHERE d.record_id = f.record_id;
DELETE FROM case_rollup WHERE n = 0;
INSERT INTO case_rollup (org_id, month, kind, metric, n)
SELECT org_id, month, kind, 'open:' || to_char(due, 'YYYY-MM-DD') || ':' || profile || '/' || rule, COUNT(*)
FROM case_duties WHERE status = 'open' GROUP BY org_id, month, kind, due, profile, rule;
DROP TABLE case_duties;
ALTER TABLE case_facts DROP CONSTRAINT case_facts_pkey, ADD PRIMARY KEY (org_id, record_id);
DROP INDEX case_facts_month;
DROP INDEX case_facts_org_month;
DROP INDEX case_rollup_month;
