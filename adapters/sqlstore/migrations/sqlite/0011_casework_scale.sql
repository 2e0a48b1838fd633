-- The casework figures at the scale of a province, and a lighter write.
--
-- Overdue and due-soon lists are one organisation's cases in deadline
-- order: the due index leads with the organisation, so a first page reads
-- its own rows and no other organisation's.
DROP INDEX records_due;
CREATE INDEX records_org_due ON records (org_id, kind, due_on, id) WHERE due_on IS NOT NULL;

-- Writing a case's facts becomes one row in one b-tree. A case's duties
-- move into its facts row (duties: a JSON array of [profile, rule, status,
-- due]) and case_duties goes; open duties are counted in the rollup by
-- rule and due date (open:YYYY-MM-DD:PROFILE/RULE), so that those past due
-- at any measuring date are a sum as well. The facts are stored in the
-- order of their key, organisation first (WITHOUT ROWID, key org_id,
-- record_id): an organisation's facts are one range, and no other index
-- is kept. The rollup is stored in its key's order too: the rows of an
-- organisation's month, which a query reads together and a write updates
-- together, side by side. Counts of zero go.
CREATE TABLE case_facts_0011 (
    record_id     TEXT NOT NULL REFERENCES records (id),
    kind          TEXT NOT NULL CHECK (kind IN ('complaint', 'dispute')),
    org_id        TEXT NOT NULL,
    registered    TEXT NOT NULL,
    month         TEXT NOT NULL,
    channel       TEXT NOT NULL,
    matter_type   TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    handled       TEXT,
    within_limit  INTEGER NOT NULL CHECK (within_limit IN (0, 1)),
    handling_days INTEGER NOT NULL,
    rating        TEXT NOT NULL DEFAULT '',
    mediated      INTEGER NOT NULL CHECK (mediated IN (0, 1)),
    agreement     INTEGER NOT NULL CHECK (agreement IN (0, 1)),
    performed     INTEGER NOT NULL CHECK (performed IN (0, 1)),
    confirmed     INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    duties        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (org_id, record_id)
) WITHOUT ROWID;
INSERT INTO case_facts_0011 SELECT f.record_id, f.kind, f.org_id, f.registered, f.month, f.channel, f.matter_type, f.state,
    f.handled, f.within_limit, f.handling_days, f.rating, f.mediated, f.agreement, f.performed, f.confirmed,
    COALESCE((SELECT json_group_array(json_array(d.profile, d.rule, d.status, d.due))
        FROM (SELECT profile, rule, status, due FROM case_duties WHERE record_id = f.record_id ORDER BY n) AS d), '[]')
FROM case_facts f;

CREATE TABLE case_rollup_0011 (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (org_id, month, kind, metric)
) WITHOUT ROWID;
INSERT INTO case_rollup_0011 SELECT org_id, month, kind, metric, n FROM case_rollup WHERE n <> 0;
INSERT INTO case_rollup_0011 SELECT org_id, month, kind, 'open:' || due || ':' || profile || '/' || rule, COUNT(*)
    FROM case_duties WHERE status = 'open' GROUP BY org_id, month, kind, due, profile, rule;

DROP TABLE case_duties;
DROP TABLE case_facts;
DROP TABLE case_rollup;
ALTER TABLE case_facts_0011 RENAME TO case_facts;
ALTER TABLE case_rollup_0011 RENAME TO case_rollup;
